//! Bulk payouts (core::bulk): validated whole, sent through the client's journal and rate limit.

use crate::cancel::NativeCancel;
use crate::errors::{check, py_error};
use crate::guard::{guard, panic_error, panic_text};
use crate::logging::detach;
use clickairtime::bulk::{BulkApi, BulkOptions, BulkReport, BulkRow, RowResult};
use clickairtime::{Error as CoreError, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub(crate) fn bulk_api(api: &str) -> BulkApi {
    if api == "v1" {
        BulkApi::V1
    } else {
        BulkApi::V2
    }
}

pub(crate) fn row_result_to_py<'py>(
    py: Python<'py>,
    r: &RowResult,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("line", r.line)?;
    d.set_item("reference", &r.reference)?;
    d.set_item("outcome", r.outcome.as_str())?;
    d.set_item("origin", r.origin.map(|o| o.as_str()))?;
    d.set_item("transaction_id", r.transaction_id.as_deref())?;
    d.set_item("status", r.status.as_deref())?;
    d.set_item("amount", r.amount.as_deref())?;
    d.set_item("cost", r.cost.as_deref())?;
    d.set_item("error_kind", r.error_kind.map(ErrorKind::as_str))?;
    d.set_item("error", r.error.as_deref())?;
    Ok(d)
}

pub(crate) type BulkRun = Box<
    dyn FnOnce(&[BulkRow], &BulkOptions, &(dyn Fn(&RowResult, usize, usize) + Sync)) -> BulkReport
        + Send,
>;

/// Validate `data` whole (one `INVALID_INPUT` listing every bad line; nothing sent), then run it on a
/// thread of its own while the calling thread, without the GIL, watches for its end and for signals
/// (Ctrl-C: `KeyboardInterrupt`). The cancel token's flag is the run's stop flag: a cancel, a signal or a
/// failing progress callback (both set it) stops the run from taking new rows; sends under way settle first. A second signal returns at once (what is under way goes on, and
/// its end is journaled). Returns `{"rows", "csv", "interrupted", "callback_error"}`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn bulk_run(
    py: Python<'_>,
    api: BulkApi,
    source_name: &str,
    data: &[u8],
    concurrency: i64,
    on_progress: Option<Py<PyAny>>,
    cancel: Option<PyRef<'_, NativeCancel>>,
    run: BulkRun,
) -> PyResult<Py<PyAny>> {
    let rows = check(py, clickairtime::bulk::load(api, source_name, data))?;
    let concurrency = check(
        py,
        usize::try_from(concurrency)
            .ok()
            .filter(|n| (1..=64).contains(n))
            .ok_or_else(|| {
                CoreError::invalid("concurrency", format!("{concurrency} is not from 1 to 64"))
            }),
    )?;
    // the token's own flag is the run's stop flag: a cancel stops it before the next row is taken
    let stop = cancel
        .map(|c| c.flag.clone())
        .unwrap_or_else(|| Arc::new(AtomicBool::new(false)));
    let opts = BulkOptions {
        concurrency,
        stop: stop.clone(),
    };
    let callback_error: Arc<Mutex<Option<PyErr>>> = Arc::new(Mutex::new(None));
    let (tx, rx) = std::sync::mpsc::channel();
    {
        let callback_error = callback_error.clone();
        let stop = stop.clone();
        let spawned = std::thread::Builder::new()
            .name("clickairtime-bulk".into())
            .spawn(move || {
                let progress = move |r: &RowResult, done: usize, total: usize| {
                    let Some(cb) = &on_progress else { return };
                    Python::attach(|py| {
                        let called = row_result_to_py(py, r)
                            .and_then(|d| cb.call1(py, (d, done, total)).map(drop));
                        if let Err(e) = called {
                            // the first failure stops the run (sends under way settle) and is raised
                            let mut slot = callback_error.lock().unwrap_or_else(|p| p.into_inner());
                            if slot.is_none() {
                                *slot = Some(e);
                            }
                            stop.store(true, Ordering::SeqCst);
                        }
                    });
                };
                let report = catch_unwind(AssertUnwindSafe(|| run(&rows, &opts, &progress)));
                let _ = tx.send(report.map_err(|p| panic_text(p.as_ref())));
            });
        if let Err(e) = spawned {
            return Err(py_error(
                py,
                &CoreError::new(
                    ErrorKind::InvalidInput,
                    format!("cannot start the bulk run: {e}"),
                ),
            ));
        }
    }
    let rx = Mutex::new(rx);
    let mut interrupted: Option<PyErr> = None;
    let outcome = loop {
        match detach(py, || {
            rx.lock()
                .unwrap_or_else(|p| p.into_inner())
                .recv_timeout(Duration::from_millis(50))
        }) {
            Ok(r) => break r,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                break Err("the bulk run ended without a report".to_owned());
            }
        }
        if let Err(e) = py.check_signals() {
            if interrupted.is_some() {
                // a second interrupt: stop waiting; sends under way settle on their own and are journaled
                return Err(e);
            }
            stop.store(true, Ordering::SeqCst);
            interrupted = Some(e);
        }
    };
    let report = match outcome {
        Ok(r) => r,
        Err(text) => {
            return Err(panic_error(py, "bulk", &text, None));
        }
    };
    let d = PyDict::new(py);
    let rows = PyList::empty(py);
    for r in &report.rows {
        rows.append(row_result_to_py(py, r)?)?;
    }
    d.set_item("rows", rows)?;
    d.set_item("csv", report.to_csv())?;
    d.set_item("interrupted", interrupted.map(|e| e.into_value(py)))?;
    let cb_err = callback_error
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    d.set_item("callback_error", cb_err.map(|e| e.into_value(py)))?;
    Ok(d.into_any().unbind())
}

/// Validate a bulk file without sending anything: `{"rows": n, "totals": {currency: "amount"}}`, or core's
/// one `INVALID_INPUT` listing every bad line, with `.row_errors`: `[{"line", "index", "field", "message"}]`
/// for every bad row (`index`: the row's position among the data rows, `line - 2`).
#[pyfunction]
pub(crate) fn bulk_check(
    py: Python<'_>,
    api: &str,
    source_name: &str,
    data: &[u8],
) -> PyResult<Py<PyAny>> {
    guard(py, "bulk_check", || {
        let api = bulk_api(api);
        if let Err(errs) = clickairtime::bulk::parse_csv(api, source_name, data) {
            let err = match clickairtime::bulk::load(api, source_name, data) {
                Err(e) => py_error(py, &e),
                Ok(_) => py_error(py, &CoreError::invalid("source", "bad rows")),
            };
            let list = PyList::empty(py);
            for e in &errs {
                let d = PyDict::new(py);
                d.set_item("line", e.line)?;
                d.set_item("index", e.line.checked_sub(2))?;
                d.set_item("field", &e.field)?;
                d.set_item("message", &e.message)?;
                list.append(d)?;
            }
            err.value(py).setattr("row_errors", list)?;
            return Err(err);
        }
        let rows = check(py, clickairtime::bulk::load(api, source_name, data))?;
        let d = PyDict::new(py);
        d.set_item("rows", rows.len())?;
        let totals = PyDict::new(py);
        for (k, v) in clickairtime::bulk::totals(&rows) {
            totals.set_item(k, v.to_string())?;
        }
        d.set_item("totals", totals)?;
        Ok(d.into_any().unbind())
    })
}
