//! Credentials never reach log records — ours or ureq's — at any level.

use clickairtime::money::Decimal;
use clickairtime::{v1, v2};
use clickairtime_sandbox::{Fault, Sandbox};
use std::sync::Mutex;
use std::time::Duration;

struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, r: &log::Record) {
        self.0
            .lock()
            .unwrap()
            .push(format!("{} {} {}", r.level(), r.target(), r.args()));
    }
    fn flush(&self) {}
}

static LOGS: Capture = Capture(Mutex::new(Vec::new()));

#[test]
fn no_secret_in_any_log_record() {
    log::set_logger(&LOGS).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let s = Sandbox::start().unwrap();
    let c2 = v2::Client::builder(s.api_key())
        .base_url(s.base_url())
        .read_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let c1 = v1::Client::builder(s.v1_email(), s.v1_token())
        .base_url(s.base_url())
        .build()
        .unwrap();
    c2.catalog().lookup(Some("+233541112259"), None).unwrap();
    s.inject(Fault::drop_after_commit().method("POST").path("/v2/topups"));
    c2.topups()
        .create(&v2::CreateTopUp::amount(
            "+233541112259",
            42,
            Decimal::from(5),
            "GHS",
        ))
        .unwrap();
    c1.send_topup(&v1::SendTopUp::amount("233541112259", Decimal::from(5)))
        .unwrap();
    let _ = v2::Client::builder("ce_live_bad0000000000000000000000000000")
        .base_url(s.base_url())
        .build()
        .unwrap()
        .balance()
        .list();
    let _ = v1::Client::builder("x@y.z", "secret-token-123")
        .base_url(s.base_url())
        .build()
        .unwrap()
        .balances();
    let logs = LOGS.0.lock().unwrap();
    assert!(
        logs.iter().any(|l| l.contains("ureq")),
        "ureq's own records were captured too"
    );
    assert!(
        logs.iter().any(|l| l.contains("clickairtime")),
        "records were captured"
    );
    for secret in [
        s.api_key(),
        s.v1_token(),
        "ce_live_bad0000000000000000000000000000",
        "secret-token-123",
    ] {
        for line in logs.iter() {
            assert!(!line.contains(secret), "secret in log: {line}");
        }
    }
}
