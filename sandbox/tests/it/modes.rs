//! Readings of the docs the sandbox can play: V2 duplicate window modes, V2 idempotency modes, the V1
//! near-duplicate window (code 50), and switching them at runtime.

use crate::common::*;
use clickairtime_sandbox::{DuplicateMode, IdempotencyMode, Sandbox, SandboxConfig};
use serde_json::{Value, json};
use std::time::Duration;

fn with(config: SandboxConfig) -> Sandbox {
    Sandbox::start_with(config).expect("sandbox starts")
}

fn sale(reference: &str) -> Value {
    json!({"phone_number": "+233541112259", "network_id": 42,
        "amount": {"value": 20, "currency": "GHS"}, "reference": reference})
}

fn id_of(r: &Resp) -> String {
    r.json()["data"]["id"].as_str().expect("id").to_string()
}

#[test]
fn defaults() {
    let c = SandboxConfig::default();
    assert_eq!(c.get_duplicate_mode(), DuplicateMode::Existing);
    assert_eq!(c.get_idempotency_mode(), IdempotencyMode::Conflict);
    assert_eq!(c.get_v1_duplicate_window(), Duration::ZERO);
    let sb = start();
    assert_eq!(
        sb.config(),
        json!({"duplicate_mode": "existing", "duplicate_window_ms": 800,
            "idempotency_mode": "conflict", "v1_duplicate_window_ms": 0})
    );
}

#[test]
fn duplicate_window_existing_answers_200_with_the_existing_record() {
    let sb = start();
    let c = Client::new(&sb);
    let first = c.v2_post("/v2/topups", &sale("sale-A"), Some("key-A"));
    assert_eq!(first.status, 201);
    // Another sale (other reference, other key) with the same phone, network and amount.
    let second = c.v2_post("/v2/topups", &sale("sale-B"), Some("key-B"));
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(id_of(&second), id_of(&first));
    assert_eq!(second.json()["data"]["reference"], "sale-A");
    // Bundles: the same product is a duplicate too.
    let bundle = json!({"phone_number": "+233541112259", "network_id": 42, "product_id": "101"});
    assert_eq!(c.v2_post("/v2/topups", &bundle, None).status, 201);
    assert_eq!(c.v2_post("/v2/topups", &bundle, None).status, 200);
    assert_eq!(counts(&sb), (0, 2));
}

#[test]
fn duplicate_window_conflict_answers_409_naming_the_existing_topup() {
    let sb = with(fast_config().duplicate_mode(DuplicateMode::Conflict));
    let c = Client::new(&sb);
    let first = c.v2_post("/v2/topups", &sale("sale-A"), Some("key-A"));
    assert_eq!(first.status, 201);
    let second = c.v2_post("/v2/topups", &sale("sale-B"), Some("key-B"));
    assert_eq!(second.status, 409, "{}", second.body);
    let j = second.json();
    assert_eq!(j["success"], false);
    assert_eq!(j["error"]["code"], "DUPLICATE_TRANSACTION");
    assert_eq!(
        j["error"]["details"]["transaction_id"],
        id_of(&first).as_str()
    );
    assert_eq!(j["error"]["details"]["reference"], "sale-A");
    assert!(is_request_id(j["meta"]["request_id"].as_str().unwrap()));
    assert_eq!(counts(&sb), (0, 1));
    // The refused request's key was not bound: after the window the same request creates its top-up.
    std::thread::sleep(Duration::from_millis(850));
    let later = c.v2_post("/v2/topups", &sale("sale-B"), Some("key-B"));
    assert_eq!(later.status, 201, "{}", later.body);
    assert_eq!(later.json()["data"]["reference"], "sale-B");
    assert_eq!(counts(&sb), (0, 2));
}

#[test]
fn duplicate_window_off_creates_both() {
    let sb = with(fast_config().duplicate_mode(DuplicateMode::Off));
    let c = Client::new(&sb);
    let a = c.v2_post("/v2/topups", &sale("sale-A"), None);
    let b = c.v2_post("/v2/topups", &sale("sale-B"), None);
    assert_eq!((a.status, b.status), (201, 201));
    assert_ne!(id_of(&a), id_of(&b));
    assert_eq!(counts(&sb), (0, 2));
    // A zero window is off too, whatever the mode.
    let sb = with(fast_config().duplicate_window(Duration::ZERO));
    let c = Client::new(&sb);
    assert_eq!(c.v2_post("/v2/topups", &sale("a"), None).status, 201);
    assert_eq!(c.v2_post("/v2/topups", &sale("b"), None).status, 201);
}

