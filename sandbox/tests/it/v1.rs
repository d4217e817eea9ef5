//! V1 API behaviour.

use crate::common::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn post(c: &Client, msisdn: &str, extra: Value) -> Resp {
    let mut body =
        json!({"msisdn": msisdn, "amount": 100, "extRefId": format!("ext-{msisdn}-{}", extra)});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    c.v1_post(&body)
}

#[test]
fn v1_auth() {
    let sb = start();
    let c = Client::new(&sb);
    let expected =
        json!({"message": "Invalid or missing authentication credentials", "statusCode": 401});
    let none = c
        .request("GET", "/adp/balances", Auth::None, &[], None)
        .unwrap();
    assert_eq!(none.status, 401);
    assert_eq!(none.json(), expected);
    let wrong = c
        .request(
            "POST",
            "/adp",
            Auth::None,
            &[
                ("X-Click-Airtime-Email", sb.v1_email()),
                ("X-Click-Airtime-Token", "nope"),
            ],
            Some("{}"),
        )
        .unwrap();
    assert_eq!((wrong.status, wrong.json()), (401, expected.clone()));
    let v2 = c
        .request("GET", "/adp/balances", Auth::V2, &[], None)
        .unwrap();
    assert_eq!(v2.status, 401);
    assert_eq!(c.v1_get("/adp/balances").status, 200);
}

#[test]
fn sync_success_shape() {
    let sb = start();
    let c = Client::new(&sb);
    let r =
        c.v1_post(&json!({"msisdn": "265991234567", "amount": 100, "extRefId": "1W89-GZ881-WYYQ"}));
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(
        j["message"],
        "Top-up successful! Airtime has been successfully topped up"
    );
    assert_eq!(j["statusCode"], 200);
    assert_eq!(j["code"], 1);
    let d = &j["data"];
    assert_eq!(d["state"], "SUCCESS");
    assert_eq!(d["amount"], 100);
    assert_eq!(d["effectiveAmount"], "0.06");
    assert_eq!(d["currency"], "MWK");
    assert_eq!(
        d["wallet"],
        json!({"currency": "USD", "amount": "0.06", "fxRate": "1729.0500"})
    );
    assert!(d["provider"]["transaction_id"].is_string());
    assert!(d["provider"]["reference_code"].is_string());
    assert!(uuid::Uuid::parse_str(d["transactionId"].as_str().unwrap()).is_ok());
    // Same-currency wallet (MTN Ghana account is in GHS): fxRate null; numeric-string amount accepted.
    let gh = c.v1_post(&json!({"msisdn": "233541112259", "amount": "12.5"}));
    assert_eq!(gh.json()["code"], 1);
    assert_eq!(
        gh.json()["data"]["wallet"],
        json!({"currency": "GHS", "amount": "12.50", "fxRate": null})
    );
    assert_eq!(gh.json()["data"]["amount"], 12.5);
    // Legacy path.
    let legacy = c
        .request(
            "POST",
            "/adp/topup",
            Auth::V1,
            &[],
            Some(&json!({"msisdn": "254722123456", "amount": 50}).to_string()),
        )
        .unwrap();
    assert_eq!(legacy.json()["code"], 1);
}

#[test]
fn async_then_lookup_mirrors_state() {
    let sb = start_slow();
    let c = Client::new(&sb);
    let r = c.v1_post(&json!({"msisdn": "263711234567", "amount": 100, "extRefId": "DS2345", "processingMode": "ASYNC"}));
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["code"], 232);
    assert_eq!(j["data"]["state"], "PENDING");
    let look = c.v1_get("/adp/transactions?extRefId=DS2345").json();
    assert_eq!(look["code"], 10);
    assert_eq!(
        look["message"],
        "The operation is pending and being processed"
    );
    wait_terminal_slow();
    let look = c.v1_get("/adp/transactions?extRefId=DS2345").json();
    assert_eq!(look["code"], 1);
    assert_eq!(look["statusCode"], 200);
    let rec = &look["data"][0];
    let mut keys: Vec<&String> = rec.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "TopupAmount",
            "accountId",
            "amount",
            "country",
            "currency",
            "effectiveAmount",
            "extRefId",
            "msisdn",
            "network",
            "provider",
            "state",
            "status",
            "transactionId",
            "wallet"
        ]
    );
    assert_eq!(rec["status"], true);
    assert_eq!(rec["network"], "NetOne");
    assert_eq!(rec["country"], "Zimbabwe");
    assert_eq!(rec["currency"], "ZWL");
    assert_eq!(rec["TopupAmount"], 100);
    assert_eq!(rec["effectiveAmount"], "0.06");
    assert_eq!(rec["wallet"]["fxRate"], "1729.0500");
    assert_eq!(rec["extRefId"], "DS2345");
    let id = rec["transactionId"].as_str().unwrap();
    let by_id = c
        .v1_get(&format!("/adp/transactions?transaction_Id={id}"))
        .json();
    assert_eq!(by_id["data"][0]["transactionId"], id);
    // AND semantics.
    let none = c.v1_get(&format!(
        "/adp/transactions?transaction_Id={id}&msisdn=263719999999"
    ));
    assert_eq!(none.status, 404);
    assert_eq!(c.v1_get("/adp/transactions").status, 400);
    // Several records: code 1 "Success".
    c.v1_post(&json!({"msisdn": "263711234567", "amount": 5, "extRefId": "second"}));
    let many = c.v1_get("/adp/transactions?msisdn=263711234567").json();
    assert_eq!(many["code"], 1);
    assert_eq!(many["message"], "Success");
    assert_eq!(many["data"].as_array().unwrap().len(), 2);
}

