//! The V1 client (`/adp…`, e-mail + token headers) and its request object.

use crate::cancel::{ca_cancel, token_arg};
use crate::error::{Fail, ca_error, ca_result};
use crate::guard::{self, arg, arg_mut, arg_str, into_handle, opt_arg, opt_str, out, run};
use crate::journal::{ca_journal_entry, ca_journal_list};
use crate::models_v1::{
    ca_transaction, ca_transaction_list, ca_v1_balance, ca_v1_balance_list, ca_v1_product,
    ca_v1_product_list, ca_v1_service_list,
};
use crate::options::ca_client_options;
use crate::v2::wait_options;
use sdk::money::parse_amount;
use sdk::v1::{Client, ProcessingMode, SendTopUp, TransactionFilter};
use std::ffi::{CString, c_char};

/// A V1 client. Thread-safe: one client may be shared by any number of threads for any call. Free it only
/// after every call using it has returned.
pub struct ca_v1_client {
    pub(crate) inner: Client,
    base_url: std::ffi::CString,
}

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

/// Create a V1 client with the account e-mail and API token (from the sandbox, `ca_sandbox_v1_email` and
/// `ca_sandbox_v1_token`). `options` may be NULL (production URL, default timeouts); it is copied. The token
/// never appears in errors or logs. On `CA_OK`, `*client_out` owns a new client; free it with
/// `ca_v1_client_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`email`, `token`, `client_out`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (a bad setting or credential; `ca_error_field` names it); `CA_ERR_TLS`;
/// `CA_ERR_JOURNAL` (the journal set with `ca_client_options_set_journal` cannot be opened or written);
/// `CA_ERR_PANIC`. No network call is made. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_new(
    email: *const c_char,
    token: *const c_char,
    options: *const ca_client_options,
    client_out: *mut *mut ca_v1_client,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let email = arg_str(email, "email")?;
        let token = arg_str(token, "token")?;
        let o = out(client_out, "client_out")?;
        o.write(into_handle(build(Client::builder(email, token), options)?));
        Ok(())
    })
}

fn build(
    mut b: sdk::ClientBuilder<sdk::v1::Credentials>,
    options: *const ca_client_options,
) -> Result<ca_v1_client, Fail> {
    if let Some(opts) = opt_arg(options) {
        b = opts.apply(b);
        if let Some(p) = &opts.v1_topup_path {
            b = b.topup_path(p.clone());
        }
    }
    let inner = b.build()?;
    let base_url = guard::cstring(inner.base_url());
    Ok(ca_v1_client { inner, base_url })
}

/// Create a V1 client configured from the environment: `CLICKAIRTIME_V1_EMAIL` and `CLICKAIRTIME_V1_TOKEN`
/// (required) and, when set, `CLICKAIRTIME_BASE_URL` (empty variables count as unset); then `options` (may be
/// NULL; copied) apply on top, and what they set wins. Reads the environment once, now: do not change it
/// from another thread meanwhile. On `CA_OK`, `*client_out` owns a new client; free it with
/// `ca_v1_client_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client_out`); `CA_ERR_INVALID_INPUT` (`ca_error_field` names
/// the missing variable, e.g. `CLICKAIRTIME_V1_TOKEN`, or a bad setting); `CA_ERR_TLS`; `CA_ERR_JOURNAL`;
/// `CA_ERR_PANIC`. No network call is made. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_new_from_env(
    options: *const ca_client_options,
    client_out: *mut *mut ca_v1_client,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = out(client_out, "client_out")?;
        o.write(into_handle(build(Client::builder_from_env()?, options)?));
        Ok(())
    })
}

/// Release a client. NULL does nothing. No call may be using it.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_free(client: *mut ca_v1_client) {
    guard::free_handle(client)
}

/// The base URL in use, normalised. Owned by `client`, valid until it is freed. NULL if `client` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_base_url(client: *const ca_v1_client) -> *const c_char {
    guard::get_val(client, std::ptr::null(), |c| c.base_url.as_ptr())
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

