//! Options of the V1 calls: orders (`sendTopup` / `prepareTopup`) and transaction filters.

use super::amount;
use crate::args::from_js;
use napi::bindgen_prelude::Either;
use napi_derive::napi;

/// A V1 top-up to send.
#[napi(object, object_from_js = false)]
pub struct SendTopUpOptions {
    /// Recipient, international format without `+` (`233541112259`).
    pub msisdn: String,
    /// Amount in the destination currency: a decimal string (exact, preferred) or a number.
    pub amount: Option<Either<String, f64>>,
    /// Product from the product catalog.
    pub product_id: Option<i64>,
    /// Your external reference: one per sale, unique; generated (`ca-<uuid>`) when absent and always
    /// returned. A record is believed only if it carries it. Fix it before sending (`prepareTopup`).
    pub ext_ref_id: Option<String>,
    /// `SYNC` (default: the answer carries a terminal state) or `ASYNC` (poll with `wait`).
    #[napi(ts_type = "'SYNC' | 'ASYNC'")]
    pub processing_mode: Option<String>,
    /// SMS the recipient on success. Default false.
    pub send_sms: Option<bool>,
}
from_js!(SendTopUpOptions {
    msisdn,
    amount,
    product_id,
    ext_ref_id,
    processing_mode,
    send_sms
});

impl SendTopUpOptions {
    /// The core order, validated, with its number normalised and its `extRefId` fixed (`SendTopUp::checked`).
    pub(crate) fn prepared(self) -> clickairtime::Result<clickairtime::v1::SendTopUp> {
        let order = self.into_core()?;
        order.checked()
    }

    pub(crate) fn into_core(self) -> clickairtime::Result<clickairtime::v1::SendTopUp> {
        use clickairtime::v1::ProcessingMode;
        let mode = match self.processing_mode.as_deref() {
            None => ProcessingMode::Sync,
            Some(m) => m.parse::<ProcessingMode>()?,
        };
        Ok(clickairtime::v1::SendTopUp {
            msisdn: self.msisdn,
            amount: self.amount.map(|a| amount("amount", a)).transpose()?,
            product_id: self.product_id,
            ext_ref_id: self.ext_ref_id,
            processing_mode: mode,
            send_sms: self.send_sms.unwrap_or(false),
        })
    }
}

/// A V1 order with its `extRefId` fixed, from `prepareTopup(…)`: validated, ready to be written down
/// before `sendTopup(prepared)`.
#[napi(object)]
pub struct PreparedSendTopUp {
    /// Recipient, digits without `+`.
    pub msisdn: String,
    /// Amount, exact decimal string.
    pub amount: Option<String>,
    /// Product id.
    pub product_id: Option<i64>,
    /// The sale's reference.
    pub ext_ref_id: String,
    /// `SYNC` or `ASYNC`.
    #[napi(ts_type = "'SYNC' | 'ASYNC'")]
    pub processing_mode: String,
    /// SMS the recipient on success.
    pub send_sms: bool,
}

impl From<clickairtime::v1::SendTopUp> for PreparedSendTopUp {
    fn from(o: clickairtime::v1::SendTopUp) -> Self {
        PreparedSendTopUp {
            msisdn: o.msisdn,
            amount: o.amount.map(|a| a.to_string()),
            product_id: o.product_id,
            ext_ref_id: o.ext_ref_id.unwrap_or_default(),
            processing_mode: match o.processing_mode {
                clickairtime::v1::ProcessingMode::Async => "ASYNC",
                _ => "SYNC",
            }
            .to_owned(),
            send_sms: o.send_sms,
        }
    }
}

/// Filters of a V1 transaction lookup: at least one, combined with AND.
#[napi(object, object_from_js = false)]
pub struct TransactionFilterOptions {
    /// Click Airtime transaction id.
    pub transaction_id: Option<String>,
    /// Recipient, digits without `+`.
    pub msisdn: Option<String>,
    /// Your external reference.
    pub ext_ref_id: Option<String>,
}
from_js!(TransactionFilterOptions {
    transaction_id,
    msisdn,
    ext_ref_id
});

impl TransactionFilterOptions {
    pub(crate) fn into_core(self) -> clickairtime::v1::TransactionFilter {
        clickairtime::v1::TransactionFilter {
            transaction_id: self.transaction_id,
            msisdn: self.msisdn,
            ext_ref_id: self.ext_ref_id,
        }
    }
}
