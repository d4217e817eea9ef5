//! Client configuration, shared by the V1 and V2 clients: one builder, written once.

use crate::error::{Error, Result};
use crate::secret::redact_url;
use std::fmt;
use std::time::Duration;

/// Production host of both API versions.
pub const DEFAULT_BASE_URL: &str = "https://api.clickairtime.com";
/// Default path of the V1 top-up endpoint (newest docs; older docs say `/adp/topup`).
pub const DEFAULT_V1_TOPUP_PATH: &str = "/adp";
/// Default bound of a wait: the documented 12-minute convergence of every transaction, plus a margin.
pub const DEFAULT_WAIT_DEADLINE: Duration = Duration::from_secs(13 * 60);
/// Default convergence bound: the docs guarantee every transaction is terminal (and visible to lookups)
/// within about 12 minutes; a lookup that finds nothing proves absence only this long after the last write.
pub const DEFAULT_CONVERGENCE_BOUND: Duration = Duration::from_secs(13 * 60);
/// Idle connections kept per host by default: as many as the bindings' own pools run calls at once (Node's
/// SDK threads and Python's `aio` executor, 64 each), so a burst that wide reuses its connections. Fewer
/// (16, before) closed and reopened the rest after every burst: 393 connections where 64 do in the bench's
/// concurrent phase. A client that uses fewer keeps fewer; nothing is opened to fill the pool.
pub const DEFAULT_MAX_IDLE_PER_HOST: usize = 64;

/// HTTP settings of a client. Every field has a getter on [`ClientBuilder`] documenting its default.
#[derive(Clone)]
pub(crate) struct HttpConfig {
    pub base_url: String,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub total_timeout: Duration,
    pub max_retries: u32,
    pub retry_base_delay: Duration,
    pub max_retry_delay: Duration,
    pub max_retry_after: Duration,
    pub send_deadline: Duration,
    pub proxy: Option<String>,
    pub proxy_from_env: bool,
    pub ca_certs_der: Vec<Vec<u8>>,
    pub user_agent_suffix: Option<String>,
    pub v1_topup_path: String,
    pub max_idle_per_host: usize,
    pub journal: Option<std::path::PathBuf>,
    pub convergence_bound: Duration,
    pub rate_limit: Option<crate::ratelimit::RateLimitPolicy>,
    /// The limiter's "minute" (its hour is 60 of them). 60 s; shorter only in tests (`rate_limit_window`).
    pub rate_limit_window: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            base_url: DEFAULT_BASE_URL.to_owned(),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(60),
            max_retries: 3,
            retry_base_delay: Duration::from_millis(200),
            max_retry_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            send_deadline: Duration::from_secs(120),
            proxy: None,
            proxy_from_env: true,
            ca_certs_der: Vec::new(),
            user_agent_suffix: None,
            v1_topup_path: DEFAULT_V1_TOPUP_PATH.to_owned(),
            max_idle_per_host: DEFAULT_MAX_IDLE_PER_HOST,
            journal: None,
            convergence_bound: DEFAULT_CONVERGENCE_BOUND,
            rate_limit: None,
            rate_limit_window: Duration::from_secs(60),
        }
    }
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpConfig")
            .field("base_url", &redact_url(&self.base_url))
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("max_retries", &self.max_retries)
            .field("send_deadline", &self.send_deadline)
            .field("proxy", &self.proxy.as_deref().map(redact_url))
            .field("proxy_from_env", &self.proxy_from_env)
            .field("ca_certs", &self.ca_certs_der.len())
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("v1_topup_path", &self.v1_topup_path)
            .field("journal", &self.journal)
            .field("convergence_bound", &self.convergence_bound)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

/// Builder of a V1 or V2 client. Created by `v2::Client::builder(api_key)` or
/// `v1::Client::builder(email, token)`; every setter is optional.
#[derive(Debug, Clone)]
pub struct ClientBuilder<C> {
    pub(crate) creds: C,
    pub(crate) cfg: HttpConfig,
}

