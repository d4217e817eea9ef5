//! The V2 balance: `ca_balance` and its `ca_wallet`s.

use super::f64_of;
use crate::fail::ca_error;
use crate::guard::{Cached, StrCache, free_handle, get_ref, get_str, get_val};
use crate::meta::{ca_meta, to_json};
use crate::result::ca_result;
use sdk::Response;
use sdk::money::to_f64_lossy;
use sdk::v2::{Balance, Wallet};
use std::ffi::c_char;

/// One V2 wallet.
pub struct ca_wallet {
    pub(super) data: Wallet,
    pub(super) meta: ca_meta,
    pub(super) cache: StrCache,
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
    pub(super) data: Balance,
    pub(super) wallets: Vec<ca_wallet>,
    pub(super) meta: ca_meta,
    pub(super) cache: StrCache,
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
