//! The `foreign_record` and `extra_record` faults: a lookup answers a fabricated record that carries
//! the requested reference (or id) but belongs to another sale (another phone number and another
//! amount or product). Nothing fabricated is ever stored.

use crate::http::{Request, Response};
use crate::shared::Shared;
use crate::state::{Outcome, Phase, State, Timeline, V1Txn, V2Topup, v1_initial};
use crate::util::{self, round2};
use crate::{v1, v2};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// When no real record matches the lookup, the fabricated record is derived from this sale
/// (MTN Ghana, 4320 GHS), so it reads `+233249870001` (V1 `233249870001`) and 4321 GHS.
const TEMPLATE_PHONE: &str = "+233249870000";
/// See [`TEMPLATE_PHONE`].
const TEMPLATE_AMOUNT: i64 = 4320;

/// Rewrites the answer of a lookup; other requests keep their answer. `alongside`: the fabricated
/// record comes first, followed by the real ones; otherwise it replaces them.
pub(crate) fn apply(shared: &Shared, req: &Request, resp: Response, alongside: bool) -> Response {
    if req.method != "GET" {
        return resp;
    }
    let path = req.path.trim_end_matches('/');
    if path == "/v2/topups" {
        v2_list(shared, req, resp, alongside)
    } else if let Some(id) = path
        .strip_prefix("/v2/topups/")
        .filter(|s| !s.is_empty() && !s.contains('/'))
    {
        v2_one(shared, id, resp)
    } else if path == "/adp/transactions" {
        v1_lookup(shared, req, resp, alongside)
    } else {
        resp
    }
}

/// `new`'s status, content type and body with the other headers (rate limits…) of `old`.
fn keep_headers(old: Response, mut new: Response) -> Response {
    for (k, v) in old.headers {
        let replaced = ["content-type", "x-request-id"]
            .iter()
            .any(|h| k.eq_ignore_ascii_case(h));
        if !replaced {
            new.headers.push((k, v));
        }
    }
    new
}

/// The same number with its last digit changed.
fn other_number(number: &str) -> String {
    let mut s = number.to_string();
    match s.pop() {
        Some(c) if c.is_ascii_digit() => {
            let d = c.to_digit(10).unwrap_or(0);
            s.push(char::from_digit((d + 1) % 10, 10).unwrap_or('0'));
        }
        Some(c) => {
            s.push(c);
            s.push('0');
        }
        None => s.push('0'),
    }
    s
}

fn default_v2(key: &str) -> V2Topup {
    let net = State::network(42);
    let value = Decimal::from(TEMPLATE_AMOUNT);
    V2Topup {
        seq: 0,
        id: String::new(),
        api_key: key.to_string(),
        phone: TEMPLATE_PHONE.to_string(),
        network_id: net.id,
        amount: Some((value, net.currency)),
        product_id: None,
        product_name: None,
        cost_usd: net.usd_cost(value),
        wallet_id: "wal_global_001",
        wallet_debit: net.usd_cost(value),
        sms: json!({"enabled": false, "message": null}),
        reference: None,
        provider_reference: String::new(),
        metadata: json!({}),
        callback_url: None,
        dedupe_key: String::new(),
        timeline: Timeline::new(Duration::ZERO, Duration::ZERO, Outcome::Success),
        webhook_stage: 2,
    }
}

/// Another sale's top-up derived from `template` (a real one, or the default): another phone
/// number, another amount (custom airtime) or the other bundle (products); completed.
fn foreign_v2(template: V2Topup, id: Option<&str>, reference: Option<&str>) -> V2Topup {
    let mut t = template;
    let net = State::network(t.network_id);
    t.id = id.map_or_else(util::uuid, String::from);
    if let Some(r) = reference {
        t.reference = Some(r.to_string());
    }
    t.phone = other_number(&t.phone);
    let current = t.product_id.as_ref().and_then(util::integer_of);
    match current {
        Some(pid) => {
            let other = net.bundles().into_iter().find(|b| u64::from(b.id) != pid);
            if let Some(b) = other {
                t.product_id = Some(json!(b.id));
                t.amount = b.local_amount.map(|v| (v, net.currency));
                t.cost_usd = b.price_usd;
                t.product_name = Some(b.name);
            }
        }
        None => {
            let (value, currency) = t.amount.unwrap_or((Decimal::ONE, net.currency));
            let value = value + Decimal::ONE;
            t.amount = Some((value, currency));
            t.cost_usd = net.usd_cost(value);
        }
    }
    t.provider_reference = format!("SBX-{}", util::digits(9));
    t.callback_url = None;
    t.timeline = Timeline::new(Duration::ZERO, Duration::ZERO, Outcome::Success);
    t
}

fn json_body(resp: &Response) -> Option<Value> {
    serde_json::from_slice(&resp.body).ok()
}

