//! Every documented payload (tests/fixtures, copied from the API docs) decodes into the right type, served
//! over real HTTP by a local server so the whole client path is exercised.

mod support;

use clickairtime::ErrorKind;
use clickairtime::money::Decimal;
use clickairtime::v1::{TransactionFilter, TransactionState};
use clickairtime::v2::{TopUpStatus, WalletType};
use std::str::FromStr;
use support::{Reply, TestServer, fixture, v1, v2};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Serve one fixture for every request.
fn serve(status: u16, name: &'static str) -> TestServer {
    TestServer::start(move |_, _| Reply::json(status, fixture(name)))
}

/// The docs' 201 record, describing the sale that was posted (reference, amount or product), as the API
/// answers it: the SDK believes only a record that is this sale.
fn serve_created(name: &'static str) -> TestServer {
    TestServer::start(move |req, _| {
        let mut v: serde_json::Value = serde_json::from_slice(&fixture(name)).unwrap();
        let sent: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
        v["data"]["reference"] = sent["reference"].clone();
        if !sent["product_id"].is_null() {
            v["data"]["product_id"] = sent["product_id"].clone();
            v["data"]["amount"] = serde_json::json!({"value": 12, "currency": "GHS"});
        }
        Reply::json(201, serde_json::to_vec(&v).unwrap())
    })
}

#[test]
fn v2_topup_status_fixture() {
    let s = serve(200, "v2_topup_status_200.json");
    let r = v2(&s.url)
        .topups()
        .get("a1b2c3d4-e5f6-7890-abcd-ef1234567890")
        .unwrap();
    assert_eq!(r.status, TopUpStatus::Completed);
    assert_eq!(r.amount.as_ref().unwrap().value, d("50"));
    assert_eq!(r.cost.as_ref().unwrap().value, d("4.05"));
    assert_eq!(r.cost.as_ref().unwrap().currency, "USD");
    assert_eq!(r.network.as_ref().unwrap().id, 42);
    assert_eq!(r.product_id, None);
    assert_eq!(r.reference.as_deref(), Some("invoice-12345"));
    assert_eq!(
        r.completed_at.as_ref().unwrap().unix_millis(),
        Some(1_705_314_602_500)
    );
    assert_eq!(r.meta.request_id.as_deref(), Some("req_x1y2z3a4b5c6"));
    assert_eq!(r.metadata.as_ref().unwrap()["customer_id"], "cust_001");
    assert_eq!(
        s.seen()[0].path(),
        "/v2/topups/a1b2c3d4-e5f6-7890-abcd-ef1234567890"
    );
}

#[test]
fn v2_create_201_fixture_and_request_body_shape() {
    let s = serve(201, "seed_v2_topup_create_201.json");
    let req = clickairtime::v2::CreateTopUp::amount("+233541112259", 42, d("50"), "GHS")
        .sms(Some("Airtime top-up from Acme Corp".into()))
        .reference("invoice-12345")
        .metadata("customer_id", "cust_001")
        .metadata("department", "sales");
    let r = v2(&s.url).topups().create(&req).unwrap();
    assert_eq!(r.id, "a1b2c3d4-e5f6-7890-abcd-ef1234567890");
    assert!(!r.meta.replayed);
    assert_eq!(r.meta.attempts, 1);
    assert_eq!(r.meta.reference.as_deref(), Some("invoice-12345"));
    let sent: serde_json::Value = serde_json::from_slice(&s.seen()[0].body).unwrap();
    let documented: serde_json::Value =
        serde_json::from_slice(&fixture("v2_topup_create_request_custom_amount.json")).unwrap();
    assert_eq!(
        sent, documented,
        "the body we send is the documented request"
    );
    assert!(s.seen()[0].header("idempotency-key").is_some());
    assert_eq!(
        s.seen()[0].header("authorization"),
        Some(format!("Bearer {}", support::KEY).as_str())
    );
}

#[test]
fn v2_bundle_request_body_shape() {
    let s = serve_created("seed_v2_topup_create_201.json");
    let req = clickairtime::v2::CreateTopUp::product("+233541112259", 42, "pkg_500mb_30d");
    v2(&s.url).topups().create(&req).unwrap();
    let mut sent: serde_json::Value = serde_json::from_slice(&s.seen()[0].body).unwrap();
    assert!(
        sent["reference"].as_str().unwrap().starts_with("ca-"),
        "a reference is generated"
    );
    sent.as_object_mut().unwrap().remove("reference");
    let documented: serde_json::Value =
        serde_json::from_slice(&fixture("seed_v2_topup_create_request_bundle.json")).unwrap();
    assert_eq!(sent, documented);
}

