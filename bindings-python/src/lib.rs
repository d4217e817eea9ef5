//! `clickairtime._native`: the PyO3 layer of the Python package.
//!
//! This module only converts. Python values come in as plain strings, integers and floats (the pure-Python
//! package in `python/clickairtime/` turns `Decimal`, `datetime` and friends into those); core does every
//! check, retry, classification, wait, signature and journal write; results go back as JSON-shaped Python
//! objects (the core's serde output: decimals as exact strings), which the Python layer turns into typed
//! objects. Core errors become the `clickairtime.errors` exception of their kind. The GIL is released around
//! every network call, wait and journal access, so Python threads run while a call is in flight.
//!
//! Panics: every exported function and method runs behind [`guard`]: a Rust panic (a bug) never reaches
//! PyO3, which would raise `PanicException`, a `BaseException` that `except Exception` does not catch. It
//! becomes a `ClickAirtimeError` with code `PANIC`; inside a send, once its reference is fixed, an
//! `OutcomeUnknownError` naming the reference (cause kind `PANIC`): the send may have been received.

use clickairtime::bulk::{BulkApi, BulkOptions, BulkReport, BulkRow, RowResult};
use clickairtime::config::ClientBuilder;
use clickairtime::journal::{JournalEntry, Recovery};
use clickairtime::response::Response;
use clickairtime::{
    Cancel, Error as CoreError, ErrorKind, RateLimitPolicy, WaitOptions, WaitStep, v1, v2,
};
use clickairtime_sandbox::{
    DuplicateMode, Fault, FaultKind, IdempotencyMode, Sandbox, SandboxConfig,
};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::marker::Ungil;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString};
use serde::Serialize;
use serde_json::Value;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

type CoreResult<T> = Result<T, CoreError>;

// ------------------------------------------------------------------------------------------------
// the panic boundary

/// Test hook (`_set_test_panic`): 0 off, 1 every guarded call panics on entry, 2 only sends, once their
/// reference is fixed (right before core sends).
static TEST_PANIC: AtomicU8 = AtomicU8::new(0);
const PANIC_ANYWHERE: u8 = 1;
const PANIC_IN_SEND: u8 = 2;

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// The exception of a caught panic: `ClickAirtimeError` (code `PANIC`), or, inside a send whose reference is
/// known, `OutcomeUnknownError` with that reference and key (cause kind `PANIC`).
fn panic_error(
    py: Python<'_>,
    what: &str,
    payload: &(dyn std::any::Any + Send),
    send: Option<(&str, Option<&str>)>,
) -> PyErr {
    let text = panic_text(payload);
    let build = || -> PyResult<PyErr> {
        let d = PyDict::new(py);
        match send {
            Some((reference, key)) => {
                d.set_item("code", ErrorKind::OutcomeUnknown.as_str())?;
                d.set_item(
                    "message",
                    format!(
                        "outcome unknown: internal error (a panic caught at the Python boundary in {what}: {text}) while sending; \
                         the top-up may have been received. Do not sell it again: reconcile reference {reference} later \
                         (reference {reference})"
                    ),
                )?;
                d.set_item("reference", reference)?;
                d.set_item("idempotency_key", key)?;
                d.set_item("cause_kind", "PANIC")?;
            }
            None => {
                d.set_item("code", "PANIC")?;
                d.set_item(
                    "message",
                    format!("internal error: a panic caught at the Python boundary in {what}: {text}; please report it"),
                )?;
            }
        }
        let exc = py
            .import("clickairtime.errors")?
            .getattr("_from_native")?
            .call1((d,))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|err| err)
}

/// Run the body of an exported function behind the panic boundary.
fn guard<T>(py: Python<'_>, what: &'static str, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(|| {
        if TEST_PANIC.load(Ordering::Relaxed) == PANIC_ANYWHERE {
            panic!("deliberate panic (test hook) in {what}");
        }
        f()
    })) {
        Ok(r) => r,
        Err(payload) => Err(panic_error(py, what, payload.as_ref(), None)),
    }
}

/// Run the core half of a send (its reference and key fixed) behind the panic boundary: a panic here may
/// come after a write, so it is an outcome-unknown error naming the reference.
fn guard_send<T>(
    py: Python<'_>,
    what: &'static str,
    reference: &str,
    key: Option<&str>,
    f: impl FnOnce() -> PyResult<T>,
) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(|| {
        if TEST_PANIC.load(Ordering::Relaxed) == PANIC_IN_SEND {
            panic!("deliberate panic (test hook) in {what}, reference {reference}");
        }
        f()
    })) {
        Ok(r) => r,
        Err(payload) => Err(panic_error(
            py,
            what,
            payload.as_ref(),
            Some((reference, key)),
        )),
    }
}

/// Test hook: make guarded calls panic (`"any"`: every one, on entry; `"send"`: sends, once their reference
/// is fixed; `None`: off), to show that no panic escapes as `PanicException`. Not part of the API.
#[pyfunction]
#[pyo3(signature = (mode=None))]
fn _set_test_panic(mode: Option<&str>) -> PyResult<()> {
    let v = match mode {
        None => 0,
        Some("any") => PANIC_ANYWHERE,
        Some("send") => PANIC_IN_SEND,
        Some(other) => {
            return Err(PyValueError::new_err(format!(
                "{other:?} is not \"any\", \"send\" or None"
            )));
        }
    };
    TEST_PANIC.store(v, Ordering::Relaxed);
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// conversions

/// A JSON value as the equivalent Python object (dict, list, str, int, float, bool, None).
fn json_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, json_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// Any serializable core value as a Python object, via its serde form.
fn to_py<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    let v = serde_json::to_value(value)
        .map_err(|e| PyValueError::new_err(format!("cannot convert a core value: {e}")))?;
    Ok(json_to_py(py, &v)?.unbind())
}

/// A core error as the `clickairtime.errors` exception of its kind, built by `_from_native(details)`.
fn py_error(py: Python<'_>, e: &CoreError) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let d = PyDict::new(py);
        d.set_item("code", e.kind().as_str())?;
        d.set_item("message", e.to_string())?;
        d.set_item("detail", e.message())?;
        d.set_item("field", e.field())?;
        d.set_item("http_status", e.http_status())?;
        d.set_item("api_code", e.api_code())?;
        d.set_item("request_id", e.request_id())?;
        d.set_item("reference", e.reference())?;
        d.set_item("idempotency_key", e.idempotency_key())?;
        d.set_item("transaction_id", e.transaction_id())?;
        d.set_item("retry_after", e.retry_after().map(|r| r.as_secs_f64()))?;
        d.set_item("body", e.body())?;
        d.set_item("cause_kind", e.cause_kind().map(ErrorKind::as_str))?;
        d.set_item("status", e.status())?;
        d.set_item("existing_reference", e.existing_reference())?;
        let exc = py
            .import("clickairtime.errors")?
            .getattr("_from_native")?
            .call1((d,))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|err| err)
}

/// Convert a core result, raising its error as a Python exception.
fn check<T>(py: Python<'_>, r: CoreResult<T>) -> PyResult<T> {
    r.map_err(|e| py_error(py, &e))
}

/// A core response as `{"data": …, "meta": …}`.
fn response<T: Serialize>(py: Python<'_>, r: CoreResult<Response<T>>) -> PyResult<Py<PyAny>> {
    let r = check(py, r)?;
    to_py(py, &r)
}

/// An optional core response (`reconcile`): `None` or `{"data": …, "meta": …}`.
fn opt_response<T: Serialize>(
    py: Python<'_>,
    r: CoreResult<Option<Response<T>>>,
) -> PyResult<Option<Py<PyAny>>> {
    match check(py, r)? {
        Some(r) => Ok(Some(to_py(py, &r)?)),
        None => Ok(None),
    }
}

/// A journal entry as a dict of plain values (times: unix milliseconds; `record`: the JSON text).
fn entry_to_py<'py>(py: Python<'py>, e: &JournalEntry) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("api", &e.api)?;
    d.set_item("reference", &e.reference)?;
    d.set_item("idempotency_key", e.idempotency_key.as_deref())?;
    d.set_item("state", e.state.as_str())?;
    d.set_item("writes", e.writes)?;
    d.set_item("transaction_id", e.transaction_id.as_deref())?;
    d.set_item("status", e.status.as_deref())?;
    d.set_item("error_kind", e.error_kind.map(ErrorKind::as_str))?;
    d.set_item("error_message", e.error_message.as_deref())?;
    d.set_item("request", &e.request)?;
    d.set_item("record", e.record.as_deref())?;
    d.set_item("created_at", e.created_at)?;
    d.set_item("updated_at", e.updated_at)?;
    d.set_item("last_write_at", e.last_write_at)?;
    Ok(d)
}

