//! The fault matrix of issue 10: every money-path scenario of items 1–7, for V2 and V1, each against a
//! small hostile local server (`support::TestServer`, scripted over a ledger) or the sandbox. Each case
//! asserts the exact end of the send (kind, or success with its `meta.origin`), the fields that name the
//! sale or the other sale, and how many writes reached the server / how many transactions it holds.

mod support;

use clickairtime::money::{Decimal, parse_amount};
use clickairtime::v1::{self, SendTopUp, TransactionState};
use clickairtime::v2::{self, CreateTopUp, TopUpStatus, idempotency_key_for, webhooks};
use clickairtime::{ClientBuilder, ErrorKind, SendOrigin, WaitOptions};
use clickairtime_sandbox::{DuplicateMode, Fault, IdempotencyMode, Sandbox, SandboxConfig};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use support::{
    KEY, Reply, Seen, Stopper, TOKEN, scripted, v1_answer, v1_list, v1_record, v2_error, v2_one,
    v2_record,
};

const PHONE: &str = "+233541112259";
const MSISDN: &str = "233541112259";
const OTHER_ID: &str = "99999999-9999-4999-8999-999999999999";
const SEND_DEADLINE: Duration = Duration::from_millis(1500);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn v2b(url: &str) -> ClientBuilder<v2::ApiKey> {
    v2::Client::builder(KEY)
        .base_url(url)
        .retry_base_delay(ms(5))
        .max_retry_delay(ms(40))
        .read_timeout(ms(400))
        .timeout(Duration::from_secs(2))
        .send_deadline(SEND_DEADLINE)
}

fn v1b(url: &str) -> ClientBuilder<v1::Credentials> {
    v1::Client::builder("pos@example.com", TOKEN)
        .base_url(url)
        .retry_base_delay(ms(5))
        .max_retry_delay(ms(40))
        .read_timeout(ms(400))
        .timeout(Duration::from_secs(2))
        .send_deadline(SEND_DEADLINE)
}

fn v2c(url: &str) -> v2::Client {
    v2b(url).build().unwrap()
}

fn v1c(url: &str) -> v1::Client {
    v1b(url).build().unwrap()
}

fn order(reference: &str) -> CreateTopUp {
    CreateTopUp::amount(PHONE, 42, Decimal::from(50), "GHS").reference(reference)
}

fn v1_order(ext_ref_id: &str) -> SendTopUp {
    SendTopUp::amount(MSISDN, Decimal::from(50)).ext_ref_id(ext_ref_id)
}

fn is_post(req: &Seen) -> bool {
    req.method == "POST"
}

/// Another sale's V2 record: same phone, network and amount as `order`, another reference.
fn other_sale_v2() -> serde_json::Value {
    v2_record(OTHER_ID, "sale-0", PHONE, 42, "50", "GHS", "completed")
}

/// A V2 record with our reference but another phone and amount.
fn foreign_v2(reference: &str) -> serde_json::Value {
    v2_record(
        OTHER_ID,
        reference,
        "+233249870001",
        42,
        "4321",
        "GHS",
        "completed",
    )
}

fn assert_unknown(e: &clickairtime::Error, reference: &str) {
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e:?}");
    assert_eq!(e.reference(), Some(reference), "{e:?}");
    assert!(!e.kind().is_definitely_not_sent());
}

fn sandbox() -> Sandbox {
    Sandbox::start_with(
        SandboxConfig::default()
            .processing_after(ms(20))
            .complete_after(ms(80))
            .slow_delay(ms(1200)),
    )
    .unwrap()
}

fn sv2(s: &Sandbox) -> ClientBuilder<v2::ApiKey> {
    v2::Client::builder(s.api_key())
        .base_url(s.base_url())
        .retry_base_delay(ms(10))
        .max_retry_delay(ms(60))
        .read_timeout(ms(400))
        .send_deadline(Duration::from_secs(4))
}

fn sv1(s: &Sandbox) -> ClientBuilder<v1::Credentials> {
    v1::Client::builder(s.v1_email(), s.v1_token())
        .base_url(s.base_url())
        .retry_base_delay(ms(10))
        .max_retry_delay(ms(60))
        .read_timeout(ms(400))
        .send_deadline(Duration::from_secs(4))
}

fn txs(s: &Sandbox, version: &str) -> Vec<serde_json::Value> {
    s.transactions()[version]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn posts(s: &Sandbox, version: &str) -> u64 {
    s.stats()[version]["posts"].as_u64().unwrap()
}

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
}

