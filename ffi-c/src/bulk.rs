//! Bulk payouts as a library call: `ca_v2_bulk_run` / `ca_v1_bulk_run`, their options, the report and its
//! rows. Everything is the core's (`clickairtime::bulk`): the CSV format, the whole-file validation, the
//! derived references, the sends (through the client's journal and rate limit, a bounded number in flight),
//! the outcomes and the report's CSV. This module converts, and delivers progress on the caller's thread.

use crate::cancel::ca_cancel;
use crate::fail::{Fail, ca_error};
use crate::guard::{
    self, Cached, StrCache, arg, arg_mut, arg_str, get_ref, get_str, get_val, into_handle, opt_arg,
    opt_str, out, owned_string, run,
};
use crate::result::{ca_result, result_of};
use crate::v1::ca_v1_client;
use crate::v2::ca_v2_client;
use sdk::bulk::{self as core, BulkApi, BulkOptions, BulkReport, BulkRow, RowOutcome, RowResult};
use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};

/// How one row of a bulk run ended. Numbers are stable.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ca_bulk_outcome {
    /// Verified sent: now, or earlier (`ca_bulk_row_origin` is `journal` on a rerun: nothing was written).
    CA_BULK_SENT = 0,
    /// Definitely not sent (`ca_bulk_row_error_kind` says why): fix the cause; running the file again sends
    /// it, under the same reference.
    CA_BULK_NOT_SENT = 1,
    /// Refused for another sale (a duplicate, or the reference belongs to another sale; the transaction id
    /// names the other one). This row was not created.
    CA_BULK_REFUSED = 2,
    /// Outcome unknown: it may have been received. Do NOT pay it another way; run the file again later (the
    /// journal settles it) or recover.
    CA_BULK_UNKNOWN = 3,
    /// Not attempted: the run was cancelled before its turn (or before anything of it could be received).
    CA_BULK_SKIPPED = 4,
}

impl ca_bulk_outcome {
    fn of(o: RowOutcome) -> ca_bulk_outcome {
        match o {
            RowOutcome::Sent => ca_bulk_outcome::CA_BULK_SENT,
            RowOutcome::NotSent => ca_bulk_outcome::CA_BULK_NOT_SENT,
            RowOutcome::Refused => ca_bulk_outcome::CA_BULK_REFUSED,
            RowOutcome::Unknown => ca_bulk_outcome::CA_BULK_UNKNOWN,
            RowOutcome::Skipped => ca_bulk_outcome::CA_BULK_SKIPPED,
        }
    }
}

/// Settings of a bulk run (`ca_v2_bulk_run`, `ca_v1_bulk_run`). Every setting is optional. Not thread-safe
/// while being modified; a run copies what it needs.
#[derive(Default, Clone)]
pub struct ca_bulk_options {
    concurrency: Option<usize>,
    name: Option<String>,
}

/// The result of one row: an item of a `ca_bulk_report` (`ca_bulk_report_get`), or the row given to a
/// progress callback (valid only during that call). Never freed by itself. Immutable.
pub struct ca_bulk_row {
    r: RowResult,
    cache: StrCache,
}

impl Cached for ca_bulk_row {
    fn cache(&self) -> &StrCache {
        &self.cache
    }
}

impl ca_bulk_row {
    fn new(r: RowResult) -> ca_bulk_row {
        ca_bulk_row {
            r,
            cache: StrCache::default(),
        }
    }
}

/// What a bulk run did: one row result per row of the file, in file order. Immutable; any thread may read
/// it. Release it with `ca_bulk_report_free` (which also releases its rows).
pub struct ca_bulk_report {
    report: BulkReport,
    rows: Vec<ca_bulk_row>,
    stopped: bool,
}

