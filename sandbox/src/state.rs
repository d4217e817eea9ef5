//! Mutable sandbox state: transactions, wallets, idempotency, rate limits, faults, webhook log,
//! runtime modes and counters.

use crate::catalog::{self, Network};
use crate::config::Modes;
use crate::faults::Fault;
use crate::stats::Stats;
use crate::util;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// How a top-up ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Success,
    DeliveryFailed,
    Timeout,
    Underdelivered,
    Cancelled,
}

impl Outcome {
    /// V2 `failure_reason`.
    pub fn failure_reason(self) -> Option<&'static str> {
        match self {
            Outcome::Success => None,
            Outcome::DeliveryFailed => Some("delivery_failed"),
            Outcome::Timeout => Some("timeout"),
            Outcome::Underdelivered => Some("underdelivered"),
            Outcome::Cancelled => Some("cancelled"),
        }
    }

    /// V1 terminal state.
    pub fn v1_state(self) -> &'static str {
        match self {
            Outcome::Success => "SUCCESS",
            Outcome::DeliveryFailed => "FAILED",
            Outcome::Timeout => "TIMEOUT",
            Outcome::Underdelivered => "UNDERLIVERED",
            Outcome::Cancelled => "CANCELED",
        }
    }
}

/// Where a top-up is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    Pending,
    Processing,
    Terminal,
}

/// A top-up's timeline, evaluated lazily.
#[derive(Debug, Clone)]
pub(crate) struct Timeline {
    pub created: Instant,
    pub created_wall: OffsetDateTime,
    pub processing_after: Duration,
    pub terminal_after: Duration,
    pub outcome: Outcome,
}

impl Timeline {
    pub fn new(processing_after: Duration, terminal_after: Duration, outcome: Outcome) -> Timeline {
        Timeline {
            created: Instant::now(),
            created_wall: util::now_wall(),
            processing_after,
            terminal_after: terminal_after.max(processing_after),
            outcome,
        }
    }

    pub fn phase(&self, now: Instant) -> Phase {
        let elapsed = now.saturating_duration_since(self.created);
        if elapsed >= self.terminal_after {
            Phase::Terminal
        } else if elapsed >= self.processing_after {
            Phase::Processing
        } else {
            Phase::Pending
        }
    }

    /// Terminal and not successful (so not debited).
    pub fn failed(&self, now: Instant) -> bool {
        self.phase(now) == Phase::Terminal && self.outcome != Outcome::Success
    }

    pub fn terminal_wall(&self) -> OffsetDateTime {
        self.created_wall + self.terminal_after
    }
}

/// A V2 wallet of the sandbox account.
pub(crate) struct Wallet {
    pub id: &'static str,
    pub currency: &'static str,
    pub initial: &'static str,
    pub kind: &'static str,
    pub allowed_countries: &'static [&'static str],
}

/// The V2 wallets (the documented example's ids and balances).
pub(crate) static WALLETS: &[Wallet] = &[
    Wallet {
        id: "wal_global_001",
        currency: "USD",
        initial: "1000.00",
        kind: "global",
        allowed_countries: &["All Countries"],
    },
    Wallet {
        id: "wal_ghs_001",
        currency: "GHS",
        initial: "3090.00",
        kind: "local",
        allowed_countries: &["Ghana"],
    },
];

/// Initial V1 balance of a service account: (currency, amount).
pub(crate) fn v1_initial(net: &Network) -> (&'static str, Decimal) {
    if net.id == 42 {
        ("GHS", Decimal::new(500_000, 2))
    } else {
        ("USD", Decimal::new(100_000, 2))
    }
}

