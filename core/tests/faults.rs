//! Faults the sandbox does not produce, from a deliberately broken local server: garbage and truncated
//! bodies, wrong content types, slow drips, redirects, huge bodies; and the send protocol's decisions under
//! each of them. Every case must end in a typed error (with the body kept where there is one), never a panic.

mod support;

use clickairtime::ErrorKind;
use clickairtime::money::Decimal;
use clickairtime::v1::SendTopUp;
use clickairtime::v2::CreateTopUp;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::{Reply, Seen, TestServer, fixture, v1, v2};

fn topup_body(reference: &str) -> Vec<u8> {
    let mut v: serde_json::Value =
        serde_json::from_slice(&fixture("seed_v2_topup_create_201.json")).unwrap();
    v["data"]["reference"] = reference.into();
    serde_json::to_vec(&v).unwrap()
}

fn list_body(items: Vec<serde_json::Value>) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "success": true, "data": items,
        "meta": {"request_id": "req_000000000001", "pagination": {"page": 1, "per_page": 100, "total": items.len(), "total_pages": 1, "has_next": false, "has_prev": false}}
    }))
    .unwrap()
}

fn posts(s: &TestServer) -> Vec<Seen> {
    s.seen()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect()
}

fn reference_of(req: &Seen) -> String {
    let v: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    v["reference"].as_str().unwrap().to_owned()
}

fn order() -> CreateTopUp {
    CreateTopUp::amount("+233541112259", 42, Decimal::from(50), "GHS").reference("sale-1")
}

// ---- reads: broken answers ----

#[test]
fn garbage_body_is_unexpected_response_with_body() {
    let s = TestServer::start(|_, _| Reply::json(200, "{not json at all"));
    let e = v2(&s.url).balance().list().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnexpectedResponse);
    assert_eq!(e.http_status(), Some(200));
    assert_eq!(e.body(), Some("{not json at all"));
}

#[test]
fn html_with_wrong_content_type() {
    let s = TestServer::start(|_, _| Reply::Http {
        status: 200,
        content_type: "text/html",
        headers: vec![],
        body: b"<html><body>Captive portal</body></html>".to_vec(),
    });
    let e = v2(&s.url).catalog().networks(None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnexpectedResponse);
    assert!(e.body().unwrap().contains("Captive portal"));
}

#[test]
fn json_of_the_wrong_shape() {
    let s = TestServer::start(|_, _| Reply::json(200, r#"{"success":true,"data":"surprise"}"#));
    let e = v2(&s.url).balance().list().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnexpectedResponse);
    let s = TestServer::start(|_, _| Reply::json(200, r#"{"success":true}"#));
    assert_eq!(
        v2(&s.url).balance().list().unwrap_err().kind(),
        ErrorKind::UnexpectedResponse
    );
    let s = TestServer::start(|_, _| Reply::json(200, ""));
    assert_eq!(
        v2(&s.url).balance().list().unwrap_err().kind(),
        ErrorKind::UnexpectedResponse
    );
}

#[test]
fn truncated_body_is_retried_then_a_typed_error() {
    let s = TestServer::start(|_, _| {
        Reply::Raw(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"success\":tr".to_vec())
    });
    let e = v2(&s.url).balance().list().unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::Connection | ErrorKind::UnexpectedResponse
        ),
        "{e:?}"
    );
    assert_eq!(s.seen().len(), 4, "a read is retried max_retries (3) times");
}

#[test]
fn invalid_status_line() {
    let s = TestServer::start(|_, _| Reply::Raw(b"SMTP READY\r\n\r\n".to_vec()));
    let e = v2(&s.url).balance().list().unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::UnexpectedResponse | ErrorKind::Connection
        ),
        "{e:?}"
    );
}

