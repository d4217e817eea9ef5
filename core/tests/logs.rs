//! Credentials never reach log records — ours or ureq's — at any level, and never stay in an error's body.
//!
//! ureq-proto dumps every byte it writes and reads at TRACE (target `ureq_proto::util`) as hex rows of 16
//! bytes, so a credential can hide in the hex, split across rows. The core hands ureq a same-length stand-in
//! and swaps the real value in below that layer; these tests decode the rows back to bytes and look for the
//! credentials there too.

mod support;

use clickairtime::money::Decimal;
use clickairtime::{ErrorKind, v1, v2};
use clickairtime_sandbox::{Fault, Sandbox};
use std::sync::{Mutex, Once};
use std::thread::ThreadId;
use std::time::Duration;
use support::{KEY, Reply, TOKEN, TestServer};

struct Record {
    thread: ThreadId,
    target: String,
    line: String,
}

struct Capture(Mutex<Vec<Record>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, r: &log::Record) {
        self.0.lock().unwrap().push(Record {
            thread: std::thread::current().id(),
            target: r.target().to_owned(),
            line: format!("{} {} {}", r.level(), r.target(), r.args()),
        });
    }
    fn flush(&self) {}
}

static LOGS: Capture = Capture(Mutex::new(Vec::new()));

fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        log::set_logger(&LOGS).unwrap();
        log::set_max_level(log::LevelFilter::Trace);
    });
}

/// Every record logged so far by this thread (ureq does its I/O on the calling thread).
fn mine() -> Vec<(String, String)> {
    let me = std::thread::current().id();
    LOGS.0
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.thread == me)
        .map(|r| (r.target.clone(), r.line.clone()))
        .collect()
}

