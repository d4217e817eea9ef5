//! V2 against the sandbox: catalog, lifecycle, bundles, failures, waits, pagination, auth, rate limits,
//! duplicates.

use super::*;

// ---------------- V2 ----------------

#[test]
fn v2_catalog() {
    let s = sandbox();
    let c = v2c(&s);
    let l = c.catalog().lookup(Some(PHONE), None).unwrap();
    assert_eq!(l.phone_number.as_deref(), Some(PHONE));
    assert_eq!(l.network.id, 42);
    assert_eq!(l.network.currency.as_deref(), Some("GHS"));
    assert!(l.exchange_rate.as_ref().unwrap().rate.unwrap() > Decimal::ZERO);
    assert!(l.meta.request_id.as_deref().unwrap().starts_with("req_"));
    let by_net = c.catalog().lookup(None, Some(42)).unwrap();
    assert_eq!(by_net.phone_number, None);
    let networks = c.catalog().networks(Some("GH")).unwrap();
    assert!(
        networks
            .iter()
            .all(|n| n.country_code.as_deref() == Some("GH"))
    );
    assert!(networks.len() >= 3);
    let products = c.catalog().products(42).unwrap();
    assert!(!products.products.fixed_bundles.is_empty());
    assert!(products.products.custom_airtime.as_ref().unwrap().available);
    let countries = c.catalog().countries().unwrap();
    assert!(
        countries
            .iter()
            .any(|c| c.country_code.as_deref() == Some("GH"))
    );
    let e = c.catalog().products(999_999).unwrap_err();
    assert_eq!(
        (e.kind(), e.api_code()),
        (ErrorKind::NotFound, Some("NETWORK_NOT_FOUND"))
    );
    let e = c.catalog().lookup(Some("+19995550100"), None).unwrap_err();
    assert_eq!(e.api_code(), Some("HLR_LOOKUP_FAILED"));
}

#[test]
fn v2_topup_lifecycle_and_balance() {
    let s = sandbox();
    let c = v2c(&s);
    let before = c.balance().list().unwrap();
    let ghs_before = before
        .wallets
        .iter()
        .find(|w| w.currency == "GHS")
        .unwrap()
        .balance;
    let r = c
        .topups()
        .create(
            &CreateTopUp::amount(PHONE, 42, ghs(50), "GHS")
                .reference("inv-1")
                .metadata("k", "v"),
        )
        .unwrap();
    assert_eq!(r.meta.http_status, 201);
    assert_eq!(r.status, TopUpStatus::Pending);
    assert_eq!(r.reference.as_deref(), Some("inv-1"));
    assert!(!r.meta.replayed);
    let got = c.topups().get(&r.id).unwrap();
    assert_eq!(got.id, r.id);
    let done = c.topups().wait(&r.id, &fast_wait()).unwrap();
    assert_eq!(done.status, TopUpStatus::Completed);
    assert!(done.completed_at.is_some());
    assert_eq!(done.metadata.as_ref().unwrap()["k"], "v");
    let after = c.balance().list().unwrap();
    let ghs_after = after
        .wallets
        .iter()
        .find(|w| w.currency == "GHS")
        .unwrap()
        .balance;
    assert_eq!(
        ghs_before - ghs_after,
        ghs(50),
        "the GHS wallet paid for it"
    );
    let w = c.balance().get(&after.wallets[0].id).unwrap();
    assert_eq!(w.id, after.wallets[0].id);
    assert_eq!(
        c.balance().get("wal_nope").unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        c.topups()
            .get("00000000-0000-0000-0000-000000000000")
            .unwrap_err()
            .api_code(),
        Some("TRANSACTION_NOT_FOUND")
    );
    assert!(c.last_rate_limit().unwrap().limit.is_some());
}

#[test]
fn v2_bundle_topup() {
    let s = sandbox();
    let c = v2c(&s);
    let bundle = c.catalog().products(42).unwrap().products.fixed_bundles[0].clone();
    let r = c
        .topups()
        .create(&CreateTopUp::product(PHONE, 42, bundle.id.clone()))
        .unwrap();
    assert_eq!(r.product_id.as_deref(), Some(bundle.id.as_str()));
    assert!(
        r.meta.reference.as_deref().unwrap().starts_with("ca-"),
        "a reference was generated"
    );
}

