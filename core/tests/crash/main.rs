//! Crash tests with real processes: a child (this test binary, re-executed to run the ignored test
//! `crash_child`) sends through a journaled client and is SIGKILLed — after the server committed its POST,
//! and, separately, before any POST reached the server. A fresh process (or a fresh client here, on the
//! same journal file) then runs `pending()` and `recover()`: exactly one transaction at the end, the journal
//! says `sent` with its id, and selling the same reference again does not write again.
//!
//! Also: two processes sharing one journal send the same reference at once (one write), and the journal's
//! plain guarantees without a crash.

mod parent;
mod plain;

#[path = "../support/mod.rs"]
mod support;

use clickairtime::money::Decimal;
use clickairtime::v1::{self, SendTopUp};
use clickairtime::v2::{self, CreateTopUp};
use clickairtime::{ErrorKind, SendOrigin, SendState};
use clickairtime_sandbox::{Fault, Sandbox, SandboxConfig};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::{ChildProc, remove_journal, temp_path, wait_until};

const PHONE: &str = "+233541112259";
const MSISDN: &str = "233541112259";
const CHILD: &str = "crash_child";

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn v2_order(reference: &str) -> CreateTopUp {
    CreateTopUp::amount(PHONE, 42, Decimal::from(5), "GHS").reference(reference)
}

fn v1_order(reference: &str) -> SendTopUp {
    SendTopUp::amount(MSISDN, Decimal::from(5)).ext_ref_id(reference)
}

// ---------------------------------------------------------------------------------------------------------
// The child
// ---------------------------------------------------------------------------------------------------------

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn env_ms(name: &str, default: u64) -> Duration {
    ms(env(name).and_then(|v| v.parse().ok()).unwrap_or(default))
}

fn child_v2(url: &str, journal: &str) -> v2::Client {
    v2::Client::builder(env("CRASH_KEY").unwrap())
        .base_url(url)
        .journal(journal)
        .retry_base_delay(ms(20))
        .max_retry_delay(ms(100))
        .read_timeout(env_ms("CRASH_READ_MS", 30_000))
        .convergence_bound(env_ms("CRASH_BOUND_MS", 13 * 60_000))
        .send_deadline(env_ms("CRASH_DEADLINE_MS", 120_000))
        .build()
        .unwrap()
}

fn child_v1(url: &str, journal: &str) -> v1::Client {
    v1::Client::builder(env("CRASH_EMAIL").unwrap(), env("CRASH_TOKEN").unwrap())
        .base_url(url)
        .journal(journal)
        .retry_base_delay(ms(20))
        .max_retry_delay(ms(100))
        .read_timeout(env_ms("CRASH_READ_MS", 30_000))
        .convergence_bound(env_ms("CRASH_BOUND_MS", 13 * 60_000))
        .send_deadline(env_ms("CRASH_DEADLINE_MS", 120_000))
        .build()
        .unwrap()
}

fn say(line: String) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "\n{line}");
    let _ = out.flush();
}

fn ended<T>(
    r: clickairtime::Result<clickairtime::Response<T>>,
    id: impl Fn(&T) -> String,
) -> String {
    match r {
        Ok(r) => format!(
            "ok {} {}",
            r.meta.origin.map(|o| o.as_str()).unwrap_or("none"),
            id(&r.data)
        ),
        Err(e) => format!("err {}", e.kind()),
    }
}

