//! Result handles of the V2 API: top-ups, catalog, networks, countries, balances, webhook events.
//!
//! Every handle here is immutable once returned: any thread may call its getters. Strings returned by a
//! getter are owned by the handle (or by the list that owns the item) and stay valid until it is freed.
//! Amounts are exact decimal strings (`"50.00"`); the `_f64` twins are for display only (NaN when absent).

use crate::error::{ca_error, ca_result};
use crate::guard::{
    Cached, StrCache, free_handle, get_ref, get_str, get_str_at, get_val, opt_arg, put, value,
};
use crate::meta::{ca_meta, to_json};
use sdk::Response;
use sdk::money::{Decimal, to_f64_lossy};
use sdk::v2::webhooks::WebhookEvent;
use sdk::v2::{Balance, Bundle, Catalog, Country, Network, TopUp, Wallet};
use std::ffi::c_char;

fn f64_of(d: Option<Decimal>) -> f64 {
    d.map_or(f64::NAN, to_f64_lossy)
}

macro_rules! cached {
    ($t:ty) => {
        impl Cached for $t {
            fn cache(&self) -> &StrCache {
                &self.cache
            }
        }
    };
}

/// A V2 top-up, with the meta of the answer that produced it.
pub struct ca_topup {
    pub(crate) data: TopUp,
    meta: ca_meta,
    cache: StrCache,
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
    items: Vec<ca_topup>,
    meta: ca_meta,
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

/// The answer of a catalog lookup or products query: a network, its exchange rate and its products.
pub struct ca_catalog {
    data: Catalog,
    network: ca_network,
    bundles: Vec<ca_bundle>,
    meta: ca_meta,
    cache: StrCache,
}
cached!(ca_catalog);

impl ca_catalog {
    pub(crate) fn new(r: Response<Catalog>) -> ca_catalog {
        ca_catalog {
            network: ca_network::new(r.data.network.clone()),
            bundles: r
                .data
                .products
                .fixed_bundles
                .iter()
                .cloned()
                .map(ca_bundle::new)
                .collect(),
            data: r.data,
            meta: ca_meta::new(r.meta),
            cache: StrCache::default(),
        }
    }
}

/// One network (operator): an item of a `ca_network_list` (`ca_network_list_get`), of a country
/// (`ca_country_networks`) or the network of a catalog (`ca_catalog_network`). Always borrowed from the
/// handle it came from; never freed by itself. Immutable; thread-safe.
pub struct ca_network {
    data: Network,
    cache: StrCache,
}
cached!(ca_network);

impl ca_network {
    fn new(data: Network) -> ca_network {
        ca_network {
            data,
            cache: StrCache::default(),
        }
    }
}

/// One fixed bundle of a catalog (`ca_catalog_products_fixed_bundles`). Borrowed from the catalog; never
/// freed by itself. Immutable; thread-safe.
pub struct ca_bundle {
    data: Bundle,
    cache: StrCache,
}
cached!(ca_bundle);

impl ca_bundle {
    fn new(data: Bundle) -> ca_bundle {
        ca_bundle {
            data,
            cache: StrCache::default(),
        }
    }
}

/// One supported country (`ca_country_list_get`), with its networks when the API listed them. Borrowed from
/// the list; never freed by itself. Immutable; thread-safe.
pub struct ca_country {
    data: Country,
    networks: Vec<ca_network>,
    cache: StrCache,
}
cached!(ca_country);

/// A list of networks.
pub struct ca_network_list {
    data: Vec<Network>,
    items: Vec<ca_network>,
    meta: ca_meta,
    cache: StrCache,
}
cached!(ca_network_list);

impl ca_network_list {
    pub(crate) fn new(r: Response<Vec<Network>>) -> ca_network_list {
        ca_network_list {
            items: r.data.iter().cloned().map(ca_network::new).collect(),
            data: r.data,
            meta: ca_meta::new(r.meta),
            cache: StrCache::default(),
        }
    }
}

/// A list of supported countries.
pub struct ca_country_list {
    data: Vec<Country>,
    items: Vec<ca_country>,
    meta: ca_meta,
    cache: StrCache,
}
cached!(ca_country_list);

impl ca_country_list {
    pub(crate) fn new(r: Response<Vec<Country>>) -> ca_country_list {
        ca_country_list {
            items: r
                .data
                .iter()
                .map(|c| ca_country {
                    networks: c.networks.iter().cloned().map(ca_network::new).collect(),
                    data: c.clone(),
                    cache: StrCache::default(),
                })
                .collect(),
            data: r.data,
            meta: ca_meta::new(r.meta),
            cache: StrCache::default(),
        }
    }
}

/// One V2 wallet.
pub struct ca_wallet {
    data: Wallet,
    meta: ca_meta,
    cache: StrCache,
}
cached!(ca_wallet);

impl ca_wallet {
    pub(crate) fn new(r: Response<Wallet>) -> ca_wallet {
        ca_wallet {
            data: r.data,
            meta: ca_meta::new(r.meta),
            cache: StrCache::default(),
        }
    }
}

/// Every V2 wallet and the USD total.
pub struct ca_balance {
    data: Balance,
    wallets: Vec<ca_wallet>,
    meta: ca_meta,
    cache: StrCache,
}
cached!(ca_balance);

impl ca_balance {
    pub(crate) fn new(r: Response<Balance>) -> ca_balance {
        let m = ca_meta::new(r.meta);
        let wallets = r
            .data
            .wallets
            .iter()
            .map(|w| ca_wallet {
                data: w.clone(),
                meta: m.clone(),
                cache: StrCache::default(),
            })
            .collect();
        ca_balance {
            data: r.data,
            wallets,
            meta: m,
            cache: StrCache::default(),
        }
    }
}

/// A parsed (and, from `ca_webhook_construct_event`, verified) webhook delivery.
pub struct ca_webhook_event {
    data: WebhookEvent,
    topup: Option<ca_topup>,
    cache: StrCache,
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

// ---------------------------------------------------------------------------------------------- ca_topup

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

// ----------------------------------------------------------------------------------------- ca_topup_list

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

// -------------------------------------------------------------------------------------------- ca_catalog

/// The number looked up (E.164). Owned by `catalog`. NULL if absent (looked up by network only).
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_phone_number(catalog: *const ca_catalog) -> *const c_char {
    get_str(catalog, "phone_number", |c| c.data.phone_number.clone())
}

/// Network id, for `ca_v2_topup_request_new_amount`. 0 if `catalog` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_network_id(catalog: *const ca_catalog) -> i64 {
    get_val(catalog, 0, |c| c.data.network.id)
}

/// Operator name, e.g. "MTN Ghana". Owned by `catalog`. NULL if `catalog` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_network_name(catalog: *const ca_catalog) -> *const c_char {
    get_str(catalog, "network_name", |c| {
        Some(c.data.network.name.clone())
    })
}

