//! After a write that may have been received, nothing is re-sent and nothing is "not sent".

use super::*;

// =====================================================================================================
// 2. After a write that may have been received, nothing is re-sent and nothing is "not sent"
// =====================================================================================================

type Resend = fn() -> Reply;

/// One case: the first POST's answer is lost (nothing committed), lookups find nothing, and every later
/// POST (if the SDK made one) gets `resend()`. With `refuse`, the server stops after the first lookups, so
/// every later connection is refused. Returns the error and the number of POSTs.
fn lost_then(
    v1: bool,
    resend: Resend,
    refuse: bool,
    bound: Option<(Duration, Duration)>,
) -> (clickairtime::Error, usize) {
    let stopper: Arc<OnceLock<Stopper>> = Arc::new(OnceLock::new());
    let st = stopper.clone();
    let posts = Arc::new(AtomicUsize::new(0));
    let lookups = Arc::new(AtomicUsize::new(0));
    let (s, _) = scripted(move |req, _, _| {
        if is_post(req) {
            return Some(if posts.fetch_add(1, Ordering::SeqCst) == 0 {
                Reply::Close
            } else {
                resend()
            });
        }
        if refuse
            && lookups.fetch_add(1, Ordering::SeqCst) >= 1
            && let Some(s) = st.get()
        {
            s.stop();
        }
        None
    });
    let _ = stopper.set(s.stopper());
    let e = if v1 {
        let mut b = v1b(&s.url);
        if let Some((bound, deadline)) = bound {
            b = b.convergence_bound(bound).send_deadline(deadline);
        }
        b.build()
            .unwrap()
            .send_topup(&v1_order("LOST-1"))
            .unwrap_err()
    } else {
        let mut b = v2b(&s.url);
        if let Some((bound, deadline)) = bound {
            b = b.convergence_bound(bound).send_deadline(deadline);
        }
        b.build()
            .unwrap()
            .topups()
            .create(&order("lost-1"))
            .unwrap_err()
    };
    (e, s.posts().len())
}

fn v2_resends() -> Vec<(&'static str, Resend, bool)> {
    vec![
        ("refused connection", (|| Reply::Close) as Resend, true),
        (
            "429 long Retry-After",
            (|| {
                Reply::json(
                    429,
                    v2_error(
                        "RATE_LIMIT_EXCEEDED",
                        "slow down",
                        json!({"retry_after": 3600}),
                    ),
                )
                .with_header("Retry-After", "3600")
            }) as Resend,
            false,
        ),
        (
            "409 without id",
            (|| {
                Reply::json(
                    409,
                    v2_error("DUPLICATE_TRANSACTION", "duplicate", json!({})),
                )
            }) as Resend,
            false,
        ),
        (
            "400 balance",
            (|| {
                Reply::json(
                    400,
                    v2_error("INSUFFICIENT_BALANCE", "wallet too low", json!({})),
                )
            }) as Resend,
            false,
        ),
        (
            "409 unknown code",
            (|| Reply::json(409, v2_error("CONFLICT", "conflict", json!({})))) as Resend,
            false,
        ),
    ]
}

