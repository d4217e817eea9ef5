//! V2 API behaviour.

use crate::common::*;
use clickairtime_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn keys(v: &Value) -> Vec<String> {
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

#[test]
fn create_validation() {
    let sb = start();
    let c = Client::new(&sb);
    let code = |body: Value| -> (u16, String) {
        let r = c.v2_post("/v2/topups", &body, None);
        let j = r.json();
        (
            r.status,
            j["error"]["code"].as_str().unwrap_or("").to_string(),
        )
    };
    let amount = json!({"value": 5, "currency": "GHS"});
    assert_eq!(
        code(json!({"network_id": 42, "amount": amount})),
        (400, "MISSING_REQUIRED_FIELD".into())
    );
    assert_eq!(
        code(json!({"phone_number": "+233541112259", "amount": amount})),
        (400, "MISSING_REQUIRED_FIELD".into())
    );
    assert_eq!(
        code(json!({"phone_number": "+233541112259", "network_id": 42})),
        (400, "MISSING_REQUIRED_FIELD".into())
    );
    assert_eq!(
        code(
            json!({"phone_number": "+233541112259", "network_id": 42, "amount": amount, "product_id": "101"})
        ),
        (400, "INVALID_REQUEST".into())
    );
    assert_eq!(
        code(json!({"phone_number": "233541112259", "network_id": 42, "amount": amount})),
        (400, "INVALID_PHONE_NUMBER".into())
    );
    assert_eq!(
        code(json!({"phone_number": "+2547221234567", "network_id": 42, "amount": amount})),
        (400, "INVALID_PHONE_NUMBER".into())
    );
    assert_eq!(
        code(json!({"phone_number": "+233541112259", "network_id": 999, "amount": amount})),
        (404, "NETWORK_NOT_FOUND".into())
    );
    for bad in [
        json!({"value": 0, "currency": "GHS"}),
        json!({"value": 5001, "currency": "GHS"}),
        json!({"value": 5, "currency": "USD"}),
        json!({"value": "x", "currency": "GHS"}),
    ] {
        assert_eq!(
            code(json!({"phone_number": "+233541112259", "network_id": 42, "amount": bad})),
            (400, "INVALID_AMOUNT".into())
        );
    }
    assert_eq!(
        code(json!({"phone_number": "+233541112259", "network_id": 42, "product_id": 999})),
        (400, "INVALID_REQUEST".into())
    );
    let r = c
        .request("POST", "/v2/topups", Auth::V2, &[], Some("not json"))
        .unwrap();
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["code"], "INVALID_REQUEST");
    assert_eq!(counts(&sb), (0, 0));

    // product_id as a string or an integer.
    let s = c.v2_post(
        "/v2/topups",
        &json!({"phone_number": "+233541112259", "network_id": 42, "product_id": "101"}),
        None,
    );
    assert_eq!(s.status, 201, "{}", s.body);
    assert_eq!(s.json()["data"]["product_id"], "101");
    assert_eq!(s.json()["data"]["product_name"], "500MB Data - 30 Days");
    assert_eq!(s.json()["data"]["cost"]["value"], 2.5);
    assert!(s.json()["data"]["amount"].is_null());
    let i = c.v2_post(
        "/v2/topups",
        &json!({"phone_number": "+233241112259", "network_id": 42, "product_id": 102}),
        None,
    );
    assert_eq!(i.status, 201);
    assert_eq!(i.json()["data"]["product_id"], 102);
    assert_eq!(
        i.json()["data"]["amount"],
        json!({"value": 10, "currency": "GHS"})
    );
}

