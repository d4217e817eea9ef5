//! The V2 client (`/v2/…`, Bearer API key) and its request objects.

use crate::cancel::{ca_cancel, token_arg};
use crate::error::{Fail, ca_error, ca_result};
use crate::guard::{self, arg, arg_mut, arg_str, into_handle, opt_arg, opt_str, out, run};
use crate::journal::{ca_journal_entry, ca_journal_list};
use crate::models_v2::{
    ca_balance, ca_catalog, ca_country_list, ca_network_list, ca_topup, ca_topup_list, ca_wallet,
};
use crate::options::ca_client_options;
use sdk::money::parse_amount;
use sdk::v2::{Client, CreateTopUp, ListTopUps, TopUpStatus, idempotency_key_for};
use std::ffi::{CString, c_char};
use std::time::Duration;

/// A V2 client. Thread-safe: one client may be shared by any number of threads for any call (it holds one
/// connection pool); create it once and reuse it. Free it only after every call using it has returned.
pub struct ca_v2_client {
    pub(crate) inner: Client,
    base_url: std::ffi::CString,
}

/// A V2 top-up to send. Not thread-safe while being modified; may be sent from several threads once built.
/// Its reference is the sale's identity: a request with no reference gets a new generated one at each send
/// (a new sale each time); call `ca_v2_topup_request_prepare` (or set your own reference) to fix it, and
/// persist it, before sending.
pub struct ca_v2_topup_request {
    req: CreateTopUp,
    /// What `ca_v2_topup_request_reference` / `_idempotency_key` hand out (kept in step with `req`).
    reference_c: Option<CString>,
    key_c: Option<CString>,
}

impl ca_v2_topup_request {
    fn new(req: CreateTopUp) -> ca_v2_topup_request {
        let mut r = ca_v2_topup_request {
            req,
            reference_c: None,
            key_c: None,
        };
        r.refresh();
        r
    }

    /// Recompute the handles the getters return (after the reference or key changed).
    fn refresh(&mut self) {
        self.reference_c = self.req.reference.as_deref().map(guard::cstring);
        self.key_c = self
            .req
            .idempotency_key
            .clone()
            .or_else(|| self.req.reference.as_deref().map(idempotency_key_for))
            .map(guard::cstring);
    }
}

/// Filters of `ca_v2_topup_list` / `ca_v2_topup_list_all`. Not thread-safe while being modified.
#[derive(Default)]
pub struct ca_v2_topup_filter {
    f: ListTopUps,
}

pub(crate) fn wait_options(
    deadline_ms: u64,
    initial_interval_ms: u64,
    max_interval_ms: u64,
) -> sdk::WaitOptions {
    let mut o = sdk::WaitOptions::default();
    if deadline_ms > 0 {
        o.deadline = Duration::from_millis(deadline_ms);
    }
    if initial_interval_ms > 0 {
        o.initial_interval = Duration::from_millis(initial_interval_ms);
    }
    if max_interval_ms > 0 {
        o.max_interval = Duration::from_millis(max_interval_ms);
    }
    o
}

/// Create a V2 client with the API key from the Enterprise Portal (`ce_live_…`; from the sandbox,
/// `ca_sandbox_api_key`). `options` may be NULL (production URL, default timeouts); it is copied. The key
/// never appears in errors or logs. On `CA_OK`, `*client_out` owns a new client; free it with
/// `ca_v2_client_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`api_key`, `client_out`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (a bad setting or key; `ca_error_field` names it); `CA_ERR_TLS` (the TLS setup
/// failed); `CA_ERR_JOURNAL` (the journal set with `ca_client_options_set_journal` cannot be opened or
/// written); `CA_ERR_PANIC`. No network call is made. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_new(
    api_key: *const c_char,
    options: *const ca_client_options,
    client_out: *mut *mut ca_v2_client,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let key = arg_str(api_key, "api_key")?;
        let o = out(client_out, "client_out")?;
        o.write(into_handle(build(Client::builder(key), options)?));
        Ok(())
    })
}