/// The child: `CRASH_ROLE=send` sends one order (after `CRASH_GATE` exists, if given) and prints
/// `CHILD-RESULT …`; `CRASH_ROLE=recover` prints `CHILD-PENDING n`, then `CHILD-RECOVERED state id` per entry.
/// Without `CRASH_ROLE` (a plain `cargo test -- --ignored`) it does nothing.
#[test]
#[ignore = "the child process of the crash tests; they run it"]
fn crash_child() {
    let Some(role) = env("CRASH_ROLE") else {
        return;
    };
    let url = env("CRASH_URL").unwrap();
    let journal = env("CRASH_JOURNAL").unwrap();
    let reference = env("CRASH_REF").unwrap_or_default();
    let v1 = env("CRASH_API").as_deref() == Some("v1");
    let (c2, c1) = if v1 {
        (None, Some(child_v1(&url, &journal)))
    } else {
        (Some(child_v2(&url, &journal)), None)
    };
    support::warm_phone_rules();
    say("CHILD-READY journal open".into());
    match role.as_str() {
        "send" => {
            if let Some(gate) = env("CRASH_GATE") {
                // blocked before sending, until the parent opens the gate (or never)
                let end = Instant::now() + Duration::from_secs(60);
                while !Path::new(&gate).exists() {
                    if Instant::now() > end {
                        say("CHILD-RESULT gate never opened".into());
                        return;
                    }
                    std::thread::sleep(ms(5));
                }
            }
            say("CHILD-SENDING".into());
            let line = match (&c2, &c1) {
                (Some(c), _) => ended(c.topups().create(&v2_order(&reference)), |t| t.id.clone()),
                (_, Some(c)) => ended(c.send_topup(&v1_order(&reference)), |t| {
                    t.transaction_id.clone().unwrap_or_default()
                }),
                _ => unreachable!(),
            };
            say(format!("CHILD-RESULT {line}"));
        }
        "recover" => {
            let (pending, recovered) = match (&c2, &c1) {
                (Some(c), _) => (
                    c.pending().unwrap(),
                    c.recover()
                        .unwrap()
                        .into_iter()
                        .map(|r| r.entry)
                        .collect::<Vec<_>>(),
                ),
                (_, Some(c)) => (
                    c.pending().unwrap(),
                    c.recover()
                        .unwrap()
                        .into_iter()
                        .map(|r| r.entry)
                        .collect::<Vec<_>>(),
                ),
                _ => unreachable!(),
            };
            say(format!(
                "CHILD-PENDING {} {}",
                pending.len(),
                pending
                    .first()
                    .map(|e| format!("{} {}", e.state, e.writes))
                    .unwrap_or_default()
            ));
            for e in recovered {
                say(format!(
                    "CHILD-RECOVERED {} {} {}",
                    e.reference,
                    e.state,
                    e.transaction_id.unwrap_or_default()
                ));
            }
            say("CHILD-DONE".into());
        }
        other => panic!("unknown role {other}"),
    }
}

// ---------------------------------------------------------------------------------------------------------
// The parent: a sandbox and a journal per test
// ---------------------------------------------------------------------------------------------------------

struct Setup {
    sandbox: Sandbox,
    journal: PathBuf,
}

impl Drop for Setup {
    fn drop(&mut self) {
        remove_journal(&self.journal);
    }
}

fn setup(name: &str) -> Setup {
    Setup {
        sandbox: Sandbox::start_with(
            SandboxConfig::default()
                .processing_after(ms(20))
                .complete_after(ms(80)),
        )
        .unwrap(),
        journal: temp_path(&format!("{name}.journal")),
    }
}

impl Setup {
    fn envs(
        &self,
        api: &str,
        role: &str,
        url: &str,
        reference: &str,
    ) -> Vec<(&'static str, String)> {
        vec![
            ("CRASH_ROLE", role.to_owned()),
            ("CRASH_API", api.to_owned()),
            ("CRASH_URL", url.to_owned()),
            ("CRASH_JOURNAL", self.journal.display().to_string()),
            ("CRASH_REF", reference.to_owned()),
            ("CRASH_KEY", self.sandbox.api_key().to_owned()),
            ("CRASH_EMAIL", self.sandbox.v1_email().to_owned()),
            ("CRASH_TOKEN", self.sandbox.v1_token().to_owned()),
        ]
    }
    fn v2(&self, bound: Duration) -> v2::Client {
        v2::Client::builder(self.sandbox.api_key())
            .base_url(self.sandbox.base_url())
            .journal(&self.journal)
            .retry_base_delay(ms(10))
            .max_retry_delay(ms(50))
            .read_timeout(ms(800))
            .convergence_bound(bound)
            .send_deadline(Duration::from_secs(5))
            .build()
            .unwrap()
    }
    fn v1(&self, bound: Duration) -> v1::Client {
        v1::Client::builder(self.sandbox.v1_email(), self.sandbox.v1_token())
            .base_url(self.sandbox.base_url())
            .journal(&self.journal)
            .retry_base_delay(ms(10))
            .max_retry_delay(ms(50))
            .read_timeout(ms(800))
            .convergence_bound(bound)
            .send_deadline(Duration::from_secs(5))
            .build()
            .unwrap()
    }
    fn txs(&self, api: &str) -> Vec<serde_json::Value> {
        self.sandbox.transactions()[api]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
    fn posts(&self, api: &str) -> u64 {
        self.sandbox.stats()[api]["posts"].as_u64().unwrap()
    }
}

const BIG: Duration = Duration::from_secs(13 * 60);