#[test]
fn v2_networks_fixture() {
    let s = serve(200, "v2_catalog_networks_200.json");
    let r = v2(&s.url).catalog().networks(Some("gh")).unwrap();
    assert_eq!(r.len(), 3);
    assert_eq!(r[0].id, 22);
    assert_eq!(r[2].supports_custom_airtime, Some(false));
    assert_eq!(r[0].logo_url, None);
    assert_eq!(s.seen()[0].target, "/v2/catalog/networks?country_code=GH");
}

#[test]
fn v2_balance_fixture() {
    let s = serve(200, "v2_balance_200.json");
    let r = v2(&s.url).balance().list().unwrap();
    assert_eq!(r.available_balance.as_ref().unwrap().amount, d("1250.50"));
    assert_eq!(r.wallets.len(), 2);
    assert_eq!(r.wallets[0].wallet_type, WalletType::Global);
    assert_eq!(r.wallets[1].balance, d("3090.00"));
    assert_eq!(r.wallets[0].allowed_countries, vec!["All Countries"]);
}

#[test]
fn v2_error_fixtures_map_to_kinds() {
    for (status, name, kind, code, has_request_id) in [
        (
            400,
            "v2_error_insufficient_balance.json",
            ErrorKind::InsufficientBalance,
            "INSUFFICIENT_BALANCE",
            true,
        ),
        (
            402,
            "v2_error_insufficient_balance_402_guide.json",
            ErrorKind::InsufficientBalance,
            "INSUFFICIENT_BALANCE",
            false,
        ),
        (
            429,
            "v2_error_rate_limited_429_guide.json",
            ErrorKind::RateLimited,
            "RATE_LIMITED",
            false,
        ),
        (
            418,
            "v2_error_template.json",
            ErrorKind::Api,
            "ERROR_CODE",
            true,
        ),
    ] {
        let s = TestServer::start(move |_, _| {
            Reply::json(status, fixture(name)).with_header("Retry-After", "0")
        });
        let c = clickairtime::v2::Client::builder(support::KEY)
            .base_url(&s.url)
            .max_retries(0)
            .build()
            .unwrap();
        let e = c.balance().list().unwrap_err();
        assert_eq!(e.kind(), kind, "{name}");
        assert_eq!(e.api_code(), Some(code));
        assert_eq!(e.http_status(), Some(status));
        assert_eq!(e.request_id().is_some(), has_request_id, "{name}");
        assert!(e.body().unwrap().contains(code), "body kept");
    }
}

#[test]
fn v2_paginated_template_filled_in() {
    let item = String::from_utf8(fixture("v2_topup_status_200.json")).unwrap();
    let item: serde_json::Value = serde_json::from_str(&item).unwrap();
    let template = String::from_utf8(fixture("v2_envelope_paginated.template.txt")).unwrap();
    let json: String = template
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let body = json.replace("[ ... ]", &format!("[{}, {}]", item["data"], item["data"]));
    let s = TestServer::start(move |_, _| Reply::json(200, body.clone()));
    let r = v2(&s.url).topups().list(&Default::default()).unwrap();
    assert_eq!(r.len(), 2);
    let p = r.meta.pagination.unwrap();
    assert_eq!(
        (
            p.page,
            p.per_page,
            p.total,
            p.total_pages,
            p.has_next,
            p.has_prev
        ),
        (1, 20, 150, 8, true, false)
    );
}

#[test]
fn partial_fixtures_are_typed_errors_not_panics() {
    for name in [
        "v2_catalog_lookup_200.partial.txt",
        "v2_catalog_products_200.partial.txt",
        "v2_topups_list_200.partial.txt",
        "guide_webhook_transaction_completed.partial.txt",
    ] {
        let s = serve(200, name);
        let e = v2(&s.url)
            .catalog()
            .lookup(Some("+233541112259"), None)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnexpectedResponse, "{name}");
        assert!(e.body().unwrap().contains("TRUNCATED"));
    }
}