fn v2_list(shared: &Shared, req: &Request, resp: Response, alongside: bool) -> Response {
    let Some(reference) = req.query("reference").filter(|r| !r.is_empty()) else {
        return resp;
    };
    if resp.status != 200 {
        return resp;
    }
    let Some(body) = json_body(&resp) else {
        return resp;
    };
    let real = body["data"].as_array().cloned().unwrap_or_default();
    let pagination = |name: &str| body.pointer(&format!("/meta/pagination/{name}"));
    let page = pagination("page").and_then(Value::as_u64).unwrap_or(1);
    let per_page = pagination("per_page").and_then(Value::as_u64).unwrap_or(20);
    let total = pagination("total")
        .and_then(Value::as_u64)
        .unwrap_or(real.len() as u64);
    let fake = {
        let st = shared.lock();
        let template = st
            .v2
            .iter()
            .rev()
            .find(|t| t.api_key == shared.cfg.api_key && t.reference.as_deref() == Some(reference))
            .cloned()
            .unwrap_or_else(|| default_v2(&shared.cfg.api_key));
        foreign_v2(template, None, Some(reference))
    };
    let fake = v2::topup_json_at(&fake, Phase::Terminal);
    let (data, total) = if alongside {
        let mut all = vec![fake];
        all.extend(real);
        (all, total + 1)
    } else {
        (vec![fake], 1)
    };
    keep_headers(resp, v2::list_envelope(data, page, per_page, total))
}

fn v2_one(shared: &Shared, id: &str, resp: Response) -> Response {
    if resp.status != 200 && resp.status != 404 {
        return resp;
    }
    let fake = {
        let st = shared.lock();
        let template = st
            .v2
            .iter()
            .find(|t| t.api_key == shared.cfg.api_key && t.id == id)
            .cloned()
            .unwrap_or_else(|| default_v2(&shared.cfg.api_key));
        foreign_v2(template, Some(id), None)
    };
    keep_headers(resp, v2::ok(200, v2::topup_json_at(&fake, Phase::Terminal)))
}

fn default_v1() -> V1Txn {
    let net = State::network(42);
    V1Txn {
        id: String::new(),
        msisdn: TEMPLATE_PHONE[1..].to_string(),
        network_id: net.id,
        amount: Decimal::from(TEMPLATE_AMOUNT),
        product_id: None,
        ext_ref_id: None,
        wallet_currency: "GHS",
        wallet_amount: Decimal::ZERO,
        fx_rate: None,
        provider_tx: String::new(),
        provider_ref: String::new(),
        timeline: Timeline::new(Duration::ZERO, Duration::ZERO, Outcome::Success),
    }
}

/// Another sale's V1 transaction derived from `template`: another msisdn and amount; SUCCESS.
fn foreign_v1(template: V1Txn, id: Option<&str>, ext_ref: Option<&str>) -> V1Txn {
    let mut t = template;
    let net = State::network(t.network_id);
    t.id = id.map_or_else(util::uuid, String::from);
    if let Some(e) = ext_ref {
        t.ext_ref_id = Some(e.to_string());
    }
    t.msisdn = other_number(&t.msisdn);
    t.amount += Decimal::ONE;
    t.product_id = None;
    let (wallet_currency, _) = v1_initial(net);
    t.wallet_currency = wallet_currency;
    (t.wallet_amount, t.fx_rate) = if wallet_currency == net.currency {
        (t.amount, None)
    } else {
        (round2(t.amount / net.rate()), Some(net.rate()))
    };
    t.provider_tx = format!("SBX-EXT-{}", util::digits(8));
    t.provider_ref = format!("SBX-REF-{}", util::upper_alnum(8));
    t.timeline = Timeline::new(Duration::ZERO, Duration::ZERO, Outcome::Success);
    t
}

fn v1_lookup(shared: &Shared, req: &Request, resp: Response, alongside: bool) -> Response {
    if resp.status != 200 && resp.status != 404 {
        return resp;
    }
    let param = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| req.query(n))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let ext = param(&["extRefId"]);
    let id = param(&["transaction_Id", "transactionId", "transaction_id"]);
    if ext.is_none() && id.is_none() {
        return resp;
    }
    let real = if resp.status == 200 {
        json_body(&resp)
            .and_then(|b| b["data"].as_array().cloned())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let now = Instant::now();
    let fake = {
        let st = shared.lock();
        let template = st
            .v1
            .iter()
            .rev()
            .find(|t| {
                ext.is_none_or(|e| t.ext_ref_id.as_deref() == Some(e))
                    && id.is_none_or(|i| t.id.eq_ignore_ascii_case(i))
            })
            .cloned()
            .unwrap_or_else(default_v1);
        foreign_v1(template, id, ext)
    };
    let fake = v1::record_json(&fake, now);
    let data = if alongside {
        let mut all = vec![fake];
        all.extend(real);
        all
    } else {
        vec![fake]
    };
    let (code, message) = if data.len() == 1 {
        v1::code_for("SUCCESS")
    } else {
        (1, "Success")
    };
    keep_headers(
        resp,
        Response::json(
            200,
            &json!({"message": message, "statusCode": 200, "code": code, "data": data}),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_numbers_differ() {
        assert_eq!(other_number("+233541112259"), "+233541112250");
        assert_eq!(other_number("233541112251"), "233541112252");
    }

    #[test]
    fn foreign_v2_differs_in_phone_and_amount_or_product() {
        let base = default_v2("k");
        let f = foreign_v2(base.clone(), None, Some("ref-1"));
        assert_eq!(f.phone, "+233249870001");
        assert_eq!(f.amount.map(|a| a.0), Some(Decimal::from(4321)));
        assert_eq!(f.reference.as_deref(), Some("ref-1"));
        let mut bundle = base;
        bundle.product_id = Some(json!("101"));
        bundle.amount = None;
        let f = foreign_v2(bundle, Some("id-1"), None);
        assert_eq!(f.id, "id-1");
        assert_eq!(f.product_id, Some(json!(102)));
        assert!(f.amount.is_some());
    }
}
