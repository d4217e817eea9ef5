//! V1 sends: the request object (`ca_v1_topup_request`) and `ca_v1_send_topup`.

use super::ca_v1_client;
use crate::cancel::{ca_cancel, token_arg};
use crate::fail::ca_error;
use crate::guard::{self, arg, arg_mut, arg_str, into_handle, out, run};
use crate::models::v1::ca_transaction;
use crate::result::ca_result;
use sdk::money::parse_amount;
use sdk::v1::{ProcessingMode, SendTopUp};
use std::ffi::{CString, c_char};

/// A V1 top-up to send. Not thread-safe while being modified; may be sent from several threads once built.
/// Its `extRefId` is the sale's identity: a request with none gets a new generated one at each send (a new
/// sale each time); call `ca_v1_topup_request_prepare` (or set your own) to fix it, and persist it, before
/// sending.
pub struct ca_v1_topup_request {
    req: SendTopUp,
    /// What `ca_v1_topup_request_ext_ref_id` hands out (kept in step with `req`).
    ext_ref_c: Option<CString>,
}

impl ca_v1_topup_request {
    fn new(req: SendTopUp) -> ca_v1_topup_request {
        let ext_ref_c = req.ext_ref_id.as_deref().map(guard::cstring);
        ca_v1_topup_request { req, ext_ref_c }
    }
    fn refresh(&mut self) {
        self.ext_ref_c = self.req.ext_ref_id.as_deref().map(guard::cstring);
    }
}

/// An amount top-up: `msisdn` in international format without `+` (`233541112259`; see `ca_phone_to_msisdn`),
/// `amount` an exact decimal string in the destination currency. Copied. On `CA_OK`, `*request_out` owns a
/// new request (SYNC mode, no SMS); free it with `ca_v1_topup_request_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`msisdn`, `amount`, `request_out`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (`amount` not a positive decimal); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_topup_request_new_amount(
    msisdn: *const c_char,
    amount: *const c_char,
    request_out: *mut *mut ca_v1_topup_request,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let m = arg_str(msisdn, "msisdn")?;
        let a = arg_str(amount, "amount")?;
        let o = out(request_out, "request_out")?;
        let value = parse_amount("amount", a)?;
        o.write(into_handle(ca_v1_topup_request::new(SendTopUp::amount(
            m, value,
        ))));
        Ok(())
    })
}

/// A product top-up (`product_id` from `ca_v1_products`). For an OPEN_PRODUCT also set an amount with
/// `ca_v1_topup_request_set_amount`. Copied. On `CA_OK`, `*request_out` owns a new request; free it with
/// `ca_v1_topup_request_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`msisdn`, `request_out`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_topup_request_new_product(
    msisdn: *const c_char,
    product_id: i64,
    request_out: *mut *mut ca_v1_topup_request,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let m = arg_str(msisdn, "msisdn")?;
        let o = out(request_out, "request_out")?;
        o.write(into_handle(ca_v1_topup_request::new(SendTopUp::product(
            m, product_id,
        ))));
        Ok(())
    })
}

/// Release a request. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_topup_request_free(request: *mut ca_v1_topup_request) {
    guard::free_handle(request)
}

/// Set (or replace) the amount, an exact decimal string.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`, `amount`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_INVALID_INPUT`, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_topup_request_set_amount(
    request: *mut ca_v1_topup_request,
    amount: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        let a = arg_str(amount, "amount")?;
        r.req.amount = Some(parse_amount("amount", a)?);
        Ok(())
    })
}

/// Your external reference (`extRefId`, at most 100 characters; unique per sale, e.g. the receipt number).
/// It is the sale's identity: it finds the transaction after a lost answer and the journal keys the send by
/// it. Generated (`ca-<uuid>`) at each send when not set (see `ca_v1_topup_request_prepare`). Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`, `ext_ref_id`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_topup_request_set_ext_ref_id(
    request: *mut ca_v1_topup_request,
    ext_ref_id: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        r.req.ext_ref_id = Some(arg_str(ext_ref_id, "ext_ref_id")?.to_owned());
        r.refresh();
        Ok(())
    })
}