#[test]
fn v2_failures_map_to_kinds_and_are_not_debited() {
    let s = sandbox();
    let c = v2c(&s);
    for (n, kind, status) in [
        (1, ErrorKind::InsufficientBalance, 400),
        (11, ErrorKind::InsufficientBalance, 402),
        (2, ErrorKind::InvalidRecipient, 400),
        (13, ErrorKind::DeliveryFailed, 500),
    ] {
        let e = c
            .topups()
            .create(&CreateTopUp::amount(magic(n), 42, ghs(5), "GHS"))
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.http_status()),
            (kind, Some(status)),
            "magic {n}: {e:?}"
        );
        assert!(e.reference().is_some() && e.idempotency_key().is_some());
    }
    assert_eq!(count(&s, "v2"), 0, "nothing committed");
    let before = c
        .balance()
        .list()
        .unwrap()
        .data
        .available_balance
        .unwrap()
        .amount;
    for (n, reason) in [
        (3, "delivery_failed"),
        (4, "timeout"),
        (5, "underdelivered"),
        (6, "cancelled"),
    ] {
        let r = c
            .topups()
            .create(&CreateTopUp::amount(magic(n), 42, ghs(5), "GHS"))
            .unwrap();
        let done = c.topups().wait(&r.id, &fast_wait()).unwrap();
        assert_eq!(done.status, TopUpStatus::Failed, "magic {n}");
        assert_eq!(done.failure_reason.as_deref(), Some(reason));
    }
    let after = c
        .balance()
        .list()
        .unwrap()
        .data
        .available_balance
        .unwrap()
        .amount;
    assert_eq!(before, after, "failed top-ups are not debited");
    let e = c
        .topups()
        .create(&CreateTopUp::amount(PHONE, 42, ghs(6000), "GHS"))
        .unwrap_err();
    assert_eq!(e.api_code(), Some("INVALID_AMOUNT"));
}

#[test]
fn v2_wait_deadline_is_still_pending_with_the_id() {
    let s = sandbox();
    let c = v2c(&s);
    let r = c
        .topups()
        .create(&CreateTopUp::amount(magic(10), 42, ghs(5), "GHS"))
        .unwrap();
    let t = Instant::now();
    let e = c
        .topups()
        .wait(
            &r.id,
            &WaitOptions {
                deadline: Duration::from_millis(600),
                ..fast_wait()
            },
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StillPending, "{e:?}");
    assert_eq!(e.transaction_id(), Some(r.id.as_str()));
    assert_eq!(e.status(), Some("processing"));
    assert!(
        !e.kind().is_definitely_not_sent(),
        "created: never 'not sent'"
    );
    assert!(t.elapsed() < Duration::from_secs(3));
}

