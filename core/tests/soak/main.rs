//! The soak: 1,000 sends (500 V2, 500 V1) by a separate sending process through a journaled client, against
//! the sandbox, with more than 20% faults — duplicate-window sales (same phone, network and amount as an
//! earlier sale, another reference), reference collisions (an earlier sale's reference for a different sale),
//! injected faults including the late commit (the write commits after the client's read timeout) — and three
//! kill -9 restarts of the sending process at random points. Each restart recovers what the journal holds
//! open, then sells the rest (a sale cut short is sold again with its reference). At the end one more
//! `recover()` pass settles everything.
//!
//! Then every sale is checked against the sandbox's ledger and the journal, and the figures are printed (and
//! written to target/soak-figures.txt): sends, transactions created, duplicates, lost, maybe-sent reported as
//! not-sent, other-sale-as-success (all four must be 0), and unknown-then-recovered.

mod run;

#[path = "../support/mod.rs"]
mod support;

use clickairtime::money::Decimal;
use clickairtime::v1::SendTopUp;
use clickairtime::v2::CreateTopUp;
use clickairtime::{ErrorKind, SendState, v1, v2};
use clickairtime_sandbox::{Sandbox, SandboxConfig};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::{ChildProc, http, remove_journal, temp_path};

const SENDS: usize = 1000;
const ANCHORS_PER_API: usize = 50;
const CHILD_THREADS: usize = 8;
const KILLS: usize = 3;
const BOUND: Duration = Duration::from_millis(1000);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ---------------------------------------------------------------------------------------------------------
// The plan: deterministic, so that the parent and every sending process agree on it
// ---------------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Normal,
    /// Same phone, network and amount as anchor `n` of the same API, another reference: must be refused.
    DuplicateWindow(usize),
    /// Anchor `n`'s reference, for a different sale: must be refused.
    Collision(usize),
}

#[derive(Debug, Clone)]
struct Sale {
    v2: bool,
    kind: Kind,
    phone: String,
    amount: i64,
    reference: String,
    /// A fault (sandbox JSON) injected just before this sale is sent.
    fault: Option<String>,
}

impl Sale {
    fn api(&self) -> &'static str {
        if self.v2 { "v2" } else { "v1" }
    }
    /// The V1 msisdn / V2 E.164 number.
    fn number(&self) -> String {
        if self.v2 {
            self.phone.clone()
        } else {
            self.phone[1..].to_owned()
        }
    }
}

fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Anchor `n` of an API: sold by the parent before the soak starts.
fn anchor(v2: bool, n: usize) -> Sale {
    let (phone, reference) = if v2 {
        (format!("+23355{:07}", n), format!("anchor-v2-{n}"))
    } else {
        (format!("+23355{:07}", 500 + n), format!("ANCHOR-V1-{n}"))
    };
    Sale {
        v2,
        kind: Kind::Normal,
        phone,
        amount: 10 + (n % 7) as i64,
        reference,
        fault: None,
    }
}

