//! The one shape of the V1 handles: getters named after the fields of docs/SHAPES.md
//! (`ca_<model>_<field>`), the same fields as Rust, Python and Node. The older names (in the resource modules)
//! stay, as documented aliases.

use super::balances::ca_account_balance;
use super::products::{ca_product, ca_service, ca_v1_service_list};
use super::transactions::ca_transaction;
use super::*;
use crate::guard::{get_ref, get_str, get_val};
use std::ffi::c_char;

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
/// `ca_transaction_delivered_amount` gives whichever is present), exact decimal string. Owned by `transaction`. NULL
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