/// Services (operators) with products for the account. On `CA_OK`, `*services_out` owns a new list; free
/// it with `ca_v1_service_list_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `services_out`),
/// any SDK result, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_catalog(
    client: *const ca_v1_client,
    services_out: *mut *mut ca_v1_service_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(services_out, "services_out")?;
        o.write(into_handle(ca_v1_service_list::new(
            c.inner.product_catalog()?,
        )));
        Ok(())
    })
}

/// Products of one service. On `CA_OK`, `*products_out` owns a new list; free it with
/// `ca_v1_product_list_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `products_out`), any SDK
/// result, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_products(
    client: *const ca_v1_client,
    service_id: i64,
    products_out: *mut *mut ca_v1_product_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(products_out, "products_out")?;
        o.write(into_handle(ca_v1_product_list::new(
            c.inner.products(service_id)?,
        )));
        Ok(())
    })
}

/// One product. On `CA_OK`, `*product_out` owns it; free it with `ca_v1_product_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `product_out`), any SDK result (`CA_ERR_NOT_FOUND`),
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_get_product(
    client: *const ca_v1_client,
    product_id: i64,
    product_out: *mut *mut ca_v1_product,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(product_out, "product_out")?;
        o.write(into_handle(ca_v1_product::new(
            c.inner.product(product_id)?,
        )));
        Ok(())
    })
}

/// Balances of every service account. On `CA_OK`, `*balances_out` owns a new list; free it with
/// `ca_v1_balance_list_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `balances_out`), any SDK
/// result, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balances(
    client: *const ca_v1_client,
    balances_out: *mut *mut ca_v1_balance_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(balances_out, "balances_out")?;
        o.write(into_handle(ca_v1_balance_list::new(c.inner.balances()?)));
        Ok(())
    })
}

/// Balance of one account. On `CA_OK`, `*balance_out` owns it; free it with `ca_v1_balance_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `account_id`, `balance_out`), `CA_ERR_INVALID_UTF8`,
/// any SDK result, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_get_balance(
    client: *const ca_v1_client,
    account_id: *const c_char,
    balance_out: *mut *mut ca_v1_balance,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let id = arg_str(account_id, "account_id")?;
        let o = out(balance_out, "balance_out")?;
        o.write(into_handle(ca_v1_balance::new(c.inner.balance(id)?)));
        Ok(())
    })
}

/// The V1 sends the journal holds open (as `ca_v2_client_pending`). On `CA_OK`, `*list_out` owns a new list
/// (empty without a journal); free it with `ca_journal_list_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `list_out`), `CA_ERR_JOURNAL`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_pending(
    client: *const ca_v1_client,
    list_out: *mut *mut ca_journal_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(list_out, "list_out")?;
        o.write(into_handle(ca_journal_list::v1_entries(c.inner.pending()?)));
        Ok(())
    })
}

/// Settle every open V1 journal entry, never writing (as `ca_v2_client_recover`; a `sent` entry carries its
/// transaction, `ca_journal_entry_transaction`). On `CA_OK`, `*list_out` owns the entries after recovery;
/// free it with `ca_journal_list_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `list_out`); `CA_ERR_INVALID_INPUT` (field
/// `journal`: the client has no journal); `CA_ERR_JOURNAL`; `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_recover(
    client: *const ca_v1_client,
    list_out: *mut *mut ca_journal_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(list_out, "list_out")?;
        o.write(into_handle(ca_journal_list::v1_recovered(
            c.inner.recover()?,
        )));
        Ok(())
    })
}

/// The journal's V1 entry for `ext_ref_id`, whatever its state. On `CA_OK`, `*entry_out` is a new entry
/// (free it with `ca_journal_entry_free`), or NULL when the journal has none or the client has no journal.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `ext_ref_id`, `entry_out`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_JOURNAL`, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_journal_entry(
    client: *const ca_v1_client,
    ext_ref_id: *const c_char,
    entry_out: *mut *mut ca_journal_entry,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let r = arg_str(ext_ref_id, "ext_ref_id")?;
        let o = out(entry_out, "entry_out")?;
        let found = c.inner.journal_entry(r)?;
        o.write(found.map_or(std::ptr::null_mut(), |e| {
            into_handle(ca_journal_entry::v1(e, None))
        }));
        Ok(())
    })
}
