//! V2 top-ups: `ca_topup` and `ca_topup_list`.

use super::f64_of;
use crate::fail::ca_error;
use crate::guard::{Cached, StrCache, free_handle, get_ref, get_str, get_val};
use crate::meta::{ca_meta, to_json};
use crate::result::ca_result;
use sdk::Response;
use sdk::v2::TopUp;
use std::ffi::c_char;

/// A V2 top-up, with the meta of the answer that produced it.
pub struct ca_topup {
    pub(crate) data: TopUp,
    pub(super) meta: ca_meta,
    pub(super) cache: StrCache,
}
cached!(ca_topup);

impl ca_topup {
    pub(crate) fn new(r: Response<TopUp>) -> ca_topup {
        ca_topup {
            data: r.data,
            meta: ca_meta::new(r.meta),
            cache: StrCache::default(),
        }
    }
}

/// A page (or, from `ca_v2_topup_list_all`, every page) of top-ups.
pub struct ca_topup_list {
    pub(super) items: Vec<ca_topup>,
    pub(super) meta: ca_meta,
}

impl ca_topup_list {
    pub(crate) fn new(items: Vec<TopUp>, meta: sdk::Meta) -> ca_topup_list {
        let m = ca_meta::new(meta);
        let items = items
            .into_iter()
            .map(|t| ca_topup {
                data: t,
                meta: m.clone(),
                cache: StrCache::default(),
            })
            .collect();
        ca_topup_list { items, meta: m }
    }
}

/// Transaction id (UUID). Owned by `topup`. NULL if `topup` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_id(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "id", |t| Some(t.data.id.clone()))
}

/// Status as sent: `pending`, `processing`, `completed`, `failed` (also `refunded`, `cancelled`, or a value
/// this SDK does not know). Owned by `topup`. NULL if `topup` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_status(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "status", |t| Some(t.data.status.as_str().to_owned()))
}

/// Whether the status will not change any more (completed, failed, refunded, cancelled). False if NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_is_terminal(topup: *const ca_topup) -> bool {
    get_val(topup, false, |t| t.data.status.is_terminal())
}

/// Whether the airtime was delivered (status `completed`). False if NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_is_success(topup: *const ca_topup) -> bool {
    get_val(topup, false, |t| t.data.status.is_success())
}

/// Recipient, E.164. Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_phone_number(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "phone_number", |t| t.data.phone_number.clone())
}

/// Network id, 0 if absent or `topup` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_network_id(topup: *const ca_topup) -> i64 {
    get_val(topup, 0, |t| t.data.network.as_ref().map_or(0, |n| n.id))
}

/// Operator name, e.g. "MTN Ghana". Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_network_name(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "network_name", |t| {
        t.data.network.as_ref().and_then(|n| n.name.clone())
    })
}

/// Local amount delivered, exact decimal string (e.g. "50" or "12.50"). Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_amount(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "amount", |t| {
        t.data.amount.as_ref().map(|m| m.value.to_string())
    })
}

/// Local amount as a double, for display only. NaN if absent or `topup` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_amount_f64(topup: *const ca_topup) -> f64 {
    get_val(topup, f64::NAN, |t| {
        f64_of(t.data.amount.as_ref().map(|m| m.value))
    })
}

/// Currency of the amount (ISO 4217). Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_amount_currency(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "amount_currency", |t| {
        t.data.amount.as_ref().map(|m| m.currency.clone())
    })
}

/// What the wallet was charged, exact decimal string. Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_cost(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "cost", |t| {
        t.data.cost.as_ref().map(|m| m.value.to_string())
    })
}

/// The cost as a double, for display only. NaN if absent or `topup` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_cost_f64(topup: *const ca_topup) -> f64 {
    get_val(topup, f64::NAN, |t| {
        f64_of(t.data.cost.as_ref().map(|m| m.value))
    })
}

/// Currency of the cost (usually USD). Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_cost_currency(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "cost_currency", |t| {
        t.data.cost.as_ref().map(|m| m.currency.clone())
    })
}

/// Bundle id, if a bundle was sent. Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_product_id(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "product_id", |t| t.data.product_id.clone())
}

/// Bundle name. Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_product_name(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "product_name", |t| t.data.product_name.clone())
}

/// Your reference (or the generated one). Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_reference(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "reference", |t| t.data.reference.clone())
}

/// Upstream provider's reference. Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_provider_reference(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "provider_reference", |t| {
        t.data.provider_reference.clone()
    })
}

/// Why it failed (e.g. "delivery_failed"). Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_failure_reason(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "failure_reason", |t| t.data.failure_reason.clone())
}

/// Creation time as sent (ISO 8601). Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_created_at(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "created_at", |t| {
        t.data.created_at.as_ref().map(|s| s.as_str().to_owned())
    })
}

/// Creation time in milliseconds since the Unix epoch; 0 if absent, unparsable or `topup` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_created_at_unix_ms(topup: *const ca_topup) -> i64 {
    get_val(topup, 0, |t| {
        t.data
            .created_at
            .as_ref()
            .and_then(|s| s.unix_millis())
            .unwrap_or(0)
    })
}

/// Completion time as sent (ISO 8601). Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_completed_at(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "completed_at", |t| {
        t.data.completed_at.as_ref().map(|s| s.as_str().to_owned())
    })
}

/// Completion time in milliseconds since the Unix epoch; 0 if absent, unparsable or `topup` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_completed_at_unix_ms(topup: *const ca_topup) -> i64 {
    get_val(topup, 0, |t| {
        t.data
            .completed_at
            .as_ref()
            .and_then(|s| s.unix_millis())
            .unwrap_or(0)
    })
}

/// Meta of the answer (request id; for sends the reference, idempotency key, replayed flag, attempts).
/// Borrowed from `topup`: do not free. NULL if `topup` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_meta(topup: *const ca_topup) -> *const ca_meta {
    get_ref(topup, |t| Some(&t.meta))
}

/// The whole top-up as JSON (amounts as strings). On `CA_OK`, `*json_out` is a new string the caller
/// releases with `ca_string_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`topup`, `json_out`),
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_to_json(
    topup: *const ca_topup,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(topup, "topup", json_out, error_out, |t| {
        serde_json::to_string(&t.data)
    })
}

/// Release a top-up returned by the library. NULL does nothing. Never free a top-up borrowed from a list or
/// an event.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_free(topup: *mut ca_topup) {
    free_handle(topup)
}

/// Number of top-ups in the list; 0 if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_list_count(list: *const ca_topup_list) -> usize {
    get_val(list, 0, |l| l.items.len())
}

/// Top-up number `index` (from 0). Borrowed from `list`: valid until the list is freed; do not free it.
/// NULL if `list` is NULL or `index` is out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_list_get(list: *const ca_topup_list, index: usize) -> *const ca_topup {
    get_ref(list, |l| l.items.get(index))
}

/// Meta of the answer (pagination, request id; empty for `ca_v2_topup_list_all`). Borrowed from `list`.
/// NULL if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_list_meta(list: *const ca_topup_list) -> *const ca_meta {
    get_ref(list, |l| Some(&l.meta))
}

/// The list as a JSON array. On `CA_OK`, `*json_out` is a new string; release it with `ca_string_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`list`, `json_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_list_to_json(
    list: *const ca_topup_list,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(list, "list", json_out, error_out, |l| {
        serde_json::to_string(&l.items.iter().map(|t| &t.data).collect::<Vec<_>>())
    })
}

/// Release a list and every top-up borrowed from it. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_list_free(list: *mut ca_topup_list) {
    free_handle(list)
}
