//! Crash tests with real processes: a child (this test binary, re-executed to run the ignored test
//! `crash_child`) sends through a journaled client and is SIGKILLed — after the server committed its POST,
//! and, separately, before any POST reached the server. A fresh process (or a fresh client here, on the
//! same journal file) then runs `pending()` and `recover()`: exactly one transaction at the end, the journal
//! says `sent` with its id, and selling the same reference again does not write again.
//!
//! Also: two processes sharing one journal send the same reference at once (one write), and the journal's
//! plain guarantees without a crash.

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
// The parent
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

/// (a) V2: SIGKILL after the sandbox committed the POST (its answer is held back 30 s); a fresh *process*
/// on the same journal lists it and recovers it as sent.
#[test]
fn v2_killed_after_the_post_committed_is_recovered_as_sent_by_a_fresh_process() {
    let t = setup("v2-after");
    t.sandbox.inject(
        Fault::slow(Duration::from_secs(30))
            .method("POST")
            .path("/v2/topups"),
    );
    let url = t.sandbox.base_url().to_owned();
    let mut child = ChildProc::spawn(CHILD, &t.envs("v2", "send", &url, "crash-a"));
    assert!(
        child
            .expect_line("CHILD-SENDING", Duration::from_secs(20))
            .is_some()
    );
    assert!(
        wait_until(Duration::from_secs(10), || t.txs("v2").len() == 1),
        "the POST was committed"
    );
    child.kill9();
    let id = t.txs("v2")[0]["id"].as_str().unwrap().to_owned();
    // a fresh process recovers it
    let mut fresh = ChildProc::spawn(CHILD, &t.envs("v2", "recover", &url, ""));
    let pending = fresh
        .expect_line("CHILD-PENDING", Duration::from_secs(20))
        .unwrap();
    assert_eq!(pending, "1 in_flight 1", "one send in flight, one write");
    let rec = fresh
        .expect_line("CHILD-RECOVERED", Duration::from_secs(20))
        .unwrap();
    assert_eq!(rec, format!("crash-a sent {id}"));
    assert!(
        fresh
            .expect_line("CHILD-DONE", Duration::from_secs(10))
            .is_some()
    );
    assert!(fresh.finish(Duration::from_secs(10)));
    // the journal says so here too, and selling the same reference again does not write
    let c = t.v2(BIG);
    assert!(c.pending().unwrap().is_empty());
    let e = c.journal_entry("crash-a").unwrap().unwrap();
    assert_eq!(
        (e.state, e.transaction_id.as_deref()),
        (SendState::Sent, Some(id.as_str()))
    );
    let again = c.topups().create(&v2_order("crash-a")).unwrap();
    assert_eq!(
        (again.id.as_str(), again.meta.origin),
        (id.as_str(), Some(SendOrigin::Journal))
    );
    assert_eq!((t.txs("v2").len(), t.posts("v2")), (1, 1));
}

/// (a) V1, and the other way to resume: the fresh client simply sells the same reference again.
#[test]
fn v1_killed_after_the_post_committed_is_resumed_by_selling_it_again() {
    let t = setup("v1-after");
    t.sandbox.inject(
        Fault::slow(Duration::from_secs(30))
            .method("POST")
            .path("/adp"),
    );
    let url = t.sandbox.base_url().to_owned();
    let mut child = ChildProc::spawn(CHILD, &t.envs("v1", "send", &url, "CRASH-A1"));
    assert!(
        child
            .expect_line("CHILD-SENDING", Duration::from_secs(20))
            .is_some()
    );
    assert!(wait_until(Duration::from_secs(10), || t.txs("v1").len() == 1));
    child.kill9();
    let id = t.txs("v1")[0]["transactionId"].as_str().unwrap().to_owned();
    let c = t.v1(BIG);
    let pending = c.pending().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].state, pending[0].writes),
        (SendState::InFlight, 1)
    );
    assert_eq!(pending[0].reference, "CRASH-A1");
    // selling it again resumes it: a verified lookup, no write
    let r = c.send_topup(&v1_order("CRASH-A1")).unwrap();
    assert_eq!(r.transaction_id.as_deref(), Some(id.as_str()));
    assert_eq!(r.meta.origin, Some(SendOrigin::Recovered));
    let e = c.journal_entry("CRASH-A1").unwrap().unwrap();
    assert_eq!(
        (e.state, e.transaction_id.as_deref()),
        (SendState::Sent, Some(id.as_str()))
    );
    let again = c.send_topup(&v1_order("CRASH-A1")).unwrap();
    assert_eq!(again.meta.origin, Some(SendOrigin::Journal));
    assert_eq!((t.txs("v1").len(), t.posts("v1")), (1, 1));
    // recover() has nothing left to do
    assert!(c.recover().unwrap().is_empty());
}

/// A listener that never accepts: a connection completes in the kernel and the request sits in its buffer,
/// never read by any server.
fn black_hole() -> (TcpListener, String) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", l.local_addr().unwrap().port());
    (l, url)
}

