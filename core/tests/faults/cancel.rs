//! Cancellation and step-wise waits.

use super::*;

// ---- cancellation and step-wise waits ----

fn pending_topup() -> Vec<u8> {
    let mut v: serde_json::Value =
        serde_json::from_slice(&fixture("seed_v2_topup_create_201.json")).unwrap();
    v["data"]["status"] = "processing".into();
    serde_json::to_vec(&v).unwrap()
}

#[test]
fn a_cancelled_send_before_any_write_sends_nothing() {
    let s = TestServer::start(|req, _| Reply::json(201, topup_body(&reference_of(req))));
    let cancel = clickairtime::Cancel::new();
    cancel.cancel();
    let e = v2(&s.url)
        .topups()
        .create_cancellable(&order(), &cancel)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(e.reference(), Some("sale-1"));
    assert!(s.seen().is_empty());
}

#[test]
fn cancelling_during_backoff_of_an_unsent_write_ends_cancelled() {
    // nothing listens: every write provably never leaves, and the client backs off between them
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = clickairtime::v2::Client::builder(support::KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_base_delay(Duration::from_secs(2))
        .max_retry_delay(Duration::from_secs(2))
        .build()
        .unwrap();
    let cancel = clickairtime::Cancel::new();
    let c2 = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        c2.cancel();
    });
    let started = Instant::now();
    let e = c
        .topups()
        .create_cancellable(&order(), &cancel)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e:?}");
    assert!(started.elapsed() < Duration::from_millis(900));
}

#[test]
fn a_written_send_is_never_abandoned_by_cancel() {
    let posted = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let p2 = posted.clone();
    let s = TestServer::start(move |req, _| match req.method.as_str() {
        "POST" => {
            p2.store(true, Ordering::SeqCst);
            Reply::Close
        }
        _ => Reply::json(200, list_body(vec![])),
    });
    let cancel = clickairtime::Cancel::new();
    let c2 = cancel.clone();
    std::thread::spawn(move || {
        // cancel only once the server has the POST: from then on the sale may exist
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(5) && !posted.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(2));
        }
        c2.cancel();
    });
    let e = v2(&s.url)
        .topups()
        .create_cancellable(&order(), &cancel)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e:?}");
    assert_eq!(posts(&s).len(), 1);
}

#[test]
fn a_cancelled_wait_stops_polling_and_the_sale_stands() {
    let s = TestServer::start(|_, _| Reply::json(200, pending_topup()));
    let cancel = clickairtime::Cancel::new();
    let opts = clickairtime::WaitOptions {
        initial_interval: Duration::from_millis(50),
        cancel: Some(cancel.clone()),
        ..clickairtime::WaitOptions::with_deadline(Duration::from_secs(30))
    };
    let c2 = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        c2.cancel();
    });
    let started = Instant::now();
    let e = v2(&s.url)
        .topups()
        .wait("a1b2c3d4-e5f6-7890-abcd-ef1234567890", &opts)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(
        e.transaction_id(),
        Some("a1b2c3d4-e5f6-7890-abcd-ef1234567890")
    );
    assert_eq!(e.status(), Some("processing"));
    assert!(started.elapsed() < Duration::from_secs(2));
    let polls = s.seen().len();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(s.seen().len(), polls, "no poll after the cancel");
}

#[test]
fn wait_steps_make_one_exchange_each_and_say_how_long_to_sleep() {
    let s = TestServer::start(|_, i| {
        if i < 2 {
            Reply::json(200, pending_topup())
        } else {
            Reply::json(200, topup_body("sale-1"))
        }
    });
    let c = v2(&s.url);
    let opts = clickairtime::WaitOptions {
        initial_interval: Duration::from_millis(40),
        ..clickairtime::WaitOptions::with_deadline(Duration::from_secs(10))
    };
    let mut w = c
        .topups()
        .wait_steps("a1b2c3d4-e5f6-7890-abcd-ef1234567890", &opts)
        .unwrap();
    let mut sleeps = 0;
    let done = loop {
        let before = s.seen().len();
        match w.step().unwrap() {
            clickairtime::WaitStep::Done(r) => break r,
            clickairtime::WaitStep::Sleep(d) => {
                assert_eq!(s.seen().len(), before + 1, "one exchange per step");
                assert!(d <= Duration::from_millis(100), "{d:?}");
                sleeps += 1;
            }
        }
    };
    assert_eq!(sleeps, 2);
    assert_eq!(done.status, clickairtime::v2::TopUpStatus::Completed);
}

#[test]
fn a_wait_past_its_deadline_is_still_pending_with_the_id_and_status() {
    let s = TestServer::start(|_, _| Reply::json(200, pending_topup()));
    let opts = clickairtime::WaitOptions {
        initial_interval: Duration::from_millis(30),
        ..clickairtime::WaitOptions::with_deadline(Duration::from_millis(300))
    };
    let e = v2(&s.url)
        .topups()
        .wait("a1b2c3d4-e5f6-7890-abcd-ef1234567890", &opts)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StillPending);
    assert_eq!(
        e.transaction_id(),
        Some("a1b2c3d4-e5f6-7890-abcd-ef1234567890")
    );
    assert_eq!(e.status(), Some("processing"));
}

#[test]
fn lookups_take_numbers_as_people_type_them() {
    let s = TestServer::start(|_, _| Reply::json(404, "{}"));
    let _ = v2(&s.url).catalog().lookup(Some("+233 54-111 2259"), None);
    let seen = s.seen();
    assert!(
        seen[0].target.contains("phone_number=%2B233541112259"),
        "{}",
        seen[0].target
    );
    // a national number without its country never leaves
    let e = v2(&s.url)
        .catalog()
        .lookup(Some("0541112259"), None)
        .unwrap_err();
    assert_eq!(e.field(), Some("phone_number"));
    assert_eq!(s.seen().len(), 1);
}
