//! The V2 client (`/v2/…`, Bearer API key): the client here, its calls by resource below (mirroring
//! `core/src/v2/`).

use crate::fail::{Fail, ca_error};
use crate::guard::{self, arg_str, into_handle, opt_arg, out, run};
use crate::options::ca_client_options;
use crate::result::ca_result;
use sdk::v2::Client;
use std::ffi::c_char;

// Kept in this order, one per paragraph (rustfmt sorts a block of them): cbindgen writes the header's
// functions module by module, so this order is the header's order (scripts/test-c.sh checks it).
mod requests;

mod catalog;

mod send;

mod topups;

mod balance;

mod webhooks;

mod journal;

pub use balance::*;
pub use catalog::*;
pub use journal::*;
pub use requests::*;
pub use send::*;
pub use topups::*;
pub use webhooks::*;

/// A V2 client. Thread-safe: one client may be shared by any number of threads for any call (it holds one
/// connection pool); create it once and reuse it. Free it only after every call using it has returned.
pub struct ca_v2_client {
    pub(crate) inner: Client,
    base_url: std::ffi::CString,
}

/// Create a V2 client with the API key from the Enterprise Portal (`ce_live_…`; from the sandbox,
/// `ca_sandbox_api_key`). `options` may be NULL (production URL, default timeouts); it is copied. The key
/// never appears in errors or logs. On `CA_OK`, `*client_out` owns a new client; free it with
/// `ca_v2_client_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`api_key`, `client_out`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (a bad setting or key; `ca_error_field` names it); `CA_ERR_TLS` (the TLS setup
/// failed); `CA_ERR_JOURNAL` (the journal set with `ca_client_options_set_journal` cannot be opened or
/// written); `CA_ERR_PANIC`. No network call is made. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_new(
    api_key: *const c_char,
    options: *const ca_client_options,
    client_out: *mut *mut ca_v2_client,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let key = arg_str(api_key, "api_key")?;
        let o = out(client_out, "client_out")?;
        o.write(into_handle(build(Client::builder(key), options)?));
        Ok(())
    })
}

fn build(
    mut b: sdk::ClientBuilder<sdk::v2::ApiKey>,
    options: *const ca_client_options,
) -> Result<ca_v2_client, Fail> {
    if let Some(opts) = opt_arg(options) {
        b = opts.apply(b);
    }
    let inner = b.build()?;
    let base_url = guard::cstring(inner.base_url());
    Ok(ca_v2_client { inner, base_url })
}

/// Create a V2 client configured from the environment: the key from `CLICKAIRTIME_API_KEY` (required) and,
/// when set, the base URL from `CLICKAIRTIME_BASE_URL` (empty variables count as unset). Then `options`
/// (may be NULL; copied) apply on top: what they set wins, e.g. `ca_client_options_set_base_url`. So
/// `ca_v2_client_new_from_env(NULL, &client, &err)` is enough in production, with the key kept out of the
/// program. Reads the environment once, now: do not change it (`setenv`) from another thread meanwhile. On
/// `CA_OK`, `*client_out` owns a new client; free it with `ca_v2_client_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client_out`); `CA_ERR_INVALID_INPUT` (`ca_error_field` names
/// the variable that is missing or not UTF-8, e.g. `CLICKAIRTIME_API_KEY`, or a bad setting); `CA_ERR_TLS`;
/// `CA_ERR_JOURNAL`; `CA_ERR_PANIC`. No network call is made. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_new_from_env(
    options: *const ca_client_options,
    client_out: *mut *mut ca_v2_client,
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
pub extern "C" fn ca_v2_client_free(client: *mut ca_v2_client) {
    guard::free_handle(client)
}

/// The base URL in use, normalised. Owned by `client`, valid until it is freed. NULL if `client` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_base_url(client: *const ca_v2_client) -> *const c_char {
    guard::get_val(client, std::ptr::null(), |c| c.base_url.as_ptr())
}