/// The bytes of ureq-proto's TRACE hex rows, in order. A row is 8 groups of 4 hex digits (`--` pads a
/// short row), then the printable column.
fn wire_bytes(records: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (target, line) in records {
        if target != "ureq_proto::util" {
            continue;
        }
        let text = line.splitn(3, ' ').nth(2).unwrap_or("");
        for group in text.split_whitespace().take(8) {
            assert_eq!(group.len(), 4, "not a hex row: {line}");
            for pair in [&group[..2], &group[2..]] {
                if pair != "--" {
                    out.push(
                        u8::from_str_radix(pair, 16).unwrap_or_else(|_| panic!("not hex: {line}")),
                    );
                }
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The value that follows `header: ` (case-insensitive name) in the wire bytes, every time.
fn header_values(wire: &[u8], header: &str) -> Vec<String> {
    let text = String::from_utf8_lossy(wire).to_string();
    let lower = text.to_ascii_lowercase();
    let needle = format!("{}: ", header.to_ascii_lowercase());
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&needle) {
        let start = from + i + needle.len();
        let end = text[start..].find("\r\n").map_or(text.len(), |e| start + e);
        out.push(text[start..end].to_owned());
        from = end;
    }
    out
}

#[test]
fn no_secret_in_any_log_record() {
    install();
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
    let secrets = [
        s.api_key(),
        s.v1_token(),
        "ce_live_bad0000000000000000000000000000",
        "secret-token-123",
    ];
    // every record of every thread, as text
    {
        let logs = LOGS.0.lock().unwrap();
        assert!(
            logs.iter().any(|r| r.target.starts_with("ureq")),
            "ureq's own records were captured too"
        );
        assert!(
            logs.iter().any(|r| r.target == "clickairtime"),
            "records were captured"
        );
        for secret in secrets {
            for r in logs.iter() {
                assert!(!r.line.contains(secret), "secret in log: {}", r.line);
            }
        }
    }
    // the wire dump of this thread, decoded from hex
    let wire = wire_bytes(&mine());
    assert!(
        wire.len() > 1000,
        "ureq's TRACE wire dump was captured ({} bytes)",
        wire.len()
    );
    for secret in secrets {
        assert!(
            !contains(&wire, secret.as_bytes()),
            "a credential is in ureq's TRACE wire dump"
        );
    }
    // the headers were dumped, each with a stand-in of the credential's length
    let auth = header_values(&wire, "authorization");
    assert!(auth.len() >= 3, "{auth:?}");
    for v in &auth {
        assert!(v.starts_with("Bearer "), "{v}");
        assert!(v.len() == s.api_key().len() + 7 || v.len() == 39 + 7, "{v}");
    }
    let tokens = header_values(&wire, "x-click-airtime-token");
    assert!(!tokens.is_empty());
    for v in &tokens {
        assert!(
            v.len() == s.v1_token().len() || v.len() == "secret-token-123".len(),
            "{v}"
        );
        assert_ne!(v, s.v1_token());
    }
}

/// A server that echoes the request's credentials back in an error body, like some gateways do.
fn echo_server(status: u16) -> TestServer {
    TestServer::start(move |req, _| {
        let auth = req.header("authorization").unwrap_or("").to_owned();
        let token = req.header("x-click-airtime-token").unwrap_or("").to_owned();
        if req.path().starts_with("/v2") {
            Reply::json(
                status,
                serde_json::to_vec(&serde_json::json!({
                    "success": false,
                    "error": {"code": "INVALID_REQUEST", "message": format!("rejected header {auth}"), "details": {"authorization": auth, "key": auth.trim_start_matches("Bearer ")}}
                }))
                .unwrap(),
            )
        } else {
            Reply::json(
                status,
                serde_json::to_vec(&serde_json::json!({"message": format!("token {token} rejected"), "statusCode": status}))
                    .unwrap(),
            )
        }
    })
}

#[test]
fn a_credential_echoed_in_an_answer_is_scrubbed_from_the_error() {
    install();
    let s = echo_server(400);
    let c2 = support::v2(&s.url);
    let e = c2.balance().list().unwrap_err();
    let body = e.body().unwrap();
    assert!(
        s.seen()[0].header("authorization").unwrap().contains(KEY),
        "the server did get the key"
    );
    assert!(!body.contains(KEY), "{body}");
    assert!(body.contains("***"), "{body}");
    assert!(!e.message().contains(KEY));
    assert!(!format!("{e:?}").contains(KEY) && !format!("{e}").contains(KEY));
    let c1 = support::v1(&s.url);
    let e = c1.balances().unwrap_err();
    let body = e.body().unwrap();
    assert!(!body.contains(TOKEN), "{body}");
    assert!(body.contains("***"), "{body}");
    assert!(!format!("{e:?}").contains(TOKEN));
    // the body an OUTCOME_UNKNOWN keeps (a 5xx to a send), too
    let s = echo_server(500);
    let e = clickairtime::v2::Client::builder(KEY)
        .base_url(&s.url)
        .retry_base_delay(Duration::from_millis(5))
        .send_deadline(Duration::from_millis(600))
        .build()
        .unwrap()
        .topups()
        .create(&v2::CreateTopUp::amount(
            "+233541112259",
            42,
            Decimal::from(5),
            "GHS",
        ))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e:?}");
    assert!(!format!("{e:?}").contains(KEY), "{e:?}");
    // and no record of ours says it
    for (_, line) in mine() {
        assert!(!line.contains(KEY) && !line.contains(TOKEN), "{line}");
    }
}

#[test]
fn a_credential_echoed_in_an_answer_is_not_in_the_trace_dump() {
    install();
    let s = echo_server(400);
    let _ = support::v2(&s.url).balance().list().unwrap_err();
    let _ = support::v1(&s.url).balances().unwrap_err();
    let wire = wire_bytes(&mine());
    assert!(contains(&wire, b"rejected"), "the answers were dumped");
    assert!(
        !contains(&wire, KEY.as_bytes()),
        "the echoed API key is in the TRACE dump"
    );
    assert!(
        !contains(&wire, TOKEN.as_bytes()),
        "the echoed V1 token is in the TRACE dump"
    );
}
