//! Lookups whose record is not this sale: foreign, several or incomplete records.

use super::*;

// ---- lookups whose record is not this sale ----

#[test]
fn v2_lookup_with_our_reference_on_another_sale() {
    // clean write (409 → lookup): a definite conflict naming the other transaction
    let (s, ledger) = scripted(|req, _, _| {
        is_post(req).then(|| {
            Reply::json(
                409,
                v2_error("DUPLICATE_TRANSACTION", "duplicate", json!({})),
            )
        })
    });
    ledger.lock().unwrap().v2.push(foreign_v2("sale-1"));
    let e = v2c(&s.url).topups().create(&order("sale-1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ReferenceConflict, "{e:?}");
    assert_eq!(e.transaction_id(), Some(OTHER_ID));
    assert_eq!(e.existing_reference(), Some("sale-1"));
    assert_eq!(s.posts().len(), 1);
    // after a lost answer: unknown (it may be ours, hidden), never success
    let (s, ledger) = scripted(|req, _, _| is_post(req).then_some(Reply::Close));
    ledger.lock().unwrap().v2.push(foreign_v2("sale-1"));
    let e = v2c(&s.url).topups().create(&order("sale-1")).unwrap_err();
    assert_unknown(&e, "sale-1");
    assert_eq!(e.cause_kind(), Some(ErrorKind::ReferenceConflict), "{e:?}");
    assert_eq!(s.posts().len(), 1);
}

#[test]
fn v1_lookup_with_our_ext_ref_id_on_another_sale() {
    // clean write (code 90 → lookup)
    let (s, ledger) = scripted(|req, _, _| {
        is_post(req).then(|| {
            Reply::json(
                403,
                r#"{"message":"External reference ID already exists","statusCode":500,"code":90}"#,
            )
        })
    });
    ledger.lock().unwrap().v1.push(v1_record(
        OTHER_ID,
        Some("SALE-1"),
        "233249870001",
        4321,
        "SUCCESS",
    ));
    let e = v1c(&s.url).send_topup(&v1_order("SALE-1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ReferenceConflict, "{e:?}");
    assert_eq!(e.transaction_id(), Some(OTHER_ID));
    assert_eq!(s.posts().len(), 1);
    // after a lost answer
    let (s, ledger) = scripted(|req, _, _| is_post(req).then_some(Reply::Close));
    ledger
        .lock()
        .unwrap()
        .v1
        .push(v1_record(OTHER_ID, Some("SALE-1"), MSISDN, 4321, "SUCCESS"));
    let e = v1c(&s.url).send_topup(&v1_order("SALE-1")).unwrap_err();
    assert_unknown(&e, "SALE-1");
    assert_eq!(s.posts().len(), 1);
}

#[test]
fn sandbox_foreign_record_after_a_lost_answer_is_unknown_never_success() {
    let s = sandbox();
    let c2 = sv2(&s).send_deadline(ms(1500)).build().unwrap();
    let c1 = sv1(&s).send_deadline(ms(1500)).build().unwrap();
    s.inject(Fault::drop_after_commit().method("POST").path("/v2/topups"));
    s.inject(
        Fault::foreign_record()
            .method("GET")
            .path("/v2/topups")
            .count(1000),
    );
    let e = c2.topups().create(&order("f-v2")).unwrap_err();
    assert_unknown(&e, "f-v2");
    s.inject(Fault::drop_after_commit().method("POST").path("/adp"));
    s.inject(
        Fault::foreign_record()
            .method("GET")
            .path("/adp/transactions")
            .count(1000),
    );
    let e = c1.send_topup(&v1_order("F-V1")).unwrap_err();
    assert_unknown(&e, "F-V1");
    // one committed each, one write each
    assert_eq!((txs(&s, "v2").len(), posts(&s, "v2")), (1, 1));
    assert_eq!((txs(&s, "v1").len(), posts(&s, "v1")), (1, 1));
}

#[test]
fn sandbox_foreign_record_once_then_the_real_one_is_recovered() {
    let s = sandbox();
    let c2 = sv2(&s).build().unwrap();
    s.inject(Fault::drop_after_commit().method("POST").path("/v2/topups"));
    s.inject(
        Fault::foreign_record()
            .method("GET")
            .path("/v2/topups")
            .count(1),
    );
    let r = c2.topups().create(&order("f-once")).unwrap();
    assert_eq!(r.meta.origin, Some(SendOrigin::Recovered));
    assert_eq!(r.reference.as_deref(), Some("f-once"));
    assert_eq!(r.phone_number.as_deref(), Some(PHONE));
    assert_eq!(txs(&s, "v2")[0]["id"], r.id.as_str());
}

#[test]
fn several_records_with_our_reference() {
    // none is ours (clean write): a conflict naming the first
    let (s, ledger) = scripted(|req, _, _| {
        is_post(req).then(|| {
            Reply::json(
                409,
                v2_error("DUPLICATE_TRANSACTION", "duplicate", json!({})),
            )
        })
    });
    {
        let mut l = ledger.lock().unwrap();
        l.v2.push(foreign_v2("sale-1"));
        let mut second = foreign_v2("sale-1");
        second["id"] = "88888888-8888-4888-8888-888888888888".into();
        l.v2.push(second);
    }
    let e = v2c(&s.url).topups().create(&order("sale-1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ReferenceConflict, "{e:?}");
    assert_eq!(e.transaction_id(), Some(OTHER_ID));
    assert_eq!(s.posts().len(), 1);
    // after a lost answer (V2 and V1): unknown
    let (s, ledger) = scripted(|req, _, l| {
        is_post(req).then(|| {
            l.commit_v2(req);
            Reply::Close
        })
    });
    ledger.lock().unwrap().v2.push(foreign_v2("sale-1"));
    // ours is among the records: it is this sale, whoever else used the reference
    let r = v2c(&s.url).topups().create(&order("sale-1")).unwrap();
    assert_eq!(r.meta.origin, Some(SendOrigin::Recovered));
    assert_eq!(s.posts().len(), 1);
    let (s, ledger) = scripted(|req, _, l| {
        is_post(req).then(|| {
            l.commit_v1(req);
            Reply::Close
        })
    });
    ledger.lock().unwrap().v1.push(v1_record(
        OTHER_ID,
        Some("SALE-1"),
        "233249870001",
        9,
        "SUCCESS",
    ));
    let r = v1c(&s.url).send_topup(&v1_order("SALE-1")).unwrap();
    assert_eq!(r.meta.origin, Some(SendOrigin::Recovered));
    assert_eq!(s.posts().len(), 1);
}

#[test]
fn several_records_one_of_them_ours_is_never_a_definite_refusal() {
    // our write landed (its answer was lost); another sale carries the same reference too
    let (s, ledger) = scripted(|req, _, l| {
        is_post(req).then(|| {
            l.commit_v2(req);
            Reply::Close
        })
    });
    ledger.lock().unwrap().v2.push(foreign_v2("sale-1"));
    let c = v2b(&s.url)
        .convergence_bound(ms(200))
        .send_deadline(ms(2000))
        .build()
        .unwrap();
    let out = c.topups().create(&order("sale-1"));
    assert_eq!(s.posts().len(), 1);
    match out {
        Ok(r) => assert_eq!(r.id, ledger.lock().unwrap().v2[1]["id"].as_str().unwrap()),
        Err(e) => assert!(
            !e.kind().is_definitely_not_sent(),
            "our sale exists, yet: {e:?}"
        ),
    }
}

#[test]
fn v1_lookup_record_without_ext_ref_id_is_not_accepted() {
    let (s, _) = scripted(|req, _, _| match req.method.as_str() {
        "POST" => Some(Reply::Close),
        // a server that ignores the filter and answers a matching sale without extRefId
        _ => Some(v1_list(&[v1_record(OTHER_ID, None, MSISDN, 50, "SUCCESS")])),
    });
    let e = v1c(&s.url).send_topup(&v1_order("SALE-1")).unwrap_err();
    assert_unknown(&e, "SALE-1");
    assert_eq!(s.posts().len(), 1);
}

#[test]
fn sandbox_extra_record_after_a_lost_answer_finds_ours() {
    // extra_record: a fabricated other sale with our reference first, then ours
    let s = sandbox();
    let c = sv2(&s).send_deadline(ms(1500)).build().unwrap();
    s.inject(Fault::drop_after_commit().method("POST").path("/v2/topups"));
    s.inject(
        Fault::extra_record()
            .method("GET")
            .path("/v2/topups")
            .count(1000),
    );
    // a fabricated other sale with our reference comes first; ours is verified among them
    let r = c.topups().create(&order("x-1")).unwrap();
    assert_eq!(r.meta.origin, Some(SendOrigin::Recovered));
    assert_eq!((txs(&s, "v2").len(), posts(&s, "v2")), (1, 1));
    let c = sv1(&s).send_deadline(ms(1500)).build().unwrap();
    s.inject(Fault::drop_after_commit().method("POST").path("/adp"));
    s.inject(
        Fault::extra_record()
            .method("GET")
            .path("/adp/transactions")
            .count(1000),
    );
    let r = c.send_topup(&v1_order("X-1")).unwrap();
    assert_eq!(r.meta.origin, Some(SendOrigin::Recovered));
    assert_eq!((txs(&s, "v1").len(), posts(&s, "v1")), (1, 1));
}

/// Our reference on a record that lacks the fields to compare: it may be this sale (written before a
/// crash by a till without a journal), so it is never "use a new reference" — and never success.
#[test]
fn incomplete_record_with_our_reference_is_never_a_definite_refusal() {
    let c = |url: &str| {
        v2b(url)
            .convergence_bound(ms(100))
            .send_deadline(ms(1200))
            .build()
            .unwrap()
    };
    // V2: a clean write answered 409; the lookup finds our reference on a record without amount and phone
    let mut incomplete = v2_record(OTHER_ID, "sale-1", PHONE, 42, "50", "GHS", "completed");
    incomplete.as_object_mut().unwrap().remove("amount");
    incomplete.as_object_mut().unwrap().remove("phone_number");
    let (s, ledger) = scripted(|req, _, _| {
        is_post(req).then(|| {
            Reply::json(
                409,
                v2_error("DUPLICATE_TRANSACTION", "duplicate", json!({})),
            )
        })
    });
    ledger.lock().unwrap().v2.push(incomplete.clone());
    let e = c(&s.url).topups().create(&order("sale-1")).unwrap_err();
    assert_unknown(&e, "sale-1");
    assert_eq!(s.posts().len(), 1, "no second write");
    // the same record named by id in the 409's details
    let (s, ledger) = scripted(|req, _, _| {
        is_post(req).then(|| {
            Reply::json(
                409,
                v2_error(
                    "DUPLICATE_TRANSACTION",
                    "duplicate",
                    json!({ "transaction_id": OTHER_ID }),
                ),
            )
        })
    });
    ledger.lock().unwrap().v2.push(incomplete);
    let e = c(&s.url).topups().create(&order("sale-1")).unwrap_err();
    assert_unknown(&e, "sale-1");
    assert_eq!(s.posts().len(), 1, "no second write");
    // V1: code 90 to a clean write, and the record with our extRefId has no msisdn
    let (s, ledger) = scripted(|req, _, _| {
        is_post(req).then(|| {
            Reply::json(
                403,
                r#"{"message":"External reference ID already exists","statusCode":500,"code":90}"#,
            )
        })
    });
    let mut rec = v1_record(OTHER_ID, Some("SALE-1"), MSISDN, 50, "SUCCESS");
    rec.as_object_mut().unwrap().remove("msisdn");
    ledger.lock().unwrap().v1.push(rec);
    let e = v1b(&s.url)
        .convergence_bound(ms(100))
        .send_deadline(ms(1200))
        .build()
        .unwrap()
        .send_topup(&v1_order("SALE-1"))
        .unwrap_err();
    assert_unknown(&e, "SALE-1");
    assert_eq!(s.posts().len(), 1, "no second write");
}

/// A lookup by reference whose answer carries only other references (a server or proxy that ignored the
/// filter) proves nothing: after a lost answer it is unknown, never "not sent", never a conflict.
#[test]
fn lookup_answering_other_references_proves_nothing() {
    let (s, _) = scripted(|req, _, _| match req.method.as_str() {
        "POST" => Some(Reply::Close),
        _ => Some(Reply::json(
            200,
            crate::support::v2_list(&[v2_record(
                OTHER_ID,
                "someone-else",
                "+233249870001",
                42,
                "7",
                "GHS",
                "completed",
            )]),
        )),
    });
    let c = v2b(&s.url)
        .convergence_bound(ms(100))
        .send_deadline(ms(1200))
        .build()
        .unwrap();
    let e = c.topups().create(&order("sale-1")).unwrap_err();
    assert_unknown(&e, "sale-1");
    assert!(
        e.to_string().contains("could not verify"),
        "the cause is named: {e}"
    );
    assert_eq!(s.posts().len(), 1, "no second write");
}

/// `reconcile` over a lookup that ignored its filter: an error, never `None` ("never created").
#[test]
fn reconcile_over_an_ignored_filter_is_an_error_not_none() {
    let (s, _) = scripted(|req, _, _| {
        (req.method == "GET").then(|| {
            if req.path().starts_with("/adp") {
                v1_list(&[v1_record(OTHER_ID, Some("OTHER-9"), MSISDN, 50, "SUCCESS")])
            } else {
                Reply::json(
                    200,
                    crate::support::v2_list(&[v2_record(
                        OTHER_ID,
                        "other-9",
                        PHONE,
                        42,
                        "50",
                        "GHS",
                        "completed",
                    )]),
                )
            }
        })
    });
    let e = v2c(&s.url).topups().reconcile("sale-1").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnexpectedResponse, "{e:?}");
    assert!(e.message().contains("filter was ignored"), "{e}");
    let e = v1c(&s.url).reconcile("SALE-1").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnexpectedResponse, "{e:?}");
    assert!(s.posts().is_empty());
}