fn build(
    mut b: sdk::ClientBuilder<sdk::v2::ApiKey>,
    options: *const ca_client_options,
) -> Result<ca_v2_client, Fail> {
    if let Some(opts) = opt_arg(options) {
        b = opts.apply(b);
    }
    let inner = b.build()?;
    let base_url = guard::cstring(inner.base_url());
    Ok(ca_v2_client { inner, base_url })
}

/// Create a V2 client configured from the environment: the key from `CLICKAIRTIME_API_KEY` (required) and,
/// when set, the base URL from `CLICKAIRTIME_BASE_URL` (empty variables count as unset). Then `options`
/// (may be NULL; copied) apply on top: what they set wins, e.g. `ca_client_options_set_base_url`. So
/// `ca_v2_client_new_from_env(NULL, &client, &err)` is enough in production, with the key kept out of the
/// program. Reads the environment once, now: do not change it (`setenv`) from another thread meanwhile. On
/// `CA_OK`, `*client_out` owns a new client; free it with `ca_v2_client_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client_out`); `CA_ERR_INVALID_INPUT` (`ca_error_field` names
/// the variable that is missing or not UTF-8, e.g. `CLICKAIRTIME_API_KEY`, or a bad setting); `CA_ERR_TLS`;
/// `CA_ERR_JOURNAL`; `CA_ERR_PANIC`. No network call is made. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_new_from_env(
    options: *const ca_client_options,
    client_out: *mut *mut ca_v2_client,
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
pub extern "C" fn ca_v2_client_free(client: *mut ca_v2_client) {
    guard::free_handle(client)
}

/// The base URL in use, normalised. Owned by `client`, valid until it is freed. NULL if `client` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_base_url(client: *const ca_v2_client) -> *const c_char {
    guard::get_val(client, std::ptr::null(), |c| c.base_url.as_ptr())
}

// ------------------------------------------------------------------------------------------- requests

/// A custom-amount top-up: `phone_number` in E.164 (`+233541112259`), `network_id` from the lookup,
/// `amount` an exact decimal string in the network's local currency (`"50"`, `"12.50"`), `currency` that
/// currency (`GHS`). Strings are copied. On `CA_OK`, `*request_out` owns a new request; free it with
/// `ca_v2_topup_request_free`. The phone number and network are checked when sending.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`phone_number`, `amount`, `currency`, `request_out`);
/// `CA_ERR_INVALID_UTF8`; `CA_ERR_INVALID_INPUT` (`amount` not a positive decimal with at most 4 places);
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_new_amount(
    phone_number: *const c_char,
    network_id: i64,
    amount: *const c_char,
    currency: *const c_char,
    request_out: *mut *mut ca_v2_topup_request,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let phone = arg_str(phone_number, "phone_number")?;
        let amount = arg_str(amount, "amount")?;
        let currency = arg_str(currency, "currency")?;
        let o = out(request_out, "request_out")?;
        let value = parse_amount("amount", amount)?;
        o.write(into_handle(ca_v2_topup_request::new(CreateTopUp::amount(
            phone, network_id, value, currency,
        ))));
        Ok(())
    })
}

/// A bundle top-up: `product_id` is a bundle id from the catalog (`ca_catalog_bundle_id`). Strings are
/// copied. On `CA_OK`, `*request_out` owns a new request; free it with `ca_v2_topup_request_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`phone_number`, `product_id`, `request_out`);
/// `CA_ERR_INVALID_UTF8`; `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_new_product(
    phone_number: *const c_char,
    network_id: i64,
    product_id: *const c_char,
    request_out: *mut *mut ca_v2_topup_request,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let phone = arg_str(phone_number, "phone_number")?;
        let product = arg_str(product_id, "product_id")?;
        let o = out(request_out, "request_out")?;
        o.write(into_handle(ca_v2_topup_request::new(CreateTopUp::product(
            phone, network_id, product,
        ))));
        Ok(())
    })
}

/// Release a request. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_free(request: *mut ca_v2_topup_request) {
    guard::free_handle(request)
}