/// Called by a bulk run after each row has ended: `row` is that row's result (borrowed: valid only during
/// the call; copy what you keep), `done` counts the rows ended so far (1, 2, … in call order, up to `total`),
/// `total` is the number of rows of the file, `user_data` is what was given to the run. It is called on the
/// thread that called the run, never two at once, while sends go on on the run's own threads: a slow callback
/// delays nothing. It must return normally (no `longjmp`, no C++ exception); to stop the run, call
/// `ca_cancel_cancel` on the run's token from it.
pub type ca_bulk_progress_fn = Option<
    extern "C" fn(row: *const ca_bulk_row, done: usize, total: usize, user_data: *mut c_void),
>;

// ------------------------------------------------------------------------------------------------ options

/// Create bulk options with nothing set. On `CA_OK`, `*options_out` owns them; free them with
/// `ca_bulk_options_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options_out`), `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_options_new(
    options_out: *mut *mut ca_bulk_options,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        out(options_out, "options_out")?.write(into_handle(ca_bulk_options::default()));
        Ok(())
    })
}

/// Release bulk options. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_options_free(options: *mut ca_bulk_options) {
    guard::free_handle(options)
}

/// Sends in flight at once, 1–64 (larger values are taken as 64; 0 restores the default, 4). The client's
/// rate limit (`ca_client_options_set_rate_limit`) paces them all.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_options_set_concurrency(
    options: *mut ca_bulk_options,
    concurrency: u32,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(options, "options")?.concurrency =
            (concurrency > 0).then(|| concurrency.min(64) as usize);
        Ok(())
    })
}

/// The batch's name, from which the reference of a row without one is derived (with the row's line and
/// sale: `bulk-` and 24 hex digits), so running the same batch again maps every row to the same sale and
/// nothing is paid twice. Default: the file name of the run's `path` (folders do not count: moving the file
/// keeps its references; renaming it makes new ones). Give the same name to every run of one batch, and a
/// different one to every other batch. Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`, `name`), `CA_ERR_INVALID_UTF8`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_options_set_name(
    options: *mut ca_bulk_options,
    name: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = arg_mut(options, "options")?;
        o.name = Some(arg_str(name, "name")?.to_owned());
        Ok(())
    })
}

// -------------------------------------------------------------------------------------------------- runs

/// Every bad row, listed (the whole file is checked before anything is sent).
fn invalid_rows(errs: &[core::RowError]) -> Fail {
    let mut msg = format!("{} bad row(s) in the file, nothing was sent:", errs.len());
    for e in errs {
        msg.push('\n');
        msg.push_str(&e.to_string());
    }
    Fail::invalid(&errs[0].field, msg)
}

/// The input's bytes and the batch's name.
fn input(
    path: *const c_char,
    csv: *const u8,
    csv_len: usize,
    options: Option<&ca_bulk_options>,
) -> Result<(Vec<u8>, Option<String>), Fail> {
    let path = opt_str(path, "path")?;
    let data = if csv.is_null() {
        let Some(p) = path else {
            return Err(Fail::null("path"));
        };
        std::fs::read(p)
            .map_err(|e| Fail::invalid("path", format!("path: cannot read {p:?}: {e}")))?
    } else {
        guard::arg_bytes(csv, csv_len, "csv")?.to_vec()
    };
    let name = options
        .and_then(|o| o.name.clone())
        .or_else(|| path.map(str::to_owned));
    Ok((data, name))
}

