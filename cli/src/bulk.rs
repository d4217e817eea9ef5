//! `bulk FILE.csv`: validated whole, then sent through core's bulk engine with the journal and the
//! client-side rate limiter; a progress bar (or plain lines), a report CSV and a summary.

use crate::args::BulkArgs;
use crate::output::{Failure, code, json_result, out, table, warn};
use crate::{ClientOpts, Ctx, interrupt, pace};
use clickairtime::bulk::{self, BulkApi, BulkOptions, BulkReport, BulkRow, RowOutcome, RowResult};
use clickairtime::{Journal, JournalEntry, RateLimitPolicy, SendOrigin, SendState};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `pay.csv` → `pay.report.csv`, next to the input.
pub(crate) fn default_report(file: &Path) -> PathBuf {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bulk".into());
    let stem = if name.to_ascii_lowercase().ends_with(".csv") {
        &name[..name.len() - 4]
    } else {
        &name
    };
    file.with_file_name(format!("{stem}.report.csv"))
}

fn sale(r: &BulkRow) -> String {
    match (&r.amount, &r.product) {
        (Some(a), _) => format!("{a} {}", r.currency.as_deref().unwrap_or(""))
            .trim()
            .to_owned(),
        (None, Some(p)) => format!("product {p}"),
        _ => String::new(),
    }
}

fn totals_json(t: &BTreeMap<String, clickairtime::money::Decimal>) -> Value {
    Value::Object(
        t.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.to_string())))
            .collect(),
    )
}

fn totals_text(t: &BTreeMap<String, clickairtime::money::Decimal>) -> String {
    if t.is_empty() {
        return "nothing".into();
    }
    t.iter()
        .map(|(k, v)| {
            if k.starts_with("product ") {
                format!("{v} x {k}")
            } else if k == "(local)" {
                format!("{v} (each in its recipient's local currency)")
            } else {
                format!("{v} {k}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn api_name(api: BulkApi) -> &'static str {
    match api {
        BulkApi::V1 => "v1",
        BulkApi::V2 => "v2",
    }
}

/// One row's end, in words that are true for it.
fn row_words(r: &RowResult) -> String {
    let err = || {
        format!(
            "{}: {}",
            r.error_kind.map(|k| k.as_str()).unwrap_or("ERROR"),
            r.error.as_deref().unwrap_or("")
        )
    };
    match r.outcome {
        RowOutcome::Sent => {
            let how = match r.origin {
                Some(SendOrigin::Journal) => "already sent (journal), not sent again",
                Some(SendOrigin::Recovered) => "sent (answer lost; found and verified)",
                Some(SendOrigin::Replayed) => "already sent (the API returned its record)",
                _ => "sent",
            };
            format!(
                "{how}: {} {}",
                r.transaction_id.as_deref().unwrap_or(""),
                r.status.as_deref().unwrap_or("")
            )
            .trim_end()
            .to_owned()
        }
        RowOutcome::NotSent => format!("not sent: {}", err()),
        RowOutcome::Refused => format!("refused for another sale: {}", err()),
        RowOutcome::Unknown => format!(
            "OUTCOME UNKNOWN (may have been sent; do not pay it again, rerun to settle): {}",
            err()
        ),
        RowOutcome::Skipped => "skipped (stopped before its turn)".into(),
    }
}

fn bad_rows(file: &Path, errs: &[bulk::RowError]) -> Failure {
    let mut msg = format!(
        "{}: {} bad row(s), nothing was sent:",
        file.display(),
        errs.len()
    );
    for e in errs {
        msg.push_str(&format!("\n  {e}"));
    }
    Failure::usage(msg).with(
        "errors",
        errs.iter()
            .map(|e| json!({"line": e.line, "field": e.field, "message": e.message}))
            .collect::<Vec<_>>(),
    )
}

/// The journal's entries for these rows, when the journal file exists (for `--dry-run`, without
/// credentials).
fn journal_entries(ctx: &Ctx, api: BulkApi, rows: &[BulkRow]) -> Option<Vec<Option<JournalEntry>>> {
    let path = ctx.s.journal.as_ref()?;
    if !path.exists() {
        return None;
    }
    let j = Journal::open(path).ok()?;
    Some(
        rows.iter()
            .map(|r| j.get(api_name(api), &r.reference).ok().flatten())
            .collect(),
    )
}

fn dry_run(ctx: &Ctx, a: &BulkArgs, api: BulkApi, rows: &[BulkRow]) -> Result<i32, Failure> {
    let totals = bulk::totals(rows);
    let entries = journal_entries(ctx, api, rows);
    let state_of = |i: usize| -> Option<SendState> {
        entries
            .as_ref()
            .and_then(|e| e[i].as_ref().map(|e| e.state))
    };
    let already = (0..rows.len())
        .filter(|i| state_of(*i) == Some(SendState::Sent))
        .count();
    let open = (0..rows.len())
        .filter(|i| state_of(*i).is_some_and(|s| s.is_open()))
        .count();
    if ctx.json {
        json_result(
            code::OK,
            json!({
                "dry_run": true,
                "file": a.file.display().to_string(),
                "api": api_name(api),
                "count": rows.len(),
                "totals": totals_json(&totals),
                "already_sent": already,
                "open_in_journal": open,
                "rows": rows.iter().enumerate().map(|(i, r)| json!({
                    "line": r.line,
                    "reference": r.reference,
                    "phone": r.phone,
                    "amount": r.amount.map(|a| a.to_string()),
                    "currency": r.currency,
                    "product": r.product,
                    "network_id": r.network_id,
                    "sms": r.sms,
                    "metadata": r.metadata,
                    "journal_state": state_of(i).map(|s| s.as_str()),
                })).collect::<Vec<_>>(),
            }),
        );
        return Ok(code::OK);
    }
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                r.line.to_string(),
                r.reference.clone(),
                r.phone.clone(),
                sale(r),
                r.network_id
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "lookup".into()),
                match state_of(i) {
                    Some(SendState::Sent) => "sent already: skipped".into(),
                    Some(s) if s.is_open() => format!("{s}: settled first"),
                    Some(s) => format!("{s}: would send"),
                    None => "would send".into(),
                },
            ]
        })
        .collect();
    out(&table(
        &["line", "reference", "phone", "sale", "network", "plan"],
        &table_rows,
    ));
    out(&format!(
        "{}: {} valid row(s); dry run, nothing was sent",
        a.file.display(),
        rows.len()
    ));
    out(&format!("total: {}", totals_text(&totals)));
    if already > 0 || open > 0 {
        out(&format!(
            "journal: {already} row(s) already sent (not sent again), {open} open (looked up before anything is written)"
        ));
    }
    Ok(code::OK)
}

