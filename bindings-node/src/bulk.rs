//! Bulk payouts as a library call: `client.bulk(input, { concurrency, onProgress, report, name, signal })` and
//! its blocking twin `bulkSync`, for V2 and V1. Everything is the core's (`clickairtime::bulk`): the CSV format,
//! the whole-file validation, the derived references, the sends (through the client's journal and rate limit,
//! `concurrency` in flight), the outcomes and the report's CSV. This module only turns the input (a path, the
//! CSV bytes, or an array of row objects, written as CSV for the core's parser) and the results into JS.
//!
//! The asynchronous form runs the whole run on one of the SDK's threads (the core's send workers are threads of
//! its own); progress, the end and a failure all travel through ONE threadsafe function to the JS entry point's
//! dispatcher (`clickairtime.js`), non-blocking and in order, so every `onProgress` call is delivered before the
//! Promise settles, with `done` counting 1, 2, … up to `total`. The stop flag is the call's [`CancelToken`]
//! (the JS side cancels it when the `signal` aborts or `onProgress` throws): the core stops taking new rows,
//! and sends already under way settle (`CANCELLED` before their first write: `skipped`, nothing sent).

use crate::args::{ArgResult, FromJs, RawBody, bad, from_js, shown, top};
use crate::{CancelToken, ErrorInfo, Out};
use clickairtime::ErrorKind;
use clickairtime::bulk::{
    self as core, BulkApi, BulkReport as CoreReport, BulkRow, RowError, RowOutcome, RowResult,
};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, JsValue, ValueType};
use napi_derive::napi;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

// ---------------------------------------------------------------- JS shapes

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
from_js!(BulkOptions {
    concurrency,
    report,
    name
});

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

