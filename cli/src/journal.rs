//! `pending` and `recover`: the send journal.

use crate::args::PendingArgs;
use crate::output::{Failure, code, iso_ms, json_result, opt, out, table, warn};
use crate::{ClientOpts, Ctx};
use clickairtime::{Journal, JournalEntry, SendState};
use serde_json::{Value, json};

/// A journal entry as JSON (times as ISO 8601 UTC and unix milliseconds).
pub(crate) fn entry_json(e: &JournalEntry) -> Value {
    json!({
        "api": e.api,
        "reference": e.reference,
        "state": e.state.as_str(),
        "writes": e.writes,
        "transaction_id": e.transaction_id,
        "status": e.status,
        "error_kind": e.error_kind.map(|k| k.as_str()),
        "error_message": e.error_message,
        "created_at": iso_ms(e.created_at),
        "updated_at": iso_ms(e.updated_at),
        "last_write_at": e.last_write_at.map(iso_ms),
        "created_at_ms": e.created_at,
        "updated_at_ms": e.updated_at,
        "request": serde_json::from_str::<Value>(&e.request).unwrap_or(Value::String(e.request.clone())),
    })
}

fn meaning(s: SendState) -> &'static str {
    match s {
        SendState::InFlight => {
            "in flight (being sent by a running process, or its process ended mid-send): may have been received"
        }
        SendState::Unknown => "outcome unknown: may have been received",
        SendState::Sent => "sent",
        SendState::NotSent => "not sent",
        SendState::Refused => "refused for another sale",
    }
}

fn rows(entries: &[JournalEntry]) -> Vec<Vec<String>> {
    entries
        .iter()
        .map(|e| {
            vec![
                e.api.clone(),
                e.reference.clone(),
                e.state.to_string(),
                e.writes.to_string(),
                opt(e.transaction_id.as_ref()),
                iso_ms(e.updated_at),
                e.error_kind
                    .map(|k| k.as_str().to_owned())
                    .unwrap_or_default(),
            ]
        })
        .collect()
}

const HEADERS: &[&str] = &[
    "api",
    "reference",
    "state",
    "writes",
    "transaction",
    "updated_at",
    "error",
];

pub(crate) fn pending(ctx: &Ctx, a: &PendingArgs) -> Result<i32, Failure> {
    let path = ctx.s.journal_path()?.to_path_buf();
    let shown = path.display().to_string();
    let source = ctx.s.journal_source.as_str();
    if !path.exists() {
        if ctx.json {
            json_result(
                code::OK,
                json!({"journal": shown, "journal_source": source, "exists": false, "entries": []}),
            );
        } else {
            out(&format!("journal: {shown} ({source}; not created yet)"));
            out("nothing pending");
        }
        return Ok(code::OK);
    }
    let j = Journal::open(&path).map_err(|e| Failure::read(&e))?;
    let mut entries = Vec::new();
    for api in ["v2", "v1"] {
        let mut es = if a.all {
            j.entries(api)
        } else {
            j.pending(api)
        }
        .map_err(|e| Failure::read(&e))?;
        entries.append(&mut es);
    }
    let open = entries.iter().filter(|e| e.state.is_open()).count();
    if ctx.json {
        json_result(
            code::OK,
            json!({
                "journal": shown,
                "journal_source": source,
                "exists": true,
                "open": open,
                "entries": entries.iter().map(entry_json).collect::<Vec<_>>(),
            }),
        );
        return Ok(code::OK);
    }
    out(&format!("journal: {shown} ({source})"));
    if entries.is_empty() {
        out(if a.all {
            "no sends recorded"
        } else {
            "nothing pending"
        });
        return Ok(code::OK);
    }
    out(&table(HEADERS, &rows(&entries)));
    if open > 0 {
        out(&format!(
            "{open} send(s) open: they may have been received. Do not send them again by other means; \
             `clickairtime recover` settles them (add --v1 for V1 entries)."
        ));
    }
    Ok(code::OK)
}

pub(crate) fn recover(ctx: &Ctx) -> Result<i32, Failure> {
    let path = ctx.s.journal_path()?.to_path_buf();
    let shown = path.display().to_string();
    let (api, other) = if ctx.v1 { ("v1", "v2") } else { ("v2", "v1") };
    if !path.exists() {
        if ctx.json {
            json_result(
                code::OK,
                json!({"journal": shown, "api": api, "recovered": [], "open": 0}),
            );
        } else {
            out(&format!(
                "journal: {shown} (not created yet): nothing to recover"
            ));
        }
        return Ok(code::OK);
    }
    let settled: Vec<(JournalEntry, Option<Value>)> = if ctx.v1 {
        let c = ctx.v1_client(ClientOpts {
            journal: true,
            ..ClientOpts::default()
        })?;
        c.recover()
            .map_err(|e| Failure::read(&e))?
            .into_iter()
            .map(|r| {
                let rec = r
                    .record
                    .map(|x| serde_json::to_value(&x.data).unwrap_or_default());
                (r.entry, rec)
            })
            .collect()
    } else {
        let c = ctx.v2_client(ClientOpts {
            journal: true,
            ..ClientOpts::default()
        })?;
        c.recover()
            .map_err(|e| Failure::read(&e))?
            .into_iter()
            .map(|r| {
                let rec = r
                    .record
                    .map(|x| serde_json::to_value(&x.data).unwrap_or_default());
                (r.entry, rec)
            })
            .collect()
    };
    let still_open = settled.iter().filter(|(e, _)| e.state.is_open()).count();
    // entries of the other API are left for `recover` with (or without) --v1
    let other_open = Journal::open(&path)
        .and_then(|j| j.pending(other))
        .map(|v| v.len())
        .unwrap_or(0);
    let code = if still_open > 0 {
        code::UNKNOWN
    } else {
        code::OK
    };
    if ctx.json {
        json_result(
            code,
            json!({
                "journal": shown,
                "api": api,
                "open": still_open,
                "other_api_open": other_open,
                "recovered": settled.iter().map(|(e, rec)| {
                    let mut v = entry_json(e);
                    v["record"] = rec.clone().unwrap_or(Value::Null);
                    v
                }).collect::<Vec<_>>(),
            }),
        );
    } else {
        out(&format!("journal: {shown}"));
        if settled.is_empty() {
            out("nothing to recover");
        }
        for (e, _) in &settled {
            let mut line = format!("{} {}: {}", e.api, e.reference, meaning(e.state));
            if let Some(id) = &e.transaction_id {
                line.push_str(&format!(" (top-up {id})"));
            }
            if e.state == SendState::NotSent {
                line.push_str(": selling it again with the same reference is safe");
            }
            if e.state.is_open() {
                line.push_str(": do not send it again by other means; run recover again later");
            }
            out(&line);
        }
        if still_open > 0 {
            out(&format!(
                "{still_open} send(s) still open (outcome unknown, or being sent by a running process)"
            ));
        }
    }
    if other_open > 0 && !ctx.json {
        warn(&format!(
            "{other_open} open {other} send(s) too: run `clickairtime recover{}`",
            if ctx.v1 { "" } else { " --v1" }
        ));
    }
    Ok(code)
}
