//! `send`, `status`, `list`, `wait`.

use crate::args::{Format, ListArgs, SendArgs, StatusArgs, WaitArgs};
use crate::output::{Failure, code, json_result, opt, out, table, warn};
use crate::{ClientOpts, Ctx};
use clickairtime::money::{Decimal, parse_amount};
use clickairtime::v1::{self, Transaction, TransactionFilter, TransactionState};
use clickairtime::v2::{CreateTopUp, ListTopUps, TopUp, TopUpStatus};
use clickairtime::{ErrorKind, Journal, Response, SendState, WaitOptions};
use serde_json::{Value, json};
use std::time::Duration;

fn usage_of(e: &clickairtime::Error) -> Failure {
    Failure::usage(format!("{e}")).with_error(e)
}

fn wait_options(seconds: f64) -> Result<WaitOptions, Failure> {
    if !(seconds.is_finite() && seconds > 0.0 && seconds < 1e7) {
        return Err(Failure::usage(format!(
            "{seconds} is not a positive number of seconds"
        )));
    }
    Ok(WaitOptions {
        deadline: Duration::from_secs_f64(seconds),
        initial_interval: Duration::from_millis(500),
        max_interval: Duration::from_secs(10),
        ..WaitOptions::default()
    })
}

/// Exit code of a V2 status: completed 0, failed (or refunded, cancelled) 1, not final 4.
fn v2_code(s: &TopUpStatus) -> i32 {
    if s.is_success() {
        code::OK
    } else if s.is_terminal() {
        code::NOT_SENT
    } else {
        code::PENDING
    }
}

/// Exit code of a V1 state, the same way.
fn v1_code(s: &TransactionState) -> i32 {
    if s.is_success() {
        code::OK
    } else if s.is_terminal() {
        code::NOT_SENT
    } else {
        code::PENDING
    }
}

fn verdict_word(code: i32) -> &'static str {
    match code {
        code::OK => "delivered",
        code::NOT_SENT => "not delivered as sold",
        _ => "not final yet",
    }
}

fn what_v2(t: &TopUp) -> String {
    match (&t.amount, &t.product_id) {
        (Some(m), _) => format!("{} {}", m.value, m.currency),
        (None, Some(p)) => match &t.product_name {
            Some(n) => format!("bundle {p} ({n})"),
            None => format!("bundle {p}"),
        },
        (None, None) => "?".into(),
    }
}

fn describe_v2(t: &TopUp) -> String {
    let mut s = format!(
        "top-up {} {}: {} to {}",
        t.id,
        t.status,
        what_v2(t),
        t.phone_number.as_deref().unwrap_or("?")
    );
    if let Some(n) = t.network.as_ref().and_then(|n| n.name.as_deref()) {
        s.push_str(&format!(" ({n})"));
    }
    if let Some(r) = &t.reference {
        s.push_str(&format!(", reference {r}"));
    }
    if let Some(f) = &t.failure_reason {
        s.push_str(&format!(", failure reason {f}"));
    }
    s
}

fn describe_v1(t: &Transaction) -> String {
    let mut s = format!(
        "transaction {} {}: {} {} to {}",
        t.transaction_id.as_deref().unwrap_or("?"),
        t.state,
        opt(t.delivered_amount()),
        t.currency.as_deref().unwrap_or(""),
        t.msisdn.as_deref().unwrap_or("?")
    );
    if let Some(n) = &t.network {
        s.push_str(&format!(" ({n})"));
    }
    if let Some(r) = &t.ext_ref_id {
        s.push_str(&format!(", reference {r}"));
    }
    if let Some(m) = t
        .message
        .as_ref()
        .filter(|_| t.state.is_terminal() && !t.state.is_success())
    {
        s.push_str(&format!(", message {m:?}"));
    }
    s
}

fn origin_headline(origin: Option<clickairtime::SendOrigin>) -> &'static str {
    match origin.map(|o| o.as_str()) {
        Some("recovered") => {
            "sent (the answer was lost; the sale was found at the API by its reference and verified)"
        }
        Some("replayed") => {
            "already sent: the API returned this sale's existing record (nothing new was created)"
        }
        Some("journal") => "already sent earlier (per the journal): not sent again",
        _ => "sent",
    }
}