#[test]
fn v1_send_success_fixture() {
    let s = serve(200, "seed_v1_adp_success_200.json");
    let req =
        clickairtime::v1::SendTopUp::amount("263719545499", d("100")).ext_ref_id("1W89-GZ881-WYYQ");
    let r = v1(&s.url).send_topup(&req).unwrap();
    assert_eq!(r.state, TransactionState::Success);
    assert_eq!(r.code, Some(1));
    assert_eq!(
        r.transaction_id.as_deref(),
        Some("f661f75a-c249-4aef-8cf3-abcdef123456")
    );
    assert_eq!(r.effective_amount, Some(d("0.06")));
    let w = r.wallet.as_ref().unwrap();
    assert_eq!(
        (w.amount, w.fx_rate),
        (Some(d("0.06")), Some(d("1729.0500")))
    );
    assert_eq!(
        r.provider.as_ref().unwrap().reference_code.as_deref(),
        Some("REF-67890")
    );
    assert_eq!(r.meta.reference.as_deref(), Some("1W89-GZ881-WYYQ"));
    let seen = &s.seen()[0];
    assert_eq!(seen.path(), "/adp");
    assert_eq!(seen.header("x-click-airtime-token"), Some(support::TOKEN));
    let sent: serde_json::Value = serde_json::from_slice(&seen.body).unwrap();
    let documented: serde_json::Value =
        serde_json::from_slice(&fixture("v1_topup_request.json")).unwrap();
    for k in ["msisdn", "amount", "extRefId"] {
        assert_eq!(sent[k], documented[k], "{k}");
    }
    assert_eq!(sent["processingMode"], "SYNC");
}

#[test]
fn v1_product_request_shape() {
    let s = serve(200, "seed_v1_adp_success_200.json");
    let req = clickairtime::v1::SendTopUp::product("233541112259", 42).ext_ref_id("FIX-001-GHS5");
    v1(&s.url).send_topup(&req).unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&s.seen()[0].body).unwrap();
    let documented: serde_json::Value =
        serde_json::from_slice(&fixture("seed_v1_adp_request_product.json")).unwrap();
    for k in ["msisdn", "productId", "extRefId"] {
        assert_eq!(sent[k], documented[k], "{k}");
    }
}

#[test]
fn v1_transactions_fixture() {
    let s = serve(200, "seed_v1_transactions_200.json");
    let r = v1(&s.url)
        .transactions(&TransactionFilter::msisdn("265996139030"))
        .unwrap();
    let t = &r[0];
    assert_eq!(t.state, TransactionState::Success);
    assert_eq!(t.status, Some(true));
    assert_eq!(t.delivered_amount(), Some(d("100")));
    assert_eq!(t.topup_amount, Some(d("100")));
    assert_eq!(t.ext_ref_id.as_deref(), Some("DS2345"));
    assert_eq!(t.network.as_deref(), Some("NetOne"));
    assert_eq!(s.seen()[0].target, "/adp/transactions?msisdn=265996139030");
}

#[test]
fn v1_product_catalog_fixture() {
    let s = serve(200, "v1_product_catalog_200.json");
    let r = v1(&s.url).product_catalog().unwrap();
    assert_eq!(r.len(), 3);
    assert_eq!(
        (r[1].service_id, r[1].provider_name.as_str()),
        (15, "Airtel_Malawi")
    );
}

#[test]
fn v1_error_fixtures_map_to_kinds() {
    for (status, name, kind, code) in [
        (
            403,
            "seed_v1_adp_error_low_balance.json",
            ErrorKind::InsufficientBalance,
            Some("20"),
        ),
        (
            200,
            "seed_v1_adp_error_low_balance.json",
            ErrorKind::InsufficientBalance,
            Some("20"),
        ),
        (
            200,
            "v1_error_insufficient_balance_guide_code0.json",
            ErrorKind::InsufficientBalance,
            Some("0"),
        ),
        (
            403,
            "seed_v1_adp_error_invalid_recipient.json",
            ErrorKind::InvalidRecipient,
            Some("30"),
        ),
        (
            401,
            "seed_v1_adp_error_auth_401.json",
            ErrorKind::Authentication,
            None,
        ),
        (
            401,
            "v1_error_auth_401.json",
            ErrorKind::Authentication,
            None,
        ),
    ] {
        let s = serve(status, name);
        let e = v1(&s.url)
            .send_topup(&clickairtime::v1::SendTopUp::amount("263719545499", d("5")))
            .unwrap_err();
        assert_eq!(e.kind(), kind, "{name} at {status}");
        assert_eq!(e.api_code(), code);
        assert_eq!(e.http_status(), Some(status));
        assert!(
            e.reference().is_some(),
            "the generated extRefId comes back on errors"
        );
        assert_eq!(s.seen().len(), 1, "a definitive failure is not re-sent");
    }
}