#[test]
fn idempotency_replay_answers_200_with_the_original() {
    let sb = with(fast_config().idempotency_mode(IdempotencyMode::Replay));
    let c = Client::new(&sb);
    let first = c.v2_post("/v2/topups", &sale("sale-A"), Some("key-A"));
    assert_eq!(first.status, 201);
    let again = c.v2_post("/v2/topups", &sale("sale-A"), Some("key-A"));
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json()["success"], true);
    assert_eq!(id_of(&again), id_of(&first));
    assert_eq!(again.json()["data"]["reference"], "sale-A");
    // The record as it is now, even for a different body under the same key.
    wait_terminal();
    let later = c.v2_post(
        "/v2/topups",
        &topup_body("+233541112259", 99.0),
        Some("key-A"),
    );
    assert_eq!(later.status, 200);
    assert_eq!(id_of(&later), id_of(&first));
    assert_eq!(later.json()["data"]["status"], "completed");
    assert_eq!(later.json()["data"]["amount"]["value"], 20);
    // Magic 07 (committed, connection dropped): the re-send replays the committed top-up.
    let drop = json!({"phone_number": "+233555000007", "network_id": 42,
        "amount": {"value": 5, "currency": "GHS"}, "reference": "drop-1"});
    assert!(c.try_v2_post("/v2/topups", &drop, Some("key-D")).is_err());
    let resent = c.v2_post("/v2/topups", &drop, Some("key-D"));
    assert_eq!(resent.status, 200);
    assert_eq!(resent.json()["data"]["reference"], "drop-1");
    assert_eq!(counts(&sb), (0, 2));
}