fn metadata(items: &[String]) -> Result<Vec<(String, String)>, Failure> {
    items
        .iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.to_owned())),
            _ => Err(Failure::usage(format!(
                "--metadata {kv:?}: expected KEY=VALUE"
            ))),
        })
        .collect()
}

pub(crate) fn send(ctx: &Ctx, a: &SendArgs) -> Result<i32, Failure> {
    let amount: Option<Decimal> = a
        .amount
        .as_deref()
        .map(|s| parse_amount("amount", s))
        .transpose()
        .map_err(|e| usage_of(&e))?;
    let opts = wait_options(a.wait_timeout)?;
    if ctx.v1 {
        send_v1(ctx, a, amount, &opts)
    } else {
        send_v2(ctx, a, amount, &opts)
    }
}

fn send_v2(
    ctx: &Ctx,
    a: &SendArgs,
    amount: Option<Decimal>,
    opts: &WaitOptions,
) -> Result<i32, Failure> {
    if a.async_mode {
        return Err(Failure::usage("--async is for V1 (--v1) only"));
    }
    let meta = metadata(&a.metadata)?;
    let phone = match (amount, &a.product, &a.currency) {
        (Some(_), None, Some(_)) | (None, Some(_), None) => {
            clickairtime::phone::to_e164(&a.phone).map_err(|e| usage_of(&e))?
        }
        _ => a.phone.clone(), // a usage error below, before any parsing
    };
    let mut order = match (amount, &a.product, &a.currency) {
        (Some(_), Some(_), _) => {
            return Err(Failure::usage("give --amount or --product, not both"));
        }
        (Some(_), None, None) => {
            return Err(Failure::usage(
                "--amount needs --currency: the network's local currency (e.g. GHS); `clickairtime lookup PHONE` shows it",
            ));
        }
        (None, Some(_), Some(_)) => {
            return Err(Failure::usage(
                "--currency goes with --amount, not --product",
            ));
        }
        (Some(v), None, Some(c)) => CreateTopUp::amount(&phone, 0, v, c.to_ascii_uppercase()),
        (None, Some(p), None) => CreateTopUp::product(&phone, 0, p.clone()),
        (None, None, _) => {
            return Err(Failure::usage(
                "give --amount (with --currency) or --product",
            ));
        }
    };
    if let Some(r) = &a.reference {
        order = order.reference(r.clone());
    }
    if let Some(t) = &a.sms {
        order = order.sms((!t.is_empty()).then(|| t.clone()));
    }
    if let Some(u) = &a.callback_url {
        order = order.callback_url(u.clone());
    }
    for (k, v) in meta {
        order = order.metadata(k, v);
    }
    let client = ctx.v2_client(ClientOpts {
        journal: true,
        rate: None,
    })?;
    order.network_id = match a.network_id {
        Some(n) => n,
        None => match client.catalog().lookup(Some(&phone), None) {
            Ok(r) => r.network.id,
            Err(e) if e.kind() == ErrorKind::InvalidInput => return Err(usage_of(&e)),
            Err(e) => {
                return Err(Failure::new(
                    code::NOT_SENT,
                    "not_sent",
                    format!("not sent: the network of {phone} could not be looked up: {e}"),
                )
                .with_error(&e));
            }
        },
    };
    let order = order.prepared();
    let reference = order.reference.clone().unwrap_or_default();
    if !ctx.json {
        let what = match (&order.amount, &order.product_id) {
            (Some(v), _) => format!("{v} {}", order.currency.as_deref().unwrap_or("")),
            (None, Some(p)) => format!("bundle {p}"),
            _ => String::new(),
        };
        warn(&format!(
            "sending {what} to {phone} (network {}), reference {reference}",
            order.network_id
        ));
    }
    let sent = client
        .topups()
        .create(&order)
        .map_err(|e| Failure::send(&e))?;
    let headline = origin_headline(sent.meta.origin);
    let mut code = if sent.status.is_terminal() {
        v2_code(&sent.status)
    } else {
        code::OK
    };
    let mut outcome = if code == code::OK {
        "sent"
    } else {
        "delivery_failed"
    };
    if !ctx.json {
        out(&format!("{headline}: {}", describe_v2(&sent)));
    }
    let mut final_record: Option<TopUp> = None;
    let mut wait_error: Option<Value> = None;
    if a.wait && !sent.status.is_terminal() {
        match client.topups().wait(&sent.id, opts) {
            Ok(done) => {
                code = v2_code(&done.status);
                outcome = if code == code::OK {
                    "delivered"
                } else {
                    "delivery_failed"
                };
                if !ctx.json {
                    out(&format!("{}: {}", verdict_word(code), describe_v2(&done)));
                }
                final_record = Some(done.data);
            }
            Err(e) => {
                code = code::PENDING;
                outcome = "still_pending";
                let msg = if e.kind() == ErrorKind::StillPending {
                    format!(
                        "still pending: top-up {} was created and was not final by the deadline (last seen: {}); it may still complete. Check again later: `clickairtime wait {}`",
                        sent.id,
                        e.status().unwrap_or("not final"),
                        sent.id
                    )
                } else {
                    format!(
                        "sent as top-up {}, but its delivery could not be confirmed ({e}); check again later: `clickairtime wait {}`",
                        sent.id, sent.id
                    )
                };
                if !ctx.json {
                    out(&msg);
                }
                wait_error = Some(crate::output::error_json(&e));
            }
        }
    } else if code != code::OK && !ctx.json {
        out(&format!(
            "not delivered as sold: the top-up ended {}",
            sent.status
        ));
    }
    if ctx.json {
        json_result(
            code,
            json!({
                "api": "v2",
                "outcome": outcome,
                "origin": sent.meta.origin.map(|o| o.as_str()),
                "reference": reference,
                "idempotency_key": sent.meta.idempotency_key,
                "topup": sent.data,
                "final": final_record,
                "wait_error": wait_error,
            }),
        );
    }
    Ok(code)
}

