//! V2 top-ups after the send: get, list, reconcile, wait.

use super::ca_v2_client;
use super::requests::ca_v2_topup_filter;
use crate::cancel::{ca_cancel, token_arg};
use crate::fail::{Fail, ca_error};
use crate::guard::{arg, arg_str, into_handle, opt_arg, out, run};
use crate::models::v2::{ca_topup, ca_topup_list};
use crate::options::wait_options;
use crate::result::ca_result;
use std::ffi::c_char;

/// One top-up by id. On `CA_OK`, `*topup_out` owns it; free it with `ca_topup_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `id`, `topup_out`), `CA_ERR_INVALID_UTF8`, any SDK
/// result (`CA_ERR_NOT_FOUND` for an unknown id), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_get(
    client: *const ca_v2_client,
    id: *const c_char,
    topup_out: *mut *mut ca_topup,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let id = arg_str(id, "id")?;
        let o = out(topup_out, "topup_out")?;
        o.write(into_handle(ca_topup::new(c.inner.topups().get(id)?)));
        Ok(())
    })
}

/// One page of top-ups matching `filter` (NULL: no filter, first page). On `CA_OK`, `*list_out` owns a new
/// list (pagination in `ca_topup_list_meta`); free it with `ca_topup_list_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `list_out`), any SDK result (`CA_ERR_INVALID_INPUT`
/// for a bad filter), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_list(
    client: *const ca_v2_client,
    filter: *const ca_v2_topup_filter,
    list_out: *mut *mut ca_topup_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(list_out, "list_out")?;
        let f = opt_arg(filter).map(|f| f.f.clone()).unwrap_or_default();
        let r = c.inner.topups().list(&f)?;
        o.write(into_handle(ca_topup_list::new(r.data, r.meta)));
        Ok(())
    })
}

/// Every top-up matching `filter` (NULL: no filter), walking every page from the filter's page (default
/// 1), collected into one list. On `CA_OK`, `*list_out` owns it; free it with `ca_topup_list_free`. An error
/// on any page fails the whole call (nothing is written).
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `list_out`), any SDK result, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_list_all(
    client: *const ca_v2_client,
    filter: *const ca_v2_topup_filter,
    list_out: *mut *mut ca_topup_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(list_out, "list_out")?;
        o.write(into_handle(list_all(c, filter, None)?));
        Ok(())
    })
}

fn list_all(
    c: &ca_v2_client,
    filter: *const ca_v2_topup_filter,
    cancel: Option<sdk::Cancel>,
) -> Result<ca_topup_list, Fail> {
    let f = opt_arg(filter).map(|f| f.f.clone()).unwrap_or_default();
    let mut pages = c.inner.topups().list_all(&f)?;
    if let Some(token) = cancel {
        pages = pages.with_cancel(token);
    }
    let items = pages.collect::<Result<Vec<_>, _>>()?;
    Ok(ca_topup_list::new(items, sdk::Meta::default()))
}

/// `ca_v2_topup_list_all` (every top-up matching `filter` (NULL: no filter)) with a cancel token (`cancel`,
/// required): once it is cancelled no further page is
/// fetched (a page already being fetched finishes first) and the call returns `CA_ERR_CANCELLED`; nothing is
/// written to `*list_out`. The walk only reads.
/// Results: those of `ca_v2_topup_list_all`, plus `CA_ERR_NULL_ARGUMENT` (`cancel`) and `CA_ERR_CANCELLED`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_list_all_cancellable(
    client: *const ca_v2_client,
    filter: *const ca_v2_topup_filter,
    cancel: *const ca_cancel,
    list_out: *mut *mut ca_topup_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let token = token_arg(cancel)?;
        let o = out(list_out, "list_out")?;
        o.write(into_handle(list_all(c, filter, Some(token))?));
        Ok(())
    })
}