#[derive(Default)]
struct Tally {
    sent: usize,
    already: usize,
    not_sent: usize,
    refused: usize,
    unknown: usize,
}

pub(crate) fn bulk(ctx: &Ctx, a: &BulkArgs) -> Result<i32, Failure> {
    let api = if ctx.v1 { BulkApi::V1 } else { BulkApi::V2 };
    let data = std::fs::read(&a.file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", a.file.display())))?;
    let source = a.file.to_string_lossy().into_owned();
    let mut rows = bulk::parse_csv(api, &source, &data).map_err(|errs| bad_rows(&a.file, &errs))?;
    if a.dry_run {
        return dry_run(ctx, a, api, &rows);
    }
    let report_path = a.report.clone().unwrap_or_else(|| default_report(&a.file));
    let policy = RateLimitPolicy {
        per_minute: a
            .rate_per_minute
            .unwrap_or(RateLimitPolicy::DOCUMENTED.per_minute),
        per_hour: a
            .rate_per_hour
            .unwrap_or(RateLimitPolicy::DOCUMENTED.per_hour),
    };
    let copts = ClientOpts {
        journal: true,
        rate: Some(policy),
        rate_window: a.rate_window_ms.map(Duration::from_millis),
    };
    enum Either {
        V1(clickairtime::v1::Client),
        V2(clickairtime::v2::Client),
    }
    let client = if ctx.v1 {
        Either::V1(ctx.v1_client(copts)?)
    } else {
        Either::V2(ctx.v2_client(copts)?)
    };
    let journal_path = ctx.s.journal_path()?.display().to_string();
    // what an earlier run left
    let mut before_sent = 0;
    let mut before_open = 0;
    for r in rows.iter_mut() {
        let e = match &client {
            Either::V1(c) => c.journal_entry(&r.reference),
            Either::V2(c) => c.journal_entry(&r.reference),
        }
        .map_err(|e| Failure::read(&e))?;
        // a row the journal already holds keeps the network it was sent to: no lookup (and its rate-limit
        // slot) on a rerun, and the same sale even if the number was ported since
        if r.network_id.is_none()
            && let Some(n) = e.as_ref().and_then(|e| {
                serde_json::from_str::<Value>(&e.request)
                    .ok()
                    .and_then(|v| v["network_id"].as_i64())
            })
        {
            r.network_id = Some(n);
        }
        match e.map(|e| e.state) {
            Some(SendState::Sent) => before_sent += 1,
            Some(s) if s.is_open() => before_open += 1,
            _ => {}
        }
    }
    let total = rows.len();
    if !ctx.json {
        warn(&format!(
            "bulk {}: {total} row(s), {} in flight at most, rate limit {}/min and {}/h; journal {journal_path}; report {}",
            a.file.display(),
            a.concurrency,
            policy.per_minute,
            policy.per_hour,
            report_path.display()
        ));
        if before_sent > 0 || before_open > 0 {
            warn(&format!(
                "resuming: {before_sent} row(s) already sent (not sent again), {before_open} left open by an earlier run (looked up before anything is written)"
            ));
        }
        let to_send = total - before_sent;
        if to_send as u64 > u64::from(policy.per_minute) {
            let minutes =
                (to_send as f64 - f64::from(policy.per_minute)) / f64::from(policy.per_minute);
            warn(&format!(
                "at {}/min this takes at least {:.0} minute(s)",
                policy.per_minute,
                minutes.ceil()
            ));
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    let _guard = interrupt::on_interrupt(
        stop.clone(),
        Some(
            "stopping: no new rows are started; sends already under way settle first \
             (Ctrl-C again quits at once: they stay open in the journal and the next run settles them)"
                .into(),
        ),
        Some(
            "quitting now: sends under way stay open in the journal; run the same command again \
             (or `clickairtime recover`) to settle them — nothing is sent twice"
                .into(),
        ),
    );
    let opts = BulkOptions {
        concurrency: usize::from(a.concurrency),
        stop: stop.clone(),
    };
    let use_bar = !a.no_progress_bar && std::io::stderr().is_terminal();
    let bar = if use_bar {
        let b = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} {msg} {prefix}",
        ) {
            b.set_style(style);
        }
        b.enable_steady_tick(Duration::from_millis(200));
        Some(b)
    } else {
        None
    };
    let tally = Mutex::new(Tally::default());
    let progress = |r: &RowResult, done: usize, total: usize| {
        let mut t = tally.lock().unwrap_or_else(|p| p.into_inner());
        match r.outcome {
            RowOutcome::Sent => {
                t.sent += 1;
                if r.origin == Some(SendOrigin::Journal) {
                    t.already += 1;
                }
            }
            RowOutcome::NotSent => t.not_sent += 1,
            RowOutcome::Refused => t.refused += 1,
            RowOutcome::Unknown => t.unknown += 1,
            RowOutcome::Skipped => {}
        }
        let line = format!(
            "[{done}/{total}] line {} {}: {}",
            r.line,
            r.reference,
            row_words(r)
        );
        match &bar {
            Some(b) => {
                if r.outcome != RowOutcome::Sent {
                    b.println(&line);
                }
                b.inc(1);
                b.set_message(format!(
                    "sent {} not sent {} refused {} unknown {}",
                    t.sent, t.not_sent, t.refused, t.unknown
                ));
            }
            None => warn(&line),
        }
    };
    let finished = AtomicBool::new(false);
    let report: BulkReport = std::thread::scope(|s| {
        // rate-limit waits: a line (plain) or the bar; after Ctrl-C, what the rows already taken wait for
        let client = &client;
        let (finished, bar, stop) = (&finished, &bar, &stop);
        s.spawn(move || {
            let slot_in = || match client {
                Either::V1(c) => c.next_request_slot_in(),
                Either::V2(c) => c.next_request_slot_in(),
            };
            pace::watch(
                slot_in,
                policy.per_minute,
                policy.per_hour,
                bar.as_ref(),
                stop,
                finished,
            );
        });
        let r = match client {
            Either::V1(c) => bulk::run_v1(c, &rows, &opts, &progress),
            Either::V2(c) => bulk::run_v2(c, &rows, &opts, &progress),
        };
        finished.store(true, Ordering::SeqCst);
        r
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let stopped = stop.load(Ordering::SeqCst);
    let written = write_report(&report_path, &report.to_csv());
    let count = |o| report.count(o);
    let (sent, not_sent, refused, unknown, skipped) = (
        count(RowOutcome::Sent),
        count(RowOutcome::NotSent),
        count(RowOutcome::Refused),
        count(RowOutcome::Unknown),
        count(RowOutcome::Skipped),
    );
    let already = report
        .rows
        .iter()
        .filter(|r| r.outcome == RowOutcome::Sent && r.origin == Some(SendOrigin::Journal))
        .count();
    let by_line: BTreeMap<usize, &BulkRow> = rows.iter().map(|r| (r.line, r)).collect();
    let sent_rows: Vec<BulkRow> = report
        .rows
        .iter()
        .filter(|r| r.outcome == RowOutcome::Sent)
        .filter_map(|r| by_line.get(&r.line).map(|b| (*b).clone()))
        .collect();
    let sent_totals = bulk::totals(&sent_rows);
    let all_sent = sent == total;
    let mut code = if all_sent {
        code::OK
    } else {
        code::BULK_INCOMPLETE
    };
    if let Err(e) = &written
        && all_sent
    {
        // every row is sent, but the report is missing: say so with a failure code
        warn(&format!(
            "clickairtime: the report could not be written to {}: {e}",
            report_path.display()
        ));
        code = code::NOT_SENT;
    }
    if ctx.json {
        let problems: Vec<Value> = report
            .rows
            .iter()
            .filter(|r| r.outcome != RowOutcome::Sent)
            .map(|r| {
                json!({
                    "line": r.line,
                    "reference": r.reference,
                    "outcome": r.outcome.as_str(),
                    "transaction_id": r.transaction_id,
                    "error_kind": r.error_kind.map(|k| k.as_str()),
                    "error": r.error,
                })
            })
            .collect();
        json_result(
            code,
            json!({
                "file": a.file.display().to_string(),
                "api": api_name(api),
                "report": report_path.display().to_string(),
                "report_written": written.is_ok(),
                "journal": journal_path,
                "rows": total,
                "sent": sent,
                "already_sent": already,
                "not_sent": not_sent,
                "refused": refused,
                "unknown": unknown,
                "skipped": skipped,
                "stopped": stopped,
                "sent_totals": totals_json(&sent_totals),
                "rate_limit": {"per_minute": policy.per_minute, "per_hour": policy.per_hour},
                "concurrency": a.concurrency,
                "problems": problems,
            }),
        );
        return Ok(code);
    }
    out(&format!("bulk {}: {total} row(s)", a.file.display()));
    out(&format!(
        "  sent      {sent:>6}{}",
        if already > 0 {
            format!("  ({already} already sent on an earlier run, not sent again)")
        } else {
            String::new()
        }
    ));
    out(&format!(
        "  not sent  {not_sent:>6}{}",
        if not_sent > 0 {
            "  (definitely not sent: fix the cause and run the same command again)"
        } else {
            ""
        }
    ));
    out(&format!(
        "  refused   {refused:>6}{}",
        if refused > 0 {
            "  (the API holds another sale for these: see the report)"
        } else {
            ""
        }
    ));
    out(&format!(
        "  unknown   {unknown:>6}{}",
        if unknown > 0 {
            "  (MAY HAVE BEEN SENT: do not pay them again by other means; run the same command again or `clickairtime recover` to settle them)"
        } else {
            ""
        }
    ));
    out(&format!(
        "  skipped   {skipped:>6}{}",
        if skipped > 0 {
            "  (stopped before their turn: run the same command again to send them)"
        } else {
            ""
        }
    ));
    out(&format!("sent: {}", totals_text(&sent_totals)));
    match &written {
        Ok(()) => out(&format!("report: {}", report_path.display())),
        Err(e) => out(&format!(
            "report NOT written to {}: {e} (the journal holds every outcome: run the same command again to write it)",
            report_path.display()
        )),
    }
    if stopped {
        out("stopped by Ctrl-C: run the same command again to continue; nothing is sent twice");
    }
    Ok(code)
}

/// Write the report whole or not at all (a temporary file, then a rename).
fn write_report(path: &Path, csv: &str) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, csv)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_names() {
        assert_eq!(
            default_report(Path::new("/x/pay.csv")),
            PathBuf::from("/x/pay.report.csv")
        );
        assert_eq!(
            default_report(Path::new("pay.CSV")),
            PathBuf::from("pay.report.csv")
        );
        assert_eq!(
            default_report(Path::new("pay")),
            PathBuf::from("pay.report.csv")
        );
    }
}