fn send_v1(
    ctx: &Ctx,
    a: &SendArgs,
    amount: Option<Decimal>,
    opts: &WaitOptions,
) -> Result<i32, Failure> {
    if a.currency.is_some() {
        return Err(Failure::usage(
            "--currency is V2 only: V1 amounts are in the destination currency",
        ));
    }
    if a.network_id.is_some() || a.callback_url.is_some() || !a.metadata.is_empty() {
        return Err(Failure::usage(
            "--network-id, --callback-url and --metadata are V2 only",
        ));
    }
    if a.sms.as_deref().is_some_and(|t| !t.is_empty()) {
        return Err(Failure::usage(
            "V1 sends its own SMS text: give --sms without a text",
        ));
    }
    let product: Option<i64> = match &a.product {
        None => None,
        Some(p) => match p.trim().parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                return Err(Failure::usage(format!(
                    "--product {p:?}: a V1 product id is a positive number"
                )));
            }
        },
    };
    if amount.is_none() && product.is_none() {
        return Err(Failure::usage("give --amount or --product"));
    }
    let msisdn = clickairtime::phone::to_msisdn(&a.phone).map_err(|e| usage_of(&e))?;
    let mut order = match (amount, product) {
        (Some(v), p) => {
            let mut o = v1::SendTopUp::amount(&msisdn, v);
            o.product_id = p;
            o
        }
        (None, Some(p)) => v1::SendTopUp::product(&msisdn, p),
        (None, None) => return Err(Failure::usage("give --amount or --product")),
    };
    if let Some(r) = &a.reference {
        order = order.ext_ref_id(r.clone());
    }
    order = order.send_sms(a.sms.is_some()).mode(if a.async_mode {
        v1::ProcessingMode::Async
    } else {
        v1::ProcessingMode::Sync
    });
    let order = order.prepared();
    let reference = order.ext_ref_id.clone().unwrap_or_default();
    let client = ctx.v1_client(ClientOpts {
        journal: true,
        rate: None,
    })?;
    if !ctx.json {
        warn(&format!(
            "sending {} to {msisdn}, reference {reference}",
            match (amount, product) {
                (Some(v), _) => v.to_string(),
                (None, Some(p)) => format!("product {p}"),
                _ => String::new(),
            }
        ));
    }
    let mut sent = client.send_topup(&order).map_err(|e| Failure::send(&e))?;
    if sent.data.msisdn.is_none() {
        // V1 answers to a write may omit it (the docs' shape)
        sent.data.msisdn = Some(msisdn.clone());
    }
    let headline = origin_headline(sent.meta.origin);
    let mut code = if sent.state.is_terminal() {
        v1_code(&sent.state)
    } else {
        code::OK
    };
    let mut outcome = if code == code::OK {
        "sent"
    } else {
        "delivery_failed"
    };
    if !ctx.json {
        out(&format!("{headline}: {}", describe_v1(&sent)));
    }
    let mut final_record = None;
    let mut wait_error = None;
    if a.wait && !sent.state.is_terminal() {
        match client.wait(&reference, opts) {
            Ok(done) => {
                code = v1_code(&done.state);
                outcome = if code == code::OK {
                    "delivered"
                } else {
                    "delivery_failed"
                };
                if !ctx.json {
                    out(&format!("{}: {}", verdict_word(code), describe_v1(&done)));
                }
                final_record = Some(done.data);
            }
            Err(e) => {
                code = code::PENDING;
                outcome = "still_pending";
                if !ctx.json {
                    out(&format!(
                        "sent (reference {reference}), but it is not final yet ({e}); check again later: `clickairtime wait --v1 --reference {reference}`"
                    ));
                }
                wait_error = Some(crate::output::error_json(&e));
            }
        }
    } else if code != code::OK && !ctx.json {
        out(&format!(
            "not delivered as sold: the transaction ended {}",
            sent.state
        ));
    }
    if ctx.json {
        json_result(
            code,
            json!({
                "api": "v1",
                "outcome": outcome,
                "origin": sent.meta.origin.map(|o| o.as_str()),
                "reference": reference,
                "transaction": sent.data,
                "final": final_record,
                "wait_error": wait_error,
            }),
        );
    }
    Ok(code)
}