/// A V2 top-up.
#[derive(Debug, Clone)]
pub(crate) struct V2Topup {
    pub seq: u64,
    pub id: String,
    pub api_key: String,
    pub phone: String,
    pub network_id: u32,
    /// Delivered local amount and currency (null for data bundles).
    pub amount: Option<(Decimal, &'static str)>,
    pub product_id: Option<Value>,
    pub product_name: Option<String>,
    pub cost_usd: Decimal,
    pub wallet_id: &'static str,
    pub wallet_debit: Decimal,
    pub sms: Value,
    pub reference: Option<String>,
    pub provider_reference: String,
    pub metadata: Value,
    pub callback_url: Option<String>,
    /// phone|network|amount-or-product, for the duplicate window.
    pub dedupe_key: String,
    pub timeline: Timeline,
    /// Webhook events already queued: 0 none, 1 processing, 2 terminal.
    pub webhook_stage: u8,
}

/// A V1 transaction.
#[derive(Debug, Clone)]
pub(crate) struct V1Txn {
    pub id: String,
    pub msisdn: String,
    pub network_id: u32,
    pub amount: Decimal,
    /// `productId` as sent (for the near-duplicate window).
    pub product_id: Option<u64>,
    pub ext_ref_id: Option<String>,
    pub wallet_currency: &'static str,
    pub wallet_amount: Decimal,
    pub fx_rate: Option<Decimal>,
    pub provider_tx: String,
    pub provider_ref: String,
    pub timeline: Timeline,
}

/// One webhook delivery waiting to be attempted.
#[derive(Debug, Clone)]
pub(crate) struct PendingDelivery {
    pub generation: u64,
    pub topup_id: String,
    pub event: &'static str,
    pub url: String,
    pub body: String,
    pub secret: String,
    pub attempt: u32,
    pub next_at: Instant,
}

/// Rate-limit window of one API key.
#[derive(Debug, Clone, Copy)]
struct RateWindow {
    start: Instant,
    start_unix: u64,
    count: u32,
}

/// Result of counting one request against the rate limit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RateInfo {
    pub limit: u32,
    pub remaining: u32,
    pub reset_unix: u64,
    /// `Some(retry_after_secs)` when over the limit.
    pub exceeded: Option<u64>,
}

/// All mutable state.
#[derive(Default)]
pub(crate) struct State {
    pub seq: u64,
    pub v2: Vec<V2Topup>,
    pub v1: Vec<V1Txn>,
    /// (api key, Idempotency-Key) → (top-up id, when).
    pub idempotency: HashMap<(String, String), (String, Instant)>,
    /// (api "v1"/"v2", magic suffix, key) already seen once.
    pub magic_seen: HashSet<(&'static str, u8, String)>,
    pub faults: Vec<Fault>,
    rate: HashMap<String, RateWindow>,
    pub webhook_log: Vec<Value>,
    pub webhook_queue: Vec<PendingDelivery>,
    pub generation: u64,
    /// Settings that can change at runtime (`POST /_sandbox/config`).
    pub modes: Modes,
    pub stats: Stats,
}

impl State {
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// A fresh state with these modes.
    pub fn new(modes: Modes) -> State {
        State {
            modes,
            ..State::default()
        }
    }

    /// Clears everything (balances are derived from transactions, so they are restored too) and
    /// puts the runtime modes back to `modes` (the configuration the sandbox started with).
    pub fn reset(&mut self, modes: Modes) {
        let generation = self.generation + 1;
        let seq = self.seq;
        *self = State::new(modes);
        self.generation = generation;
        self.seq = seq;
    }

    /// Current balance of a V2 wallet.
    pub fn wallet_balance(&self, w: &Wallet, now: Instant) -> Decimal {
        let initial: Decimal = w.initial.parse().unwrap_or_default();
        let spent: Decimal = self
            .v2
            .iter()
            .filter(|t| t.wallet_id == w.id && !t.timeline.failed(now))
            .map(|t| t.wallet_debit)
            .sum();
        initial - spent
    }

    /// Current balance of a V1 service account.
    pub fn v1_balance(&self, net: &Network, now: Instant) -> Decimal {
        let (_, initial) = v1_initial(net);
        let spent: Decimal = self
            .v1
            .iter()
            .filter(|t| t.network_id == net.id && !t.timeline.failed(now))
            .map(|t| t.wallet_amount)
            .sum();
        initial - spent
    }

    /// Counts one request of `key` and reports the limit state (fixed windows of `window`, a minute by
    /// default). Every counted request and every 429 it causes go to the stats.
    pub fn rate_check(&mut self, key: &str, limit: u32, window: Duration) -> RateInfo {
        let now = Instant::now();
        let w = self.rate.entry(key.to_string()).or_insert(RateWindow {
            start: now,
            start_unix: util::unix_now(),
            count: 0,
        });
        if now.duration_since(w.start) >= window {
            *w = RateWindow {
                start: now,
                start_unix: util::unix_now(),
                count: 0,
            };
        }
        w.count = w.count.saturating_add(1);
        let reset_unix = w.start_unix + ceil_secs(window);
        let exceeded = (w.count > limit).then(|| {
            let left = window.saturating_sub(now.duration_since(w.start));
            ceil_secs(left).max(1)
        });
        let count = w.count;
        self.stats
            .rate_counted(count.min(limit.saturating_add(1)), exceeded.is_some());
        RateInfo {
            limit,
            remaining: limit.saturating_sub(count),
            reset_unix,
            exceeded,
        }
    }

