//! The API's answer shapes (V2 and V1 records, lists, errors) a scripted server sends.

use super::*;

// ---- V2 shapes ----

/// A V2 top-up record.
pub fn v2_record(
    id: &str,
    reference: &str,
    phone: &str,
    network_id: i64,
    amount: &str,
    currency: &str,
    status: &str,
) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "status": status,
        "phone_number": phone,
        "network": {"id": network_id, "name": "MTN Ghana", "country": "Ghana", "country_code": "GH"},
        "amount": {"value": amount.parse::<f64>().unwrap(), "currency": currency},
        "cost": {"value": 0.5, "currency": "USD"},
        "product_id": null,
        "product_name": null,
        "sms": {"enabled": false, "message": null},
        "reference": reference,
        "provider_reference": null,
        "failure_reason": null,
        "metadata": {},
        "created_at": "2024-01-15T10:30:00.000Z",
        "completed_at": null
    })
}

/// The V2 top-up the request `req` (a `POST /v2/topups`) asks for, with id `id`.
pub fn v2_record_for(req: &Seen, id: &str, status: &str) -> serde_json::Value {
    let b = json_of(req);
    let mut r = v2_record(
        id,
        b["reference"].as_str().unwrap_or(""),
        b["phone_number"].as_str().unwrap_or(""),
        b["network_id"].as_i64().unwrap_or(0),
        "1",
        "GHS",
        status,
    );
    r["amount"] = b["amount"].clone();
    r
}

/// `{"success":true,"data":record,"meta":…}`.
pub fn v2_one(record: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "success": true, "data": record,
        "meta": {"request_id": "req_000000000001", "timestamp": "2024-01-15T10:30:00.000Z"}
    }))
    .unwrap()
}

/// A V2 list answer.
pub fn v2_list(items: &[serde_json::Value]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "success": true, "data": items,
        "meta": {"request_id": "req_000000000002", "pagination": {"page": 1, "per_page": 100, "total": items.len(), "total_pages": 1, "has_next": false, "has_prev": false}}
    }))
    .unwrap()
}

/// A V2 error body.
pub fn v2_error(code: &str, message: &str, details: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "success": false,
        "error": {"code": code, "message": message, "details": details},
        "meta": {"request_id": "req_000000000003", "timestamp": "2024-01-15T10:30:00.000Z"}
    }))
    .unwrap()
}

// ---- V1 shapes ----

/// A V1 transaction record as lookups render it (`ext_ref_id` None: the field is absent).
pub fn v1_record(
    tx_id: &str,
    ext_ref_id: Option<&str>,
    msisdn: &str,
    amount: i64,
    state: &str,
) -> serde_json::Value {
    let mut r = serde_json::json!({
        "transactionId": tx_id,
        "status": state == "SUCCESS",
        "msisdn": msisdn,
        "network": "MTN",
        "country": "Ghana",
        "amount": amount,
        "TopupAmount": amount,
        "effectiveAmount": format!("{amount}.00"),
        "currency": "GHS",
        "accountId": "00000000-0000-4000-8000-000000000042",
        "state": state,
        "wallet": {"currency": "GHS", "amount": format!("{amount}.00"), "fxRate": null},
        "provider": {"transaction_id": "EXT-1", "reference_code": "REF-1"}
    });
    if let Some(e) = ext_ref_id {
        r["extRefId"] = e.into();
    }
    r
}

/// A V1 lookup answer with these records (a JSON 404 "No transactions found" when empty).
pub fn v1_list(items: &[serde_json::Value]) -> Reply {
    if items.is_empty() {
        return Reply::json(
            404,
            r#"{"message":"No transactions found","statusCode":404}"#,
        );
    }
    Reply::json(
        200,
        serde_json::to_vec(&serde_json::json!({
            "message": "Success", "statusCode": 200, "code": 1, "data": items
        }))
        .unwrap(),
    )
}

/// The documented answer to a V1 SYNC top-up that succeeded (no extRefId, no msisdn in `data`).
pub fn v1_answer(tx_id: &str, amount: i64) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "message": "Top-up successful! Airtime has been successfully topped up",
        "statusCode": 200, "code": 1,
        "data": {"transactionId": tx_id, "state": "SUCCESS", "amount": amount, "effectiveAmount": format!("{amount}.00"), "currency": "GHS"}
    }))
    .unwrap()
}
