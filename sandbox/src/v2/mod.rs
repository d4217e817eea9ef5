//! V2 API (`/v2/...`): Bearer API key, `{success, data, meta}` envelopes.

//!
//! `mod.rs` holds authentication, rate limits, routing, envelopes, the catalog and balances;
//! [`topups`] renders, gets and lists top-ups; [`create`] validates and creates them (idempotency and
//! the duplicate window).

mod create;
mod topups;

pub(crate) use topups::{list_envelope, topup_json, topup_json_at};

use crate::catalog::{self, Network};
use crate::http::{Request, Response};
use crate::shared::{Reply, Shared};
use crate::state::{RateInfo, State, WALLETS, Wallet};
use crate::util::{self, num, round2};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::time::Instant;

fn meta() -> Value {
    json!({"request_id": util::request_id(), "timestamp": util::now_iso()})
}

fn with_request_id(resp: Response, body: &Value) -> Response {
    match body.pointer("/meta/request_id").and_then(Value::as_str) {
        Some(id) => resp.with_header("X-Request-Id", id),
        None => resp,
    }
}

/// `{"success": true, "data": …, "meta": …}`.
pub(crate) fn ok(status: u16, data: Value) -> Response {
    let body = json!({"success": true, "data": data, "meta": meta()});
    with_request_id(Response::json(status, &body), &body)
}

/// Reference-page error shape: `{"success": false, "error": {code, message, details}, "meta": …}`.
pub(crate) fn err(status: u16, code: &str, message: &str, details: Value) -> Response {
    let body = json!({
        "success": false,
        "error": {"code": code, "message": message, "details": details},
        "meta": meta(),
    });
    with_request_id(Response::json(status, &body), &body)
}

/// Guide error shape: `{"success": false, "error": {code, message, statusCode}}` (no `meta`).
fn guide_err(status: u16, code: &str, message: &str) -> Response {
    Response::json(
        status,
        &json!({"success": false, "error": {"code": code, "message": message, "statusCode": status}}),
    )
}

fn missing(field: &str) -> Response {
    err(
        400,
        "MISSING_REQUIRED_FIELD",
        &format!("The field '{field}' is required."),
        json!({"field": field}),
    )
}

fn invalid_request(message: &str) -> Response {
    err(400, "INVALID_REQUEST", message, json!({}))
}

fn invalid_phone(phone: &str) -> Response {
    err(
        400,
        "INVALID_PHONE_NUMBER",
        "The phone number is not a valid E.164 number for this network.",
        json!({"phone_number": phone}),
    )
}

fn invalid_amount(message: &str) -> Response {
    err(400, "INVALID_AMOUNT", message, json!({}))
}

fn network_not_found(id: impl std::fmt::Display) -> Response {
    err(
        404,
        "NETWORK_NOT_FOUND",
        &format!("Network {id} does not exist."),
        json!({}),
    )
}

fn insufficient_balance() -> Response {
    err(
        400,
        "INSUFFICIENT_BALANCE",
        "Your wallet balance is too low for this transaction.",
        json!({}),
    )
}

/// 500 `INTERNAL_ERROR`.
pub(crate) fn internal_error() -> Response {
    err(
        500,
        "INTERNAL_ERROR",
        "An unexpected error occurred. Please retry.",
        json!({}),
    )
}

/// 409 `DUPLICATE_TRANSACTION` naming the existing top-up.
pub(crate) fn duplicate(id: &str, reference: Option<&str>) -> Response {
    err(
        409,
        "DUPLICATE_TRANSACTION",
        "A duplicate transaction was detected: this Idempotency-Key was already used.",
        json!({"transaction_id": id, "reference": reference}),
    )
}

fn rate_headers(resp: Response, info: &RateInfo) -> Response {
    resp.with_header("X-RateLimit-Limit", info.limit.to_string())
        .with_header("X-RateLimit-Remaining", info.remaining.to_string())
        .with_header("X-RateLimit-Reset", info.reset_unix.to_string())
}

/// Adds the rate-limit headers of the caller's key without counting the request.
pub(crate) fn with_peeked_rate(shared: &Shared, req: &Request, resp: Response) -> Response {
    if !(req.path == "/v2" || req.path.starts_with("/v2/")) {
        return resp;
    }
    let key = bearer(req).filter(|k| *k == shared.cfg.api_key);
    let info = shared.lock().rate_peek(
        key,
        shared.cfg.rate_limit_per_minute,
        shared.cfg.rate_limit_window,
    );
    rate_headers(resp, &info)
}

