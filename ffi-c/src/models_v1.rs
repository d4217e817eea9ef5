//! Result handles of the V1 API: transactions, products, services, balances.
//!
//! Immutable once returned (any thread may call the getters); strings are owned by the handle, or by the
//! list that owns the item, and valid until it is freed. Amounts are exact decimal strings, with `_f64`
//! twins for display only (NaN when absent).

use crate::error::{ca_error, ca_result};
use crate::guard::{Cached, StrCache, free_handle, get_ref, get_str, get_str_at, get_val};
use crate::meta::{ca_meta, to_json};
use sdk::Response;
use sdk::money::{Decimal, to_f64_lossy};
use sdk::v1::{AccountBalance, Product, Service, Transaction};
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

/// A V1 transaction (the answer of a send, or one record of a lookup), with the meta of its answer.
pub struct ca_transaction {
    data: Transaction,
    meta: ca_meta,
    cache: StrCache,
}
cached!(ca_transaction);

impl ca_transaction {
    pub(crate) fn new(r: Response<Transaction>) -> ca_transaction {
        ca_transaction {
            data: r.data,
            meta: ca_meta::new(r.meta),
            cache: StrCache::default(),
        }
    }
}

/// The records of a V1 transaction lookup (possibly empty).
pub struct ca_transaction_list {
    items: Vec<ca_transaction>,
    meta: ca_meta,
}

impl ca_transaction_list {
    pub(crate) fn new(r: Response<Vec<Transaction>>) -> ca_transaction_list {
        let m = ca_meta::new(r.meta);
        let items = r
            .data
            .into_iter()
            .map(|t| ca_transaction {
                data: t,
                meta: m.clone(),
                cache: StrCache::default(),
            })
            .collect();
        ca_transaction_list { items, meta: m }
    }
}

/// The V1 product catalog: services (one per operator) with products for the account.
pub struct ca_v1_service_list {
    data: Vec<Service>,
    items: Vec<ca_service>,
    meta: ca_meta,
    cache: StrCache,
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
    data: Service,
    cache: StrCache,
}
cached!(ca_service);

/// One V1 product.
pub struct ca_v1_product {
    data: Product,
    meta: ca_meta,
    cache: StrCache,
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
    items: Vec<ca_v1_product>,
    meta: ca_meta,
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

/// The balance of one V1 service account.
pub struct ca_v1_balance {
    data: AccountBalance,
    meta: ca_meta,
    cache: StrCache,
}
cached!(ca_v1_balance);

impl ca_v1_balance {
    pub(crate) fn new(r: Response<AccountBalance>) -> ca_v1_balance {
        ca_v1_balance {
            data: r.data,
            meta: ca_meta::new(r.meta),
            cache: StrCache::default(),
        }
    }
}

/// The V1 account balance under its name in the one shape (docs/SHAPES.md): the `ca_account_balance_*`
/// getters take it.
pub type ca_account_balance = ca_v1_balance;

/// The balances of every V1 service account.
pub struct ca_v1_balance_list {
    items: Vec<ca_v1_balance>,
    meta: ca_meta,
}

impl ca_v1_balance_list {
    pub(crate) fn new(r: Response<Vec<AccountBalance>>) -> ca_v1_balance_list {
        let m = ca_meta::new(r.meta);
        let items = r
            .data
            .into_iter()
            .map(|b| ca_v1_balance {
                data: b,
                meta: m.clone(),
                cache: StrCache::default(),
            })
            .collect();
        ca_v1_balance_list { items, meta: m }
    }
}

// ---------------------------------------------------------------------------------------- ca_transaction

/// Click Airtime transaction id. Owned by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_id(transaction: *const ca_transaction) -> *const c_char {
    get_str(transaction, "id", |t| t.data.transaction_id.clone())
}

/// State: `PENDING`, `PROCESSING`, `SUCCESS`, `FAILED`, `TIMEOUT`, `UNDERLIVERED`, `CANCELED`, or as sent
/// (empty if unknown). Owned by `transaction`. NULL if `transaction` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_state(transaction: *const ca_transaction) -> *const c_char {
    get_str(transaction, "state", |t| {
        Some(t.data.state.as_str().to_owned())
    })
}

