//! V1 API (`/adp...`): e-mail + token headers, `{message, statusCode, code, data}` envelopes.

use crate::catalog::{self, MAX_LOCAL, MIN_LOCAL, Network};
use crate::http::{Request, Response};
use crate::shared::{After, Committed, Reply, Shared};
use crate::state::{Outcome, Phase, State, Timeline, V1Txn, magic_suffix, v1_initial};
use crate::stats::Api;
use crate::util::{self, fixed, num, round2};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant};

const STUCK_PROCESSING: Duration = Duration::from_secs(30 * 60);
const MSG_SUCCESS: &str = "Top-up successful! Airtime has been successfully topped up";
const MSG_PENDING: &str = "The operation is pending and being processed";
const MSG_FAILED: &str = "The airtime top-up operation has failed";

/// `{"message", "statusCode"}` with the same HTTP status.
fn plain(status: u16, message: &str) -> Response {
    Response::json(status, &json!({"message": message, "statusCode": status}))
}

/// A business failure: HTTP 403, body `statusCode` 500, numeric `code`.
fn business_failure(code: u32, message: &str) -> Response {
    Response::json(
        403,
        &json!({"message": message, "statusCode": 500, "code": code}),
    )
}

fn bad_request(message: &str) -> Response {
    plain(400, message)
}

/// HTTP 500 `{"message":"Internal server error","statusCode":500}`.
pub(crate) fn internal_error() -> Response {
    plain(500, "Internal server error")
}

/// HTTP 429 `{"message":"Too many requests","statusCode":429}` (caller adds `Retry-After`).
pub(crate) fn too_many() -> Response {
    plain(429, "Too many requests")
}

/// HTTP 403 code 90.
pub(crate) fn duplicate_ext_ref() -> Response {
    business_failure(90, "External reference ID already exists")
}

fn low_balance() -> Response {
    business_failure(20, "Request declined due to low balance")
}

/// HTTP 403 code 50: a near-duplicate refused by the near-duplicate window.
fn similar_recently() -> Response {
    business_failure(50, "Similar request processed recently")
}

fn invalid_recipient() -> Response {
    business_failure(30, "Recipient's number is invalid")
}

/// Entry point for `/adp...`.
pub(crate) fn handle(shared: &Shared, req: &Request) -> Reply {
    let email = req.header("x-click-airtime-email").unwrap_or("");
    let token = req.header("x-click-airtime-token").unwrap_or("");
    if !email.eq_ignore_ascii_case(&shared.cfg.v1_email) || token != shared.cfg.v1_token {
        return plain(401, "Invalid or missing authentication credentials").into();
    }
    let path = req.path.trim_end_matches('/');
    let get = req.method == "GET";
    match path {
        "/adp" | "/adp/topup" => {
            if req.method == "POST" {
                return topup(shared, req);
            }
        }
        "/adp/transactions" if get => return transactions(shared, req).into(),
        "/adp/balances" if get => return balances(shared, None).into(),
        "/adp/product-catalog" if get => return product_catalog().into(),
        "/adp/products" if get => return products(req).into(),
        "/adp/transactions" | "/adp/balances" | "/adp/product-catalog" | "/adp/products" => {}
        _ => {
            if let Some(id) = path
                .strip_prefix("/adp/balances/")
                .filter(|s| !s.contains('/'))
            {
                if get {
                    return balances(shared, Some(id)).into();
                }
            } else if let Some(id) = path
                .strip_prefix("/adp/products/")
                .filter(|s| !s.contains('/'))
            {
                if get {
                    return product(id).into();
                }
            } else {
                return plain(404, "Not found").into();
            }
        }
    }
    plain(405, "Method not allowed").into()
}

/// V1 state of a transaction now.
fn state_of(t: &V1Txn, now: Instant) -> &'static str {
    match t.timeline.phase(now) {
        Phase::Pending => "PENDING",
        Phase::Processing => "PROCESSING",
        Phase::Terminal => t.timeline.outcome.v1_state(),
    }
}

/// Envelope code and message mirroring a state.
pub(crate) fn code_for(state: &str) -> (u32, &'static str) {
    match state {
        "SUCCESS" => (1, MSG_SUCCESS),
        "PENDING" | "PROCESSING" => (10, MSG_PENDING),
        "TIMEOUT" => (160, "Airtime transaction timed out"),
        "CANCELED" => (170, "Transaction was cancelled"),
        _ => (5, MSG_FAILED),
    }
}