#[test]
fn slowloris_answer_times_out_within_bounds() {
    let s = TestServer::start(|_, _| {
        Reply::Drip(
            b"HTTP/1.1 200 OK\r\nContent-Length: 9999\r\n\r\n{\"success\":true".to_vec(),
            Duration::from_millis(150),
        )
    });
    let c = clickairtime::v2::Client::builder(support::KEY)
        .base_url(&s.url)
        .read_timeout(Duration::from_millis(400))
        .timeout(Duration::from_millis(900))
        .max_retries(0)
        .build()
        .unwrap();
    let t = Instant::now();
    let e = c.balance().list().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e:?}");
    assert!(t.elapsed() < Duration::from_secs(3));
}

#[test]
fn huge_body_is_refused() {
    let s = TestServer::start(|_, _| Reply::json(200, vec![b' '; 5 * 1024 * 1024]));
    let c = clickairtime::v2::Client::builder(support::KEY)
        .base_url(&s.url)
        .max_retries(0)
        .build()
        .unwrap();
    let e = c.balance().list().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnexpectedResponse, "{e:?}");
}

#[test]
fn redirects_are_not_followed() {
    let s = TestServer::start(|_, _| {
        Reply::json(302, "").with_header("Location", "http://127.0.0.1:9/elsewhere")
    });
    let e = v2(&s.url).balance().list().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnexpectedResponse);
    assert_eq!(e.http_status(), Some(302));
    assert_eq!(s.seen().len(), 1);
}

#[test]
fn gateway_error_pages_are_retried_and_kept() {
    let s = TestServer::start(|_, _| Reply::Http {
        status: 502,
        content_type: "text/html",
        headers: vec![],
        body: b"<h1>502 Bad Gateway</h1>".to_vec(),
    });
    let e = v2(&s.url).balance().list().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.http_status(), Some(502));
    assert!(e.body().unwrap().contains("Bad Gateway"));
    assert_eq!(s.seen().len(), 4);
}

#[test]
fn rate_limit_is_honoured_then_succeeds() {
    let s = TestServer::start(|_, i| {
        if i == 0 {
            Reply::json(429, fixture("v2_error_rate_limited_429_guide.json"))
                .with_header("Retry-After", "1")
        } else {
            Reply::json(200, fixture("v2_balance_200.json"))
                .with_header("X-RateLimit-Limit", "60")
                .with_header("X-RateLimit-Remaining", "58")
                .with_header("X-RateLimit-Reset", "1705312260")
        }
    });
    let c = v2(&s.url);
    let t = Instant::now();
    let r = c.balance().list().unwrap();
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "waited for Retry-After"
    );
    let rl = r.meta.rate_limit.unwrap();
    assert_eq!(
        (rl.limit, rl.remaining, rl.reset),
        (Some(60), Some(58), Some(1705312260))
    );
    assert_eq!(c.last_rate_limit(), Some(rl));
}

#[test]
fn a_long_retry_after_is_returned_not_slept() {
    let s = TestServer::start(|_, _| {
        Reply::json(429, fixture("v2_error_rate_limited_429_guide.json"))
            .with_header("Retry-After", "3600")
    });
    let t = Instant::now();
    let e = v2(&s.url).balance().list().unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(2));
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(s.seen().len(), 1);
}

#[test]
fn https_to_a_plain_http_server_is_a_tls_error() {
    // a server that answers plain HTTP bytes to the TLS client hello
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut conn, _)) = listener.accept() {
            use std::io::Write;
            let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    let c = clickairtime::v2::Client::builder(support::KEY)
        .base_url(format!("https://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    let e = c.balance().list().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e:?}");
    assert_eq!(e.http_status(), None);
}

#[test]
fn nothing_listening_is_a_connection_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = v2(&format!("http://127.0.0.1:{port}"))
        .balance()
        .list()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection, "{e:?}");
}

