//! HTTP exchange on one shared ureq `Agent`: timeouts, proxy, TLS roots, retries of reads, rate-limit headers,
//! and the classification of failures into "the request never left" and "it may have been processed", which
//! the money-safe send path depends on.

use crate::coalesce::{CoalesceConnector, Swap};
use crate::config::{HttpConfig, is_loopback_host, url_host};
use crate::error::{Error, ErrorKind, Result};
use crate::response::RateLimit;
use crate::secret::Secret;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use ureq::Agent;
use ureq::unversioned::transport::{Connector, DefaultConnector};

mod classify;
mod resolver;
use classify::{classify, parse_rate_limit};
use resolver::CachingResolver;

/// Largest answer body read, in bytes.
const MAX_BODY: u64 = 4 * 1024 * 1024;

/// One HTTP answer, whatever its status.
#[derive(Debug, Clone)]
pub(crate) struct RawResponse {
    pub status: u16,
    pub body: Vec<u8>,
    pub rate_limit: Option<RateLimit>,
    pub retry_after: Option<Duration>,
}

/// Why an exchange produced no answer.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The request certainly did not reach the server (DNS, refused connection, TLS handshake, connect timeout).
    NotSent(Error),
    /// The request may have been received and processed (timeout or connection lost after it was written, or
    /// an unreadable answer).
    MaybeSent(Error),
}

impl Failure {
    pub fn into_error(self) -> Error {
        match self {
            Failure::NotSent(e) | Failure::MaybeSent(e) => e,
        }
    }
}

