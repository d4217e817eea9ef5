//! Waits past their deadline are STILL_PENDING (never TIMEOUT), and send_deadline is a hard bound.

use super::*;

// =====================================================================================================
// 3. Waits past their deadline: STILL_PENDING, never TIMEOUT
// =====================================================================================================

/// A V2 and a V1 wait on a top-up that stays processing, past a 500 ms deadline.
fn waits_past_their_deadline() -> (clickairtime::Error, clickairtime::Error, Duration) {
    let id = "77777777-7777-4777-8777-777777777777";
    let opts = WaitOptions {
        deadline: ms(500),
        initial_interval: ms(50),
        ..Default::default()
    };
    let (s, _) = scripted(move |_, _, _| {
        Some(Reply::json(
            200,
            v2_one(&v2_record(id, "w-1", PHONE, 42, "50", "GHS", "processing")),
        ))
    });
    let t = Instant::now();
    let e2 = v2c(&s.url).topups().wait(id, &opts).unwrap_err();
    let took = t.elapsed();
    let (s, _) = scripted(move |_, _, _| {
        Some(v1_list(&[v1_record(
            OTHER_ID,
            Some("W-1"),
            MSISDN,
            50,
            "PROCESSING",
        )]))
    });
    let e1 = v1c(&s.url).wait("W-1", &opts).unwrap_err();
    (e2, e1, took)
}

#[test]
fn waits_past_their_deadline_are_still_pending_with_id_and_status() {
    let (e2, e1, took) = waits_past_their_deadline();
    assert_eq!(e2.kind(), ErrorKind::StillPending, "{e2:?}");
    assert_eq!(
        e2.transaction_id(),
        Some("77777777-7777-4777-8777-777777777777")
    );
    assert_eq!(e2.status(), Some("processing"), "the last status seen");
    assert!(!e2.kind().is_definitely_not_sent());
    assert!(took < ms(1500), "{took:?}");
    assert_eq!(e1.kind(), ErrorKind::StillPending, "{e1:?}");
    assert_eq!(e1.transaction_id(), Some(OTHER_ID));
    assert_eq!(e1.reference(), Some("W-1"));
    assert_eq!(e1.status(), Some("PROCESSING"), "the last status seen");
}

#[test]
fn a_wait_is_bounded_even_when_every_poll_hangs() {
    let (s, _) = scripted(|_, _, _| {
        Some(Reply::Delay(
            Duration::from_secs(20),
            Box::new(Reply::Close),
        ))
    });
    let c = v2::Client::builder(KEY).base_url(&s.url).build().unwrap();
    let t = Instant::now();
    let e = c
        .topups()
        .wait(
            "77777777-7777-4777-8777-777777777777",
            &WaitOptions {
                deadline: ms(1000),
                initial_interval: ms(50),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StillPending, "{e:?}");
    assert!(t.elapsed() < ms(1700), "{:?}", t.elapsed());
}

#[test]
fn v2_wait_tolerates_one_transient_404_right_after_create() {
    let id = "66666666-6666-4666-8666-666666666666";
    let n = Arc::new(AtomicUsize::new(0));
    let n2 = n.clone();
    let (s, _) = scripted(move |_, _, _| {
        Some(if n2.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::json(
                404,
                v2_error("TRANSACTION_NOT_FOUND", "not found", json!({})),
            )
        } else {
            Reply::json(
                200,
                v2_one(&v2_record(id, "w-2", PHONE, 42, "50", "GHS", "completed")),
            )
        })
    });
    let done = v2c(&s.url)
        .topups()
        .wait(
            id,
            &WaitOptions {
                deadline: ms(3000),
                initial_interval: ms(50),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(done.status, TopUpStatus::Completed);
    assert_eq!(n.load(Ordering::SeqCst), 2);
    // a 404 that outlasts the grace ends the wait, bounded
    let (s, _) = scripted(|_, _, _| {
        Some(Reply::json(
            404,
            v2_error("TRANSACTION_NOT_FOUND", "not found", json!({})),
        ))
    });
    let e = v2c(&s.url)
        .topups()
        .wait(
            id,
            &WaitOptions {
                deadline: ms(3000),
                initial_interval: ms(50),
                not_found_grace: ms(300),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e:?}");
    assert!(s.gets().len() >= 2);
}

// =====================================================================================================
// 4. send_deadline is a hard bound
// =====================================================================================================

#[test]
fn send_deadline_bounds_a_send_against_a_hanging_server() {
    support::warm_phone_rules();
    let hang = || Reply::Delay(Duration::from_secs(20), Box::new(Reply::Close));
    std::thread::scope(|scope| {
        let mut hs = Vec::new();
        for (v1, post_hangs) in [(false, true), (true, true), (false, false), (true, false)] {
            hs.push(scope.spawn(move || {
                let (s, _) = scripted(move |req, _, _| {
                    Some(if is_post(req) && !post_hangs {
                        Reply::Close
                    } else {
                        hang()
                    })
                });
                // default timeouts (30 s read, 60 s total): only the deadline bounds it
                let t = Instant::now();
                let e = if v1 {
                    v1::Client::builder("pos@example.com", TOKEN)
                        .base_url(&s.url)
                        .send_deadline(Duration::from_secs(2))
                        .build()
                        .unwrap()
                        .send_topup(&v1_order("HANG-1"))
                        .unwrap_err()
                } else {
                    v2::Client::builder(KEY)
                        .base_url(&s.url)
                        .send_deadline(Duration::from_secs(2))
                        .build()
                        .unwrap()
                        .topups()
                        .create(&order("hang-1"))
                        .unwrap_err()
                };
                let took = t.elapsed();
                assert_eq!(
                    e.kind(),
                    ErrorKind::OutcomeUnknown,
                    "v1={v1} post_hangs={post_hangs}: {e:?}"
                );
                assert!(
                    took <= ms(2600),
                    "v1={v1} post_hangs={post_hangs}: took {took:?}"
                );
                assert_eq!(s.posts().len(), 1);
            }));
        }
        for h in hs {
            h.join().unwrap();
        }
    });
}
