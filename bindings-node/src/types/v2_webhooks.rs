//! A parsed V2 webhook delivery.

use super::v2_topups::TopUp;
use clickairtime::v2 as c2;
use napi_derive::napi;
use serde_json::Value;

/// A parsed webhook delivery.
#[napi(object)]
pub struct WebhookEvent {
    /// Event type, e.g. `topup.completed` (empty when the body has none: use the `X-Webhook-Event` header).
    #[napi(ts_type = "EventType")]
    pub event_type: String,
    /// Event id (guide variant `evt_…`).
    pub id: Option<String>,
    /// Event time as sent.
    pub timestamp: Option<String>,
    /// The top-up, when the payload carries one in the V2 shape.
    pub topup: Option<TopUp>,
    /// The payload's data (or the whole body when it is not wrapped), as received.
    #[napi(ts_type = "{ [key: string]: JsonValue }")]
    pub data: Value,
}

impl From<c2::webhooks::WebhookEvent> for WebhookEvent {
    fn from(e: c2::webhooks::WebhookEvent) -> Self {
        WebhookEvent {
            event_type: e.event_type.as_str().to_owned(),
            id: e.id,
            timestamp: e.timestamp,
            topup: e.topup.map(Into::into),
            data: e.data,
        }
    }
}