/// ISO 3166-1 alpha-2 country code of the network. Owned by `catalog`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_country_code(catalog: *const ca_catalog) -> *const c_char {
    get_str(catalog, "country_code", |c| {
        c.data.network.country_code.clone()
    })
}

/// Local currency of the network (ISO 4217), the currency of a custom amount. Owned by `catalog`. NULL if
/// absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_currency(catalog: *const ca_catalog) -> *const c_char {
    get_str(catalog, "currency", |c| {
        c.data.network.currency.clone().or_else(|| {
            c.data
                .exchange_rate
                .as_ref()
                .and_then(|r| r.destination_currency.clone())
        })
    })
}

/// Exchange rate, local units per USD, exact decimal string. Owned by `catalog`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_exchange_rate(catalog: *const ca_catalog) -> *const c_char {
    get_str(catalog, "exchange_rate", |c| {
        c.data
            .exchange_rate
            .as_ref()
            .and_then(|r| r.rate)
            .map(|d| d.to_string())
    })
}

/// Whether free-amount airtime can be sent. False if absent or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_custom_airtime_available(catalog: *const ca_catalog) -> bool {
    get_val(catalog, false, |c| {
        c.data
            .products
            .custom_airtime
            .as_ref()
            .is_some_and(|a| a.available)
    })
}

/// Smallest custom amount, local currency, exact decimal string. Owned by `catalog`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_custom_airtime_min(catalog: *const ca_catalog) -> *const c_char {
    get_str(catalog, "custom_min", |c| {
        c.data
            .products
            .custom_airtime
            .as_ref()
            .and_then(|a| a.min_amount_local)
            .map(|d| d.to_string())
    })
}

