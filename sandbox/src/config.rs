//! Sandbox configuration.

use std::time::Duration;

/// Configuration of a [`Sandbox`](crate::Sandbox), built with chained setters.
///
/// ```
/// use std::time::Duration;
/// let config = clickairtime_sandbox::SandboxConfig::default()
///     .processing_after(Duration::from_millis(20))
///     .complete_after(Duration::from_millis(60));
/// assert_eq!(config.get_complete_after(), Duration::from_millis(60));
/// ```
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub(crate) port: u16,
    pub(crate) api_key: Option<String>,
    pub(crate) v1_email: Option<String>,
    pub(crate) v1_token: Option<String>,
    pub(crate) processing_after: Duration,
    pub(crate) complete_after: Duration,
    pub(crate) slow_delay: Duration,
    pub(crate) duplicate_window: Duration,
    pub(crate) rate_limit_per_minute: u32,
}

/// Default V1 e-mail.
pub const DEFAULT_V1_EMAIL: &str = "pos@sandbox.clickairtime.test";

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 0,
            api_key: None,
            v1_email: None,
            v1_token: None,
            processing_after: Duration::from_millis(100),
            complete_after: Duration::from_millis(400),
            slow_delay: Duration::from_millis(3000),
            duplicate_window: Duration::from_secs(5),
            rate_limit_per_minute: 600,
        }
    }
}

impl SandboxConfig {
    /// Same as [`SandboxConfig::default`].
    pub fn new() -> Self {
        Self::default()
    }

    /// TCP port on 127.0.0.1 (default 0: chosen by the OS).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// V2 API key; must have the shape `ce_live_` + 32 alphanumerics (default: random per start).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// V1 e-mail (default `pos@sandbox.clickairtime.test`).
    pub fn v1_email(mut self, email: impl Into<String>) -> Self {
        self.v1_email = Some(email.into());
        self
    }

    /// V1 token (default: a random UUID-shaped token per start).
    pub fn v1_token(mut self, token: impl Into<String>) -> Self {
        self.v1_token = Some(token.into());
        self
    }

    /// Time after creation at which a top-up moves from pending to processing (default 100 ms).
    pub fn processing_after(mut self, d: Duration) -> Self {
        self.processing_after = d;
        self
    }

    /// Time after creation at which a top-up becomes terminal (default 400 ms; never before
    /// `processing_after`).
    pub fn complete_after(mut self, d: Duration) -> Self {
        self.complete_after = d;
        self
    }

    /// Answer delay of the slow magic number and of the `slow` fault without `delay_ms`
    /// (default 3000 ms).
    pub fn slow_delay(mut self, d: Duration) -> Self {
        self.slow_delay = d;
        self
    }

    /// Window in which an identical V2 top-up returns the existing one (default 5 s).
    pub fn duplicate_window(mut self, d: Duration) -> Self {
        self.duplicate_window = d;
        self
    }

    /// V2 requests per minute and API key before 429 (default 600).
    pub fn rate_limit_per_minute(mut self, n: u32) -> Self {
        self.rate_limit_per_minute = n;
        self
    }

    /// Configured port (0 = any).
    pub fn get_port(&self) -> u16 {
        self.port
    }

    /// Configured pending → processing delay.
    pub fn get_processing_after(&self) -> Duration {
        self.processing_after
    }

    /// Configured creation → terminal delay.
    pub fn get_complete_after(&self) -> Duration {
        self.complete_after
    }

    /// Configured slow-answer delay.
    pub fn get_slow_delay(&self) -> Duration {
        self.slow_delay
    }

    /// Configured duplicate window.
    pub fn get_duplicate_window(&self) -> Duration {
        self.duplicate_window
    }

    /// Configured V2 rate limit per minute.
    pub fn get_rate_limit_per_minute(&self) -> u32 {
        self.rate_limit_per_minute
    }
}

/// Configuration with every credential resolved.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub api_key: String,
    pub v1_email: String,
    pub v1_token: String,
    pub processing_after: Duration,
    pub complete_after: Duration,
    pub slow_delay: Duration,
    pub duplicate_window: Duration,
    pub rate_limit_per_minute: u32,
}

impl Resolved {
    pub(crate) fn from_config(c: &SandboxConfig) -> std::io::Result<Resolved> {
        let api_key = c.api_key.clone().unwrap_or_else(crate::util::api_key);
        if !crate::util::is_well_formed_api_key(&api_key) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "api key must be \"ce_live_\" followed by 32 alphanumeric characters",
            ));
        }
        Ok(Resolved {
            api_key,
            v1_email: c
                .v1_email
                .clone()
                .unwrap_or_else(|| DEFAULT_V1_EMAIL.to_string()),
            v1_token: c.v1_token.clone().unwrap_or_else(crate::util::upper_uuid),
            processing_after: c.processing_after,
            complete_after: c.complete_after.max(c.processing_after),
            slow_delay: c.slow_delay,
            duplicate_window: c.duplicate_window,
            rate_limit_per_minute: c.rate_limit_per_minute,
        })
    }
}
