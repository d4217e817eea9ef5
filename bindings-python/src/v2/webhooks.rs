//! Webhooks: signature checks, and the event model.

use crate::convert::secs;
use crate::errors::check;
use crate::guard::guard;
use crate::model::{Dflt, Kind};
use crate::response::bare;
use crate::v2::topups::TopUp;
use pyo3::prelude::*;

crate::model! {
    /// A parsed webhook delivery.
    WebhookEvent {
        event_type: Kind::Plain, Dflt::Req;
        id: Kind::Plain, Dflt::Null;
        timestamp: Kind::Plain, Dflt::Null;
        topup: Kind::Model(TopUp::DECL), Dflt::Null;
        data: Kind::Plain, Dflt::Null;
    }
}

#[pyfunction]
#[pyo3(signature = (body, signature, timestamp, api_key, tolerance=None))]
pub(crate) fn webhook_verify(
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
pub(crate) fn webhook_parse(py: Python<'_>, body: &[u8]) -> PyResult<Py<PyAny>> {
    guard(py, "webhook_parse", || {
        let ev = check(py, clickairtime::webhooks::parse(body))?;
        bare(py, WebhookEvent::DECL, &ev)
    })
}

#[pyfunction]
pub(crate) fn webhook_sign(
    py: Python<'_>,
    body: &[u8],
    timestamp: &str,
    api_key: &str,
) -> PyResult<String> {
    guard(py, "webhook_sign", || {
        Ok(clickairtime::webhooks::sign(body, timestamp, api_key))
    })
}
