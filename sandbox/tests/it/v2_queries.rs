//! V2 create validation, list pagination, filters and sorting, and rate limits.

use crate::common::*;
use clickairtime_sandbox::Sandbox;
use serde_json::{Value, json};
use std::time::Duration;

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