/// Your reference for this sale (at most 100 characters; unique per sale, e.g. the receipt number). It is
/// the sale's identity: it finds the top-up after a lost answer, the journal keys the send by it, and the
/// `Idempotency-Key` is derived from it (`ca_v2_idempotency_key_for`) unless you set one, so selling the
/// same reference again (after a crash, say) is recognised as the same sale. Generated (`ca-<uuid>`) at
/// each send when not set (see `ca_v2_topup_request_prepare`). Copied; checked when sending.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`, `reference`), `CA_ERR_INVALID_UTF8`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_set_reference(
    request: *mut ca_v2_topup_request,
    reference: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        r.req.reference = Some(arg_str(reference, "reference")?.to_owned());
        r.refresh();
        Ok(())
    })
}

/// Fix the sale's handles before anything is sent: a reference is generated (`ca-<uuid>`) if none is set;
/// the `Idempotency-Key` is the one set, else derived from the reference (it follows the reference: a
/// reference set later brings its own key). Afterwards `ca_v2_topup_request_reference` and
/// `ca_v2_topup_request_idempotency_key` return what every send of this request will carry. Persist the
/// reference (with the order) BEFORE `ca_v2_topup_create`: after a crash, selling the same order with the
/// same reference is recognised as the same sale (by the API, and by the journal without any write).
/// Calling it again changes nothing.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_prepare(
    request: *mut ca_v2_topup_request,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        // only the reference is stored: a derived key stays derived, so it can never go stale (the core's
        // `prepared()` would store it, and a reference set afterwards would then carry the old one)
        if r.req.reference.is_none() {
            r.req.reference = Some(sdk::v2::new_reference());
        }
        r.refresh();
        Ok(())
    })
}

/// The reference this request's sends carry: the one set or made by `ca_v2_topup_request_prepare`. Owned
/// by `request`, valid until the request is modified or freed. NULL if none is fixed yet (each send would
/// generate its own) or `request` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_reference(
    request: *const ca_v2_topup_request,
) -> *const c_char {
    guard::get_val(request, std::ptr::null(), |r| {
        r.reference_c
            .as_ref()
            .map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

/// The `Idempotency-Key` this request's sends carry: the one set, else the one derived from the reference.
/// Owned by `request`, valid until the request is modified or freed. NULL if no reference is fixed yet or
/// `request` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_idempotency_key(
    request: *const ca_v2_topup_request,
) -> *const c_char {
    guard::get_val(request, std::ptr::null(), |r| {
        r.key_c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

/// The `Idempotency-Key` header. Derived from the reference when not set (recommended: the same reference
/// then always carries the same key, in every process). Set it only to use your own scheme, one key per
/// sale; every send of this request then carries it. Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`, `idempotency_key`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_set_idempotency_key(
    request: *mut ca_v2_topup_request,
    idempotency_key: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        r.req.idempotency_key = Some(arg_str(idempotency_key, "idempotency_key")?.to_owned());
        r.refresh();
        Ok(())
    })
}

/// SMS the recipient; `message` (at most 480 characters) may be NULL for the default text. Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`), `CA_ERR_INVALID_UTF8`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_set_sms(
    request: *mut ca_v2_topup_request,
    message: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        let m = opt_str(message, "message")?.map(str::to_owned);
        r.req.sms = Some(sdk::v2::Sms {
            enabled: true,
            message: m,
        });
        Ok(())
    })
}

/// URL that receives status webhooks (https, or http to a loopback host). Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`, `callback_url`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_set_callback_url(
    request: *mut ca_v2_topup_request,
    callback_url: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        r.req.callback_url = Some(arg_str(callback_url, "callback_url")?.to_owned());
        Ok(())
    })
}

/// Add one metadata entry (a string value) stored with the top-up. Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`, `key`, `value`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_add_metadata(
    request: *mut ca_v2_topup_request,
    key: *const c_char,
    value: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        let k = arg_str(key, "key")?;
        let v = arg_str(value, "value")?;
        r.req
            .metadata
            .get_or_insert_with(Default::default)
            .insert(k.to_owned(), v.into());
        Ok(())
    })
}

/// Create an empty filter (no constraint). On `CA_OK`, `*filter_out` owns it; free it with
/// `ca_v2_topup_filter_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`filter_out`), `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_filter_new(
    filter_out: *mut *mut ca_v2_topup_filter,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        out(filter_out, "filter_out")?.write(into_handle(ca_v2_topup_filter::default()));
        Ok(())
    })
}