/// Largest custom amount, local currency, exact decimal string. Owned by `catalog`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_custom_airtime_max(catalog: *const ca_catalog) -> *const c_char {
    get_str(catalog, "custom_max", |c| {
        c.data
            .products
            .custom_airtime
            .as_ref()
            .and_then(|a| a.max_amount_local)
            .map(|d| d.to_string())
    })
}

/// Number of fixed bundles; 0 if `catalog` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_bundle_count(catalog: *const ca_catalog) -> usize {
    get_val(catalog, 0, |c| c.data.products.fixed_bundles.len())
}

/// Id of bundle `index` (the `product_id` of `ca_v2_topup_request_new_product`). Owned by `catalog`. NULL if
/// out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_bundle_id(catalog: *const ca_catalog, index: usize) -> *const c_char {
    get_str_at(catalog, "bundle_id", index, |c, i| {
        c.data.products.fixed_bundles.get(i).map(|b| b.id.clone())
    })
}

/// Name of bundle `index`. Owned by `catalog`. NULL if out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_bundle_name(
    catalog: *const ca_catalog,
    index: usize,
) -> *const c_char {
    get_str_at(catalog, "bundle_name", index, |c, i| {
        c.data.products.fixed_bundles.get(i).map(|b| b.name.clone())
    })
}

/// Type of bundle `index`: `DATA`, `AIRTIME`, `VOICE`, `SMS`, `COMBO` or as sent. Owned by `catalog`. NULL
/// if out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_bundle_type(
    catalog: *const ca_catalog,
    index: usize,
) -> *const c_char {
    get_str_at(catalog, "bundle_type", index, |c, i| {
        c.data
            .products
            .fixed_bundles
            .get(i)
            .map(|b| b.bundle_type.as_str().to_owned())
    })
}

/// Price in USD of bundle `index`, exact decimal string. Owned by `catalog`. NULL if absent or out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_bundle_price_usd(
    catalog: *const ca_catalog,
    index: usize,
) -> *const c_char {
    get_str_at(catalog, "bundle_price", index, |c, i| {
        c.data
            .products
            .fixed_bundles
            .get(i)
            .and_then(|b| b.price_usd)
            .map(|d| d.to_string())
    })
}

/// Price in USD of bundle `index` as a double, for display only. NaN if absent or out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_bundle_price_usd_f64(catalog: *const ca_catalog, index: usize) -> f64 {
    get_val(catalog, f64::NAN, |c| {
        f64_of(
            c.data
                .products
                .fixed_bundles
                .get(index)
                .and_then(|b| b.price_usd),
        )
    })
}

/// Local description of the value of bundle `index` (text, e.g. "1GB"). Owned by `catalog`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_bundle_local_value(
    catalog: *const ca_catalog,
    index: usize,
) -> *const c_char {
    get_str_at(catalog, "bundle_local_value", index, |c, i| {
        c.data
            .products
            .fixed_bundles
            .get(i)
            .and_then(|b| b.local_value.clone())
    })
}

/// Meta of the answer. Borrowed from `catalog`. NULL if `catalog` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_meta(catalog: *const ca_catalog) -> *const ca_meta {
    get_ref(catalog, |c| Some(&c.meta))
}

/// The whole catalog as JSON. On `CA_OK`, `*json_out` is a new string; release it with `ca_string_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`catalog`, `json_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_to_json(
    catalog: *const ca_catalog,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(catalog, "catalog", json_out, error_out, |c| {
        serde_json::to_string(&c.data)
    })
}

/// Release a catalog. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_free(catalog: *mut ca_catalog) {
    free_handle(catalog)
}

// --------------------------------------------------------------------------------------- ca_network_list

/// Number of networks; 0 if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_list_count(list: *const ca_network_list) -> usize {
    get_val(list, 0, |l| l.data.len())
}

/// Id of network `index`; 0 if out of range or `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_list_id(list: *const ca_network_list, index: usize) -> i64 {
    get_val(list, 0, |l| l.data.get(index).map_or(0, |n| n.id))
}

/// Name of network `index`. Owned by `list`. NULL if out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_list_name(
    list: *const ca_network_list,
    index: usize,
) -> *const c_char {
    get_str_at(list, "name", index, |l, i| {
        l.data.get(i).map(|n| n.name.clone())
    })
}

