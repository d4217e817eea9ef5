//! The journal's entries and `recover()`'s reports, as native models.

use crate::errors::check;
use crate::guard::guard;
use crate::model::{Decl, Dflt, Kind, Model};
use crate::response::with_meta;
use crate::v1::transactions::Transaction;
use crate::v2::topups::TopUp;
use clickairtime::journal::{JournalEntry as CoreEntry, Recovery as CoreRecovery};
use clickairtime::{Error as CoreError, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyType};
use serde::Serialize;
use serde_json::{Value, json};

type CoreResult<T> = Result<T, CoreError>;

/// `JournalEntry[TopUp]` and the like: a typing alias (the class is generic in its record's type).
fn generic_alias(cls: &Bound<'_, PyType>, item: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let alias = cls.py().import("types")?.getattr("GenericAlias")?;
    Ok(alias.call1((cls, item))?.unbind())
}

crate::model! {
    /// One send as the journal holds it (`client.pending()`, `client.journal_entry(reference)`,
    /// `Recovery.entry`); `record` is a `TopUp` for a V2 client, a `Transaction` for V1.
    JournalEntry {
        api: Kind::Plain, Dflt::Req;
        reference: Kind::Plain, Dflt::Req;
        state: Kind::Plain, Dflt::Req;
        writes: Kind::Plain, Dflt::Req;
        request: Kind::Plain, Dflt::Req;
        created_at: Kind::Ms, Dflt::Req;
        updated_at: Kind::Ms, Dflt::Req;
        idempotency_key: Kind::Plain, Dflt::Null;
        transaction_id: Kind::Plain, Dflt::Null;
        status: Kind::Plain, Dflt::Null;
        error_kind: Kind::Plain, Dflt::Null;
        error_message: Kind::Plain, Dflt::Null;
        record: Kind::Record(Transaction::make, TopUp::make), Dflt::Null;
        last_write_at: Kind::Ms, Dflt::Null;
    }

    /// Whether it still needs settling (`in_flight` or `unknown`): do not sell it again.
    #[getter]
    fn is_open(slf: &Bound<'_, Self>) -> PyResult<bool> {
        guard(slf.py(), "JournalEntry.is_open", || {
            let state = slf.as_super().get().text(slf.py(), "state")?;
            Ok(matches!(state.as_deref(), Some("in_flight" | "unknown")))
        })
    }

    #[classmethod]
    fn __class_getitem__(cls: &Bound<'_, PyType>, item: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        generic_alias(cls, item)
    }
}

crate::model! {
    /// What `client.recover()` did with one open journal entry: `entry` after recovery (its `state` says the
    /// outcome) and, when it is now sent, `record`: the verified `TopUp` / `Transaction` (with `.meta`).
    Recovery {
        entry: Kind::Model(JournalEntry::DECL), Dflt::Req;
        record: Kind::Record(Transaction::make, TopUp::make), Dflt::Null;
    }

    /// The entry's reference.
    #[getter]
    fn reference(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        entry_field(slf, "reference")
    }

    /// The entry's state.
    #[getter]
    fn state(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        entry_field(slf, "state")
    }

    /// The entry's transaction id.
    #[getter]
    fn transaction_id(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        entry_field(slf, "transaction_id")
    }

    #[classmethod]
    fn __class_getitem__(cls: &Bound<'_, PyType>, item: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        generic_alias(cls, item)
    }
}

fn entry_field(slf: &Bound<'_, Recovery>, name: &'static str) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    guard(py, "Recovery.entry", || {
        let entry = slf.as_super().get().get(py, "entry")?;
        Ok(entry.bind(py).getattr(name)?.unbind())
    })
}

/// A journal entry as a `JournalEntry` (times from Unix milliseconds; `record` typed from its JSON text).
pub(crate) fn entry_to_py(py: Python<'_>, e: &CoreEntry) -> PyResult<Py<PyAny>> {
    let v = json!({
        "api": e.api,
        "reference": e.reference,
        "idempotency_key": e.idempotency_key,
        "state": e.state.as_str(),
        "writes": e.writes,
        "transaction_id": e.transaction_id,
        "status": e.status,
        "error_kind": e.error_kind.map(ErrorKind::as_str),
        "error_message": e.error_message,
        "request": e.request,
        "record": e.record.as_deref().and_then(|t| serde_json::from_str::<Value>(t).ok()),
        "created_at": e.created_at,
        "updated_at": e.updated_at,
        "last_write_at": e.last_write_at,
    });
    JournalEntry::make(py, &v)
}

pub(crate) fn entries_to_py(py: Python<'_>, r: CoreResult<Vec<CoreEntry>>) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for e in check(py, r)? {
        list.append(entry_to_py(py, &e)?)?;
    }
    Ok(list.into_any().unbind())
}

pub(crate) fn opt_entry_to_py(
    py: Python<'_>,
    r: CoreResult<Option<CoreEntry>>,
) -> PyResult<Option<Py<PyAny>>> {
    match check(py, r)? {
        Some(e) => Ok(Some(entry_to_py(py, &e)?)),
        None => Ok(None),
    }
}

/// `recover()`'s reports as `Recovery` objects (the record with `.meta`).
pub(crate) fn recoveries_to_py<T: Serialize>(
    py: Python<'_>,
    decl: Decl,
    r: CoreResult<Vec<CoreRecovery<T>>>,
) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for rec in check(py, r)? {
        let entry = entry_to_py(py, &rec.entry)?;
        let record = match rec.record {
            Some(r) => with_meta(py, decl, r)?,
            None => py.None(),
        };
        let base = Model::from_values(Recovery::fields(), vec![entry, record]);
        list.append(Recovery::wrap(py, base)?)?;
    }
    Ok(list.into_any().unbind())
}
