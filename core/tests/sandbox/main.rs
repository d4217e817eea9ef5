//! Every core operation against the sandbox over real HTTP: both versions, errors, quirks, waits,
//! pagination, webhooks, rate limits, and the money-safety protocol under each injected fault.

mod api_v1;
mod api_v2;
mod hooks;
mod ratelimit;
mod safety;

#[path = "../support/mod.rs"]
mod support;

use clickairtime::money::Decimal;
use clickairtime::v1::{self, ProcessingMode, SendTopUp, TransactionFilter, TransactionState};
use clickairtime::v2::{self, CreateTopUp, ListTopUps, TopUpStatus, webhooks};
use clickairtime::{ErrorKind, WaitOptions};
use clickairtime_sandbox::{Fault, Sandbox, SandboxConfig};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

const PHONE: &str = "+233541112259";

fn sandbox() -> Sandbox {
    Sandbox::start_with(
        SandboxConfig::default()
            .processing_after(Duration::from_millis(50))
            .complete_after(Duration::from_millis(200))
            .slow_delay(Duration::from_millis(1500)),
    )
    .unwrap()
}

fn v2c(s: &Sandbox) -> v2::Client {
    v2::Client::builder(s.api_key())
        .base_url(format!("{}/v2", s.base_url()))
        .retry_base_delay(Duration::from_millis(20))
        .max_retry_delay(Duration::from_millis(100))
        .read_timeout(Duration::from_millis(700))
        .send_deadline(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn v1c(s: &Sandbox) -> v1::Client {
    v1::Client::builder(s.v1_email(), s.v1_token())
        .base_url(s.base_url())
        .retry_base_delay(Duration::from_millis(20))
        .max_retry_delay(Duration::from_millis(100))
        .read_timeout(Duration::from_millis(700))
        .send_deadline(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn fast_wait() -> WaitOptions {
    WaitOptions {
        deadline: Duration::from_secs(10),
        initial_interval: Duration::from_millis(50),
        max_interval: Duration::from_millis(200),
        ..WaitOptions::default()
    }
}

fn magic(n: u32) -> String {
    format!("+2335550000{n:02}")
}

fn count(s: &Sandbox, version: &str) -> usize {
    s.transactions()[version]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0)
}

fn ghs(n: i64) -> Decimal {
    Decimal::from(n)
}