/// Country code of network `index`. Owned by `list`. NULL if absent or out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_list_country_code(
    list: *const ca_network_list,
    index: usize,
) -> *const c_char {
    get_str_at(list, "country_code", index, |l, i| {
        l.data.get(i).and_then(|n| n.country_code.clone())
    })
}

/// Local currency of network `index`. Owned by `list`. NULL if absent or out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_list_currency(
    list: *const ca_network_list,
    index: usize,
) -> *const c_char {
    get_str_at(list, "currency", index, |l, i| {
        l.data.get(i).and_then(|n| n.currency.clone())
    })
}

/// Meta of the answer. Borrowed from `list`. NULL if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_list_meta(list: *const ca_network_list) -> *const ca_meta {
    get_ref(list, |l| Some(&l.meta))
}

/// The networks as a JSON array. On `CA_OK`, `*json_out` is a new string; release it with
/// `ca_string_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`list`, `json_out`), `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_list_to_json(
    list: *const ca_network_list,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(list, "list", json_out, error_out, |l| {
        serde_json::to_string(&l.data)
    })
}

/// Release a network list. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_list_free(list: *mut ca_network_list) {
    free_handle(list)
}

// --------------------------------------------------------------------------------------- ca_country_list

/// Number of countries; 0 if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_list_count(list: *const ca_country_list) -> usize {
    get_val(list, 0, |l| l.data.len())
}

/// ISO 3166-1 alpha-2 code of country `index`. Owned by `list`. NULL if absent or out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_list_code(
    list: *const ca_country_list,
    index: usize,
) -> *const c_char {
    get_str_at(list, "code", index, |l, i| {
        l.data.get(i).and_then(|c| c.country_code.clone())
    })
}

/// Name of country `index`. Owned by `list`. NULL if absent or out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_list_name(
    list: *const ca_country_list,
    index: usize,
) -> *const c_char {
    get_str_at(list, "name", index, |l, i| {
        l.data.get(i).and_then(|c| c.name.clone())
    })
}

/// Currency of country `index`. Owned by `list`. NULL if absent or out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_list_currency(
    list: *const ca_country_list,
    index: usize,
) -> *const c_char {
    get_str_at(list, "currency", index, |l, i| {
        l.data.get(i).and_then(|c| c.currency.clone())
    })
}

/// Meta of the answer. Borrowed from `list`. NULL if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_list_meta(list: *const ca_country_list) -> *const ca_meta {
    get_ref(list, |l| Some(&l.meta))
}

/// The countries as a JSON array (with their networks when listed). On `CA_OK`, `*json_out` is a new
/// string; release it with `ca_string_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`list`, `json_out`),
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_list_to_json(
    list: *const ca_country_list,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(list, "list", json_out, error_out, |l| {
        serde_json::to_string(&l.data)
    })
}

/// Release a country list. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_list_free(list: *mut ca_country_list) {
    free_handle(list)
}

// --------------------------------------------------------------------------------- ca_balance, ca_wallet

/// Total available across wallets, in USD, exact decimal string. Owned by `balance`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_balance_available(balance: *const ca_balance) -> *const c_char {
    get_str(balance, "available", |b| {
        b.data
            .available_balance
            .as_ref()
            .map(|a| a.amount.to_string())
    })
}

/// The total as a double, for display only. NaN if absent or `balance` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_balance_available_f64(balance: *const ca_balance) -> f64 {
    get_val(balance, f64::NAN, |b| {
        f64_of(b.data.available_balance.as_ref().map(|a| a.amount))
    })
}

/// Currency of the total (USD). Owned by `balance`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_balance_available_currency(balance: *const ca_balance) -> *const c_char {
    get_str(balance, "available_currency", |b| {
        b.data
            .available_balance
            .as_ref()
            .map(|a| a.currency.clone())
    })
}

/// Number of wallets; 0 if `balance` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_balance_wallet_count(balance: *const ca_balance) -> usize {
    get_val(balance, 0, |b| b.wallets.len())
}

/// Wallet number `index`. Borrowed from `balance`: do not free it. NULL if out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_balance_wallet(balance: *const ca_balance, index: usize) -> *const ca_wallet {
    get_ref(balance, |b| b.wallets.get(index))
}