/// Parse and validate the whole file: the rows, or every bad row in one `CA_ERR_INVALID_INPUT`.
fn rows_of(api: BulkApi, data: &[u8], name: Option<&str>) -> Result<Vec<BulkRow>, Fail> {
    match name {
        Some(n) => core::parse_csv(api, n, data).map_err(|e| invalid_rows(&e)),
        None => {
            // without a name, a row without a reference cannot get a stable one: find such rows (their
            // derived references differ between two names) and refuse before anything is sent
            let a = core::parse_csv(api, "\u{1}a", data).map_err(|e| invalid_rows(&e))?;
            let b = core::parse_csv(api, "\u{1}b", data).map_err(|e| invalid_rows(&e))?;
            if let Some(row) = a.iter().zip(&b).find(|(x, y)| x.reference != y.reference) {
                return Err(Fail::invalid(
                    "name",
                    format!(
                        "name: line {} has no reference, and the batch has no name to derive one from: set one \
                         with ca_bulk_options_set_name (or give the file's path); nothing was sent",
                        row.0.line
                    ),
                ));
            }
            Ok(a)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn bulk(
    api: BulkApi,
    path: *const c_char,
    csv: *const u8,
    csv_len: usize,
    options: *const ca_bulk_options,
    on_progress: ca_bulk_progress_fn,
    user_data: *mut c_void,
    cancel: *const ca_cancel,
    send: impl FnOnce(
        &[BulkRow],
        &BulkOptions,
        &(dyn Fn(&RowResult, usize, usize) + Sync),
    ) -> BulkReport
    + Send,
) -> Result<ca_bulk_report, Fail> {
    let options = opt_arg(options);
    let (data, name) = input(path, csv, csv_len, options)?;
    let rows = rows_of(api, &data, name.as_deref())?;
    let stop = opt_arg(cancel).map_or_else(|| Arc::new(AtomicBool::new(false)), ca_cancel::flag);
    let opts = BulkOptions {
        concurrency: options.and_then(|o| o.concurrency).unwrap_or(4),
        stop: stop.clone(),
    };
    let total = rows.len();
    // the run goes on on a thread of its own (its sends on the core's workers); progress comes back here
    let (tx, rx) = mpsc::channel::<RowResult>();
    let report = std::thread::scope(|s| {
        let rows = &rows;
        let opts = &opts;
        let worker = s.spawn(move || {
            let tx = Mutex::new(tx);
            let progress = move |r: &RowResult, _done: usize, _total: usize| {
                let _ = tx.lock().unwrap_or_else(|p| p.into_inner()).send(r.clone());
            };
            send(rows, opts, &progress)
        });
        let mut done = 0usize;
        for r in rx {
            done += 1;
            if let Some(f) = on_progress {
                let row = ca_bulk_row::new(r);
                f(&row, done, total, user_data);
            }
        }
        worker.join()
    })
    .map_err(Fail::from_panic)?;
    Ok(ca_bulk_report {
        rows: report.rows.iter().cloned().map(ca_bulk_row::new).collect(),
        report,
        stopped: stop.load(Ordering::SeqCst),
    })
}

/// Pay a whole CSV file of top-ups through a V2 client: a bulk payout (staff bonuses, rewards, agents'
/// bundles), one sale per row, each sent through the money-safe protocol, the client's journal (give the
/// client one: `ca_client_options_set_journal`) and its rate limit (`ca_client_options_set_rate_limit`), with
/// `ca_bulk_options_set_concurrency` sends in flight (`options` may be NULL: the defaults).
///
/// The input: `csv` (`csv_len` bytes; may be NULL), or when `csv` is NULL the file at `path`. When `csv` is given, `path`
/// (may be NULL) is not read: it only names the batch. The CSV has a header row and its columns in any order:
/// `phone` (or `phone_number`; as people write it: `+233 54 111 2259`), `amount` + `currency` or `product`
/// (a bundle id), optional `reference`, `network_id` (else looked up once per number), `sms` (its text), and
/// any other column is stored as metadata. The WHOLE file is validated before anything is sent: any bad row
/// gives `CA_ERR_INVALID_INPUT` whose message lists every bad line (`line 3: amount: …`), and nothing is
/// sent. A row without a reference gets one derived from the batch's name (`ca_bulk_options_set_name`, else
/// the file name of `path`), its line and its sale, so a rerun maps it to the same sale.
///
/// Running the same file again with the same journal (after a crash, a `kill -9`, a cancel) resumes with no
/// duplicate: rows already sent come back from the journal (origin `journal`, nothing written), open ones
/// are settled first, the rest are sent. `cancel` (may be NULL) stops taking new rows once cancelled; sends
/// under way settle first (a send not yet written ends `CA_BULK_SKIPPED`), then the run returns
/// `CA_OK` with the report (`ca_bulk_report_stopped` true). `on_progress` (may be NULL) is called after each
/// row on this thread (see `ca_bulk_progress_fn`), with `user_data` (may be NULL). Blocking.
///
/// On `CA_OK`, `*report_out` owns the report (free it with `ca_bulk_report_free`); failed rows are in the
/// report, not in the result.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `report_out`, and `path` when `csv` is NULL);
/// `CA_ERR_INVALID_UTF8`; `CA_ERR_INVALID_INPUT` (bad rows, listed; `path` cannot be read; field `name`: a
/// row without a reference and no name for the batch); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_bulk_run(
    client: *const ca_v2_client,
    path: *const c_char,
    csv: *const u8,
    csv_len: usize,
    options: *const ca_bulk_options,
    on_progress: ca_bulk_progress_fn,
    user_data: *mut c_void,
    cancel: *const ca_cancel,
    report_out: *mut *mut ca_bulk_report,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(report_out, "report_out")?;
        let report = bulk(
            BulkApi::V2,
            path,
            csv,
            csv_len,
            options,
            on_progress,
            user_data,
            cancel,
            |rows, opts, progress| core::run_v2(&c.inner, rows, opts, progress),
        )?;
        o.write(into_handle(report));
        Ok(())
    })
}

