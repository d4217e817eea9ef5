//! V1 balances: `ca_v1_balance` (`ca_account_balance`) and `ca_v1_balance_list`.

use crate::fail::ca_error;
use crate::guard::{Cached, StrCache, free_handle, get_ref, get_str, get_val};
use crate::meta::{ca_meta, to_json};
use crate::result::ca_result;
use sdk::Response;
use sdk::money::to_f64_lossy;
use sdk::v1::AccountBalance;
use std::ffi::c_char;

/// The balance of one V1 service account.
pub struct ca_v1_balance {
    pub(super) data: AccountBalance,
    pub(super) meta: ca_meta,
    pub(super) cache: StrCache,
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
    pub(super) items: Vec<ca_v1_balance>,
    pub(super) meta: ca_meta,
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
