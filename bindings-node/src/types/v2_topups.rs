//! V2 top-up records (`client.topups`).

use clickairtime::v2 as c2;
use napi_derive::napi;
use serde_json::{Map, Value};

/// An amount with its currency.
#[napi(object)]
pub struct Money {
    /// Exact decimal string, e.g. `"50.00"`.
    pub value: String,
    /// ISO 4217 code.
    pub currency: String,
}

/// The network of a top-up.
#[napi(object)]
pub struct NetworkRef {
    /// Network id.
    pub id: i64,
    /// Operator name.
    pub name: Option<String>,
    /// Country name.
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country_code: Option<String>,
}

/// SMS notification settings (in a top-up, and as the `sms` option of `create`).
#[napi(object)]
pub struct Sms {
    /// Send an SMS to the recipient.
    pub enabled: bool,
    /// Custom text.
    pub message: Option<String>,
}

/// A V2 top-up transaction.
#[napi(object)]
pub struct TopUp {
    /// Transaction id.
    pub id: String,
    /// Current status.
    #[napi(ts_type = "TopUpStatus")]
    pub status: String,
    /// Recipient, E.164.
    pub phone_number: Option<String>,
    /// Network.
    pub network: Option<NetworkRef>,
    /// Local amount delivered.
    pub amount: Option<Money>,
    /// What the wallet was charged (USD).
    pub cost: Option<Money>,
    /// Bundle id, if a bundle was sent (as text).
    pub product_id: Option<String>,
    /// Bundle name.
    pub product_name: Option<String>,
    /// SMS settings.
    pub sms: Option<Sms>,
    /// Your reference.
    pub reference: Option<String>,
    /// Upstream provider's reference.
    pub provider_reference: Option<String>,
    /// Why it failed.
    pub failure_reason: Option<String>,
    /// Your metadata, echoed.
    #[napi(ts_type = "Record<string, JsonValue>")]
    pub metadata: Option<Map<String, Value>>,
    /// Creation time (ISO 8601, as sent).
    pub created_at: Option<String>,
    /// Completion time (ISO 8601, as sent).
    pub completed_at: Option<String>,
    /// Whether the status will not change any more (`completed`, `failed`, `refunded`, `cancelled`).
    pub is_terminal: bool,
    /// Whether the airtime was delivered (`completed`).
    pub is_success: bool,
}

fn money(m: c2::Money) -> Money {
    Money {
        value: m.value.to_string(),
        currency: m.currency,
    }
}

impl From<c2::TopUp> for TopUp {
    fn from(t: c2::TopUp) -> Self {
        TopUp {
            id: t.id,
            is_terminal: t.status.is_terminal(),
            is_success: t.status.is_success(),
            status: t.status.as_str().to_owned(),
            phone_number: t.phone_number,
            network: t.network.map(|n| NetworkRef {
                id: n.id,
                name: n.name,
                country: n.country,
                country_code: n.country_code,
            }),
            amount: t.amount.map(money),
            cost: t.cost.map(money),
            product_id: t.product_id,
            product_name: t.product_name,
            sms: t.sms.map(|s| Sms {
                enabled: s.enabled,
                message: s.message,
            }),
            reference: t.reference,
            provider_reference: t.provider_reference,
            failure_reason: t.failure_reason,
            metadata: t.metadata,
            created_at: t.created_at.map(|x| x.0),
            completed_at: t.completed_at.map(|x| x.0),
        }
    }
}