fn entries_to_py(py: Python<'_>, r: CoreResult<Vec<JournalEntry>>) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for e in check(py, r)? {
        list.append(entry_to_py(py, &e)?)?;
    }
    Ok(list.into_any().unbind())
}

fn opt_entry_to_py(
    py: Python<'_>,
    r: CoreResult<Option<JournalEntry>>,
) -> PyResult<Option<Py<PyAny>>> {
    match check(py, r)? {
        Some(e) => Ok(Some(entry_to_py(py, &e)?.into_any().unbind())),
        None => Ok(None),
    }
}

/// `recover()`'s reports as `[{"entry": {...}, "record": None | {"data": …, "meta": …}}]`.
fn recoveries_to_py<T: Serialize>(
    py: Python<'_>,
    r: CoreResult<Vec<Recovery<T>>>,
) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for rec in check(py, r)? {
        let d = PyDict::new(py);
        d.set_item("entry", entry_to_py(py, &rec.entry)?)?;
        match &rec.record {
            Some(r) => d.set_item("record", to_py(py, r)?)?,
            None => d.set_item("record", py.None())?,
        }
        list.append(d)?;
    }
    Ok(list.into_any().unbind())
}

/// Seconds (a Python number) as a `Duration`; negative, NaN or infinite is an invalid-input error.
fn secs(field: &str, v: Option<f64>) -> CoreResult<Option<Duration>> {
    match v {
        None => Ok(None),
        Some(s) => Duration::try_from_secs_f64(s).map(Some).map_err(|_| {
            CoreError::invalid(
                field,
                format!("{s} is not a non-negative, finite number of seconds"),
            )
        }),
    }
}

fn amount(field: &str, text: Option<String>) -> CoreResult<Option<clickairtime::money::Decimal>> {
    text.map(|t| clickairtime::money::parse_amount(field, &t))
        .transpose()
}

fn u32_arg(field: &str, v: Option<i64>) -> CoreResult<Option<u32>> {
    v.map(|n| {
        u32::try_from(n).map_err(|_| CoreError::invalid(field, format!("{n} is out of range")))
    })
    .transpose()
}

/// Settings shared by both clients' constructors.
struct HttpOptions {
    base_url: Option<String>,
    timeout: Option<f64>,
    connect_timeout: Option<f64>,
    read_timeout: Option<f64>,
    max_retries: Option<i64>,
    retry_base_delay: Option<f64>,
    max_retry_delay: Option<f64>,
    max_retry_after: Option<f64>,
    send_deadline: Option<f64>,
    proxy: Option<String>,
    proxy_from_env: Option<bool>,
    ca_certificates_pem: Option<Vec<u8>>,
    user_agent_suffix: Option<String>,
    max_idle_connections_per_host: Option<i64>,
    journal: Option<PathBuf>,
    convergence_bound: Option<f64>,
    rate_limit_per_minute: Option<i64>,
    rate_limit_per_hour: Option<i64>,
}

/// A request count of the rate limit (1 to 1,000,000).
fn rate_count(field: &str, v: Option<i64>) -> CoreResult<Option<u32>> {
    v.map(|n| {
        u32::try_from(n)
            .ok()
            .filter(|n| (1..=1_000_000).contains(n))
            .ok_or_else(|| {
                CoreError::invalid(
                    field,
                    format!("{n} is not a request count from 1 to 1000000"),
                )
            })
    })
    .transpose()
}

impl HttpOptions {
    fn apply<C>(self, mut b: ClientBuilder<C>) -> CoreResult<ClientBuilder<C>> {
        if let Some(u) = self.base_url {
            b = b.base_url(u);
        }
        if let Some(d) = secs("timeout", self.timeout)? {
            b = b.timeout(d);
        }
        if let Some(d) = secs("connect_timeout", self.connect_timeout)? {
            b = b.connect_timeout(d);
        }
        if let Some(d) = secs("read_timeout", self.read_timeout)? {
            b = b.read_timeout(d);
        }
        if let Some(n) = u32_arg("max_retries", self.max_retries)? {
            b = b.max_retries(n);
        }
        if let Some(d) = secs("retry_base_delay", self.retry_base_delay)? {
            b = b.retry_base_delay(d);
        }
        if let Some(d) = secs("max_retry_delay", self.max_retry_delay)? {
            b = b.max_retry_delay(d);
        }
        if let Some(d) = secs("max_retry_after", self.max_retry_after)? {
            b = b.max_retry_after(d);
        }
        if let Some(d) = secs("send_deadline", self.send_deadline)? {
            b = b.send_deadline(d);
        }
        if let Some(p) = self.proxy {
            b = b.proxy(p);
        }
        if let Some(yes) = self.proxy_from_env {
            b = b.proxy_from_env(yes);
        }
        if let Some(pem) = self.ca_certificates_pem {
            b = b.add_ca_certificates_pem(&pem);
        }
        if let Some(s) = self.user_agent_suffix {
            b = b.user_agent_suffix(s);
        }
        if let Some(n) = self.max_idle_connections_per_host {
            let n = usize::try_from(n).map_err(|_| {
                CoreError::invalid(
                    "max_idle_connections_per_host",
                    format!("{n} is out of range"),
                )
            })?;
            b = b.max_idle_connections_per_host(n);
        }
        if let Some(path) = self.journal {
            if path.as_os_str().is_empty() {
                return Err(CoreError::invalid(
                    "journal",
                    "must be a file path, not empty",
                ));
            }
            b = b.journal(path);
        }
        if let Some(d) = secs("convergence_bound", self.convergence_bound)? {
            b = b.convergence_bound(d);
        }
        let per_minute = rate_count("rate_limit.per_minute", self.rate_limit_per_minute)?;
        let per_hour = rate_count("rate_limit.per_hour", self.rate_limit_per_hour)?;
        if per_minute.is_some() || per_hour.is_some() {
            // what is not given keeps the documented tier (60 a minute, 1,000 an hour)
            b = b.rate_limit(RateLimitPolicy {
                per_minute: per_minute.unwrap_or(RateLimitPolicy::DOCUMENTED.per_minute),
                per_hour: per_hour.unwrap_or(RateLimitPolicy::DOCUMENTED.per_hour),
            });
        }
        Ok(b)
    }
}

fn wait_options(
    deadline: Option<f64>,
    initial_interval: Option<f64>,
    max_interval: Option<f64>,
    not_found_grace: Option<f64>,
) -> CoreResult<WaitOptions> {
    let mut o = WaitOptions::default();
    if let Some(d) = secs("deadline", deadline)? {
        o.deadline = d;
    }
    if let Some(d) = secs("initial_interval", initial_interval)? {
        o.initial_interval = d;
    }
    if let Some(d) = secs("max_interval", max_interval)? {
        o.max_interval = d;
    }
    if let Some(d) = secs("not_found_grace", not_found_grace)? {
        o.not_found_grace = d;
    }
    Ok(o)
}

fn metadata(json: Option<String>) -> CoreResult<Option<serde_json::Map<String, Value>>> {
    json.map(|s| {
        serde_json::from_str::<serde_json::Map<String, Value>>(&s)
            .map_err(|e| CoreError::invalid("metadata", format!("must be a JSON object: {e}")))
    })
    .transpose()
}

// ------------------------------------------------------------------------------------------------
// cancellation and step-by-step waits

/// A cancel token: core's `Cancel` over a shared flag (the flag also stops a bulk run). The package's
/// `clickairtime.CancelToken` wraps it; `cancel()` may be called from any thread.
#[pyclass(frozen, module = "clickairtime._native")]
struct NativeCancel {
    flag: Arc<AtomicBool>,
}

impl NativeCancel {
    fn token(&self) -> Cancel {
        Cancel::from(self.flag.clone())
    }
}

fn cancel_of(c: Option<PyRef<'_, NativeCancel>>) -> Option<Cancel> {
    c.map(|c| c.token())
}

#[pymethods]
impl NativeCancel {
    #[new]
    fn new(py: Python<'_>) -> PyResult<Self> {
        guard(py, "NativeCancel", || {
            Ok(NativeCancel {
                flag: Arc::new(AtomicBool::new(false)),
            })
        })
    }

    /// Cancel every call holding this token.
    fn cancel(&self, py: Python<'_>) -> PyResult<()> {
        guard(py, "NativeCancel.cancel", || {
            self.flag.store(true, Ordering::SeqCst);
            Ok(())
        })
    }