#[test]
fn v1_duplicate_fixture_resolves_to_existing_record() {
    let s = TestServer::start(|req, _| match req.path() {
        "/adp" => Reply::json(403, fixture("seed_v1_adp_error_duplicate_extrefid.json")),
        _ => Reply::json(200, fixture("seed_v1_transactions_200.json")),
    });
    let req = clickairtime::v1::SendTopUp::amount("265996139030", d("100")).ext_ref_id("DS2345");
    let r = v1(&s.url).send_topup(&req).unwrap();
    assert!(r.meta.replayed);
    assert_eq!(r.ext_ref_id.as_deref(), Some("DS2345"));
    assert_eq!(s.seen().iter().filter(|q| q.method == "POST").count(), 1);
}

#[test]
fn v2_callback_request_shape() {
    let s = serve_created("seed_v2_topup_create_201.json");
    let req = clickairtime::v2::CreateTopUp::amount("+233541112259", 42, d("50"), "GHS")
        .callback_url("https://your-app.com/webhooks/airtime")
        .reference("r-1");
    v2(&s.url).topups().create(&req).unwrap();
    let mut sent: serde_json::Value = serde_json::from_slice(&s.seen()[0].body).unwrap();
    sent.as_object_mut().unwrap().remove("reference");
    let documented: serde_json::Value =
        serde_json::from_slice(&fixture("v2_topup_create_request_with_callback_url.json")).unwrap();
    assert_eq!(sent, documented);
}

#[test]
fn v1_same_currency_record_has_null_fx_rate_and_string_code() {
    let body = r#"{"message":"Top-up successful! Airtime has been successfully topped up","statusCode":"200","code":"1",
        "data":{"transactionId":"t-1","state":"SUCCESS","amount":"5.50","effectiveAmount":5.5,"currency":"USD",
        "wallet":{"currency":"USD","amount":5.5,"fxRate":null},"provider":{"transaction_id":123,"reference_code":null}}}"#;
    let s = TestServer::start(move |_, _| Reply::json(200, body));
    let r = v1(&s.url)
        .send_topup(&clickairtime::v1::SendTopUp::amount(
            "263719545499",
            d("5.50"),
        ))
        .unwrap();
    assert_eq!(r.code, Some(1));
    assert_eq!(r.amount, Some(d("5.50")));
    assert_eq!(r.wallet.as_ref().unwrap().fx_rate, None);
    assert_eq!(
        r.provider.as_ref().unwrap().transaction_id.as_deref(),
        Some("123")
    );
}

#[test]
fn v1_canceled_and_unknown_states_are_open() {
    let body = r#"{"message":"Transaction was cancelled","statusCode":200,"code":170,
        "data":[{"transactionId":"t-1","status":false,"state":"CANCELED","extRefId":"X"}]}"#;
    let s = TestServer::start(move |_, _| Reply::json(200, body));
    let r = v1(&s.url)
        .transactions(&TransactionFilter::ext_ref_id("X"))
        .unwrap();
    assert_eq!(r[0].state, TransactionState::Cancelled);
    assert!(r[0].state.is_terminal());
    assert_eq!(r[0].code, Some(170));
    let body2 = r#"{"message":"?","statusCode":200,"code":1,"data":[{"transactionId":"t-2","state":"REVERSED"}]}"#;
    let s2 = TestServer::start(move |_, _| Reply::json(200, body2));
    let r2 = v1(&s2.url)
        .transactions(&TransactionFilter::ext_ref_id("Y"))
        .unwrap();
    assert_eq!(r2[0].state, TransactionState::Unknown("REVERSED".into()));
    assert!(!r2[0].state.is_terminal());
}