impl<C> ClientBuilder<C> {
    pub(crate) fn with_creds(creds: C) -> Self {
        ClientBuilder {
            creds,
            cfg: HttpConfig::default(),
        }
    }

    /// Host to talk to. Default [`DEFAULT_BASE_URL`]. A trailing `/` and, for V2, a trailing `/v2` (as the docs
    /// write the V2 base URL) are removed, since every path already starts with `/v2` or `/adp`. Must be
    /// `https://` except for loopback hosts (the sandbox).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.cfg.base_url = url.into();
        self
    }
    /// Time allowed to open a connection (DNS, TCP, TLS, proxy). Default 10 s.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.cfg.connect_timeout = d;
        self
    }
    /// Time allowed between sending a request and receiving the answer's headers, and again for its body.
    /// Default 30 s.
    pub fn read_timeout(mut self, d: Duration) -> Self {
        self.cfg.read_timeout = d;
        self
    }
    /// Time allowed for one whole HTTP exchange. Default 60 s.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.cfg.total_timeout = d;
        self
    }
    /// How many times a read (GET) is retried after a connection error, a timeout, a 5xx or a 429.
    /// Default 3. Sends are never retried blindly: see the crate docs on money safety.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.cfg.max_retries = n;
        self
    }
    /// First backoff delay between retries; it doubles each time, with full jitter. Default 200 ms.
    pub fn retry_base_delay(mut self, d: Duration) -> Self {
        self.cfg.retry_base_delay = d;
        self
    }
    /// Cap of one backoff delay. Default 8 s.
    pub fn max_retry_delay(mut self, d: Duration) -> Self {
        self.cfg.max_retry_delay = d;
        self
    }
    /// Longest `Retry-After` the client will wait for on its own; a longer one is returned to the caller as
    /// a rate-limit error. Default 60 s.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.cfg.max_retry_after = d;
        self
    }
    /// Hard budget of one send, recovery included: every exchange and lookup inside it gets only the time
    /// that remains, so a send returns within this bound (plus at most one connect/DNS step's scheduling
    /// slack). Past it, a send whose write may have been received ends in an outcome-unknown error; one that
    /// never wrote ends "not sent". Default 120 s.
    pub fn send_deadline(mut self, d: Duration) -> Self {
        self.cfg.send_deadline = d;
        self
    }
    /// HTTP(S) or SOCKS proxy URL, e.g. `http://user:pass@proxy.local:3128`. Default: none, except what
    /// `HTTPS_PROXY`/`ALL_PROXY` say (see [`proxy_from_env`](Self::proxy_from_env)).
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.cfg.proxy = Some(url.into());
        self
    }
    /// Whether to honour `HTTP(S)_PROXY`, `ALL_PROXY` and `NO_PROXY` from the environment when no proxy is
    /// set. Default true. Loopback hosts are never proxied.
    pub fn proxy_from_env(mut self, yes: bool) -> Self {
        self.cfg.proxy_from_env = yes;
        self
    }
    /// Trust these extra CA certificates (PEM, one or more), in addition to the bundled Mozilla roots —
    /// for shops behind a corporate TLS-inspecting proxy. Fails at `build()` if no certificate parses.
    pub fn add_ca_certificates_pem(mut self, pem: &[u8]) -> Self {
        for item in ureq::tls::parse_pem(pem).flatten() {
            if let ureq::tls::PemItem::Certificate(c) = item {
                self.cfg.ca_certs_der.push(c.der().to_vec());
            }
        }
        if self.cfg.ca_certs_der.is_empty() {
            // remember the failure; build() reports it
            self.cfg.ca_certs_der.push(Vec::new());
        }
        self
    }
    /// Text appended to the `User-Agent` header (`clickairtime-rust/0.1.0 <suffix>`), e.g. your POS name.
    pub fn user_agent_suffix(mut self, s: impl Into<String>) -> Self {
        self.cfg.user_agent_suffix = Some(s.into());
        self
    }
    /// Keep a crash-safe journal of every send in this SQLite file (created if missing; shared safely by
    /// processes and threads). Each send is written down durably before its first write and at its outcome,
    /// so a reference is sent at most once across restarts, and `pending()`/`recover()` settle what a crash
    /// left open. The file must be openable at `build()`, or the build fails with a `Journal` error.
    pub fn journal(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.cfg.journal = Some(path.into());
        self
    }
    /// How long after the last write a lookup that finds nothing proves that a top-up was never created.
    /// Default 13 minutes (the docs: every transaction converges within about 12). Lower it only against
    /// the sandbox.
    pub fn convergence_bound(mut self, d: Duration) -> Self {
        self.cfg.convergence_bound = d;
        self
    }
    /// Pace every request of this client (all its threads and clones) within `policy` — use
    /// [`RateLimitPolicy::DOCUMENTED`](crate::RateLimitPolicy::DOCUMENTED) for the documented 60 a minute and
    /// 1,000 an hour — and follow the server's `X-RateLimit-*` and `Retry-After`. Default: off (only 429s
    /// are honoured, per request).
    pub fn rate_limit(mut self, policy: crate::ratelimit::RateLimitPolicy) -> Self {
        self.cfg.rate_limit = Some(policy);
        self
    }
    /// Test support: the length of the limiter's "minute" (its hour is 60 of them), so a test can run
    /// the limiter through many windows in seconds against a sandbox whose window is as short
    /// (`SandboxConfig::rate_limit_window`). Keep the default (60 s) against the API.
    #[doc(hidden)]
    pub fn rate_limit_window(mut self, minute: Duration) -> Self {
        self.cfg.rate_limit_window = minute;
        self
    }
    /// Connections kept open per host for reuse. Default 64 ([`DEFAULT_MAX_IDLE_PER_HOST`]).
    pub fn max_idle_connections_per_host(mut self, n: usize) -> Self {
        self.cfg.max_idle_per_host = n;
        self
    }

    /// Validate the settings shared by both versions; `strip_v2` removes a trailing `/v2` from the base URL.
    pub(crate) fn validated(mut self, strip_v2: bool) -> Result<(C, HttpConfig)> {
        let mut base = self.cfg.base_url.trim().trim_end_matches('/').to_owned();
        if strip_v2 && base.ends_with("/v2") {
            base.truncate(base.len() - 3);
        }
        check_base_url(&base)?;
        self.cfg.base_url = base;
        for (name, d) in [
            ("connect_timeout", self.cfg.connect_timeout),
            ("read_timeout", self.cfg.read_timeout),
            ("timeout", self.cfg.total_timeout),
        ] {
            if d.is_zero() {
                return Err(Error::invalid(name, "must be greater than zero"));
            }
        }
        if let Some(p) = self.cfg.rate_limit
            && (p.per_minute == 0 || p.per_hour == 0)
        {
            return Err(Error::invalid(
                "rate_limit",
                "limits must be greater than zero",
            ));
        }
        if self.cfg.rate_limit_window < Duration::from_millis(100) {
            return Err(Error::invalid(
                "rate_limit_window",
                "must be at least 100 ms",
            ));
        }
        if self.cfg.send_deadline.is_zero() {
            return Err(Error::invalid("send_deadline", "must be greater than zero"));
        }
        if self.cfg.max_retries > 10 {
            return Err(Error::invalid("max_retries", "must be at most 10"));
        }
        if self.cfg.ca_certs_der.iter().any(Vec::is_empty) {
            return Err(Error::invalid(
                "ca_certificates",
                "no PEM certificate found",
            ));
        }
        if let Some(p) = &self.cfg.proxy {
            ureq::Proxy::new(p).map_err(|_| {
                Error::invalid("proxy", format!("{:?} is not a proxy URL", redact_url(p)))
            })?;
        }
        if let Some(s) = &self.cfg.user_agent_suffix {
            check_header_value("user_agent_suffix", s)?;
        }
        if !self.cfg.v1_topup_path.starts_with("/adp") {
            return Err(Error::invalid("topup_path", "must start with /adp"));
        }
        Ok((self.creds, self.cfg))
    }
}