    #[getter]
    fn cancelled(&self, py: Python<'_>) -> PyResult<bool> {
        guard(py, "NativeCancel.cancelled", || {
            Ok(self.flag.load(Ordering::SeqCst))
        })
    }
}

enum WaitInner {
    V2(v2::TopUpWait),
    V1(v1::TransactionWait),
}

/// A wait driven step by step (core's `wait_steps`): each `step()` makes one exchange, without the GIL,
/// and says whether the wait is over or how long to sleep before the next step. The package sleeps between
/// steps on its own (`asyncio.sleep` in `clickairtime.aio`, an interruptible wait in the blocking clients),
/// so a pending wait holds no thread.
#[pyclass(frozen, module = "clickairtime._native")]
struct NativeWait {
    inner: Mutex<WaitInner>,
}

#[pymethods]
impl NativeWait {
    /// `(True, {"data": …, "meta": …})` when the wait is over, `(False, seconds)` to sleep before the next
    /// step. Errors as the blocking wait's (`StillPending` past the deadline, `Cancelled` once the token fired).
    fn step(&self, py: Python<'_>) -> PyResult<(bool, Py<PyAny>)> {
        guard(py, "NativeWait.step", || {
            let r: CoreResult<WaitStep<Value>> = detach(py, || {
                let mut w = self.inner.lock().unwrap_or_else(|p| p.into_inner());
                let json = |v: serde_json::Result<Value>| {
                    v.map_err(|e| {
                        CoreError::new(
                            ErrorKind::UnexpectedResponse,
                            format!("cannot convert a record: {e}"),
                        )
                    })
                };
                match &mut *w {
                    WaitInner::V2(w) => match w.step()? {
                        WaitStep::Done(r) => Ok(WaitStep::Done(json(serde_json::to_value(&r))?)),
                        WaitStep::Sleep(d) => Ok(WaitStep::Sleep(d)),
                    },
                    WaitInner::V1(w) => match w.step()? {
                        WaitStep::Done(r) => Ok(WaitStep::Done(json(serde_json::to_value(&r))?)),
                        WaitStep::Sleep(d) => Ok(WaitStep::Sleep(d)),
                    },
                }
            });
            match check(py, r)? {
                WaitStep::Done(v) => Ok((true, json_to_py(py, &v)?.unbind())),
                WaitStep::Sleep(d) => {
                    Ok((false, PyFloat::new(py, d.as_secs_f64()).into_any().unbind()))
                }
            }
        })
    }
}

// ------------------------------------------------------------------------------------------------
// bulk payouts (core::bulk): validated whole, sent through the client's journal and rate limit

fn bulk_api(api: &str) -> BulkApi {
    if api == "v1" {
        BulkApi::V1
    } else {
        BulkApi::V2
    }
}

fn row_result_to_py<'py>(py: Python<'py>, r: &RowResult) -> PyResult<Bound<'py, PyDict>> {
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

type BulkRun = Box<
    dyn FnOnce(&[BulkRow], &BulkOptions, &(dyn Fn(&RowResult, usize, usize) + Sync)) -> BulkReport
        + Send,
>;

/// Validate `data` whole (one `INVALID_INPUT` listing every bad line; nothing sent), then run it on a
/// thread of its own while the calling thread, without the GIL, watches for its end and for signals
/// (Ctrl-C: `KeyboardInterrupt`). The cancel token's flag is the run's stop flag: a cancel, a signal or a
/// failing progress callback (both set it) stops the run from taking new rows; sends under way settle first. A second signal returns at once (what is under way goes on, and
/// its end is journaled). Returns `{"rows", "csv", "interrupted", "callback_error"}`.
#[allow(clippy::too_many_arguments)]
fn bulk_run(
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

// ------------------------------------------------------------------------------------------------
// V2

/// Native V2 client; `clickairtime.V2Client` wraps it.
#[pyclass(frozen, module = "clickairtime._native")]
struct V2Client {
    inner: v2::Client,
}

/// The fields of a V2 order as Python passes them.
struct V2Order {
    phone_number: String,
    network_id: i64,
    amount: Option<String>,
    currency: Option<String>,
    product_id: Option<String>,
    sms: Option<bool>,
    sms_message: Option<String>,
    reference: Option<String>,
    callback_url: Option<String>,
    metadata_json: Option<String>,
    idempotency_key: Option<String>,
}

impl V2Order {
    fn build(self) -> CoreResult<v2::CreateTopUp> {
        let sms = match (self.sms, self.sms_message) {
            (Some(enabled), message) => Some(v2::Sms { enabled, message }),
            (None, Some(message)) => Some(v2::Sms {
                enabled: true,
                message: Some(message),
            }),
            (None, None) => None,
        };
        Ok(v2::CreateTopUp {
            phone_number: self.phone_number,
            network_id: self.network_id,
            amount: amount("amount", self.amount)?,
            currency: self.currency,
            product_id: self.product_id,
            sms,
            reference: self.reference,
            callback_url: self.callback_url,
            metadata: metadata(self.metadata_json)?,
            idempotency_key: self.idempotency_key,
        })
    }
}

/// A prepared V2 order (core's `CreateTopUp::prepared`, validated) as a dict of the order's fields.
fn v2_order_to_py<'py>(py: Python<'py>, o: &v2::CreateTopUp) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("phone_number", &o.phone_number)?;
    d.set_item("network_id", o.network_id)?;
    d.set_item("amount", o.amount.map(|a| a.to_string()))?;
    d.set_item("currency", o.currency.as_deref())?;
    d.set_item("product_id", o.product_id.as_deref())?;
    d.set_item("sms", o.sms.as_ref().map(|s| s.enabled))?;
    d.set_item(
        "sms_message",
        o.sms.as_ref().and_then(|s| s.message.as_deref()),
    )?;
    d.set_item("reference", o.reference.as_deref())?;
    d.set_item("callback_url", o.callback_url.as_deref())?;
    match &o.metadata {
        Some(m) => d.set_item("metadata", json_to_py(py, &Value::Object(m.clone()))?)?,
        None => d.set_item("metadata", py.None())?,
    }
    d.set_item("idempotency_key", o.idempotency_key.as_deref())?;
    Ok(d)
}