/// Fix the sale's `extRefId` before anything is sent (generated, `ca-<uuid>`, if none is set); afterwards
/// `ca_v1_topup_request_ext_ref_id` returns what every send of this request will carry. Persist it (with the
/// order) BEFORE `ca_v1_send_topup`: after a crash, selling the same order with the same `extRefId` is
/// recognised as the same sale. Calling it again changes nothing.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_topup_request_prepare(
    request: *mut ca_v1_topup_request,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        r.req = r.req.prepared();
        r.refresh();
        Ok(())
    })
}

/// The `extRefId` this request's sends carry: the one set or made by `ca_v1_topup_request_prepare`. Owned by
/// `request`, valid until the request is modified or freed. NULL if none is fixed yet (each send would
/// generate its own) or `request` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_topup_request_ext_ref_id(
    request: *const ca_v1_topup_request,
) -> *const c_char {
    guard::get_val(request, std::ptr::null(), |r| {
        r.ext_ref_c
            .as_ref()
            .map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

/// ASYNC mode (`true`: the answer is immediate with state PENDING; call `ca_v1_wait`) or SYNC (`false`,
/// default: the answer carries a terminal state within about 10 s).
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_topup_request_set_async(
    request: *mut ca_v1_topup_request,
    async_mode: bool,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(request, "request")?.req.processing_mode = if async_mode {
            ProcessingMode::Async
        } else {
            ProcessingMode::Sync
        };
        Ok(())
    })
}

/// SMS the recipient on success (default false).
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_topup_request_set_send_sms(
    request: *mut ca_v1_topup_request,
    send_sms: bool,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(request, "request")?.req.send_sms = send_sms;
        Ok(())
    })
}

/// Send a top-up, at most once, and report only what is true; the five ends are those of
/// `ca_v2_topup_create`: `CA_OK` only for a record verified to be THIS sale (`extRefId`, msisdn, amount;
/// `ca_meta_origin` says how it was obtained); a result for which `ca_result_proves_not_sent` is true:
/// nothing was sold; `CA_ERR_DUPLICATE_SALE` (code 50: a similar recent sale) / `CA_ERR_REFERENCE_CONFLICT`
/// (code 90 for an `extRefId` another sale holds, a record that does not match): this sale was not created,
/// the other one is named; `CA_ERR_OUTCOME_UNKNOWN`: do NOT sell again, settle it with
/// `ca_v1_client_recover` or `ca_v1_reconcile` later. Every send carries an `extRefId` (yours, prepared, or
/// generated; in `ca_meta_reference` on success, `ca_error_reference` on failure). On `CA_OK`,
/// `*transaction_out` owns the transaction; free it with `ca_transaction_free`. A SYNC answer carries a
/// terminal state (a provider failure is `CA_OK` with state FAILED), an ASYNC one PENDING; a send RECOVERED
/// after a lost answer (origin `recovered` / `replayed` / `journal`) returns the record as the lookup or the
/// journal shows it, which may still be PENDING or PROCESSING even in SYNC mode: call `ca_v1_wait` unless
/// `ca_transaction_is_terminal`. Every pointer is checked before anything is sent.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `request`, `transaction_out`); any SDK result except
/// `CA_ERR_STILL_PENDING`; `CA_ERR_PANIC` (treat it as outcome unknown). `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_send_topup(
    client: *const ca_v1_client,
    request: *const ca_v1_topup_request,
    transaction_out: *mut *mut ca_transaction,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let r = arg(request, "request")?;
        let o = out(transaction_out, "transaction_out")?;
        o.write(into_handle(ca_transaction::new(
            c.inner.send_topup(&r.req)?,
        )));
        Ok(())
    })
}

/// `ca_v1_send_topup` with a cancel token (`cancel`, required): as `ca_v2_topup_create_cancellable` —
/// cancelled before anything of the sale can have been received, `CA_ERR_CANCELLED` and nothing was sent;
/// once a write may have been received, the send runs on to its real end.
/// Results: those of `ca_v1_send_topup`, plus `CA_ERR_NULL_ARGUMENT` (`cancel`) and `CA_ERR_CANCELLED`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_send_topup_cancellable(
    client: *const ca_v1_client,
    request: *const ca_v1_topup_request,
    cancel: *const ca_cancel,
    transaction_out: *mut *mut ca_transaction,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let r = arg(request, "request")?;
        let token = token_arg(cancel)?;
        let o = out(transaction_out, "transaction_out")?;
        o.write(into_handle(ca_transaction::new(
            c.inner.send_topup_cancellable(&r.req, &token)?,
        )));
        Ok(())
    })
}