    /// Rate headers for a request that is not counted (e.g. unauthenticated).
    pub fn rate_peek(&self, key: Option<&str>, limit: u32, window: Duration) -> RateInfo {
        let w = key.and_then(|k| self.rate.get(k)).copied();
        match w {
            Some(w) if w.start.elapsed() < window => RateInfo {
                limit,
                remaining: limit.saturating_sub(w.count),
                reset_unix: w.start_unix + ceil_secs(window),
                exceeded: None,
            },
            _ => RateInfo {
                limit,
                remaining: limit,
                reset_unix: util::unix_now() + ceil_secs(window),
                exceeded: None,
            },
        }
    }

    /// Takes one use of the oldest fault that matches the request and has no requests left to
    /// skip. Every matching fault that still has requests to skip counts this one as skipped.
    pub fn take_fault(&mut self, method: &str, path: &str) -> Option<Fault> {
        let mut chosen = None;
        for (i, f) in self.faults.iter_mut().enumerate() {
            if !f.matches(method, path) {
                continue;
            }
            if f.skip_one() {
                continue;
            }
            if chosen.is_none() {
                chosen = Some(i);
            }
        }
        let i = chosen?;
        let f = self.faults[i].clone();
        if self.faults[i].consume_one() {
            self.faults.remove(i);
        }
        Some(f)
    }

    /// Marks (api, magic, key) as seen; returns true the first time.
    pub fn first_time(&mut self, api: &'static str, magic: u8, key: &str) -> bool {
        self.magic_seen.insert((api, magic, key.to_string()))
    }

    /// Looks a network up for a stored top-up (always present: ids come from the catalog).
    pub fn network(id: u32) -> &'static Network {
        catalog::network(id).unwrap_or(&catalog::NETWORKS[0])
    }
}

/// The magic suffix (last two digits) of a number starting with `+23355500` / `23355500`.
pub(crate) fn magic_suffix(number: &str) -> Option<u8> {
    let digits = number.strip_prefix('+').unwrap_or(number);
    let rest = digits.strip_prefix("23355500")?;
    if rest.len() == 4 && rest.bytes().all(|b| b.is_ascii_digit()) && rest.starts_with("00") {
        rest[2..].parse().ok()
    } else {
        None
    }
}

/// Whole seconds, rounded up.
fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers() {
        assert_eq!(magic_suffix("+233555000001"), Some(1));
        assert_eq!(magic_suffix("233555000014"), Some(14));
        assert_eq!(magic_suffix("+233555001014"), None);
        assert_eq!(magic_suffix("+233541112259"), None);
    }

    #[test]
    fn timeline_phases() {
        let t = Timeline::new(
            Duration::from_millis(10),
            Duration::from_millis(20),
            Outcome::Timeout,
        );
        assert_eq!(t.phase(t.created), Phase::Pending);
        assert_eq!(
            t.phase(t.created + Duration::from_millis(15)),
            Phase::Processing
        );
        assert_eq!(
            t.phase(t.created + Duration::from_millis(20)),
            Phase::Terminal
        );
        assert!(t.failed(t.created + Duration::from_millis(25)));
    }

    #[test]
    fn faults_skip_their_first_matching_requests() {
        let mut s = State::default();
        s.faults
            .push(Fault::server_error().method("POST").skip(1).count(1));
        s.faults.push(Fault::drop_before_commit().path("/v2"));
        assert!(
            s.take_fault("GET", "/v2/topups")
                .is_some_and(|f| f.get_skip() == 0)
        );
        assert!(s.take_fault("POST", "/adp").is_none());
        let f = s.take_fault("POST", "/v2/topups").unwrap();
        assert_eq!(f.kind(), crate::FaultKind::ServerError);
        assert!(s.faults.is_empty());
    }

    #[test]
    fn rate_limit_counts() {
        let mut s = State::default();
        assert_eq!(s.rate_check("k", 2, Duration::from_secs(60)).remaining, 1);
        assert_eq!(s.rate_check("k", 2, Duration::from_secs(60)).remaining, 0);
        let third = s.rate_check("k", 2, Duration::from_secs(60));
        assert!(third.exceeded.is_some());
        assert!(
            s.rate_check("other", 2, Duration::from_secs(60))
                .exceeded
                .is_none()
        );
    }
}
