//! `ca_meta`: what a successful answer carries besides its data, and the JSON helper shared by all handles.

use crate::fail::ca_error;
use crate::guard::{
    Cached, StrCache, arg, get_str, get_val, opt_arg, out, owned_string, put, run, value,
};
use crate::result::ca_result;
use sdk::{Meta, Pagination, SendOrigin};
use std::ffi::c_char;

/// Request id, rate limit, pagination and (for sends) the idempotency handles of an answer. Always borrowed
/// from the response handle it came from (`ca_topup_meta`, …): valid until that handle is freed, never freed
/// by itself. Immutable; thread-safe.
pub struct ca_meta {
    pub(crate) meta: Meta,
    cache: StrCache,
}

impl ca_meta {
    pub(crate) fn new(meta: Meta) -> ca_meta {
        ca_meta {
            meta,
            cache: StrCache::default(),
        }
    }
}

impl Clone for ca_meta {
    fn clone(&self) -> Self {
        ca_meta::new(self.meta.clone())
    }
}

impl Cached for ca_meta {
    fn cache(&self) -> &StrCache {
        &self.cache
    }
}

/// Serialize `data` as JSON into a new `char *` for the caller.
pub(crate) fn to_json<T>(
    h: *const T,
    name: &str,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
    f: impl FnOnce(&T) -> serde_json::Result<String>,
) -> ca_result {
    run(error_out, || {
        let h = arg(h, name)?;
        let o = out(json_out, "json_out")?;
        let text = f(h).map_err(|e| {
            crate::fail::Fail::new(ca_result::CA_ERR_PANIC, format!("cannot encode json: {e}"))
        })?;
        o.write(owned_string(text));
        Ok(())
    })
}

/// HTTP status of the answer (for a recovered send, of the lookup that found it). 0 if `meta` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_http_status(meta: *const ca_meta) -> u16 {
    get_val(meta, 0, |m| m.meta.http_status)
}

/// V2 `meta.request_id`, for support tickets. Owned by the response handle. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_request_id(meta: *const ca_meta) -> *const c_char {
    get_str(meta, "request_id", |m| m.meta.request_id.clone())
}

/// V2 `meta.timestamp` as sent. Owned by the response handle. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_timestamp(meta: *const ca_meta) -> *const c_char {
    get_str(meta, "timestamp", |m| m.meta.timestamp.clone())
}

/// For sends: the reference of this sale (V2 `reference`, V1 `extRefId`), yours or generated.
/// Owned by the response handle. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_reference(meta: *const ca_meta) -> *const c_char {
    get_str(meta, "reference", |m| m.meta.reference.clone())
}

/// For V2 sends: the `Idempotency-Key` that was sent. Owned by the response handle. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_idempotency_key(meta: *const ca_meta) -> *const c_char {
    get_str(meta, "idempotency_key", |m| m.meta.idempotency_key.clone())
}

/// For sends: true when the record is THIS sale's but was not created by the answer to this call's first
/// write (`ca_meta_origin` is `recovered`, `replayed` or `journal`). Never true for another sale's record:
/// that is `CA_ERR_DUPLICATE_SALE` or `CA_ERR_REFERENCE_CONFLICT`. False if `meta` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_replayed(meta: *const ca_meta) -> bool {
    get_val(meta, false, |m| m.meta.replayed)
}

/// For sends: where the record, verified to be this sale (same reference, phone, network, amount and
/// currency or product), came from. Static string:
/// - `created`: created by this call's write; the answer said so;
/// - `recovered`: this call's own write, found by a verified lookup after its answer was lost (or, from
///   `ca_v2_client_recover` / `ca_v1_client_recover`, a send a crash left open);
/// - `replayed`: the API already held this reference / key (sent earlier, e.g. before a crash) and the
///   record it holds was verified to be this sale;
/// - `journal`: the journal already held this sale as sent; nothing was written now.
///
/// Every one is a sale that exists: print the receipt. NULL for answers that are not sends, or if `meta`
/// is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_origin(meta: *const ca_meta) -> *const c_char {
    get_val(meta, std::ptr::null(), |m| {
        m.meta.origin.map_or(std::ptr::null(), |o| match o {
            SendOrigin::Created => c"created".as_ptr(),
            SendOrigin::Recovered => c"recovered".as_ptr(),
            SendOrigin::Replayed => c"replayed".as_ptr(),
            SendOrigin::Journal => c"journal".as_ptr(),
        })
    })
}

/// For sends: how many times this call wrote the request to the network (1 normally; more only when an
/// earlier write provably did not arrive, or its absence was proven; 0 when nothing was written, e.g. origin
/// `journal`). 0 for reads or if `meta` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_attempts(meta: *const ca_meta) -> u32 {
    get_val(meta, 0, |m| m.meta.attempts)
}

