//! V1 orders: Python's fields as core's `SendTopUp`, and the prepared order as a `V1TopUpOrder`.

use crate::guard::guard;
use crate::model::{Dflt, Kind};
use clickairtime::{Error as CoreError, v1};
use pyo3::prelude::*;
use serde_json::json;

type CoreResult<T> = Result<T, CoreError>;

pub(crate) fn v1_order(
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
        amount: crate::convert::amount("amount", amount)?,
        product_id,
        ext_ref_id,
        processing_mode: mode,
        send_sms,
    })
}

crate::model! {
    /// A V1 top-up to send, with its `ext_ref_id` fixed: made by `client.prepare_topup(...)` and sent by
    /// `client.send_topup(order)`. Persist `ext_ref_id` before sending.
    V1TopUpOrder {
        msisdn: Kind::Plain, Dflt::Req;
        amount: Kind::Dec, Dflt::Null;
        product_id: Kind::Plain, Dflt::Null;
        ext_ref_id: Kind::Plain, Dflt::Null;
        processing_mode: Kind::Plain, Dflt::Str("SYNC");
        send_sms: Kind::Plain, Dflt::Bool(false);
    }

    /// `ext_ref_id`, under the name V2 uses.
    #[getter]
    fn reference(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        guard(slf.py(), "V1TopUpOrder.reference", || {
            slf.as_super().get().get(slf.py(), "ext_ref_id")
        })
    }
}

/// A prepared V1 order (core's `SendTopUp::prepared`, validated) as a `V1TopUpOrder`.
pub(crate) fn v1_order_to_py(py: Python<'_>, o: &v1::SendTopUp) -> PyResult<Py<PyAny>> {
    let v = json!({
        "msisdn": o.msisdn,
        "amount": o.amount.map(|a| a.to_string()),
        "product_id": o.product_id,
        "ext_ref_id": o.ext_ref_id,
        "processing_mode": match o.processing_mode {
            v1::ProcessingMode::Sync => "SYNC",
            v1::ProcessingMode::Async => "ASYNC",
        },
        "send_sms": o.send_sms,
    });
    V1TopUpOrder::make(py, &v)
}
