//! What a bulk run looks like from JS: its options, each row's result, the report, and the events a run sends
//! to the JS dispatcher.

use crate::ErrorInfo;
use crate::args::from_js;
use clickairtime::bulk::{BulkReport as CoreReport, RowOutcome, RowResult};
use napi::bindgen_prelude::*;
use napi::{Env, JsValue, ValueType};
use napi_derive::napi;

/// Options of `client.bulk(input, options)` and `bulkSync`; with `onProgress(result, done, total)`, and for
/// `bulk` a `signal` (`CallOptions`).
#[napi(object, object_from_js = false)]
pub struct BulkOptions {
    /// Sends in flight at once, 1–64. Default 4. The client's `rateLimit` paces them all.
    pub concurrency: Option<u32>,
    /// Write the report's CSV (`toCsv()`) to this file when the run ends. It is created (emptied) before
    /// anything is sent, so a path that cannot be written is `INVALID_INPUT` (field `report`) up front.
    pub report: Option<String>,
    /// The batch's name, from which the reference of a row without one is derived (with the row's line and
    /// sale), so a rerun maps every row to the same sale. Default for a file: its name (without folders).
    /// Required for a Buffer, and for an array with a row that has no `reference`.
    pub name: Option<String>,
}
// `onProgress` and `signal`: read by the JS entry point (`bulk`) or by `bulkSync` itself (`input::sync_options`)
from_js!(BulkOptions {
    concurrency,
    report,
    name
} also ["onProgress", "signal"]);

/// How one row ended, as the report has it (`report.rows`, and each `onProgress` call).
#[napi(object)]
#[derive(Clone, Debug)]
pub struct BulkRowResult {
    /// Line in the CSV (the header is line 1); for an array, `index + 2`.
    pub line: u32,
    /// Position of the row among the input's rows, from 0 (for an array: its index).
    pub index: u32,
    /// The sale's reference (given, or derived from the batch's name, the line and the sale).
    pub reference: String,
    /// `sent` (verified: now, or earlier per `origin`), `not_sent` (definitely not: selling it again with the
    /// same reference is safe), `refused` (the API holds another sale: `id` names it), `unknown` (may have been
    /// received: do NOT send it again; `recover()` or run again later), `skipped` (stopped before its turn).
    #[napi(ts_type = "BulkOutcome")]
    pub outcome: String,
    /// For a sent row: how its record was obtained (`journal` on a rerun: nothing was written).
    #[napi(ts_type = "SendOrigin")]
    pub origin: Option<String>,
    /// Transaction id: the sale's (sent), or the other sale's (refused).
    pub id: Option<String>,
    /// Status of the record (V2 `pending` … `completed`; V1 `PENDING` … `SUCCESS`).
    pub status: Option<String>,
    /// Amount delivered (or asked), with its currency: `"50.00 GHS"`.
    pub amount: Option<String>,
    /// Cost charged (V2 `cost`, V1 `effectiveAmount`), with its currency.
    pub cost: Option<String>,
    /// The error's code, for a row that was not sent.
    #[napi(ts_type = "ErrorCode")]
    pub error_code: Option<String>,
    /// The error's message.
    pub error: Option<String>,
}

/// Rows per outcome.
#[napi(object)]
#[derive(Clone, Debug)]
pub struct BulkCounts {
    /// Every row of the input.
    pub total: u32,
    /// Verified sent (now or earlier).
    pub sent: u32,
    /// Definitely not sent.
    pub not_sent: u32,
    /// Refused for another sale.
    pub refused: u32,
    /// Outcome unknown: do not send again; `recover()` / run again later.
    pub unknown: u32,
    /// Not attempted (the run was stopped).
    pub skipped: u32,
}

/// What a bulk run did, row by row in input order. `toCsv()` gives the core's report CSV (`row, reference,
/// outcome, origin, id, status, amount, cost, error_kind, error`).
#[napi(object)]
#[derive(Clone, Debug)]
pub struct BulkReport {
    /// One result per row, in input order.
    pub rows: Vec<BulkRowResult>,
    /// Rows per outcome.
    pub counts: BulkCounts,
    /// Whether the run was stopped (its `signal` aborted, or `onProgress` threw) before it ended; rows not
    /// started are `skipped`. Rerun with the same journal to finish: nothing is sent twice.
    pub stopped: bool,
}

/// One bad row of the input (`ClickAirtimeError.rowErrors`, `INVALID_INPUT`).
#[napi(object)]
#[derive(Clone, Debug)]
pub struct BulkRowError {
    /// Line in the CSV (1: the header).
    pub line: u32,
    /// Position of the row among the input's rows, from 0 (absent for the header).
    pub index: Option<u32>,
    /// The column (`phone`, `amount`, `currency`, `product`, `reference`, `network_id`; `header`, `row`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

pub(super) fn row_result(r: &RowResult) -> BulkRowResult {
    BulkRowResult {
        line: r.line as u32,
        index: r.line.saturating_sub(2) as u32,
        reference: r.reference.clone(),
        outcome: r.outcome.as_str().to_owned(),
        origin: r.origin.map(|o| o.as_str().to_owned()),
        id: r.transaction_id.clone(),
        status: r.status.clone(),
        amount: r.amount.clone(),
        cost: r.cost.clone(),
        error_code: r.error_kind.map(|k| k.as_str().to_owned()),
        error: r.error.clone(),
    }
}

pub(super) fn report_of(r: &CoreReport, stopped: bool) -> BulkReport {
    let n = |o| r.count(o) as u32;
    BulkReport {
        rows: r.rows.iter().map(row_result).collect(),
        counts: BulkCounts {
            total: r.rows.len() as u32,
            sent: n(RowOutcome::Sent),
            not_sent: n(RowOutcome::NotSent),
            refused: n(RowOutcome::Refused),
            unknown: n(RowOutcome::Unknown),
            skipped: n(RowOutcome::Skipped),
        },
        stopped,
    }
}

/// The end of a run as it reaches the JS entry point: the report, and its CSV (for `toCsv()`).
pub struct Finished {
    pub(super) report: BulkReport,
    pub(super) csv: String,
}

fn finished_object<'e>(env: &'e Env, f: Finished) -> Result<Object<'e>> {
    let mut o = Object::new(env)?;
    o.set_named_property("report", f.report)?;
    o.set_named_property("csv", f.csv)?;
    Ok(o)
}

impl ToNapiValue for Finished {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let env_ = Env::from_raw(env);
        Ok(finished_object(&env_, val)?.raw())
    }
}

impl TypeName for Finished {
    fn type_name() -> &'static str {
        "object"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

/// What the run tells the JS dispatcher, in order: progress events, then one end or one failure.
pub enum Event {
    Progress(BulkRowResult, u32, u32),
    End(Finished),
    Failed(ErrorInfo),
}

impl ToNapiValue for Event {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let env_ = Env::from_raw(env);
        let mut o = Object::new(&env_)?;
        match val {
            Event::Progress(result, done, total) => {
                o.set_named_property("type", "progress")?;
                o.set_named_property("result", result)?;
                o.set_named_property("done", done)?;
                o.set_named_property("total", total)?;
            }
            Event::End(f) => {
                o.set_named_property("type", "end")?;
                o.set_named_property("report", f.report)?;
                o.set_named_property("csv", f.csv)?;
            }
            Event::Failed(info) => {
                o.set_named_property("type", "error")?;
                o.set_named_property("error", info)?;
            }
        }
        Ok(o.raw())
    }
}
