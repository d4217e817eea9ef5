//! V2 API (`/v2/...`): Bearer API key, `{success, data, meta}` envelopes.

use crate::catalog::{self, Bundle, MAX_LOCAL, MIN_LOCAL, Network};
use crate::http::{Request, Response};
use crate::server::{After, Committed, Reply, Shared};
use crate::state::{
    Outcome, Phase, RateInfo, State, Timeline, V2Topup, WALLETS, Wallet, magic_suffix,
};
use crate::util::{self, iso, num, round2};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

const IDEMPOTENCY_TTL: Duration = Duration::from_secs(24 * 3600);
const STUCK_PROCESSING: Duration = Duration::from_secs(30 * 60);

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
    let info = shared
        .lock()
        .rate_peek(key, shared.cfg.rate_limit_per_minute);
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
    let key = match bearer(req) {
        Some(k) if k == shared.cfg.api_key => k.to_string(),
        other => {
            let message = match other {
                Some(k) if util::is_well_formed_api_key(k) => "The API key is not valid.",
                _ => "The API key is missing or malformed.",
            };
            let info = shared.lock().rate_peek(None, limit);
            return rate_headers(err(401, "INVALID_API_KEY", message, json!({})), &info).into();
        }
    };
    let info = shared.lock().rate_check(&key, limit);
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
                return create_topup(shared, req, key);
            }
            if get {
                return list_topups(shared, req, key).into();
            }
            true
        }
        _ => {
            if let Some(id) = path
                .strip_prefix("/v2/topups/")
                .filter(|s| !s.contains('/'))
            {
                if get {
                    return get_topup(shared, id, key).into();
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

/// The top-up object as it is at `phase`.
pub(crate) fn topup_json_at(t: &V2Topup, phase: Phase) -> Value {
    let status = match phase {
        Phase::Pending => "pending",
        Phase::Processing => "processing",
        Phase::Terminal if t.timeline.outcome == Outcome::Success => "completed",
        Phase::Terminal => "failed",
    };
    let net = State::network(t.network_id);
    let terminal = phase == Phase::Terminal;
    json!({
        "id": t.id,
        "status": status,
        "phone_number": t.phone,
        "network": net.short_json(),
        "amount": t.amount.map(|(v, c)| json!({"value": num(v), "currency": c})),
        "cost": {"value": num(t.cost_usd), "currency": "USD"},
        "product_id": t.product_id,
        "product_name": t.product_name,
        "sms": t.sms,
        "reference": t.reference,
        "provider_reference": (phase >= Phase::Processing).then_some(&t.provider_reference),
        "failure_reason": if terminal { t.timeline.outcome.failure_reason() } else { None },
        "metadata": t.metadata,
        "created_at": iso(t.timeline.created_wall),
        "completed_at": terminal.then(|| iso(t.timeline.terminal_wall())),
    })
}

/// The top-up object as it is now.
pub(crate) fn topup_json(t: &V2Topup, now: Instant) -> Value {
    topup_json_at(t, t.timeline.phase(now))
}

fn get_topup(shared: &Shared, id: &str, key: &str) -> Response {
    let st = shared.lock();
    match st.v2.iter().find(|t| t.id == id && t.api_key == key) {
        Some(t) => ok(200, topup_json(t, Instant::now())),
        None => err(
            404,
            "TRANSACTION_NOT_FOUND",
            &format!("Transaction {id} was not found."),
            json!({}),
        ),
    }
}

/// Parses `from`/`to`: a bare date (start of day, or end of day for `to`) or an RFC 3339 date-time.
fn parse_bound(s: &str, end: bool) -> Option<OffsetDateTime> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        return Some(t);
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(s, &fmt).ok()?;
    let start = d.midnight().assume_utc();
    Some(if end {
        start + time::Duration::days(1) - time::Duration::nanoseconds(1)
    } else {
        start
    })
}

fn list_topups(shared: &Shared, req: &Request, key: &str) -> Response {
    let int_param = |name: &str, default: u64| -> Result<u64, Response> {
        match req.query(name).map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => v
                .parse::<u64>()
                .map_err(|_| invalid_request(&format!("{name} must be a positive integer."))),
        }
    };
    let page = match int_param("page", 1) {
        Ok(0) => return invalid_request("page must be a positive integer."),
        Ok(p) => p,
        Err(r) => return r,
    };
    let per_page = match int_param("per_page", 20) {
        Ok(n) if (1..=100).contains(&n) => n,
        Ok(_) => return invalid_request("per_page must be between 1 and 100."),
        Err(r) => return r,
    };
    let status = req.query("status").map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = status
        && !["pending", "processing", "completed", "failed"].contains(&s)
    {
        return invalid_request("status must be one of pending, processing, completed, failed.");
    }
    let phone = phone_query(req, "phone_number").filter(|p| !p.is_empty());
    let reference = req.query("reference").filter(|r| !r.is_empty());
    let mut bounds = [None, None];
    for (i, name) in ["from", "to"].iter().enumerate() {
        if let Some(v) = req.query(name).filter(|v| !v.trim().is_empty()) {
            match parse_bound(v, i == 1) {
                Some(t) => bounds[i] = Some(t),
                None => {
                    return invalid_request(&format!(
                        "{name} must be an ISO 8601 date or date-time."
                    ));
                }
            }
        }
    }
    let sort = req
        .query("sort")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("-created_at");
    let (desc, field) = match sort.strip_prefix('-') {
        Some(f) => (true, f),
        None => (false, sort.strip_prefix('+').unwrap_or(sort)),
    };
    if !["created_at", "completed_at", "status", "total_usd"].contains(&field) {
        return invalid_request(
            "sort must be one of created_at, completed_at, status, total_usd (optionally prefixed by '-').",
        );
    }

    let st = shared.lock();
    let now = Instant::now();
    let mut items: Vec<(&V2Topup, Value)> = st
        .v2
        .iter()
        .filter(|t| t.api_key == key)
        .map(|t| (t, topup_json(t, now)))
        .filter(|(t, j)| {
            status.is_none_or(|s| j["status"] == s)
                && phone.as_deref().is_none_or(|p| t.phone.contains(p))
                && reference.is_none_or(|r| t.reference.as_deref() == Some(r))
                && bounds[0].is_none_or(|f| t.timeline.created_wall >= f)
                && bounds[1].is_none_or(|to| t.timeline.created_wall <= to)
        })
        .collect();
    items.sort_by(|(a, ja), (b, jb)| {
        let ord = match field {
            "completed_at" => {
                let ca = ja["completed_at"].as_str();
                let cb = jb["completed_at"].as_str();
                match (ca, cb) {
                    (Some(x), Some(y)) => x.cmp(y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                }
            }
            "status" => ja["status"].as_str().cmp(&jb["status"].as_str()),
            "total_usd" => a.cost_usd.cmp(&b.cost_usd),
            _ => a.timeline.created_wall.cmp(&b.timeline.created_wall),
        }
        .then(a.seq.cmp(&b.seq));
        if desc { ord.reverse() } else { ord }
    });
    let total = items.len() as u64;
    let total_pages = total.div_ceil(per_page);
    let start = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    let data: Vec<Value> = items
        .into_iter()
        .skip(start)
        .take(usize::try_from(per_page).unwrap_or(100))
        .map(|(_, j)| j)
        .collect();
    let body = json!({
        "success": true,
        "data": data,
        "meta": {
            "request_id": util::request_id(),
            "timestamp": util::now_iso(),
            "pagination": {
                "page": page,
                "per_page": per_page,
                "total": total,
                "total_pages": total_pages,
                "has_next": page < total_pages,
                "has_prev": page > 1,
            }
        }
    });
    with_request_id(Response::json(200, &body), &body)
}

/// A validated create request.
struct NewTopup {
    phone: String,
    net: &'static Network,
    amount: Option<(Decimal, &'static str)>,
    product: Option<(Value, Bundle)>,
    /// Local-currency value (for local wallet debits).
    local_value: Decimal,
    cost: Decimal,
    sms: Value,
    reference: Option<String>,
    callback_url: Option<String>,
    metadata: Value,
}

fn present<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    body.get(name).filter(|v| !v.is_null())
}

fn validate(body: &Map<String, Value>) -> Result<NewTopup, Response> {
    let phone = match present(body, "phone_number") {
        None => return Err(missing("phone_number")),
        Some(Value::String(s)) => s.trim().to_string(),
        Some(other) => return Err(invalid_phone(&other.to_string())),
    };
    let net_id = match present(body, "network_id") {
        None => return Err(missing("network_id")),
        Some(v) => {
            util::integer_of(v).ok_or_else(|| invalid_request("network_id must be an integer."))?
        }
    };
    let amount_v = present(body, "amount");
    let product_v = present(body, "product_id");
    match (amount_v, product_v) {
        (None, None) => return Err(missing("amount")),
        (Some(_), Some(_)) => {
            return Err(invalid_request(
                "Provide either amount or product_id, not both.",
            ));
        }
        _ => {}
    }
    if !catalog::is_e164(&phone) {
        return Err(invalid_phone(&phone));
    }
    let net = u32::try_from(net_id)
        .ok()
        .and_then(catalog::network)
        .ok_or_else(|| network_not_found(net_id))?;
    if !phone[1..].starts_with(net.dial_code) {
        return Err(invalid_phone(&phone));
    }
    let (amount, product, local_value, cost) = if let Some(a) = amount_v {
        let obj = a
            .as_object()
            .ok_or_else(|| invalid_amount("amount must be an object {value, currency}."))?;
        let value = match present(obj, "value") {
            None => return Err(missing("amount.value")),
            Some(v) => util::decimal_of(v)
                .ok_or_else(|| invalid_amount("amount.value must be a number."))?,
        };
        let currency = match present(obj, "currency") {
            None => return Err(missing("amount.currency")),
            Some(Value::String(c)) => c.trim().to_ascii_uppercase(),
            Some(_) => return Err(invalid_amount("amount.currency must be a currency code.")),
        };
        if value < Decimal::from(MIN_LOCAL) || value > Decimal::from(MAX_LOCAL) {
            return Err(err(
                400,
                "INVALID_AMOUNT",
                &format!(
                    "amount.value must be between {MIN_LOCAL} and {MAX_LOCAL} {}.",
                    net.currency
                ),
                json!({"min_amount_local": MIN_LOCAL, "max_amount_local": MAX_LOCAL}),
            ));
        }
        if currency != net.currency {
            return Err(err(
                400,
                "INVALID_AMOUNT",
                &format!(
                    "amount.currency must be the network's currency {}.",
                    net.currency
                ),
                json!({"expected_currency": net.currency}),
            ));
        }
        let value = value.normalize();
        (
            Some((value, net.currency)),
            None,
            value,
            net.usd_cost(value),
        )
    } else {
        let pv = product_v.cloned().unwrap_or(Value::Null);
        let pid = util::integer_of(&pv)
            .ok_or_else(|| invalid_request("product_id is not a product of this network."))?;
        let bundle = net
            .bundles()
            .into_iter()
            .find(|b| u64::from(b.id) == pid)
            .ok_or_else(|| invalid_request("product_id is not a product of this network."))?;
        let local = bundle
            .local_amount
            .unwrap_or_else(|| round2(bundle.price_usd * net.rate()));
        let amount = bundle.local_amount.map(|v| (v, net.currency));
        let cost = bundle.price_usd;
        (amount, Some((pv, bundle)), local, cost)
    };
    let sms = match present(body, "sms") {
        None => json!({"enabled": false, "message": null}),
        Some(Value::Object(o)) => {
            let enabled = match present(o, "enabled") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(invalid_request("sms.enabled must be a boolean.")),
            };
            let message = match present(o, "message") {
                None => Value::Null,
                Some(Value::String(s)) => Value::String(s.clone()),
                Some(_) => return Err(invalid_request("sms.message must be a string.")),
            };
            json!({"enabled": enabled, "message": message})
        }
        Some(_) => return Err(invalid_request("sms must be an object.")),
    };
    let string_field = |name: &str| -> Result<Option<String>, Response> {
        match present(body, name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid_request(&format!("{name} must be a string."))),
        }
    };
    let reference = string_field("reference")?;
    let callback_url = string_field("callback_url")?;
    let metadata = match present(body, "metadata") {
        None => json!({}),
        Some(Value::Object(o)) => Value::Object(o.clone()),
        Some(_) => return Err(invalid_request("metadata must be an object.")),
    };
    Ok(NewTopup {
        phone,
        net,
        amount,
        product,
        local_value,
        cost,
        sms,
        reference,
        callback_url,
        metadata,
    })
}