/// Release a filter. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_filter_free(filter: *mut ca_v2_topup_filter) {
    guard::free_handle(filter)
}

/// Page number (from 1) and page size (1..100); 0 leaves a value unset (API defaults: page 1, 20 per page).
/// Checked when listing. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`filter`), `CA_ERR_PANIC`. `error_out`
/// may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_filter_set_page(
    filter: *mut ca_v2_topup_filter,
    page: u32,
    per_page: u32,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let f = arg_mut(filter, "filter")?;
        f.f.page = (page > 0).then_some(page);
        f.f.per_page = (per_page > 0).then_some(per_page);
        Ok(())
    })
}

/// Set a text filter. `name` is one of `status` (`pending`, `processing`, `completed`, `failed`),
/// `phone_number` (partial match), `reference` (exact), `from`, `to` (ISO 8601 date or date-time, on the
/// creation time), `sort` (`created_at`, `completed_at`, `status`, `total_usd`, `-` prefix for descending).
/// Values are copied and checked when listing.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`filter`, `name`, `value`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (unknown `name`); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_filter_set(
    filter: *mut ca_v2_topup_filter,
    name: *const c_char,
    value: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let f = arg_mut(filter, "filter")?;
        let n = arg_str(name, "name")?;
        let v = arg_str(value, "value")?.to_owned();
        match n {
            "status" => f.f.status = Some(TopUpStatus::from(v.as_str())),
            "phone_number" => f.f.phone_number = Some(v),
            "reference" => f.f.reference = Some(v),
            "from" => f.f.from = Some(v),
            "to" => f.f.to = Some(v),
            "sort" => f.f.sort = Some(v),
            other => {
                return Err(Fail::from(sdk::Error::invalid(
                    "name",
                    format!(
                        "{other:?} is not one of status, phone_number, reference, from, to, sort"
                    ),
                )));
            }
        }
        Ok(())
    })
}

// ----------------------------------------------------------------------------------------- operations

/// Find the network of a number (HLR lookup) and its products. `phone_number` may be NULL when `network_id`
/// is given (else it is an E.164 number); `network_id` 0 means "not given" (a known network skips the HLR lookup, e.g. for
/// ported numbers). On `CA_OK`, `*catalog_out` owns a new catalog; free it with `ca_catalog_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `catalog_out`); `CA_ERR_INVALID_UTF8`; any SDK
/// result (e.g. `CA_ERR_INVALID_INPUT` for a malformed number, `CA_ERR_API` for an unknown prefix);
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_lookup(
    client: *const ca_v2_client,
    phone_number: *const c_char,
    network_id: i64,
    catalog_out: *mut *mut ca_catalog,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let phone = opt_str(phone_number, "phone_number")?;
        let o = out(catalog_out, "catalog_out")?;
        let r = c
            .inner
            .catalog()
            .lookup(phone, (network_id != 0).then_some(network_id))?;
        o.write(into_handle(ca_catalog::new(r)));
        Ok(())
    })
}

/// Supported countries. On `CA_OK`, `*countries_out` owns a new list; free it with `ca_country_list_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `countries_out`), any SDK result, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_countries(
    client: *const ca_v2_client,
    countries_out: *mut *mut ca_country_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(countries_out, "countries_out")?;
        o.write(into_handle(ca_country_list::new(
            c.inner.catalog().countries()?,
        )));
        Ok(())
    })
}

/// Networks, of one country (`country_code` ISO 3166-1 alpha-2, e.g. "GH") or of all (`country_code`
/// NULL). On `CA_OK`, `*networks_out` owns a new list; free it with `ca_network_list_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `networks_out`), `CA_ERR_INVALID_UTF8`, any SDK
/// result, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_networks(
    client: *const ca_v2_client,
    country_code: *const c_char,
    networks_out: *mut *mut ca_network_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let cc = opt_str(country_code, "country_code")?;
        let o = out(networks_out, "networks_out")?;
        o.write(into_handle(ca_network_list::new(
            c.inner.catalog().networks(cc)?,
        )));
        Ok(())
    })
}

