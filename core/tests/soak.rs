//! Bounded soak: 1,000 sends (500 V2, 500 V1) from 4 threads with about 20% injected faults. Afterwards every
//! send is checked against the sandbox's own ledger. Reports sends attempted, transactions created,
//! duplicates (must be 0), lost (must be 0) and OutcomeUnknown count; the figures are also written to
//! target/soak-figures.txt.

use clickairtime::money::Decimal;
use clickairtime::v1::SendTopUp;
use clickairtime::v2::CreateTopUp;
use clickairtime::{ErrorKind, v1, v2};
use clickairtime_sandbox::{Fault, FaultKind, Sandbox, SandboxConfig};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const SENDS_PER_VERSION: usize = 500;
const THREADS: usize = 4;

#[derive(Debug)]
enum Outcome {
    Created(String),
    Unknown,
    Failed(ErrorKind),
}

fn fault(i: usize, path: &str) -> Option<Fault> {
    // deterministic pseudo-random choice: ~20% of sends get a fault, spread over the kinds
    let h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    if h % 100 >= 20 {
        return None;
    }
    let f = match h % 9 {
        0 => Fault::drop_after_commit(),
        1 => Fault::drop_before_commit(),
        2 => Fault::server_error(),
        3 => Fault::rate_limit(0),
        4 => Fault::new(FaultKind::Duplicate409),
        5 => Fault::new(FaultKind::Garbage),
        6 => Fault::new(FaultKind::Truncated),
        7 => Fault::new(FaultKind::EmptyBody),
        _ => Fault::slow(Duration::from_millis(400)),
    };
    Some(f.method("POST").path(path))
}

#[test]
fn soak_1000_sends_with_20_percent_faults() {
    let started = Instant::now();
    let s = Sandbox::start_with(
        SandboxConfig::default()
            .processing_after(Duration::from_millis(10))
            .complete_after(Duration::from_millis(30))
            .rate_limit_per_minute(1_000_000)
            .duplicate_window(Duration::from_millis(1)),
    )
    .unwrap();
    let c2 = v2::Client::builder(s.api_key())
        .base_url(s.base_url())
        .read_timeout(Duration::from_millis(250))
        .retry_base_delay(Duration::from_millis(5))
        .max_retry_delay(Duration::from_millis(40))
        .send_deadline(Duration::from_secs(8))
        .build()
        .unwrap();
    let c1 = v1::Client::builder(s.v1_email(), s.v1_token())
        .base_url(s.base_url())
        .read_timeout(Duration::from_millis(250))
        .retry_base_delay(Duration::from_millis(5))
        .max_retry_delay(Duration::from_millis(40))
        .send_deadline(Duration::from_secs(8))
        .build()
        .unwrap();
    let mut injected = 0;
    let results: Vec<(String, &'static str, Outcome)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (s, c1, c2) = (&s, c1.clone(), c2.clone());
                scope.spawn(move || {
                    let mut out = Vec::new();
                    let mut faults = 0;
                    for i in (t..SENDS_PER_VERSION * 2).step_by(THREADS) {
                        let v2_turn = i % 2 == 0;
                        if let Some(f) = fault(i, if v2_turn { "/v2/topups" } else { "/adp" }) {
                            s.inject(f);
                            faults += 1;
                        }
                        let phone = format!("+23324{:07}", i);
                        let reference = format!("soak-{i}");
                        let res = if v2_turn {
                            c2.topups()
                                .create(
                                    &CreateTopUp::amount(
                                        &phone,
                                        42,
                                        Decimal::from(1 + (i % 2) as i64),
                                        "GHS",
                                    )
                                    .reference(&reference),
                                )
                                .map(|r| r.id.clone())
                        } else {
                            c1.send_topup(
                                &SendTopUp::amount(&phone[1..], Decimal::from(1 + (i % 2) as i64))
                                    .ext_ref_id(&reference),
                            )
                            .map(|r| r.transaction_id.clone().unwrap_or_default())
                        };
                        let outcome = match res {
                            Ok(id) => Outcome::Created(id),
                            Err(e) if e.kind() == ErrorKind::OutcomeUnknown => {
                                assert_eq!(e.reference(), Some(reference.as_str()));
                                Outcome::Unknown
                            }
                            Err(e) => {
                                eprintln!("{reference}: {e}");
                                Outcome::Failed(e.kind())
                            }
                        };
                        out.push((reference, if v2_turn { "v2" } else { "v1" }, outcome));
                    }
                    (out, faults)
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                let (out, f) = h.join().unwrap();
                injected += f;
                out
            })
            .collect()
    });

    // the sandbox's ledger: reference → transaction ids
    let ledger = s.transactions();
    let mut by_ref: HashMap<String, Vec<String>> = HashMap::new();
    for tx in ledger["v2"].as_array().unwrap() {
        by_ref
            .entry(tx["reference"].as_str().unwrap_or("").to_owned())
            .or_default()
            .push(tx["id"].as_str().unwrap_or("").to_owned());
    }
    for tx in ledger["v1"].as_array().unwrap() {
        by_ref
            .entry(tx["extRefId"].as_str().unwrap_or("").to_owned())
            .or_default()
            .push(tx["transactionId"].as_str().unwrap_or("").to_owned());
    }
    let created: usize = by_ref.values().map(Vec::len).sum();
    let duplicates: usize = by_ref.values().map(|v| v.len().saturating_sub(1)).sum();
    let mut lost = 0;
    let mut unknown = 0;
    let mut failed = 0;
    for (reference, version, outcome) in &results {
        let found = by_ref.get(reference);
        match outcome {
            Outcome::Created(id) => {
                if !found.is_some_and(|ids| ids.contains(id)) {
                    lost += 1;
                    eprintln!("lost: {version} {reference} returned {id} not in the ledger");
                }
            }
            Outcome::Unknown => unknown += 1,
            Outcome::Failed(kind) => {
                failed += 1;
                if found.is_some() {
                    lost += 1;
                    eprintln!("lost: {version} {reference} reported {kind} but exists");
                }
            }
        }
    }
    let figures = format!(
        "soak: sends attempted {}, faults injected {injected}, transactions created {created}, duplicates {duplicates}, lost {lost}, outcome unknown {unknown}, other errors {failed}, {:.1} s",
        results.len(),
        started.elapsed().as_secs_f64()
    );
    println!("{figures}");
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/soak-figures.txt");
    let _ = std::fs::write(out, format!("{figures}\n"));
    assert_eq!(results.len(), SENDS_PER_VERSION * 2);
    assert_eq!(duplicates, 0, "{figures}");
    assert_eq!(lost, 0, "{figures}");
    assert!(started.elapsed() < Duration::from_secs(120), "{figures}");
}