fn row_result(r: &RowResult) -> BulkRowResult {
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

fn report_of(r: &CoreReport, stopped: bool) -> BulkReport {
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
    report: BulkReport,
    csv: String,
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

// ---------------------------------------------------------------- the input

/// Where the rows come from.
pub(crate) enum Source {
    /// A CSV file (read when the run starts, on the SDK's threads for `bulk`).
    Path(String),
    /// CSV bytes: given as a Buffer, or written from an array of rows (`array`).
    Csv {
        data: Vec<u8>,
        array: bool,
        /// Some row has no reference (one is derived from the batch's name: `name` is then required).
        missing_refs: bool,
    },
}

/// The column a row object's key fills: the core's aliases, in any case and with or without `_` (`phone`,
/// `phoneNumber`, `msisdn` → `phone`; `productId` → `product`; `extRefId` → `reference`; `networkId` →
/// `network_id`), so rows may mix spellings. Other keys are used as they are (V2 metadata).
fn column_of(key: &str) -> String {
    let folded: String = key
        .chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    match folded.as_str() {
        "phone" | "phonenumber" | "msisdn" => "phone",
        "amount" => "amount",
        "currency" => "currency",
        "product" | "productid" => "product",
        "reference" | "extrefid" => "reference",
        "networkid" | "network" => "network_id",
        "sms" => "sms",
        _ => return key.to_owned(),
    }
    .to_owned()
}

/// One cell from a JS value: text as is, a number in its shortest form, a boolean as `true`/`false`,
/// `null`/`undefined` empty.
fn cell(v: Unknown<'_>, field: &str) -> ArgResult<String> {
    match v.get_type().unwrap_or(ValueType::Unknown) {
        ValueType::Undefined | ValueType::Null => Ok(String::new()),
        ValueType::String => String::from_js(v, field),
        ValueType::Boolean => bool::from_js(v, field).map(|b| b.to_string()),
        ValueType::Number => {
            let n = f64::from_js(v, field)?;
            if !n.is_finite() {
                return Err(bad(field, format!("must be a finite number (got {n})")));
            }
            Ok(n.to_string())
        }
        _ => Err(bad(
            field,
            format!(
                "must be a string, a number or a boolean (got {})",
                shown(&v)
            ),
        )),
    }
}

/// The `sms` cell: V2 takes the SMS text; V1 `true` (the default SMS) or `false`. A boolean never becomes the
/// text `"false"` (the core reads any V1 value as "send the SMS", any V2 value as its text).
fn sms_cell(api: BulkApi, v: Unknown<'_>, field: &str) -> ArgResult<String> {
    match (api, v.get_type().unwrap_or(ValueType::Unknown)) {
        (_, ValueType::Undefined | ValueType::Null) => Ok(String::new()),
        (BulkApi::V1, ValueType::Boolean) => Ok(if bool::from_js(v, field)? {
            "true".into()
        } else {
            String::new()
        }),
        (BulkApi::V1, _) => Err(bad(
            field,
            format!("must be true or false (got {})", shown(&v)),
        )),
        (BulkApi::V2, ValueType::String) => String::from_js(v, field),
        (BulkApi::V2, _) => Err(bad(
            field,
            format!("must be the text of the SMS (got {})", shown(&v)),
        )),
    }
}

/// An array of row objects, written as CSV (header: every column, in first-seen order).
fn rows_to_csv(api: BulkApi, v: Unknown<'_>) -> ArgResult<Source> {
    let arr: Object<'_> = unsafe { v.cast() }.map_err(|_| bad("rows", "cannot be read"))?;
    let len = arr
        .get_array_length()
        .map_err(|e| bad("rows", format!("cannot be read ({})", e.reason)))?;
    if len == 0 {
        return Err(bad("rows", "is empty: give at least one row"));
    }
    let mut header: Vec<String> = Vec::new();
    let mut records: Vec<Vec<(usize, String)>> = Vec::with_capacity(len as usize);
    let mut missing_refs = false;
    for i in 0..len {
        let name = format!("rows[{i}]");
        let e: Unknown<'_> = arr
            .get_element(i)
            .map_err(|e| bad(&name, format!("cannot be read ({})", e.reason)))?;
        let obj = crate::args::object(e, &name)?;
        let keys =
            Object::keys(&obj).map_err(|e| bad(&name, format!("cannot be read ({})", e.reason)))?;
        let mut rec: Vec<(usize, String)> = Vec::with_capacity(keys.len());
        let mut has_ref = false;
        for key in keys {
            let field = format!("{name}.{key}");
            let value: Unknown<'_> = obj
                .get_named_property(&key)
                .map_err(|e| bad(&field, format!("cannot be read ({})", e.reason)))?;
            let col = column_of(&key);
            let text = if col == "sms" {
                sms_cell(api, value, &field)?
            } else {
                cell(value, &field)?
            };
            let c = match header.iter().position(|h| *h == col) {
                Some(c) => c,
                None => {
                    header.push(col.clone());
                    header.len() - 1
                }
            };
            if rec.iter().any(|(k, _)| *k == c) {
                return Err(bad(
                    &field,
                    format!("names the same column as another key of this row ({col})"),
                ));
            }
            if col == "reference" && !text.trim().is_empty() {
                has_ref = true;
            }
            rec.push((c, text));
        }
        missing_refs |= !has_ref;
        records.push(rec);
    }
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let io = |e: csv::Error| bad("rows", format!("cannot be written as CSV ({e})"));
    w.write_record(&header).map_err(io)?;
    for rec in records {
        let mut line = vec![String::new(); header.len()];
        for (c, text) in rec {
            line[c] = text;
        }
        w.write_record(&line).map_err(io)?;
    }
    let data = w
        .into_inner()
        .map_err(|e| bad("rows", format!("cannot be written as CSV ({e})")))?;
    Ok(Source::Csv {
        data,
        array: true,
        missing_refs,
    })
}

/// The first argument: a path, the CSV bytes, or an array of rows.
pub(crate) fn source(api: BulkApi, v: Unknown<'_>) -> ArgResult<Source> {
    let what = "a CSV file's path, the CSV itself (a Buffer), or an array of rows (objects)";
    match v.get_type().unwrap_or(ValueType::Unknown) {
        ValueType::String => {
            let p = String::from_js(v, "input")?;
            if p.is_empty() {
                return Err(bad("input", "must not be empty (a CSV file's path)"));
            }
            Ok(Source::Path(p))
        }
        ValueType::Object if v.is_array().unwrap_or(false) => rows_to_csv(api, v),
        ValueType::Object
            if v.is_buffer().unwrap_or(false) || v.is_typedarray().unwrap_or(false) =>
        {
            let body = RawBody::from_js(v, "input")?;
            Ok(Source::Csv {
                data: body.0,
                array: false,
                missing_refs: true,
            })
        }
        ValueType::Undefined | ValueType::Null => {
            Err(bad("input", format!("is required ({what})")))
        }
        _ => Err(bad("input", format!("must be {what} (got {})", shown(&v)))),
    }
}

/// Everything a run needs, checked on the JS thread.
pub(crate) struct Plan {
    source: Source,
    name: Option<String>,
    concurrency: usize,
    report: Option<String>,
}

pub(crate) fn plan(
    api: BulkApi,
    input: Unknown<'_>,
    options: Option<BulkOptions>,
) -> ArgResult<Plan> {
    let source = source(api, input)?;
    let o = options.unwrap_or(BulkOptions {
        concurrency: None,
        report: None,
        name: None,
    });
    let concurrency = o.concurrency.unwrap_or(4);
    if !(1..=64).contains(&concurrency) {
        return Err(bad(
            "concurrency",
            format!("must be from 1 to 64 (got {concurrency})"),
        ));
    }
    if let Some(n) = &o.name
        && n.trim().is_empty()
    {
        return Err(bad("name", "must not be empty"));
    }
    if let Some(r) = &o.report
        && r.is_empty()
    {
        return Err(bad("report", "must not be empty (a file path)"));
    }
    if let Source::Csv {
        array,
        missing_refs: true,
        ..
    } = &source
        && o.name.is_none()
    {
        return Err(bad(
            "name",
            if *array {
                "is required when a row has no reference: the references of such rows are derived from the batch's name (e.g. 'bonus-2026-05'), its line and its sale, so that a rerun maps to the same sales"
            } else {
                "is required for CSV given as a Buffer: the references of rows without one are derived from the batch's name (e.g. 'bonus-2026-05.csv'), so that a rerun maps to the same sales"
            },
        ));
    }
    Ok(Plan {
        source,
        name: o.name,
        concurrency: concurrency as usize,
        report: o.report,
    })
}

/// `onProgress(result, done, total)` as `bulkSync` calls it.
type OnProgress<'a> = Function<'a, FnArgs<(BulkRowResult, u32, u32)>, Unknown<'a>>;

/// The options object of `bulkSync`, with its `onProgress` function; a `signal` is a mistake there.
pub(crate) fn sync_options<'a>(
    v: Unknown<'a>,
) -> ArgResult<(Option<BulkOptions>, Option<OnProgress<'a>>)> {
    if v.get_type().unwrap_or(ValueType::Unknown) != ValueType::Object
        || v.is_array().unwrap_or(false)
    {
        return Ok((top(v, "options")?, None));
    }
    let obj: Object<'a> = unsafe { v.cast() }.map_err(|_| bad("options", "cannot be read"))?;
    if obj.has_named_property("signal").unwrap_or(false) {
        let s: Unknown<'_> = obj
            .get_named_property("signal")
            .map_err(|_| bad("signal", "cannot be read"))?;
        if !matches!(s.get_type(), Ok(ValueType::Undefined | ValueType::Null)) {
            return Err(bad(
                "signal",
                "bulkSync cannot be cancelled (it blocks the thread, so nothing could abort it): use bulk(input, { signal })",
            ));
        }
    }
    let p: Unknown<'a> = obj
        .get_named_property("onProgress")
        .map_err(|_| bad("onProgress", "cannot be read"))?;
    let f = match p.get_type().unwrap_or(ValueType::Unknown) {
        ValueType::Undefined | ValueType::Null => None,
        ValueType::Function => {
            Some(unsafe { p.cast() }.map_err(|_| bad("onProgress", "cannot be read"))?)
        }
        _ => {
            return Err(bad(
                "onProgress",
                format!(
                    "must be a function (result, done, total) (got {})",
                    shown(&p)
                ),
            ));
        }
    };
    Ok((top(v, "options")?, f))
}

// ---------------------------------------------------------------- the run

/// The client a run sends through.
#[derive(Clone)]
pub(crate) enum Client {
    V2(clickairtime::v2::Client),
    V1(clickairtime::v1::Client),
}

impl Client {
    fn api(&self) -> BulkApi {
        match self {
            Client::V2(_) => BulkApi::V2,
            Client::V1(_) => BulkApi::V1,
        }
    }
}

fn rows_invalid(errs: &[RowError], array: bool) -> Box<ErrorInfo> {
    let show = |e: &RowError| {
        if !array {
            e.to_string()
        } else if e.line < 2 {
            format!("rows: {}", e.message)
        } else {
            format!("rows[{}]: {}: {}", e.line - 2, e.field, e.message)
        }
    };
    let shown: Vec<String> = errs.iter().take(50).map(show).collect();
    let mut message = format!(
        "invalid input: {} bad row(s), nothing was sent:\n{}",
        errs.len(),
        shown.join("\n")
    );
    let more = errs.len().saturating_sub(50);
    if more > 0 {
        message.push_str(&format!("\n… and {more} more"));
    }
    Box::new(ErrorInfo {
        code: ErrorKind::InvalidInput.as_str().to_owned(),
        message,
        field: errs.first().map(|e| e.field.clone()),
        row_errors: Some(
            errs.iter()
                .map(|e| BulkRowError {
                    line: e.line as u32,
                    index: (e.line >= 2).then(|| (e.line - 2) as u32),
                    field: e.field.clone(),
                    message: e.message.clone(),
                })
                .collect(),
        ),
        ..Default::default()
    })
}

/// Read and validate the whole input, and open the report file: nothing is sent unless all of it is good.
fn load(api: BulkApi, plan: &Plan) -> Out<(Vec<BulkRow>, Option<std::fs::File>)> {
    let (name, data, array) = match &plan.source {
        Source::Path(p) => {
            let data = std::fs::read(p)
                .map_err(|e| bad("input", format!("cannot read the CSV file {p:?}: {e}")))?;
            (plan.name.clone().unwrap_or_else(|| p.clone()), data, false)
        }
        Source::Csv { data, array, .. } => {
            (plan.name.clone().unwrap_or_default(), data.clone(), *array)
        }
    };
    let rows = core::parse_csv(api, &name, &data).map_err(|errs| rows_invalid(&errs, array))?;
    if let (Source::Path(input), Some(report)) = (&plan.source, &plan.report) {
        let same = match (std::fs::canonicalize(input), std::fs::canonicalize(report)) {
            (Ok(a), Ok(b)) => a == b,
            _ => input == report,
        };
        if same {
            return Err(bad(
                "report",
                "is the input file itself: give the report another path",
            ));
        }
    }
    let file = match &plan.report {
        None => None,
        Some(p) => Some(
            std::fs::File::create(p)
                .map_err(|e| bad("report", format!("cannot write the report file {p:?}: {e}")))?,
        ),
    };
    Ok((rows, file))
}

/// Load, send every row, write the report: the whole run, on the calling thread (the core's workers send).
/// `progress` gets each result with `done` counting up in the order it is called.
fn execute(
    client: &Client,
    plan: &Plan,
    stop: &Arc<AtomicBool>,
    progress: &(dyn Fn(BulkRowResult, u32, u32) + Sync),
) -> Out<Finished> {
    let (rows, file) = load(client.api(), plan)?;
    let opts = core::BulkOptions {
        concurrency: plan.concurrency,
        stop: Arc::clone(stop),
    };
    // the core counts `done` before it reports, on several threads: count again under one lock, so the
    // results reach JS in the order of `done`
    let done = Mutex::new(0u32);
    let each = |r: &RowResult, _: usize, total: usize| {
        let mut n = done.lock().unwrap_or_else(|p| p.into_inner());
        *n += 1;
        progress(row_result(r), *n, total as u32);
    };
    let report = match client {
        Client::V2(c) => core::run_v2(c, &rows, &opts, &each),
        Client::V1(c) => core::run_v1(c, &rows, &opts, &each),
    };
    let csv = report.to_csv();
    if let Some(mut f) = file
        && let Err(e) = f.write_all(csv.as_bytes()).and_then(|()| f.flush())
    {
        return Err(bad(
            "report",
            format!(
                "the run ended ({} of {} rows sent) but its report could not be written: {e}. Every row's outcome is in the journal: run again with the same journal to get the report (nothing is sent twice)",
                report.count(RowOutcome::Sent),
                report.rows.len()
            ),
        ));
    }
    Ok(Finished {
        report: report_of(&report, stop.load(Ordering::SeqCst)),
        csv,
    })
}

/// A panic outside a row's send (the core catches those): some rows may have been sent.
fn panicked() -> ErrorInfo {
    ErrorInfo {
        code: ErrorKind::OutcomeUnknown.as_str().to_owned(),
        message: "outcome unknown: internal error: the bulk run panicked; rows under way may have been sent. Do not send them again by other means: recover(), or run the same input again with the same journal (nothing is sent twice)".to_owned(),
        cause_kind: Some(ErrorKind::Api.as_str().to_owned()),
        ..Default::default()
    }
}

type Emit = ThreadsafeFunction<Event, (), Event, Status, false>;

/// `client.bulk(…)` (internal form, called by the JS entry point with the stop token and its dispatcher):
/// check the arguments here, then run on one of the SDK's threads, every event through `emit`.
pub(crate) fn start(
    env: &Env,
    client: Client,
    input: Unknown,
    options: Unknown,
    token: &ClassInstance<CancelToken>,
    emit: Function<Event, ()>,
) -> Result<()> {
    let plan = crate::sync(env, || {
        let o: Option<BulkOptions> = top(options, "options")?;
        plan(client.api(), input, o)
    })?;
    let stop = Arc::clone(&token.flag);
    let emit: Emit = emit
        .build_threadsafe_function::<Event>()
        .callee_handled::<false>()
        .build()?;
    crate::pool::submit(move || {
        let send = |e: Event| {
            emit.call(e, ThreadsafeFunctionCallMode::NonBlocking);
        };
        let run = std::panic::AssertUnwindSafe(|| {
            execute(&client, &plan, &stop, &|r, done, total| {
                send(Event::Progress(r, done, total))
            })
        });
        match std::panic::catch_unwind(run) {
            Ok(Ok(f)) => send(Event::End(f)),
            Ok(Err(e)) => send(Event::Failed(*e)),
            Err(_) => send(Event::Failed(panicked())),
        }
        drop(emit);
    });
    Ok(())
}

/// `client.bulkSync(…)`: the run on a thread of its own while this (the JS) thread calls `onProgress` with
/// each result, in order; an exception from `onProgress` stops the run (sends under way settle), then is
/// rethrown.
pub(crate) fn run_sync(
    env: &Env,
    client: Client,
    input: Unknown,
    options: Unknown,
) -> Result<Finished> {
    let (plan, on_progress) = crate::sync(env, || {
        let (o, f) = sync_options(options)?;
        Ok((plan(client.api(), input, o)?, f))
    })?;
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = std::sync::mpsc::channel::<(BulkRowResult, u32, u32)>();
    let mut thrown: Option<napi::Error> = None;
    let out = std::thread::scope(|s| {
        let worker = s.spawn(|| {
            let tx = tx;
            let run = std::panic::AssertUnwindSafe(|| {
                execute(&client, &plan, &stop, &|r, done, total| {
                    let _ = tx.send((r, done, total));
                })
            });
            std::panic::catch_unwind(run).unwrap_or_else(|_| Err(Box::new(panicked())))
        });
        for (r, done, total) in rx {
            if thrown.is_some() {
                continue;
            }
            if let Some(f) = &on_progress
                && let Err(e) = f.call(FnArgs::from((r, done, total)))
            {
                stop.store(true, Ordering::SeqCst);
                thrown = Some(e);
            }
        }
        worker.join().unwrap_or_else(|_| Err(Box::new(panicked())))
    });
    if let Some(e) = thrown {
        return Err(e);
    }
    out.map_err(|e| crate::js_error(env, *e))
}
