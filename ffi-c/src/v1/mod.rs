//! The V1 client (`/adp…`, e-mail + token headers): the client here, its calls by resource below (mirroring
//! `core/src/v1/`).

use crate::fail::{Fail, ca_error};
use crate::guard::{self, arg_str, into_handle, opt_arg, out, run};
use crate::options::ca_client_options;
use crate::result::ca_result;
use sdk::v1::Client;
use std::ffi::c_char;

// Kept in this order, one per paragraph (rustfmt sorts a block of them): cbindgen writes the header's
// functions module by module, so this order is the header's order (scripts/test-c.sh checks it).
mod send;

mod transactions;

mod products;

mod balances;

mod journal;

pub use balances::*;
pub use journal::*;
pub use products::*;
pub use send::*;
pub use transactions::*;

/// A V1 client. Thread-safe: one client may be shared by any number of threads for any call. Free it only
/// after every call using it has returned.
pub struct ca_v1_client {
    pub(crate) inner: Client,
    base_url: std::ffi::CString,
}

/// Create a V1 client with the account e-mail and API token (from the sandbox, `ca_sandbox_v1_email` and
/// `ca_sandbox_v1_token`). `options` may be NULL (production URL, default timeouts); it is copied. The token
/// never appears in errors or logs. On `CA_OK`, `*client_out` owns a new client; free it with
/// `ca_v1_client_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`email`, `token`, `client_out`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (a bad setting or credential; `ca_error_field` names it); `CA_ERR_TLS`;
/// `CA_ERR_JOURNAL` (the journal set with `ca_client_options_set_journal` cannot be opened or written);
/// `CA_ERR_PANIC`. No network call is made. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_new(
    email: *const c_char,
    token: *const c_char,
    options: *const ca_client_options,
    client_out: *mut *mut ca_v1_client,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let email = arg_str(email, "email")?;
        let token = arg_str(token, "token")?;
        let o = out(client_out, "client_out")?;
        o.write(into_handle(build(Client::builder(email, token), options)?));
        Ok(())
    })
}

fn build(
    mut b: sdk::ClientBuilder<sdk::v1::Credentials>,
    options: *const ca_client_options,
) -> Result<ca_v1_client, Fail> {
    if let Some(opts) = opt_arg(options) {
        b = opts.apply(b);
        if let Some(p) = &opts.v1_topup_path {
            b = b.topup_path(p.clone());
        }
    }
    let inner = b.build()?;
    let base_url = guard::cstring(inner.base_url());
    Ok(ca_v1_client { inner, base_url })
}

/// Create a V1 client configured from the environment: `CLICKAIRTIME_V1_EMAIL` and `CLICKAIRTIME_V1_TOKEN`
/// (required) and, when set, `CLICKAIRTIME_BASE_URL` (empty variables count as unset); then `options` (may be
/// NULL; copied) apply on top, and what they set wins. Reads the environment once, now: do not change it
/// from another thread meanwhile. On `CA_OK`, `*client_out` owns a new client; free it with
/// `ca_v1_client_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client_out`); `CA_ERR_INVALID_INPUT` (`ca_error_field` names
/// the missing variable, e.g. `CLICKAIRTIME_V1_TOKEN`, or a bad setting); `CA_ERR_TLS`; `CA_ERR_JOURNAL`;
/// `CA_ERR_PANIC`. No network call is made. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_new_from_env(
    options: *const ca_client_options,
    client_out: *mut *mut ca_v1_client,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = out(client_out, "client_out")?;
        o.write(into_handle(build(Client::builder_from_env()?, options)?));
        Ok(())
    })
}

/// Release a client. NULL does nothing. No call may be using it.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_free(client: *mut ca_v1_client) {
    guard::free_handle(client)
}

/// The base URL in use, normalised. Owned by `client`, valid until it is freed. NULL if `client` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_base_url(client: *const ca_v1_client) -> *const c_char {
    guard::get_val(client, std::ptr::null(), |c| c.base_url.as_ptr())
}
