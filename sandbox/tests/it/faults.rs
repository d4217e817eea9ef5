//! Injected faults and control endpoints.

use crate::common::*;
use clickairtime_sandbox::{Fault, FaultKind};
use serde_json::json;
use std::time::{Duration, Instant};

fn v2_post_raw(
    sb: &clickairtime_sandbox::Sandbox,
    body: &serde_json::Value,
    idem: &str,
) -> Vec<u8> {
    let auth = format!("Bearer {}", sb.api_key());
    raw_post(
        "/v2/topups",
        &[("Authorization", &auth), ("Idempotency-Key", idem)],
        &body.to_string(),
    )
}

#[test]
fn drop_faults() {
    let sb = start();
    let c = Client::new(&sb);
    sb.inject(
        Fault::drop_before_commit()
            .method("POST")
            .path("/v2/topups"),
    );
    let (out, _) = raw_exchange(
        &sb,
        &v2_post_raw(&sb, &topup_body("+233541112259", 5.0), "a"),
        Duration::from_secs(3),
    );
    assert!(out.is_empty(), "no answer expected");
    assert_eq!(counts(&sb), (0, 0));
    // Consumed: the next request is normal.
    assert_eq!(
        c.v2_post("/v2/topups", &topup_body("+233541112259", 5.0), Some("a"))
            .status,
        201
    );

    sb.inject(Fault::drop_after_commit().method("POST").path("/v2/topups"));
    assert!(
        c.try_v2_post("/v2/topups", &topup_body("+233541112259", 6.0), Some("b"))
            .is_err()
    );
    assert_eq!(counts(&sb), (0, 2));
    assert_eq!(
        c.v2_post("/v2/topups", &topup_body("+233541112259", 6.0), Some("b"))
            .status,
        409
    );

    // Via the control endpoint, for V1.
    let r = c.control_post(
        "/_sandbox/faults",
        &json!({"fault": "drop_after_commit", "path": "/adp"}),
    );
    assert_eq!(r.status, 200);
    assert!(
        c.try_v1_post(&json!({"msisdn": "233541112259", "amount": 5, "extRefId": "D1"}))
            .is_err()
    );
    assert_eq!(counts(&sb), (1, 2));
}

#[test]
fn server_error_and_rate_limit_faults_commit_nothing() {
    let sb = start();
    let c = Client::new(&sb);
    sb.inject(Fault::server_error().count(2));
    for _ in 0..2 {
        let r = c.v2_post("/v2/topups", &topup_body("+233541112259", 5.0), None);
        assert_eq!(r.status, 500);
        assert_eq!(r.json()["error"]["code"], "INTERNAL_ERROR");
        assert!(r.header("X-RateLimit-Limit").is_some());
    }
    assert_eq!(
        c.v2_post("/v2/topups", &topup_body("+233541112259", 5.0), None)
            .status,
        201
    );
    sb.inject(Fault::server_error().path("/adp"));
    let r = c.v1_post(&json!({"msisdn": "233541112259", "amount": 5}));
    assert_eq!(
        (r.status, r.json()),
        (
            500,
            json!({"message": "Internal server error", "statusCode": 500})
        )
    );

    c.control_post(
        "/_sandbox/faults",
        &json!({"fault": "rate_limit", "retry_after": 7, "method": "GET"}),
    );
    // A POST does not match the GET-only fault.
    assert_eq!(
        c.v2_post("/v2/topups", &topup_body("+233541112259", 9.0), None)
            .status,
        201
    );
    let r = c.v2_get("/v2/balance");
    assert_eq!(r.status, 429);
    assert_eq!(r.header("Retry-After"), Some("7"));
    assert_eq!(r.json()["error"]["code"], "RATE_LIMIT_EXCEEDED");
    sb.inject(Fault::rate_limit(2).path("/adp"));
    let r = c.v1_get("/adp/balances");
    assert_eq!((r.status, r.header("Retry-After")), (429, Some("2")));
    assert_eq!(counts(&sb), (0, 2));
}

#[test]
fn slow_duplicate_and_garbage_faults_commit() {
    let sb = start();
    let c = Client::new(&sb);
    sb.inject(Fault::slow(Duration::from_millis(250)));
    let t = Instant::now();
    assert_eq!(
        c.v2_post("/v2/topups", &topup_body("+233541112259", 5.0), None)
            .status,
        201
    );
    assert!(t.elapsed() >= Duration::from_millis(250));

    sb.inject(Fault::new(FaultKind::Duplicate409).method("POST"));
    let body = json!({"phone_number": "+233541112259", "network_id": 42, "amount": {"value": 6, "currency": "GHS"}, "reference": "r-409"});
    let r = c.v2_post("/v2/topups", &body, Some("k-409"));
    assert_eq!(r.status, 409);
    let t = sb.transactions();
    assert_eq!(
        r.json()["error"]["details"]["transaction_id"],
        t["v2"][1]["id"]
    );
    assert_eq!(r.json()["error"]["details"]["reference"], "r-409");
    sb.inject(Fault::new(FaultKind::Duplicate409).path("/adp"));
    let r = c.v1_post(&json!({"msisdn": "233541112259", "amount": 5, "extRefId": "E409"}));
    assert_eq!((r.status, r.json()["code"].clone()), (403, json!(90)));
    assert_eq!(counts(&sb), (1, 2));

    sb.inject(Fault::new(FaultKind::Garbage));
    let r = c.v2_post("/v2/topups", &topup_body("+233541112259", 7.0), None);
    assert_eq!(r.status, 200);
    assert!(serde_json::from_str::<serde_json::Value>(&r.body).is_err());
    sb.inject(Fault::new(FaultKind::EmptyBody));
    let r = c.v2_post("/v2/topups", &topup_body("+233541112259", 8.0), None);
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(counts(&sb), (1, 4));
}