fn v1_resends() -> Vec<(&'static str, Resend, bool)> {
    vec![
        ("refused connection", (|| Reply::Close) as Resend, true),
        (
            "429 long Retry-After",
            (|| {
                Reply::json(429, r#"{"message":"Too many requests","statusCode":429}"#)
                    .with_header("Retry-After", "3600")
            }) as Resend,
            false,
        ),
        (
            "code 90",
            (|| {
                Reply::json(
                    403,
                    r#"{"message":"External reference ID already exists","statusCode":500,"code":90}"#,
                )
            }) as Resend,
            false,
        ),
        (
            "code 20 balance",
            (|| {
                Reply::json(
                    403,
                    r#"{"message":"Request declined due to low balance","statusCode":500,"code":20}"#,
                )
            }) as Resend,
            false,
        ),
        (
            "code 50",
            (|| {
                Reply::json(
                    403,
                    r#"{"message":"Similar request processed recently","statusCode":500,"code":50}"#,
                )
            }) as Resend,
            false,
        ),
        (
            "409 unknown code",
            (|| Reply::json(409, r#"{"message":"Conflict","statusCode":409,"code":77}"#)) as Resend,
            false,
        ),
    ]
}

#[test]
fn after_a_lost_answer_nothing_is_resent_and_the_end_is_unknown() {
    support::warm_phone_rules();
    std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for (v1, cases) in [(false, v2_resends()), (true, v1_resends())] {
            for (name, resend, refuse) in cases {
                handles.push(scope.spawn(move || {
                    let started = Instant::now();
                    let (e, posts) = lost_then(v1, resend, refuse, None);
                    let api = if v1 { "v1" } else { "v2" };
                    assert_eq!(posts, 1, "{api} {name}: the SDK re-sent");
                    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{api} {name}: {e:?}");
                    assert_eq!(
                        e.cause_kind(),
                        Some(ErrorKind::Connection),
                        "{api} {name}: {e:?}"
                    );
                    assert!(e.reference().is_some());
                    assert!(
                        started.elapsed() < SEND_DEADLINE + ms(700),
                        "{api} {name}: {:?}",
                        started.elapsed()
                    );
                }));
            }
        }
        for h in handles {
            h.join().unwrap();
        }
    });
}

#[test]
fn after_proven_absence_the_resend_is_judged_on_its_own() {
    // with a short convergence bound, absence is proven and one same-key re-send is allowed: its answer is
    // then a clean write's answer
    let short = Some((ms(200), ms(3000)));
    let (e, posts) = lost_then(
        false,
        || {
            Reply::json(
                409,
                v2_error("DUPLICATE_TRANSACTION", "duplicate", json!({})),
            )
        },
        false,
        short,
    );
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e:?}");
    assert!((2..=5).contains(&posts), "{posts}");
    let (e, posts) = lost_then(
        false,
        || Reply::json(400, v2_error("INSUFFICIENT_BALANCE", "low", json!({}))),
        false,
        short,
    );
    assert_eq!(
        (e.kind(), posts),
        (ErrorKind::InsufficientBalance, 2),
        "{e:?}"
    );
    let (e, posts) = lost_then(
        true,
        || {
            Reply::json(
                403,
                r#"{"message":"External reference ID already exists","statusCode":500,"code":90}"#,
            )
        },
        false,
        short,
    );
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e:?}");
    assert!(posts >= 2);
    let (e, posts) = lost_then(false, || Reply::json(201, b"{}".to_vec()), false, short);
    assert_eq!(
        e.kind(),
        ErrorKind::OutcomeUnknown,
        "an unreadable 201 to the re-send: {e:?}"
    );
    assert!(posts >= 2);
    // a 429 with a long Retry-After to the re-send (the sandbox's `rate_limit(3600).skip(1)`): the first
    // write was proven absent and the re-send refused before processing — nothing was sold, and it says so
    let (e, posts) = lost_then(
        false,
        || {
            Reply::json(429, v2_error("RATE_LIMIT_EXCEEDED", "slow down", json!({})))
                .with_header("Retry-After", "3600")
        },
        false,
        short,
    );
    assert_eq!((e.kind(), posts), (ErrorKind::RateLimited, 2), "{e:?}");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
}

#[test]
fn after_proven_absence_an_unknown_409_is_still_unknown() {
    let (e, posts) = lost_then(
        false,
        || Reply::json(409, v2_error("CONFLICT", "conflict", json!({}))),
        false,
        // room for the re-send after the bound even on a loaded machine (it once ran out at 900 ms)
        Some((ms(200), ms(2500))),
    );
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e:?}");
    assert!(posts >= 2);
}

#[test]
fn repeated_409s_never_end_as_not_sent() {
    let (e, posts) = lost_then(
        false,
        || {
            Reply::json(
                409,
                v2_error("DUPLICATE_TRANSACTION", "duplicate", json!({})),
            )
        },
        false,
        Some((ms(100), ms(4000))),
    );
    assert!(posts >= 2);
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{posts} posts: {e:?}");
}