#[test]
fn after_proven_absence_an_unknown_409_is_still_unknown() {
    let (e, posts) = lost_then(
        false,
        || Reply::json(409, v2_error("CONFLICT", "conflict", json!({}))),
        false,
        Some((ms(200), ms(900))),
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

// =====================================================================================================
// 3. Waits past their deadline: STILL_PENDING, never TIMEOUT
// =====================================================================================================

/// A V2 and a V1 wait on a top-up that stays processing, past a 500 ms deadline.
fn waits_past_their_deadline() -> (clickairtime::Error, clickairtime::Error, Duration) {
    let id = "77777777-7777-4777-8777-777777777777";
    let opts = WaitOptions {
        deadline: ms(500),
        initial_interval: ms(50),
        ..Default::default()
    };
    let (s, _) = scripted(move |_, _, _| {
        Some(Reply::json(
            200,
            v2_one(&v2_record(id, "w-1", PHONE, 42, "50", "GHS", "processing")),
        ))
    });
    let t = Instant::now();
    let e2 = v2c(&s.url).topups().wait(id, &opts).unwrap_err();
    let took = t.elapsed();
    let (s, _) = scripted(move |_, _, _| {
        Some(v1_list(&[v1_record(
            OTHER_ID,
            Some("W-1"),
            MSISDN,
            50,
            "PROCESSING",
        )]))
    });
    let e1 = v1c(&s.url).wait("W-1", &opts).unwrap_err();
    (e2, e1, took)
}

#[test]
fn waits_past_their_deadline_are_still_pending_with_id_and_status() {
    let (e2, e1, took) = waits_past_their_deadline();
    assert_eq!(e2.kind(), ErrorKind::StillPending, "{e2:?}");
    assert_eq!(
        e2.transaction_id(),
        Some("77777777-7777-4777-8777-777777777777")
    );
    assert_eq!(e2.status(), Some("processing"), "the last status seen");
    assert!(!e2.kind().is_definitely_not_sent());
    assert!(took < ms(1500), "{took:?}");
    assert_eq!(e1.kind(), ErrorKind::StillPending, "{e1:?}");
    assert_eq!(e1.transaction_id(), Some(OTHER_ID));
    assert_eq!(e1.reference(), Some("W-1"));
    assert_eq!(e1.status(), Some("PROCESSING"), "the last status seen");
}

#[test]
fn a_wait_is_bounded_even_when_every_poll_hangs() {
    let (s, _) = scripted(|_, _, _| {
        Some(Reply::Delay(
            Duration::from_secs(20),
            Box::new(Reply::Close),
        ))
    });
    let c = v2::Client::builder(KEY).base_url(&s.url).build().unwrap();
    let t = Instant::now();
    let e = c
        .topups()
        .wait(
            "77777777-7777-4777-8777-777777777777",
            &WaitOptions {
                deadline: ms(1000),
                initial_interval: ms(50),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StillPending, "{e:?}");
    assert!(t.elapsed() < ms(1700), "{:?}", t.elapsed());
}

#[test]
fn v2_wait_tolerates_one_transient_404_right_after_create() {
    let id = "66666666-6666-4666-8666-666666666666";
    let n = Arc::new(AtomicUsize::new(0));
    let n2 = n.clone();
    let (s, _) = scripted(move |_, _, _| {
        Some(if n2.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::json(
                404,
                v2_error("TRANSACTION_NOT_FOUND", "not found", json!({})),
            )
        } else {
            Reply::json(
                200,
                v2_one(&v2_record(id, "w-2", PHONE, 42, "50", "GHS", "completed")),
            )
        })
    });
    let done = v2c(&s.url)
        .topups()
        .wait(
            id,
            &WaitOptions {
                deadline: ms(3000),
                initial_interval: ms(50),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(done.status, TopUpStatus::Completed);
    assert_eq!(n.load(Ordering::SeqCst), 2);
    // a 404 that outlasts the grace ends the wait, bounded
    let (s, _) = scripted(|_, _, _| {
        Some(Reply::json(
            404,
            v2_error("TRANSACTION_NOT_FOUND", "not found", json!({})),
        ))
    });
    let e = v2c(&s.url)
        .topups()
        .wait(
            id,
            &WaitOptions {
                deadline: ms(3000),
                initial_interval: ms(50),
                not_found_grace: ms(300),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e:?}");
    assert!(s.gets().len() >= 2);
}

// =====================================================================================================
// 4. send_deadline is a hard bound
// =====================================================================================================

#[test]
fn send_deadline_bounds_a_send_against_a_hanging_server() {
    support::warm_phone_rules();
    let hang = || Reply::Delay(Duration::from_secs(20), Box::new(Reply::Close));
    std::thread::scope(|scope| {
        let mut hs = Vec::new();
        for (v1, post_hangs) in [(false, true), (true, true), (false, false), (true, false)] {
            hs.push(scope.spawn(move || {
                let (s, _) = scripted(move |req, _, _| {
                    Some(if is_post(req) && !post_hangs {
                        Reply::Close
                    } else {
                        hang()
                    })
                });
                // default timeouts (30 s read, 60 s total): only the deadline bounds it
                let t = Instant::now();
                let e = if v1 {
                    v1::Client::builder("pos@example.com", TOKEN)
                        .base_url(&s.url)
                        .send_deadline(Duration::from_secs(2))
                        .build()
                        .unwrap()
                        .send_topup(&v1_order("HANG-1"))
                        .unwrap_err()
                } else {
                    v2::Client::builder(KEY)
                        .base_url(&s.url)
                        .send_deadline(Duration::from_secs(2))
                        .build()
                        .unwrap()
                        .topups()
                        .create(&order("hang-1"))
                        .unwrap_err()
                };
                let took = t.elapsed();
                assert_eq!(
                    e.kind(),
                    ErrorKind::OutcomeUnknown,
                    "v1={v1} post_hangs={post_hangs}: {e:?}"
                );
                assert!(
                    took <= ms(2600),
                    "v1={v1} post_hangs={post_hangs}: took {took:?}"
                );
                assert_eq!(s.posts().len(), 1);
            }));
        }
        for h in hs {
            h.join().unwrap();
        }
    });
}

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

// =====================================================================================================
// 5. Handles before the write (the crash cases themselves are in crash.rs)
// =====================================================================================================

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