/// What the journal says about a reference the API does not show (the journal file is only read if it
/// exists).
fn journal_verdict(ctx: &Ctx, api: &str, reference: &str) -> Option<Failure> {
    let path = ctx.s.journal.as_ref()?;
    if !path.exists() {
        return None;
    }
    let j = Journal::open(path).ok()?;
    let e = j.get(api, reference).ok()??;
    let f = match e.state {
        SendState::InFlight | SendState::Unknown => Failure::new(
            code::UNKNOWN,
            "unknown",
            format!(
                "no top-up with reference {reference} is visible at the API now, but the journal holds it {}: \
                 it may have been received. Do NOT send it again by other means: run `clickairtime recover`.",
                e.state
            ),
        ),
        SendState::NotSent => Failure::new(
            code::NOT_SENT,
            "not_sent",
            format!(
                "not sent: the journal recorded reference {reference} as not sent ({}), and the API shows none",
                e.error_message.as_deref().unwrap_or("no message")
            ),
        ),
        SendState::Refused => Failure::new(
            code::REFUSED,
            "refused",
            format!(
                "refused: the journal recorded reference {reference} as refused for another sale ({})",
                e.error_message.as_deref().unwrap_or("no message")
            ),
        ),
        SendState::Sent => Failure::new(
            code::UNKNOWN,
            "unknown",
            format!(
                "the journal recorded reference {reference} as sent (top-up {}), but the API shows no top-up with it now; \
                 check again later",
                e.transaction_id.as_deref().unwrap_or("?")
            ),
        ),
    };
    Some(
        f.with("journal_state", e.state.as_str())
            .with("journal", path.display().to_string()),
    )
}

fn not_found_reference(ctx: &Ctx, api: &str, reference: &str) -> Failure {
    journal_verdict(ctx, api, reference).unwrap_or_else(|| {
        Failure::new(
            code::NOT_SENT,
            "not_found",
            format!(
                "no top-up with reference {reference} at the API now (one sent in the last ~13 minutes may not be visible yet)"
            ),
        )
    })
}

fn lookup_failure(e: &clickairtime::Error) -> Failure {
    match e.kind() {
        ErrorKind::ReferenceConflict => Failure::new(
            code::REFUSED,
            "refused",
            format!("{e}: several top-ups carry this reference"),
        )
        .with_error(e),
        ErrorKind::NotFound => {
            Failure::new(code::NOT_SENT, "not_found", format!("{e}")).with_error(e)
        }
        _ => Failure::read(e),
    }
}

fn show_v2(ctx: &Ctx, t: &Response<TopUp>) -> i32 {
    let code = v2_code(&t.status);
    if ctx.json {
        json_result(
            code,
            json!({"api": "v2", "status": t.status.as_str(), "final": t.status.is_terminal(), "topup": t.data}),
        );
    } else {
        out(&format!("{}: {}", verdict_word(code), describe_v2(t)));
    }
    code
}