/// An environment variable: `None` when unset or empty; an error naming it when it is not UTF-8.
pub(crate) fn env_var(name: &str) -> Result<Option<String>> {
    match std::env::var(name) {
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) => Ok(Some(v.trim().to_owned())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::invalid(name, "is not valid UTF-8")),
    }
}

/// True for `localhost`, `127.0.0.0/8` and `::1`.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

/// Host part of an absolute http(s) URL.
pub(crate) fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(end) = hostport.find(']') {
        return Some(&hostport[..=end]);
    }
    Some(hostport.split(':').next().unwrap_or(hostport))
}

fn check_base_url(base: &str) -> Result<()> {
    let lower = base.to_ascii_lowercase();
    let host = url_host(base).filter(|h| !h.is_empty());
    match host {
        None => Err(Error::invalid(
            "base_url",
            format!("{:?} is not an absolute http(s) URL", redact_url(base)),
        )),
        Some(_) if lower.starts_with("https://") => Ok(()),
        Some(h) if lower.starts_with("http://") && is_loopback_host(h) => Ok(()),
        Some(_) if lower.starts_with("http://") => Err(Error::invalid(
            "base_url",
            "plain http is only allowed to loopback hosts; use https://",
        )),
        Some(_) => Err(Error::invalid("base_url", "must start with https://")),
    }
}

