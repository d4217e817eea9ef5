//! V1 transactions: list, reconcile, wait.

use super::ca_v1_client;
use crate::cancel::{ca_cancel, token_arg};
use crate::fail::ca_error;
use crate::guard::{arg, arg_str, into_handle, opt_str, out, run};
use crate::models::v1::{ca_transaction, ca_transaction_list};
use crate::options::wait_options;
use crate::result::ca_result;
use sdk::v1::TransactionFilter;
use std::ffi::c_char;

/// Transaction records matching every given filter (AND): `transaction_id`, `msisdn`, `ext_ref_id`, each may
/// be NULL but not all. No match is an empty list, not an error. On `CA_OK`, `*list_out` owns a new list;
/// free it with `ca_transaction_list_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `list_out`); `CA_ERR_INVALID_UTF8`; any SDK result
/// (`CA_ERR_INVALID_INPUT` when no filter is given); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_transactions(
    client: *const ca_v1_client,
    transaction_id: *const c_char,
    msisdn: *const c_char,
    ext_ref_id: *const c_char,
    list_out: *mut *mut ca_transaction_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let filter = TransactionFilter {
            transaction_id: opt_str(transaction_id, "transaction_id")?.map(str::to_owned),
            msisdn: opt_str(msisdn, "msisdn")?.map(str::to_owned),
            ext_ref_id: opt_str(ext_ref_id, "ext_ref_id")?.map(str::to_owned),
        };
        let o = out(list_out, "list_out")?;
        o.write(into_handle(ca_transaction_list::new(
            c.inner.transactions(&filter)?,
        )));
        Ok(())
    })
}

/// Find the transaction sent with `ext_ref_id`, e.g. after `CA_ERR_OUTCOME_UNKNOWN`. On `CA_OK`,
/// `*transaction_out` is the transaction (free it with `ca_transaction_free`; it carries the `extRefId` but
/// is not compared with any sale), or NULL when the API shows none NOW: that proves it was never created
/// only once the convergence bound (about 12 minutes) has passed since its last write. Sell again only with
/// the SAME `extRefId`. With a journal, prefer `ca_v1_client_recover`. Several records with it are
/// `CA_ERR_REFERENCE_CONFLICT`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `ext_ref_id`, `transaction_out`),
/// `CA_ERR_INVALID_UTF8`, any SDK result, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_reconcile(
    client: *const ca_v1_client,
    ext_ref_id: *const c_char,
    transaction_out: *mut *mut ca_transaction,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let r = arg_str(ext_ref_id, "ext_ref_id")?;
        let o = out(transaction_out, "transaction_out")?;
        let found = c.inner.reconcile(r)?;
        o.write(found.map_or(std::ptr::null_mut(), |t| {
            into_handle(ca_transaction::new(t))
        }));
        Ok(())
    })
}

/// Poll by `ext_ref_id` until the transaction is terminal (SUCCESS, FAILED, TIMEOUT, UNDERLIVERED,
/// CANCELED), blocking. `deadline_ms` (default 13 minutes) is a hard budget: every poll gets only what
/// remains. `initial_interval_ms` (default 1000), `max_interval_ms` (default 15000): 0 means the default.
/// On `CA_OK`, `*transaction_out` owns the terminal transaction; free it with `ca_transaction_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `ext_ref_id`, `transaction_out`);
/// `CA_ERR_INVALID_UTF8`; `CA_ERR_STILL_PENDING` past the deadline (`ca_error_reference` says which,
/// `ca_error_transaction_id` its id when it was seen, `ca_error_status` the last state; after a send that
/// returned it, it EXISTS and may still complete); any other SDK result; `CA_ERR_PANIC`. `error_out` may be
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_wait(
    client: *const ca_v1_client,
    ext_ref_id: *const c_char,
    deadline_ms: u64,
    initial_interval_ms: u64,
    max_interval_ms: u64,
    transaction_out: *mut *mut ca_transaction,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let r = arg_str(ext_ref_id, "ext_ref_id")?;
        let o = out(transaction_out, "transaction_out")?;
        let opts = wait_options(deadline_ms, initial_interval_ms, max_interval_ms);
        o.write(into_handle(ca_transaction::new(c.inner.wait(r, &opts)?)));
        Ok(())
    })
}

/// `ca_v1_wait` with a cancel token (`cancel`, required): cancelling stops the polling within about 20 ms
/// (a poll in flight finishes first): `CA_ERR_CANCELLED` with `ca_error_reference` (this `ext_ref_id`),
/// `ca_error_transaction_id` when it was seen and `ca_error_status` (the last state). The transaction STANDS:
/// only the watching stopped. Arguments and other results as `ca_v1_wait`.
/// Results: those of `ca_v1_wait`, plus `CA_ERR_NULL_ARGUMENT` (`cancel`) and `CA_ERR_CANCELLED`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_wait_cancellable(
    client: *const ca_v1_client,
    ext_ref_id: *const c_char,
    deadline_ms: u64,
    initial_interval_ms: u64,
    max_interval_ms: u64,
    cancel: *const ca_cancel,
    transaction_out: *mut *mut ca_transaction,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let r = arg_str(ext_ref_id, "ext_ref_id")?;
        let token = token_arg(cancel)?;
        let o = out(transaction_out, "transaction_out")?;
        let mut opts = wait_options(deadline_ms, initial_interval_ms, max_interval_ms);
        opts.cancel = Some(token);
        o.write(into_handle(ca_transaction::new(c.inner.wait(r, &opts)?)));
        Ok(())
    })
}