#[pymethods]
impl V2Client {
    #[new]
    #[pyo3(signature = (api_key, *, base_url=None, timeout=None, connect_timeout=None, read_timeout=None,
        max_retries=None, retry_base_delay=None, max_retry_delay=None, max_retry_after=None, send_deadline=None,
        proxy=None, proxy_from_env=None, ca_certificates_pem=None, user_agent_suffix=None,
        max_idle_connections_per_host=None, journal=None, convergence_bound=None, rate_limit_per_minute=None,
        rate_limit_per_hour=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: String,
        base_url: Option<String>,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        read_timeout: Option<f64>,
        max_retries: Option<i64>,
        retry_base_delay: Option<f64>,
        max_retry_delay: Option<f64>,
        max_retry_after: Option<f64>,
        send_deadline: Option<f64>,
        proxy: Option<String>,
        proxy_from_env: Option<bool>,
        ca_certificates_pem: Option<Vec<u8>>,
        user_agent_suffix: Option<String>,
        max_idle_connections_per_host: Option<i64>,
        journal: Option<PathBuf>,
        convergence_bound: Option<f64>,
        rate_limit_per_minute: Option<i64>,
        rate_limit_per_hour: Option<i64>,
    ) -> PyResult<Self> {
        guard(py, "V2Client", || {
            let opts = HttpOptions {
                base_url,
                timeout,
                connect_timeout,
                read_timeout,
                max_retries,
                retry_base_delay,
                max_retry_delay,
                max_retry_after,
                send_deadline,
                proxy,
                proxy_from_env,
                ca_certificates_pem,
                user_agent_suffix,
                max_idle_connections_per_host,
                journal,
                convergence_bound,
                rate_limit_per_minute,
                rate_limit_per_hour,
            };
            // opening the journal touches the disk: without the GIL
            let built = detach(py, || {
                opts.apply(v2::Client::builder(api_key))
                    .and_then(|b| b.build())
            });
            Ok(V2Client {
                inner: check(py, built)?,
            })
        })
    }

    #[getter]
    fn base_url(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, "base_url", || Ok(self.inner.base_url().to_owned()))
    }

    fn last_rate_limit(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "last_rate_limit", || {
            let rl = detach(py, || self.inner.last_rate_limit());
            to_py(py, &rl)
        })
    }

    #[pyo3(signature = (phone_number=None, network_id=None))]
    fn catalog_lookup(
        &self,
        py: Python<'_>,
        phone_number: Option<String>,
        network_id: Option<i64>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "catalog_lookup", || {
            let r = detach(py, || {
                self.inner
                    .catalog()
                    .lookup(phone_number.as_deref(), network_id)
            });
            response(py, r)
        })
    }

    fn catalog_countries(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "catalog_countries", || {
            let r = detach(py, || self.inner.catalog().countries());
            response(py, r)
        })
    }

    #[pyo3(signature = (country_code=None))]
    fn catalog_networks(
        &self,
        py: Python<'_>,
        country_code: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "catalog_networks", || {
            let r = detach(py, || {
                self.inner.catalog().networks(country_code.as_deref())
            });
            response(py, r)
        })
    }

    fn catalog_products(&self, py: Python<'_>, network_id: i64) -> PyResult<Py<PyAny>> {
        guard(py, "catalog_products", || {
            let r = detach(py, || self.inner.catalog().products(network_id));
            response(py, r)
        })
    }

    /// Validate an order and fix its handles (core's `CreateTopUp::prepared`): the reference (generated if
    /// absent) and the idempotency key (derived from the reference if absent). Nothing is sent.
    #[pyo3(signature = (phone_number, network_id, *, amount=None, currency=None, product_id=None, sms=None,
        sms_message=None, reference=None, callback_url=None, metadata_json=None, idempotency_key=None))]
    #[allow(clippy::too_many_arguments)]
    fn topups_prepare(
        &self,
        py: Python<'_>,
        phone_number: String,
        network_id: i64,
        amount: Option<String>,
        currency: Option<String>,
        product_id: Option<String>,
        sms: Option<bool>,
        sms_message: Option<String>,
        reference: Option<String>,
        callback_url: Option<String>,
        metadata_json: Option<String>,
        idempotency_key: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "topups_prepare", || {
            let order = V2Order {
                phone_number,
                network_id,
                amount,
                currency,
                product_id,
                sms,
                sms_message,
                reference,
                callback_url,
                metadata_json,
                idempotency_key,
            };
            let prepared = check(
                py,
                order.build().and_then(|req| {
                    req.validate()?;
                    Ok(req.prepared())
                }),
            )?;
            Ok(v2_order_to_py(py, &prepared)?.into_any().unbind())
        })
    }

    #[pyo3(signature = (phone_number, network_id, *, amount=None, currency=None, product_id=None, sms=None,
        sms_message=None, reference=None, callback_url=None, metadata_json=None, idempotency_key=None, cancel=None))]
    #[allow(clippy::too_many_arguments)]
    fn topups_create(
        &self,
        py: Python<'_>,
        phone_number: String,
        network_id: i64,
        amount: Option<String>,
        currency: Option<String>,
        product_id: Option<String>,
        sms: Option<bool>,
        sms_message: Option<String>,
        reference: Option<String>,
        callback_url: Option<String>,
        metadata_json: Option<String>,
        idempotency_key: Option<String>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<Py<PyAny>> {
        let cancel = cancel_of(cancel);
        guard(py, "topups_create", || {
            let order = V2Order {
                phone_number,
                network_id,
                amount,
                currency,
                product_id,
                sms,
                sms_message,
                reference,
                callback_url,
                metadata_json,
                idempotency_key,
            };
            // the handles are fixed here (core's one rule), so that even a panic can name them
            let order = check(py, order.build())?.prepared();
            let reference = order.reference.clone().unwrap_or_default();
            let key = order.idempotency_key.clone();
            guard_send(py, "topups_create", &reference, key.as_deref(), || {
                let r = detach(py, || match &cancel {
                    Some(c) => self.inner.topups().create_cancellable(&order, c),
                    None => self.inner.topups().create(&order),
                });
                response(py, r)
            })
        })
    }

    fn topups_get(&self, py: Python<'_>, id: String) -> PyResult<Py<PyAny>> {
        guard(py, "topups_get", || {
            let r = detach(py, || self.inner.topups().get(&id));
            response(py, r)
        })
    }

    #[pyo3(signature = (*, page=None, per_page=None, status=None, phone_number=None, reference=None,
        from_=None, to=None, sort=None))]
    #[allow(clippy::too_many_arguments)]
    fn topups_list(
        &self,
        py: Python<'_>,
        page: Option<i64>,
        per_page: Option<i64>,
        status: Option<String>,
        phone_number: Option<String>,
        reference: Option<String>,
        from_: Option<String>,
        to: Option<String>,
        sort: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "topups_list", || {
            let r = detach(py, || {
                let f = list_filter(
                    page,
                    per_page,
                    status,
                    phone_number,
                    reference,
                    from_,
                    to,
                    sort,
                )?;
                self.inner.topups().list(&f)
            });
            response(py, r)
        })
    }

    #[pyo3(signature = (*, page=None, per_page=None, status=None, phone_number=None, reference=None,
        from_=None, to=None, sort=None, cancel=None))]
    #[allow(clippy::too_many_arguments)]
    fn topups_list_all(
        &self,
        py: Python<'_>,
        page: Option<i64>,
        per_page: Option<i64>,
        status: Option<String>,
        phone_number: Option<String>,
        reference: Option<String>,
        from_: Option<String>,
        to: Option<String>,
        sort: Option<String>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<TopUpIter> {
        let cancel = cancel_of(cancel);
        guard(py, "topups_list_all", || {
            let r = list_filter(
                page,
                per_page,
                status,
                phone_number,
                reference,
                from_,
                to,
                sort,
            )
            .and_then(|f| self.inner.topups().list_all(&f))
            .map(|pages| match cancel {
                Some(c) => pages.with_cancel(c),
                None => pages,
            });
            Ok(TopUpIter {
                inner: Mutex::new(check(py, r)?),
            })
        })
    }

    fn topups_reconcile(&self, py: Python<'_>, reference: String) -> PyResult<Option<Py<PyAny>>> {
        guard(py, "topups_reconcile", || {
            let r = detach(py, || self.inner.topups().reconcile(&reference));
            opt_response(py, r)
        })
    }

    #[pyo3(signature = (id, *, deadline=None, initial_interval=None, max_interval=None, not_found_grace=None, cancel=None))]
    #[allow(clippy::too_many_arguments)]
    fn topups_wait(
        &self,
        py: Python<'_>,
        id: String,
        deadline: Option<f64>,
        initial_interval: Option<f64>,
        max_interval: Option<f64>,
        not_found_grace: Option<f64>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<Py<PyAny>> {
        let cancel = cancel_of(cancel);
        guard(py, "topups_wait", || {
            let r = detach(py, || {
                let mut opts =
                    wait_options(deadline, initial_interval, max_interval, not_found_grace)?;
                opts.cancel = cancel;
                self.inner.topups().wait(&id, &opts)
            });
            response(py, r)
        })
    }

    /// The same wait, driven step by step by the caller (no network here: the first `step()` polls).
    #[pyo3(signature = (id, *, deadline=None, initial_interval=None, max_interval=None, not_found_grace=None, cancel=None))]
    #[allow(clippy::too_many_arguments)]
    fn topups_wait_steps(
        &self,
        py: Python<'_>,
        id: String,
        deadline: Option<f64>,
        initial_interval: Option<f64>,
        max_interval: Option<f64>,
        not_found_grace: Option<f64>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<NativeWait> {
        let cancel = cancel_of(cancel);
        guard(py, "topups_wait_steps", || {
            let w = wait_options(deadline, initial_interval, max_interval, not_found_grace)
                .and_then(|mut opts| {
                    opts.cancel = cancel;
                    self.inner.topups().wait_steps(&id, &opts)
                });
            Ok(NativeWait {
                inner: Mutex::new(WaitInner::V2(check(py, w)?)),
            })
        })
    }

    /// Bulk payouts (core's `bulk::run_v2`) of a CSV text; see `bulk_run`.
    #[pyo3(signature = (source_name, data, *, concurrency=4, on_progress=None, cancel=None))]
    fn bulk(
        &self,
        py: Python<'_>,
        source_name: &str,
        data: &[u8],
        concurrency: i64,
        on_progress: Option<Py<PyAny>>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "bulk", || {
            let client = self.inner.clone();
            bulk_run(
                py,
                BulkApi::V2,
                source_name,
                data,
                concurrency,
                on_progress,
                cancel,
                Box::new(move |rows, opts, progress| {
                    clickairtime::bulk::run_v2(&client, rows, opts, progress)
                }),
            )
        })
    }

    fn balance_list(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "balance_list", || {
            let r = detach(py, || self.inner.balance().list());
            response(py, r)
        })
    }

    fn balance_get(&self, py: Python<'_>, wallet_id: String) -> PyResult<Py<PyAny>> {
        guard(py, "balance_get", || {
            let r = detach(py, || self.inner.balance().get(&wallet_id));
            response(py, r)
        })
    }

    fn verify_webhook(
        &self,
        py: Python<'_>,
        body: &[u8],
        signature: &str,
        timestamp: &str,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "verify_webhook", || {
            let ev = check(py, self.inner.verify_webhook(body, signature, timestamp))?;
            to_py(py, &ev)
        })
    }

    /// Open journal entries (`in_flight`, `unknown`), oldest first; empty without a journal.
    fn pending(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "pending", || {
            let r = detach(py, || self.inner.pending());
            entries_to_py(py, r)
        })
    }

    fn journal_entry(&self, py: Python<'_>, reference: String) -> PyResult<Option<Py<PyAny>>> {
        guard(py, "journal_entry", || {
            let r = detach(py, || self.inner.journal_entry(&reference));
            opt_entry_to_py(py, r)
        })
    }

    fn recover(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "recover", || {
            let r = detach(py, || self.inner.recover());
            recoveries_to_py(py, r)
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn list_filter(
    page: Option<i64>,
    per_page: Option<i64>,
    status: Option<String>,
    phone_number: Option<String>,
    reference: Option<String>,
    from: Option<String>,
    to: Option<String>,
    sort: Option<String>,
) -> CoreResult<v2::ListTopUps> {
    Ok(v2::ListTopUps {
        page: u32_arg("page", page)?,
        per_page: u32_arg("per_page", per_page)?,
        status: status.map(|s| v2::TopUpStatus::from(s.as_str())),
        phone_number,
        reference,
        from,
        to,
        sort,
    })
}

/// Iterator over every top-up of a listing, page after page; the GIL is released while a page is fetched.
#[pyclass(module = "clickairtime._native")]
struct TopUpIter {
    inner: Mutex<v2::TopUpPages>,
}

#[pymethods]
impl TopUpIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        guard(py, "TopUpIter.__next__", || {
            let next = detach(py, || {
                self.inner.lock().unwrap_or_else(|p| p.into_inner()).next()
            });
            match next {
                None => Ok(None),
                Some(Ok(t)) => Ok(Some(to_py(py, &t)?)),
                Some(Err(e)) => Err(py_error(py, &e)),
            }
        })
    }
}

