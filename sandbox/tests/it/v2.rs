//! V2 API behaviour.

use crate::common::*;
use clickairtime_sandbox::Sandbox;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub(crate) fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn v2_auth() {
    let sb = start();
    let c = Client::new(&sb);
    let none = c
        .request("GET", "/v2/balance", Auth::None, &[], None)
        .unwrap();
    assert_eq!(none.status, 401);
    let j = none.json();
    assert_eq!(j["success"], false);
    assert_eq!(j["error"]["code"], "INVALID_API_KEY");
    assert!(j["error"]["details"].is_object());
    assert!(is_request_id(j["meta"]["request_id"].as_str().unwrap()));
    assert!(none.header("X-RateLimit-Limit").is_some());

    let malformed = c
        .request("GET", "/v2/balance", Auth::Bearer("abc"), &[], None)
        .unwrap();
    assert_eq!(malformed.status, 401);
    assert_eq!(malformed.json()["error"]["code"], "INVALID_API_KEY");
    let other = format!("ce_live_{}", "a".repeat(32));
    let wrong = c
        .request("GET", "/v2/balance", Auth::Bearer(&other), &[], None)
        .unwrap();
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json()["error"]["code"], "INVALID_API_KEY");
    // V1 credentials do not open V2.
    let v1 = c
        .request("GET", "/v2/balance", Auth::V1, &[], None)
        .unwrap();
    assert_eq!(v1.status, 401);
    assert_eq!(c.v2_get("/v2/balance").status, 200);
}

#[test]
fn configured_credentials_are_used() {
    let key = format!("ce_live_{}", "B".repeat(32));
    let sb = Sandbox::start_with(
        fast_config()
            .api_key(key.clone())
            .v1_email("a@b.test")
            .v1_token("tok-1"),
    )
    .unwrap();
    assert_eq!(sb.api_key(), key);
    assert_eq!(sb.v1_email(), "a@b.test");
    assert_eq!(sb.v1_token(), "tok-1");
    let c = Client::new(&sb);
    assert_eq!(c.v2_get("/v2/balance").status, 200);
    assert_eq!(c.v1_get("/adp/balances").status, 200);
}

#[test]
fn create_answers_201_with_documented_shape() {
    let sb = start();
    let c = Client::new(&sb);
    let body = json!({
        "phone_number": "+233541112259",
        "network_id": 42,
        "amount": {"value": 50, "currency": "GHS"},
        "sms": {"enabled": true, "message": "Airtime top-up from Acme Corp"},
        "reference": "invoice-12345",
        "metadata": {"customer_id": "cust_001", "department": "sales"}
    });
    let r = c.v2_post("/v2/topups", &body, Some("idem-1"));
    assert_eq!(r.status, 201, "{}", r.body);
    let j = r.json();
    assert_eq!(keys(&j), ["data", "meta", "success"]);
    assert_eq!(j["success"], true);
    assert!(is_request_id(j["meta"]["request_id"].as_str().unwrap()));
    assert!(is_iso_millis(j["meta"]["timestamp"].as_str().unwrap()));
    let d = &j["data"];
    assert_eq!(
        keys(d),
        [
            "amount",
            "completed_at",
            "cost",
            "created_at",
            "failure_reason",
            "id",
            "metadata",
            "network",
            "phone_number",
            "product_id",
            "product_name",
            "provider_reference",
            "reference",
            "sms",
            "status"
        ]
    );
    assert_eq!(d["status"], "pending");
    assert_eq!(
        d["network"],
        json!({"id": 42, "name": "MTN Ghana", "country": "Ghana", "country_code": "GH"})
    );
    assert_eq!(d["amount"], json!({"value": 50, "currency": "GHS"}));
    assert_eq!(d["cost"], json!({"value": 4.05, "currency": "USD"}));
    assert_eq!(
        d["sms"],
        json!({"enabled": true, "message": "Airtime top-up from Acme Corp"})
    );
    assert_eq!(d["metadata"]["department"], "sales");
    assert_eq!(d["reference"], "invoice-12345");
    assert!(d["completed_at"].is_null());
    assert!(is_iso_millis(d["created_at"].as_str().unwrap()));
    assert!(uuid::Uuid::parse_str(d["id"].as_str().unwrap()).is_ok());
    assert_eq!(
        uuid::Uuid::parse_str(d["id"].as_str().unwrap())
            .unwrap()
            .get_version_num(),
        4
    );
    // Rate-limit headers on every response.
    assert_eq!(r.header("X-RateLimit-Limit"), Some("600"));
    assert!(r.header("X-RateLimit-Remaining").is_some());
    assert!(
        r.header("X-RateLimit-Reset")
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 1_700_000_000
    );
}

