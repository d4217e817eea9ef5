//! V1 against the sandbox: sync and async sends, waits, lookups, failures, duplicate extRefIds.

use super::*;

// ---------------- V1 ----------------

#[test]
fn v1_sync_async_wait_and_lookups() {
    let s = sandbox();
    let c = v1c(&s);
    let before: Decimal = c.balances().unwrap().iter().map(|b| b.balance).sum();
    let r = c
        .send_topup(&SendTopUp::amount("233541112259", ghs(5)).ext_ref_id("SYNC-1"))
        .unwrap();
    assert_eq!(
        (r.state.clone(), r.code),
        (TransactionState::Success, Some(1))
    );
    assert!(r.transaction_id.is_some());
    let a = c
        .send_topup(
            &SendTopUp::amount("233541112259", ghs(7))
                .ext_ref_id("ASYNC-1")
                .mode(ProcessingMode::Async),
        )
        .unwrap();
    assert_eq!(
        (a.state.clone(), a.code),
        (TransactionState::Pending, Some(232))
    );
    let done = c.wait("ASYNC-1", &fast_wait()).unwrap();
    assert_eq!(done.state, TransactionState::Success);
    let by_id = c
        .transactions(&TransactionFilter::transaction_id(
            r.transaction_id.clone().unwrap(),
        ))
        .unwrap();
    assert_eq!(by_id.len(), 1);
    assert_eq!(
        by_id[0].code,
        Some(1),
        "single lookup mirrors the state in code"
    );
    let by_msisdn = c
        .transactions(&TransactionFilter::msisdn("233541112259"))
        .unwrap();
    assert_eq!(by_msisdn.len(), 2);
    let and = c
        .transactions(&TransactionFilter {
            msisdn: Some("233541112259".into()),
            ext_ref_id: Some("SYNC-1".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(and.len(), 1);
    assert!(
        c.transactions(&TransactionFilter::ext_ref_id("nope"))
            .unwrap()
            .is_empty()
    );
    let after: Decimal = c.balances().unwrap().iter().map(|b| b.balance).sum();
    assert_eq!(before - after, ghs(12));
    let catalog = c.product_catalog().unwrap();
    assert!(!catalog.is_empty());
    let products = c.products(catalog[0].service_id).unwrap();
    assert!(!products.is_empty());
    let p = c.product(products[0].id).unwrap();
    assert_eq!(p.id, products[0].id);
    let one = c
        .balance(c.balances().unwrap()[0].account_id.as_deref().unwrap())
        .unwrap();
    assert!(one.balance > Decimal::ZERO);
}

#[test]
fn v1_failures_and_states() {
    let s = sandbox();
    let c = v1c(&s);
    let msisdn = |n: u32| magic(n)[1..].to_owned();
    for (n, kind) in [
        (1, ErrorKind::InsufficientBalance),
        (11, ErrorKind::InsufficientBalance),
        (2, ErrorKind::InvalidRecipient),
        (13, ErrorKind::DeliveryFailed),
    ] {
        let e = c
            .send_topup(&SendTopUp::amount(msisdn(n), ghs(5)))
            .unwrap_err();
        assert_eq!(e.kind(), kind, "magic {n}: {e:?}");
    }
    let failed = c.send_topup(&SendTopUp::amount(msisdn(3), ghs(5))).unwrap();
    assert_eq!(failed.state, TransactionState::Failed);
    for (n, state, code) in [
        (4, TransactionState::Timeout, 160),
        (5, TransactionState::Underdelivered, 5),
        (6, TransactionState::Cancelled, 170),
    ] {
        let r = c
            .send_topup(&SendTopUp::amount(msisdn(n), ghs(5)).mode(ProcessingMode::Async))
            .unwrap();
        let done = c
            .wait(r.meta.reference.as_deref().unwrap(), &fast_wait())
            .unwrap();
        assert_eq!(done.state, state, "magic {n}");
        assert_eq!(done.code, Some(code));
    }
    let pending = c
        .send_topup(&SendTopUp::amount(msisdn(12), ghs(5)))
        .unwrap();
    assert_eq!(
        (pending.state.clone(), pending.code),
        (TransactionState::Pending, Some(10))
    );
    let e = c
        .wait(
            "missing-ref",
            &WaitOptions {
                deadline: Duration::from_millis(300),
                ..fast_wait()
            },
        )
        .unwrap_err();
    // a wait never reports "not sent": past its deadline it is still pending, whatever it saw
    assert_eq!(
        (e.kind(), e.reference()),
        (ErrorKind::StillPending, Some("missing-ref"))
    );
    let bad = v1::Client::builder("x@y.z", "wrong")
        .base_url(s.base_url())
        .build()
        .unwrap();
    assert_eq!(
        bad.balances().unwrap_err().kind(),
        ErrorKind::Authentication
    );
}

#[test]
fn v1_duplicate_ext_ref_id_of_our_own_sale_returns_the_existing_record() {
    let s = sandbox();
    let c = v1c(&s);
    let a = c
        .send_topup(&SendTopUp::amount("233541112259", ghs(5)).ext_ref_id("ONCE"))
        .unwrap();
    let b = c
        .send_topup(&SendTopUp::amount("233541112259", ghs(5)).ext_ref_id("ONCE"))
        .unwrap();
    assert_eq!(a.transaction_id, b.transaction_id);
    assert_eq!(b.meta.origin, Some(clickairtime::SendOrigin::Replayed));
    assert!(b.meta.replayed);
    assert_eq!(count(&s, "v1"), 1);
    // the same extRefId for a different sale: a conflict naming the first, never its success
    let e = c
        .send_topup(&SendTopUp::amount("233541112250", ghs(6)).ext_ref_id("ONCE"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ReferenceConflict, "{e:?}");
    assert_eq!(e.transaction_id(), a.transaction_id.as_deref());
    assert_eq!(count(&s, "v1"), 1);
}
