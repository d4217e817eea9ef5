//! Every core operation against the sandbox over real HTTP: both versions, errors, quirks, waits,
//! pagination, webhooks, rate limits, and the money-safety protocol under each injected fault.

mod support;

use clickairtime::money::Decimal;
use clickairtime::v1::{self, ProcessingMode, SendTopUp, TransactionFilter, TransactionState};
use clickairtime::v2::{self, CreateTopUp, ListTopUps, TopUpStatus, webhooks};
use clickairtime::{ErrorKind, WaitOptions};
use clickairtime_sandbox::{Fault, Sandbox, SandboxConfig};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

const PHONE: &str = "+233541112259";

fn sandbox() -> Sandbox {
    Sandbox::start_with(
        SandboxConfig::default()
            .processing_after(Duration::from_millis(50))
            .complete_after(Duration::from_millis(200))
            .slow_delay(Duration::from_millis(1500)),
    )
    .unwrap()
}

fn v2c(s: &Sandbox) -> v2::Client {
    v2::Client::builder(s.api_key())
        .base_url(format!("{}/v2", s.base_url()))
        .retry_base_delay(Duration::from_millis(20))
        .max_retry_delay(Duration::from_millis(100))
        .read_timeout(Duration::from_millis(700))
        .send_deadline(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn v1c(s: &Sandbox) -> v1::Client {
    v1::Client::builder(s.v1_email(), s.v1_token())
        .base_url(s.base_url())
        .retry_base_delay(Duration::from_millis(20))
        .max_retry_delay(Duration::from_millis(100))
        .read_timeout(Duration::from_millis(700))
        .send_deadline(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn fast_wait() -> WaitOptions {
    WaitOptions {
        deadline: Duration::from_secs(10),
        initial_interval: Duration::from_millis(50),
        max_interval: Duration::from_millis(200),
        ..WaitOptions::default()
    }
}

fn magic(n: u32) -> String {
    format!("+2335550000{n:02}")
}

fn count(s: &Sandbox, version: &str) -> usize {
    s.transactions()[version]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0)
}

fn ghs(n: i64) -> Decimal {
    Decimal::from(n)
}

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

// ---------------- webhooks ----------------

#[test]
fn webhook_delivered_by_the_sandbox_verifies_and_parses() {
    let s = sandbox();
    let c = v2c(&s);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(false).unwrap();
    let url = format!(
        "http://127.0.0.1:{}/hook",
        listener.local_addr().unwrap().port()
    );
    let r = c
        .topups()
        .create(&CreateTopUp::amount(PHONE, 42, ghs(5), "GHS").callback_url(url))
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming().take(2) {
            let mut conn = conn.unwrap();
            conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                headers.push(line.trim().to_owned());
            }
            let get = |n: &str| {
                headers.iter().find_map(|h| {
                    h.split_once(':')
                        .filter(|(k, _)| k.eq_ignore_ascii_case(n))
                        .map(|(_, v)| v.trim().to_owned())
                })
            };
            let len: usize = get("content-length").unwrap().parse().unwrap();
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .unwrap();
            tx.send((
                get("x-webhook-signature").unwrap(),
                get("x-webhook-timestamp").unwrap(),
                get("x-webhook-event").unwrap(),
                body,
            ))
            .unwrap();
        }
    });
    let (sig, ts, event, body) = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("a webhook arrives");
    let ev = webhooks::construct_event(
        &body,
        &sig,
        &ts,
        s.api_key(),
        Some(webhooks::DEFAULT_TOLERANCE),
    )
    .unwrap();
    assert_eq!(ev.event_type.as_str(), event);
    assert_eq!(ev.topup.as_ref().unwrap().id, r.id);
    assert_eq!(
        c.verify_webhook(&body, &sig, &ts).unwrap().event_type,
        ev.event_type
    );
    let e = webhooks::verify(
        &body,
        &sig,
        &ts,
        "ce_live_wrongwrongwrongwrongwrongwrong00",
        None,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidSignature);
    let mut tampered = body.clone();
    tampered.push(b' ');
    assert!(webhooks::verify(&tampered, &sig, &ts, s.api_key(), None).is_err());
}

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