/// Header name and secret value sent on every request.
pub(crate) type AuthHeaders = Vec<(&'static str, Secret)>;

pub(crate) struct Transport {
    agent: Agent,
    pub cfg: HttpConfig,
    /// The headers as handed to ureq: stand-ins of the credentials (see `stand_in`).
    wire: Vec<(&'static str, String)>,
    /// Searchers for what a received body is scrubbed of (see `scrub`).
    scrub: Vec<memchr::memmem::Finder<'static>>,
    last_rate_limit: Mutex<Option<RateLimit>>,
    /// The send journal, when the client has one.
    pub journal: Option<crate::journal::Journal>,
    /// The client-side rate limiter, when the client has one.
    limiter: Option<crate::ratelimit::Limiter>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("cfg", &self.cfg)
            .field("auth", &"***")
            .finish()
    }
}

impl Transport {
    pub fn new(cfg: HttpConfig, auth: AuthHeaders) -> Result<Arc<Transport>> {
        let loopback = url_host(&cfg.base_url).is_some_and(is_loopback_host);
        let proxy = match &cfg.proxy {
            Some(p) => {
                Some(ureq::Proxy::new(p).map_err(|_| Error::invalid("proxy", "not a proxy URL"))?)
            }
            None if cfg.proxy_from_env && !loopback => ureq::Proxy::try_from_env(),
            None => None,
        };
        let mut tls = ureq::tls::TlsConfig::builder();
        if !cfg.ca_certs_der.is_empty() {
            let mut roots: Vec<ureq::tls::Certificate<'static>> =
                webpki_root_certs::TLS_SERVER_ROOT_CERTS
                    .iter()
                    .map(|c| ureq::tls::Certificate::from_der(c.as_ref()))
                    .collect();
            roots.extend(
                cfg.ca_certs_der
                    .iter()
                    .map(|d| ureq::tls::Certificate::from_der(d).to_owned()),
            );
            tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&roots));
        }
        let ua = match &cfg.user_agent_suffix {
            Some(s) => format!("clickairtime-rust/{} {s}", env!("CARGO_PKG_VERSION")),
            None => format!("clickairtime-rust/{}", env!("CARGO_PKG_VERSION")),
        };
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(proxy)
            .tls_config(tls.build())
            .user_agent(ua)
            .accept("application/json")
            .timeout_connect(Some(cfg.connect_timeout))
            .timeout_recv_response(Some(cfg.read_timeout))
            .timeout_recv_body(Some(cfg.read_timeout))
            .timeout_global(Some(cfg.total_timeout))
            .max_idle_connections_per_host(cfg.max_idle_per_host)
            .max_idle_connections(cfg.max_idle_per_host.max(1) * 4)
            .build();
        // the request carries a same-length stand-in for each credential; the connector swaps the real
        // value in just before the bytes are written, so ureq's own TRACE wire dump never sees it
        let mut swaps = Vec::new();
        let mut wire = Vec::new();
        for (name, secret) in &auth {
            let real = secret.expose().as_bytes().to_vec();
            let stand_in = stand_in(secret.expose());
            // the bare key (inside `Bearer <key>`): a server may also echo it without its scheme
            match (
                real.strip_prefix(b"Bearer "),
                stand_in.strip_prefix("Bearer "),
            ) {
                (Some(r), Some(st)) => swaps.push(Swap::new(st.as_bytes(), r)),
                _ => swaps.push(Swap::new(stand_in.as_bytes(), &real)),
            }
            wire.push((*name, stand_in));
        }
        // what a kept body is scrubbed of: the stand-ins first (an echoed credential arrives as its stand-in,
        // see coalesce.rs), then the credentials; each searcher built once
        let scrub = (swaps.iter().map(Swap::placeholder))
            .chain(swaps.iter().map(Swap::secret))
            .filter(|n| n.len() >= 6)
            .map(|n| memchr::memmem::Finder::new(n).into_owned())
            .collect();
        let agent = Agent::with_parts(
            config,
            DefaultConnector::default().chain(CoalesceConnector {
                swaps: Arc::new(swaps),
            }),
            CachingResolver::default(),
        );
        crate::phone::warm_up();
        let cfg_limiter = cfg
            .rate_limit
            .map(|p| crate::ratelimit::Limiter::with_window(p, cfg.rate_limit_window));
        let journal = match &cfg.journal {
            Some(path) => Some(crate::journal::Journal::open(path)?),
            None => None,
        };
        Ok(Arc::new(Transport {
            agent,
            cfg,
            wire,
            scrub,
            last_rate_limit: Mutex::new(None),
            journal,
            limiter: cfg_limiter,
        }))
    }

    /// How long the next request would wait for the client-side rate limiter (zero without one).
    pub fn next_slot_in(&self) -> Duration {
        self.limiter
            .as_ref()
            .map(|l| l.next_slot_in())
            .unwrap_or_default()
    }

    /// The rate-limit headers of the most recent answer that had them.
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        *self
            .last_rate_limit
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.cfg.base_url, path)
    }

    /// One exchange, no retry. `body` = None makes a GET, Some makes a POST with a JSON body. With a
    /// `deadline`, the exchange gets only the time that remains before it (connecting included); past it,
    /// nothing is written and the failure is [`Failure::NotSent`].
    pub fn exchange(
        &self,
        path: &str,
        query: &[(&str, String)],
        body: Option<&[u8]>,
        headers: &[(&str, &str)],
        deadline: Option<Instant>,
    ) -> Result<RawResponse, Failure> {
        // a request that gets no slot in time never leaves; without a deadline, a read waits for its slot
        // no longer than one exchange may take
        let slot_deadline = deadline.or_else(|| Some(Instant::now() + self.cfg.total_timeout));
        let _slot = self
            .acquire_slot(slot_deadline, None)
            .map_err(Failure::NotSent)?;
        self.exchange_slotted(path, query, body, headers, deadline)
    }

    /// Wait for the client-side rate limiter's next slot (at once without a limiter). A send takes its slot
    /// *before* it writes itself down as writing, so a crash while waiting leaves nothing "maybe sent".
    pub fn acquire_slot(
        &self,
        deadline: Option<Instant>,
        cancel: Option<&crate::polling::Cancel>,
    ) -> Result<Slot<'_>> {
        match &self.limiter {
            Some(l) => Ok(Slot(Some((l, l.acquire(deadline, cancel)?)))),
            None => Ok(Slot(None)),
        }
    }

    /// [`exchange`](Self::exchange) for a caller that already holds its rate-limit slot.
    pub fn exchange_slotted(
        &self,
        path: &str,
        query: &[(&str, String)],
        body: Option<&[u8]>,
        headers: &[(&str, &str)],
        deadline: Option<Instant>,
    ) -> Result<RawResponse, Failure> {
        let started = Instant::now();
        let url = self.url(path);
        let method = if body.is_some() { "POST" } else { "GET" };
        let (total, connect) = match deadline {
            None => (self.cfg.total_timeout, self.cfg.connect_timeout),
            Some(d) => {
                let left = d.saturating_duration_since(started);
                if left < Duration::from_millis(1) {
                    return Err(Failure::NotSent(Error::new(
                        ErrorKind::Timeout,
                        "deadline passed before the request was written",
                    )));
                }
                (
                    self.cfg.total_timeout.min(left),
                    self.cfg.connect_timeout.min(left),
                )
            }
        };
        let result = match body {
            None => {
                let mut req = self.agent.get(&url);
                if deadline.is_some() {
                    req = req
                        .config()
                        .timeout_global(Some(total))
                        .timeout_connect(Some(connect))
                        .build();
                }
                for (k, v) in query {
                    req = req.query(k, v);
                }
                for (k, v) in &self.wire {
                    req = req.header(*k, v.as_str());
                }
                for (k, v) in headers {
                    req = req.header(*k, *v);
                }
                req.call()
            }
            Some(b) => {
                let mut req = self
                    .agent
                    .post(&url)
                    .header("Content-Type", "application/json");
                if deadline.is_some() {
                    req = req
                        .config()
                        .timeout_global(Some(total))
                        .timeout_connect(Some(connect))
                        .build();
                }
                for (k, v) in query {
                    req = req.query(k, v);
                }
                for (k, v) in &self.wire {
                    req = req.header(*k, v.as_str());
                }
                for (k, v) in headers {
                    req = req.header(*k, *v);
                }
                req.send(b)
            }
        };
        let mut resp = match result {
            Ok(r) => r,
            Err(e) => {
                let f = classify(e);
                log::debug!(target: "clickairtime", "{method} {path} failed after {} ms: {:?}", started.elapsed().as_millis(), f);
                return Err(f);
            }
        };
        let status = resp.status().as_u16();
        let headers = resp.headers();
        let rate_limit = parse_rate_limit(headers);
        let retry_after = headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| Duration::from_secs_f64(s.min(86_400.0)));
        let mut body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| match classify(e) {
                // the answer started: whatever failed, the request was received
                Failure::NotSent(e) | Failure::MaybeSent(e) => Failure::MaybeSent(e),
            })?;
        self.scrub(&mut body);
        if let Some(l) = &self.limiter {
            l.observe(status, rate_limit, retry_after);
        }
        if rate_limit.is_some() {
            *self
                .last_rate_limit
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = rate_limit;
        }
        log::debug!(target: "clickairtime", "{method} {path} -> {status} in {} ms", started.elapsed().as_millis());
        Ok(RawResponse {
            status,
            body,
            rate_limit,
            retry_after,
        })
    }

    /// A read: retried on connection errors, timeouts, 5xx and 429, with exponential backoff and full jitter,
    /// honouring `Retry-After` up to `max_retry_after`. Returns the last answer (even a 5xx or 429) so the
    /// caller decodes the API's error, or the last transport error.
    pub fn get(&self, path: &str, query: &[(&str, String)]) -> Result<RawResponse> {
        self.get_until(path, query, None)
    }

    /// [`get`](Self::get) inside a budget: every attempt gets only what remains before `deadline`, and no
    /// retry starts (or sleeps) past it.
    pub fn get_until(
        &self,
        path: &str,
        query: &[(&str, String)],
        deadline: Option<Instant>,
    ) -> Result<RawResponse> {
        let mut attempt = 0u32;
        loop {
            let outcome = self.exchange(path, query, None, &[], deadline);
            let retryable = match &outcome {
                Ok(r) => r.status == 429 || r.status >= 500,
                Err(_) => true,
            };
            if !retryable || attempt >= self.cfg.max_retries {
                return outcome.map_err(Failure::into_error);
            }
            let delay = match &outcome {
                Ok(r) if r.status == 429 => match r.retry_after {
                    Some(d) if d > self.cfg.max_retry_after => {
                        return outcome.map_err(Failure::into_error);
                    }
                    Some(d) => d,
                    None => self.backoff(attempt),
                },
                Ok(r) => r
                    .retry_after
                    .filter(|d| *d <= self.cfg.max_retry_after)
                    .unwrap_or_else(|| self.backoff(attempt)),
                Err(_) => self.backoff(attempt),
            };
            if let Some(d) = deadline
                && Instant::now() + delay >= d
            {
                return outcome.map_err(Failure::into_error);
            }
            log::debug!(target: "clickairtime", "GET {path}: retry {} in {} ms", attempt + 1, delay.as_millis());
            std::thread::sleep(delay);
            attempt += 1;
        }
    }

    /// Replace every credential of this client that appears in an answer body (a gateway that echoes the
    /// `Authorization` header back, say) with `***`, so no kept body or log can carry it.
    fn scrub(&self, body: &mut Vec<u8>) {
        for needle in &self.scrub {
            replace_all(body, needle, b"***");
        }
    }

    /// Full-jitter exponential backoff for retry number `attempt` (0-based).
    pub fn backoff(&self, attempt: u32) -> Duration {
        backoff(self.cfg.retry_base_delay, self.cfg.max_retry_delay, attempt)
    }
}