#[test]
fn status_progresses_lazily() {
    let sb = start_slow();
    let c = Client::new(&sb);
    let id = c
        .v2_post("/v2/topups", &topup_body("+233541112259", 5.0), None)
        .json()["data"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/v2/topups/{id}");
    let first = c.v2_get(&path).json();
    assert_eq!(first["data"]["status"], "pending");
    assert!(first["data"]["provider_reference"].is_null());
    std::thread::sleep(Duration::from_millis(300));
    let mid = c.v2_get(&path).json();
    assert_eq!(mid["data"]["status"], "processing");
    assert!(mid["data"]["provider_reference"].is_string());
    wait_terminal_slow();
    let done = c.v2_get(&path).json();
    assert_eq!(done["data"]["status"], "completed");
    assert!(is_iso_millis(
        done["data"]["completed_at"].as_str().unwrap()
    ));
    assert!(done["data"]["failure_reason"].is_null());
    let missing = c.v2_get("/v2/topups/00000000-0000-4000-8000-000000000000");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["error"]["code"], "TRANSACTION_NOT_FOUND");
}

#[test]
fn magic_numbers_that_refuse() {
    let sb = start();
    let c = Client::new(&sb);
    let r = c.v2_post("/v2/topups", &topup_body("+233555000001", 5.0), None);
    assert_eq!(r.status, 400);
    let j = r.json();
    assert_eq!(j["error"]["code"], "INSUFFICIENT_BALANCE");
    assert!(j["error"]["details"].is_object());
    assert!(j["meta"].is_object());

    let r = c.v2_post("/v2/topups", &topup_body("+233555000011", 5.0), None);
    assert_eq!(r.status, 402);
    let j = r.json();
    assert_eq!(j["error"]["code"], "INSUFFICIENT_BALANCE");
    assert_eq!(j["error"]["statusCode"], 402);
    assert!(j.get("meta").is_none());

    let r = c.v2_post("/v2/topups", &topup_body("+233555000002", 5.0), None);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["code"], "INVALID_PHONE_NUMBER");

    let r = c.v2_post("/v2/topups", &topup_body("+233555000013", 5.0), None);
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["error"]["code"], "DELIVERY_FAILED");

    for _ in 0..2 {
        let r = c.v2_post("/v2/topups", &topup_body("+233555000014", 5.0), None);
        assert_eq!(r.status, 429);
        assert_eq!(r.header("Retry-After"), Some("1"));
        let j = r.json();
        assert_eq!(j["error"]["code"], "RATE_LIMITED");
        assert_eq!(j["error"]["statusCode"], 429);
    }
    assert_eq!(counts(&sb), (0, 0));
}

