//! Core errors as the `clickairtime.errors` exception of their kind.

use clickairtime::{Error as CoreError, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::PyDict;

type CoreResult<T> = Result<T, CoreError>;

/// A core error as the `clickairtime.errors` exception of its kind, built by `_from_native(details)`.
pub(crate) fn py_error(py: Python<'_>, e: &CoreError) -> PyErr {
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
pub(crate) fn check<T>(py: Python<'_>, r: CoreResult<T>) -> PyResult<T> {
    r.map_err(|e| py_error(py, &e))
}
