//! V2 sends: `ca_v2_topup_create` (money-safe: see `core/src/sendproto/`).

use super::ca_v2_client;
use super::requests::ca_v2_topup_request;
use crate::cancel::{ca_cancel, token_arg};
use crate::fail::ca_error;
use crate::guard::{arg, into_handle, out, run};
use crate::models::v2::ca_topup;
use crate::result::ca_result;

/// Send a top-up, at most once, and report only what is true. It ends in one of five ways:
/// - `CA_OK`: a record verified to be THIS sale (same reference, phone, network, amount + currency or
///   product). `*topup_out` owns it (free it with `ca_topup_free`); `ca_meta_origin` of `ca_topup_meta`
///   says how it was obtained (`created`, `recovered`, `replayed`, `journal`). Usually `pending`: call
///   `ca_v2_topup_wait` for the final status.
/// - not sent: any result for which `ca_result_proves_not_sent` is true and that is not one of the two
///   below (`CA_ERR_INVALID_INPUT`, `CA_ERR_INSUFFICIENT_BALANCE`, `CA_ERR_INVALID_RECIPIENT`,
///   `CA_ERR_DELIVERY_FAILED`, `CA_ERR_RATE_LIMITED`, `CA_ERR_CONNECTION`, `CA_ERR_JOURNAL` …): definite; no
///   write of it can have been received, or the API refused it. Nothing was sold.
/// - `CA_ERR_DUPLICATE_SALE` / `CA_ERR_REFERENCE_CONFLICT`: definite: the API (or the journal) holds another
///   sale, named by `ca_error_transaction_id` / `ca_error_existing_reference`; this one was not created.
/// - `CA_ERR_OUTCOME_UNKNOWN`: a write may have been received and nothing settled it within the send
///   deadline (`ca_client_options_set_send_deadline_ms`). NOT "failed": do not sell again, do not refund;
///   `ca_error_cause_kind` says why; settle it with `ca_v2_client_recover` (journal) or
///   `ca_v2_topup_reconcile` later.
/// - (`CA_ERR_STILL_PENDING` comes only from waits.)
///
/// The reference (`ca_v2_topup_request_reference` after `ca_v2_topup_request_prepare`; generated here if
/// none is fixed) and the `Idempotency-Key` are in `ca_topup_meta` on success and in `ca_error_reference` /
/// `ca_error_idempotency_key` on failure. Nothing is ever re-sent while an earlier write may have been
/// received. With a journal (`ca_client_options_set_journal`) the send is written down before its first
/// write, and a reference the journal holds is not written again. Every pointer is checked before anything
/// is sent.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `request`, `topup_out`); any SDK result except
/// `CA_ERR_STILL_PENDING`; `CA_ERR_PANIC` (treat it as outcome unknown). `error_out` may be NULL (but then a
/// failed send's reference is lost unless you prepared it).
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_create(
    client: *const ca_v2_client,
    request: *const ca_v2_topup_request,
    topup_out: *mut *mut ca_topup,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let r = arg(request, "request")?;
        let o = out(topup_out, "topup_out")?;
        o.write(into_handle(ca_topup::new(c.inner.topups().create(&r.req)?)));
        Ok(())
    })
}

/// `ca_v2_topup_create` with a cancel token (`cancel`, required; see `ca_cancel_cancel`). Cancelled before
/// anything of the sale can have been received (before the call, while connecting, while waiting for a
/// rate-limit slot or a back-off): `CA_ERR_CANCELLED`, nothing was sent (`ca_result_proves_not_sent` is
/// true; sell it again with the same reference whenever you like). Once a write may have been received the
/// token is ignored: the send runs on to its real end, one of the five of `ca_v2_topup_create`. A written sale
/// is never abandoned, so this returns within the send deadline, not at once.
/// Results: those of `ca_v2_topup_create`, plus `CA_ERR_NULL_ARGUMENT` (`cancel`) and `CA_ERR_CANCELLED`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_create_cancellable(
    client: *const ca_v2_client,
    request: *const ca_v2_topup_request,
    cancel: *const ca_cancel,
    topup_out: *mut *mut ca_topup,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let r = arg(request, "request")?;
        let token = token_arg(cancel)?;
        let o = out(topup_out, "topup_out")?;
        o.write(into_handle(ca_topup::new(
            c.inner.topups().create_cancellable(&r.req, &token)?,
        )));
        Ok(())
    })
}