/// Find the top-up sent with `reference` (exact match), e.g. after `CA_ERR_OUTCOME_UNKNOWN`. On `CA_OK`,
/// `*topup_out` is the top-up (free it with `ca_topup_free`; it carries the reference, but it is not
/// compared with any sale: check phone and amount before you call it yours), or NULL when the API shows
/// none NOW. NULL proves that it was never created only once the convergence bound (about 12 minutes,
/// `ca_client_options_set_convergence_bound_ms`) has passed since its last write: before that a slow write
/// may still appear. Sell again only with the SAME reference (the same key follows from it). With a journal,
/// prefer `ca_v2_client_recover`, which verifies and waits for the bound.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `reference`, `topup_out`), `CA_ERR_INVALID_UTF8`, any
/// SDK result (`CA_ERR_REFERENCE_CONFLICT` when several top-ups carry it), `CA_ERR_PANIC`. `error_out` may
/// be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_reconcile(
    client: *const ca_v2_client,
    reference: *const c_char,
    topup_out: *mut *mut ca_topup,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let reference = arg_str(reference, "reference")?;
        let o = out(topup_out, "topup_out")?;
        let found = c.inner.topups().reconcile(reference)?;
        o.write(found.map_or(std::ptr::null_mut(), |r| into_handle(ca_topup::new(r))));
        Ok(())
    })
}

/// Poll a top-up until it is `completed` or `failed` (blocking), with growing intervals. `deadline_ms`
/// (default 13 minutes, beyond the documented 12-minute bound) is a hard budget: every poll gets only what
/// remains. `initial_interval_ms` (default 1000) and `max_interval_ms` (default 15000): 0 means the default.
/// A 404 in the first 30 s is read as "not visible yet". On `CA_OK`, `*topup_out` owns the terminal top-up
/// (check `ca_topup_is_success`); free it with `ca_topup_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `id`, `topup_out`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_STILL_PENDING` past the deadline: the top-up EXISTS (`ca_error_transaction_id`) and was still
/// `ca_error_status`; it is on its way and may still complete (never "not sent"); any other SDK result
/// (the top-up still exists: only its status is unknown); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_wait(
    client: *const ca_v2_client,
    id: *const c_char,
    deadline_ms: u64,
    initial_interval_ms: u64,
    max_interval_ms: u64,
    topup_out: *mut *mut ca_topup,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let id = arg_str(id, "id")?;
        let o = out(topup_out, "topup_out")?;
        let opts = wait_options(deadline_ms, initial_interval_ms, max_interval_ms);
        o.write(into_handle(ca_topup::new(
            c.inner.topups().wait(id, &opts)?,
        )));
        Ok(())
    })
}

/// `ca_v2_topup_wait` with a cancel token (`cancel`, required; `ca_cancel_cancel` from another thread or a
/// signal handler). Cancelling stops the polling within about 20 ms (a poll already in flight finishes
/// first; if it found the top-up final, that result wins): `CA_ERR_CANCELLED` with
/// `ca_error_transaction_id` (this `id`) and `ca_error_status` (the last status seen). The top-up itself
/// STANDS and may still complete: cancelling a wait only stops watching it (check it later with
/// `ca_v2_topup_get` or another wait). Arguments and other results as `ca_v2_topup_wait`.
/// Results: those of `ca_v2_topup_wait`, plus `CA_ERR_NULL_ARGUMENT` (`cancel`) and `CA_ERR_CANCELLED`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_wait_cancellable(
    client: *const ca_v2_client,
    id: *const c_char,
    deadline_ms: u64,
    initial_interval_ms: u64,
    max_interval_ms: u64,
    cancel: *const ca_cancel,
    topup_out: *mut *mut ca_topup,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let id = arg_str(id, "id")?;
        let token = token_arg(cancel)?;
        let o = out(topup_out, "topup_out")?;
        let mut opts = wait_options(deadline_ms, initial_interval_ms, max_interval_ms);
        opts.cancel = Some(token);
        o.write(into_handle(ca_topup::new(
            c.inner.topups().wait(id, &opts)?,
        )));
        Ok(())
    })
}