/// Wallet debit as shown now: nothing for failed transactions.
fn shown_debit(t: &V1Txn, now: Instant) -> Decimal {
    if t.timeline.failed(now) {
        Decimal::ZERO
    } else {
        t.wallet_amount
    }
}

fn wallet_json(t: &V1Txn, now: Instant) -> Value {
    json!({
        "currency": t.wallet_currency,
        "amount": fixed(shown_debit(t, now), 2),
        "fxRate": t.fx_rate.map(|r| fixed(r, 4)),
    })
}

fn provider_json(t: &V1Txn) -> Value {
    json!({"transaction_id": t.provider_tx, "reference_code": t.provider_ref})
}

/// `data` of a `POST /adp` answer.
fn topup_data(t: &V1Txn, state: &str, now: Instant) -> Value {
    json!({
        "transactionId": t.id,
        "state": state,
        "amount": num(t.amount),
        "effectiveAmount": fixed(shown_debit(t, now), 2),
        "currency": State::network(t.network_id).currency,
        "wallet": wallet_json(t, now),
        "provider": provider_json(t),
    })
}

/// A record of `GET /adp/transactions`.
pub(crate) fn record_json(t: &V1Txn, now: Instant) -> Value {
    let net = State::network(t.network_id);
    let state = state_of(t, now);
    json!({
        "transactionId": t.id,
        "status": state == "SUCCESS",
        "msisdn": t.msisdn,
        "network": net.name,
        "country": net.country,
        "amount": num(t.amount),
        "TopupAmount": num(t.amount),
        "effectiveAmount": fixed(shown_debit(t, now), 2),
        "currency": net.currency,
        "extRefId": t.ext_ref_id,
        "accountId": net.v1_account_id(),
        "state": state,
        "wallet": wallet_json(t, now),
        "provider": provider_json(t),
    })
}