fn show_v1(ctx: &Ctx, t: &Transaction) -> i32 {
    let code = v1_code(&t.state);
    if ctx.json {
        json_result(
            code,
            json!({"api": "v1", "status": t.state.as_str(), "final": t.state.is_terminal(), "transaction": t}),
        );
    } else {
        out(&format!("{}: {}", verdict_word(code), describe_v1(t)));
    }
    code
}

fn v1_by_id(c: &v1::Client, id: &str) -> Result<Transaction, Failure> {
    let r = c
        .transactions(&TransactionFilter::transaction_id(id))
        .map_err(|e| lookup_failure(&e))?;
    r.data
        .into_iter()
        .find(|t| t.transaction_id.as_deref() == Some(id))
        .ok_or_else(|| Failure::new(code::NOT_SENT, "not_found", format!("no transaction {id}")))
}

pub(crate) fn status(ctx: &Ctx, a: &StatusArgs) -> Result<i32, Failure> {
    if ctx.v1 {
        let c = ctx.v1_client(ClientOpts::default())?;
        if let Some(id) = &a.id {
            let t = v1_by_id(&c, id)?;
            return Ok(show_v1(ctx, &t));
        }
        let r = a.reference.as_deref().unwrap_or_default();
        return match c.reconcile(r).map_err(|e| lookup_failure(&e))? {
            Some(t) => Ok(show_v1(ctx, &t)),
            None => Err(not_found_reference(ctx, "v1", r)),
        };
    }
    let c = ctx.v2_client(ClientOpts::default())?;
    if let Some(id) = &a.id {
        let t = c.topups().get(id).map_err(|e| lookup_failure(&e))?;
        return Ok(show_v2(ctx, &t));
    }
    let r = a.reference.as_deref().unwrap_or_default();
    match c.topups().reconcile(r).map_err(|e| lookup_failure(&e))? {
        Some(t) => Ok(show_v2(ctx, &t)),
        None => Err(not_found_reference(ctx, "v2", r)),
    }
}

pub(crate) fn wait(ctx: &Ctx, a: &WaitArgs) -> Result<i32, Failure> {
    let opts = wait_options(a.timeout)?;
    let wait_failure = |e: &clickairtime::Error| match e.kind() {
        ErrorKind::StillPending => Failure::send(e),
        _ => lookup_failure(e),
    };
    if ctx.v1 {
        let c = ctx.v1_client(ClientOpts::default())?;
        let reference = match (&a.id, &a.reference) {
            (_, Some(r)) => r.clone(),
            (Some(id), None) => v1_by_id(&c, id)?.ext_ref_id.ok_or_else(|| {
                Failure::new(
                    code::NOT_SENT,
                    "error",
                    format!("transaction {id} has no extRefId to wait on; use `status {id}`"),
                )
            })?,
            (None, None) => unreachable!("clap requires an id or a reference"),
        };
        let t = c.wait(&reference, &opts).map_err(|e| wait_failure(&e))?;
        return Ok(show_v1(ctx, &t));
    }
    let c = ctx.v2_client(ClientOpts::default())?;
    let id = match (&a.id, &a.reference) {
        (Some(id), _) => id.clone(),
        (None, Some(r)) => match c.topups().reconcile(r).map_err(|e| lookup_failure(&e))? {
            Some(t) => t.data.id,
            None => return Err(not_found_reference(ctx, "v2", r)),
        },
        (None, None) => unreachable!("clap requires an id or a reference"),
    };
    let t = c.topups().wait(&id, &opts).map_err(|e| wait_failure(&e))?;
    Ok(show_v2(ctx, &t))
}