/// Full catalog of one network. On `CA_OK`, `*catalog_out` owns a new catalog; free it with
/// `ca_catalog_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `catalog_out`), any SDK result
/// (`CA_ERR_NOT_FOUND` for an unknown network), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_products(
    client: *const ca_v2_client,
    network_id: i64,
    catalog_out: *mut *mut ca_catalog,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(catalog_out, "catalog_out")?;
        o.write(into_handle(ca_catalog::new(
            c.inner.catalog().products(network_id)?,
        )));
        Ok(())
    })
}

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

/// Every wallet and the USD total. On `CA_OK`, `*balance_out` owns it; free it with `ca_balance_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `balance_out`), any SDK result, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_balance(
    client: *const ca_v2_client,
    balance_out: *mut *mut ca_balance,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(balance_out, "balance_out")?;
        o.write(into_handle(ca_balance::new(c.inner.balance().list()?)));
        Ok(())
    })
}

/// One wallet by id (e.g. `wal_ghs_001`). On `CA_OK`, `*wallet_out` owns it; free it with
/// `ca_wallet_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `wallet_id`, `wallet_out`),
/// `CA_ERR_INVALID_UTF8`, any SDK result (`CA_ERR_NOT_FOUND` for an unknown wallet), `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_wallet(
    client: *const ca_v2_client,
    wallet_id: *const c_char,
    wallet_out: *mut *mut ca_wallet,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let id = arg_str(wallet_id, "wallet_id")?;
        let o = out(wallet_out, "wallet_out")?;
        o.write(into_handle(ca_wallet::new(c.inner.balance().get(id)?)));
        Ok(())
    })
}

/// Verify a webhook delivery with this client's API key (the signing key), with the default 300-second
/// tolerance, then parse it. See `ca_webhook_construct_event`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `body`, `signature`, `timestamp`, `event_out`);
/// `CA_ERR_INVALID_UTF8`; `CA_ERR_INVALID_SIGNATURE`; `CA_ERR_UNEXPECTED_RESPONSE` (body not a webhook);
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_verify_webhook(
    client: *const ca_v2_client,
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    timestamp: *const c_char,
    event_out: *mut *mut crate::models_v2::ca_webhook_event,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let body = guard::arg_bytes(body, body_len, "body")?;
        let sig = arg_str(signature, "signature")?;
        let ts = arg_str(timestamp, "timestamp")?;
        let o = out(event_out, "event_out")?;
        let ev = c.inner.verify_webhook(body, sig, ts)?;
        o.write(into_handle(crate::models_v2::ca_webhook_event::new(ev)));
        Ok(())
    })
}

// -------------------------------------------------------------------------------- handles and journal

/// Size of a buffer that holds any `Idempotency-Key` `ca_v2_idempotency_key_for` makes (44 characters, NUL).
pub const CA_IDEMPOTENCY_KEY_BUFFER_SIZE: usize = 45;

/// The `Idempotency-Key` a V2 send of `reference` carries when none is set: derived from the reference
/// alone (`ca2-` and 40 hex digits), so the same reference carries the same key in every process, after a
/// crash, or when sold again. Written with a NUL into `out_buf` (`buf_len` bytes; use
/// `CA_IDEMPOTENCY_KEY_BUFFER_SIZE`); on success `*written_out` receives the length (`written_out` may be
/// NULL).
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`reference`, `out_buf`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_BUFFER_TOO_SMALL` (buffer untouched); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_idempotency_key_for(
    reference: *const c_char,
    out_buf: *mut c_char,
    buf_len: usize,
    written_out: *mut usize,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_str(reference, "reference")?;
        let b = guard::buf(out_buf, buf_len, "out_buf")?;
        b.write(&idempotency_key_for(r), written_out)
    })
}

/// The V2 sends the journal holds open (state `in_flight` after a crash or while a send runs, or
/// `unknown`), oldest first: sales that must NOT be sold again until `ca_v2_client_recover` settles them.
/// Reads the journal only. On `CA_OK`, `*list_out` owns a new list (empty without a journal); free it with
/// `ca_journal_list_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `list_out`), `CA_ERR_JOURNAL`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_pending(
    client: *const ca_v2_client,
    list_out: *mut *mut ca_journal_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(list_out, "list_out")?;
        o.write(into_handle(ca_journal_list::v2_entries(c.inner.pending()?)));
        Ok(())
    })
}