/// `ca_v2_bulk_run` through a V1 client: `phone` (or `msisdn`; `+233 54 111 2259` and `233541112259` alike)
/// and `amount`, or `product` (a V1 product id), optional `reference` (the `extRefId`) and `sms` (`true`: the
/// default SMS). Everything else as `ca_v2_bulk_run`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `report_out`, and `path` when `csv` is NULL);
/// `CA_ERR_INVALID_UTF8`; `CA_ERR_INVALID_INPUT`; `CA_ERR_PANIC`. `path`, `csv`, `options`, `on_progress`,
/// `user_data` and `cancel` may be NULL as in `ca_v2_bulk_run`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_bulk_run(
    client: *const ca_v1_client,
    path: *const c_char,
    csv: *const u8,
    csv_len: usize,
    options: *const ca_bulk_options,
    on_progress: ca_bulk_progress_fn,
    user_data: *mut c_void,
    cancel: *const ca_cancel,
    report_out: *mut *mut ca_bulk_report,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(report_out, "report_out")?;
        let report = bulk(
            BulkApi::V1,
            path,
            csv,
            csv_len,
            options,
            on_progress,
            user_data,
            cancel,
            |rows, opts, progress| core::run_v1(&c.inner, rows, opts, progress),
        )?;
        o.write(into_handle(report));
        Ok(())
    })
}

// ------------------------------------------------------------------------------------------------ report

/// Number of rows in the report (every row of the file); 0 if `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_report_count(report: *const ca_bulk_report) -> usize {
    get_val(report, 0, |r| r.rows.len())
}

/// Row result number `index` (from 0, in file order). Borrowed from `report`: do not free. NULL if out of
/// range or `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_report_get(
    report: *const ca_bulk_report,
    index: usize,
) -> *const ca_bulk_row {
    get_ref(report, |r| r.rows.get(index))
}

/// How many rows ended with `outcome`; 0 if `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_report_outcome_count(
    report: *const ca_bulk_report,
    outcome: ca_bulk_outcome,
) -> usize {
    get_val(report, 0, |r| {
        r.rows
            .iter()
            .filter(|row| ca_bulk_outcome::of(row.r.outcome) == outcome)
            .count()
    })
}

/// Whether the run's cancel token was cancelled before the run returned (rows not started are then
/// `CA_BULK_SKIPPED`: run the file again with the same journal to finish). False if `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_report_stopped(report: *const ca_bulk_report) -> bool {
    get_val(report, false, |r| r.stopped)
}

/// The report as CSV, one line per row after a header: `row,reference,outcome,origin,id,status,amount,cost,
/// error_kind,error`. On `CA_OK`, `*csv_out` is a new string; release it with `ca_string_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`report`, `csv_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_report_to_csv(
    report: *const ca_bulk_report,
    csv_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg(report, "report")?;
        let o = out(csv_out, "csv_out")?;
        o.write(owned_string(r.report.to_csv()));
        Ok(())
    })
}

