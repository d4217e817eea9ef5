//! V2 top-ups: the result models (`TopUp` and its parts), listing filters and the listing iterator.

use crate::convert::u32_arg;
use crate::errors::py_error;
use crate::guard::guard;
use crate::logging::detach;
use crate::model::{Dflt, Kind};
use crate::response::bare;
use clickairtime::{Error as CoreError, v2};
use pyo3::prelude::*;
use std::sync::Mutex;

type CoreResult<T> = Result<T, CoreError>;

crate::model! {
    /// An exact amount with its currency.
    Money {
        value: Kind::Dec, Dflt::Req;
        currency: Kind::Plain, Dflt::Str("");
    }
}

crate::model! {
    /// The network of a top-up.
    NetworkRef {
        id: Kind::Plain, Dflt::Req;
        name: Kind::Plain, Dflt::Null;
        country: Kind::Plain, Dflt::Null;
        country_code: Kind::Plain, Dflt::Null;
    }
}

crate::model! {
    /// SMS notification settings of a top-up.
    Sms {
        enabled: Kind::Plain, Dflt::Bool(false);
        message: Kind::Plain, Dflt::Null;
    }
}

/// The core's reading of a status.
fn status(slf: &Bound<'_, TopUp>) -> PyResult<v2::TopUpStatus> {
    let text = slf.as_super().get().text(slf.py(), "status")?;
    Ok(v2::TopUpStatus::from(text.as_deref().unwrap_or("")))
}

crate::model! {
    /// A V2 top-up transaction.
    TopUp {
        id: Kind::Plain, Dflt::Req;
        status: Kind::Plain, Dflt::Req;
        phone_number: Kind::Plain, Dflt::Null;
        network: Kind::Model(NetworkRef::DECL), Dflt::Null;
        amount: Kind::Model(Money::DECL), Dflt::Null;
        cost: Kind::Model(Money::DECL), Dflt::Null;
        product_id: Kind::Plain, Dflt::Null;
        product_name: Kind::Plain, Dflt::Null;
        sms: Kind::Model(Sms::DECL), Dflt::Null;
        reference: Kind::Plain, Dflt::Null;
        provider_reference: Kind::Plain, Dflt::Null;
        failure_reason: Kind::Plain, Dflt::Null;
        metadata: Kind::Plain, Dflt::Null;
        created_at: Kind::Time, Dflt::Null;
        completed_at: Kind::Time, Dflt::Null;
    }

    /// Whether the status will not change any more (completed, failed, refunded, cancelled).
    #[getter]
    fn is_terminal(slf: &Bound<'_, Self>) -> PyResult<bool> {
        guard(slf.py(), "TopUp.is_terminal", || Ok(status(slf)?.is_terminal()))
    }

    /// Whether the airtime was delivered.
    #[getter]
    fn is_success(slf: &Bound<'_, Self>) -> PyResult<bool> {
        guard(slf.py(), "TopUp.is_success", || Ok(status(slf)?.is_success()))
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn list_filter(
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
pub(crate) struct TopUpIter {
    pub(crate) inner: Mutex<v2::TopUpPages>,
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
                Some(Ok(t)) => Ok(Some(bare(py, TopUp::DECL, &t)?)),
                Some(Err(e)) => Err(py_error(py, &e)),
            }
        })
    }
}