#[test]
fn runtime_settings_via_control_endpoint_and_rust() {
    let sb = start();
    let c = Client::new(&sb);
    assert_eq!(
        c.control_get("/_sandbox/config")["duplicate_mode"],
        "existing"
    );
    let r = c.control_post(
        "/_sandbox/config",
        &json!({"duplicate_mode": "conflict", "idempotency_mode": "replay"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["ok"], true);
    assert_eq!(r.json()["config"]["duplicate_mode"], "conflict");
    assert_eq!(r.json()["config"]["idempotency_mode"], "replay");
    let first = c.v2_post("/v2/topups", &sale("A"), Some("k-A"));
    assert_eq!(first.status, 201);
    assert_eq!(c.v2_post("/v2/topups", &sale("B"), Some("k-B")).status, 409);
    assert_eq!(c.v2_post("/v2/topups", &sale("A"), Some("k-A")).status, 200);

    // Invalid bodies change nothing.
    for bad in [
        json!({"duplicate_mode": "sometimes"}),
        json!({"duplicate_mode": "off", "typo": 1}),
        json!({"duplicate_window_ms": "5"}),
        json!({"idempotency_mode": 1}),
        json!([1]),
    ] {
        let r = c.control_post("/_sandbox/config", &bad);
        assert_eq!(r.status, 400, "{bad}");
        assert_eq!(r.json()["ok"], false);
    }
    assert_eq!(sb.config()["duplicate_mode"], "conflict");

    c.control_post("/_sandbox/config", &json!({"duplicate_mode": "off"}));
    assert_eq!(c.v2_post("/v2/topups", &sale("C"), None).status, 201);
    c.control_post(
        "/_sandbox/config",
        &json!({"duplicate_mode": "existing", "duplicate_window_ms": 60000,
            "v1_duplicate_window_ms": 60000}),
    );
    assert_eq!(c.v2_post("/v2/topups", &sale("D"), None).status, 200);
    c.v1_post(&json!({"msisdn": "233541112259", "amount": 5, "extRefId": "V1-A"}));
    assert_eq!(
        c.v1_post(&json!({"msisdn": "233541112259", "amount": 5, "extRefId": "V1-B"}))
            .json()["code"],
        50
    );

    // Rust setters, and a reset restores the start configuration.
    sb.set_duplicate_mode(DuplicateMode::Off);
    sb.set_duplicate_window(Duration::from_millis(10));
    sb.set_idempotency_mode(IdempotencyMode::Conflict);
    sb.set_v1_duplicate_window(Duration::from_millis(20));
    assert_eq!(
        c.control_get("/_sandbox/config"),
        json!({"duplicate_mode": "off", "duplicate_window_ms": 10,
            "idempotency_mode": "conflict", "v1_duplicate_window_ms": 20})
    );
    sb.reset();
    assert_eq!(
        sb.config(),
        Sandbox::start_with(fast_config()).unwrap().config()
    );
    assert_eq!(
        c.request("DELETE", "/_sandbox/config", Auth::None, &[], None)
            .unwrap()
            .status,
        405
    );
}

fn v1(c: &Client, msisdn: &str, amount: Value, ext: Option<&str>) -> Resp {
    let mut body = json!({"msisdn": msisdn, "amount": amount});
    if let Some(e) = ext {
        body["extRefId"] = json!(e);
    }
    c.v1_post(&body)
}

#[test]
fn v1_near_duplicate_window_refuses_with_code_50() {
    let sb = with(fast_config().v1_duplicate_window(Duration::from_millis(800)));
    let c = Client::new(&sb);
    assert_eq!(
        v1(&c, "233541112259", json!(5), Some("N-1")).json()["code"],
        1
    );
    let refused = v1(&c, "233541112259", json!("5.00"), Some("N-2"));
    assert_eq!(
        (refused.status, refused.json()),
        (
            403,
            json!({"message": "Similar request processed recently", "statusCode": 500, "code": 50})
        )
    );
    // Without an extRefId too; nothing is created.
    assert_eq!(v1(&c, "233541112259", json!(5), None).json()["code"], 50);
    assert_eq!(counts(&sb), (1, 0));
    assert_eq!(
        c.request("GET", "/adp/transactions?extRefId=N-2", Auth::V1, &[], None)
            .unwrap()
            .status,
        404
    );
    // The same extRefId is still code 90, not 50.
    assert_eq!(
        v1(&c, "233541112259", json!(5), Some("N-1")).json()["code"],
        90
    );
    // Another amount or another number is a different request.
    assert_eq!(
        v1(&c, "233541112259", json!(6), Some("N-3")).json()["code"],
        1
    );
    assert_eq!(
        v1(&c, "233541112258", json!(5), Some("N-4")).json()["code"],
        1
    );
    // Products: the same productId is a near-duplicate; the window is per productId.
    let fixed = |ext: &str| {
        c.v1_post(&json!({"msisdn": "233541110000", "productId": 4202, "extRefId": ext}))
    };
    assert_eq!(fixed("P-1").json()["code"], 1);
    assert_eq!(fixed("P-2").json()["code"], 50);
    assert_eq!(
        v1(&c, "233541110000", json!(10), Some("P-3")).json()["code"],
        1
    );
    assert_eq!(counts(&sb), (5, 0));
    // After the window the same request goes through.
    std::thread::sleep(Duration::from_millis(850));
    assert_eq!(
        v1(&c, "233541112259", json!(5), Some("N-5")).json()["code"],
        1
    );
    assert_eq!(counts(&sb), (6, 0));
}

#[test]
fn v1_window_is_off_by_default() {
    let sb = start();
    let c = Client::new(&sb);
    for ext in ["S-1", "S-2", "S-3"] {
        assert_eq!(
            v1(&c, "233541112259", json!(5), Some(ext)).json()["code"],
            1
        );
    }
    assert_eq!(v1(&c, "233541112259", json!(5), None).json()["code"], 1);
    assert_eq!(counts(&sb), (4, 0));
}

#[test]
fn v1_code_90_whatever_the_other_fields() {
    let sb = with(fast_config().v1_duplicate_window(Duration::from_secs(60)));
    let c = Client::new(&sb);
    assert_eq!(
        v1(&c, "233541112259", json!(5), Some("X-90")).json()["code"],
        1
    );
    let dup =
        json!({"message": "External reference ID already exists", "statusCode": 500, "code": 90});
    for body in [
        json!({"msisdn": "233541112259", "amount": 5, "extRefId": "X-90"}),
        json!({"msisdn": "2348031234567", "amount": 700, "extRefId": "X-90"}),
        json!({"msisdn": "233541112259", "productId": 4202, "extRefId": "X-90"}),
        json!({"msisdn": "233541112259", "amount": 5, "extRefId": "X-90", "processingMode": "ASYNC", "sendSMS": true}),
        json!({"msisdn": "233555000003", "amount": 5, "extRefId": "X-90"}),
        json!({"msisdn": "233541112259", "extRefId": "X-90"}),
        json!({"msisdn": "233541112259", "amount": 999999, "extRefId": "X-90"}),
        json!({"msisdn": "999", "amount": 5, "extRefId": "X-90"}),
    ] {
        let r = c.v1_post(&body);
        assert_eq!((r.status, r.json()), (403, dup.clone()), "{body}");
    }
    assert_eq!(counts(&sb), (1, 0));
}