#[test]
fn invalid_input_never_reaches_the_network() {
    let s = TestServer::start(|_, _| Reply::json(500, "should not be called"));
    let c = v2(&s.url);
    let cases: Vec<(CreateTopUp, &str)> = vec![
        (
            CreateTopUp::amount("233541112259", 42, Decimal::from(5), "GHS"),
            "phone_number",
        ),
        (
            CreateTopUp::amount("+233541112259", 0, Decimal::from(5), "GHS"),
            "network_id",
        ),
        (
            CreateTopUp::amount("+233541112259", 42, Decimal::from(-5), "GHS"),
            "amount",
        ),
        (
            CreateTopUp::amount("+233541112259", 42, Decimal::from(5), "ghs"),
            "currency",
        ),
        (
            CreateTopUp {
                amount: Some(Decimal::ONE),
                product_id: Some("x".into()),
                ..order()
            },
            "amount",
        ),
        (
            CreateTopUp {
                amount: None,
                currency: None,
                ..order()
            },
            "amount",
        ),
        (
            order().callback_url("http://example.com/hook"),
            "callback_url",
        ),
        (order().reference(""), "reference"),
        (order().idempotency_key("bad\nkey"), "idempotency_key"),
    ];
    for (req, field) in cases {
        let e = c.topups().create(&req).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidInput, Some(field)),
            "{req:?}"
        );
    }
    let list = |f: clickairtime::v2::ListTopUps| {
        c.topups().list(&f).unwrap_err().field().map(str::to_owned)
    };
    assert_eq!(
        list(clickairtime::v2::ListTopUps {
            per_page: Some(101),
            ..Default::default()
        })
        .as_deref(),
        Some("per_page")
    );
    assert_eq!(
        list(clickairtime::v2::ListTopUps {
            page: Some(0),
            ..Default::default()
        })
        .as_deref(),
        Some("page")
    );
    assert_eq!(
        list(clickairtime::v2::ListTopUps {
            sort: Some("amount".into()),
            ..Default::default()
        })
        .as_deref(),
        Some("sort")
    );
    assert_eq!(
        list(clickairtime::v2::ListTopUps {
            from: Some("last week".into()),
            ..Default::default()
        })
        .as_deref(),
        Some("from")
    );
    assert_eq!(c.topups().get("../etc").unwrap_err().field(), Some("id"));
    assert_eq!(
        c.catalog().lookup(None, None).unwrap_err().field(),
        Some("phone_number")
    );
    assert_eq!(
        c.catalog().networks(Some("Ghana")).unwrap_err().field(),
        Some("country_code")
    );
    let c1 = v1(&s.url);
    assert_eq!(
        c1.send_topup(&SendTopUp::amount("0541112259", Decimal::ONE))
            .unwrap_err()
            .field(),
        Some("msisdn"),
        "a national number without its country"
    );
    assert_eq!(
        c1.send_topup(&SendTopUp {
            msisdn: "233541112259".into(),
            ..Default::default()
        })
        .unwrap_err()
        .field(),
        Some("amount")
    );
    assert_eq!(
        c1.transactions(&Default::default()).unwrap_err().field(),
        Some("transaction_id")
    );
    assert!(s.seen().is_empty(), "no request was made");
}

#[test]
fn secrets_never_show() {
    let s = TestServer::start(|_, _| {
        Reply::json(
            401,
            r#"{"success":false,"error":{"code":"INVALID_API_KEY","message":"bad key"}}"#,
        )
    });
    let c = v2(&s.url);
    let e = c.balance().list().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    for text in [format!("{c:?}"), format!("{e}"), format!("{e:?}")] {
        assert!(!text.contains(support::KEY), "{text}");
    }
    let c1 = v1(&s.url);
    let e1 = c1.balances().unwrap_err();
    for text in [format!("{c1:?}"), format!("{e1}"), format!("{e1:?}")] {
        assert!(!text.contains(support::TOKEN), "{text}");
    }
    let b =
        clickairtime::v2::Client::builder(support::KEY).proxy("http://user:hunter2@127.0.0.1:3128");
    assert!(!format!("{b:?}").contains(support::KEY) && !format!("{b:?}").contains("hunter2"));
}

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