/// Meta of the answer. Borrowed from `balance`. NULL if `balance` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_balance_meta(balance: *const ca_balance) -> *const ca_meta {
    get_ref(balance, |b| Some(&b.meta))
}

/// The balance as JSON. On `CA_OK`, `*json_out` is a new string; release it with `ca_string_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`balance`, `json_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_balance_to_json(
    balance: *const ca_balance,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(balance, "balance", json_out, error_out, |b| {
        serde_json::to_string(&b.data)
    })
}

/// Release a balance and every wallet borrowed from it. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_balance_free(balance: *mut ca_balance) {
    free_handle(balance)
}

/// Wallet id, e.g. `wal_ghs_001`. Owned by `wallet`. NULL if `wallet` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_wallet_id(wallet: *const ca_wallet) -> *const c_char {
    get_str(wallet, "id", |w| Some(w.data.id.clone()))
}

/// Wallet currency. Owned by `wallet`. NULL if `wallet` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_wallet_currency(wallet: *const ca_wallet) -> *const c_char {
    get_str(wallet, "currency", |w| Some(w.data.currency.clone()))
}

/// Balance in the wallet currency, exact decimal string. Owned by `wallet`. NULL if `wallet` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_wallet_balance(wallet: *const ca_wallet) -> *const c_char {
    get_str(wallet, "balance", |w| Some(w.data.balance.to_string()))
}

/// Balance as a double, for display only. NaN if `wallet` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_wallet_balance_f64(wallet: *const ca_wallet) -> f64 {
    get_val(wallet, f64::NAN, |w| to_f64_lossy(w.data.balance))
}

/// Wallet type: `global`, `local` or as sent. Owned by `wallet`. NULL if `wallet` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_wallet_type(wallet: *const ca_wallet) -> *const c_char {
    get_str(wallet, "type", |w| {
        Some(w.data.wallet_type.as_str().to_owned())
    })
}

/// Wallet status: `active`, `inactive` or as sent. Owned by `wallet`. NULL if `wallet` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_wallet_status(wallet: *const ca_wallet) -> *const c_char {
    get_str(wallet, "status", |w| {
        Some(w.data.status.as_str().to_owned())
    })
}

/// Meta of the answer. Borrowed from `wallet`. NULL if `wallet` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_wallet_meta(wallet: *const ca_wallet) -> *const ca_meta {
    get_ref(wallet, |w| Some(&w.meta))
}

/// The wallet as JSON. On `CA_OK`, `*json_out` is a new string; release it with `ca_string_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`wallet`, `json_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_wallet_to_json(
    wallet: *const ca_wallet,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(wallet, "wallet", json_out, error_out, |w| {
        serde_json::to_string(&w.data)
    })
}

/// Release a wallet returned by `ca_v2_wallet`. NULL does nothing. Never free a wallet borrowed from a
/// `ca_balance`.
#[unsafe(no_mangle)]
pub extern "C" fn ca_wallet_free(wallet: *mut ca_wallet) {
    free_handle(wallet)
}

// -------------------------------------------------------------------------------------- ca_webhook_event

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

// ------------------------------------------------------------------------------------ the one shape (V2)
// Getters named after the fields of docs/SHAPES.md (`ca_<model>_<field>`): the same fields as Rust, Python
// and Node. Older names above stay, as documented aliases.

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

/// Country name of the top-up's network (`network.country`). Owned by `topup`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_network_country(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "network_country", |t| {
        t.data.network.as_ref().and_then(|n| n.country.clone())
    })
}

/// ISO 3166-1 alpha-2 code of the top-up's network (`network.country_code`). Owned by `topup`. NULL if
/// absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_network_country_code(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "network_country_code", |t| {
        t.data.network.as_ref().and_then(|n| n.country_code.clone())
    })
}

/// Whether an SMS to the recipient was requested (`sms.enabled`). False if absent or `topup` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_sms_enabled(topup: *const ca_topup) -> bool {
    get_val(topup, false, |t| {
        t.data.sms.as_ref().is_some_and(|s| s.enabled)
    })
}

/// Text of the SMS (`sms.message`). Owned by `topup`. NULL if absent (the default text) or no SMS.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_sms_message(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "sms_message", |t| {
        t.data.sms.as_ref().and_then(|s| s.message.clone())
    })
}

