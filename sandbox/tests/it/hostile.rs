//! Hostile faults: late commits, foreign and extra records on lookups, HTML 404s, and `skip`.

use crate::common::*;
use clickairtime_sandbox::{Fault, FaultKind, Sandbox};
use serde_json::{Value, json};
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn sale(reference: &str, value: u32) -> Value {
    json!({"phone_number": "+233541112259", "network_id": 42,
        "amount": {"value": value, "currency": "GHS"}, "reference": reference})
}

fn by_reference(c: &Client, reference: &str) -> Vec<Value> {
    let r = c.v2_get(&format!("/v2/topups?reference={reference}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["data"].as_array().unwrap().clone()
}

#[test]
fn late_commit_v2_times_out_then_appears() {
    let sb = start();
    let c = Client::new(&sb);
    sb.inject(
        Fault::late_commit()
            .delay(Duration::from_millis(1000))
            .method("POST")
            .path("/v2/topups"),
    );
    let impatient = Client::with_timeout(&sb, Duration::from_millis(300));
    let t = Instant::now();
    assert!(
        impatient
            .try_v2_post("/v2/topups", &sale("late-1", 5), Some("late-key"))
            .is_err(),
        "a 300 ms client gets no answer"
    );
    assert!(t.elapsed() < Duration::from_millis(900));
    // The client looks the reference up right away: not there yet.
    assert!(by_reference(&c, "late-1").is_empty());
    assert_eq!(counts(&sb), (0, 0));
    // After the delay the transaction exists, although the client has gone.
    std::thread::sleep(
        Duration::from_millis(1000).saturating_sub(t.elapsed()) + Duration::from_millis(300),
    );
    let found = by_reference(&c, "late-1");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["phone_number"], "+233541112259");
    assert_eq!(counts(&sb), (0, 1));
    // Its key is bound like any other.
    assert_eq!(
        c.v2_post("/v2/topups", &sale("late-1", 5), Some("late-key"))
            .status,
        409
    );
}

#[test]
fn late_commit_loses_to_a_resend_that_arrives_first() {
    let sb = start();
    let c = Client::new(&sb);
    sb.inject(
        Fault::late_commit()
            .delay(Duration::from_millis(800))
            .path("/v2/topups"),
    );
    let impatient = Client::with_timeout(&sb, Duration::from_millis(150));
    assert!(
        impatient
            .try_v2_post("/v2/topups", &sale("late-2", 6), Some("k2"))
            .is_err()
    );
    // Re-sent with the same key before the late request is handled: it creates the top-up...
    let resent = c.v2_post("/v2/topups", &sale("late-2", 6), Some("k2"));
    assert_eq!(resent.status, 201);
    // ... and the late request, handled after it, finds the key taken: still one top-up.
    std::thread::sleep(Duration::from_millis(900));
    assert_eq!(counts(&sb), (0, 1));
    assert_eq!(sb.stats()["v2"]["posts"], 2);
}

#[test]
fn late_commit_v1_commits_after_the_client_disconnected() {
    let sb = start();
    let c = Client::new(&sb);
    sb.inject(
        Fault::late_commit()
            .delay(Duration::from_millis(800))
            .path("/adp"),
    );
    assert_eq!(
        c.control_get("/_sandbox/faults")["faults"][0]["fault"],
        "late_commit"
    );
    let body = json!({"msisdn": "233541112259", "amount": 5, "extRefId": "LATE-V1"}).to_string();
    let request = raw_post(
        "/adp",
        &[
            ("X-Click-Airtime-Email", sb.v1_email()),
            ("X-Click-Airtime-Token", sb.v1_token()),
        ],
        &body,
    );
    let t = Instant::now();
    {
        let mut s = TcpStream::connect(("127.0.0.1", sb.port())).unwrap();
        s.write_all(&request).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        // Dropped: the client is gone.
    }
    let lookup = || c.v1_get("/adp/transactions?extRefId=LATE-V1");
    assert_eq!(lookup().status, 404);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(lookup().status, 404, "not before the delay");
    while t.elapsed() < Duration::from_millis(1100) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let found = lookup();
    assert_eq!(found.status, 200);
    assert_eq!(found.json()["data"][0]["extRefId"], "LATE-V1");
    assert_eq!(counts(&sb), (1, 0));

    // Over a connection that stays open: no answer, then the close.
    sb.inject(
        Fault::new(FaultKind::LateCommit)
            .delay(Duration::from_millis(200))
            .path("/adp"),
    );
    let body = json!({"msisdn": "233541112259", "amount": 6, "extRefId": "LATE-V1b"}).to_string();
    let request = raw_post(
        "/adp",
        &[
            ("X-Click-Airtime-Email", sb.v1_email()),
            ("X-Click-Airtime-Token", sb.v1_token()),
        ],
        &body,
    );
    let (out, elapsed) = raw_exchange(&sb, &request, Duration::from_secs(3));
    assert!(
        out.is_empty(),
        "no answer: {:?}",
        String::from_utf8_lossy(&out)
    );
    assert!(elapsed >= Duration::from_millis(200) && elapsed < Duration::from_secs(2));
    assert_eq!(counts(&sb), (2, 0));
}

fn real_sale(sb: &Sandbox, c: &Client) -> Value {
    let r = c.v2_post("/v2/topups", &sale("inv-7", 5), Some("k-7"));
    assert_eq!(r.status, 201);
    assert_eq!(counts(sb), (0, 1));
    r.json()["data"].clone()
}

#[test]
fn foreign_record_v2_replaces_the_real_record() {
    let sb = start();
    let c = Client::new(&sb);
    let real = real_sale(&sb, &c);
    sb.inject(Fault::foreign_record().method("GET").path("/v2/topups"));
    let r = c.v2_get("/v2/topups?reference=inv-7");
    assert_eq!(r.status, 200);
    assert!(r.header("X-RateLimit-Limit").is_some());
    let j = r.json();
    assert_eq!(j["meta"]["pagination"]["total"], 1);
    let data = j["data"].as_array().unwrap();
    assert_eq!(data.len(), 1);
    let f = &data[0];
    assert_eq!(f["reference"], "inv-7");
    assert_ne!(f["id"], real["id"]);
    assert_ne!(f["phone_number"], real["phone_number"]);
    assert_ne!(f["amount"]["value"], real["amount"]["value"]);
    assert_eq!(f["status"], "completed");
    // Fabricated, not committed; the fault is used up.
    assert_eq!(counts(&sb), (0, 1));
    assert_eq!(by_reference(&c, "inv-7")[0]["id"], real["id"]);

    // By id: the requested id, another sale.
    sb.inject(Fault::foreign_record().method("GET").path("/v2/topups/"));
    let id = real["id"].as_str().unwrap();
    let f = c.v2_get(&format!("/v2/topups/{id}")).json()["data"].clone();
    assert_eq!(f["id"], id);
    assert_ne!(f["phone_number"], real["phone_number"]);
    assert_ne!(f["amount"]["value"], real["amount"]["value"]);

    // Nothing real behind the reference or id: still a record (never a 404).
    sb.inject(Fault::foreign_record().count(2));
    let f = by_reference(&c, "nobody")[0].clone();
    assert_eq!(
        (
            f["reference"].clone(),
            f["phone_number"].clone(),
            f["amount"].clone()
        ),
        (
            json!("nobody"),
            json!("+233249870001"),
            json!({"value": 4321, "currency": "GHS"})
        )
    );
    let r = c.v2_get("/v2/topups/00000000-0000-4000-8000-000000000000");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["data"]["id"],
        "00000000-0000-4000-8000-000000000000"
    );

    // A bundle sale: the foreign record has the other bundle.
    let bundle = json!({"phone_number": "+233541112259", "network_id": 42, "product_id": 101, "reference": "b-1"});
    assert_eq!(c.v2_post("/v2/topups", &bundle, None).status, 201);
    sb.inject(Fault::foreign_record());
    let f = by_reference(&c, "b-1")[0].clone();
    assert_eq!(f["product_id"], 102);
    assert_eq!(counts(&sb), (0, 2));
}

