//! V2 catalog endpoints, wallet balances, default configuration and in-flight status filters.

use crate::common::*;
use crate::v2::keys;
use clickairtime_sandbox::{Sandbox, SandboxConfig};
use serde_json::json;
use std::time::Duration;

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
