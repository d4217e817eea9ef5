//! The V2 catalog: `ca_catalog` (a lookup), `ca_network_list`, `ca_country_list`, and their items
//! `ca_network`, `ca_bundle`, `ca_country`.

use super::f64_of;
use crate::fail::ca_error;
use crate::guard::{Cached, StrCache, free_handle, get_ref, get_str, get_str_at, get_val};
use crate::meta::{ca_meta, to_json};
use crate::result::ca_result;
use sdk::Response;
use sdk::v2::{Bundle, Catalog, Country, Network};
use std::ffi::c_char;

/// The answer of a catalog lookup or products query: a network, its exchange rate and its products.
pub struct ca_catalog {
    pub(super) data: Catalog,
    pub(super) network: ca_network,
    pub(super) bundles: Vec<ca_bundle>,
    pub(super) meta: ca_meta,
    pub(super) cache: StrCache,
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
    pub(super) data: Network,
    pub(super) cache: StrCache,
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
    pub(super) data: Bundle,
    pub(super) cache: StrCache,
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
    pub(super) data: Country,
    pub(super) networks: Vec<ca_network>,
    pub(super) cache: StrCache,
}
cached!(ca_country);

/// A list of networks.
pub struct ca_network_list {
    pub(super) data: Vec<Network>,
    pub(super) items: Vec<ca_network>,
    pub(super) meta: ca_meta,
    pub(super) cache: StrCache,
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
    pub(super) data: Vec<Country>,
    pub(super) items: Vec<ca_country>,
    pub(super) meta: ca_meta,
    pub(super) cache: StrCache,
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