// ------------------------------------------------------------------------------------------------
// V1

/// Native V1 client; `clickairtime.V1Client` wraps it.
#[pyclass(frozen, module = "clickairtime._native")]
struct V1Client {
    inner: v1::Client,
}

fn v1_order(
    msisdn: String,
    amount: Option<String>,
    product_id: Option<i64>,
    ext_ref_id: Option<String>,
    processing_mode: Option<String>,
    send_sms: bool,
) -> CoreResult<v1::SendTopUp> {
    let mode = match processing_mode.as_deref() {
        None => v1::ProcessingMode::Sync,
        Some(m) => m.parse::<v1::ProcessingMode>()?,
    };
    Ok(v1::SendTopUp {
        msisdn,
        amount: self::amount("amount", amount)?,
        product_id,
        ext_ref_id,
        processing_mode: mode,
        send_sms,
    })
}

#[pymethods]
impl V1Client {
    #[new]
    #[pyo3(signature = (email, token, *, base_url=None, timeout=None, connect_timeout=None, read_timeout=None,
        max_retries=None, retry_base_delay=None, max_retry_delay=None, max_retry_after=None, send_deadline=None,
        proxy=None, proxy_from_env=None, ca_certificates_pem=None, user_agent_suffix=None,
        max_idle_connections_per_host=None, topup_path=None, journal=None, convergence_bound=None,
        rate_limit_per_minute=None, rate_limit_per_hour=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        email: String,
        token: String,
        base_url: Option<String>,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        read_timeout: Option<f64>,
        max_retries: Option<i64>,
        retry_base_delay: Option<f64>,
        max_retry_delay: Option<f64>,
        max_retry_after: Option<f64>,
        send_deadline: Option<f64>,
        proxy: Option<String>,
        proxy_from_env: Option<bool>,
        ca_certificates_pem: Option<Vec<u8>>,
        user_agent_suffix: Option<String>,
        max_idle_connections_per_host: Option<i64>,
        topup_path: Option<String>,
        journal: Option<PathBuf>,
        convergence_bound: Option<f64>,
        rate_limit_per_minute: Option<i64>,
        rate_limit_per_hour: Option<i64>,
    ) -> PyResult<Self> {
        guard(py, "V1Client", || {
            let opts = HttpOptions {
                base_url,
                timeout,
                connect_timeout,
                read_timeout,
                max_retries,
                retry_base_delay,
                max_retry_delay,
                max_retry_after,
                send_deadline,
                proxy,
                proxy_from_env,
                ca_certificates_pem,
                user_agent_suffix,
                max_idle_connections_per_host,
                journal,
                convergence_bound,
                rate_limit_per_minute,
                rate_limit_per_hour,
            };
            let built = detach(py, || {
                opts.apply(v1::Client::builder(email, token))
                    .and_then(|mut b| {
                        if let Some(p) = topup_path {
                            b = b.topup_path(p);
                        }
                        b.build()
                    })
            });
            Ok(V1Client {
                inner: check(py, built)?,
            })
        })
    }

    #[getter]
    fn base_url(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, "base_url", || Ok(self.inner.base_url().to_owned()))
    }

    fn last_rate_limit(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "last_rate_limit", || {
            let rl = detach(py, || self.inner.last_rate_limit());
            to_py(py, &rl)
        })
    }

    /// Validate an order and fix its `ext_ref_id` (core's `SendTopUp::prepared`). Nothing is sent.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (msisdn, *, amount=None, product_id=None, ext_ref_id=None, processing_mode=None, send_sms=false))]
    fn prepare_topup(
        &self,
        py: Python<'_>,
        msisdn: String,
        amount: Option<String>,
        product_id: Option<i64>,
        ext_ref_id: Option<String>,
        processing_mode: Option<String>,
        send_sms: bool,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "prepare_topup", || {
            let o = check(
                py,
                v1_order(
                    msisdn,
                    amount,
                    product_id,
                    ext_ref_id,
                    processing_mode,
                    send_sms,
                )
                .and_then(|req| {
                    req.validate()?;
                    Ok(req.prepared())
                }),
            )?;
            let d = PyDict::new(py);
            d.set_item("msisdn", &o.msisdn)?;
            d.set_item("amount", o.amount.map(|a| a.to_string()))?;
            d.set_item("product_id", o.product_id)?;
            d.set_item("ext_ref_id", o.ext_ref_id.as_deref())?;
            d.set_item(
                "processing_mode",
                match o.processing_mode {
                    v1::ProcessingMode::Sync => "SYNC",
                    v1::ProcessingMode::Async => "ASYNC",
                },
            )?;
            d.set_item("send_sms", o.send_sms)?;
            Ok(d.into_any().unbind())
        })
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (msisdn, *, amount=None, product_id=None, ext_ref_id=None, processing_mode=None, send_sms=false, cancel=None))]
    fn send_topup(
        &self,
        py: Python<'_>,
        msisdn: String,
        amount: Option<String>,
        product_id: Option<i64>,
        ext_ref_id: Option<String>,
        processing_mode: Option<String>,
        send_sms: bool,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<Py<PyAny>> {
        let cancel = cancel_of(cancel);
        guard(py, "send_topup", || {
            let order = check(
                py,
                v1_order(
                    msisdn,
                    amount,
                    product_id,
                    ext_ref_id,
                    processing_mode,
                    send_sms,
                ),
            )?
            .prepared();
            let reference = order.ext_ref_id.clone().unwrap_or_default();
            guard_send(py, "send_topup", &reference, None, || {
                let r = detach(py, || match &cancel {
                    Some(c) => self.inner.send_topup_cancellable(&order, c),
                    None => self.inner.send_topup(&order),
                });
                response(py, r)
            })
        })
    }

    #[pyo3(signature = (*, transaction_id=None, msisdn=None, ext_ref_id=None))]
    fn transactions(
        &self,
        py: Python<'_>,
        transaction_id: Option<String>,
        msisdn: Option<String>,
        ext_ref_id: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "transactions", || {
            let r = detach(py, || {
                let f = v1::TransactionFilter {
                    transaction_id,
                    msisdn,
                    ext_ref_id,
                };
                self.inner.transactions(&f)
            });
            response(py, r)
        })
    }

    fn reconcile(&self, py: Python<'_>, ext_ref_id: String) -> PyResult<Option<Py<PyAny>>> {
        guard(py, "reconcile", || {
            let r = detach(py, || self.inner.reconcile(&ext_ref_id));
            opt_response(py, r)
        })
    }

    #[pyo3(signature = (ext_ref_id, *, deadline=None, initial_interval=None, max_interval=None, not_found_grace=None, cancel=None))]
    #[allow(clippy::too_many_arguments)]
    fn wait(
        &self,
        py: Python<'_>,
        ext_ref_id: String,
        deadline: Option<f64>,
        initial_interval: Option<f64>,
        max_interval: Option<f64>,
        not_found_grace: Option<f64>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<Py<PyAny>> {
        let cancel = cancel_of(cancel);
        guard(py, "wait", || {
            let r = detach(py, || {
                let mut opts =
                    wait_options(deadline, initial_interval, max_interval, not_found_grace)?;
                opts.cancel = cancel;
                self.inner.wait(&ext_ref_id, &opts)
            });
            response(py, r)
        })
    }

    /// The same wait, driven step by step by the caller (no network here).
    #[pyo3(signature = (ext_ref_id, *, deadline=None, initial_interval=None, max_interval=None, not_found_grace=None, cancel=None))]
    #[allow(clippy::too_many_arguments)]
    fn wait_steps(
        &self,
        py: Python<'_>,
        ext_ref_id: String,
        deadline: Option<f64>,
        initial_interval: Option<f64>,
        max_interval: Option<f64>,
        not_found_grace: Option<f64>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<NativeWait> {
        let cancel = cancel_of(cancel);
        guard(py, "wait_steps", || {
            let w = wait_options(deadline, initial_interval, max_interval, not_found_grace)
                .and_then(|mut opts| {
                    opts.cancel = cancel;
                    self.inner.wait_steps(&ext_ref_id, &opts)
                });
            Ok(NativeWait {
                inner: Mutex::new(WaitInner::V1(check(py, w)?)),
            })
        })
    }

    /// Bulk payouts (core's `bulk::run_v1`) of a CSV text; see `bulk_run`.
    #[pyo3(signature = (source_name, data, *, concurrency=4, on_progress=None, cancel=None))]
    fn bulk(
        &self,
        py: Python<'_>,
        source_name: &str,
        data: &[u8],
        concurrency: i64,
        on_progress: Option<Py<PyAny>>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "bulk", || {
            let client = self.inner.clone();
            bulk_run(
                py,
                BulkApi::V1,
                source_name,
                data,
                concurrency,
                on_progress,
                cancel,
                Box::new(move |rows, opts, progress| {
                    clickairtime::bulk::run_v1(&client, rows, opts, progress)
                }),
            )
        })
    }

    fn product_catalog(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "product_catalog", || {
            let r = detach(py, || self.inner.product_catalog());
            response(py, r)
        })
    }

    fn products(&self, py: Python<'_>, service_id: i64) -> PyResult<Py<PyAny>> {
        guard(py, "products", || {
            let r = detach(py, || self.inner.products(service_id));
            response(py, r)
        })
    }

    fn product(&self, py: Python<'_>, product_id: i64) -> PyResult<Py<PyAny>> {
        guard(py, "product", || {
            let r = detach(py, || self.inner.product(product_id));
            response(py, r)
        })
    }

    fn balances(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "balances", || {
            let r = detach(py, || self.inner.balances());
            response(py, r)
        })
    }

    fn balance(&self, py: Python<'_>, account_id: String) -> PyResult<Py<PyAny>> {
        guard(py, "balance", || {
            let r = detach(py, || self.inner.balance(&account_id));
            response(py, r)
        })
    }

    fn pending(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "pending", || {
            let r = detach(py, || self.inner.pending());
            entries_to_py(py, r)
        })
    }

    fn journal_entry(&self, py: Python<'_>, ext_ref_id: String) -> PyResult<Option<Py<PyAny>>> {
        guard(py, "journal_entry", || {
            let r = detach(py, || self.inner.journal_entry(&ext_ref_id));
            opt_entry_to_py(py, r)
        })
    }

    fn recover(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "recover", || {
            let r = detach(py, || self.inner.recover());
            recoveries_to_py(py, r)
        })
    }
}