fn create_topup(shared: &Shared, req: &Request, key: &str) -> Reply {
    let body = match req.json() {
        Some(Value::Object(m)) => m,
        _ => return invalid_request("The request body must be a JSON object.").into(),
    };
    let magic = body
        .get("phone_number")
        .and_then(Value::as_str)
        .and_then(|p| magic_suffix(p.trim()));
    if magic == Some(14) {
        return guide_err(
            429,
            "RATE_LIMITED",
            "Rate limit exceeded. Please retry after 1 seconds.",
        )
        .with_header("Retry-After", "1")
        .into();
    }
    let idem = req
        .header("idempotency-key")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    if let Some(k) = &idem
        && let Some(resp) = idempotent_replay(&shared.lock(), key, k)
    {
        return resp.into();
    }
    let new = match validate(&body) {
        Ok(n) => n,
        Err(r) => return r.into(),
    };
    // Key of the "first POST" magic behaviours.
    let magic_key = idem
        .clone()
        .or_else(|| new.reference.clone())
        .unwrap_or_default();
    match magic {
        Some(1) => return insufficient_balance().into(),
        Some(11) => {
            return guide_err(
                402,
                "INSUFFICIENT_BALANCE",
                "Your wallet does not have sufficient funds for this transaction",
            )
            .into();
        }
        Some(2) => return invalid_phone(&new.phone).into(),
        Some(13) => {
            return err(
                500,
                "DELIVERY_FAILED",
                "The provider could not deliver the top-up.",
                json!({}),
            )
            .into();
        }
        Some(8) if shared.lock().first_time("v2", 8, &magic_key) => return internal_error().into(),
        _ => {}
    }

    let cfg = &shared.cfg;
    let mut st = shared.lock();
    let now = Instant::now();
    // Re-check under the lock that commits, so two concurrent requests with one key create one top-up.
    if let Some(k) = &idem
        && let Some(resp) = idempotent_replay(&st, key, k)
    {
        return resp.into();
    }
    let dedupe_key = match (&new.amount, &new.product) {
        (_, Some((_, b))) => format!("{}|{}|p{}", new.phone, new.net.id, b.id),
        (Some((v, c)), None) => format!("{}|{}|a{}{}", new.phone, new.net.id, v, c),
        (None, None) => format!("{}|{}", new.phone, new.net.id),
    };
    if let Some(existing) = st.v2.iter().rev().find(|t| {
        t.api_key == key
            && t.dedupe_key == dedupe_key
            && now.saturating_duration_since(t.timeline.created) < cfg.duplicate_window
    }) {
        let data = topup_json(existing, now);
        let id = existing.id.clone();
        if let Some(k) = idem {
            st.idempotency.insert((key.to_string(), k), (id, now));
        }
        return ok(200, data).into();
    }
    // Pay from the local wallet of the destination currency if it can, else from the global USD wallet.
    let local = WALLETS
        .iter()
        .find(|w| w.kind == "local" && w.currency == new.net.currency)
        .filter(|w| st.wallet_balance(w, now) >= new.local_value);
    let (wallet_id, debit) = match local {
        Some(w) => (w.id, new.local_value),
        None => match WALLETS.iter().find(|w| w.kind == "global") {
            Some(g) if st.wallet_balance(g, now) >= new.cost => (g.id, new.cost),
            _ => return insufficient_balance().into(),
        },
    };
    let outcome = match magic {
        Some(3) => Outcome::DeliveryFailed,
        Some(4) => Outcome::Timeout,
        Some(5) => Outcome::Underdelivered,
        Some(6) => Outcome::Cancelled,
        _ => Outcome::Success,
    };
    let terminal_after = if magic == Some(10) {
        STUCK_PROCESSING
    } else {
        cfg.complete_after
    };
    let seq = st.next_seq();
    let (product_id, product_name) = match new.product {
        Some((v, b)) => (Some(v), Some(b.name)),
        None => (None, None),
    };
    let topup = V2Topup {
        seq,
        id: util::uuid(),
        api_key: key.to_string(),
        phone: new.phone,
        network_id: new.net.id,
        amount: new.amount,
        product_id,
        product_name,
        cost_usd: new.cost,
        wallet_id,
        wallet_debit: debit,
        sms: new.sms,
        reference: new.reference,
        provider_reference: format!("SBX-{}", util::digits(9)),
        metadata: new.metadata,
        callback_url: new.callback_url,
        dedupe_key,
        timeline: Timeline::new(cfg.processing_after, terminal_after, outcome),
        webhook_stage: 0,
    };
    let data = topup_json(&topup, now);
    let committed = Committed {
        v1: false,
        id: topup.id.clone(),
        reference: topup.reference.clone(),
    };
    if let Some(k) = idem {
        st.idempotency
            .insert((key.to_string(), k), (topup.id.clone(), now));
    }
    log::info!("v2 top-up {} created", topup.id);
    st.v2.push(topup);
    let after = match magic {
        Some(7) if st.first_time("v2", 7, &magic_key) => After::Close,
        Some(9) => After::Delay(cfg.slow_delay),
        _ => After::Nothing,
    };
    Reply {
        response: ok(201, data),
        after,
        committed: Some(committed),
    }
}

fn idempotent_replay(st: &State, key: &str, idem: &str) -> Option<Response> {
    let (id, at) = st.idempotency.get(&(key.to_string(), idem.to_string()))?;
    if at.elapsed() >= IDEMPOTENCY_TTL {
        return None;
    }
    let reference = st
        .v2
        .iter()
        .find(|t| t.id == *id)
        .and_then(|t| t.reference.clone());
    Some(duplicate(id, reference.as_deref()))
}
