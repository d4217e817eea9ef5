//! Top-up objects, `GET /v2/topups/:id` and `GET /v2/topups`.

use super::{err, invalid_request, ok, phone_query, with_request_id};
use crate::http::{Request, Response};
use crate::shared::Shared;
use crate::state::{Outcome, Phase, State, V2Topup};
use crate::util::{self, iso, num};
use serde_json::{Value, json};
use std::time::Instant;
use time::OffsetDateTime;

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

pub(super) fn get_topup(shared: &Shared, id: &str, key: &str) -> Response {
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

pub(super) fn list_topups(shared: &Shared, req: &Request, key: &str) -> Response {
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
    let start = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    let data: Vec<Value> = items
        .into_iter()
        .skip(start)
        .take(usize::try_from(per_page).unwrap_or(100))
        .map(|(_, j)| j)
        .collect();
    list_envelope(data, page, per_page, total)
}

/// A page of a list: `{"success": true, "data": [...], "meta": {…, "pagination": {…}}}`.
pub(crate) fn list_envelope(data: Vec<Value>, page: u64, per_page: u64, total: u64) -> Response {
    let per_page = per_page.max(1);
    let total_pages = total.div_ceil(per_page);
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