fn present<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    body.get(name).filter(|v| !v.is_null())
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn topup(shared: &Shared, req: &Request) -> Reply {
    let body = match req.json() {
        Some(Value::Object(m)) => m,
        _ => return bad_request("Request body must be a JSON object").into(),
    };
    let msisdn = match present(&body, "msisdn").and_then(text_of) {
        Some(m) if !m.is_empty() => m,
        _ => return bad_request("msisdn is required").into(),
    };
    let magic = magic_suffix(&msisdn);
    if magic == Some(14) {
        return too_many().with_header("Retry-After", "1").into();
    }
    let ext_ref = match present(&body, "extRefId") {
        None => None,
        Some(v) => match text_of(v) {
            Some(s) if s.is_empty() => None,
            Some(s) => Some(s),
            None => return bad_request("extRefId must be a string").into(),
        },
    };
    if let Some(r) = &ext_ref
        && shared
            .lock()
            .v1
            .iter()
            .any(|t| t.ext_ref_id.as_deref() == Some(r.as_str()))
    {
        return duplicate_ext_ref().into();
    }
    let mode = match present(&body, "processingMode") {
        None => "SYNC",
        Some(Value::String(s)) if s.eq_ignore_ascii_case("SYNC") => "SYNC",
        Some(Value::String(s)) if s.eq_ignore_ascii_case("ASYNC") => "ASYNC",
        Some(_) => return bad_request("processingMode must be SYNC or ASYNC").into(),
    };
    if present(&body, "sendSMS").is_some_and(|v| !v.is_boolean()) {
        return bad_request("sendSMS must be a boolean").into();
    }
    let product = match present(&body, "productId") {
        None => None,
        Some(v) => match util::integer_of(v) {
            None => return bad_request("productId must be a number").into(),
            Some(id) => match catalog::v1_product(id) {
                Some(p) => Some((id, p)),
                None => return bad_request("productId does not exist").into(),
            },
        },
    };
    // Recipient: digits only, international format without "+", known destination.
    let valid_format = (8..=15).contains(&msisdn.len())
        && msisdn.bytes().all(|b| b.is_ascii_digit())
        && !msisdn.starts_with('0');
    let net: &'static Network = match valid_format
        .then(|| catalog::network_for_phone(&format!("+{msisdn}")))
        .flatten()
    {
        Some(n) => n,
        None => return invalid_recipient().into(),
    };
    if let Some((_, (pnet, _))) = &product
        && pnet.id != net.id
    {
        return bad_request("productId does not belong to the recipient's network").into();
    }
    let fixed_amount = product.as_ref().and_then(|(_, (_, p))| p.fixed);
    let amount = match fixed_amount {
        Some(a) => a,
        None => match present(&body, "amount") {
            None => return bad_request("amount is required").into(),
            Some(v) => match util::decimal_of(v) {
                None => return bad_request("amount must be a number").into(),
                Some(a) if a < Decimal::from(MIN_LOCAL) || a > Decimal::from(MAX_LOCAL) => {
                    return bad_request(&format!(
                        "amount must be between {MIN_LOCAL} and {MAX_LOCAL}"
                    ))
                    .into();
                }
                Some(a) => a.normalize(),
            },
        },
    };
    let magic_key = ext_ref.clone().unwrap_or_default();
    match magic {
        Some(1) => return low_balance().into(),
        Some(11) => {
            return Response::json(
                200,
                &json!({
                    "message": "Insufficient balance to complete this transaction",
                    "statusCode": 200,
                    "code": "0",
                }),
            )
            .into();
        }
        Some(2) => return invalid_recipient().into(),
        Some(13) => return business_failure(5, MSG_FAILED).into(),
        Some(8) if shared.lock().first_time("v1", 8, &magic_key) => return internal_error().into(),
        _ => {}
    }

    let cfg = &shared.cfg;
    let mut st = shared.lock();
    let now = Instant::now();
    if let Some(r) = &ext_ref
        && st
            .v1
            .iter()
            .any(|t| t.ext_ref_id.as_deref() == Some(r.as_str()))
    {
        return duplicate_ext_ref().into();
    }
    let product_id = product.as_ref().map(|(id, _)| *id);
    // Near-duplicate window: same msisdn and amount (and productId), another or no extRefId.
    if let Some(window) = st.modes.v1_window()
        && st.v1.iter().any(|t| {
            t.msisdn == msisdn
                && t.amount == amount
                && t.product_id == product_id
                && now.saturating_duration_since(t.timeline.created) < window
        })
    {
        return similar_recently().into();
    }
    let (wallet_currency, _) = v1_initial(net);
    let (wallet_amount, fx_rate) = if wallet_currency == net.currency {
        (amount, None)
    } else {
        (round2(amount / net.rate()), Some(net.rate()))
    };
    if st.v1_balance(net, now) < wallet_amount {
        return low_balance().into();
    }
    let outcome = match magic {
        Some(3) => Outcome::DeliveryFailed,
        Some(4) => Outcome::Timeout,
        Some(5) => Outcome::Underdelivered,
        Some(6) => Outcome::Cancelled,
        _ => Outcome::Success,
    };
    let (processing_after, terminal_after) = match (mode, magic) {
        ("SYNC", Some(10)) => (Duration::ZERO, STUCK_PROCESSING),
        ("SYNC", Some(12)) => (cfg.processing_after, cfg.complete_after),
        ("SYNC", _) => (Duration::ZERO, Duration::ZERO),
        (_, Some(10)) => (cfg.processing_after, STUCK_PROCESSING),
        _ => (cfg.processing_after, cfg.complete_after),
    };
    let txn = V1Txn {
        id: util::uuid(),
        msisdn,
        network_id: net.id,
        amount,
        product_id,
        ext_ref_id: ext_ref.clone(),
        wallet_currency,
        wallet_amount,
        fx_rate,
        provider_tx: format!("SBX-EXT-{}", util::digits(8)),
        provider_ref: format!("SBX-REF-{}", util::upper_alnum(8)),
        timeline: Timeline::new(processing_after, terminal_after, outcome),
    };
    let state = state_of(&txn, now);
    let body = if mode == "ASYNC" {
        json!({
            "message": "Top-up request accepted and queued for processing",
            "statusCode": 200,
            "code": 232,
            "data": topup_data(&txn, "PENDING", now),
        })
    } else {
        let (code, message) = code_for(state);
        json!({
            "message": message,
            "statusCode": 200,
            "code": code,
            "data": topup_data(&txn, state, now),
        })
    };
    let committed = Committed {
        v1: true,
        id: txn.id.clone(),
        reference: ext_ref,
    };
    log::info!("v1 top-up {} created ({mode})", txn.id);
    st.v1.push(txn);
    st.stats.committed(Api::V1);
    let after = match magic {
        Some(7) if st.first_time("v1", 7, &magic_key) => After::Close,
        Some(9) => After::Delay(cfg.slow_delay),
        _ => After::Nothing,
    };
    Reply {
        response: Response::json(200, &body),
        after,
        committed: Some(committed),
    }
}

