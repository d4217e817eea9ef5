//! The V2 client (`/v2/…`, Bearer API key) and its request objects.

use crate::error::{Fail, ca_error, ca_result};
use crate::guard::{self, arg, arg_mut, arg_str, into_handle, opt_arg, opt_str, out, run};
use crate::models_v2::{
    ca_balance, ca_catalog, ca_country_list, ca_network_list, ca_topup, ca_topup_list, ca_wallet,
};
use crate::options::ca_client_options;
use sdk::money::parse_amount;
use sdk::v2::{Client, CreateTopUp, ListTopUps, TopUpStatus};
use std::ffi::c_char;
use std::time::Duration;

/// A V2 client. Thread-safe: one client may be shared by any number of threads for any call (it holds one
/// connection pool); create it once and reuse it. Free it only after every call using it has returned.
pub struct ca_v2_client {
    inner: Client,
    base_url: std::ffi::CString,
}

/// A V2 top-up to send. Not thread-safe while being modified; may be sent any number of times and from
/// several threads once built (each send with no idempotency key set gets its own generated key).
pub struct ca_v2_topup_request {
    req: CreateTopUp,
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
/// failed); `CA_ERR_PANIC`. No network call is made. `error_out` may be NULL.
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
        let mut b = Client::builder(key);
        if let Some(opts) = opt_arg(options) {
            b = opts.apply(b);
        }
        let inner = b.build()?;
        let base_url = guard::cstring(inner.base_url());
        o.write(into_handle(ca_v2_client { inner, base_url }));
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
        o.write(into_handle(ca_v2_topup_request {
            req: CreateTopUp::amount(phone, network_id, value, currency),
        }));
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
        o.write(into_handle(ca_v2_topup_request {
            req: CreateTopUp::product(phone, network_id, product),
        }));
        Ok(())
    })
}

/// Release a request. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_free(request: *mut ca_v2_topup_request) {
    guard::free_handle(request)
}

/// Your reference for this sale (at most 100 characters; make it unique per sale, e.g. the receipt number).
/// It finds the top-up again after a lost answer. Generated (`ca-<uuid>`) when not set. Copied.
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
        Ok(())
    })
}

/// The `Idempotency-Key` header. Generated per send when not set; the same key is used on every re-send of
/// one send. Setting it makes every send of this request the same logical sale. Copied.
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

/// Send a top-up, at most once. The request carries an `Idempotency-Key` and a `reference` (yours or
/// generated; both are in `ca_topup_meta` on success and in `ca_error_reference` /
/// `ca_error_idempotency_key` on failure). If the answer is lost (timeout, dropped connection, 5xx), nothing
/// is re-sent blindly: the top-up is looked up by reference and returned if it exists (`ca_meta_replayed`).
/// On `CA_OK`, `*topup_out` owns the new (or existing) top-up, usually `pending`: call `ca_v2_topup_wait`
/// for the final status; free it with `ca_topup_free`. Every pointer is checked before anything is sent.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `request`, `topup_out`); any SDK result, notably
/// `CA_ERR_INVALID_INPUT`, `CA_ERR_INSUFFICIENT_BALANCE`, `CA_ERR_INVALID_RECIPIENT`,
/// `CA_ERR_DELIVERY_FAILED`, `CA_ERR_RATE_LIMITED`, and `CA_ERR_OUTCOME_UNKNOWN` (NOT a failure: reconcile
/// later with `ca_error_reference`); `CA_ERR_PANIC`. `error_out` may be NULL (but then the reference of a
/// failed send is lost unless you set it yourself).
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
        let f = opt_arg(filter).map(|f| f.f.clone()).unwrap_or_default();
        let items = c
            .inner
            .topups()
            .list_all(&f)?
            .collect::<Result<Vec<_>, _>>()?;
        o.write(into_handle(ca_topup_list::new(items, sdk::Meta::default())));
        Ok(())
    })
}

/// Find the top-up sent with `reference` (exact match), e.g. after `CA_ERR_OUTCOME_UNKNOWN`. On `CA_OK`,
/// `*topup_out` is the top-up (free it with `ca_topup_free`), or NULL when the API has none: it was never
/// created, and sending again with the same reference is safe.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `reference`, `topup_out`), `CA_ERR_INVALID_UTF8`, any
/// SDK result, `CA_ERR_PANIC`. `error_out` may be NULL.
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
/// (default 13 minutes, beyond the documented 12-minute bound), `initial_interval_ms` (default 1000) and
/// `max_interval_ms` (default 15000): 0 means the default. On `CA_OK`, `*topup_out` owns the terminal
/// top-up (check `ca_topup_is_success`); free it with `ca_topup_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `id`, `topup_out`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_TIMEOUT` past the deadline (`ca_error_transaction_id` says which; it may still complete); any
/// other SDK result; `CA_ERR_PANIC`. `error_out` may be NULL.
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
