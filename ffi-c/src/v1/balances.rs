//! V1 balances.

use super::ca_v1_client;
use crate::fail::ca_error;
use crate::guard::{arg, arg_str, into_handle, out, run};
use crate::models::v1::{ca_v1_balance, ca_v1_balance_list};
use crate::result::ca_result;
use std::ffi::c_char;

/// Balances of every service account. On `CA_OK`, `*balances_out` owns a new list; free it with
/// `ca_v1_balance_list_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `balances_out`), any SDK
/// result, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_balances(
    client: *const ca_v1_client,
    balances_out: *mut *mut ca_v1_balance_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(balances_out, "balances_out")?;
        o.write(into_handle(ca_v1_balance_list::new(c.inner.balances()?)));
        Ok(())
    })
}

/// Balance of one account. On `CA_OK`, `*balance_out` owns it; free it with `ca_v1_balance_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `account_id`, `balance_out`), `CA_ERR_INVALID_UTF8`,
/// any SDK result, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_get_balance(
    client: *const ca_v1_client,
    account_id: *const c_char,
    balance_out: *mut *mut ca_v1_balance,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let id = arg_str(account_id, "account_id")?;
        let o = out(balance_out, "balance_out")?;
        o.write(into_handle(ca_v1_balance::new(c.inner.balance(id)?)));
        Ok(())
    })
}