/// `--since`/`--until`: a duration back from now (`90s`, `30m`, `24h`, `7d`, `2w`), `now`, `today`,
/// `yesterday`, or an ISO 8601 date (midnight UTC) / date-time, as the API's ISO 8601 UTC date-time.
pub(crate) fn parse_when(flag: &str, text: &str) -> Result<String, Failure> {
    use time::{Duration as TDuration, OffsetDateTime, Time};
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let show = |t: OffsetDateTime| t.format(&fmt).unwrap_or_default();
    let now = OffsetDateTime::now_utc();
    let t = text.trim().to_ascii_lowercase();
    let bad = || {
        Failure::usage(format!(
            "--{flag} {text:?}: expected 30m, 24h, 7d, now, today, yesterday, or an ISO 8601 date / date-time"
        ))
    };
    match t.as_str() {
        "now" => return Ok(show(now)),
        "today" => return Ok(show(now.replace_time(Time::MIDNIGHT))),
        "yesterday" => return Ok(show(now.replace_time(Time::MIDNIGHT) - TDuration::days(1))),
        _ => {}
    }
    if let Some(unit) = t.chars().last().filter(|c| "smhdw".contains(*c)) {
        let n = &t[..t.len() - 1];
        if let Ok(n) = n.parse::<i64>()
            && (0..=100_000).contains(&n)
        {
            let d = match unit {
                's' => TDuration::seconds(n),
                'm' => TDuration::minutes(n),
                'h' => TDuration::hours(n),
                'd' => TDuration::days(n),
                _ => TDuration::weeks(n),
            };
            return Ok(show(now - d));
        }
    }
    let raw = text.trim();
    if let Ok(dt) = OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339) {
        return Ok(show(dt.to_offset(time::UtcOffset::UTC)));
    }
    let date_fmt = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = time::Date::parse(raw, &date_fmt) {
        return Ok(show(d.midnight().assume_utc()));
    }
    Err(bad())
}

