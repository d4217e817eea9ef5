//! Options of the V2 calls: lookups, orders (`create` / `prepare`) and listing filters.

use super::amount;
use crate::args::from_js;
use napi::bindgen_prelude::Either;
use napi_derive::napi;

/// What to look up: a phone number (E.164), a network id (skips the HLR lookup), or both.
#[napi(object, object_from_js = false)]
pub struct LookupOptions {
    /// Recipient, E.164 (`+233541112259`).
    pub phone_number: Option<String>,
    /// Network id.
    pub network_id: Option<i64>,
}
from_js!(LookupOptions {
    phone_number,
    network_id
});

/// SMS to the recipient of a top-up.
#[napi(object, object_from_js = false)]
pub struct SmsOptions {
    /// Send an SMS. Default true when the object is given.
    pub enabled: Option<bool>,
    /// Custom text (at most 480 characters).
    pub message: Option<String>,
}
from_js!(SmsOptions { enabled, message });

/// A V2 top-up to send: a custom amount (`amount` + `currency`) or a bundle (`productId`), to one number.
#[napi(object, object_from_js = false)]
pub struct CreateTopUpOptions {
    /// Recipient, E.164 (`+233541112259`).
    pub phone_number: String,
    /// Network id (from `catalog.lookup`).
    pub network_id: i64,
    /// Custom amount in the local currency: a decimal string (exact, preferred) or a number.
    pub amount: Option<Either<String, f64>>,
    /// Local currency of `amount` (ISO 4217, e.g. `GHS`).
    pub currency: Option<String>,
    /// Bundle id; exclusive with `amount`.
    pub product_id: Option<Either<String, i64>>,
    /// SMS to the recipient.
    pub sms: Option<SmsOptions>,
    /// Your reference: one per sale, unique; generated (`ca-<uuid>`) when absent and always returned. A
    /// record is believed only if it carries it. Fix it before sending (`topups.prepare`) and persist it.
    pub reference: Option<String>,
    /// URL for status webhooks.
    pub callback_url: Option<String>,
    /// Key/value pairs stored with the top-up.
    #[napi(ts_type = "Record<string, JsonValue>")]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// `Idempotency-Key` header; when absent, derived from the reference (`idempotencyKeyFor`), so the same
    /// sale carries the same key in every process, after a crash, and when sold again.
    pub idempotency_key: Option<String>,
}
from_js!(CreateTopUpOptions {
    phone_number,
    network_id,
    amount,
    currency,
    product_id,
    sms,
    reference,
    callback_url,
    metadata,
    idempotency_key
});

impl CreateTopUpOptions {
    /// The core order, validated, with its number in E.164 and its reference and idempotency key fixed
    /// (`CreateTopUp::checked`: the number is checked once).
    pub(crate) fn prepared(self) -> clickairtime::Result<clickairtime::v2::CreateTopUp> {
        let order = self.into_core()?;
        order.checked()
    }

    pub(crate) fn into_core(self) -> clickairtime::Result<clickairtime::v2::CreateTopUp> {
        let amount = self.amount.map(|a| amount("amount", a)).transpose()?;
        Ok(clickairtime::v2::CreateTopUp {
            phone_number: self.phone_number,
            network_id: self.network_id,
            amount,
            currency: self.currency,
            product_id: self.product_id.map(|p| match p {
                Either::A(s) => s,
                Either::B(n) => n.to_string(),
            }),
            sms: self.sms.map(|s| clickairtime::v2::Sms {
                enabled: s.enabled.unwrap_or(true),
                message: s.message,
            }),
            reference: self.reference,
            callback_url: self.callback_url,
            metadata: self.metadata,
            idempotency_key: self.idempotency_key,
        })
    }
}

/// A V2 order with its handles fixed, from `topups.prepare(…)`: validated, with the `reference` (yours, or
/// generated) and the `idempotencyKey` (yours, or derived from the reference) that `create` will send. Write
/// it down (it is plain JSON) before calling `topups.create(prepared)`; after a crash, creating the same
/// prepared order again is recognised as the same sale (by the journal, by the API's key, by the verified
/// lookup) and never sells twice.
#[napi(object)]
pub struct PreparedTopUp {
    /// Recipient, E.164.
    pub phone_number: String,
    /// Network id.
    pub network_id: i64,
    /// Custom amount, exact decimal string.
    pub amount: Option<String>,
    /// Local currency of `amount`.
    pub currency: Option<String>,
    /// Bundle id, as text.
    pub product_id: Option<String>,
    /// SMS to the recipient.
    pub sms: Option<crate::types::Sms>,
    /// The sale's reference.
    pub reference: String,
    /// URL for status webhooks.
    pub callback_url: Option<String>,
    /// Key/value pairs stored with the top-up.
    #[napi(ts_type = "Record<string, JsonValue>")]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// The `Idempotency-Key` every write of this sale carries.
    pub idempotency_key: String,
}

impl From<clickairtime::v2::CreateTopUp> for PreparedTopUp {
    fn from(o: clickairtime::v2::CreateTopUp) -> Self {
        PreparedTopUp {
            phone_number: o.phone_number,
            network_id: o.network_id,
            amount: o.amount.map(|a| a.to_string()),
            currency: o.currency,
            product_id: o.product_id,
            sms: o.sms.map(|s| crate::types::Sms {
                enabled: s.enabled,
                message: s.message,
            }),
            reference: o.reference.unwrap_or_default(),
            callback_url: o.callback_url,
            metadata: o.metadata,
            idempotency_key: o.idempotency_key.unwrap_or_default(),
        }
    }
}

/// Filters of `topups.list` / `topups.listAll`. All optional.
#[napi(object, object_from_js = false)]
pub struct ListTopUpsOptions {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Page size, 1..=100 (API default 20).
    pub per_page: Option<u32>,
    /// Only this status.
    #[napi(ts_type = "TopUpStatus")]
    pub status: Option<String>,
    /// Recipient filter (partial match).
    pub phone_number: Option<String>,
    /// Your reference (exact match).
    pub reference: Option<String>,
    /// Created at or after (ISO 8601 date or date-time).
    pub from: Option<String>,
    /// Created at or before (ISO 8601 date or date-time).
    pub to: Option<String>,
    /// `created_at`, `completed_at`, `status` or `total_usd`, `-` prefix for descending.
    #[napi(ts_type = "TopUpSort")]
    pub sort: Option<String>,
}
from_js!(ListTopUpsOptions {
    page,
    per_page,
    status,
    phone_number,
    reference,
    from,
    to,
    sort
});

impl ListTopUpsOptions {
    pub(crate) fn into_core(self) -> clickairtime::v2::ListTopUps {
        clickairtime::v2::ListTopUps {
            page: self.page,
            per_page: self.per_page,
            status: self
                .status
                .map(|s| clickairtime::v2::TopUpStatus::from(s.as_str())),
            phone_number: self.phone_number,
            reference: self.reference,
            from: self.from,
            to: self.to,
            sort: self.sort,
        }
    }
}

pub(crate) fn list_filter(o: Option<ListTopUpsOptions>) -> clickairtime::v2::ListTopUps {
    o.map(ListTopUpsOptions::into_core).unwrap_or_default()
}
