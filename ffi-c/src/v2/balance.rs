//! V2 balance calls: the balance and a wallet.

use super::ca_v2_client;
use crate::fail::ca_error;
use crate::guard::{arg, arg_str, into_handle, out, run};
use crate::models::v2::{ca_balance, ca_wallet};
use crate::result::ca_result;
use std::ffi::c_char;

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