#[test]
fn v1_magic_numbers() {
    let sb = start_slow();
    let c = Client::new(&sb);
    let r = post(&c, "233555000001", json!({}));
    assert_eq!(
        (r.status, r.json()),
        (
            403,
            json!({"message": "Request declined due to low balance", "statusCode": 500, "code": 20})
        )
    );
    let r = post(&c, "233555000011", json!({}));
    assert_eq!(
        (r.status, r.json()),
        (
            200,
            json!({"message": "Insufficient balance to complete this transaction", "statusCode": 200, "code": "0"})
        )
    );
    let r = post(&c, "233555000002", json!({}));
    assert_eq!(
        (r.status, r.json()),
        (
            403,
            json!({"message": "Recipient's number is invalid", "statusCode": 500, "code": 30})
        )
    );
    let r = post(&c, "233555000013", json!({}));
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["code"], 5);
    assert_eq!(
        r.json()["message"],
        "The airtime top-up operation has failed"
    );
    let r = post(&c, "233555000014", json!({}));
    assert_eq!(
        (r.status, r.json()),
        (
            429,
            json!({"message": "Too many requests", "statusCode": 429})
        )
    );
    assert_eq!(r.header("Retry-After"), Some("1"));
    assert_eq!(counts(&sb), (0, 0));

    // SYNC answers carry the terminal state.
    let r = post(&c, "233555000003", json!({}));
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["code"], 5);
    assert_eq!(r.json()["data"]["state"], "FAILED");
    assert_eq!(r.json()["data"]["effectiveAmount"], "0.00");
    let r = post(&c, "233555000012", json!({}));
    assert_eq!(r.json()["code"], 10);
    assert_eq!(r.json()["data"]["state"], "PENDING");
    let r = post(&c, "233555000010", json!({}));
    assert_eq!(r.json()["code"], 10);
    assert_eq!(r.json()["data"]["state"], "PROCESSING");
    for (n, state, code) in [
        ("04", "TIMEOUT", 160),
        ("05", "UNDERLIVERED", 5),
        ("06", "CANCELED", 170),
    ] {
        let msisdn = format!("2335550000{n}");
        let r = post(&c, &msisdn, json!({"processingMode": "ASYNC"}));
        assert_eq!(r.json()["code"], 232);
        std::thread::sleep(Duration::from_millis(10));
        let look = c
            .v1_get(&format!("/adp/transactions?msisdn={msisdn}"))
            .json();
        assert_eq!(look["code"], 10);
        wait_terminal_slow();
        let look = c
            .v1_get(&format!("/adp/transactions?msisdn={msisdn}"))
            .json();
        assert_eq!(look["code"], code, "{msisdn}");
        assert_eq!(look["data"][0]["state"], state);
        assert_eq!(look["data"][0]["status"], false);
    }
    let look = c.v1_get("/adp/transactions?msisdn=233555000012").json();
    assert_eq!(look["code"], 1, "magic 12 completes normally");
    let look = c.v1_get("/adp/transactions?msisdn=233555000010").json();
    assert_eq!(look["data"][0]["state"], "PROCESSING");
    assert_eq!(look["code"], 10);
}

#[test]
fn v1_duplicate_ext_ref_and_first_post_faults() {
    let sb = start();
    let c = Client::new(&sb);
    let body = json!({"msisdn": "233541112259", "amount": 5, "extRefId": "FIX-1"});
    assert_eq!(c.v1_post(&body).json()["code"], 1);
    let dup = c.v1_post(&body);
    assert_eq!(
        (dup.status, dup.json()),
        (
            403,
            json!({"message": "External reference ID already exists", "statusCode": 500, "code": 90})
        )
    );
    assert_eq!(counts(&sb), (1, 0));

    // 07: committed, then the connection is closed; the retry sees code 90, the lookup finds it.
    let drop = json!({"msisdn": "233555000007", "amount": 5, "extRefId": "DROP-1"});
    assert!(c.try_v1_post(&drop).is_err());
    assert_eq!(counts(&sb), (2, 0));
    assert_eq!(c.v1_post(&drop).json()["code"], 90);
    assert_eq!(
        c.v1_get("/adp/transactions?extRefId=DROP-1").json()["code"],
        1
    );

    // 08: 500 first, nothing committed; the retry succeeds.
    let err = json!({"msisdn": "233555000008", "amount": 5, "extRefId": "ERR-1"});
    let r = c.v1_post(&err);
    assert_eq!(
        (r.status, r.json()),
        (
            500,
            json!({"message": "Internal server error", "statusCode": 500})
        )
    );
    assert_eq!(counts(&sb), (2, 0));
    assert_eq!(c.v1_post(&err).json()["code"], 1);

    // 09: committed, answer delayed.
    let t = Instant::now();
    assert_eq!(
        c.v1_post(&json!({"msisdn": "233555000009", "amount": 5}))
            .json()["code"],
        1
    );
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(counts(&sb), (4, 0));
}