#[test]
fn list_pagination_filters_and_sort() {
    let sb = start();
    let c = Client::new(&sb);
    let phones = [
        "+233541110001",
        "+233541110002",
        "+233541110003",
        "+2348031234567",
        "+233555000003",
    ];
    for (i, p) in phones.iter().enumerate() {
        let net = if p.starts_with("+234") { 61 } else { 42 };
        let cur = if net == 61 { "NGN" } else { "GHS" };
        let body = json!({"phone_number": p, "network_id": net,
            "amount": {"value": 10 * (i + 1), "currency": cur}, "reference": format!("ref-{i}")});
        assert_eq!(c.v2_post("/v2/topups", &body, None).status, 201);
        std::thread::sleep(Duration::from_millis(3));
    }
    let page1 = c.v2_get("/v2/topups?per_page=2").json();
    let p = &page1["meta"]["pagination"];
    assert_eq!(p["page"], 1);
    assert_eq!(p["per_page"], 2);
    assert_eq!(p["total"], 5);
    assert_eq!(p["total_pages"], 3);
    assert_eq!(p["has_next"], true);
    assert_eq!(p["has_prev"], false);
    assert_eq!(page1["data"].as_array().unwrap().len(), 2);
    // Default sort: newest first.
    assert_eq!(page1["data"][0]["reference"], "ref-4");
    let page3 = c.v2_get("/v2/topups?per_page=2&page=3").json();
    assert_eq!(page3["data"].as_array().unwrap().len(), 1);
    assert_eq!(page3["meta"]["pagination"]["has_next"], false);
    assert_eq!(page3["meta"]["pagination"]["has_prev"], true);
    assert_eq!(page3["data"][0]["reference"], "ref-0");

    let asc = c.v2_get("/v2/topups?sort=created_at").json();
    assert_eq!(asc["data"][0]["reference"], "ref-0");
    let by_cost = c.v2_get("/v2/topups?sort=-total_usd").json();
    let costs: Vec<f64> = by_cost["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["cost"]["value"].as_f64().unwrap())
        .collect();
    assert!(costs.windows(2).all(|w| w[0] >= w[1]), "{costs:?}");
    let by_cost_asc = c.v2_get("/v2/topups?sort=total_usd").json();
    assert_eq!(by_cost_asc["data"][0]["phone_number"], "+2348031234567");

    assert_eq!(
        c.v2_get("/v2/topups?reference=ref-2").json()["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        c.v2_get("/v2/topups?reference=ref").json()["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        c.v2_get("/v2/topups?phone_number=%2B2335411100").json()["data"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        c.v2_get("/v2/topups?phone_number=2348031").json()["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    wait_terminal();
    assert_eq!(
        c.v2_get("/v2/topups?status=completed").json()["data"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        c.v2_get("/v2/topups?status=failed").json()["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        c.v2_get("/v2/topups?status=pending").json()["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let by_status = c.v2_get("/v2/topups?sort=-status").json();
    assert_eq!(by_status["data"][0]["status"], "failed");
    let by_completed = c.v2_get("/v2/topups?sort=completed_at").json();
    assert_eq!(by_completed["data"][0]["reference"], "ref-0");

    assert_eq!(
        c.v2_get("/v2/topups?from=2000-01-01").json()["data"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        c.v2_get("/v2/topups?from=2999-01-01").json()["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        c.v2_get("/v2/topups?to=2000-01-01").json()["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        c.v2_get("/v2/topups?from=2000-01-01T00:00:00Z&to=2999-12-31")
            .json()["data"]
            .as_array()
            .unwrap()
            .len(),
        5
    );

    for bad in [
        "per_page=0",
        "per_page=101",
        "page=0",
        "sort=amount",
        "status=done",
        "from=yesterday",
        "per_page=x",
    ] {
        let r = c.v2_get(&format!("/v2/topups?{bad}"));
        assert_eq!(r.status, 400, "{bad}");
        assert_eq!(r.json()["error"]["code"], "INVALID_REQUEST", "{bad}");
    }
}

#[test]
fn rate_limit_headers_and_429() {
    let sb = Sandbox::start_with(fast_config().rate_limit_per_minute(3)).unwrap();
    let c = Client::new(&sb);
    let remaining: Vec<String> = (0..3)
        .map(|_| {
            let r = c.v2_get("/v2/catalog/countries");
            assert_eq!(r.status, 200);
            assert_eq!(r.header("X-RateLimit-Limit"), Some("3"));
            r.header("X-RateLimit-Remaining").unwrap().to_string()
        })
        .collect();
    assert_eq!(remaining, ["2", "1", "0"]);
    let r = c.v2_get("/v2/catalog/countries");
    assert_eq!(r.status, 429);
    assert_eq!(r.json()["error"]["code"], "RATE_LIMIT_EXCEEDED");
    let retry: u64 = r.header("Retry-After").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(r.header("X-RateLimit-Remaining"), Some("0"));
    // V1 and control endpoints are not counted against the V2 key.
    assert_eq!(c.v1_get("/adp/balances").status, 200);
    assert_eq!(c.control_get("/_sandbox/health")["ok"], true);
    // Reset clears counters.
    sb.reset();
    assert_eq!(c.v2_get("/v2/catalog/countries").status, 200);
}

#[test]
fn catalog_endpoints() {
    let sb = start();
    let c = Client::new(&sb);
    let j = c
        .v2_get("/v2/catalog/lookup?phone_number=%2B233541112259")
        .json();
    let d = &j["data"];
    assert_eq!(d["phone_number"], "+233541112259");
    assert_eq!(
        d["network"],
        json!({"id": 42, "name": "MTN Ghana", "country": "Ghana", "country_code": "GH", "currency": "GHS"})
    );
    assert_eq!(
        d["exchange_rate"],
        json!({"source_currency": "USD", "destination_currency": "GHS", "rate": 12.35})
    );
    assert_eq!(d["products"]["custom_airtime"]["min_amount_local"], 1);
    assert_eq!(d["products"]["custom_airtime"]["max_amount_local"], 5000);
    let bundles = d["products"]["fixed_bundles"].as_array().unwrap();
    assert_eq!(bundles.len(), 2);
    assert_eq!(bundles[0]["id"], 101);
    assert_eq!(bundles[0]["type"], "DATA");
    assert_eq!(bundles[0]["price_usd"], 2.5);
    assert!(bundles[0]["local_value"].is_string());
    // Unencoded "+" (decoded as a space) is tolerated.
    assert_eq!(
        c.v2_get("/v2/catalog/lookup?phone_number=+2348031234567")
            .json()["data"]["network"]["id"],
        61
    );
    let by_net = c.v2_get("/v2/catalog/lookup?network_id=71").json();
    assert_eq!(by_net["data"]["network"]["name"], "Safaricom");
    assert!(by_net["data"].get("phone_number").is_none());
    let hlr = c.v2_get("/v2/catalog/lookup?phone_number=%2B447911123456");
    assert_eq!(
        (hlr.status, hlr.json()["error"]["code"].clone()),
        (400, json!("HLR_LOOKUP_FAILED"))
    );
    let bad = c.v2_get("/v2/catalog/lookup?phone_number=12");
    assert_eq!(bad.json()["error"]["code"], "INVALID_PHONE_NUMBER");
    assert_eq!(
        c.v2_get("/v2/catalog/lookup").json()["error"]["code"],
        "MISSING_REQUIRED_FIELD"
    );
    let nf = c.v2_get("/v2/catalog/lookup?network_id=5");
    assert_eq!(
        (nf.status, nf.json()["error"]["code"].clone()),
        (404, json!("NETWORK_NOT_FOUND"))
    );

    let nets = c.v2_get("/v2/catalog/networks?country_code=GH").json();
    let ids: Vec<u64> = nets["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [42, 23, 24]);
    assert_eq!(
        keys(&nets["data"][0]),
        [
            "country",
            "country_code",
            "currency",
            "id",
            "logo_url",
            "name",
            "product_count",
            "supports_custom_airtime"
        ]
    );
    assert!(nets["meta"].get("pagination").is_none());
    assert_eq!(
        c.v2_get("/v2/catalog/networks").json()["data"]
            .as_array()
            .unwrap()
            .len(),
        7
    );
    assert_eq!(
        c.v2_get("/v2/catalog/networks?country_code=ke").json()["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let prods = c.v2_get("/v2/catalog/products?network_id=61").json();
    assert_eq!(prods["data"]["exchange_rate"]["rate"], 1550);
    assert_eq!(prods["data"]["products"]["fixed_bundles"][0]["id"], 401);
    assert_eq!(c.v2_get("/v2/catalog/products").status, 400);
    assert_eq!(c.v2_get("/v2/catalog/products?network_id=1").status, 404);

    let countries = c.v2_get("/v2/catalog/countries").json();
    assert_eq!(countries["data"].as_array().unwrap().len(), 5);
    assert_eq!(countries["data"][0]["country_code"], "GH");
    assert_eq!(
        countries["data"][0]["networks"].as_array().unwrap().len(),
        3
    );

    assert_eq!(c.v2_get("/v2/nope").status, 404);
    assert_eq!(
        c.request("DELETE", "/v2/topups", Auth::V2, &[], None)
            .unwrap()
            .status,
        405
    );
}

#[test]
fn balances_go_down_and_failed_are_refunded() {
    let sb = start();
    let c = Client::new(&sb);
    let b0 = c.v2_get("/v2/balance").json();
    assert_eq!(b0["data"]["wallets"][0]["id"], "wal_global_001");
    assert_eq!(b0["data"]["wallets"][0]["balance"], 1000);
    assert_eq!(
        b0["data"]["wallets"][0]["allowed_countries"],
        json!(["All Countries"])
    );
    assert_eq!(b0["data"]["wallets"][1]["balance"], 3090);
    assert_eq!(b0["data"]["available_balance"]["currency"], "USD");
    // GHS paid from the local wallet; NGN from the global USD wallet.
    c.v2_post("/v2/topups", &topup_body("+233541112259", 90.0), None);
    let ng = json!({"phone_number": "+2348031234567", "network_id": 61, "amount": {"value": 1550, "currency": "NGN"}});
    assert_eq!(c.v2_post("/v2/topups", &ng, None).status, 201);
    let failed = c.v2_post("/v2/topups", &topup_body("+233555000003", 100.0), None);
    assert_eq!(failed.status, 201);
    let during = c.v2_get("/v2/balance/wal_ghs_001").json();
    assert_eq!(during["data"]["balance"], 2900);
    wait_terminal();
    let after = c.v2_get("/v2/balance").json();
    assert_eq!(after["data"]["wallets"][0]["balance"], 999);
    assert_eq!(
        after["data"]["wallets"][1]["balance"], 3000,
        "failed top-up refunded"
    );
    let missing = c.v2_get("/v2/balance/wal_nope");
    assert_eq!(
        (missing.status, missing.json()["error"]["code"].clone()),
        (404, json!("WALLET_NOT_FOUND"))
    );
    sb.reset();
    assert_eq!(
        c.v2_get("/v2/balance").json()["data"]["wallets"][1]["balance"],
        3090
    );
}

#[test]
fn insufficient_balance_when_no_wallet_can_pay() {
    let sb = start();
    let c = Client::new(&sb);
    // 5000 GHS: the GHS wallet (3090) cannot pay, the USD wallet pays 404.86 each time.
    let mut statuses = Vec::new();
    for i in 0..4 {
        let r = c.v2_post(
            "/v2/topups",
            &topup_body(&format!("+23354111000{i}"), 5000.0),
            None,
        );
        statuses.push(r.status);
        if r.status == 400 {
            assert_eq!(r.json()["error"]["code"], "INSUFFICIENT_BALANCE");
        }
    }
    assert_eq!(statuses, [201, 201, 400, 400]);
    assert_eq!(counts(&sb), (0, 2));
}

#[test]
fn default_config_values() {
    let c = SandboxConfig::default();
    assert_eq!(c.get_port(), 0);
    assert_eq!(c.get_processing_after(), Duration::from_millis(100));
    assert_eq!(c.get_complete_after(), Duration::from_millis(400));
    assert_eq!(c.get_slow_delay(), Duration::from_millis(3000));
    assert_eq!(c.get_duplicate_window(), Duration::from_secs(5));
    assert_eq!(c.get_rate_limit_per_minute(), 600);
}

#[test]
fn status_filter_on_in_flight_topups() {
    let sb = Sandbox::start_with(
        fast_config()
            .processing_after(Duration::from_secs(5))
            .complete_after(Duration::from_secs(6)),
    )
    .unwrap();
    let c = Client::new(&sb);
    for phone in ["+233541110001", "+233541110002"] {
        assert_eq!(
            c.v2_post("/v2/topups", &topup_body(phone, 5.0), None)
                .status,
            201
        );
    }
    let n = |s: &str| {
        c.v2_get(&format!("/v2/topups?status={s}")).json()["data"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(
        [n("pending"), n("processing"), n("completed"), n("failed")],
        [2, 0, 0, 0]
    );
}