/// Whether the state will not change any more. False if NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_is_terminal(transaction: *const ca_transaction) -> bool {
    get_val(transaction, false, |t| t.data.state.is_terminal())
}

/// Whether the airtime was delivered (state `SUCCESS`). False if NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_is_success(transaction: *const ca_transaction) -> bool {
    get_val(transaction, false, |t| t.data.state.is_success())
}

/// Recipient msisdn (digits, no `+`). Owned by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_msisdn(transaction: *const ca_transaction) -> *const c_char {
    get_str(transaction, "msisdn", |t| t.data.msisdn.clone())
}

/// Operator name. Owned by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_network(transaction: *const ca_transaction) -> *const c_char {
    get_str(transaction, "network", |t| t.data.network.clone())
}

/// Country name. Owned by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_country(transaction: *const ca_transaction) -> *const c_char {
    get_str(transaction, "country", |t| t.data.country.clone())
}

/// Amount in the destination currency (`amount`, or the `TopupAmount` alias), exact decimal string. Owned
/// by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_amount(transaction: *const ca_transaction) -> *const c_char {
    get_str(transaction, "amount", |t| {
        t.data.delivered_amount().map(|d| d.to_string())
    })
}

/// The amount as a double, for display only. NaN if absent or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_amount_f64(transaction: *const ca_transaction) -> f64 {
    get_val(transaction, f64::NAN, |t| f64_of(t.data.delivered_amount()))
}

/// Destination currency. Owned by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_currency(transaction: *const ca_transaction) -> *const c_char {
    get_str(transaction, "currency", |t| t.data.currency.clone())
}

/// Amount debited from the wallet (`effectiveAmount`, wallet currency), exact decimal string. Owned by
/// `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_effective_amount(
    transaction: *const ca_transaction,
) -> *const c_char {
    get_str(transaction, "effective_amount", |t| {
        t.data.effective_amount.map(|d| d.to_string())
    })
}

/// The amount debited as a double, for display only. NaN if absent or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_effective_amount_f64(transaction: *const ca_transaction) -> f64 {
    get_val(transaction, f64::NAN, |t| f64_of(t.data.effective_amount))
}

/// Wallet currency of the debit. Owned by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_wallet_currency(
    transaction: *const ca_transaction,
) -> *const c_char {
    get_str(transaction, "wallet_currency", |t| {
        t.data.wallet.as_ref().and_then(|w| w.currency.clone())
    })
}

/// FX rate applied to the debit, exact decimal string. Owned by `transaction`. NULL if absent (same
/// currency).
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_fx_rate(transaction: *const ca_transaction) -> *const c_char {
    get_str(transaction, "fx_rate", |t| {
        t.data
            .wallet
            .as_ref()
            .and_then(|w| w.fx_rate)
            .map(|d| d.to_string())
    })
}

/// Your external reference (`extRefId`). Owned by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_ext_ref_id(transaction: *const ca_transaction) -> *const c_char {
    get_str(transaction, "ext_ref_id", |t| t.data.ext_ref_id.clone())
}

/// Service account used. Owned by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_account_id(transaction: *const ca_transaction) -> *const c_char {
    get_str(transaction, "account_id", |t| t.data.account_id.clone())
}

/// Provider's transaction id. Owned by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_provider_transaction_id(
    transaction: *const ca_transaction,
) -> *const c_char {
    get_str(transaction, "provider_tx", |t| {
        t.data
            .provider
            .as_ref()
            .and_then(|p| p.transaction_id.clone())
    })
}

/// Provider's reference code. Owned by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_provider_reference(
    transaction: *const ca_transaction,
) -> *const c_char {
    get_str(transaction, "provider_ref", |t| {
        t.data
            .provider
            .as_ref()
            .and_then(|p| p.reference_code.clone())
    })
}