/// The metadata stored with the top-up, as a JSON object (`{"till":"7"}`). Owned by `topup`. NULL if
/// absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_topup_metadata(topup: *const ca_topup) -> *const c_char {
    get_str(topup, "metadata", |t| {
        t.data
            .metadata
            .as_ref()
            .and_then(|m| serde_json::to_string(m).ok())
    })
}

/// The catalog's network (`network`): id, name, country, currency … Borrowed from `catalog`: do not free.
/// NULL if `catalog` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_network(catalog: *const ca_catalog) -> *const ca_network {
    get_ref(catalog, |c| Some(&c.network))
}

/// `exchange_rate.source_currency` (usually USD). Owned by `catalog`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_exchange_rate_source_currency(
    catalog: *const ca_catalog,
) -> *const c_char {
    get_str(catalog, "rate_source", |c| {
        c.data
            .exchange_rate
            .as_ref()
            .and_then(|r| r.source_currency.clone())
    })
}

/// `exchange_rate.destination_currency` (the local currency). Owned by `catalog`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_exchange_rate_destination_currency(
    catalog: *const ca_catalog,
) -> *const c_char {
    get_str(catalog, "rate_destination", |c| {
        c.data
            .exchange_rate
            .as_ref()
            .and_then(|r| r.destination_currency.clone())
    })
}

/// `exchange_rate.rate`, local units per source unit, exact decimal string (the same as
/// `ca_catalog_exchange_rate`). Owned by `catalog`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_exchange_rate_rate(catalog: *const ca_catalog) -> *const c_char {
    ca_catalog_exchange_rate(catalog)
}

/// `products.custom_airtime.available`: whether a free amount can be sent (the same as
/// `ca_catalog_custom_airtime_available`). False if absent or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_products_custom_airtime_available(catalog: *const ca_catalog) -> bool {
    ca_catalog_custom_airtime_available(catalog)
}

/// `products.custom_airtime.min_amount_local`: the smallest custom amount, local currency, exact decimal
/// string (the same as `ca_catalog_custom_airtime_min`). Owned by `catalog`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_products_custom_airtime_min_amount_local(
    catalog: *const ca_catalog,
) -> *const c_char {
    ca_catalog_custom_airtime_min(catalog)
}

/// `products.custom_airtime.max_amount_local`: the largest custom amount, local currency, exact decimal
/// string (the same as `ca_catalog_custom_airtime_max`). Owned by `catalog`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_products_custom_airtime_max_amount_local(
    catalog: *const ca_catalog,
) -> *const c_char {
    ca_catalog_custom_airtime_max(catalog)
}

/// `products.custom_airtime.local_currency`: the currency of a custom amount. Owned by `catalog`. NULL if
/// absent (then see `ca_catalog_currency`).
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_products_custom_airtime_local_currency(
    catalog: *const ca_catalog,
) -> *const c_char {
    get_str(catalog, "custom_currency", |c| {
        c.data
            .products
            .custom_airtime
            .as_ref()
            .and_then(|a| a.local_currency.clone())
    })
}

/// `products.fixed_bundles`: bundle number `index` (from 0; `ca_catalog_products_fixed_bundles_count` of
/// them). Borrowed from `catalog`: do not free. NULL if out of range or `catalog` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_products_fixed_bundles(
    catalog: *const ca_catalog,
    index: usize,
) -> *const ca_bundle {
    get_ref(catalog, |c| c.bundles.get(index))
}

/// Number of fixed bundles (the same as `ca_catalog_bundle_count`); 0 if `catalog` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_catalog_products_fixed_bundles_count(catalog: *const ca_catalog) -> usize {
    get_val(catalog, 0, |c| c.bundles.len())
}

/// Network number `index` (from 0). Borrowed from `list`: do not free. NULL if out of range or `list` is
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_list_get(
    list: *const ca_network_list,
    index: usize,
) -> *const ca_network {
    get_ref(list, |l| l.items.get(index))
}

/// Network id (the `network_id` of `ca_v2_topup_request_new_amount`); 0 if `network` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_id(network: *const ca_network) -> i64 {
    get_val(network, 0, |n| n.data.id)
}

/// Operator name, e.g. "MTN Ghana". Owned by `network`'s parent. NULL if `network` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_name(network: *const ca_network) -> *const c_char {
    get_str(network, "name", |n| Some(n.data.name.clone()))
}