// ---------------- money safety: each fault × version ----------------
//
// Faults that commit before failing (drop after commit, slow answer) end in success through the verified
// lookup, with exactly one transaction. Faults that do not commit (drop before commit, 5xx before commit)
// may have been received as far as the client can tell: within the convergence bound nothing is re-sent and
// the send ends OUTCOME_UNKNOWN with no transaction; with a short bound, absence is proven and one
// same-key re-send creates exactly one.

fn v2_send(
    c: &v2::Client,
    phone: &str,
    reference: &str,
) -> clickairtime::Result<clickairtime::Response<v2::TopUp>> {
    c.topups()
        .create(&CreateTopUp::amount(phone, 42, ghs(5), "GHS").reference(reference))
}

/// A client whose sends end within 2 s (for the OUTCOME_UNKNOWN cases).
fn v2_short(s: &Sandbox) -> v2::Client {
    v2::Client::builder(s.api_key())
        .base_url(s.base_url())
        .retry_base_delay(Duration::from_millis(20))
        .max_retry_delay(Duration::from_millis(100))
        .read_timeout(Duration::from_millis(700))
        .send_deadline(Duration::from_secs(2))
        .build()
        .unwrap()
}

/// A client with a 300 ms convergence bound: "not found" 300 ms after the last write proves absence.
fn v2_bound(s: &Sandbox) -> v2::Client {
    v2::Client::builder(s.api_key())
        .base_url(s.base_url())
        .retry_base_delay(Duration::from_millis(20))
        .max_retry_delay(Duration::from_millis(100))
        .read_timeout(Duration::from_millis(700))
        .convergence_bound(Duration::from_millis(300))
        .send_deadline(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn v1_short(s: &Sandbox) -> v1::Client {
    v1::Client::builder(s.v1_email(), s.v1_token())
        .base_url(s.base_url())
        .retry_base_delay(Duration::from_millis(20))
        .max_retry_delay(Duration::from_millis(100))
        .read_timeout(Duration::from_millis(700))
        .send_deadline(Duration::from_secs(2))
        .build()
        .unwrap()
}

fn v1_bound(s: &Sandbox) -> v1::Client {
    v1::Client::builder(s.v1_email(), s.v1_token())
        .base_url(s.base_url())
        .retry_base_delay(Duration::from_millis(20))
        .max_retry_delay(Duration::from_millis(100))
        .read_timeout(Duration::from_millis(700))
        .convergence_bound(Duration::from_millis(300))
        .send_deadline(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn posts(s: &Sandbox, version: &str) -> u64 {
    s.stats()[version]["posts"].as_u64().unwrap()
}

/// Exactly one transaction exists, and it is the verified record the client returned, from `origin`.
fn assert_one_success_v2(
    s: &Sandbox,
    outcome: clickairtime::Result<clickairtime::Response<v2::TopUp>>,
    reference: &str,
    origin: clickairtime::SendOrigin,
) {
    let txs = s.transactions()["v2"].as_array().unwrap().clone();
    assert_eq!(
        txs.len(),
        1,
        "{reference}: exactly one transaction: {txs:?}"
    );
    let r = outcome.unwrap_or_else(|e| panic!("{reference}: {e:?}"));
    assert_eq!(r.id, txs[0]["id"].as_str().unwrap());
    assert_eq!(txs[0]["reference"], reference);
    assert_eq!(r.meta.origin, Some(origin), "{reference}");
    assert_eq!(r.meta.reference.as_deref(), Some(reference));
}

/// Nothing was created, and the client said it cannot tell (never "not sent", never success).
fn assert_unknown_none(s: &Sandbox, version: &str, e: clickairtime::Error, reference: &str) {
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{reference}: {e:?}");
    assert_eq!(e.reference(), Some(reference));
    assert!(e.cause_kind().is_some());
    assert_eq!(count(s, version), 0, "{reference}");
    assert_eq!(
        posts(s, version),
        1,
        "{reference}: never re-sent within the bound"
    );
}

#[test]
fn v2_drop_after_commit() {
    let s = sandbox();
    let c = v2c(&s);
    let out = v2_send(&c, &magic(7), "f-drop");
    assert_one_success_v2(&s, out, "f-drop", clickairtime::SendOrigin::Recovered);
    assert_eq!(posts(&s, "v2"), 1);
}

#[test]
fn v2_server_error_before_commit() {
    // magic 08: 500 on the first POST of a key, nothing committed
    let s = sandbox();
    let e = v2_send(&v2_short(&s), &magic(8), "f-500").unwrap_err();
    assert_eq!(e.cause_kind(), Some(ErrorKind::Api));
    assert_eq!(e.http_status(), Some(500));
    assert_unknown_none(&s, "v2", e, "f-500");
    // with a short bound: proven absent, re-sent once with the same key, created once
    let s = sandbox();
    let out = v2_send(&v2_bound(&s), &magic(8), "f-500b");
    assert_eq!(out.as_ref().map(|r| r.meta.attempts).ok(), Some(2));
    assert_one_success_v2(&s, out, "f-500b", clickairtime::SendOrigin::Created);
    assert_eq!(posts(&s, "v2"), 2);
}

#[test]
fn v2_slow_answer_beyond_the_read_timeout() {
    let s = sandbox();
    let c = v2c(&s);
    let out = v2_send(&c, &magic(9), "f-slow");
    assert_one_success_v2(&s, out, "f-slow", clickairtime::SendOrigin::Recovered);
    assert_eq!(posts(&s, "v2"), 1);
}

#[test]
fn v2_injected_faults() {
    use clickairtime::SendOrigin::{Created, Recovered};
    // committed before failing: found by the verified lookup
    let s = sandbox();
    s.inject(Fault::drop_after_commit().method("POST").path("/v2/topups"));
    let out = v2_send(&v2c(&s), PHONE, "drop-after");
    assert_one_success_v2(&s, out, "drop-after", Recovered);
    // not processed (429): re-sent after the wait, created once
    let s = sandbox();
    s.inject(Fault::rate_limit(0).method("POST").path("/v2/topups"));
    let out = v2_send(&v2c(&s), PHONE, "rate-limit");
    assert_one_success_v2(&s, out, "rate-limit", Created);
    assert_eq!(posts(&s, "v2"), 2);
    // not committed, but the client cannot know: unknown, nothing re-sent within the bound
    for (fault, name) in [
        (Fault::drop_before_commit(), "drop-before"),
        (Fault::server_error(), "server-error"),
    ] {
        let s = sandbox();
        s.inject(fault.clone().method("POST").path("/v2/topups"));
        let e = v2_send(&v2_short(&s), PHONE, name).unwrap_err();
        assert_unknown_none(&s, "v2", e, name);
        // with a short bound: absence proven, one same-key re-send, exactly one transaction
        let s = sandbox();
        s.inject(fault.method("POST").path("/v2/topups"));
        let bounded = format!("{name}-bounded");
        let out = v2_send(&v2_bound(&s), PHONE, &bounded);
        assert_one_success_v2(&s, out, &bounded, Created);
        assert_eq!(posts(&s, "v2"), 2);
    }
}

#[test]
fn v2_duplicate_409_answer_after_commit() {
    let s = sandbox();
    let c = v2c(&s);
    s.inject(
        Fault::new(clickairtime_sandbox::FaultKind::Duplicate409)
            .method("POST")
            .path("/v2/topups"),
    );
    let out = v2_send(&c, PHONE, "f-409");
    assert!(out.as_ref().unwrap().meta.replayed);
    assert_one_success_v2(&s, out, "f-409", clickairtime::SendOrigin::Replayed);
}

#[test]
fn v2_outcome_unknown_when_the_network_stays_down() {
    let s = sandbox();
    let c = v2::Client::builder(s.api_key())
        .base_url(s.base_url())
        .retry_base_delay(Duration::from_millis(20))
        .max_retry_delay(Duration::from_millis(50))
        .max_retries(1)
        .send_deadline(Duration::from_secs(2))
        .build()
        .unwrap();
    // the write lands, then the answer and every lookup are lost
    s.inject(Fault::drop_after_commit().method("POST").path("/v2/topups"));
    s.inject(Fault::drop_before_commit().method("GET").count(1000));
    support::warm_phone_rules();
    let t = Instant::now();
    let e = v2_send(&c, PHONE, "f-down").unwrap_err();
    assert!(
        t.elapsed() < Duration::from_millis(2600),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(e.reference(), Some("f-down"));
    let txs = s.transactions()["v2"].as_array().unwrap().clone();
    assert_eq!(txs.len(), 1, "the write landed exactly once");
    assert_eq!(
        txs[0]["reference"], "f-down",
        "and the reference in the error finds it"
    );
    assert_eq!(posts(&s, "v2"), 1);
    s.reset();
}

fn assert_one_success_v1(
    s: &Sandbox,
    outcome: clickairtime::Result<clickairtime::Response<v1::Transaction>>,
    reference: &str,
    origin: clickairtime::SendOrigin,
) {
    let txs = s.transactions()["v1"].as_array().unwrap().clone();
    assert_eq!(
        txs.len(),
        1,
        "{reference}: exactly one transaction: {txs:?}"
    );
    let r = outcome.unwrap_or_else(|e| panic!("{reference}: {e:?}"));
    assert_eq!(
        r.transaction_id.as_deref(),
        txs[0]["transactionId"].as_str()
    );
    assert_eq!(txs[0]["extRefId"], reference);
    assert_eq!(r.meta.origin, Some(origin), "{reference}");
}

#[test]
fn v1_faults_each_leave_the_truth() {
    use clickairtime::SendOrigin::{Created, Recovered};
    let send = |c: &v1::Client, msisdn: &str, name: &str| {
        c.send_topup(&SendTopUp::amount(msisdn, ghs(5)).ext_ref_id(name))
    };
    // committed before failing: found
    for (n, name) in [(7, "V1-DROP"), (9, "V1-SLOW")] {
        let s = sandbox();
        let out = send(&v1c(&s), &magic(n)[1..], name);
        assert_one_success_v1(&s, out, name, Recovered);
        assert_eq!(posts(&s, "v1"), 1);
    }
    let s = sandbox();
    s.inject(Fault::drop_after_commit().method("POST").path("/adp"));
    let out = send(&v1c(&s), "233541112259", "V1-INJ-DROP");
    assert_one_success_v1(&s, out, "V1-INJ-DROP", Recovered);
    let s = sandbox();
    s.inject(Fault::rate_limit(0).method("POST").path("/adp"));
    let out = send(&v1c(&s), "233541112259", "V1-INJ-429");
    assert_one_success_v1(&s, out, "V1-INJ-429", Created);
    assert_eq!(posts(&s, "v1"), 2);
    // not committed: unknown within the bound; one re-send and one transaction with a short bound
    let s = sandbox();
    let e = send(&v1_short(&s), &magic(8)[1..], "V1-500").unwrap_err();
    assert_unknown_none(&s, "v1", e, "V1-500");
    let s = sandbox();
    let out = send(&v1_bound(&s), &magic(8)[1..], "V1-500B");
    assert_one_success_v1(&s, out, "V1-500B", Created);
    assert_eq!(posts(&s, "v1"), 2);
    for (fault, name) in [
        (Fault::server_error(), "V1-INJ-500"),
        (Fault::drop_before_commit(), "V1-INJ-BEFORE"),
    ] {
        let s = sandbox();
        s.inject(fault.clone().method("POST").path("/adp"));
        let e = send(&v1_short(&s), "233541112259", name).unwrap_err();
        assert_unknown_none(&s, "v1", e, name);
        let s = sandbox();
        s.inject(fault.method("POST").path("/adp"));
        let bounded = format!("{name}-B");
        let out = send(&v1_bound(&s), "233541112259", &bounded);
        assert_one_success_v1(&s, out, &bounded, Created);
        assert_eq!(posts(&s, "v1"), 2);
    }
}