// ------------------------------------------------------------------------------------------------
// webhooks, phone numbers, handles, enums, error table

#[pyfunction]
#[pyo3(signature = (body, signature, timestamp, api_key, tolerance=None))]
fn webhook_verify(
    py: Python<'_>,
    body: &[u8],
    signature: &str,
    timestamp: &str,
    api_key: &str,
    tolerance: Option<f64>,
) -> PyResult<()> {
    guard(py, "webhook_verify", || {
        let r = secs("tolerance", tolerance).and_then(|tol| {
            clickairtime::webhooks::verify(body, signature, timestamp, api_key, tol)
        });
        check(py, r)
    })
}

#[pyfunction]
fn webhook_parse(py: Python<'_>, body: &[u8]) -> PyResult<Py<PyAny>> {
    guard(py, "webhook_parse", || {
        let ev = check(py, clickairtime::webhooks::parse(body))?;
        to_py(py, &ev)
    })
}

#[pyfunction]
fn webhook_sign(py: Python<'_>, body: &[u8], timestamp: &str, api_key: &str) -> PyResult<String> {
    guard(py, "webhook_sign", || {
        Ok(clickairtime::webhooks::sign(body, timestamp, api_key))
    })
}

/// A number as people type it, as E.164; a national number needs its `country` (ISO 3166-1 alpha-2).
#[pyfunction]
#[pyo3(signature = (number, country=None))]
fn to_e164(py: Python<'_>, number: &str, country: Option<&str>) -> PyResult<String> {
    guard(py, "to_e164", || {
        check(
            py,
            match country {
                Some(c) => clickairtime::phone::to_e164_in(number, c),
                None => clickairtime::phone::to_e164(number),
            },
        )
    })
}