/// A taken rate-limit slot: when dropped (the request finished, however), it counts from then on.
pub(crate) struct Slot<'a>(Option<(&'a crate::ratelimit::Limiter, Instant)>);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Some((l, stamp)) = self.0.take() {
            l.complete(stamp);
        }
    }
}

/// A random printable stand-in of `len` bytes for a credential (`Bearer ` kept, so the header still parses).
fn stand_in(real: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let len = real.len();
    let mut s = String::with_capacity(len);
    if real.starts_with("Bearer ") {
        s.push_str("Bearer ");
    }
    while s.len() < len {
        s.push(ALPHABET[fastrand::usize(..ALPHABET.len())] as char);
    }
    s
}

/// Replace every occurrence of `needle` in `hay` with `with`.
pub(crate) fn replace_all(hay: &mut Vec<u8>, needle: &memchr::memmem::Finder<'_>, with: &[u8]) {
    let Some(first) = needle.find(hay) else {
        return;
    };
    let n = needle.needle().len();
    let mut out = Vec::with_capacity(hay.len());
    out.extend_from_slice(&hay[..first]);
    let mut i = first;
    while let Some(at) = needle.find(&hay[i..]).map(|k| i + k) {
        out.extend_from_slice(&hay[i..at]);
        out.extend_from_slice(with);
        i = at + n;
    }
    out.extend_from_slice(&hay[i..]);
    *hay = out;
}

/// `random(0.5..1.0) * min(cap, base * 2^attempt)`: jittered but never zero.
pub(crate) fn backoff(base: Duration, cap: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.min(16)).min(cap);
    exp.mul_f64(0.5 + fastrand::f64() * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_all_replaces_every_occurrence() {
        let f = memchr::memmem::Finder::new(b"secret1");
        for (hay, want) in [
            ("secret1", "***"),
            ("xsecret1secret1y", "x******y"),
            ("a secret1 b secret1", "a *** b ***"),
            ("secret", "secret"),
            ("", ""),
            ("no match here", "no match here"),
        ] {
            let mut v = hay.as_bytes().to_vec();
            replace_all(&mut v, &f, b"***");
            assert_eq!(String::from_utf8(v).unwrap(), want, "{hay:?}");
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let base = Duration::from_millis(100);
        let cap = Duration::from_secs(1);
        for a in 0..20 {
            let d = backoff(base, cap, a);
            assert!(d <= cap, "{a}: {d:?}");
            assert!(d >= base.saturating_mul(1 << a.min(16)).min(cap) / 2);
        }
    }
}
