//! The fault matrix of issue 10: every money-path scenario of items 1–7, for V2 and V1, each against a
//! small hostile local server (`support::TestServer`, scripted over a ledger) or the sandbox. Each case
//! asserts the exact end of the send (kind, or success with its `meta.origin`), the fields that name the
//! sale or the other sale, and how many writes reached the server / how many transactions it holds.

mod edges;
mod handles;
mod lookups;
mod lost;
mod refusals;
mod waits;

#[path = "../support/mod.rs"]
mod support;

use clickairtime::money::{Decimal, parse_amount};
use clickairtime::v1::{self, SendTopUp, TransactionState};
use clickairtime::v2::{self, CreateTopUp, TopUpStatus, idempotency_key_for, webhooks};
use clickairtime::{ClientBuilder, ErrorKind, SendOrigin, WaitOptions};
use clickairtime_sandbox::{DuplicateMode, Fault, IdempotencyMode, Sandbox, SandboxConfig};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use support::{
    KEY, Reply, Seen, Stopper, TOKEN, scripted, v1_answer, v1_list, v1_record, v2_error, v2_one,
    v2_record,
};

const PHONE: &str = "+233541112259";
const MSISDN: &str = "233541112259";
const OTHER_ID: &str = "99999999-9999-4999-8999-999999999999";
const SEND_DEADLINE: Duration = Duration::from_millis(1500);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn v2b(url: &str) -> ClientBuilder<v2::ApiKey> {
    v2::Client::builder(KEY)
        .base_url(url)
        .retry_base_delay(ms(5))
        .max_retry_delay(ms(40))
        .read_timeout(ms(400))
        .timeout(Duration::from_secs(2))
        .send_deadline(SEND_DEADLINE)
}

fn v1b(url: &str) -> ClientBuilder<v1::Credentials> {
    v1::Client::builder("pos@example.com", TOKEN)
        .base_url(url)
        .retry_base_delay(ms(5))
        .max_retry_delay(ms(40))
        .read_timeout(ms(400))
        .timeout(Duration::from_secs(2))
        .send_deadline(SEND_DEADLINE)
}

fn v2c(url: &str) -> v2::Client {
    v2b(url).build().unwrap()
}

fn v1c(url: &str) -> v1::Client {
    v1b(url).build().unwrap()
}

fn order(reference: &str) -> CreateTopUp {
    CreateTopUp::amount(PHONE, 42, Decimal::from(50), "GHS").reference(reference)
}

fn v1_order(ext_ref_id: &str) -> SendTopUp {
    SendTopUp::amount(MSISDN, Decimal::from(50)).ext_ref_id(ext_ref_id)
}

fn is_post(req: &Seen) -> bool {
    req.method == "POST"
}

/// Another sale's V2 record: same phone, network and amount as `order`, another reference.
fn other_sale_v2() -> serde_json::Value {
    v2_record(OTHER_ID, "sale-0", PHONE, 42, "50", "GHS", "completed")
}

/// A V2 record with our reference but another phone and amount.
fn foreign_v2(reference: &str) -> serde_json::Value {
    v2_record(
        OTHER_ID,
        reference,
        "+233249870001",
        42,
        "4321",
        "GHS",
        "completed",
    )
}

fn assert_unknown(e: &clickairtime::Error, reference: &str) {
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e:?}");
    assert_eq!(e.reference(), Some(reference), "{e:?}");
    assert!(!e.kind().is_definitely_not_sent());
}

fn sandbox() -> Sandbox {
    Sandbox::start_with(
        SandboxConfig::default()
            .processing_after(ms(20))
            .complete_after(ms(80))
            .slow_delay(ms(1200)),
    )
    .unwrap()
}

fn sv2(s: &Sandbox) -> ClientBuilder<v2::ApiKey> {
    v2::Client::builder(s.api_key())
        .base_url(s.base_url())
        .retry_base_delay(ms(10))
        .max_retry_delay(ms(60))
        .read_timeout(ms(400))
        .send_deadline(Duration::from_secs(4))
}

fn sv1(s: &Sandbox) -> ClientBuilder<v1::Credentials> {
    v1::Client::builder(s.v1_email(), s.v1_token())
        .base_url(s.base_url())
        .retry_base_delay(ms(10))
        .max_retry_delay(ms(60))
        .read_timeout(ms(400))
        .send_deadline(Duration::from_secs(4))
}

fn txs(s: &Sandbox, version: &str) -> Vec<serde_json::Value> {
    s.transactions()[version]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn posts(s: &Sandbox, version: &str) -> u64 {
    s.stats()[version]["posts"].as_u64().unwrap()
}