/// A credential or header value must be printable ASCII without CR/LF (no header injection).
pub(crate) fn check_header_value(field: &str, v: &str) -> Result<()> {
    if v.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if !v.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(Error::invalid(
            field,
            "must be printable ASCII without line breaks",
        ));
    }
    Ok(())
}

/// A free-text field sent to the API (reference, product id, key): not blank, at most `max` characters, no
/// control characters.
pub(crate) fn check_text(field: &str, v: &str, max: usize) -> Result<()> {
    if v.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if v.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(Error::invalid(field, "must not contain control characters"));
    }
    Ok(())
}

/// Validate a callback URL: absolute http(s); https unless the host is loopback.
pub(crate) fn check_callback_url(field: &str, url: &str) -> Result<()> {
    if url.len() > 2048 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            field,
            "must be a URL without spaces, at most 2048 characters",
        ));
    }
    check_base_url(url).map_err(|e| {
        Error::invalid(
            field,
            e.message().trim_start_matches("base_url: ").to_owned(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert!(check_base_url("https://api.clickairtime.com").is_ok());
        assert!(check_base_url("http://127.0.0.1:8080").is_ok());
        assert!(check_base_url("http://localhost:1").is_ok());
        assert!(check_base_url("http://[::1]:9").is_ok());
        assert!(check_base_url("http://api.clickairtime.com").is_err());
        assert!(check_base_url("ftp://x").is_err());
        assert!(check_base_url("nonsense").is_err());
    }

    #[test]
    fn v2_suffix_is_stripped() {
        let (_, cfg) = ClientBuilder::with_creds(())
            .base_url("https://api.clickairtime.com/v2/")
            .validated(true)
            .unwrap();
        assert_eq!(cfg.base_url, "https://api.clickairtime.com");
    }

    #[test]
    fn bad_settings_name_the_field() {
        let e = ClientBuilder::with_creds(())
            .timeout(Duration::ZERO)
            .validated(false)
            .unwrap_err();
        assert_eq!(e.field(), Some("timeout"));
        let e = ClientBuilder::with_creds(())
            .add_ca_certificates_pem(b"junk")
            .validated(false)
            .unwrap_err();
        assert_eq!(e.field(), Some("ca_certificates"));
        let e = ClientBuilder::with_creds(())
            .base_url("http://example.com")
            .validated(false)
            .unwrap_err();
        assert_eq!(e.field(), Some("base_url"));
    }

    #[test]
    fn callback_urls() {
        assert!(check_callback_url("callback_url", "https://shop.example/hook").is_ok());
        assert!(check_callback_url("callback_url", "http://127.0.0.1:9/hook").is_ok());
        assert_eq!(
            check_callback_url("callback_url", "http://shop.example/hook")
                .unwrap_err()
                .field(),
            Some("callback_url")
        );
    }
}
