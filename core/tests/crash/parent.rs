//! The parent side: processes killed after and before the POST, and two processes sharing one journal.

use super::*;

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