#[test]
fn extra_record_v2_comes_first_alongside_the_real_one() {
    let sb = start();
    let c = Client::new(&sb);
    let real = real_sale(&sb, &c);
    sb.inject(Fault::extra_record().method("GET"));
    let j = c.v2_get("/v2/topups?reference=inv-7").json();
    assert_eq!(j["meta"]["pagination"]["total"], 2);
    let data = j["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["reference"], "inv-7");
    assert_ne!(data[0]["phone_number"], real["phone_number"]);
    assert_eq!(data[1]["id"], real["id"]);
    // By id there is room for one record: the foreign one.
    sb.inject(Fault::new(FaultKind::ExtraRecord));
    let id = real["id"].as_str().unwrap();
    let f = c.v2_get(&format!("/v2/topups/{id}")).json()["data"].clone();
    assert!(f.is_object());
    assert_ne!(f["phone_number"], real["phone_number"]);
    // Other requests keep their answer (and use the fault up).
    sb.inject(Fault::extra_record());
    assert_eq!(
        c.v2_get("/v2/topups").json()["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(c.control_get("/_sandbox/faults")["faults"], json!([]));
}

#[test]
fn foreign_and_extra_records_v1() {
    let sb = start();
    let c = Client::new(&sb);
    let sent = c.v1_post(&json!({"msisdn": "233541112259", "amount": 5, "extRefId": "POS-1"}));
    let real = sent.json()["data"].clone();
    c.control_post(
        "/_sandbox/faults",
        &json!({"fault": "foreign_record", "method": "GET", "path": "/adp/transactions"}),
    );
    let r = c.v1_get("/adp/transactions?extRefId=POS-1");
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["code"], 1);
    let data = j["data"].as_array().unwrap();
    assert_eq!(data.len(), 1);
    assert_eq!(data[0]["extRefId"], "POS-1");
    assert_ne!(data[0]["transactionId"], real["transactionId"]);
    assert_ne!(data[0]["msisdn"], "233541112259");
    assert_ne!(data[0]["amount"], 5);
    assert_eq!(data[0]["state"], "SUCCESS");

    c.control_post(
        "/_sandbox/faults",
        &json!({"fault": "extra_record", "path": "/adp/transactions"}),
    );
    let j = c.v1_get("/adp/transactions?extRefId=POS-1").json();
    assert_eq!(
        (j["code"].clone(), j["message"].clone()),
        (json!(1), json!("Success"))
    );
    let data = j["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_ne!(data[0]["msisdn"], "233541112259");
    assert_eq!(data[1]["transactionId"], real["transactionId"]);

    // Unknown reference / id: a fabricated record instead of the 404.
    sb.inject(Fault::foreign_record().count(2));
    let j = c.v1_get("/adp/transactions?extRefId=NOPE").json();
    assert_eq!(j["data"][0]["extRefId"], "NOPE");
    assert_eq!(j["data"][0]["msisdn"], "233249870001");
    let tid = real["transactionId"].as_str().unwrap();
    let j = c
        .v1_get(&format!("/adp/transactions?transaction_Id={tid}"))
        .json();
    assert_eq!(j["data"][0]["transactionId"], tid);
    assert_ne!(j["data"][0]["msisdn"], "233541112259");
    assert_eq!(counts(&sb), (1, 0));
}

#[test]
fn html_404_on_the_lookup_path() {
    let sb = start();
    let c = Client::new(&sb);
    c.v1_post(&json!({"msisdn": "233541112259", "amount": 5, "extRefId": "H-1"}));
    sb.inject(Fault::html_404().method("GET").path("/adp/transactions"));
    let r = c.v1_get("/adp/transactions?extRefId=H-1");
    assert_eq!(r.status, 404);
    assert!(r.header("Content-Type").unwrap().starts_with("text/html"));
    assert!(r.body.contains("<html>") && r.body.contains("404 Not Found"));
    assert!(serde_json::from_str::<Value>(&r.body).is_err());
    assert_eq!(c.v1_get("/adp/transactions?extRefId=H-1").status, 200);
    // On a write: nothing is done.
    c.control_post(
        "/_sandbox/faults",
        &json!({"fault": "html_404", "path": "/v2/topups"}),
    );
    let r = c.v2_post("/v2/topups", &topup_body("+233541112259", 5.0), None);
    assert_eq!(r.status, 404);
    assert_eq!(counts(&sb), (1, 0));
}

#[test]
fn skip_lets_the_first_matching_requests_through() {
    let sb = start();
    let c = Client::new(&sb);
    // A 429 on the re-send only.
    sb.inject(
        Fault::rate_limit(3600)
            .method("POST")
            .path("/v2/topups")
            .skip(1),
    );
    assert_eq!(
        c.v2_get("/v2/balance").status,
        200,
        "other requests do not count"
    );
    let body = sale("skip-1", 5);
    assert_eq!(c.v2_post("/v2/topups", &body, Some("sk")).status, 201);
    let resend = c.v2_post("/v2/topups", &body, Some("sk"));
    assert_eq!(resend.status, 429);
    assert_eq!(resend.header("Retry-After"), Some("3600"));
    assert_eq!(c.v2_post("/v2/topups", &body, Some("sk")).status, 409);

    // Through the control endpoint (`skip`, or its alias `after`), with a count.
    let r = c.control_post(
        "/_sandbox/faults",
        &json!({"fault": "server_error", "path": "/v2/balance", "skip": 2, "count": 2}),
    );
    assert_eq!(r.json()["fault"]["skip"], 2);
    let statuses: Vec<u16> = (0..5).map(|_| c.v2_get("/v2/balance").status).collect();
    assert_eq!(statuses, [200, 200, 500, 500, 200]);
    c.control_post(
        "/_sandbox/faults",
        &json!({"fault": "drop_after_commit", "path": "/adp", "method": "POST", "after": 1}),
    );
    assert_eq!(c.control_get("/_sandbox/faults")["faults"][0]["skip"], 1);
    assert_eq!(
        c.v1_post(&json!({"msisdn": "233541112259", "amount": 5}))
            .json()["code"],
        1
    );
    assert_eq!(c.control_get("/_sandbox/faults")["faults"][0]["skip"], 0);
    assert!(
        c.try_v1_post(&json!({"msisdn": "233541112259", "amount": 6}))
            .is_err()
    );
    assert_eq!(counts(&sb), (2, 1));
    // Every kind accepts it.
    for kind in FaultKind::ALL {
        let r = c.control_post(
            "/_sandbox/faults",
            &json!({"fault": kind.as_str(), "skip": 3, "path": "/nowhere"}),
        );
        assert_eq!(r.status, 200, "{kind}");
    }
}