fn v2_csv(items: &[TopUp]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "id",
        "status",
        "phone_number",
        "network_id",
        "network",
        "amount",
        "currency",
        "cost",
        "cost_currency",
        "product_id",
        "reference",
        "failure_reason",
        "created_at",
        "completed_at",
    ]);
    for t in items {
        let _ = w.write_record([
            t.id.clone(),
            t.status.to_string(),
            opt(t.phone_number.as_ref()),
            opt(t.network.as_ref().map(|n| n.id)),
            opt(t.network.as_ref().and_then(|n| n.name.as_ref())),
            opt(t.amount.as_ref().map(|m| m.value)),
            opt(t.amount.as_ref().map(|m| &m.currency)),
            opt(t.cost.as_ref().map(|m| m.value)),
            opt(t.cost.as_ref().map(|m| &m.currency)),
            opt(t.product_id.as_ref()),
            opt(t.reference.as_ref()),
            opt(t.failure_reason.as_ref()),
            opt(t.created_at.as_ref().map(|x| x.as_str())),
            opt(t.completed_at.as_ref().map(|x| x.as_str())),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn v1_csv(items: &[Transaction]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "transaction_id",
        "state",
        "msisdn",
        "network",
        "country",
        "amount",
        "currency",
        "effective_amount",
        "ext_ref_id",
        "account_id",
        "message",
    ]);
    for t in items {
        let _ = w.write_record([
            opt(t.transaction_id.as_ref()),
            t.state.to_string(),
            opt(t.msisdn.as_ref()),
            opt(t.network.as_ref()),
            opt(t.country.as_ref()),
            opt(t.delivered_amount()),
            opt(t.currency.as_ref()),
            opt(t.effective_amount),
            opt(t.ext_ref_id.as_ref()),
            opt(t.account_id.as_ref()),
            opt(t.message.as_ref()),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub(crate) fn list(ctx: &Ctx, a: &ListArgs) -> Result<i32, Failure> {
    let format = if ctx.json { Format::Json } else { a.format };
    if ctx.v1 {
        return list_v1(ctx, a, format);
    }
    let from = match &a.since {
        Some(s) => Some(parse_when("since", s)?),
        None => a.from.clone(),
    };
    let to = match &a.until {
        Some(s) => Some(parse_when("until", s)?),
        None => a.to.clone(),
    };
    let filter = ListTopUps {
        page: a.page,
        per_page: a
            .per_page
            .or(if a.page.is_none() { Some(100) } else { None }),
        status: a.status.as_deref().map(TopUpStatus::from),
        phone_number: a.phone.as_ref().map(|p| {
            p.chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect()
        }),
        reference: a.reference.clone(),
        from,
        to,
        sort: a.sort.clone(),
    };
    if a.id.is_some() {
        return Err(Failure::usage(
            "--id is for V1; for V2 use `clickairtime status ID`",
        ));
    }
    let c = ctx.v2_client(ClientOpts::default())?;
    let (items, truncated, pagination) = if a.page.is_some() {
        let r = c.topups().list(&filter).map_err(|e| Failure::read(&e))?;
        let p = r.meta.pagination;
        (r.data, p.is_some_and(|p| p.has_next), p)
    } else {
        let mut items = Vec::new();
        let mut truncated = false;
        for t in c
            .topups()
            .list_all(&filter)
            .map_err(|e| Failure::read(&e))?
        {
            let t = t.map_err(|e| Failure::read(&e))?;
            if a.limit > 0 && items.len() >= a.limit {
                truncated = true;
                break;
            }
            items.push(t);
        }
        (items, truncated, None)
    };
    match format {
        Format::Json => json_result(
            code::OK,
            json!({"api": "v2", "count": items.len(), "truncated": truncated, "pagination": pagination, "topups": items}),
        ),
        Format::Csv => print!("{}", v2_csv(&items)),
        Format::Table => {
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|t| {
                    vec![
                        opt(t.created_at.as_ref().map(|x| x.as_str())),
                        t.id.clone(),
                        t.status.to_string(),
                        opt(t.phone_number.as_ref()),
                        what_v2(t),
                        opt(t
                            .cost
                            .as_ref()
                            .map(|m| format!("{} {}", m.value, m.currency))),
                        opt(t.reference.as_ref()),
                    ]
                })
                .collect();
            out(&table(
                &[
                    "created_at",
                    "id",
                    "status",
                    "phone",
                    "amount",
                    "cost",
                    "reference",
                ],
                &rows,
            ));
            out(&format!("{} top-up(s)", items.len()));
        }
    }
    if truncated && !ctx.json {
        warn(&format!(
            "more top-ups match: showing {}; raise --limit (0 = all) or use --page",
            items.len()
        ));
    }
    Ok(code::OK)
}

fn list_v1(ctx: &Ctx, a: &ListArgs, format: Format) -> Result<i32, Failure> {
    if a.since.is_some() || a.until.is_some() || a.from.is_some() || a.to.is_some() {
        return Err(Failure::usage(
            "the V1 API cannot list by date: give --phone, --reference or --id",
        ));
    }
    if a.sort.is_some() || a.page.is_some() || a.per_page.is_some() {
        return Err(Failure::usage("--sort, --page and --per-page are V2 only"));
    }
    let filter = TransactionFilter {
        transaction_id: a.id.clone(),
        msisdn: match &a.phone {
            Some(p) => Some(clickairtime::phone::to_msisdn(p).map_err(|e| usage_of(&e))?),
            None => None,
        },
        ext_ref_id: a.reference.clone(),
    };
    if filter == TransactionFilter::default() {
        return Err(Failure::usage(
            "V1 lists transactions by --phone, --reference or --id (at least one)",
        ));
    }
    let c = ctx.v1_client(ClientOpts::default())?;
    let mut items = c.transactions(&filter).map_err(|e| Failure::read(&e))?.data;
    if let Some(s) = &a.status {
        items.retain(|t| t.state.as_str().eq_ignore_ascii_case(s));
    }
    match format {
        Format::Json => json_result(
            code::OK,
            json!({"api": "v1", "count": items.len(), "transactions": items}),
        ),
        Format::Csv => print!("{}", v1_csv(&items)),
        Format::Table => {
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|t| {
                    vec![
                        opt(t.transaction_id.as_ref()),
                        t.state.to_string(),
                        opt(t.msisdn.as_ref()),
                        opt(t.network.as_ref()),
                        format!(
                            "{} {}",
                            opt(t.delivered_amount()),
                            t.currency.as_deref().unwrap_or("")
                        )
                        .trim()
                        .to_owned(),
                        opt(t.ext_ref_id.as_ref()),
                    ]
                })
                .collect();
            out(&table(
                &[
                    "transaction",
                    "state",
                    "msisdn",
                    "network",
                    "amount",
                    "reference",
                ],
                &rows,
            ));
            out(&format!("{} transaction(s)", items.len()));
        }
    }
    Ok(code::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times() {
        assert!(parse_when("since", "24h").unwrap().ends_with('Z'));
        assert!(
            parse_when("since", "today")
                .unwrap()
                .ends_with("T00:00:00Z")
        );
        assert_eq!(
            parse_when("since", "2024-05-01").unwrap(),
            "2024-05-01T00:00:00Z"
        );
        assert_eq!(
            parse_when("since", "2024-05-01T12:00:00+02:00").unwrap(),
            "2024-05-01T10:00:00Z"
        );
        assert!(parse_when("since", "last tuesday").is_err());
    }
}