/// The envelope `code` of the answer this came from (1 success, 232 queued, 10 pending, 5 failed, 160
/// timeout, 170 cancelled). Returns false (writing nothing) if absent or `transaction` is NULL; else writes
/// `*code_out` when it is not NULL and returns true.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_code(
    transaction: *const ca_transaction,
    code_out: *mut i64,
) -> bool {
    crate::guard::value(false, || {
        match crate::guard::opt_arg(transaction).and_then(|t| t.data.code) {
            Some(c) => {
                crate::guard::put(code_out, c);
                true
            }
            None => false,
        }
    })
}

/// The envelope `message` of the answer this came from. Owned by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_message(transaction: *const ca_transaction) -> *const c_char {
    get_str(transaction, "message", |t| t.data.message.clone())
}

/// Meta of the answer (for sends: the reference, replayed flag, attempts). Borrowed from `transaction`: do
/// not free. NULL if `transaction` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_meta(transaction: *const ca_transaction) -> *const ca_meta {
    get_ref(transaction, |t| Some(&t.meta))
}

/// The whole record as JSON (amounts as strings). On `CA_OK`, `*json_out` is a new string; release it with
/// `ca_string_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`transaction`, `json_out`), `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_to_json(
    transaction: *const ca_transaction,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(transaction, "transaction", json_out, error_out, |t| {
        serde_json::to_string(&t.data)
    })
}

/// Release a transaction returned by the library. NULL does nothing. Never free one borrowed from a list.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_free(transaction: *mut ca_transaction) {
    free_handle(transaction)
}

/// Number of records; 0 if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_list_count(list: *const ca_transaction_list) -> usize {
    get_val(list, 0, |l| l.items.len())
}

/// Record number `index`. Borrowed from `list`: do not free. NULL if out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_list_get(
    list: *const ca_transaction_list,
    index: usize,
) -> *const ca_transaction {
    get_ref(list, |l| l.items.get(index))
}

/// Meta of the answer. Borrowed from `list`. NULL if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_list_meta(list: *const ca_transaction_list) -> *const ca_meta {
    get_ref(list, |l| Some(&l.meta))
}

/// The records as a JSON array. On `CA_OK`, `*json_out` is a new string; release it with `ca_string_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`list`, `json_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_list_to_json(
    list: *const ca_transaction_list,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(list, "list", json_out, error_out, |l| {
        serde_json::to_string(&l.items.iter().map(|t| &t.data).collect::<Vec<_>>())
    })
}

/// Release a list and every record borrowed from it. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_list_free(list: *mut ca_transaction_list) {
    free_handle(list)
}

// ----------------------------------------------------------------------------------- ca_v1_service_list

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

// ---------------------------------------------------------------------------------------- ca_v1_product

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

// ---------------------------------------------------------------------------------------- ca_v1_balance

/// Account id. Owned by `balance`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_account_id(balance: *const ca_v1_balance) -> *const c_char {
    get_str(balance, "account_id", |b| b.data.account_id.clone())
}

/// Service name. Owned by `balance`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_service_name(balance: *const ca_v1_balance) -> *const c_char {
    get_str(balance, "service_name", |b| b.data.service_name.clone())
}

/// Country of the service. Owned by `balance`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_service_country(balance: *const ca_v1_balance) -> *const c_char {
    get_str(balance, "service_country", |b| {
        b.data.service_country.clone()
    })
}

/// Balance, exact decimal string. Owned by `balance`. NULL if `balance` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_amount(balance: *const ca_v1_balance) -> *const c_char {
    get_str(balance, "amount", |b| Some(b.data.balance.to_string()))
}

/// Balance as a double, for display only. NaN if `balance` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_amount_f64(balance: *const ca_v1_balance) -> f64 {
    get_val(balance, f64::NAN, |b| to_f64_lossy(b.data.balance))
}

/// Currency, when sent. Owned by `balance`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_currency(balance: *const ca_v1_balance) -> *const c_char {
    get_str(balance, "currency", |b| b.data.currency.clone())
}

