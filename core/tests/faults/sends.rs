//! Sends under broken answers: the money-safe protocol's decisions.

use super::*;

// ---- sends: the money-safe protocol ----

#[test]
fn lost_answer_after_commit_is_found_not_resent() {
    let s = TestServer::start(|req, _| match (req.method.as_str(), req.path()) {
        ("POST", _) => Reply::Close,
        (_, "/v2/topups") => Reply::json(
            200,
            list_body(vec![
                serde_json::from_slice::<serde_json::Value>(&topup_body("sale-1")).unwrap()["data"]
                    .clone(),
            ]),
        ),
        _ => Reply::json(404, "{}"),
    });
    let r = v2(&s.url).topups().create(&order()).unwrap();
    assert!(r.meta.replayed);
    assert_eq!(r.reference.as_deref(), Some("sale-1"));
    assert_eq!(posts(&s).len(), 1, "never re-sent once found");
    let lookup = s.seen().into_iter().find(|q| q.method == "GET").unwrap();
    assert!(lookup.target.contains("reference=sale-1"));
}

#[test]
fn server_error_is_maybe_received_never_resent_within_the_convergence_bound() {
    let s = TestServer::start(move |req, _| match req.method.as_str() {
        "POST" => Reply::json(
            500,
            r#"{"success":false,"error":{"code":"INTERNAL_ERROR","message":"boom"}}"#,
        ),
        _ => Reply::json(200, list_body(vec![])),
    });
    let e = v2(&s.url).topups().create(&order()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e:?}");
    assert_eq!(e.cause_kind(), Some(ErrorKind::Api));
    assert_eq!(e.reference(), Some("sale-1"));
    assert_eq!(
        posts(&s).len(),
        1,
        "a 5xx may have committed: never re-sent"
    );
    assert!(
        s.seen().iter().filter(|q| q.method == "GET").count() >= 2,
        "looked up until the deadline"
    );
}

#[test]
fn absence_proven_after_the_convergence_bound_is_resent_with_the_same_key_and_body() {
    let count = Arc::new(AtomicUsize::new(0));
    let c2 = count.clone();
    let s = TestServer::start(move |req, _| match req.method.as_str() {
        "POST" if c2.fetch_add(1, Ordering::SeqCst) == 0 => Reply::json(
            500,
            r#"{"success":false,"error":{"code":"INTERNAL_ERROR","message":"boom"}}"#,
        ),
        "POST" => Reply::json(201, topup_body(&reference_of(req))),
        _ => Reply::json(200, list_body(vec![])),
    });
    let c = clickairtime::v2::Client::builder(support::KEY)
        .base_url(&s.url)
        .retry_base_delay(Duration::from_millis(20))
        .max_retry_delay(Duration::from_millis(50))
        .convergence_bound(Duration::from_millis(300))
        .send_deadline(Duration::from_secs(4))
        .build()
        .unwrap();
    let r = c.topups().create(&order()).unwrap();
    assert_eq!(r.meta.attempts, 2);
    assert_eq!(r.meta.origin, Some(clickairtime::SendOrigin::Created));
    let p = posts(&s);
    assert_eq!(p.len(), 2);
    assert_eq!(
        p[0].header("idempotency-key"),
        p[1].header("idempotency-key"),
        "same key on the re-send"
    );
    assert_eq!(p[0].body, p[1].body, "same body on the re-send");
    assert_eq!(
        r.meta.idempotency_key.as_deref(),
        p[0].header("idempotency-key")
    );
    // the re-send came only after lookups spanning the bound
    let seen = s.seen();
    let second = seen.iter().rposition(|q| q.method == "POST").unwrap();
    assert!(seen[..second].iter().filter(|q| q.method == "GET").count() >= 2);
}

#[test]
fn unreadable_success_is_reconciled() {
    let s = TestServer::start(|req, _| match req.method.as_str() {
        "POST" => Reply::json(201, "<<garbage>>"),
        _ => Reply::json(
            200,
            list_body(vec![
                serde_json::from_slice::<serde_json::Value>(&topup_body("sale-1")).unwrap()["data"]
                    .clone(),
            ]),
        ),
    });
    let r = v2(&s.url).topups().create(&order()).unwrap();
    assert!(r.meta.replayed);
    assert_eq!(posts(&s).len(), 1);
}

