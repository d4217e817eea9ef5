//! A local emulator of the Click Airtime V1 (`/adp…`) and V2 (`/v2/…`) HTTP APIs, for tests.
//!
//! It listens on `127.0.0.1` only, serves both API versions from one base URL, moves top-ups through
//! `pending → processing → completed/failed` over configurable time, enforces idempotency and rate
//! limits, signs webhooks, and injects faults on request (magic phone numbers, [`Fault`]s or the
//! `/_sandbox/` control endpoints). Where the docs allow several readings it plays each of them
//! ([`DuplicateMode`], [`IdempotencyMode`], the V1 near-duplicate window), switchable at runtime, and
//! it counts requests for tests ([`Sandbox::stats`]). The behaviour contract is `CONTRACT.md` in this
//! crate.
//!
//! ```no_run
//! use clickairtime_sandbox::{Fault, Sandbox};
//!
//! let sandbox = Sandbox::start().expect("sandbox");
//! println!("{} {}", sandbox.base_url(), sandbox.api_key());
//! sandbox.inject(Fault::drop_after_commit().method("POST").path("/v2/topups"));
//! // ... run a client against sandbox.base_url() ...
//! assert_eq!(sandbox.transactions()["v2"].as_array().map(Vec::len), Some(0));
//! sandbox.shutdown();
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod catalog;
mod config;
mod control;
mod faults;
mod foreign;
mod http;
mod server;
mod shared;
mod state;
mod stats;
mod util;
mod v1;
mod v2;
mod webhooks;

pub use config::{DEFAULT_V1_EMAIL, DuplicateMode, IdempotencyMode, SandboxConfig, UnknownMode};
pub use faults::{Fault, FaultKind, UnknownFault};

/// The README's Rust code blocks, compiled (and run, unless `no_run`) by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

use shared::Shared;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread::JoinHandle;
use std::time::Duration;

/// A running sandbox. Stops on [`Sandbox::shutdown`] or when dropped.
pub struct Sandbox {
    shared: Arc<Shared>,
    addr: SocketAddr,
    base_url: String,
    accept: Option<JoinHandle<()>>,
    webhooks: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts a sandbox with the default configuration on an OS-chosen port.
    pub fn start() -> std::io::Result<Sandbox> {
        Sandbox::start_with(SandboxConfig::default())
    }

    /// Starts a sandbox with `config`. Fails if the port cannot be bound or the configured API key
    /// does not have the documented shape (`ce_live_` + 32 alphanumerics).
    pub fn start_with(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let resolved = config::Resolved::from_config(&config)?;
        let listener = TcpListener::bind(("127.0.0.1", config.port))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(resolved));
        let accept = {
            let sh = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("clickairtime-sandbox-accept".into())
                .spawn(move || server::accept_loop(listener, sh))?
        };
        let webhooks = {
            let sh = Arc::clone(&shared);
            match std::thread::Builder::new()
                .name("clickairtime-sandbox-webhooks".into())
                .spawn(move || webhooks::run(sh))
            {
                Ok(h) => h,
                Err(e) => {
                    stop(&shared, addr, Some(accept), None);
                    return Err(e);
                }
            }
        };
        let base_url = format!("http://{addr}");
        log::info!("clickairtime sandbox listening on {base_url}");
        Ok(Sandbox {
            shared,
            addr,
            base_url,
            accept: Some(accept),
            webhooks: Some(webhooks),
        })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The TCP port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The V2 API key (`Authorization: Bearer …`), also the webhook signing secret.
    pub fn api_key(&self) -> &str {
        &self.shared.cfg.api_key
    }

    /// The V1 e-mail (`X-Click-Airtime-Email`).
    pub fn v1_email(&self) -> &str {
        &self.shared.cfg.v1_email
    }

    /// The V1 token (`X-Click-Airtime-Token`).
    pub fn v1_token(&self) -> &str {
        &self.shared.cfg.v1_token
    }