/// Validate a bulk file without sending anything: `{"rows": n, "totals": {currency: "amount"}}`, or core's
/// one `INVALID_INPUT` listing every bad line, with `.row_errors`: `[{"line", "index", "field", "message"}]`
/// for every bad row (`index`: the row's position among the data rows, `line - 2`).
#[pyfunction]
fn bulk_check(py: Python<'_>, api: &str, source_name: &str, data: &[u8]) -> PyResult<Py<PyAny>> {
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

/// Run the `clickairtime` command (the `clickairtime-cli` crate, the same code as the cargo-installed
/// binary) with `argv` (`argv[0]` is the program name) and return its exit code. The GIL is released for the
/// whole command; its output goes straight to file descriptors 1 and 2.
#[pyfunction]
fn cli_main(py: Python<'_>, argv: Vec<String>) -> PyResult<i32> {
    guard(py, "cli_main", || {
        let code = detach(py, move || {
            let code = clickairtime_cli::main_with_args(argv);
            use std::io::Write;
            let _ = std::io::stdout().flush();
            let _ = std::io::stderr().flush();
            code
        });
        Ok(code)
    })
}

#[pyfunction]
fn to_msisdn(py: Python<'_>, number: &str) -> PyResult<String> {
    guard(py, "to_msisdn", || {
        check(py, clickairtime::phone::to_msisdn(number))
    })
}

/// Validate an amount given as text; returns its exact decimal text.
#[pyfunction]
fn parse_amount(py: Python<'_>, field: &str, text: &str) -> PyResult<String> {
    guard(py, "parse_amount", || {
        check(
            py,
            clickairtime::money::parse_amount(field, text).map(|d| d.to_string()),
        )
    })
}

/// A new unique reference (`ca-<uuid>`), for a sale written down before it is sent (core's rule).
#[pyfunction]
fn new_reference(py: Python<'_>) -> PyResult<String> {
    guard(py, "new_reference", || Ok(v2::new_reference()))
}

/// The `Idempotency-Key` a V2 send of `reference` carries by default (deterministic; core's rule).
#[pyfunction]
fn idempotency_key_for(py: Python<'_>, reference: &str) -> PyResult<String> {
    guard(py, "idempotency_key_for", || {
        Ok(v2::idempotency_key_for(reference))
    })
}

/// `(wire spelling, is_terminal, is_success)` of a V2 top-up status, as core reads it.
#[pyfunction]
fn topup_status_info(py: Python<'_>, status: &str) -> PyResult<(String, bool, bool)> {
    guard(py, "topup_status_info", || {
        let s = v2::TopUpStatus::from(status);
        Ok((s.as_str().to_owned(), s.is_terminal(), s.is_success()))
    })
}

/// `(wire spelling, is_terminal, is_success)` of a V1 transaction state, as core reads it.
#[pyfunction]
fn transaction_state_info(py: Python<'_>, state: &str) -> PyResult<(String, bool, bool)> {
    guard(py, "transaction_state_info", || {
        let s = v1::TransactionState::from(state);
        Ok((s.as_str().to_owned(), s.is_terminal(), s.is_success()))
    })
}

/// Every error code of core (`ErrorKind::as_str`), in core's order.
#[pyfunction]
fn error_codes(py: Python<'_>) -> PyResult<Vec<&'static str>> {
    guard(py, "error_codes", || {
        Ok(ErrorKind::ALL.iter().map(|k| k.as_str()).collect())
    })
}

/// For an error code: whether a send that ended with it was definitely not created (core's
/// `ErrorKind::is_definitely_not_sent`); `None` for a code core does not know.
#[pyfunction]
fn is_definitely_not_sent(py: Python<'_>, code: &str) -> PyResult<Option<bool>> {
    guard(py, "is_definitely_not_sent", || {
        Ok(ErrorKind::from_name(code).map(ErrorKind::is_definitely_not_sent))
    })
}

// ------------------------------------------------------------------------------------------------
// sandbox

/// The in-process emulator; `clickairtime.sandbox.Sandbox` wraps it.
#[pyclass(frozen, module = "clickairtime._native")]
struct NativeSandbox {
    inner: Mutex<Option<Sandbox>>,
    #[pyo3(get)]
    base_url: String,
    #[pyo3(get)]
    port: u16,
    #[pyo3(get)]
    api_key: String,
    #[pyo3(get)]
    v1_email: String,
    #[pyo3(get)]
    v1_token: String,
}

impl NativeSandbox {
    fn with<T: Send>(&self, py: Python<'_>, f: impl FnOnce(&Sandbox) -> T + Send) -> PyResult<T> {
        detach(py, || {
            let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            guard.as_ref().map(f)
        })
        .ok_or_else(|| invalid(py, "sandbox", "is stopped (it was closed)"))
    }
}

/// A `ValidationError` (code `INVALID_INPUT`) naming `field`: every bad sandbox setting is one.
fn invalid(py: Python<'_>, field: &str, message: impl std::fmt::Display) -> PyErr {
    py_error(py, &CoreError::invalid(field, message.to_string()))
}

fn sandbox_io_error(py: Python<'_>, e: std::io::Error) -> PyErr {
    if e.kind() == std::io::ErrorKind::InvalidInput {
        // the one setting the sandbox checks itself: a fixed api_key must look like a real one
        invalid(py, "api_key", e)
    } else {
        PyOSError::new_err(e.to_string())
    }
}

#[pymethods]
impl NativeSandbox {
    #[new]
    #[pyo3(signature = (*, port=0, api_key=None, v1_email=None, v1_token=None, processing_after=None,
        complete_after=None, slow_delay=None, duplicate_window=None, rate_limit_per_minute=None,
        duplicate_mode=None, idempotency_mode=None, v1_duplicate_window=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        port: u16,
        api_key: Option<String>,
        v1_email: Option<String>,
        v1_token: Option<String>,
        processing_after: Option<f64>,
        complete_after: Option<f64>,
        slow_delay: Option<f64>,
        duplicate_window: Option<f64>,
        rate_limit_per_minute: Option<u32>,
        duplicate_mode: Option<String>,
        idempotency_mode: Option<String>,
        v1_duplicate_window: Option<f64>,
    ) -> PyResult<Self> {
        guard(py, "NativeSandbox", || {
            let mut c = SandboxConfig::default().port(port);
            if let Some(k) = api_key {
                c = c.api_key(k);
            }
            if let Some(e) = v1_email {
                c = c.v1_email(e);
            }
            if let Some(t) = v1_token {
                c = c.v1_token(t);
            }
            let dur = |field: &str, v| secs(field, v).map_err(|e| py_error(py, &e));
            if let Some(d) = dur("processing_after", processing_after)? {
                c = c.processing_after(d);
            }
            if let Some(d) = dur("complete_after", complete_after)? {
                c = c.complete_after(d);
            }
            if let Some(d) = dur("slow_delay", slow_delay)? {
                c = c.slow_delay(d);
            }
            if let Some(d) = dur("duplicate_window", duplicate_window)? {
                c = c.duplicate_window(d);
            }
            if let Some(n) = rate_limit_per_minute {
                c = c.rate_limit_per_minute(n);
            }
            if let Some(m) = duplicate_mode {
                c = c.duplicate_mode(
                    DuplicateMode::from_str(&m).map_err(|e| invalid(py, "duplicate_mode", e))?,
                );
            }
            if let Some(m) = idempotency_mode {
                c = c.idempotency_mode(
                    IdempotencyMode::from_str(&m)
                        .map_err(|e| invalid(py, "idempotency_mode", e))?,
                );
            }
            if let Some(d) = dur("v1_duplicate_window", v1_duplicate_window)? {
                c = c.v1_duplicate_window(d);
            }
            let sb = py
                .detach(|| Sandbox::start_with(c))
                .map_err(|e| sandbox_io_error(py, e))?;
            Ok(NativeSandbox {
                base_url: sb.base_url().to_owned(),
                port: sb.port(),
                api_key: sb.api_key().to_owned(),
                v1_email: sb.v1_email().to_owned(),
                v1_token: sb.v1_token().to_owned(),
                inner: Mutex::new(Some(sb)),
            })
        })
    }

    #[getter]
    fn running(&self, py: Python<'_>) -> PyResult<bool> {
        guard(py, "running", || {
            Ok(self
                .inner
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_some())
        })
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (fault, *, count=1, skip=0, method=None, path=None, delay=None, retry_after=None))]
    fn inject(
        &self,
        py: Python<'_>,
        fault: &str,
        count: u32,
        skip: u32,
        method: Option<String>,
        path: Option<String>,
        delay: Option<f64>,
        retry_after: Option<u64>,
    ) -> PyResult<()> {
        guard(py, "inject", || {
            let kind = FaultKind::from_str(fault).map_err(|e| invalid(py, "fault", e))?;
            let mut f = Fault::new(kind).count(count).skip(skip);
            if let Some(m) = method {
                f = f.method(m);
            }
            if let Some(p) = path {
                f = f.path(p);
            }
            if let Some(d) = secs("delay", delay).map_err(|e| py_error(py, &e))? {
                f = f.delay(d);
            }
            if let Some(r) = retry_after {
                f = f.retry_after(r);
            }
            self.with(py, move |sb| sb.inject(f))
        })
    }

    /// Change the runtime modes (only the given ones), as `POST /_sandbox/config` does; returns the modes.
    #[pyo3(signature = (*, duplicate_mode=None, duplicate_window=None, idempotency_mode=None, v1_duplicate_window=None))]
    fn configure(
        &self,
        py: Python<'_>,
        duplicate_mode: Option<String>,
        duplicate_window: Option<f64>,
        idempotency_mode: Option<String>,
        v1_duplicate_window: Option<f64>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "configure", || {
            let dup = duplicate_mode
                .map(|m| DuplicateMode::from_str(&m).map_err(|e| invalid(py, "duplicate_mode", e)))
                .transpose()?;
            let idem = idempotency_mode
                .map(|m| {
                    IdempotencyMode::from_str(&m).map_err(|e| invalid(py, "idempotency_mode", e))
                })
                .transpose()?;
            let window =
                secs("duplicate_window", duplicate_window).map_err(|e| py_error(py, &e))?;
            let v1_window =
                secs("v1_duplicate_window", v1_duplicate_window).map_err(|e| py_error(py, &e))?;
            let v = self.with(py, move |sb| {
                if let Some(m) = dup {
                    sb.set_duplicate_mode(m);
                }
                if let Some(w) = window {
                    sb.set_duplicate_window(w);
                }
                if let Some(m) = idem {
                    sb.set_idempotency_mode(m);
                }
                if let Some(w) = v1_window {
                    sb.set_v1_duplicate_window(w);
                }
                sb.config()
            })?;
            Ok(json_to_py(py, &v)?.unbind())
        })
    }

    fn config(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "config", || {
            let v = self.with(py, |sb| sb.config())?;
            Ok(json_to_py(py, &v)?.unbind())
        })
    }

    fn stats(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "stats", || {
            let v = self.with(py, |sb| sb.stats())?;
            Ok(json_to_py(py, &v)?.unbind())
        })
    }

    fn transactions(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "transactions", || {
            let v = self.with(py, |sb| sb.transactions())?;
            Ok(json_to_py(py, &v)?.unbind())
        })
    }

    fn webhook_deliveries(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "webhook_deliveries", || {
            let v = self.with(py, |sb| sb.webhook_deliveries())?;
            Ok(json_to_py(py, &v)?.unbind())
        })
    }

    fn reset(&self, py: Python<'_>) -> PyResult<()> {
        guard(py, "reset", || self.with(py, |sb| sb.reset()))
    }

    /// Stop the sandbox (idempotent). The GIL is released while its threads are joined.
    fn shutdown(&self, py: Python<'_>) -> PyResult<()> {
        guard(py, "shutdown", || {
            detach(py, || {
                let sb = self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
                if let Some(sb) = sb {
                    sb.shutdown();
                }
            });
            Ok(())
        })
    }
}