#[test]
fn wire_level_faults() {
    let sb = start();
    sb.inject(Fault::new(FaultKind::Truncated));
    let (out, _) = raw_exchange(
        &sb,
        &v2_post_raw(&sb, &topup_body("+233541112259", 5.0), "t"),
        Duration::from_secs(3),
    );
    let (status, head, body) = split_response(&out);
    assert_eq!(status, 201);
    let declared: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        declared > body.len(),
        "declared {declared}, got {}",
        body.len()
    );
    assert_eq!(counts(&sb), (0, 1));

    sb.inject(Fault::new(FaultKind::WrongContentType));
    let (out, _) = raw_exchange(
        &sb,
        &v2_post_raw(&sb, &topup_body("+233541112259", 6.0), "w"),
        Duration::from_secs(3),
    );
    let (status, head, body) = split_response(&out);
    assert_eq!(status, 502);
    assert!(head.contains("Content-Type: text/html"));
    assert!(String::from_utf8_lossy(&body).contains("<html>"));
    assert_eq!(counts(&sb), (0, 1));

    sb.inject(Fault::new(FaultKind::Slowloris).delay(Duration::from_millis(2)));
    let get = format!(
        "GET /v2/balance HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
        sb.api_key()
    );
    let (out, elapsed) = raw_exchange(&sb, get.as_bytes(), Duration::from_secs(10));
    let (status, _, body) = split_response(&out);
    assert_eq!(status, 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
    assert!(
        elapsed >= Duration::from_millis(2) * u32::try_from(body.len()).unwrap() / 2,
        "{elapsed:?}"
    );
}

#[test]
fn control_endpoints() {
    let sb = start();
    let c = Client::new(&sb);
    assert_eq!(c.control_get("/_sandbox/health"), json!({"ok": true}));
    let bad = c.control_post("/_sandbox/faults", &json!({"fault": "explode"}));
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["ok"], false);
    assert_eq!(
        c.control_post("/_sandbox/faults", &json!({"count": 1}))
            .status,
        400
    );
    c.control_post(
        "/_sandbox/faults",
        &json!({"fault": "server_error", "count": 3, "path": "/v2/topups"}),
    );
    let listed = c.control_get("/_sandbox/faults");
    assert_eq!(listed["faults"][0]["fault"], "server_error");
    assert_eq!(listed["faults"][0]["count"], 3);
    // Faults never hit control endpoints or other paths.
    assert_eq!(c.v2_get("/v2/balance").status, 200);
    assert_eq!(c.v2_get("/v2/topups").status, 500);
    assert_eq!(c.control_get("/_sandbox/faults")["faults"][0]["count"], 2);
    let cleared = c
        .request("DELETE", "/_sandbox/faults", Auth::None, &[], None)
        .unwrap();
    assert_eq!(cleared.status, 200);
    assert_eq!(c.control_get("/_sandbox/faults")["faults"], json!([]));

    c.v2_post("/v2/topups", &topup_body("+233541112259", 5.0), Some("k"));
    c.v1_post(&json!({"msisdn": "233541112259", "amount": 5, "extRefId": "X"}));
    let t = c.control_get("/_sandbox/transactions");
    assert_eq!(t["v1"].as_array().unwrap().len(), 1);
    assert_eq!(t["v2"].as_array().unwrap().len(), 1);
    assert_eq!(t, sb.transactions());
    sb.inject(Fault::server_error());
    assert_eq!(c.control_post("/_sandbox/reset", &json!({})).status, 200);
    assert_eq!(counts(&sb), (0, 0));
    assert_eq!(c.control_get("/_sandbox/faults")["faults"], json!([]));
    // Idempotency keys and extRefIds are forgotten too.
    assert_eq!(
        c.v2_post("/v2/topups", &topup_body("+233541112259", 5.0), Some("k"))
            .status,
        201
    );
    assert_eq!(
        c.v1_post(&json!({"msisdn": "233541112259", "amount": 5, "extRefId": "X"}))
            .json()["code"],
        1
    );
    assert_eq!(
        c.control_get("/_sandbox/webhooks"),
        json!({"deliveries": []})
    );
    assert_eq!(c.control_get("/_sandbox/nope")["ok"], false);
}