#[test]
fn v2_pagination_filters_and_iterator() {
    let s = sandbox();
    let c = v2c(&s);
    for i in 0..7 {
        c.topups()
            .create(
                &CreateTopUp::amount(PHONE, 42, ghs(10 + i), "GHS").reference(format!("page-{i}")),
            )
            .unwrap();
    }
    c.topups()
        .create(&CreateTopUp::amount("+254722123456", 71, ghs(100), "KES").reference("ke-1"))
        .unwrap();
    let page = c
        .topups()
        .list(&ListTopUps {
            per_page: Some(3),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.len(), 3);
    let p = page.meta.pagination.unwrap();
    assert_eq!((p.total, p.total_pages, p.has_next), (8, 3, true));
    let all: Vec<_> = c
        .topups()
        .list_all(&ListTopUps {
            per_page: Some(3),
            ..Default::default()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all.len(), 8);
    let mut ids: Vec<_> = all.iter().map(|t| t.id.clone()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 8, "no item twice");
    let ke = c
        .topups()
        .list(&ListTopUps {
            phone_number: Some("254722".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(ke.len(), 1);
    let by_ref = c
        .topups()
        .list(&ListTopUps {
            reference: Some("page-3".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_ref[0].reference.as_deref(), Some("page-3"));
    let asc = c
        .topups()
        .list(&ListTopUps {
            sort: Some("created_at".into()),
            per_page: Some(100),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(asc[0].reference.as_deref(), Some("page-0"));
    std::thread::sleep(Duration::from_millis(300));
    let done = c
        .topups()
        .list(&ListTopUps {
            status: Some(TopUpStatus::Completed),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(done.len(), 8);
    let future = c
        .topups()
        .list(&ListTopUps {
            from: Some("2999-01-01".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(future.is_empty());
    assert!(c.topups().reconcile("page-5").unwrap().is_some());
    assert!(c.topups().reconcile("never-sent").unwrap().is_none());
}

#[test]
fn v2_authentication_and_rate_limits() {
    let s = Sandbox::start_with(SandboxConfig::default().rate_limit_per_minute(3)).unwrap();
    let bad = v2::Client::builder("ce_live_00000000000000000000000000000000")
        .base_url(s.base_url())
        .build()
        .unwrap();
    let e = bad.balance().list().unwrap_err();
    assert_eq!(
        (e.kind(), e.api_code()),
        (ErrorKind::Authentication, Some("INVALID_API_KEY"))
    );
    let c = v2::Client::builder(s.api_key())
        .base_url(s.base_url())
        .max_retries(0)
        .build()
        .unwrap();
    let mut limited = None;
    for _ in 0..5 {
        if let Err(e) = c.balance().list() {
            limited = Some(e);
            break;
        }
    }
    let e = limited.expect("the fourth call is limited");
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert!(e.retry_after().is_some());
    assert_eq!(c.last_rate_limit().unwrap().remaining, Some(0));
}

#[test]
fn v2_duplicate_window_refuses_the_second_sale_naming_the_first() {
    let s = sandbox();
    let c = v2c(&s);
    let a = c
        .topups()
        .create(&CreateTopUp::amount(PHONE, 42, ghs(20), "GHS").reference("dup-a"))
        .unwrap();
    let e = c
        .topups()
        .create(&CreateTopUp::amount(PHONE, 42, ghs(20), "GHS").reference("dup-b"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DuplicateSale, "{e:?}");
    assert_eq!(e.transaction_id(), Some(a.id.as_str()));
    assert_eq!(e.existing_reference(), Some("dup-a"));
    assert_eq!(e.reference(), Some("dup-b"));
    assert_eq!(count(&s, "v2"), 1);
    assert_eq!(s.stats()["v2"]["posts"], 2);
    assert!(
        c.topups().reconcile("dup-b").unwrap().is_none(),
        "dup-b was never created"
    );
}

#[test]
fn v2_same_idempotency_key_twice_is_one_transaction() {
    let s = sandbox();
    let c = v2c(&s);
    let req = CreateTopUp::amount(PHONE, 42, ghs(30), "GHS")
        .reference("idem-1")
        .idempotency_key("key-123");
    let a = c.topups().create(&req).unwrap();
    let b = c.topups().create(&req).unwrap();
    assert_eq!(a.id, b.id);
    assert_eq!(a.meta.origin, Some(clickairtime::SendOrigin::Created));
    assert_eq!(b.meta.origin, Some(clickairtime::SendOrigin::Replayed));
    assert!(b.meta.replayed);
    assert_eq!(count(&s, "v2"), 1);
}

#[test]
fn one_client_many_threads() {
    let s = sandbox();
    let c = v2c(&s);
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let c = c.clone();
            std::thread::spawn(move || {
                c.topups()
                    .create(
                        &CreateTopUp::amount(PHONE, 42, ghs(1 + i), "GHS")
                            .reference(format!("t-{i}")),
                    )
                    .unwrap()
                    .id
                    .clone()
            })
        })
        .collect();
    let mut ids: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 8);
    assert_eq!(count(&s, "v2"), 8);
}