/// (b) killed after the journal claim and its write mark, before the server received anything: with a small
/// convergence bound it is proven not sent, then sold once.
fn killed_before_the_post(api: &str) {
    let t = setup(&format!("{api}-before"));
    let (_hole, hole_url) = black_hole();
    let reference = format!("crash-b-{api}");
    let mut child = ChildProc::spawn(CHILD, &t.envs(api, "send", &hole_url, &reference));
    assert!(
        child
            .expect_line("CHILD-SENDING", Duration::from_secs(20))
            .is_some()
    );
    let bound = ms(300);
    let entry = |c_v2: &Option<v2::Client>, c_v1: &Option<v1::Client>| match (c_v2, c_v1) {
        (Some(c), _) => c.journal_entry(&reference).unwrap(),
        (_, Some(c)) => c.journal_entry(&reference).unwrap(),
        _ => unreachable!(),
    };
    let (c2, c1) = if api == "v2" {
        (Some(t.v2(bound)), None)
    } else {
        (None, Some(t.v1(bound)))
    };
    // the child claimed the reference and marked its write, then blocks on the black hole
    assert!(
        wait_until(Duration::from_secs(10), || entry(&c2, &c1)
            .is_some_and(|e| e.writes == 1)),
        "the child wrote its claim down"
    );
    std::thread::sleep(ms(100));
    child.kill9();
    let e = entry(&c2, &c1).unwrap();
    assert_eq!((e.state, e.writes), (SendState::InFlight, 1));
    assert!(e.last_write_at.is_some());
    // let the bound pass since that write, then recover: proven absent
    std::thread::sleep(bound + ms(100));
    let (pending, state, record) = match (&c2, &c1) {
        (Some(c), _) => {
            let p = c.pending().unwrap().len();
            let r = c.recover().unwrap();
            assert_eq!(r.len(), 1);
            (p, r[0].entry.state, r[0].record.is_some())
        }
        (_, Some(c)) => {
            let p = c.pending().unwrap().len();
            let r = c.recover().unwrap();
            assert_eq!(r.len(), 1);
            (p, r[0].entry.state, r[0].record.is_some())
        }
        _ => unreachable!(),
    };
    assert_eq!((pending, state, record), (1, SendState::NotSent, false));
    assert_eq!(t.posts(api), 0, "nothing reached the server");
    // sold again (same reference): exactly one transaction; sold once more: no write
    let (first, second) = match (&c2, &c1) {
        (Some(c), _) => (
            c.topups()
                .create(&v2_order(&reference))
                .map(|r| (r.id.clone(), r.meta.origin)),
            c.topups()
                .create(&v2_order(&reference))
                .map(|r| (r.id.clone(), r.meta.origin)),
        ),
        (_, Some(c)) => (
            c.send_topup(&v1_order(&reference))
                .map(|r| (r.transaction_id.clone().unwrap_or_default(), r.meta.origin)),
            c.send_topup(&v1_order(&reference))
                .map(|r| (r.transaction_id.clone().unwrap_or_default(), r.meta.origin)),
        ),
        _ => unreachable!(),
    };
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first.1, Some(SendOrigin::Created));
    assert_eq!(second, (first.0.clone(), Some(SendOrigin::Journal)));
    assert_eq!((t.txs(api).len(), t.posts(api)), (1, 1));
    let e = entry(&c2, &c1).unwrap();
    assert_eq!(
        (e.state, e.transaction_id),
        (SendState::Sent, Some(first.0))
    );
}

#[test]
fn v2_killed_before_the_post_is_proven_not_sent_then_sold_once() {
    killed_before_the_post("v2");
}

#[test]
fn v1_killed_before_the_post_is_proven_not_sent_then_sold_once() {
    killed_before_the_post("v1");
}

/// (b) killed while blocked before `create` (journal open, nothing claimed): nothing pending; sold once.
#[test]
fn killed_before_create_leaves_nothing_pending() {
    let t = setup("before-create");
    let gate = temp_path("gate-never");
    let mut envs = t.envs("v2", "send", t.sandbox.base_url(), "crash-c");
    envs.push(("CRASH_GATE", gate.display().to_string()));
    let mut child = ChildProc::spawn(CHILD, &envs);
    assert!(
        child
            .expect_line("CHILD-READY", Duration::from_secs(20))
            .is_some()
    );
    std::thread::sleep(ms(100));
    child.kill9();
    let c = t.v2(BIG);
    assert!(c.pending().unwrap().is_empty());
    assert!(c.recover().unwrap().is_empty());
    assert!(c.journal_entry("crash-c").unwrap().is_none());
    let r = c.topups().create(&v2_order("crash-c")).unwrap();
    assert_eq!(r.meta.origin, Some(SendOrigin::Created));
    let again = c.topups().create(&v2_order("crash-c")).unwrap();
    assert_eq!(
        (again.id.clone(), again.meta.origin),
        (r.id.clone(), Some(SendOrigin::Journal))
    );
    assert_eq!((t.txs("v2").len(), t.posts("v2")), (1, 1));
}