#[test]
fn never_answering_ends_in_outcome_unknown_with_the_reference() {
    let s = TestServer::start(|req, _| match req.method.as_str() {
        "POST" => Reply::Close,
        _ => Reply::json(200, list_body(vec![])),
    });
    let started = Instant::now();
    let e = v2(&s.url).topups().create(&order()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e:?}");
    assert_eq!(e.reference(), Some("sale-1"));
    assert!(e.idempotency_key().is_some());
    assert_eq!(
        posts(&s).len(),
        1,
        "a write that may have landed is never repeated"
    );
    // the send deadline (4 s) bounds the whole send
    assert!(
        started.elapsed() < Duration::from_millis(4_600),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn unknown_outcome_with_failing_lookups_is_never_resent() {
    let s = TestServer::start(|req, _| match req.method.as_str() {
        "POST" => Reply::Close,
        _ => Reply::json(503, "{}"),
    });
    let e = v2(&s.url).topups().create(&order()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(
        posts(&s).len(),
        1,
        "without a lookup answer nothing is re-sent"
    );
}

#[test]
fn duplicate_409_naming_our_own_record_is_our_success() {
    let s = TestServer::start(|req, _| match (req.method.as_str(), req.path()) {
        ("POST", _) => Reply::json(
            409,
            r#"{"success":false,"error":{"code":"DUPLICATE_TRANSACTION","message":"dup","details":{"transaction_id":"a1b2c3d4-e5f6-7890-abcd-ef1234567890"}}}"#,
        ),
        (_, "/v2/topups/a1b2c3d4-e5f6-7890-abcd-ef1234567890") => {
            Reply::json(200, topup_body("sale-1"))
        }
        _ => Reply::json(200, list_body(vec![])),
    });
    let r = v2(&s.url).topups().create(&order()).unwrap();
    assert!(r.meta.replayed);
    assert_eq!(r.meta.origin, Some(clickairtime::SendOrigin::Replayed));
    assert_eq!(r.id, "a1b2c3d4-e5f6-7890-abcd-ef1234567890");
    assert_eq!(posts(&s).len(), 1);
}

#[test]
fn duplicate_409_naming_another_sale_is_a_duplicate_sale_refusal() {
    let s = TestServer::start(|req, _| match (req.method.as_str(), req.path()) {
        ("POST", _) => Reply::json(
            409,
            r#"{"success":false,"error":{"code":"DUPLICATE_TRANSACTION","message":"dup","details":{"transaction_id":"a1b2c3d4-e5f6-7890-abcd-ef1234567890"}}}"#,
        ),
        (_, "/v2/topups/a1b2c3d4-e5f6-7890-abcd-ef1234567890") => {
            Reply::json(200, topup_body("invoice-12345"))
        }
        _ => Reply::json(200, list_body(vec![])),
    });
    let e = v2(&s.url).topups().create(&order()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DuplicateSale, "{e:?}");
    assert_eq!(
        e.transaction_id(),
        Some("a1b2c3d4-e5f6-7890-abcd-ef1234567890")
    );
    assert_eq!(e.existing_reference(), Some("invoice-12345"));
    assert_eq!(e.reference(), Some("sale-1"));
    assert_eq!(posts(&s).len(), 1);
}

#[test]
fn definitive_failures_are_not_resent_and_carry_the_handles() {
    let s = TestServer::start(|_, _| {
        Reply::json(
            400,
            r#"{"success":false,"error":{"code":"INVALID_AMOUNT","message":"too much"},"meta":{"request_id":"req_aaaaaaaaaaaa"}}"#,
        )
    });
    let e = v2(&s.url).topups().create(&order()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.api_code(), Some("INVALID_AMOUNT"));
    assert_eq!(e.request_id(), Some("req_aaaaaaaaaaaa"));
    assert_eq!(e.reference(), Some("sale-1"));
    assert!(e.idempotency_key().is_some());
    assert_eq!(s.seen().len(), 1);
}

#[test]
fn rate_limited_send_waits_and_resends() {
    let s = TestServer::start(|req, i| {
        if i == 0 {
            Reply::json(429, fixture("v2_error_rate_limited_429_guide.json"))
                .with_header("Retry-After", "0")
        } else {
            Reply::json(201, topup_body(&reference_of(req)))
        }
    });
    let r = v2(&s.url).topups().create(&order()).unwrap();
    assert!(!r.meta.replayed);
    assert_eq!(posts(&s).len(), 2);
}

#[test]
fn v1_lost_answer_is_found_by_ext_ref_id() {
    let s = TestServer::start(|req, _| match req.method.as_str() {
        "POST" => Reply::Close,
        _ => Reply::json(200, fixture("seed_v1_transactions_200.json")),
    });
    let r = v1(&s.url)
        .send_topup(&SendTopUp::amount("265996139030", Decimal::from(100)).ext_ref_id("DS2345"))
        .unwrap();
    assert!(r.meta.replayed);
    assert_eq!(
        r.transaction_id.as_deref(),
        Some("f661f75a-c249-4aef-8cf3-abcdef123456")
    );
    assert_eq!(posts(&s).len(), 1);
    assert!(s.seen()[1].target.contains("extRefId=DS2345"));
}

#[test]
fn v1_server_error_is_outcome_unknown_and_never_resent() {
    let s = TestServer::start(move |req, _| match req.method.as_str() {
        "POST" => Reply::json(
            500,
            r#"{"message":"Internal server error","statusCode":500}"#,
        ),
        _ => Reply::json(
            404,
            r#"{"message":"No transactions found","statusCode":404}"#,
        ),
    });
    let e = v1(&s.url)
        .send_topup(&SendTopUp::amount("263719545499", Decimal::from(100)).ext_ref_id("X-1"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e:?}");
    assert_eq!(e.reference(), Some("X-1"));
    assert_eq!(posts(&s).len(), 1);
}

#[test]
fn host_names_are_resolved_and_reused() {
    let s = TestServer::start(|_, _| Reply::json(200, fixture("v2_balance_200.json")));
    let c = v2(&s.url.replace("127.0.0.1", "localhost"));
    for _ in 0..3 {
        assert_eq!(c.balance().list().unwrap().wallets.len(), 2);
    }
    assert_eq!(s.seen().len(), 3);
}
