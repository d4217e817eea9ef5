//! V2 orders: Python's fields as core's `CreateTopUp`, and the prepared order as a `TopUpOrder`.

use crate::convert::{amount, metadata};
use crate::model::{Dflt, Kind};
use clickairtime::{Error as CoreError, v2};
use pyo3::prelude::*;
use serde_json::{Value, json};

type CoreResult<T> = Result<T, CoreError>;

/// The fields of a V2 order as Python passes them.
pub(crate) struct V2Order {
    pub(crate) phone_number: String,
    pub(crate) network_id: i64,
    pub(crate) amount: Option<String>,
    pub(crate) currency: Option<String>,
    pub(crate) product_id: Option<String>,
    pub(crate) sms: Option<bool>,
    pub(crate) sms_message: Option<String>,
    pub(crate) reference: Option<String>,
    pub(crate) callback_url: Option<String>,
    pub(crate) metadata_json: Option<String>,
    pub(crate) idempotency_key: Option<String>,
}

impl V2Order {
    pub(crate) fn build(self) -> CoreResult<v2::CreateTopUp> {
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

crate::model! {
    /// A V2 top-up to send, with its handles fixed: made by `client.topups.prepare(...)` (validated; the
    /// reference generated if none was given, the idempotency key derived from it) and sent by
    /// `client.topups.create(order)`. Persist it (`to_json()`, or pickle) before sending.
    TopUpOrder {
        phone_number: Kind::Plain, Dflt::Req;
        network_id: Kind::Plain, Dflt::Req;
        amount: Kind::Dec, Dflt::Null;
        currency: Kind::Plain, Dflt::Null;
        product_id: Kind::Plain, Dflt::Null;
        sms: Kind::Plain, Dflt::Null;
        sms_message: Kind::Plain, Dflt::Null;
        reference: Kind::Plain, Dflt::Null;
        callback_url: Kind::Plain, Dflt::Null;
        metadata: Kind::Plain, Dflt::Null;
        idempotency_key: Kind::Plain, Dflt::Null;
    }
}

/// A prepared V2 order (core's `CreateTopUp::prepared`, validated) as a `TopUpOrder`.
pub(crate) fn v2_order_to_py(py: Python<'_>, o: &v2::CreateTopUp) -> PyResult<Py<PyAny>> {
    let v = json!({
        "phone_number": o.phone_number,
        "network_id": o.network_id,
        "amount": o.amount.map(|a| a.to_string()),
        "currency": o.currency,
        "product_id": o.product_id,
        "sms": o.sms.as_ref().map(|s| s.enabled),
        "sms_message": o.sms.as_ref().and_then(|s| s.message.as_deref()),
        "reference": o.reference,
        "callback_url": o.callback_url,
        "metadata": o.metadata.as_ref().map(|m| Value::Object(m.clone())),
        "idempotency_key": o.idempotency_key,
    });
    TopUpOrder::make(py, &v)
}