fn transactions(shared: &Shared, req: &Request) -> Response {
    let param = |names: &[&str]| -> Option<String> {
        names
            .iter()
            .find_map(|n| req.query(n))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let id = param(&["transaction_Id", "transactionId", "transaction_id"]);
    let msisdn = param(&["msisdn"]).map(|m| m.trim_start_matches('+').to_string());
    let ext = param(&["extRefId"]);
    if id.is_none() && msisdn.is_none() && ext.is_none() {
        return bad_request("At least one of transaction_Id, msisdn or extRefId is required");
    }
    let st = shared.lock();
    let now = Instant::now();
    let found: Vec<&V1Txn> = st
        .v1
        .iter()
        .filter(|t| {
            id.as_deref().is_none_or(|i| t.id.eq_ignore_ascii_case(i))
                && msisdn.as_deref().is_none_or(|m| t.msisdn == m)
                && ext
                    .as_deref()
                    .is_none_or(|e| t.ext_ref_id.as_deref() == Some(e))
        })
        .collect();
    if found.is_empty() {
        return plain(404, "No transactions found");
    }
    let (code, message) = if found.len() == 1 {
        code_for(state_of(found[0], now))
    } else {
        (1, "Success")
    };
    let data: Vec<Value> = found.iter().map(|t| record_json(t, now)).collect();
    Response::json(
        200,
        &json!({"message": message, "statusCode": 200, "code": code, "data": data}),
    )
}

fn balance_json(st: &State, net: &Network, now: Instant) -> Value {
    let (currency, _) = v1_initial(net);
    json!({
        "accountId": net.v1_account_id(),
        "serviceId": net.id,
        "serviceName": net.name,
        "serviceCountry": net.country,
        "currency": currency,
        "balance": num(round2(st.v1_balance(net, now))),
    })
}

fn balances(shared: &Shared, account: Option<&str>) -> Response {
    let st = shared.lock();
    let now = Instant::now();
    match account {
        None => {
            let data: Vec<Value> = catalog::NETWORKS
                .iter()
                .map(|n| balance_json(&st, n, now))
                .collect();
            Response::json(
                200,
                &json!({"message": "Success", "statusCode": 200, "data": data}),
            )
        }
        Some(id) => match catalog::NETWORKS
            .iter()
            .find(|n| n.v1_account_id().eq_ignore_ascii_case(id) || n.id.to_string() == id)
        {
            Some(n) => Response::json(
                200,
                &json!({"message": "Success", "statusCode": 200, "data": balance_json(&st, n, now)}),
            ),
            None => plain(404, "Account not found"),
        },
    }
}

fn product_catalog() -> Response {
    let data: Vec<Value> = catalog::NETWORKS
        .iter()
        .map(|n| json!({"serviceId": n.id, "providerName": n.provider_name}))
        .collect();
    Response::json(
        200,
        &json!({"message": "success", "statusCode": 200, "code": 1, "data": data}),
    )
}

fn products(req: &Request) -> Response {
    let Some(raw) = req
        .query("serviceId")
        .map(str::trim)
        .filter(|s| !s.is_empty())
    else {
        return bad_request("serviceId is required");
    };
    let Ok(id) = raw.parse::<u32>() else {
        return bad_request("serviceId must be a number");
    };
    match catalog::network(id) {
        None => plain(404, "Service not found"),
        Some(n) => {
            let data: Vec<Value> = n.v1_products().iter().map(|p| p.to_json(n)).collect();
            Response::json(
                200,
                &json!({"message": "success", "statusCode": 200, "code": 1, "data": data}),
            )
        }
    }
}

fn product(id: &str) -> Response {
    match id.parse::<u64>().ok().and_then(catalog::v1_product) {
        Some((n, p)) => Response::json(
            200,
            &json!({"message": "success", "statusCode": 200, "code": 1, "data": p.to_json(n)}),
        ),
        None => plain(404, "Product not found"),
    }
}