/// Settle every open V2 journal entry (call it at start-up), never writing a top-up: each one is looked up
/// by its reference and verified. Found and verified: `sent` (with its top-up, `ca_journal_entry_topup`);
/// not found once the convergence bound has passed since its last write: `not_sent` (nothing was sold;
/// selling it again with the same reference is safe); another sale holds the reference: `refused`;
/// anything else stays `unknown` (call again later). Entries a live send holds right now (its lease runs:
/// up to the send deadline plus 30 s after it started, also after a crash) are returned unchanged,
/// `in_flight`. On `CA_OK`, `*list_out` owns one entry per open entry, after recovery (empty when nothing
/// was open); free it with `ca_journal_list_free`. Blocking: up to a send deadline per entry.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `list_out`); `CA_ERR_INVALID_INPUT` (field
/// `journal`: the client has no journal); `CA_ERR_JOURNAL`; `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_recover(
    client: *const ca_v2_client,
    list_out: *mut *mut ca_journal_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(list_out, "list_out")?;
        o.write(into_handle(ca_journal_list::v2_recovered(
            c.inner.recover()?,
        )));
        Ok(())
    })
}

/// The journal's V2 entry for `reference`, whatever its state. On `CA_OK`, `*entry_out` is a new entry
/// (free it with `ca_journal_entry_free`; a `sent` one carries its recorded top-up), or NULL when the
/// journal has none or the client has no journal.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `reference`, `entry_out`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_JOURNAL`, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_journal_entry(
    client: *const ca_v2_client,
    reference: *const c_char,
    entry_out: *mut *mut ca_journal_entry,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let r = arg_str(reference, "reference")?;
        let o = out(entry_out, "entry_out")?;
        let found = c.inner.journal_entry(r)?;
        o.write(found.map_or(std::ptr::null_mut(), |e| {
            into_handle(ca_journal_entry::v2(e, None))
        }));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::{CStr, CString};
    use std::ptr;

    fn text(p: *const c_char) -> Option<String> {
        // SAFETY: the getters return NULL or a NUL-terminated string owned by a live handle.
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned())
    }

    #[test]
    fn the_key_follows_the_reference_even_after_prepare() {
        let mut req = ptr::null_mut();
        let phone = CString::new("+233541112259").unwrap();
        let (amount, ghs) = (CString::new("5").unwrap(), CString::new("GHS").unwrap());
        let rc = ca_v2_topup_request_new_amount(
            phone.as_ptr(),
            42,
            amount.as_ptr(),
            ghs.as_ptr(),
            &mut req,
            ptr::null_mut(),
        );
        assert_eq!(rc, ca_result::CA_OK);
        assert!(ca_v2_topup_request_reference(req).is_null());
        assert_eq!(
            ca_v2_topup_request_prepare(req, ptr::null_mut()),
            ca_result::CA_OK
        );
        let first = text(ca_v2_topup_request_reference(req)).unwrap();
        assert_eq!(
            text(ca_v2_topup_request_idempotency_key(req)).unwrap(),
            idempotency_key_for(&first)
        );
        // a reference set after prepare brings its own key, never the old one
        let r = CString::new("RECEIPT-1").unwrap();
        ca_v2_topup_request_set_reference(req, r.as_ptr(), ptr::null_mut());
        assert_eq!(
            text(ca_v2_topup_request_idempotency_key(req)).unwrap(),
            idempotency_key_for("RECEIPT-1")
        );
        // SAFETY: `req` is a live handle made above.
        let prepared = unsafe { &*req }.req.prepared();
        assert_eq!(
            prepared.idempotency_key.as_deref(),
            Some(idempotency_key_for("RECEIPT-1").as_str())
        );
        ca_v2_topup_request_free(req);
    }
}
