//! Money safety: each injected fault against each API version.

use super::*;

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