/// Two processes, one journal, the same reference at the same moment: one write.
#[test]
fn two_processes_sharing_a_journal_write_once() {
    for api in ["v2", "v1"] {
        let t = setup(&format!("{api}-two"));
        let path = if api == "v2" { "/v2/topups" } else { "/adp" };
        // the first write's answer is held back 1.5 s, so both sends overlap
        t.sandbox
            .inject(Fault::slow(ms(1500)).method("POST").path(path));
        let gate = temp_path("gate-two");
        let reference = format!("shared-{api}");
        let mut envs = t.envs(api, "send", t.sandbox.base_url(), &reference);
        envs.push(("CRASH_GATE", gate.display().to_string()));
        envs.push(("CRASH_READ_MS", "5000".into()));
        envs.push(("CRASH_DEADLINE_MS", "8000".into()));
        let mut a = ChildProc::spawn(CHILD, &envs);
        let mut b = ChildProc::spawn(CHILD, &envs);
        assert!(
            a.expect_line("CHILD-READY", Duration::from_secs(20))
                .is_some()
        );
        assert!(
            b.expect_line("CHILD-READY", Duration::from_secs(20))
                .is_some()
        );
        std::fs::write(&gate, b"go").unwrap();
        let ra = a
            .expect_line("CHILD-RESULT", Duration::from_secs(20))
            .unwrap();
        let rb = b
            .expect_line("CHILD-RESULT", Duration::from_secs(20))
            .unwrap();
        let _ = std::fs::remove_file(&gate);
        assert!(a.finish(Duration::from_secs(10)) && b.finish(Duration::from_secs(10)));
        let mut results = [ra.clone(), rb.clone()];
        results.sort();
        let created: Vec<_> = results
            .iter()
            .filter(|r| r.starts_with("ok created "))
            .collect();
        assert_eq!(created.len(), 1, "{api}: {results:?}");
        let other = results
            .iter()
            .find(|r| !r.starts_with("ok created "))
            .unwrap();
        let id = created[0].trim_start_matches("ok created ");
        assert!(
            other == "err OUTCOME_UNKNOWN" || *other == format!("ok journal {id}"),
            "{api}: the other process: {other}"
        );
        assert_eq!(
            (t.txs(api).len(), t.posts(api)),
            (1, 1),
            "{api}: {results:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// The journal without a crash
// ---------------------------------------------------------------------------------------------------------

#[test]
fn a_journal_that_cannot_be_opened_fails_the_build_before_any_send() {
    let bad = Path::new("/nonexistent-clickairtime-dir/sub/journal.db");
    let e = v2::Client::builder(support::KEY)
        .base_url("http://127.0.0.1:9")
        .journal(bad)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Journal, "{e:?}");
    let e = v1::Client::builder("a@b.c", "t")
        .base_url("http://127.0.0.1:9")
        .journal(bad)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Journal, "{e:?}");
    // a file that is not a journal
    let junk = temp_path("junk.journal");
    std::fs::write(&junk, vec![0x42u8; 8192]).unwrap();
    let e = v2::Client::builder(support::KEY)
        .base_url("http://127.0.0.1:9")
        .journal(&junk)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Journal, "{e:?}");
    remove_journal(&junk);
    // recover() needs one
    let e = support::v2("http://127.0.0.1:9").recover().unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidInput, Some("journal"))
    );
    assert!(
        support::v2("http://127.0.0.1:9")
            .pending()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_journal_refuses_a_different_sale_under_a_held_reference_and_is_readable() {
    let t = setup("conflict");
    let c = t.v2(BIG);
    let a = c.topups().create(&v2_order("held-1")).unwrap();
    let e = c
        .topups()
        .create(&CreateTopUp::amount(PHONE, 42, Decimal::from(6), "GHS").reference("held-1"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ReferenceConflict, "{e:?}");
    assert_eq!(e.transaction_id(), Some(a.id.as_str()));
    assert_eq!(t.posts("v2"), 1, "refused by the journal: no write");
    // a refusal by the API is written down as refused, and a new attempt may write
    let d = c.topups().create(&v2_order("held-2")).unwrap_err();
    assert_eq!(d.kind(), ErrorKind::DuplicateSale, "{d:?}");
    let entry = c.journal_entry("held-2").unwrap().unwrap();
    assert_eq!(entry.state, SendState::Refused);
    assert_eq!(entry.error_kind, Some(ErrorKind::DuplicateSale));
    // the documented schema, read as the sqlite3 tool would
    let db = rusqlite::Connection::open(&t.journal).unwrap();
    let rows: Vec<(String, String, String, Option<String>)> = db
        .prepare("select api, reference, state, transaction_id from sends order by created_at")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows[0],
        (
            "v2".into(),
            "held-1".into(),
            "sent".into(),
            Some(a.id.clone())
        )
    );
    assert_eq!(
        (rows[1].1.as_str(), rows[1].2.as_str()),
        ("held-2", "refused")
    );
    let mode: String = db
        .query_row("pragma journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
}