#[test]
fn v1_validation() {
    let sb = start();
    let c = Client::new(&sb);
    let status = |body: Value| c.v1_post(&body).status;
    assert_eq!(status(json!({"amount": 5})), 400);
    assert_eq!(status(json!({"msisdn": "233541112259"})), 400);
    assert_eq!(
        status(json!({"msisdn": "233541112259", "amount": "abc"})),
        400
    );
    assert_eq!(status(json!({"msisdn": "233541112259", "amount": 0})), 400);
    assert_eq!(
        status(json!({"msisdn": "233541112259", "amount": 5001})),
        400
    );
    assert_eq!(
        status(json!({"msisdn": "233541112259", "amount": 5, "processingMode": "LATER"})),
        400
    );
    assert_eq!(
        status(json!({"msisdn": "233541112259", "amount": 5, "sendSMS": "yes"})),
        400
    );
    assert_eq!(
        status(json!({"msisdn": "233541112259", "productId": 99999})),
        400
    );
    assert_eq!(
        status(json!({"msisdn": "233541112259", "productId": 6102})),
        400,
        "product of another network"
    );
    let bad = c.v1_post(&json!({"msisdn": "447911123456", "amount": 5}));
    assert_eq!((bad.status, bad.json()["code"].clone()), (403, json!(30)));
    let plus = c.v1_post(&json!({"msisdn": "+233541112259", "amount": 5}));
    assert_eq!((plus.status, plus.json()["code"].clone()), (403, json!(30)));
    let r = c
        .request("POST", "/adp", Auth::V1, &[], Some("{oops"))
        .unwrap();
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["statusCode"], 400);
    assert_eq!(counts(&sb), (0, 0));
}

#[test]
fn v1_products_and_balances() {
    let sb = start();
    let c = Client::new(&sb);
    let cat = c.v1_get("/adp/product-catalog").json();
    assert_eq!(cat["message"], "success");
    assert_eq!(cat["code"], 1);
    assert_eq!(
        cat["data"][0],
        json!({"serviceId": 42, "providerName": "MTN_Ghana"})
    );
    let prods = c.v1_get("/adp/products?serviceId=42").json();
    let list = prods["data"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["productId"], 4201);
    assert_eq!(list[0]["type"], "OPEN_PRODUCT");
    assert_eq!(list[1]["productId"], 4202);
    assert_eq!(list[1]["type"], "FIXED_PRODUCT");
    assert_eq!(c.v1_get("/adp/products/4202").json()["data"]["amount"], 10);
    assert_eq!(c.v1_get("/adp/products/1").status, 404);
    assert_eq!(c.v1_get("/adp/products").status, 400);
    assert_eq!(c.v1_get("/adp/products?serviceId=7").status, 404);

    let b0 = c.v1_get("/adp/balances").json();
    assert_eq!(b0["message"], "Success");
    assert_eq!(b0["statusCode"], 200);
    let gh0 = b0["data"][0].clone();
    assert_eq!(gh0["serviceName"], "MTN Ghana");
    assert_eq!(gh0["serviceCountry"], "Ghana");
    assert_eq!(gh0["balance"], 5000);
    // Fixed product: the amount sent is ignored.
    let fixed = c.v1_post(&json!({"msisdn": "233541112259", "productId": 4202, "amount": 999, "extRefId": "FIX-001-GHS5"}));
    assert_eq!(fixed.json()["data"]["amount"], 10);
    // Open product still needs the amount.
    assert_eq!(
        c.v1_post(&json!({"msisdn": "233541112259", "productId": 4201}))
            .status,
        400
    );
    assert_eq!(
        c.v1_post(&json!({"msisdn": "233541112259", "productId": "4201", "amount": 15}))
            .json()["code"],
        1
    );
    // A failed one is not debited.
    assert_eq!(
        c.v1_post(&json!({"msisdn": "233555000003", "amount": 100}))
            .json()["code"],
        5
    );
    let acc = gh0["accountId"].as_str().unwrap();
    let one = c.v1_get(&format!("/adp/balances/{acc}")).json();
    assert_eq!(one["data"]["balance"], 4975);
    assert_eq!(c.v1_get("/adp/balances/nope").status, 404);
    // USD accounts go down by the converted amount.
    c.v1_post(&json!({"msisdn": "254722123456", "amount": 1295}));
    let ke = c.v1_get("/adp/balances/71").json();
    assert_eq!(ke["data"]["balance"], 990);
    assert_eq!(ke["data"]["currency"], "USD");
    assert_eq!(c.v1_get("/adp/nope").status, 404);
}