/// Country name. Owned by `network`'s parent. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_country(network: *const ca_network) -> *const c_char {
    get_str(network, "country", |n| n.data.country.clone())
}

/// ISO 3166-1 alpha-2 country code. Owned by `network`'s parent. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_country_code(network: *const ca_network) -> *const c_char {
    get_str(network, "country_code", |n| n.data.country_code.clone())
}

/// Local currency (ISO 4217). Owned by `network`'s parent. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_currency(network: *const ca_network) -> *const c_char {
    get_str(network, "currency", |n| n.data.currency.clone())
}

/// URL of the operator's logo. Owned by `network`'s parent. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_logo_url(network: *const ca_network) -> *const c_char {
    get_str(network, "logo_url", |n| n.data.logo_url.clone())
}

/// `product_count`: how many products the network has. Returns false (writing nothing) if the API did not
/// say or `network` is NULL; else writes `*count_out` (when not NULL) and returns true.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_product_count(
    network: *const ca_network,
    count_out: *mut i64,
) -> bool {
    value(false, || {
        opt_out(
            opt_arg(network).and_then(|n| n.data.product_count),
            count_out,
        )
    })
}

/// `supports_custom_airtime`: whether a free amount can be sent to this network. Returns false (writing
/// nothing) if the API did not say or `network` is NULL; else writes `*supported_out` (when not NULL) and
/// returns true.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_supports_custom_airtime(
    network: *const ca_network,
    supported_out: *mut bool,
) -> bool {
    value(false, || {
        opt_out(
            opt_arg(network).and_then(|n| n.data.supports_custom_airtime),
            supported_out,
        )
    })
}

/// The network as JSON. On `CA_OK`, `*json_out` is a new string; release it with `ca_string_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`network`, `json_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_network_to_json(
    network: *const ca_network,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(network, "network", json_out, error_out, |n| {
        serde_json::to_string(&n.data)
    })
}

/// Bundle id (the `product_id` of `ca_v2_topup_request_new_product`). Owned by the catalog. NULL if `bundle`
/// is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bundle_id(bundle: *const ca_bundle) -> *const c_char {
    get_str(bundle, "id", |b| Some(b.data.id.clone()))
}

/// Bundle name, e.g. "1GB Data". Owned by the catalog. NULL if `bundle` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bundle_name(bundle: *const ca_bundle) -> *const c_char {
    get_str(bundle, "name", |b| Some(b.data.name.clone()))
}

/// `bundle_type`: `DATA`, `AIRTIME`, `VOICE`, `SMS`, `COMBO` or as sent. Owned by the catalog. NULL if
/// `bundle` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bundle_bundle_type(bundle: *const ca_bundle) -> *const c_char {
    get_str(bundle, "type", |b| {
        Some(b.data.bundle_type.as_str().to_owned())
    })
}

/// Price in USD, exact decimal string. Owned by the catalog. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bundle_price_usd(bundle: *const ca_bundle) -> *const c_char {
    get_str(bundle, "price_usd", |b| {
        b.data.price_usd.map(|d| d.to_string())
    })
}

/// Price in USD as a double, for display only. NaN if absent or `bundle` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bundle_price_usd_f64(bundle: *const ca_bundle) -> f64 {
    get_val(bundle, f64::NAN, |b| f64_of(b.data.price_usd))
}

/// The value in local terms as text (e.g. "1GB"). Owned by the catalog. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bundle_local_value(bundle: *const ca_bundle) -> *const c_char {
    get_str(bundle, "local_value", |b| b.data.local_value.clone())
}

/// `local_amount`: the price in the local currency, exact decimal string. Owned by the catalog. NULL if
/// absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bundle_local_amount(bundle: *const ca_bundle) -> *const c_char {
    get_str(bundle, "local_amount", |b| {
        b.data.local_amount.map(|d| d.to_string())
    })
}

/// The local amount as a double, for display only. NaN if absent or `bundle` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bundle_local_amount_f64(bundle: *const ca_bundle) -> f64 {
    get_val(bundle, f64::NAN, |b| f64_of(b.data.local_amount))
}

/// Currency of the local amount. Owned by the catalog. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bundle_local_currency(bundle: *const ca_bundle) -> *const c_char {
    get_str(bundle, "local_currency", |b| b.data.local_currency.clone())
}

