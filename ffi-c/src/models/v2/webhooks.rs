//! V2 webhook events: `ca_webhook_event`.

use super::topups::ca_topup;
use crate::fail::ca_error;
use crate::guard::{Cached, StrCache, free_handle, get_ref, get_str};
use crate::meta::to_json;
use crate::result::ca_result;
use sdk::Response;
use sdk::v2::webhooks::WebhookEvent;
use std::ffi::c_char;

/// A parsed (and, from `ca_webhook_construct_event`, verified) webhook delivery.
pub struct ca_webhook_event {
    pub(super) data: WebhookEvent,
    pub(super) topup: Option<ca_topup>,
    pub(super) cache: StrCache,
}
cached!(ca_webhook_event);

impl ca_webhook_event {
    pub(crate) fn new(ev: WebhookEvent) -> ca_webhook_event {
        let topup = ev.topup.clone().map(|t| {
            ca_topup::new(Response {
                data: t,
                meta: sdk::Meta::default(),
            })
        });
        ca_webhook_event {
            data: ev,
            topup,
            cache: StrCache::default(),
        }
    }
}

/// Event type, e.g. `topup.completed` (or as sent; empty if the body had none: use the `X-Webhook-Event`
/// header). Owned by `event`. NULL if `event` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_webhook_event_type(event: *const ca_webhook_event) -> *const c_char {
    get_str(event, "type", |e| {
        Some(e.data.event_type.as_str().to_owned())
    })
}

/// Event id (guide variant `evt_…`). Owned by `event`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_webhook_event_id(event: *const ca_webhook_event) -> *const c_char {
    get_str(event, "id", |e| e.data.id.clone())
}

/// Event time as sent. Owned by `event`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_webhook_event_timestamp(event: *const ca_webhook_event) -> *const c_char {
    get_str(event, "timestamp", |e| e.data.timestamp.clone())
}

/// The top-up the event carries, when it has one in the V2 shape. Borrowed from `event`: do not free. NULL
/// if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_webhook_event_topup(event: *const ca_webhook_event) -> *const ca_topup {
    get_ref(event, |e| e.topup.as_ref())
}

/// The parsed event as JSON (`event_type`, `id`, `timestamp`, `topup`, `data`). On `CA_OK`, `*json_out` is a
/// new string; release it with `ca_string_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`event`,
/// `json_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_webhook_event_to_json(
    event: *const ca_webhook_event,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(event, "event", json_out, error_out, |e| {
        serde_json::to_string(&e.data)
    })
}

/// Release an event and the top-up borrowed from it. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_webhook_event_free(event: *mut ca_webhook_event) {
    free_handle(event)
}
