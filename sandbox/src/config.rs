//! Sandbox configuration: start-time settings, and the modes that can also change at runtime
//! (`POST /_sandbox/config`, [`Sandbox::set_duplicate_mode`](crate::Sandbox::set_duplicate_mode) …).

use serde_json::{Map, Value, json};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// How the V2 duplicate window answers a top-up with the same `phone_number`, `network_id` and
/// amount (or product) as one created within the window.
///
/// ```
/// use clickairtime_sandbox::DuplicateMode;
/// assert_eq!("conflict".parse::<DuplicateMode>().unwrap(), DuplicateMode::Conflict);
/// assert_eq!(DuplicateMode::default().as_str(), "existing");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum DuplicateMode {
    /// `existing` (default, the docs' reading): HTTP 200 with the existing top-up's record.
    #[default]
    Existing,
    /// `conflict`: HTTP 409 `DUPLICATE_TRANSACTION`, `error.details` = `{transaction_id, reference}`
    /// of the existing top-up; nothing is created.
    Conflict,
    /// `off`: no duplicate window; every valid request creates a top-up.
    Off,
}

impl DuplicateMode {
    /// Every mode.
    pub const ALL: [DuplicateMode; 3] = [
        DuplicateMode::Existing,
        DuplicateMode::Conflict,
        DuplicateMode::Off,
    ];

    /// The wire name: `existing`, `conflict` or `off`.
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicateMode::Existing => "existing",
            DuplicateMode::Conflict => "conflict",
            DuplicateMode::Off => "off",
        }
    }
}

/// How V2 answers a reused `Idempotency-Key` (same API key, within 24 h).
///
/// ```
/// use clickairtime_sandbox::IdempotencyMode;
/// assert_eq!("replay".parse::<IdempotencyMode>().unwrap(), IdempotencyMode::Replay);
/// assert_eq!(IdempotencyMode::default().as_str(), "conflict");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum IdempotencyMode {
    /// `conflict` (default): HTTP 409 `DUPLICATE_TRANSACTION` naming the first top-up
    /// (`error.details` = `{transaction_id, reference}`).
    #[default]
    Conflict,
    /// `replay`: HTTP 200 with the first top-up's record as it is now.
    Replay,
}

impl IdempotencyMode {
    /// Every mode.
    pub const ALL: [IdempotencyMode; 2] = [IdempotencyMode::Conflict, IdempotencyMode::Replay];

    /// The wire name: `conflict` or `replay`.
    pub fn as_str(self) -> &'static str {
        match self {
            IdempotencyMode::Conflict => "conflict",
            IdempotencyMode::Replay => "replay",
        }
    }
}

/// Error returned when parsing an unknown [`DuplicateMode`] or [`IdempotencyMode`] name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMode {
    setting: &'static str,
    value: String,
    allowed: &'static str,
}

impl fmt::Display for UnknownMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} {:?} (expected one of: {})",
            self.setting, self.value, self.allowed
        )
    }
}

impl std::error::Error for UnknownMode {}

impl FromStr for DuplicateMode {
    type Err = UnknownMode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        DuplicateMode::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| UnknownMode {
                setting: "duplicate_mode",
                value: s.to_string(),
                allowed: "existing, conflict, off",
            })
    }
}

impl FromStr for IdempotencyMode {
    type Err = UnknownMode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        IdempotencyMode::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| UnknownMode {
                setting: "idempotency_mode",
                value: s.to_string(),
                allowed: "conflict, replay",
            })
    }
}

impl fmt::Display for DuplicateMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for IdempotencyMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    pub(crate) rate_limit_window: Duration,
    pub(crate) duplicate_mode: DuplicateMode,
    pub(crate) idempotency_mode: IdempotencyMode,
    pub(crate) v1_duplicate_window: Duration,
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
            rate_limit_window: Duration::from_secs(60),
            duplicate_mode: DuplicateMode::Existing,
            idempotency_mode: IdempotencyMode::Conflict,
            v1_duplicate_window: Duration::ZERO,
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

    /// Window in which an identical V2 top-up (same `phone_number`, `network_id` and amount or
    /// product) meets the existing one (default 5 s; zero turns the window off). What it answers is
    /// [`SandboxConfig::duplicate_mode`].
    pub fn duplicate_window(mut self, d: Duration) -> Self {
        self.duplicate_window = d;
        self
    }

    /// V2 requests per minute and API key before 429 (default 600).
    pub fn rate_limit_per_minute(mut self, n: u32) -> Self {
        self.rate_limit_per_minute = n;
        self
    }

    /// The rate limit's window (default a minute; at least 100 ms). Shorter windows let a test run a
    /// client's limiter through many windows in seconds (the client's `rate_limit_window` to match).
    pub fn rate_limit_window(mut self, d: Duration) -> Self {
        self.rate_limit_window = d.max(Duration::from_millis(100));
        self
    }

    /// What the V2 duplicate window answers (default [`DuplicateMode::Existing`]: 200 with the
    /// existing top-up). Can be changed at runtime.
    pub fn duplicate_mode(mut self, mode: DuplicateMode) -> Self {
        self.duplicate_mode = mode;
        self
    }

    /// What a reused V2 `Idempotency-Key` answers (default [`IdempotencyMode::Conflict`]: 409
    /// naming the first top-up). Can be changed at runtime.
    pub fn idempotency_mode(mut self, mode: IdempotencyMode) -> Self {
        self.idempotency_mode = mode;
        self
    }

    /// V1 near-duplicate window (default zero: off). When set, a `POST /adp` with the same `msisdn`
    /// and amount (and `productId`) as a transaction committed within the window, but another or no
    /// `extRefId`, is refused with code 50 (HTTP 403). Can be changed at runtime.
    pub fn v1_duplicate_window(mut self, d: Duration) -> Self {
        self.v1_duplicate_window = d;
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

    /// Configured V2 duplicate-window answer.
    pub fn get_duplicate_mode(&self) -> DuplicateMode {
        self.duplicate_mode
    }

    /// Configured answer to a reused V2 `Idempotency-Key`.
    pub fn get_idempotency_mode(&self) -> IdempotencyMode {
        self.idempotency_mode
    }

    /// Configured V1 near-duplicate window (zero: off).
    pub fn get_v1_duplicate_window(&self) -> Duration {
        self.v1_duplicate_window
    }
}