    /// Injects a fault; same effect as `POST /_sandbox/faults`.
    pub fn inject(&self, fault: Fault) {
        control::inject(&self.shared, fault);
    }

    /// Every committed transaction, `{"v1": [...], "v2": [...]}`; same as `GET /_sandbox/transactions`.
    pub fn transactions(&self) -> serde_json::Value {
        control::transactions(&self.shared)
    }

    /// Every webhook delivery attempt, `{"deliveries": [...]}`; same as `GET /_sandbox/webhooks`.
    pub fn webhook_deliveries(&self) -> serde_json::Value {
        control::webhooks(&self.shared)
    }

    /// Clears transactions, faults, counters and webhook state, restores balances, and puts the
    /// runtime settings (duplicate and idempotency modes and windows) back to the configuration the
    /// sandbox started with; same as `POST /_sandbox/reset`.
    pub fn reset(&self) {
        control::reset(&self.shared);
    }

    /// Request counters, `{"v1": {...}, "v2": {...}}`; same as `GET /_sandbox/stats`. Each version
    /// has `requests`, `posts` (top-up writes received, whatever became of them), `committed`
    /// (transactions created), `requests_last_minute`, `requests_last_hour`,
    /// `max_requests_per_minute`, `max_requests_per_hour` (the most seen in any rolling minute /
    /// hour) and the same four for `posts`.
    pub fn stats(&self) -> serde_json::Value {
        control::stats(&self.shared)
    }

    /// The runtime settings, `{"duplicate_mode", "duplicate_window_ms", "idempotency_mode",
    /// "v1_duplicate_window_ms"}`; same as `GET /_sandbox/config`.
    pub fn config(&self) -> serde_json::Value {
        control::config(&self.shared)
    }

    /// Changes what the V2 duplicate window answers, from the next request on.
    pub fn set_duplicate_mode(&self, mode: DuplicateMode) {
        control::update(&self.shared, |m| m.duplicate_mode = mode);
    }

    /// Changes the V2 duplicate window (zero: off), from the next request on.
    pub fn set_duplicate_window(&self, window: Duration) {
        control::update(&self.shared, |m| m.duplicate_window = window);
    }

    /// Changes what a reused V2 `Idempotency-Key` answers, from the next request on.
    pub fn set_idempotency_mode(&self, mode: IdempotencyMode) {
        control::update(&self.shared, |m| m.idempotency_mode = mode);
    }

    /// Changes the V1 near-duplicate window (zero: off), from the next request on.
    pub fn set_v1_duplicate_window(&self, window: Duration) {
        control::update(&self.shared, |m| m.v1_duplicate_window = window);
    }

    /// Stops accepting, closes every connection and joins every thread. Dropping does the same.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        let accept = self.accept.take();
        let hooks = self.webhooks.take();
        stop(&self.shared, self.addr, accept, hooks);
    }
}

fn stop(
    shared: &Shared,
    addr: SocketAddr,
    accept: Option<JoinHandle<()>>,
    hooks: Option<JoinHandle<()>>,
) {
    if shared.stop.swap(true, Ordering::SeqCst) {
        return;
    }
    // Wake the accept loop, which checks the flag after each accepted connection.
    if let Some(h) = accept {
        let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
        let _ = h.join();
    }
    shared.close_connections();
    if let Some(h) = hooks {
        let _ = h.join();
    }
    log::info!("clickairtime sandbox on {addr} stopped");
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.stop_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn sandbox_is_send_and_sync() {
        assert_send_sync::<Sandbox>();
    }

    #[test]
    fn start_and_drop_quickly() {
        let t = std::time::Instant::now();
        let sb = Sandbox::start().unwrap();
        assert!(sb.base_url().starts_with("http://127.0.0.1:"));
        assert!(util::is_well_formed_api_key(sb.api_key()));
        assert_eq!(sb.v1_email(), DEFAULT_V1_EMAIL);
        drop(sb);
        assert!(t.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn malformed_configured_key_is_rejected() {
        let err = Sandbox::start_with(SandboxConfig::default().api_key("nope")).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    }
}
