//! `list`: top-ups in a time window (`--since`/`--until`), as a table, JSON or CSV.

use super::{usage_of, what_v2};
use crate::args::{Format, ListArgs};
use crate::output::{Failure, code, json_result, opt, out, table, warn};
use crate::{ClientOpts, Ctx};
use clickairtime::v1::{Transaction, TransactionFilter};
use clickairtime::v2::{ListTopUps, TopUp, TopUpStatus};
use serde_json::json;

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