/// The bundle as JSON. On `CA_OK`, `*json_out` is a new string; release it with `ca_string_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`bundle`, `json_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_bundle_to_json(
    bundle: *const ca_bundle,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(bundle, "bundle", json_out, error_out, |b| {
        serde_json::to_string(&b.data)
    })
}

/// Country number `index` (from 0). Borrowed from `list`: do not free. NULL if out of range or `list` is
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_list_get(
    list: *const ca_country_list,
    index: usize,
) -> *const ca_country {
    get_ref(list, |l| l.items.get(index))
}

/// ISO 3166-1 alpha-2 code (`country_code`). Owned by the list. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_country_code(country: *const ca_country) -> *const c_char {
    get_str(country, "code", |c| c.data.country_code.clone())
}

/// Country name. Owned by the list. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_name(country: *const ca_country) -> *const c_char {
    get_str(country, "name", |c| c.data.name.clone())
}

/// Local currency. Owned by the list. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_currency(country: *const ca_country) -> *const c_char {
    get_str(country, "currency", |c| c.data.currency.clone())
}

/// `networks`: network number `index` of this country (from 0; `ca_country_networks_count` of them; the
/// API may list none). Borrowed from the list: do not free. NULL if out of range or `country` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_networks(
    country: *const ca_country,
    index: usize,
) -> *const ca_network {
    get_ref(country, |c| c.networks.get(index))
}

/// Number of networks listed with the country; 0 if `country` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_networks_count(country: *const ca_country) -> usize {
    get_val(country, 0, |c| c.networks.len())
}

/// The country as JSON. On `CA_OK`, `*json_out` is a new string; release it with `ca_string_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`country`, `json_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_country_to_json(
    country: *const ca_country,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(country, "country", json_out, error_out, |c| {
        serde_json::to_string(&c.data)
    })
}

/// `available_balance.amount`: the total across wallets, in USD, exact decimal string (the same as
/// `ca_balance_available`). Owned by `balance`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_balance_available_balance_amount(balance: *const ca_balance) -> *const c_char {
    ca_balance_available(balance)
}

/// `available_balance.currency` (USD; the same as `ca_balance_available_currency`). Owned by `balance`.
/// NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_balance_available_balance_currency(
    balance: *const ca_balance,
) -> *const c_char {
    ca_balance_available_currency(balance)
}

/// `wallets`: wallet number `index` (the same as `ca_balance_wallet`). Borrowed from `balance`: do not
/// free. NULL if out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_balance_wallets(balance: *const ca_balance, index: usize) -> *const ca_wallet {
    ca_balance_wallet(balance, index)
}

/// Number of wallets (the same as `ca_balance_wallet_count`); 0 if `balance` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_balance_wallets_count(balance: *const ca_balance) -> usize {
    ca_balance_wallet_count(balance)
}

/// `wallet_type`: `global`, `local` or as sent (the same as `ca_wallet_type`). Owned by `wallet`. NULL if
/// `wallet` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_wallet_wallet_type(wallet: *const ca_wallet) -> *const c_char {
    ca_wallet_type(wallet)
}

/// `allowed_countries`: country code number `index` the wallet may send to (from 0;
/// `ca_wallet_allowed_countries_count` of them). Owned by `wallet`. NULL if out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_wallet_allowed_countries(
    wallet: *const ca_wallet,
    index: usize,
) -> *const c_char {
    get_str_at(wallet, "allowed_countries", index, |w, i| {
        w.data.allowed_countries.get(i).cloned()
    })
}

/// Number of countries the wallet may send to; 0 if `wallet` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_wallet_allowed_countries_count(wallet: *const ca_wallet) -> usize {
    get_val(wallet, 0, |w| w.data.allowed_countries.len())
}

/// `event_type`, e.g. `topup.completed` (the same as `ca_webhook_event_type`). Owned by `event`. NULL if
/// `event` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_webhook_event_event_type(event: *const ca_webhook_event) -> *const c_char {
    ca_webhook_event_type(event)
}

/// `data`: the event's payload as JSON text, exactly the fields the API sent. Owned by `event`. NULL if
/// `event` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_webhook_event_data(event: *const ca_webhook_event) -> *const c_char {
    get_str(event, "data", |e| serde_json::to_string(&e.data.data).ok())
}