// ------------------------------------------------------------------------------------------------
// logging: core's `log` records (target "clickairtime") go to Python's `logging.getLogger("clickairtime")`
//
// Asking Python whether a record is wanted means attaching to the interpreter from inside `py.detach`, on
// every record: the bridge keeps the logger's threshold in an atomic instead (`PY_LEVEL`: the lowest Python
// level `isEnabledFor` can say yes to), so a record nobody wants costs a compare. The cache is checked at
// every call boundary, where the calling thread holds the GIL anyway (`detach`): it is refreshed when
// `logging` has cleared its own caches since (every `setLevel` of any logger and `logging.disable` do: the
// bridge keeps a key of its own in the logger's `_cache` dict and looks for it) or when it is a second old.
// During a long call (a wait), a record below a cached level that is more than a second old attaches and
// refreshes, so a level set from another thread also applies within a second. A record that passes still
// goes through `Logger.log`, which has the last word (handlers, `disabled`, filters).

static FORWARD_LOGS: AtomicBool = AtomicBool::new(true);
/// Lowest Python level that may be enabled for the `clickairtime` logger (0: all, until the first check).
static PY_LEVEL: AtomicU8 = AtomicU8::new(0);
/// When `PY_LEVEL` was last read from Python, in `now_ms()` units (0: never).
static LEVEL_CHECKED_MS: AtomicU64 = AtomicU64::new(0);
const LEVEL_MAX_AGE_MS: u64 = 1000;

/// The `clickairtime` logger, its level cache (CPython's `Logger._cache`, when there is one) and the key the
/// bridge keeps in it.
struct PyLogger {
    logger: Py<PyAny>,
    cache: Option<Py<PyDict>>,
    marker: Py<PyAny>,
}

static PY_LOGGER: PyOnceLock<PyLogger> = PyOnceLock::new();

fn py_logger(py: Python<'_>) -> PyResult<&PyLogger> {
    PY_LOGGER.get_or_try_init(py, || {
        let logger = py
            .import("logging")?
            .call_method1("getLogger", ("clickairtime",))?;
        let cache = logger
            .getattr("_cache")
            .ok()
            .and_then(|c| c.cast_into::<PyDict>().ok())
            .map(Bound::unbind);
        let marker = py.import("builtins")?.getattr("object")?.call0()?.unbind();
        Ok(PyLogger {
            logger: logger.unbind(),
            cache,
            marker,
        })
    })
}

fn now_ms() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    let ms = START.get_or_init(Instant::now).elapsed().as_millis();
    u64::try_from(ms).unwrap_or(u64::MAX - 1) + 1
}

fn level_cache_is_old() -> bool {
    now_ms().saturating_sub(LEVEL_CHECKED_MS.load(Ordering::Relaxed)) >= LEVEL_MAX_AGE_MS
}

/// Read the logger's threshold from Python into `PY_LEVEL` (the GIL is held).
fn refresh_log_level(py: Python<'_>) {
    let Ok(l) = py_logger(py) else {
        PY_LEVEL.store(0, Ordering::Relaxed); // let `Logger.log` decide, as if nothing were cached
        return;
    };
    let logger = l.logger.bind(py);
    // the marker goes in first: a level change while the level is read clears it again
    if let Some(cache) = &l.cache {
        let _ = cache.bind(py).set_item(l.marker.bind(py), true);
    }
    let threshold = (|| -> PyResult<i64> {
        let effective: i64 = logger.call_method0("getEffectiveLevel")?.extract()?;
        let disabled: i64 = logger.getattr("manager")?.getattr("disable")?.extract()?;
        Ok(effective.max(disabled.saturating_add(1)))
    })()
    .unwrap_or(0);
    PY_LEVEL.store(threshold.clamp(0, 255) as u8, Ordering::Relaxed);
    LEVEL_CHECKED_MS.store(now_ms(), Ordering::Relaxed);
}

/// At a call boundary (the GIL is held): refresh `PY_LEVEL` if `logging` changed since, or it is old.
fn sync_log_level(py: Python<'_>) {
    if !FORWARD_LOGS.load(Ordering::Relaxed) {
        return;
    }
    let current = !level_cache_is_old()
        && PY_LOGGER.get(py).is_some_and(|l| {
            l.cache
                .as_ref()
                .is_some_and(|c| c.bind(py).contains(l.marker.bind(py)).unwrap_or(false))
        });
    if !current {
        refresh_log_level(py);
    }
}

/// `detach(py, f)` at a call boundary: the log level cache is brought up to date first.
fn detach<T, F>(py: Python<'_>, f: F) -> T
where
    F: Ungil + FnOnce() -> T,
    T: Ungil,
{
    sync_log_level(py);
    py.detach(f)
}

struct LogBridge;

static LOG_BRIDGE: LogBridge = LogBridge;

fn is_core_target(target: &str) -> bool {
    target == "clickairtime" || target.starts_with("clickairtime::")
}

fn py_level(level: log::Level) -> u8 {
    match level {
        log::Level::Error => 40,
        log::Level::Warn => 30,
        log::Level::Info => 20,
        log::Level::Debug => 10,
        log::Level::Trace => 5,
    }
}

impl log::Log for LogBridge {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        FORWARD_LOGS.load(Ordering::Relaxed)
            && is_core_target(m.target())
            && (py_level(m.level()) >= PY_LEVEL.load(Ordering::Relaxed) || level_cache_is_old())
    }

    fn log(&self, record: &log::Record<'_>) {
        if !FORWARD_LOGS.load(Ordering::Relaxed) || !is_core_target(record.target()) {
            return;
        }
        let level = py_level(record.level());
        let wanted = level >= PY_LEVEL.load(Ordering::Relaxed);
        if !wanted && !level_cache_is_old() {
            return;
        }
        // formatted before attaching when it is known to go out
        let message = wanted.then(|| record.args().to_string());
        // try_attach: never attach to an interpreter that is not running (e.g. shutting down).
        Python::try_attach(|py| {
            if !wanted {
                refresh_log_level(py);
                if level < PY_LEVEL.load(Ordering::Relaxed) {
                    return;
                }
            }
            let message = message.unwrap_or_else(|| record.args().to_string());
            let emit = || -> PyResult<()> {
                // `Logger.log` checks `isEnabledFor` itself
                py_logger(py)?
                    .logger
                    .bind(py)
                    .call_method1("log", (u32::from(level), "%s", message))?;
                Ok(())
            };
            // a failing handler must not turn into an error of the call that logged
            let _ = emit();
        });
    }

    fn flush(&self) {}
}

/// Turn forwarding of core log records to Python `logging` on or off (the package turns it off at exit).
#[pyfunction]
fn set_log_forwarding(py: Python<'_>, enabled: bool) -> PyResult<()> {
    guard(py, "set_log_forwarding", || {
        FORWARD_LOGS.store(enabled, Ordering::Relaxed);
        log::set_max_level(if enabled {
            log::LevelFilter::Trace
        } else {
            log::LevelFilter::Off
        });
        Ok(())
    })
}

// ------------------------------------------------------------------------------------------------

/// Native layer of the clickairtime package (use `clickairtime`, not this module).
#[pymodule]
mod _native {
    #[pymodule_export]
    use super::{
        _set_test_panic, NativeCancel, NativeSandbox, NativeWait, TopUpIter, V1Client, V2Client,
        bulk_check, cli_main, error_codes, idempotency_key_for, is_definitely_not_sent,
        new_reference, parse_amount, set_log_forwarding, to_e164, to_msisdn, topup_status_info,
        transaction_state_info, webhook_parse, webhook_sign, webhook_verify,
    };

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        if log::set_logger(&super::LOG_BRIDGE).is_ok() {
            log::set_max_level(log::LevelFilter::Trace);
        }
        super::refresh_log_level(m.py());
        Ok(())
    }
}
