//! What every answer carries besides its data (`Meta`, `RateLimit`, `Pagination`), and the answers of the
//! core as Python values: one model with `.meta`, or a list and its meta.

use crate::errors::check;
use crate::fill::build;
use crate::guard::guard;
use crate::model::{Decl, Dflt, Kind, attach_core};
use clickairtime::Error as CoreError;
use clickairtime::response::Response;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use serde::Serialize;

type CoreResult<T> = Result<T, CoreError>;

crate::model! {
    /// The `X-RateLimit-*` headers of an answer.
    RateLimit {
        limit: Kind::Plain, Dflt::Null;
        remaining: Kind::Plain, Dflt::Null;
        reset: Kind::Plain, Dflt::Null;
    }

    /// `reset` as an aware datetime.
    #[getter]
    fn reset_at(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        guard(py, "RateLimit.reset_at", || {
            let reset = slf.as_super().get().get(py, "reset")?;
            match reset.bind(py).extract::<i64>() {
                Ok(secs) => Ok(py
                    .import("clickairtime._dates")?
                    .getattr("ms_datetime")?
                    .call1((secs.saturating_mul(1000),))?
                    .unbind()),
                Err(_) => Ok(py.None()),
            }
        })
    }
}

crate::model! {
    /// `meta.pagination` of a V2 list answer.
    Pagination {
        page: Kind::Plain, Dflt::Int(0);
        per_page: Kind::Plain, Dflt::Int(0);
        total: Kind::Plain, Dflt::Int(0);
        total_pages: Kind::Plain, Dflt::Int(0);
        has_next: Kind::Plain, Dflt::Bool(false);
        has_prev: Kind::Plain, Dflt::Bool(false);
    }
}

crate::model! {
    /// Everything about an answer that is not its data.
    Meta {
        http_status: Kind::Plain, Dflt::Int(0);
        request_id: Kind::Plain, Dflt::Null;
        timestamp: Kind::Time, Dflt::Null;
        rate_limit: Kind::Model(RateLimit::DECL), Dflt::Null;
        pagination: Kind::Model(Pagination::DECL), Dflt::Null;
        reference: Kind::Plain, Dflt::Null;
        idempotency_key: Kind::Plain, Dflt::Null;
        replayed: Kind::Plain, Dflt::Bool(false);
        origin: Kind::Plain, Dflt::Null;
        attempts: Kind::Plain, Dflt::Int(0);
    }
}

/// The Python `Meta` of a core meta (what `.meta` makes on first access).
pub(crate) fn core_meta(
    py: Python<'_>,
    meta: &clickairtime::response::Meta,
) -> PyResult<Py<PyAny>> {
    build(py, Meta::DECL, meta)
}

/// A record and its meta as one model object with `.meta`.
pub(crate) fn with_meta<T: Serialize>(
    py: Python<'_>,
    decl: Decl,
    r: Response<T>,
) -> PyResult<Py<PyAny>> {
    let obj = build(py, decl, &r.data)?;
    attach_core(py, &obj, r.meta, core_meta)?;
    Ok(obj)
}

/// A core answer as one model object with `.meta`.
pub(crate) fn one<T: Serialize>(
    py: Python<'_>,
    decl: Decl,
    r: CoreResult<Response<T>>,
) -> PyResult<Py<PyAny>> {
    let r = check(py, r)?;
    with_meta(py, decl, r)
}

/// An optional core answer (`reconcile`): `None` or one model object with `.meta`.
pub(crate) fn opt_one<T: Serialize>(
    py: Python<'_>,
    decl: Decl,
    r: CoreResult<Option<Response<T>>>,
) -> PyResult<Option<Py<PyAny>>> {
    match check(py, r)? {
        Some(r) => Ok(Some(with_meta(py, decl, r)?)),
        None => Ok(None),
    }
}

/// A core list answer as `(items, meta)`; the package makes it a `ListResult`.
pub(crate) fn many<T: Serialize>(
    py: Python<'_>,
    decl: Decl,
    r: CoreResult<Response<Vec<T>>>,
) -> PyResult<Py<PyAny>> {
    let r = check(py, r)?;
    let items = PyList::empty(py);
    for item in &r.data {
        items.append(build(py, decl, item)?)?;
    }
    let meta = build(py, Meta::DECL, &r.meta)?;
    Ok(PyTuple::new(py, [items.into_any().unbind(), meta])?
        .into_any()
        .unbind())
}

/// One model object without meta (a page item, a webhook event).
pub(crate) fn bare<T: Serialize>(py: Python<'_>, decl: Decl, value: &T) -> PyResult<Py<PyAny>> {
    build(py, decl, value)
}