/// Release a report and every row borrowed from it. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_report_free(report: *mut ca_bulk_report) {
    guard::free_handle(report)
}

/// The name of an outcome: `sent`, `not_sent`, `refused`, `unknown`, `skipped` (static; as in the report's
/// CSV). NULL for a number that is not an outcome.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_outcome_name(outcome: u32) -> *const c_char {
    guard::value(std::ptr::null(), || match outcome {
        0 => c"sent".as_ptr(),
        1 => c"not_sent".as_ptr(),
        2 => c"refused".as_ptr(),
        3 => c"unknown".as_ptr(),
        4 => c"skipped".as_ptr(),
        _ => std::ptr::null(),
    })
}

// --------------------------------------------------------------------------------------------------- row

/// Line of the row in the file (the header is line 1); 0 if `row` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_row_line(row: *const ca_bulk_row) -> usize {
    get_val(row, 0, |r| r.r.line)
}

/// The sale's reference (given in the file, or derived). Owned by the row's report (for a progress row:
/// valid during the callback). NULL if `row` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_row_reference(row: *const ca_bulk_row) -> *const c_char {
    get_str(row, "reference", |r| Some(r.r.reference.clone()))
}

/// How the row ended. `CA_BULK_SKIPPED` if `row` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_row_outcome(row: *const ca_bulk_row) -> ca_bulk_outcome {
    get_val(row, ca_bulk_outcome::CA_BULK_SKIPPED, |r| {
        ca_bulk_outcome::of(r.r.outcome)
    })
}

/// For a sent row: how its record was obtained, `created`, `recovered`, `replayed` or `journal` (a rerun:
/// nothing was written). Static string. NULL otherwise.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_row_origin(row: *const ca_bulk_row) -> *const c_char {
    get_val(row, std::ptr::null(), |r| {
        r.r.origin.map_or(std::ptr::null(), |o| match o {
            sdk::SendOrigin::Created => c"created".as_ptr(),
            sdk::SendOrigin::Recovered => c"recovered".as_ptr(),
            sdk::SendOrigin::Replayed => c"replayed".as_ptr(),
            sdk::SendOrigin::Journal => c"journal".as_ptr(),
        })
    })
}

/// Transaction id: the sale's (sent), or the other sale's (refused). Owned by the row. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_row_transaction_id(row: *const ca_bulk_row) -> *const c_char {
    get_str(row, "id", |r| r.r.transaction_id.clone())
}

/// Status of the record (V2 `pending` … `completed`; V1 `PENDING` … `SUCCESS`). Owned by the row. NULL if
/// none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_row_status(row: *const ca_bulk_row) -> *const c_char {
    get_str(row, "status", |r| r.r.status.clone())
}

/// Amount delivered (or asked), with its currency: `"50.00 GHS"`. Owned by the row. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_row_amount(row: *const ca_bulk_row) -> *const c_char {
    get_str(row, "amount", |r| r.r.amount.clone())
}

/// Cost charged (V2 `cost`, V1 `effectiveAmount`), with its currency. Owned by the row. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_row_cost(row: *const ca_bulk_row) -> *const c_char {
    get_str(row, "cost", |r| r.r.cost.clone())
}

/// For a row that was not sent: the result its error would have had (`CA_ERR_INSUFFICIENT_BALANCE`,
/// `CA_ERR_OUTCOME_UNKNOWN`, `CA_ERR_CANCELLED` …). `CA_OK` for a sent row or if `row` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_row_error_kind(row: *const ca_bulk_row) -> ca_result {
    get_val(row, ca_result::CA_OK, |r| {
        r.r.error_kind.map_or(ca_result::CA_OK, result_of)
    })
}

/// The error's message, for a row that was not sent. Owned by the row. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bulk_row_error_message(row: *const ca_bulk_row) -> *const c_char {
    get_str(row, "error", |r| r.r.error.clone())
}