fn injected_fault(h: u64, v2: bool) -> String {
    let post = if v2 { "/v2/topups" } else { "/adp" };
    let get = if v2 {
        "/v2/topups"
    } else {
        "/adp/transactions"
    };
    let (fault, method, path, extra) = match h % 12 {
        0 | 1 => ("late_commit", "POST", post, r#","delay_ms":600"#),
        2 => ("drop_before_commit", "POST", post, ""),
        3 => ("drop_after_commit", "POST", post, ""),
        4 => ("server_error", "POST", post, ""),
        5 => ("slow", "POST", post, r#","delay_ms":450"#),
        6 => ("rate_limit", "POST", post, r#","retry_after":0"#),
        7 => ("duplicate_409", "POST", post, ""),
        8 => ("garbage", "POST", post, ""),
        9 => ("truncated", "POST", post, ""),
        10 if !v2 => ("html_404", "GET", get, ""),
        10 => ("empty_body", "POST", post, ""),
        _ => ("drop_before_commit", "GET", get, ""),
    };
    format!(r#"{{"fault":"{fault}","count":1,"method":"{method}","path":"{path}"{extra}}}"#)
}

fn plan() -> Vec<Sale> {
    let mut used = [0usize, 0usize];
    (0..SENDS)
        .map(|i| {
            let v2 = i % 2 == 0;
            let h = mix(i as u64);
            let slot = &mut used[v2 as usize];
            let kind = match h % 100 {
                0..6 if *slot < ANCHORS_PER_API => {
                    *slot += 1;
                    Kind::DuplicateWindow(*slot - 1)
                }
                6..10 if *slot < ANCHORS_PER_API => {
                    *slot += 1;
                    Kind::Collision(*slot - 1)
                }
                _ => Kind::Normal,
            };
            let fault = ((h >> 16) % 100 < 19).then(|| injected_fault(h >> 24, v2));
            match kind {
                Kind::Normal => Sale {
                    v2,
                    kind,
                    phone: format!("+23324{i:07}"),
                    amount: 1 + (i % 5) as i64,
                    reference: format!("soak-{i}"),
                    fault,
                },
                Kind::DuplicateWindow(n) => {
                    let a = anchor(v2, n);
                    Sale {
                        v2,
                        kind,
                        phone: a.phone,
                        amount: a.amount,
                        reference: format!("soak-{i}"),
                        fault,
                    }
                }
                Kind::Collision(n) => Sale {
                    v2,
                    kind,
                    phone: format!("+23354{i:07}"),
                    amount: 7,
                    reference: anchor(v2, n).reference,
                    fault,
                },
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------
// The sending process
// ---------------------------------------------------------------------------------------------------------

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}

fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "\n{line}");
    let _ = out.flush();
}

fn send(c2: &v2::Client, c1: &v1::Client, s: &Sale) -> String {
    let end = |ok: Option<(String, Option<clickairtime::SendOrigin>)>,
               e: Option<clickairtime::Error>| match (ok, e) {
        (Some((id, origin)), _) => {
            format!("ok {} {id}", origin.map(|o| o.as_str()).unwrap_or("none"))
        }
        (_, Some(e)) => format!(
            "err {} {} | {}",
            e.kind(),
            e.transaction_id().unwrap_or("-"),
            e.message().replace('\n', " ")
        ),
        _ => unreachable!(),
    };
    if s.v2 {
        match c2.topups().create(
            &CreateTopUp::amount(&s.phone, 42, Decimal::from(s.amount), "GHS")
                .reference(&s.reference),
        ) {
            Ok(r) => end(Some((r.id.clone(), r.meta.origin)), None),
            Err(e) => end(None, Some(e)),
        }
    } else {
        match c1.send_topup(
            &SendTopUp::amount(s.number(), Decimal::from(s.amount)).ext_ref_id(&s.reference),
        ) {
            Ok(r) => end(
                Some((r.transaction_id.clone().unwrap_or_default(), r.meta.origin)),
                None,
            ),
            Err(e) => end(None, Some(e)),
        }
    }
}

/// The sending process (run by the soak with `SOAK_ROLE=send`): recover what the journal holds open, then
/// sell every sale listed in `SOAK_TODO` from `CHILD_THREADS` threads, printing one line per sale.
#[test]
#[ignore = "the sending process of the soak; the soak runs it"]
fn soak_child() {
    if env("SOAK_ROLE") != "send" {
        return;
    }
    let url = env("SOAK_URL");
    let journal = env("SOAK_JOURNAL");
    let c2 = v2::Client::builder(env("SOAK_KEY"))
        .base_url(&url)
        .journal(&journal)
        .read_timeout(ms(300))
        .retry_base_delay(ms(10))
        .max_retry_delay(ms(80))
        .convergence_bound(BOUND)
        .send_deadline(ms(3000))
        .build()
        .unwrap();
    let c1 = v1::Client::builder(env("SOAK_EMAIL"), env("SOAK_TOKEN"))
        .base_url(&url)
        .journal(&journal)
        .read_timeout(ms(300))
        .retry_base_delay(ms(10))
        .max_retry_delay(ms(80))
        .convergence_bound(BOUND)
        .send_deadline(ms(3000))
        .build()
        .unwrap();
    // a restart: settle what a crash left open first
    for r in c2.recover().unwrap() {
        say(&format!(
            "SOAK-REC v2 {} {}",
            r.entry.reference, r.entry.state
        ));
    }
    for r in c1.recover().unwrap() {
        say(&format!(
            "SOAK-REC v1 {} {}",
            r.entry.reference, r.entry.state
        ));
    }
    let plan = plan();
    let todo: Vec<usize> = std::fs::read_to_string(env("SOAK_TODO"))
        .unwrap()
        .split_whitespace()
        .map(|s| s.parse().unwrap())
        .collect();
    let next = AtomicUsize::new(0);
    let out = Mutex::new(());
    std::thread::scope(|scope| {
        for _ in 0..CHILD_THREADS {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&i) = todo.get(k) else { break };
                    let sale = &plan[i];
                    if let Some(f) = &sale.fault {
                        let (status, body) = http(&url, "POST", "/_sandbox/faults", Some(f));
                        assert_eq!(status, 200, "{f}: {body}");
                    }
                    {
                        let _g = out.lock().unwrap();
                        say(&format!("SOAK-S {i}"));
                    }
                    let line = send(&c2, &c1, sale);
                    let _g = out.lock().unwrap();
                    say(&format!("SOAK-R {i} {line}"));
                }
            });
        }
    });
    say("SOAK-DONE");
}