/// Meta of the answer. Borrowed from `balance`. NULL if `balance` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_meta(balance: *const ca_v1_balance) -> *const ca_meta {
    get_ref(balance, |b| Some(&b.meta))
}

/// The balance as JSON. On `CA_OK`, `*json_out` is a new string; release it with `ca_string_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`balance`, `json_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_to_json(
    balance: *const ca_v1_balance,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(balance, "balance", json_out, error_out, |b| {
        serde_json::to_string(&b.data)
    })
}

/// Release a balance returned by `ca_v1_get_balance`. NULL does nothing. Never free one borrowed from a list.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_free(balance: *mut ca_v1_balance) {
    free_handle(balance)
}

/// Number of accounts; 0 if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_list_count(list: *const ca_v1_balance_list) -> usize {
    get_val(list, 0, |l| l.items.len())
}

/// Account balance number `index`. Borrowed from `list`: do not free. NULL if out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_list_get(
    list: *const ca_v1_balance_list,
    index: usize,
) -> *const ca_v1_balance {
    get_ref(list, |l| l.items.get(index))
}

/// Meta of the answer. Borrowed from `list`. NULL if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_list_meta(list: *const ca_v1_balance_list) -> *const ca_meta {
    get_ref(list, |l| Some(&l.meta))
}

/// The balances as a JSON array. On `CA_OK`, `*json_out` is a new string; release it with
/// `ca_string_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`list`, `json_out`), `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_list_to_json(
    list: *const ca_v1_balance_list,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(list, "list", json_out, error_out, |l| {
        serde_json::to_string(&l.items.iter().map(|b| &b.data).collect::<Vec<_>>())
    })
}

/// Release a balance list and every balance borrowed from it. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balance_list_free(list: *mut ca_v1_balance_list) {
    free_handle(list)
}

// ------------------------------------------------------------------------------------ the one shape (V1)
// Getters named after the fields of docs/SHAPES.md (`ca_<model>_<field>`): the same fields as Rust, Python
// and Node. Older names above stay, as documented aliases.

/// `transaction_id`: the Click Airtime transaction id (the same as `ca_transaction_id`). Owned by
/// `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_transaction_id(
    transaction: *const ca_transaction,
) -> *const c_char {
    ca_transaction_id(transaction)
}

/// `status`: the envelope's success flag as the API sent it. Returns false (writing nothing) if absent or
/// `transaction` is NULL; else writes `*status_out` (when not NULL) and returns true. The state
/// (`ca_transaction_state`) is what says how the sale ended.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_status(
    transaction: *const ca_transaction,
    status_out: *mut bool,
) -> bool {
    crate::guard::value(false, || {
        match crate::guard::opt_arg(transaction).and_then(|t| t.data.status) {
            Some(v) => {
                crate::guard::put(status_out, v);
                true
            }
            None => false,
        }
    })
}

/// `topup_amount`: the `TopupAmount` field as sent (some answers carry it instead of `amount`;
/// `ca_transaction_amount` gives whichever is present), exact decimal string. Owned by `transaction`. NULL
/// if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_topup_amount(transaction: *const ca_transaction) -> *const c_char {
    get_str(transaction, "topup_amount", |t| {
        t.data.topup_amount.map(|d| d.to_string())
    })
}

/// `wallet.amount`: the amount debited in the wallet's currency (`ca_transaction_wallet_currency`), exact
/// decimal string — the figure for FX reconciliation. Owned by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_wallet_amount(
    transaction: *const ca_transaction,
) -> *const c_char {
    get_str(transaction, "wallet_amount", |t| {
        t.data
            .wallet
            .as_ref()
            .and_then(|w| w.amount)
            .map(|d| d.to_string())
    })
}

/// The wallet amount as a double, for display only. NaN if absent or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_wallet_amount_f64(transaction: *const ca_transaction) -> f64 {
    get_val(transaction, f64::NAN, |t| {
        f64_of(t.data.wallet.as_ref().and_then(|w| w.amount))
    })
}

