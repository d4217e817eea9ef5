//! `POST /v2/topups`: validation, idempotency, the duplicate window, wallet choice and commit.

use super::{
    duplicate, err, guide_err, insufficient_balance, internal_error, invalid_amount, invalid_phone,
    invalid_request, missing, network_not_found, ok, topup_json,
};
use crate::catalog::{self, Bundle, MAX_LOCAL, MIN_LOCAL, Network};
use crate::config::{DuplicateMode, IdempotencyMode};
use crate::http::{Request, Response};
use crate::shared::{After, Committed, Reply, Shared};
use crate::state::{Outcome, State, Timeline, V2Topup, WALLETS, magic_suffix};
use crate::stats::Api;
use crate::util::{self, round2};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant};

const IDEMPOTENCY_TTL: Duration = Duration::from_secs(24 * 3600);
const STUCK_PROCESSING: Duration = Duration::from_secs(30 * 60);

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

pub(super) fn create_topup(shared: &Shared, req: &Request, key: &str) -> Reply {
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
        && let Some(resp) = idempotent_replay(&shared.lock(), key, k, Instant::now())
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
        && let Some(resp) = idempotent_replay(&st, key, k, now)
    {
        return resp.into();
    }
    let dedupe_key = match (&new.amount, &new.product) {
        (_, Some((_, b))) => format!("{}|{}|p{}", new.phone, new.net.id, b.id),
        (Some((v, c)), None) => format!("{}|{}|a{}{}", new.phone, new.net.id, v, c),
        (None, None) => format!("{}|{}", new.phone, new.net.id),
    };
    if let Some(window) = st.modes.v2_window()
        && let Some(existing) = st.v2.iter().rev().find(|t| {
            t.api_key == key
                && t.dedupe_key == dedupe_key
                && now.saturating_duration_since(t.timeline.created) < window
        })
    {
        if st.modes.duplicate_mode == DuplicateMode::Conflict {
            // Refused: nothing is created and the request's Idempotency-Key stays unbound.
            return duplicate_window_conflict(&existing.id, existing.reference.as_deref()).into();
        }
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
    st.stats.committed(Api::V2);
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

/// The answer to a reused `Idempotency-Key` (within its 24 h), by the current idempotency mode:
/// 409 naming the first top-up, or 200 with its record.
fn idempotent_replay(st: &State, key: &str, idem: &str, now: Instant) -> Option<Response> {
    let (id, at) = st.idempotency.get(&(key.to_string(), idem.to_string()))?;
    if now.saturating_duration_since(*at) >= IDEMPOTENCY_TTL {
        return None;
    }
    let first = st.v2.iter().find(|t| t.id == *id);
    match (st.modes.idempotency_mode, first) {
        (IdempotencyMode::Replay, Some(t)) => Some(ok(200, topup_json(t, now))),
        _ => Some(duplicate(id, first.and_then(|t| t.reference.as_deref()))),
    }
}

/// 409 `DUPLICATE_TRANSACTION` for a duplicate-window hit (`duplicate_mode = conflict`).
fn duplicate_window_conflict(id: &str, reference: Option<&str>) -> Response {
    err(
        409,
        "DUPLICATE_TRANSACTION",
        "A duplicate transaction was detected: the same phone number, network and amount were \
         submitted moments ago.",
        json!({"transaction_id": id, "reference": reference}),
    )
}
