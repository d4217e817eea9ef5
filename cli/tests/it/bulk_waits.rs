//! `bulk` and the rate limit: a long wait is announced in plain mode (a cron log), and a run killed while rows
//! wait for their slot leaves them unwritten in the journal, so the next run sends them at once.

use crate::common::Env;
use clickairtime_sandbox::Fault;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// `rows` sales to MTN Ghana from number `first` on (network given: no lookups), references `TAG-n`.
fn payout(env: &Env, tag: &str, first: usize, rows: usize) -> PathBuf {
    let mut s = String::from("phone,amount,currency,network_id,reference\n");
    for i in 0..rows {
        s.push_str(&format!(
            "+23354{:07},{},GHS,42,{tag}-{i}\n",
            3_000_000 + first + i,
            1 + i
        ));
    }
    let path = env.dir.path().join(format!("{tag}.csv"));
    std::fs::write(&path, s).unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A child killed when dropped: a failed check must not leave a run going.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn post_429(retry_after: u64) -> Fault {
    Fault::rate_limit(retry_after)
        .method("POST")
        .path("/v2/topups")
        .count(1)
}

#[test]
fn bulk_without_a_terminal_says_when_it_waits_for_the_rate_limit() {
    let env = Env::new("bulk-wait");
    // a 1 s pause is ordinary pacing: no line
    let file = payout(&env, "short", 0, 3);
    env.sb.inject(post_429(1));
    let r = env.run(&["bulk", s(&file)]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!r.stderr.contains("waiting "), "{r:?}");
    // the server asks for 3 s: one line says so, and the run waits it out
    let file = payout(&env, "long", 10, 3);
    env.sb.inject(post_429(3));
    let t = Instant::now();
    let r = env.run(&["bulk", s(&file)]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(t.elapsed() >= Duration::from_secs(3), "{r:?}");
    let waits: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("waiting "))
        .collect();
    assert_eq!(
        waits,
        [
            "waiting 3 s for the rate limit (60 a minute, 1000 an hour, or a pause the server asked for)"
        ],
        "{r:?}"
    );
    assert_eq!(env.v2_transactions().len(), 6);
}

#[test]
fn bulk_killed_while_rows_wait_for_their_slot_reruns_them_at_once() {
    let env = Env::new("bulk-slot-kill");
    let file = payout(&env, "slot", 0, 4);
    // one request a minute: the first row takes the slot and is answered 429 (retry in 30 s); the three
    // others are claimed in the journal and wait for a slot
    env.sb.inject(post_429(30));
    let mut child = Killed(
        env.cmd(&["bulk", s(&file), "--rate-per-minute", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stderr = child.0.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for l in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(l);
        }
    });
    // the client's own limiter is announced too (a minute's window, longer than the server's 30 s)
    let deadline = Instant::now() + Duration::from_secs(15);
    let announced = loop {
        let l = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("a waiting line");
        if l.starts_with("waiting ") {
            break l;
        }
    };
    assert!(
        announced.ends_with(
            " s for the rate limit (1 a minute, 1000 an hour, or a pause the server asked for)"
        ),
        "{announced}"
    );
    let entries = loop {
        let (code, v, r) = env.json(&["pending"]);
        assert_eq!(code, 0, "{r:?}");
        let entries = v["entries"].as_array().cloned().unwrap_or_default();
        if entries.len() == 4 {
            break entries;
        }
        assert!(Instant::now() < deadline, "four rows claimed: {v}");
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(child); // SIGKILL
    // the slot is taken before a write is written down: one write, by the row answered 429
    let written: Vec<&Value> = entries.iter().filter(|e| e["writes"] != 0).collect();
    assert_eq!(written.len(), 1, "{entries:?}");
    assert_eq!(written[0]["writes"], 1);
    assert_eq!(env.v2_transactions().len(), 0);
    // rerun at once: the unwritten rows are sent without a lookup; the written one may have been received,
    // and nothing proves otherwise before the convergence bound: unknown at this run's deadline
    let t = Instant::now();
    let out = env
        .cmd(&["--json", "--send-deadline", "4", "bulk", s(&file)])
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(7), "{stdout}");
    let v: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        (v["sent"].as_u64(), v["unknown"].as_u64()),
        (Some(3), Some(1)),
        "{v}"
    );
    assert_eq!(
        v["problems"][0]["reference"], written[0]["reference"],
        "{v}"
    );
    assert_eq!(env.v2_transactions().len(), 3);
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
}