fn bearer(req: &Request) -> Option<&str> {
    let h = req.header("authorization")?;
    let (scheme, token) = h.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Entry point for `/v2/...`.
pub(crate) fn handle(shared: &Shared, req: &Request) -> Reply {
    let limit = shared.cfg.rate_limit_per_minute;
    let window = shared.cfg.rate_limit_window;
    let key = match bearer(req) {
        Some(k) if k == shared.cfg.api_key => k.to_string(),
        other => {
            let message = match other {
                Some(k) if util::is_well_formed_api_key(k) => "The API key is not valid.",
                _ => "The API key is missing or malformed.",
            };
            let info = shared.lock().rate_peek(None, limit, window);
            return rate_headers(err(401, "INVALID_API_KEY", message, json!({})), &info).into();
        }
    };
    let info = shared.lock().rate_check(&key, limit, window);
    if let Some(retry) = info.exceeded {
        let resp = err(
            429,
            "RATE_LIMIT_EXCEEDED",
            &format!("Rate limit exceeded. Please retry after {retry} seconds."),
            json!({"retry_after": retry}),
        )
        .with_header("Retry-After", retry.to_string());
        return rate_headers(resp, &info).into();
    }
    let mut reply = route(shared, req, &key);
    reply.response = rate_headers(reply.response, &info);
    reply
}

fn route(shared: &Shared, req: &Request, key: &str) -> Reply {
    let path = req.path.trim_end_matches('/');
    let get = req.method == "GET";
    let known = match path {
        "/v2/catalog/lookup"
        | "/v2/catalog/countries"
        | "/v2/catalog/networks"
        | "/v2/catalog/products"
        | "/v2/balance" => {
            if get {
                return match path {
                    "/v2/catalog/lookup" => lookup(req),
                    "/v2/catalog/countries" => ok(200, catalog::countries_json()),
                    "/v2/catalog/networks" => networks(req),
                    "/v2/catalog/products" => products(req),
                    _ => balance(shared, None),
                }
                .into();
            }
            true
        }
        "/v2/topups" => {
            if req.method == "POST" {
                return create::create_topup(shared, req, key);
            }
            if get {
                return topups::list_topups(shared, req, key).into();
            }
            true
        }
        _ => {
            if let Some(id) = path
                .strip_prefix("/v2/topups/")
                .filter(|s| !s.contains('/'))
            {
                if get {
                    return topups::get_topup(shared, id, key).into();
                }
                true
            } else if let Some(id) = path
                .strip_prefix("/v2/balance/")
                .filter(|s| !s.contains('/'))
            {
                if get {
                    return balance(shared, Some(id)).into();
                }
                true
            } else {
                false
            }
        }
    };
    if known {
        err(
            405,
            "METHOD_NOT_ALLOWED",
            "Method not allowed on this endpoint.",
            json!({}),
        )
        .into()
    } else {
        err(404, "NOT_FOUND", "No such endpoint.", json!({})).into()
    }
}

/// Query `phone_number`, tolerating an unencoded `+` (which URL decoding turns into a space).
fn phone_query(req: &Request, name: &str) -> Option<String> {
    let raw = req.query(name)?;
    let trimmed = raw.trim();
    if raw.starts_with(' ') && !trimmed.is_empty() {
        Some(format!("+{trimmed}"))
    } else {
        Some(trimmed.to_string())
    }
}

fn parse_network_param(v: &str) -> Result<&'static Network, Response> {
    let id: u32 = v
        .trim()
        .parse()
        .map_err(|_| invalid_request("network_id must be an integer."))?;
    catalog::network(id).ok_or_else(|| network_not_found(id))
}

fn lookup(req: &Request) -> Response {
    let phone = phone_query(req, "phone_number").filter(|p| !p.is_empty());
    let net_param = req.query("network_id").filter(|v| !v.trim().is_empty());
    if phone.is_none() && net_param.is_none() {
        return missing("phone_number");
    }
    let mut net = None;
    if let Some(v) = net_param {
        match parse_network_param(v) {
            Ok(n) => net = Some(n),
            Err(r) => return r,
        }
    }
    if let Some(p) = &phone {
        if !catalog::is_e164(p) {
            return invalid_phone(p);
        }
        if net.is_none() {
            match catalog::network_for_phone(p) {
                Some(n) => net = Some(n),
                None => {
                    return err(
                        400,
                        "HLR_LOOKUP_FAILED",
                        "The network of this number could not be detected; pass network_id.",
                        json!({"phone_number": p}),
                    );
                }
            }
        }
    }
    let Some(net) = net else {
        return missing("phone_number");
    };
    let mut data = net.products_json();
    if let (Some(p), Some(obj)) = (phone, data.as_object_mut()) {
        obj.insert("phone_number".into(), Value::String(p));
    }
    ok(200, data)
}

fn networks(req: &Request) -> Response {
    let cc = req
        .query("country_code")
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let list: Vec<Value> = catalog::NETWORKS
        .iter()
        .filter(|n| cc.is_none_or(|c| n.country_code.eq_ignore_ascii_case(c)))
        .map(Network::list_json)
        .collect();
    ok(200, Value::Array(list))
}

fn products(req: &Request) -> Response {
    match req.query("network_id").filter(|v| !v.trim().is_empty()) {
        None => missing("network_id"),
        Some(v) => match parse_network_param(v) {
            Ok(n) => ok(200, n.products_json()),
            Err(r) => r,
        },
    }
}

fn wallet_json(st: &State, w: &Wallet, now: Instant) -> Value {
    json!({
        "id": w.id,
        "currency": w.currency,
        "balance": num(round2(st.wallet_balance(w, now))),
        "type": w.kind,
        "status": "active",
        "allowed_countries": w.allowed_countries,
    })
}

fn usd_value(currency: &str, amount: Decimal) -> Decimal {
    if currency == "USD" {
        return amount;
    }
    catalog::NETWORKS
        .iter()
        .find(|n| n.currency == currency)
        .map_or(Decimal::ZERO, |n| amount / n.rate())
}

fn balance(shared: &Shared, wallet_id: Option<&str>) -> Response {
    let st = shared.lock();
    let now = Instant::now();
    match wallet_id {
        Some(id) => match WALLETS.iter().find(|w| w.id == id) {
            Some(w) => ok(200, wallet_json(&st, w, now)),
            None => err(
                404,
                "WALLET_NOT_FOUND",
                &format!("Wallet {id} does not exist."),
                json!({}),
            ),
        },
        None => {
            let total: Decimal = WALLETS
                .iter()
                .map(|w| usd_value(w.currency, st.wallet_balance(w, now)))
                .sum();
            let wallets: Vec<Value> = WALLETS.iter().map(|w| wallet_json(&st, w, now)).collect();
            ok(
                200,
                json!({
                    "available_balance": {"amount": num(round2(total)), "currency": "USD"},
                    "wallets": wallets,
                }),
            )
        }
    }
}
