//! V2 webhooks: a delivery verified with the client's API key (the signing key), then parsed.

use super::ca_v2_client;
use crate::fail::ca_error;
use crate::guard::{self, arg, arg_str, into_handle, out, run};
use crate::models::v2::ca_webhook_event;
use crate::result::ca_result;
use std::ffi::c_char;

/// Verify a webhook delivery with this client's API key (the signing key), with the default 300-second
/// tolerance, then parse it. See `ca_webhook_construct_event`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `body`, `signature`, `timestamp`, `event_out`);
/// `CA_ERR_INVALID_UTF8`; `CA_ERR_INVALID_SIGNATURE`; `CA_ERR_UNEXPECTED_RESPONSE` (body not a webhook);
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_verify_webhook(
    client: *const ca_v2_client,
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    timestamp: *const c_char,
    event_out: *mut *mut ca_webhook_event,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let body = guard::arg_bytes(body, body_len, "body")?;
        let sig = arg_str(signature, "signature")?;
        let ts = arg_str(timestamp, "timestamp")?;
        let o = out(event_out, "event_out")?;
        let ev = c.inner.verify_webhook(body, sig, ts)?;
        o.write(into_handle(ca_webhook_event::new(ev)));
        Ok(())
    })
}
