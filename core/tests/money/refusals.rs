//! Another sale's record is never this sale's success: duplicate windows, 409s, V1 codes 50 and 90.

use super::*;

// =====================================================================================================
// 1. Another sale's record is never this sale's success
// =====================================================================================================

#[test]
fn v2_duplicate_window_200_with_another_sale_is_duplicate_sale() {
    let other = other_sale_v2();
    let o = other.clone();
    let (s, ledger) = scripted(move |req, _, _| is_post(req).then(|| Reply::json(200, v2_one(&o))));
    ledger.lock().unwrap().v2.push(other);
    let e = v2c(&s.url).topups().create(&order("sale-1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DuplicateSale, "{e:?}");
    assert_eq!(e.transaction_id(), Some(OTHER_ID));
    assert_eq!(e.existing_reference(), Some("sale-0"));
    assert_eq!(e.reference(), Some("sale-1"));
    assert_eq!(
        e.idempotency_key(),
        Some(idempotency_key_for("sale-1").as_str())
    );
    assert!(e.kind().is_definitely_not_sent());
    assert_eq!(s.posts().len(), 1);
    assert_eq!(ledger.lock().unwrap().v2.len(), 1, "nothing new");
}

#[test]
fn v2_unverifiable_200_answer_is_never_success() {
    // a 200 with a record of a different reference AND different sale: not the duplicate window, not ours
    let (s, _) = scripted(|req, _, _| {
        is_post(req).then(|| Reply::json(200, v2_one(&foreign_v2("someone-else"))))
    });
    let e = v2c(&s.url).topups().create(&order("sale-1")).unwrap_err();
    assert_unknown(&e, "sale-1");
    assert_eq!(e.cause_kind(), Some(ErrorKind::UnexpectedResponse));
    assert_eq!(s.posts().len(), 1);
}

#[test]
fn v1_answer_carrying_another_sales_ext_ref_id_is_duplicate_sale() {
    let (s, ledger) = scripted(|req, _, _| {
        is_post(req).then(|| {
            let mut a: serde_json::Value =
                serde_json::from_slice(&v1_answer(OTHER_ID, 50)).unwrap();
            a["data"]["extRefId"] = "SALE-0".into();
            a["data"]["msisdn"] = MSISDN.into();
            Reply::json(200, serde_json::to_vec(&a).unwrap())
        })
    });
    let e = v1c(&s.url).send_topup(&v1_order("SALE-1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DuplicateSale, "{e:?}");
    assert_eq!(e.transaction_id(), Some(OTHER_ID));
    assert_eq!(e.existing_reference(), Some("SALE-0"));
    assert_eq!(e.reference(), Some("SALE-1"));
    assert_eq!(s.posts().len(), 1);
    assert!(ledger.lock().unwrap().v1.is_empty());
}

#[test]
fn sandbox_v2_duplicate_window_in_each_mode() {
    // existing (default): 200 with the first sale
    let s = sandbox();
    let c = sv2(&s).build().unwrap();
    let a = c.topups().create(&order("dup-a")).unwrap();
    assert_eq!(a.meta.origin, Some(SendOrigin::Created));
    let e = c.topups().create(&order("dup-b")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DuplicateSale, "{e:?}");
    assert_eq!(e.transaction_id(), Some(a.id.as_str()));
    assert_eq!(e.existing_reference(), Some("dup-a"));
    assert_eq!(e.reference(), Some("dup-b"));
    assert_eq!((txs(&s, "v2").len(), posts(&s, "v2")), (1, 2));
    assert!(c.topups().reconcile("dup-b").unwrap().is_none());
    // conflict: 409 naming the first sale
    s.reset();
    s.set_duplicate_mode(DuplicateMode::Conflict);
    let a = c.topups().create(&order("dup-c")).unwrap();
    let e = c.topups().create(&order("dup-d")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DuplicateSale, "{e:?}");
    assert_eq!(e.transaction_id(), Some(a.id.as_str()));
    assert_eq!(e.existing_reference(), Some("dup-c"));
    assert_eq!(e.http_status(), Some(409));
    assert_eq!((txs(&s, "v2").len(), posts(&s, "v2")), (1, 2));
    // off: two sales
    s.reset();
    s.set_duplicate_mode(DuplicateMode::Off);
    let a = c.topups().create(&order("dup-e")).unwrap();
    let b = c.topups().create(&order("dup-f")).unwrap();
    assert_ne!(a.id, b.id);
    assert_eq!(b.meta.origin, Some(SendOrigin::Created));
    assert_eq!(txs(&s, "v2").len(), 2);
}

#[test]
fn v2_409_naming_another_sale_in_the_window_is_duplicate_sale() {
    let other = other_sale_v2();
    let (s, ledger) = scripted(|req, _, _| {
        is_post(req).then(|| {
            Reply::json(
                409,
                v2_error(
                    "DUPLICATE_TRANSACTION",
                    "a similar top-up was submitted moments ago",
                    json!({"transaction_id": OTHER_ID, "reference": "sale-0"}),
                ),
            )
        })
    });
    ledger.lock().unwrap().v2.push(other);
    let e = v2c(&s.url).topups().create(&order("sale-1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DuplicateSale, "{e:?}");
    assert_eq!(e.transaction_id(), Some(OTHER_ID));
    assert_eq!(e.existing_reference(), Some("sale-0"));
    assert_eq!(e.api_code(), Some("DUPLICATE_TRANSACTION"));
    assert_eq!(s.posts().len(), 1);
    assert_eq!(ledger.lock().unwrap().v2.len(), 1);
}

#[test]
fn v2_409_naming_a_different_sale_is_reference_conflict() {
    // the key (derived from our reference) was used by another sale: a conflict, not the duplicate window
    let (s, ledger) = scripted(|req, _, _| {
        is_post(req).then(|| {
            Reply::json(
                409,
                v2_error(
                    "DUPLICATE_TRANSACTION",
                    "this Idempotency-Key was already used",
                    json!({"transaction_id": OTHER_ID, "reference": "someone-else"}),
                ),
            )
        })
    });
    ledger.lock().unwrap().v2.push(foreign_v2("someone-else"));
    let e = v2c(&s.url).topups().create(&order("sale-1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ReferenceConflict, "{e:?}");
    assert_eq!(e.transaction_id(), Some(OTHER_ID));
    assert_eq!(s.posts().len(), 1);
}

#[test]
fn v2_409_naming_our_own_record_is_replayed_success() {
    let (s, ledger) = scripted(|req, _, l| {
        is_post(req).then(|| {
            // created by an earlier write of ours (a crash, another till)
            let ours = l.commit_v2(req);
            Reply::json(
                409,
                v2_error(
                    "DUPLICATE_TRANSACTION",
                    "this Idempotency-Key was already used",
                    json!({"transaction_id": ours["id"], "reference": ours["reference"]}),
                ),
            )
        })
    });
    let r = v2c(&s.url).topups().create(&order("sale-1")).unwrap();
    assert_eq!(r.meta.origin, Some(SendOrigin::Replayed));
    assert!(r.meta.replayed);
    let l = ledger.lock().unwrap();
    assert_eq!(l.v2.len(), 1);
    assert_eq!(r.id, l.v2[0]["id"].as_str().unwrap());
    assert_eq!(r.meta.reference.as_deref(), Some("sale-1"));
    assert_eq!(s.posts().len(), 1);
}

#[test]
fn v2_409_naming_nothing_is_outcome_unknown_never_resent() {
    for details in [json!({}), json!({"transaction_id": "no-such-id"})] {
        let (s, ledger) = scripted(move |req, _, _| {
            is_post(req).then(|| {
                Reply::json(
                    409,
                    v2_error("DUPLICATE_TRANSACTION", "duplicate", details.clone()),
                )
            })
        });
        let e = v2c(&s.url).topups().create(&order("sale-1")).unwrap_err();
        assert_unknown(&e, "sale-1");
        assert_eq!(e.cause_kind(), Some(ErrorKind::Duplicate));
        assert_eq!(s.posts().len(), 1);
        assert!(ledger.lock().unwrap().v2.is_empty());
        assert!(s.gets().len() >= 2, "looked up until the deadline");
    }
}

#[test]
fn v2_409_with_an_unknown_code_is_not_a_definite_refusal() {
    let (s, _) = scripted(|req, _, _| {
        is_post(req).then(|| {
            Reply::json(
                409,
                v2_error(
                    "IDEMPOTENCY_KEY_IN_USE",
                    "a request with this key is in progress",
                    json!({}),
                ),
            )
        })
    });
    let e = v2c(&s.url).topups().create(&order("sale-1")).unwrap_err();
    assert_unknown(&e, "sale-1");
    assert_eq!(s.posts().len(), 1);
}

#[test]
fn sandbox_v2_reference_reused_for_another_sale_is_reference_conflict() {
    for mode in [IdempotencyMode::Conflict, IdempotencyMode::Replay] {
        let s = sandbox();
        s.set_idempotency_mode(mode);
        let c = sv2(&s).build().unwrap();
        let a = c.topups().create(&order("shared-ref")).unwrap();
        // same reference (so the same derived key), another phone and amount
        let e = c
            .topups()
            .create(
                &CreateTopUp::amount("+233249870001", 42, Decimal::from(7), "GHS")
                    .reference("shared-ref"),
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ReferenceConflict, "{mode:?}: {e:?}");
        assert_eq!(e.transaction_id(), Some(a.id.as_str()));
        assert_eq!(e.existing_reference(), Some("shared-ref"));
        assert_eq!((txs(&s, "v2").len(), posts(&s, "v2")), (1, 2), "{mode:?}");
        // our own sale again: replayed, never a second transaction
        let again = c.topups().create(&order("shared-ref")).unwrap();
        assert_eq!(again.id, a.id);
        assert_eq!(again.meta.origin, Some(SendOrigin::Replayed), "{mode:?}");
        assert_eq!(txs(&s, "v2").len(), 1);
    }
}

#[test]
fn sandbox_v1_code_90_for_another_sale_is_reference_conflict() {
    let s = sandbox();
    let c = sv1(&s).build().unwrap();
    let a = c.send_topup(&v1_order("EXT-1")).unwrap();
    assert_eq!(a.meta.origin, Some(SendOrigin::Created));
    let e = c
        .send_topup(&SendTopUp::amount("233249870001", Decimal::from(7)).ext_ref_id("EXT-1"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ReferenceConflict, "{e:?}");
    assert_eq!(e.transaction_id(), a.transaction_id.as_deref());
    assert_eq!(e.existing_reference(), Some("EXT-1"));
    assert_eq!(e.reference(), Some("EXT-1"));
    assert_eq!((txs(&s, "v1").len(), posts(&s, "v1")), (1, 2));
}

#[test]
fn sandbox_v1_code_90_for_our_own_earlier_sale_is_replayed_success() {
    let s = sandbox();
    let c = sv1(&s).build().unwrap();
    let a = c.send_topup(&v1_order("EXT-2")).unwrap();
    let b = c.send_topup(&v1_order("EXT-2")).unwrap();
    assert_eq!(b.transaction_id, a.transaction_id);
    assert_eq!(b.meta.origin, Some(SendOrigin::Replayed));
    assert!(b.meta.replayed);
    assert_eq!((txs(&s, "v1").len(), posts(&s, "v1")), (1, 2));
}

#[test]
fn sandbox_v1_code_50_is_duplicate_sale_naming_the_other() {
    let s = Sandbox::start_with(
        SandboxConfig::default()
            .complete_after(ms(50))
            .v1_duplicate_window(Duration::from_secs(30)),
    )
    .unwrap();
    let c = sv1(&s).build().unwrap();
    let a = c.send_topup(&v1_order("NEAR-A")).unwrap();
    let e = c.send_topup(&v1_order("NEAR-B")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DuplicateSale, "{e:?}");
    assert_eq!(e.api_code(), Some("50"));
    assert_eq!(e.transaction_id(), a.transaction_id.as_deref());
    assert_eq!(e.existing_reference(), Some("NEAR-A"));
    assert_eq!(e.reference(), Some("NEAR-B"));
    assert_eq!((txs(&s, "v1").len(), posts(&s, "v1")), (1, 2));
}

#[test]
fn v1_code_50_from_a_hostile_server_is_duplicate_sale() {
    let (s, ledger) = scripted(|req, _, _| {
        is_post(req).then(|| {
            Reply::json(
                403,
                r#"{"message":"Similar request processed recently","statusCode":500,"code":50}"#,
            )
        })
    });
    ledger
        .lock()
        .unwrap()
        .v1
        .push(v1_record(OTHER_ID, Some("SALE-0"), MSISDN, 50, "SUCCESS"));
    let e = v1c(&s.url).send_topup(&v1_order("SALE-1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DuplicateSale, "{e:?}");
    assert_eq!(e.transaction_id(), Some(OTHER_ID));
    assert_eq!(e.existing_reference(), Some("SALE-0"));
    assert_eq!(s.posts().len(), 1);
    assert_eq!(ledger.lock().unwrap().v1.len(), 1);
}
