//! The one shape of the V2 handles: getters named after the fields of docs/SHAPES.md
//! (`ca_<model>_<field>`), the same fields as Rust, Python and Node. The older names (in the resource modules)
//! stay, as documented aliases.

use super::balance::{ca_balance, ca_wallet};
use super::catalog::{
    ca_bundle, ca_catalog, ca_country, ca_country_list, ca_network, ca_network_list,
};
use super::topups::ca_topup;
use super::webhooks::ca_webhook_event;
use super::*;
use crate::fail::ca_error;
use crate::guard::{get_ref, get_str, get_str_at, get_val, opt_arg, put, value};
use crate::meta::to_json;
use crate::result::ca_result;
use std::ffi::c_char;

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
