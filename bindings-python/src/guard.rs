//! The panic boundary: no Rust panic reaches Python as pyo3's `PanicException`.

use clickairtime::ErrorKind;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU8, Ordering};

/// Test hook (`_set_test_panic`): 0 off, 1 every guarded call panics on entry, 2 only sends, once their
/// reference is fixed (right before core sends).
pub(crate) static TEST_PANIC: AtomicU8 = AtomicU8::new(0);
pub(crate) const PANIC_ANYWHERE: u8 = 1;
pub(crate) const PANIC_IN_SEND: u8 = 2;

pub(crate) fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// The exception of a caught panic: `ClickAirtimeError` (code `PANIC`), or, inside a send whose reference is
/// known, `OutcomeUnknownError` with that reference and key (cause kind `PANIC`).
pub(crate) fn panic_error(
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
pub(crate) fn guard<T>(
    py: Python<'_>,
    what: &'static str,
    f: impl FnOnce() -> PyResult<T>,
) -> PyResult<T> {
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
pub(crate) fn guard_send<T>(
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
pub(crate) fn _set_test_panic(mode: Option<&str>) -> PyResult<()> {
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