/// The settings that can change while the sandbox runs (`GET`/`POST /_sandbox/config`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Modes {
    pub duplicate_mode: DuplicateMode,
    pub duplicate_window: Duration,
    pub idempotency_mode: IdempotencyMode,
    pub v1_duplicate_window: Duration,
}

impl Default for Modes {
    fn default() -> Self {
        let c = SandboxConfig::default();
        Modes {
            duplicate_mode: c.duplicate_mode,
            duplicate_window: c.duplicate_window,
            idempotency_mode: c.idempotency_mode,
            v1_duplicate_window: c.v1_duplicate_window,
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Modes {
    /// Whether the V2 duplicate window is in force.
    pub fn v2_window(&self) -> Option<Duration> {
        (self.duplicate_mode != DuplicateMode::Off && !self.duplicate_window.is_zero())
            .then_some(self.duplicate_window)
    }

    /// The V1 near-duplicate window, if in force.
    pub fn v1_window(&self) -> Option<Duration> {
        (!self.v1_duplicate_window.is_zero()).then_some(self.v1_duplicate_window)
    }

    /// JSON form (`GET /_sandbox/config`).
    pub fn to_json(self) -> Value {
        json!({
            "duplicate_mode": self.duplicate_mode.as_str(),
            "duplicate_window_ms": millis(self.duplicate_window),
            "idempotency_mode": self.idempotency_mode.as_str(),
            "v1_duplicate_window_ms": millis(self.v1_duplicate_window),
        })
    }

    /// Applies the body of `POST /_sandbox/config`: every field optional, unknown fields refused;
    /// nothing changes unless the whole body is valid.
    pub fn with_json(self, v: &Value) -> Result<Modes, String> {
        let obj: &Map<String, Value> = v.as_object().ok_or("body must be a JSON object")?;
        let mut m = self;
        for (name, value) in obj {
            let text = || {
                value
                    .as_str()
                    .ok_or_else(|| format!("\"{name}\" must be a string"))
            };
            let ms = || {
                value
                    .as_u64()
                    .map(Duration::from_millis)
                    .ok_or_else(|| format!("\"{name}\" must be a non-negative integer"))
            };
            match name.as_str() {
                "duplicate_mode" => {
                    m.duplicate_mode = text()?.parse().map_err(|e: UnknownMode| e.to_string())?;
                }
                "idempotency_mode" => {
                    m.idempotency_mode = text()?.parse().map_err(|e: UnknownMode| e.to_string())?;
                }
                "duplicate_window_ms" => m.duplicate_window = ms()?,
                "v1_duplicate_window_ms" => m.v1_duplicate_window = ms()?,
                other => {
                    return Err(format!(
                        "unknown setting {other:?} (known: duplicate_mode, duplicate_window_ms, \
                         idempotency_mode, v1_duplicate_window_ms)"
                    ));
                }
            }
        }
        Ok(m)
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
    pub rate_limit_per_minute: u32,
    pub rate_limit_window: Duration,
    /// The runtime-changeable settings as configured at start (restored by a reset).
    pub modes: Modes,
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
            rate_limit_per_minute: c.rate_limit_per_minute,
            rate_limit_window: c.rate_limit_window,
            modes: Modes {
                duplicate_mode: c.duplicate_mode,
                duplicate_window: c.duplicate_window,
                idempotency_mode: c.idempotency_mode,
                v1_duplicate_window: c.v1_duplicate_window,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_names_round_trip() {
        for m in DuplicateMode::ALL {
            assert_eq!(m.as_str().parse::<DuplicateMode>(), Ok(m));
        }
        for m in IdempotencyMode::ALL {
            assert_eq!(m.as_str().parse::<IdempotencyMode>(), Ok(m));
        }
        let e = "nope".parse::<DuplicateMode>().unwrap_err().to_string();
        assert!(
            e.contains("duplicate_mode") && e.contains("conflict"),
            "{e}"
        );
    }

    #[test]
    fn modes_from_json_are_all_or_nothing() {
        let m = Modes::default();
        let n = m
            .with_json(&json!({"duplicate_mode": "off", "v1_duplicate_window_ms": 250}))
            .unwrap();
        assert_eq!(n.duplicate_mode, DuplicateMode::Off);
        assert_eq!(n.v1_duplicate_window, Duration::from_millis(250));
        assert_eq!(n.v2_window(), None);
        assert_eq!(n.idempotency_mode, IdempotencyMode::Conflict);
        assert!(m.with_json(&json!({"duplicate_mode": "bogus"})).is_err());
        assert!(m.with_json(&json!({"duplicate_window_ms": -1})).is_err());
        assert!(m.with_json(&json!({"typo": 1})).is_err());
        assert!(m.with_json(&json!([])).is_err());
        assert_eq!(m.to_json()["duplicate_window_ms"], 5000);
    }
}