/// The `X-RateLimit-*` headers of the answer. Returns false (and writes nothing) if the answer had none or
/// `meta` is NULL; else writes each non-NULL out pointer (a header that was absent is written as
/// `UINT64_MAX`) and returns true.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_rate_limit(
    meta: *const ca_meta,
    limit_out: *mut u64,
    remaining_out: *mut u64,
    reset_unix_out: *mut u64,
) -> bool {
    value(false, || {
        let Some(rl) = opt_arg(meta).and_then(|m| m.meta.rate_limit) else {
            return false;
        };
        put(limit_out, rl.limit.unwrap_or(u64::MAX));
        put(remaining_out, rl.remaining.unwrap_or(u64::MAX));
        put(reset_unix_out, rl.reset.unwrap_or(u64::MAX));
        true
    })
}

/// `meta.pagination` of a V2 list answer. Returns false (and writes nothing) if there was none or `meta` is
/// NULL; else writes each non-NULL out pointer and returns true. (`has_prev` has its own getter:
/// `ca_meta_pagination_has_prev`, like every field: `ca_meta_pagination_page` …)
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_pagination(
    meta: *const ca_meta,
    page_out: *mut u32,
    per_page_out: *mut u32,
    total_out: *mut u64,
    total_pages_out: *mut u32,
    has_next_out: *mut bool,
) -> bool {
    value(false, || {
        let Some(p) = opt_arg(meta).and_then(|m| m.meta.pagination) else {
            return false;
        };
        put(page_out, p.page);
        put(per_page_out, p.per_page);
        put(total_out, p.total);
        put(total_pages_out, p.total_pages);
        put(has_next_out, p.has_next);
        true
    })
}

/// Write an optional value: false (nothing written) when absent; else `*value_out` (if not NULL) and true.
fn opt_out<T: Copy>(v: Option<T>, value_out: *mut T) -> bool {
    match v {
        Some(v) => {
            put(value_out, v);
            true
        }
        None => false,
    }
}

/// `rate_limit.limit`: the `X-RateLimit-Limit` header. Returns false (writing nothing) if the answer did not
/// carry it or `meta` is NULL; else writes `*value_out` (when not NULL) and returns true.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_rate_limit_limit(meta: *const ca_meta, value_out: *mut u64) -> bool {
    value(false, || {
        opt_out(
            opt_arg(meta)
                .and_then(|m| m.meta.rate_limit)
                .and_then(|r| r.limit),
            value_out,
        )
    })
}

/// `rate_limit.remaining`: the `X-RateLimit-Remaining` header. As `ca_meta_rate_limit_limit`.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_rate_limit_remaining(meta: *const ca_meta, value_out: *mut u64) -> bool {
    value(false, || {
        opt_out(
            opt_arg(meta)
                .and_then(|m| m.meta.rate_limit)
                .and_then(|r| r.remaining),
            value_out,
        )
    })
}

/// `rate_limit.reset`: the `X-RateLimit-Reset` header (unix seconds). As `ca_meta_rate_limit_limit`.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_rate_limit_reset(meta: *const ca_meta, value_out: *mut u64) -> bool {
    value(false, || {
        opt_out(
            opt_arg(meta)
                .and_then(|m| m.meta.rate_limit)
                .and_then(|r| r.reset),
            value_out,
        )
    })
}

fn pagination(meta: *const ca_meta) -> Option<Pagination> {
    opt_arg(meta).and_then(|m| m.meta.pagination)
}

/// `pagination.page` of a V2 list answer (from 1). 0 if the answer had no pagination (`ca_meta_pagination`
/// returns false then) or `meta` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_pagination_page(meta: *const ca_meta) -> u32 {
    value(0, || pagination(meta).map_or(0, |p| p.page))
}

/// `pagination.per_page`. 0 if there was no pagination or `meta` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_pagination_per_page(meta: *const ca_meta) -> u32 {
    value(0, || pagination(meta).map_or(0, |p| p.per_page))
}

/// `pagination.total`: records matching the filter, on every page. 0 if there was no pagination or `meta` is
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_pagination_total(meta: *const ca_meta) -> u64 {
    value(0, || pagination(meta).map_or(0, |p| p.total))
}

/// `pagination.total_pages`. 0 if there was no pagination or `meta` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_pagination_total_pages(meta: *const ca_meta) -> u32 {
    value(0, || pagination(meta).map_or(0, |p| p.total_pages))
}

/// `pagination.has_next`: whether a later page exists. False if there was no pagination or `meta` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_pagination_has_next(meta: *const ca_meta) -> bool {
    value(false, || pagination(meta).is_some_and(|p| p.has_next))
}

/// `pagination.has_prev`: whether an earlier page exists. False if there was no pagination or `meta` is
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_pagination_has_prev(meta: *const ca_meta) -> bool {
    value(false, || pagination(meta).is_some_and(|p| p.has_prev))
}

/// The whole meta as JSON. On `CA_OK`, `*json_out` is a new NUL-terminated string the caller releases with
/// `ca_string_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`meta`, `json_out`), `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_meta_to_json(
    meta: *const ca_meta,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(meta, "meta", json_out, error_out, |m| {
        serde_json::to_string(&m.meta)
    })
}
