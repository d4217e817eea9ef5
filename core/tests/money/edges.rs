//! Smaller items: HTML 404s, DNS and refused connections, refused lookups, amounts.

use super::*;

// =====================================================================================================
// 6. Smaller items
// =====================================================================================================

#[test]
fn v1_lookup_404_with_an_html_body_is_not_none() {
    // with a short bound, a "none" would prove absence and re-send: an HTML 404 must not
    let (s, _) = scripted(|req, _, _| {
        Some(if is_post(req) {
            Reply::Close
        } else {
            Reply::Http {
                status: 404,
                content_type: "text/html",
                headers: vec![],
                body: b"<html><body><h1>404 Not Found</h1><hr>nginx</body></html>".to_vec(),
            }
        })
    });
    let c = v1b(&s.url).convergence_bound(ms(100)).build().unwrap();
    let e = c.send_topup(&v1_order("HTML-1")).unwrap_err();
    assert_unknown(&e, "HTML-1");
    assert_eq!(
        s.posts().len(),
        1,
        "an HTML 404 was taken as 'no such transaction'"
    );
    // the sandbox's html_404 fault, after a committed write whose answer was lost
    let sb = sandbox();
    let c = sv1(&sb)
        .convergence_bound(ms(100))
        .send_deadline(ms(1500))
        .build()
        .unwrap();
    sb.inject(Fault::drop_after_commit().method("POST").path("/adp"));
    sb.inject(
        Fault::html_404()
            .method("GET")
            .path("/adp/transactions")
            .count(1000),
    );
    let e = c.send_topup(&v1_order("HTML-2")).unwrap_err();
    assert_unknown(&e, "HTML-2");
    assert_eq!((txs(&sb, "v1").len(), posts(&sb, "v1")), (1, 1));
    // V2 too
    let c = sv2(&sb)
        .convergence_bound(ms(100))
        .send_deadline(ms(1500))
        .build()
        .unwrap();
    sb.inject(Fault::drop_after_commit().method("POST").path("/v2/topups"));
    sb.inject(
        Fault::html_404()
            .method("GET")
            .path("/v2/topups")
            .count(1000),
    );
    let e = c.topups().create(&order("html-3")).unwrap_err();
    assert_unknown(&e, "html-3");
    assert_eq!((txs(&sb, "v2").len(), posts(&sb, "v2")), (1, 1));
}

