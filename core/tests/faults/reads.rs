//! Reads against broken answers: garbage, truncated and huge bodies, slow drips, redirects, retries, TLS,
//! input and secrets.

use super::*;

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