/// `wallet.fx_rate`: the FX rate applied to the debit (the same as `ca_transaction_fx_rate`). Owned by
/// `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_wallet_fx_rate(
    transaction: *const ca_transaction,
) -> *const c_char {
    ca_transaction_fx_rate(transaction)
}

/// `provider.reference_code`: the provider's reference code (the same as
/// `ca_transaction_provider_reference`). Owned by `transaction`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_provider_reference_code(
    transaction: *const ca_transaction,
) -> *const c_char {
    ca_transaction_provider_reference(transaction)
}

/// Service number `index` (from 0). Borrowed from `list`: do not free. NULL if out of range or `list` is
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_service_list_get(
    list: *const ca_v1_service_list,
    index: usize,
) -> *const ca_service {
    get_ref(list, |l| l.items.get(index))
}

/// `service_id`: the input of `ca_v1_products`; 0 if `service` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_service_service_id(service: *const ca_service) -> i64 {
    get_val(service, 0, |s| s.data.service_id)
}

/// `provider_name`, e.g. `MTN_Ghana`. Owned by the list. NULL if `service` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_service_provider_name(service: *const ca_service) -> *const c_char {
    get_str(service, "provider_name", |s| {
        Some(s.data.provider_name.clone())
    })
}

/// Product id (the same as `ca_v1_product_id`); 0 if `product` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_product_id(product: *const ca_product) -> i64 {
    ca_v1_product_id(product)
}

/// Name (the same as `ca_v1_product_name`). Owned by `product`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_product_name(product: *const ca_product) -> *const c_char {
    ca_v1_product_name(product)
}

/// `product_type`: `FIXED_PRODUCT`, `OPEN_PRODUCT` or as sent (the same as `ca_v1_product_type`). Owned by
/// `product`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_product_product_type(product: *const ca_product) -> *const c_char {
    ca_v1_product_type(product)
}

/// Fixed amount, exact decimal string (the same as `ca_v1_product_amount`). Owned by `product`. NULL if
/// absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_product_amount(product: *const ca_product) -> *const c_char {
    ca_v1_product_amount(product)
}

/// Currency (the same as `ca_v1_product_currency`). Owned by `product`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_product_currency(product: *const ca_product) -> *const c_char {
    ca_v1_product_currency(product)
}

/// Service the product belongs to (the same as `ca_v1_product_service_id`). Owned by `product`. NULL if
/// absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_product_service_id(product: *const ca_product) -> *const c_char {
    ca_v1_product_service_id(product)
}

/// Description (the same as `ca_v1_product_description`). Owned by `product`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_product_description(product: *const ca_product) -> *const c_char {
    ca_v1_product_description(product)
}

/// Account id (the same as `ca_v1_balance_account_id`). Owned by `balance`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_account_balance_account_id(
    balance: *const ca_account_balance,
) -> *const c_char {
    ca_v1_balance_account_id(balance)
}

/// Service name (the same as `ca_v1_balance_service_name`). Owned by `balance`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_account_balance_service_name(
    balance: *const ca_account_balance,
) -> *const c_char {
    ca_v1_balance_service_name(balance)
}

/// Country of the service (the same as `ca_v1_balance_service_country`). Owned by `balance`. NULL if
/// absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_account_balance_service_country(
    balance: *const ca_account_balance,
) -> *const c_char {
    ca_v1_balance_service_country(balance)
}

/// `balance`, exact decimal string (the same as `ca_v1_balance_amount`). Owned by `balance`. NULL if
/// `balance` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_account_balance_balance(balance: *const ca_account_balance) -> *const c_char {
    ca_v1_balance_amount(balance)
}

/// Currency, when sent (the same as `ca_v1_balance_currency`). Owned by `balance`. NULL if absent.
#[unsafe(no_mangle)]
pub extern "C" fn ca_account_balance_currency(balance: *const ca_account_balance) -> *const c_char {
    ca_v1_balance_currency(balance)
}