#[test]
fn magic_numbers_that_fail_later() {
    let sb = start();
    let c = Client::new(&sb);
    let cases = [
        ("+233555000003", "delivery_failed"),
        ("+233555000004", "timeout"),
        ("+233555000005", "underdelivered"),
        ("+233555000006", "cancelled"),
    ];
    let mut ids = Vec::new();
    for (phone, _) in cases {
        let r = c.v2_post("/v2/topups", &topup_body(phone, 5.0), None);
        assert_eq!(r.status, 201);
        assert_eq!(r.json()["data"]["status"], "pending");
        ids.push(r.json()["data"]["id"].as_str().unwrap().to_string());
    }
    let stuck = c
        .v2_post("/v2/topups", &topup_body("+233555000010", 5.0), None)
        .json()["data"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let normal = c
        .v2_post("/v2/topups", &topup_body("+233555000012", 5.0), None)
        .json()["data"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    wait_terminal();
    for (id, (_, reason)) in ids.iter().zip(cases) {
        let d = c.v2_get(&format!("/v2/topups/{id}")).json()["data"].clone();
        assert_eq!(d["status"], "failed");
        assert_eq!(d["failure_reason"], reason);
    }
    assert_eq!(
        c.v2_get(&format!("/v2/topups/{stuck}")).json()["data"]["status"],
        "processing"
    );
    assert_eq!(
        c.v2_get(&format!("/v2/topups/{normal}")).json()["data"]["status"],
        "completed"
    );
}

#[test]
fn magic_drop_after_commit_then_409_on_retry() {
    let sb = start();
    let c = Client::new(&sb);
    let body = json!({"phone_number": "+233555000007", "network_id": 42,
        "amount": {"value": 5, "currency": "GHS"}, "reference": "ref-7"});
    assert!(
        c.try_v2_post("/v2/topups", &body, Some("key-7")).is_err(),
        "connection must drop"
    );
    let t = sb.transactions();
    assert_eq!(t["v2"].as_array().unwrap().len(), 1);
    let id = t["v2"][0]["id"].as_str().unwrap().to_string();
    // Retry with the same key: 409 naming the committed top-up.
    let r = c.v2_post("/v2/topups", &body, Some("key-7"));
    assert_eq!(r.status, 409);
    let j = r.json();
    assert_eq!(j["error"]["code"], "DUPLICATE_TRANSACTION");
    assert_eq!(
        j["error"]["details"],
        json!({"transaction_id": id, "reference": "ref-7"})
    );
    // Lookup by reference finds it.
    let list = c.v2_get("/v2/topups?reference=ref-7").json();
    assert_eq!(list["data"][0]["id"], id.as_str());
    assert_eq!(counts(&sb), (0, 1));
}

#[test]
fn magic_server_error_first_then_success() {
    let sb = start();
    let c = Client::new(&sb);
    let body = topup_body("+233555000008", 5.0);
    let r = c.v2_post("/v2/topups", &body, Some("key-8"));
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["error"]["code"], "INTERNAL_ERROR");
    assert_eq!(counts(&sb), (0, 0));
    let r = c.v2_post("/v2/topups", &body, Some("key-8"));
    assert_eq!(r.status, 201);
    assert_eq!(counts(&sb), (0, 1));
}

#[test]
fn magic_slow_answer_is_committed_first() {
    let sb = start();
    let c = Client::new(&sb);
    let t = Instant::now();
    let r = c.v2_post("/v2/topups", &topup_body("+233555000009", 5.0), None);
    assert_eq!(r.status, 201);
    assert!(t.elapsed() >= Duration::from_millis(300));
}

#[test]
fn idempotency_and_duplicate_window() {
    let sb = start();
    let c = Client::new(&sb);
    let body = json!({"phone_number": "+233541112259", "network_id": 42,
        "amount": {"value": 20, "currency": "GHS"}, "reference": "dup-1"});
    let first = c.v2_post("/v2/topups", &body, Some("k-1"));
    assert_eq!(first.status, 201);
    let id = first.json()["data"]["id"].as_str().unwrap().to_string();
    let again = c.v2_post("/v2/topups", &body, Some("k-1"));
    assert_eq!(again.status, 409);
    assert_eq!(
        again.json()["error"]["details"]["transaction_id"],
        id.as_str()
    );
    assert_eq!(again.json()["error"]["details"]["reference"], "dup-1");
    // Same body, different key, inside the window: 200 with the existing transaction.
    let other_key = c.v2_post("/v2/topups", &body, Some("k-2"));
    assert_eq!(other_key.status, 200);
    assert_eq!(other_key.json()["data"]["id"], id.as_str());
    // ... and no key at all.
    let no_key = c.v2_post("/v2/topups", &body, None);
    assert_eq!(no_key.status, 200);
    assert_eq!(no_key.json()["data"]["id"], id.as_str());
    // A different amount is a new top-up.
    let diff = c.v2_post("/v2/topups", &topup_body("+233541112259", 21.0), None);
    assert_eq!(diff.status, 201);
    assert_eq!(counts(&sb), (0, 2));
    // After the window the same body creates a new top-up; the old key still answers 409.
    std::thread::sleep(Duration::from_millis(850));
    let later = c.v2_post("/v2/topups", &body, None);
    assert_eq!(later.status, 201);
    assert_ne!(later.json()["data"]["id"], id.as_str());
    assert_eq!(c.v2_post("/v2/topups", &body, Some("k-1")).status, 409);
    assert_eq!(counts(&sb), (0, 3));
}