#[test]
fn non_committing_faults_with_a_short_bound_resend_once_with_the_same_key() {
    // drop before commit: proven absent after the bound, then exactly one re-send with the same key
    let first = Arc::new(AtomicUsize::new(0));
    let f = first.clone();
    let (s, ledger) = scripted(move |req, _, _| {
        (is_post(req) && f.fetch_add(1, Ordering::SeqCst) == 0).then_some(Reply::Close)
    });
    let c = v2b(&s.url)
        .convergence_bound(ms(200))
        .send_deadline(ms(3000))
        .build()
        .unwrap();
    let r = c.topups().create(&order("resend-1")).unwrap();
    assert_eq!(r.meta.origin, Some(SendOrigin::Created));
    assert_eq!(r.meta.attempts, 2);
    let p = s.posts();
    assert_eq!(p.len(), 2);
    assert_eq!(
        p[0].header("idempotency-key"),
        p[1].header("idempotency-key")
    );
    assert_eq!(p[0].body, p[1].body);
    assert_eq!(ledger.lock().unwrap().v2.len(), 1);
    // and V1 (same extRefId, same bytes)
    let first = Arc::new(AtomicUsize::new(0));
    let f = first.clone();
    let (s, ledger) = scripted(move |req, _, _| {
        (is_post(req) && f.fetch_add(1, Ordering::SeqCst) == 0).then(|| {
            Reply::json(
                500,
                r#"{"message":"Internal server error","statusCode":500}"#,
            )
        })
    });
    let c = v1b(&s.url)
        .convergence_bound(ms(200))
        .send_deadline(ms(3000))
        .build()
        .unwrap();
    let r = c.send_topup(&v1_order("RESEND-1")).unwrap();
    assert_eq!(r.meta.origin, Some(SendOrigin::Created));
    let p = s.posts();
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].body, p[1].body);
    assert_eq!(ledger.lock().unwrap().v1.len(), 1);
}

#[test]
fn sandbox_late_commit_is_found_not_duplicated() {
    // the write commits after the client's read timeout; lookups find it once it lands
    let s = sandbox();
    let c2 = sv2(&s).read_timeout(ms(300)).build().unwrap();
    s.inject(
        Fault::late_commit()
            .method("POST")
            .path("/v2/topups")
            .delay(ms(900)),
    );
    let r = c2.topups().create(&order("late-1")).unwrap();
    assert_eq!(r.meta.origin, Some(SendOrigin::Recovered));
    assert_eq!((txs(&s, "v2").len(), posts(&s, "v2")), (1, 1));
    let c1 = sv1(&s).read_timeout(ms(300)).build().unwrap();
    s.inject(
        Fault::late_commit()
            .method("POST")
            .path("/adp")
            .delay(ms(900)),
    );
    let r = c1.send_topup(&v1_order("LATE-1")).unwrap();
    assert_eq!(r.meta.origin, Some(SendOrigin::Recovered));
    assert_eq!((txs(&s, "v1").len(), posts(&s, "v1")), (1, 1));
}

#[test]
fn sandbox_late_commit_beyond_a_short_bound_is_still_one_transaction() {
    // the bound (200 ms) is shorter than the late commit (1 s): the client proves "absence" too early and
    // re-sends; the same key / extRefId keeps it to one transaction
    let s = sandbox();
    let c2 = sv2(&s)
        .read_timeout(ms(300))
        .convergence_bound(ms(200))
        .build()
        .unwrap();
    s.inject(
        Fault::late_commit()
            .method("POST")
            .path("/v2/topups")
            .delay(ms(1000)),
    );
    let r = c2.topups().create(&order("late-2")).unwrap();
    assert_eq!(r.meta.attempts, 2);
    std::thread::sleep(ms(1200));
    assert_eq!((txs(&s, "v2").len(), posts(&s, "v2")), (1, 2));
    assert_eq!(txs(&s, "v2")[0]["id"], r.id.as_str());
    let c1 = sv1(&s)
        .read_timeout(ms(300))
        .convergence_bound(ms(200))
        .build()
        .unwrap();
    s.inject(
        Fault::late_commit()
            .method("POST")
            .path("/adp")
            .delay(ms(1000)),
    );
    let r = c1.send_topup(&v1_order("LATE-2")).unwrap();
    std::thread::sleep(ms(1200));
    assert_eq!((txs(&s, "v1").len(), posts(&s, "v1")), (1, 2));
    assert_eq!(
        txs(&s, "v1")[0]["transactionId"],
        r.transaction_id.as_deref().unwrap()
    );
}
