//! The V2 top-up record (`GET /v2/topups/:id` and every answer that carries one) and its parts.

use crate::decode::{Timestamp, decimal, open_enum, opt_string_or_number};
use crate::error::Result;
use crate::money::Decimal;
use serde::{Deserialize, Serialize};

open_enum! {
    /// Status of a V2 top-up. `completed` and `failed` are the documented terminal states; refunds and
    /// cancellations (seen in the guides) are treated as terminal too. Unknown values are not terminal.
    pub enum TopUpStatus {
        /// Created, awaiting processing.
        Pending => "pending",
        /// Delivery in progress.
        Processing => "processing",
        /// Delivered.
        Completed => "completed",
        /// Delivery failed; see `failure_reason`.
        Failed => "failed",
        /// Refunded to the wallet.
        Refunded => "refunded",
        /// Cancelled.
        Cancelled => "cancelled" | "canceled",
    }
}

impl TopUpStatus {
    /// Whether the status will not change any more.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TopUpStatus::Completed
                | TopUpStatus::Failed
                | TopUpStatus::Refunded
                | TopUpStatus::Cancelled
        )
    }
    /// Whether the airtime was delivered.
    pub fn is_success(&self) -> bool {
        matches!(self, TopUpStatus::Completed)
    }
}

/// An amount with its currency (`amount`, `cost`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// Exact value.
    #[serde(deserialize_with = "decimal", alias = "amount")]
    pub value: Decimal,
    /// ISO 4217 code.
    #[serde(default)]
    pub currency: String,
}

/// The network of a top-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkRef {
    /// Network id.
    pub id: i64,
    /// Operator name.
    #[serde(default)]
    pub name: Option<String>,
    /// Country name.
    #[serde(default)]
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    #[serde(default)]
    pub country_code: Option<String>,
}

/// SMS notification settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Sms {
    /// Send an SMS to the recipient.
    #[serde(default)]
    pub enabled: bool,
    /// Custom text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A V2 top-up transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopUp {
    /// Transaction id (UUID).
    pub id: String,
    /// Current status.
    pub status: TopUpStatus,
    /// Recipient, E.164.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// Network.
    #[serde(default)]
    pub network: Option<NetworkRef>,
    /// Local amount delivered.
    #[serde(default)]
    pub amount: Option<Money>,
    /// What the wallet was charged (USD).
    #[serde(default)]
    pub cost: Option<Money>,
    /// Bundle id, if a bundle was sent (string or integer on the wire; kept as text).
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub product_id: Option<String>,
    /// Bundle name.
    #[serde(default)]
    pub product_name: Option<String>,
    /// SMS settings.
    #[serde(default)]
    pub sms: Option<Sms>,
    /// Your reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// Upstream provider's reference.
    #[serde(default)]
    pub provider_reference: Option<String>,
    /// Why it failed.
    #[serde(default)]
    pub failure_reason: Option<String>,
    /// Your metadata, echoed.
    #[serde(default)]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// Creation time.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// Completion time.
    #[serde(default)]
    pub completed_at: Option<Timestamp>,
}
