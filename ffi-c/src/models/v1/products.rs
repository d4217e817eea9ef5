//! V1 products and services: `ca_v1_service_list` (`ca_service`), `ca_v1_product` (`ca_product`),
//! `ca_v1_product_list`.

use super::f64_of;
use crate::fail::ca_error;
use crate::guard::{Cached, StrCache, free_handle, get_ref, get_str, get_str_at, get_val};
use crate::meta::{ca_meta, to_json};
use crate::result::ca_result;
use sdk::Response;
use sdk::v1::{Product, Service};
use std::ffi::c_char;

/// The V1 product catalog: services (one per operator) with products for the account.
pub struct ca_v1_service_list {
    pub(super) data: Vec<Service>,
    pub(super) items: Vec<ca_service>,
    pub(super) meta: ca_meta,
    pub(super) cache: StrCache,
}
cached!(ca_v1_service_list);

impl ca_v1_service_list {
    pub(crate) fn new(r: Response<Vec<Service>>) -> ca_v1_service_list {
        ca_v1_service_list {
            items: r
                .data
                .iter()
                .map(|s| ca_service {
                    data: s.clone(),
                    cache: StrCache::default(),
                })
                .collect(),
            data: r.data,
            meta: ca_meta::new(r.meta),
            cache: StrCache::default(),
        }
    }
}

/// One V1 service (an operator with products for the account): an item of a `ca_v1_service_list`
/// (`ca_v1_service_list_get`). Borrowed from the list; never freed by itself. Immutable; thread-safe.
pub struct ca_service {
    pub(super) data: Service,
    pub(super) cache: StrCache,
}
cached!(ca_service);

/// One V1 product.
pub struct ca_v1_product {
    pub(super) data: Product,
    pub(super) meta: ca_meta,
    pub(super) cache: StrCache,
}
cached!(ca_v1_product);

impl ca_v1_product {
    pub(crate) fn new(r: Response<Product>) -> ca_v1_product {
        ca_v1_product {
            data: r.data,
            meta: ca_meta::new(r.meta),
            cache: StrCache::default(),
        }
    }
}

/// The V1 product under its name in the one shape (docs/SHAPES.md): the `ca_product_*` getters take it.
pub type ca_product = ca_v1_product;

/// The products of one V1 service.
pub struct ca_v1_product_list {
    pub(super) items: Vec<ca_v1_product>,
    pub(super) meta: ca_meta,
}

impl ca_v1_product_list {
    pub(crate) fn new(r: Response<Vec<Product>>) -> ca_v1_product_list {
        let m = ca_meta::new(r.meta);
        let items = r
            .data
            .into_iter()
            .map(|p| ca_v1_product {
                data: p,
                meta: m.clone(),
                cache: StrCache::default(),
            })
            .collect();
        ca_v1_product_list { items, meta: m }
    }
}

/// Number of services; 0 if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_service_list_count(list: *const ca_v1_service_list) -> usize {
    get_val(list, 0, |l| l.data.len())
}

/// Service id of service `index` (input of `ca_v1_products`); 0 if out of range or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_service_list_service_id(
    list: *const ca_v1_service_list,
    index: usize,
) -> i64 {
    get_val(list, 0, |l| l.data.get(index).map_or(0, |s| s.service_id))
}

/// Provider name of service `index` (e.g. `MTN_Ghana`). Owned by `list`. NULL if out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_service_list_provider_name(
    list: *const ca_v1_service_list,
    index: usize,
) -> *const c_char {
    get_str_at(list, "provider", index, |l, i| {
        l.data.get(i).map(|s| s.provider_name.clone())
    })
}

/// Meta of the answer. Borrowed from `list`. NULL if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_service_list_meta(list: *const ca_v1_service_list) -> *const ca_meta {
    get_ref(list, |l| Some(&l.meta))
}

/// The services as a JSON array. On `CA_OK`, `*json_out` is a new string; release it with
/// `ca_string_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`list`, `json_out`), `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_service_list_to_json(
    list: *const ca_v1_service_list,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(list, "list", json_out, error_out, |l| {
        serde_json::to_string(&l.data)
    })
}

/// Release a service list. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_service_list_free(list: *mut ca_v1_service_list) {
    free_handle(list)
}

/// Product id (the `product_id` of `ca_v1_topup_request_new_product`); 0 if NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_id(product: *const ca_v1_product) -> i64 {
    get_val(product, 0, |p| p.data.id)
}

/// Name. Owned by `product`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_name(product: *const ca_v1_product) -> *const c_char {
    get_str(product, "name", |p| p.data.name.clone())
}

/// Type: `FIXED_PRODUCT`, `OPEN_PRODUCT` or as sent. Owned by `product`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_type(product: *const ca_v1_product) -> *const c_char {
    get_str(product, "type", |p| {
        p.data.product_type.as_ref().map(|t| t.as_str().to_owned())
    })
}

/// Fixed amount, exact decimal string. Owned by `product`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_amount(product: *const ca_v1_product) -> *const c_char {
    get_str(product, "amount", |p| p.data.amount.map(|d| d.to_string()))
}

/// Fixed amount as a double, for display only. NaN if absent or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_amount_f64(product: *const ca_v1_product) -> f64 {
    get_val(product, f64::NAN, |p| f64_of(p.data.amount))
}

/// Currency. Owned by `product`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_currency(product: *const ca_v1_product) -> *const c_char {
    get_str(product, "currency", |p| p.data.currency.clone())
}

/// Service the product belongs to. Owned by `product`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_service_id(product: *const ca_v1_product) -> *const c_char {
    get_str(product, "service_id", |p| p.data.service_id.clone())
}

/// Description. Owned by `product`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_description(product: *const ca_v1_product) -> *const c_char {
    get_str(product, "description", |p| p.data.description.clone())
}

/// Meta of the answer. Borrowed from `product`. NULL if `product` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_meta(product: *const ca_v1_product) -> *const ca_meta {
    get_ref(product, |p| Some(&p.meta))
}

/// The product as JSON. On `CA_OK`, `*json_out` is a new string; release it with `ca_string_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`product`, `json_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_to_json(
    product: *const ca_v1_product,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(product, "product", json_out, error_out, |p| {
        serde_json::to_string(&p.data)
    })
}

/// Release a product returned by `ca_v1_get_product`. NULL does nothing. Never free one borrowed from a list.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_free(product: *mut ca_v1_product) {
    free_handle(product)
}

/// Number of products; 0 if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_list_count(list: *const ca_v1_product_list) -> usize {
    get_val(list, 0, |l| l.items.len())
}

/// Product number `index`. Borrowed from `list`: do not free. NULL if out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_list_get(
    list: *const ca_v1_product_list,
    index: usize,
) -> *const ca_v1_product {
    get_ref(list, |l| l.items.get(index))
}

/// Meta of the answer. Borrowed from `list`. NULL if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_list_meta(list: *const ca_v1_product_list) -> *const ca_meta {
    get_ref(list, |l| Some(&l.meta))
}

/// The products as a JSON array. On `CA_OK`, `*json_out` is a new string; release it with
/// `ca_string_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`list`, `json_out`), `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_list_to_json(
    list: *const ca_v1_product_list,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(list, "list", json_out, error_out, |l| {
        serde_json::to_string(&l.items.iter().map(|p| &p.data).collect::<Vec<_>>())
    })
}

/// Release a product list and every product borrowed from it. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_list_free(list: *mut ca_v1_product_list) {
    free_handle(list)
}
