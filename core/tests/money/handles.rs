//! Handles before the write (the crash cases themselves are in crash), and webhook timestamps.

use super::*;

// =====================================================================================================
// 5. Handles before the write (the crash cases themselves are in the crash tests)
// =====================================================================================================

#[test]
fn with_handles_fixes_the_same_handles_as_prepared_and_checked_is_validate_then_prepared() {
    // the bindings fix the handles before a send (so that even a panic can name them) without checking the
    // number a second time: `create` checks it, once, before any write
    let typed =
        CreateTopUp::amount("+233 54 111 2259", 42, Decimal::from(5), "GHS").reference("h-1");
    let h = typed.with_handles();
    assert_eq!(
        h.phone_number, "+233 54 111 2259",
        "the number is left as given"
    );
    assert_eq!(
        h.idempotency_key.as_deref(),
        Some(idempotency_key_for("h-1").as_str())
    );
    assert_eq!(
        h.prepared(),
        typed.prepared(),
        "the same order once prepared"
    );
    let fresh = CreateTopUp::amount(PHONE, 42, Decimal::from(5), "GHS").with_handles();
    let r = fresh.reference.clone().unwrap();
    assert!(r.starts_with("ca-"));
    assert_eq!(fresh.idempotency_key, Some(idempotency_key_for(&r)));
    assert_eq!(typed.checked().unwrap(), typed.prepared());
    assert_eq!(typed.checked().unwrap().phone_number, PHONE);
    let bad = CreateTopUp::amount("+233 12", 42, Decimal::from(5), "GHS");
    assert_eq!(bad.checked().unwrap_err().field(), Some("phone_number"));
    let no_currency = CreateTopUp {
        currency: None,
        ..typed.clone()
    };
    assert_eq!(no_currency.checked().unwrap_err().field(), Some("currency"));
    // V1: the extRefId alone
    let v1 = SendTopUp::amount("+233 54 111 2259", Decimal::ONE);
    let h = v1.with_handles();
    assert!(h.ext_ref_id.is_some() && h.msisdn == "+233 54 111 2259");
    assert_eq!(v1.checked().unwrap().msisdn, MSISDN);
    assert_eq!(
        SendTopUp::amount("12", Decimal::ONE)
            .checked()
            .unwrap_err()
            .field(),
        Some("msisdn")
    );
}

#[test]
fn the_same_reference_carries_the_same_key_in_every_client() {
    assert_eq!(idempotency_key_for("r-1"), idempotency_key_for("r-1"));
    assert_ne!(idempotency_key_for("r-1"), idempotency_key_for("r-2"));
    let o = CreateTopUp::amount(PHONE, 42, Decimal::from(5), "GHS").prepared();
    let r = o.reference.clone().unwrap();
    assert!(r.starts_with("ca-"));
    assert_eq!(
        o.idempotency_key.as_deref(),
        Some(idempotency_key_for(&r).as_str())
    );
    assert_eq!(o.prepared(), o, "preparing twice changes nothing");
    assert!(
        SendTopUp::amount(MSISDN, Decimal::ONE)
            .prepared()
            .ext_ref_id
            .is_some()
    );
    // two processes' worth of clients, same order: the same key on the wire (a 409 keeps it to one)
    let (s, ledger) = scripted(|req, _, l| {
        is_post(req).then(|| {
            if let Some(first) = l.v2.first().cloned() {
                Reply::json(
                    409,
                    v2_error(
                        "DUPLICATE_TRANSACTION",
                        "used",
                        json!({"transaction_id": first["id"]}),
                    ),
                )
            } else {
                Reply::json(201, v2_one(&l.commit_v2(req)))
            }
        })
    });
    let a = v2c(&s.url).topups().create(&order("same-1")).unwrap();
    let b = v2c(&s.url).topups().create(&order("same-1")).unwrap();
    let p = s.posts();
    assert_eq!(
        p[0].header("idempotency-key"),
        p[1].header("idempotency-key")
    );
    assert_eq!(
        p[0].header("idempotency-key"),
        Some(idempotency_key_for("same-1").as_str())
    );
    assert_eq!(
        (a.id.clone(), a.meta.origin),
        (b.id.clone(), Some(SendOrigin::Created))
    );
    assert_eq!(b.meta.origin, Some(SendOrigin::Replayed));
    assert_eq!(ledger.lock().unwrap().v2.len(), 1);
}

// =====================================================================================================
// 7. Webhook timestamps cannot overflow
// =====================================================================================================

#[test]
fn hostile_webhook_timestamps_are_invalid_signatures_not_panics() {
    let body = br#"{"event":"topup.completed","data":{}}"#;
    let client = v2c("http://127.0.0.1:9");
    for ts in [
        "-9223372036854775808",
        "9223372036854775807",
        "-1",
        "99999999999999999999",
        "",
        " 1e3",
    ] {
        // even with a valid signature over that timestamp
        let sig = webhooks::sign(body, ts, KEY);
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            vec![
                webhooks::verify(body, &sig, ts, KEY, Some(webhooks::DEFAULT_TOLERANCE)),
                webhooks::construct_event(body, &sig, ts, KEY, Some(webhooks::DEFAULT_TOLERANCE))
                    .map(|_| ()),
                client.verify_webhook(body, &sig, ts).map(|_| ()),
            ]
        }))
        .unwrap_or_else(|_| panic!("timestamp {ts:?} panicked"));
        for (n, r) in out.into_iter().enumerate() {
            assert_eq!(
                r.unwrap_err().kind(),
                ErrorKind::InvalidSignature,
                "{ts:?} #{n}"
            );
        }
    }
    // i64::MIN against any clock and any tolerance
    let ts = "-9223372036854775808";
    let sig = webhooks::sign(body, ts, KEY);
    for now in [std::time::UNIX_EPOCH, std::time::SystemTime::now()] {
        for tol in [Duration::from_secs(1), Duration::from_secs(u64::MAX / 4)] {
            let r = std::panic::catch_unwind(|| {
                webhooks::verify_at(body, &sig, ts, KEY, Some(tol), now)
            })
            .expect("no panic");
            assert_eq!(r.unwrap_err().kind(), ErrorKind::InvalidSignature);
        }
    }
}