#[test]
fn dns_failure_is_a_quick_definite_connection_error() {
    support::warm_phone_rules();
    let t = Instant::now();
    let e = v2::Client::builder(KEY)
        .base_url("https://clickairtime-test-nonexistent.invalid")
        .proxy_from_env(false)
        .retry_base_delay(ms(20))
        .max_retry_delay(ms(50))
        .build()
        .unwrap()
        .topups()
        .create(&order("dns-1"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection, "{e:?}");
    assert!(e.kind().is_definitely_not_sent());
    assert_eq!(e.reference(), Some("dns-1"));
    let e1 = v1::Client::builder("pos@example.com", TOKEN)
        .base_url("https://clickairtime-test-nonexistent.invalid")
        .proxy_from_env(false)
        .retry_base_delay(ms(20))
        .max_retry_delay(ms(50))
        .build()
        .unwrap()
        .send_topup(&v1_order("DNS-1"))
        .unwrap_err();
    assert_eq!(e1.kind(), ErrorKind::Connection, "{e1:?}");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[test]
fn refused_connection_before_any_write_is_not_sent() {
    let port = support::refused_port();
    let c = v2b(&format!("http://127.0.0.1:{port}")).build().unwrap();
    let e = c.topups().create(&order("refused-1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection, "{e:?}");
    assert!(e.kind().is_definitely_not_sent());
}

#[test]
fn a_lookup_refused_for_permission_is_named_in_the_unknown() {
    let (s, _) = scripted(|req, _, _| {
        Some(if is_post(req) {
            Reply::Close
        } else {
            Reply::json(
                403,
                v2_error("INSUFFICIENT_PERMISSIONS", "Forbidden", json!({})),
            )
        })
    });
    let e = v2c(&s.url).topups().create(&order("perm-1")).unwrap_err();
    assert_unknown(&e, "perm-1");
    assert_eq!(e.cause_kind(), Some(ErrorKind::PermissionDenied), "{e:?}");
    assert!(
        e.message().contains("airtime.transactions.read"),
        "{}",
        e.message()
    );
    assert_eq!(s.posts().len(), 1);
    assert_eq!(
        s.gets().len(),
        1,
        "a refused lookup is not retried until the deadline"
    );
}

#[test]
fn a_v1_lookup_refused_with_403_ends_unknown_at_once() {
    let (s, _) = scripted(|req, _, _| {
        Some(if is_post(req) {
            Reply::Close
        } else {
            Reply::json(403, r#"{"message":"Forbidden","statusCode":403}"#)
        })
    });
    let e = v1c(&s.url).send_topup(&v1_order("PERM-1")).unwrap_err();
    assert_unknown(&e, "PERM-1");
    assert!(e.message().contains("Forbidden"), "{}", e.message());
    assert_eq!(e.cause_kind(), Some(ErrorKind::PermissionDenied), "{e:?}");
    assert!(e.message().contains("permission"), "{}", e.message());
    assert_eq!(s.posts().len(), 1);
    assert_eq!(
        s.gets().len(),
        1,
        "a refused lookup is not retried until the deadline"
    );
}

#[test]
fn v1_sync_send_recovered_after_a_lost_answer_returns_the_state_the_lookup_shows() {
    let (s, ledger) = scripted(|req, _, l| {
        is_post(req).then(|| {
            l.commit_v1(req);
            let i = l.v1.len() - 1;
            l.v1[i]["state"] = "PROCESSING".into();
            Reply::Close
        })
    });
    let r = v1c(&s.url).send_topup(&v1_order("SYNC-1")).unwrap();
    assert_eq!(r.meta.origin, Some(SendOrigin::Recovered));
    assert_eq!(r.state, TransactionState::Processing);
    assert_eq!(
        r.transaction_id.as_deref(),
        ledger.lock().unwrap().v1[0]["transactionId"].as_str()
    );
    assert_eq!(r.ext_ref_id.as_deref(), Some("SYNC-1"));
}

#[test]
fn amounts_are_refused_before_sending_with_the_field_named() {
    let (s, _) = scripted(|_, _, _| Some(Reply::json(500, "must not be called")));
    let c = v2c(&s.url);
    let tiny = Decimal::from_scientific("1e-28").unwrap();
    for (amount, currency) in [
        (tiny, "GHS"),
        (Decimal::ZERO, "GHS"),
        ("12.345".parse::<Decimal>().unwrap(), "GHS"),
        ("-1".parse::<Decimal>().unwrap(), "GHS"),
        ("500.5".parse::<Decimal>().unwrap(), "UGX"),
    ] {
        let e = c
            .topups()
            .create(&CreateTopUp::amount(PHONE, 42, amount, currency).reference("amt-1"))
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidInput, Some("amount")),
            "{amount} {currency}: {e:?}"
        );
    }
    if let Ok(d) = Decimal::from_scientific("1e-30") {
        let e = c
            .topups()
            .create(&CreateTopUp::amount(PHONE, 42, d, "GHS"))
            .unwrap_err();
        assert_eq!(e.field(), Some("amount"), "{d}");
    }
    assert_eq!(
        parse_amount("amount", "1e-30").unwrap_err().field(),
        Some("amount")
    );
    let c1 = v1c(&s.url);
    for amount in [tiny, Decimal::ZERO, "12.3456".parse::<Decimal>().unwrap()] {
        let e = c1
            .send_topup(&SendTopUp::amount(MSISDN, amount))
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidInput, Some("amount")),
            "{amount}: {e:?}"
        );
    }
    assert!(s.seen().is_empty(), "nothing was sent");
}
