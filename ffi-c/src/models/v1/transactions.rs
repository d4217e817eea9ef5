//! V1 transactions: `ca_transaction` and `ca_transaction_list`.

use super::f64_of;
use crate::fail::ca_error;
use crate::guard::{Cached, StrCache, free_handle, get_ref, get_str, get_val};
use crate::meta::{ca_meta, to_json};
use crate::result::ca_result;
use sdk::Response;
use sdk::v1::Transaction;
use std::ffi::c_char;

/// A V1 transaction (the answer of a send, or one record of a lookup), with the meta of its answer.
pub struct ca_transaction {
    pub(super) data: Transaction,
    pub(super) meta: ca_meta,
    pub(super) cache: StrCache,
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
    pub(super) items: Vec<ca_transaction>,
    pub(super) meta: ca_meta,
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

/// `amount`: the amount in the destination currency as the record gives it, exact decimal string. Owned by
/// `transaction`. NULL if absent (some answers carry only `TopupAmount`: see
/// `ca_transaction_delivered_amount`).
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_amount(transaction: *const ca_transaction) -> *const c_char {
    get_str(transaction, "amount", |t| {
        t.data.amount.map(|d| d.to_string())
    })
}

/// `amount` as a double, for display only. NaN if absent or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_amount_f64(transaction: *const ca_transaction) -> f64 {
    get_val(transaction, f64::NAN, |t| f64_of(t.data.amount))
}

/// The amount delivered, in the destination currency: `amount`, or `TopupAmount` when a record carries only
/// that (core's `Transaction::delivered_amount`; what a receipt prints). Exact decimal string, owned by
/// `transaction`. NULL if neither is present.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_delivered_amount(
    transaction: *const ca_transaction,
) -> *const c_char {
    get_str(transaction, "delivered_amount", |t| {
        t.data.delivered_amount().map(|d| d.to_string())
    })
}

/// The delivered amount as a double, for display only. NaN if absent or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_transaction_delivered_amount_f64(transaction: *const ca_transaction) -> f64 {
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
