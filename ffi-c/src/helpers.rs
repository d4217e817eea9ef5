//! Stateless helpers: webhook signatures, phone numbers, exact amounts, version.

use crate::fail::ca_error;
use crate::guard::{arg_bytes, arg_str, buf, into_handle, out, run};
use crate::models::v2::ca_webhook_event;
use crate::result::ca_result;
use sdk::v2::webhooks;
use std::ffi::c_char;
use std::time::Duration;

/// Size of a buffer that holds any phone number these helpers produce (`+` and 15 digits, NUL).
pub const CA_PHONE_BUFFER_SIZE: usize = 17;
/// Size of a buffer that holds a webhook signature (64 hex digits, NUL).
pub const CA_SIGNATURE_BUFFER_SIZE: usize = 65;
/// Size of a buffer that holds any amount string these helpers produce.
pub const CA_AMOUNT_BUFFER_SIZE: usize = 48;
/// Size of a buffer that holds a reference made by `ca_new_reference` (`ca-` and a UUID: 39 characters, NUL).
pub const CA_REFERENCE_BUFFER_SIZE: usize = 40;
/// Default webhook timestamp tolerance, in seconds.
pub const CA_WEBHOOK_DEFAULT_TOLERANCE_S: i64 = 300;

fn tolerance(seconds: i64) -> Option<Duration> {
    (seconds >= 0).then(|| Duration::from_secs(seconds as u64))
}

/// Verify a webhook delivery: `body` is the raw body exactly as received (`body_len` bytes; not
/// re-serialised JSON), `signature` the `X-Webhook-Signature` header, `timestamp` the `X-Webhook-Timestamp`
/// header, `api_key` your V2 API key. `tolerance_s` bounds the age of the timestamp in seconds (use
/// `CA_WEBHOOK_DEFAULT_TOLERANCE_S`; a negative value disables the check). Constant-time comparison.
/// Results: `CA_OK` (authentic); `CA_ERR_NULL_ARGUMENT` (`body`, `signature`, `timestamp`, `api_key`);
/// `CA_ERR_INVALID_UTF8`; `CA_ERR_INVALID_SIGNATURE` (bad, malformed or stale); `CA_ERR_INVALID_INPUT` (empty
/// key); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_webhook_verify(
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    timestamp: *const c_char,
    api_key: *const c_char,
    tolerance_s: i64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let body = arg_bytes(body, body_len, "body")?;
        let sig = arg_str(signature, "signature")?;
        let ts = arg_str(timestamp, "timestamp")?;
        let key = arg_str(api_key, "api_key")?;
        webhooks::verify(body, sig, ts, key, tolerance(tolerance_s))?;
        Ok(())
    })
}

/// Parse a delivery body into an event, WITHOUT verifying it (call `ca_webhook_verify` first, or use
/// `ca_webhook_construct_event`). On `CA_OK`, `*event_out` owns a new event; free it with
/// `ca_webhook_event_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`body`, `event_out`), `CA_ERR_UNEXPECTED_RESPONSE` (not a
/// webhook body), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_webhook_parse(
    body: *const u8,
    body_len: usize,
    event_out: *mut *mut ca_webhook_event,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let body = arg_bytes(body, body_len, "body")?;
        let o = out(event_out, "event_out")?;
        o.write(into_handle(ca_webhook_event::new(webhooks::parse(body)?)));
        Ok(())
    })
}

/// Verify (as `ca_webhook_verify`), then parse (as `ca_webhook_parse`). On `CA_OK`, `*event_out` owns a
/// new event; free it with `ca_webhook_event_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`body`, `signature`, `timestamp`, `api_key`, `event_out`);
/// `CA_ERR_INVALID_UTF8`; `CA_ERR_INVALID_SIGNATURE`; `CA_ERR_INVALID_INPUT`; `CA_ERR_UNEXPECTED_RESPONSE`;
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_webhook_construct_event(
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    timestamp: *const c_char,
    api_key: *const c_char,
    tolerance_s: i64,
    event_out: *mut *mut ca_webhook_event,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let body = arg_bytes(body, body_len, "body")?;
        let sig = arg_str(signature, "signature")?;
        let ts = arg_str(timestamp, "timestamp")?;
        let key = arg_str(api_key, "api_key")?;
        let o = out(event_out, "event_out")?;
        let ev = webhooks::construct_event(body, sig, ts, key, tolerance(tolerance_s))?;
        o.write(into_handle(ca_webhook_event::new(ev)));
        Ok(())
    })
}

/// The signature the API would send for `body` at `timestamp` (unix seconds as text) with `api_key`: 64
/// lowercase hex digits, written with a NUL into `signature_buf` (`buf_len` bytes; use
/// `CA_SIGNATURE_BUFFER_SIZE`). For tests and for your own test servers.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`body`, `timestamp`, `api_key`, `signature_buf`);
/// `CA_ERR_INVALID_UTF8`; `CA_ERR_BUFFER_TOO_SMALL` (buffer untouched); `CA_ERR_PANIC`. `error_out` may be
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_webhook_sign(
    body: *const u8,
    body_len: usize,
    timestamp: *const c_char,
    api_key: *const c_char,
    signature_buf: *mut c_char,
    buf_len: usize,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let body = arg_bytes(body, body_len, "body")?;
        let ts = arg_str(timestamp, "timestamp")?;
        let key = arg_str(api_key, "api_key")?;
        let b = buf(signature_buf, buf_len, "signature_buf")?;
        b.write(&webhooks::sign(body, ts, key), std::ptr::null_mut())
    })
}

/// Convert a number as people type it to E.164 (`+233541112259`), validating it for its country with the
/// core's port of libphonenumber: spaces, dashes, dots, slashes and parentheses are removed, a leading `00`
/// is read as `+`, and digits without `+` are read as an international number (the V1 msisdn form,
/// `233541112259`). A national number (`0541112259`) needs its country: use `ca_phone_to_e164_in`. Errors
/// quote what was typed. Written with a NUL into `out_buf` (`buf_len` bytes; use `CA_PHONE_BUFFER_SIZE`); on
/// success `*written_out` receives the length without the NUL (`written_out` may be NULL).
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`number`, `out_buf`); `CA_ERR_INVALID_UTF8`; `CA_ERR_INVALID_INPUT`
/// (not a valid number; field `phone_number`); `CA_ERR_BUFFER_TOO_SMALL` (buffer untouched); `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_phone_to_e164(
    number: *const c_char,
    out_buf: *mut c_char,
    buf_len: usize,
    written_out: *mut usize,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let n = arg_str(number, "number")?;
        let b = buf(out_buf, buf_len, "out_buf")?;
        b.write(&sdk::phone::to_e164(n)?, written_out)
    })
}

/// `ca_phone_to_e164` for a number that may be national, as the customer says it: `country` is the ISO
/// 3166-1 alpha-2 code of the till's country (`"GH"`), used when the number has no `+` / `00` prefix:
/// `ca_phone_to_e164_in("024 123 4567", "GH", …)` gives `+233241234567`. An international number ignores it.
/// The number is validated for its country (libphonenumber's rules). Errors quote what was typed (never a
/// number the user did not type). Buffer as `ca_phone_to_e164`; `written_out` may be NULL.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`number`, `country`, `out_buf`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (field `phone_number`: not a valid number there; field `country`: not a country
/// code); `CA_ERR_BUFFER_TOO_SMALL` (buffer untouched); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_phone_to_e164_in(
    number: *const c_char,
    country: *const c_char,
    out_buf: *mut c_char,
    buf_len: usize,
    written_out: *mut usize,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let n = arg_str(number, "number")?;
        let c = arg_str(country, "country")?;
        let b = buf(out_buf, buf_len, "out_buf")?;
        b.write(&sdk::phone::to_e164_in(n, c)?, written_out)
    })
}

/// Convert an E.164 number (`+233541112259`) or a loosely written one to the V1 msisdn form
/// (`233541112259`), validating it. Buffer and results as `ca_phone_to_e164`; `written_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_phone_to_msisdn(
    number: *const c_char,
    out_buf: *mut c_char,
    buf_len: usize,
    written_out: *mut usize,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let n = arg_str(number, "number")?;
        let b = buf(out_buf, buf_len, "out_buf")?;
        b.write(&sdk::phone::to_msisdn(n)?, written_out)
    })
}

/// Check that `phone_number` is E.164 as V2 requires (`+`, country code, 8–15 digits, nothing else).
/// Results: `CA_OK` (valid), `CA_ERR_NULL_ARGUMENT` (`phone_number`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_INVALID_INPUT` (the message says why), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_phone_validate_e164(
    phone_number: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        sdk::phone::validate_e164("phone_number", arg_str(phone_number, "phone_number")?)?;
        Ok(())
    })
}

/// Check that `msisdn` is the V1 form (digits with country code, no `+`).
/// Results: `CA_OK` (valid), `CA_ERR_NULL_ARGUMENT` (`msisdn`), `CA_ERR_INVALID_UTF8`, `CA_ERR_INVALID_INPUT`,
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_phone_validate_msisdn(
    msisdn: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        sdk::phone::validate_msisdn("msisdn", arg_str(msisdn, "msisdn")?)?;
        Ok(())
    })
}

/// Check an amount string as the request constructors do (a positive decimal, at most 4 decimal places)
/// and write its canonical exact form (e.g. `" 12.50"` gives `"12.50"`) with a NUL into `out_buf` (use
/// `CA_AMOUNT_BUFFER_SIZE`); on success `*written_out` receives the length (`written_out` may be NULL).
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`amount`, `out_buf`); `CA_ERR_INVALID_UTF8`; `CA_ERR_INVALID_INPUT`;
/// `CA_ERR_BUFFER_TOO_SMALL` (buffer untouched); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_amount_parse(
    amount: *const c_char,
    out_buf: *mut c_char,
    buf_len: usize,
    written_out: *mut usize,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let a = arg_str(amount, "amount")?;
        let b = buf(out_buf, buf_len, "out_buf")?;
        b.write(
            &sdk::money::parse_amount("amount", a)?.to_string(),
            written_out,
        )
    })
}

/// Convert a double to the exact decimal it is written as (shortest round-trip form: 0.1 gives "0.1", not
/// 0.1000000000000000055…), checked as an amount, for callers that hold amounts in doubles. Buffer and
/// results as `ca_amount_parse` (`CA_ERR_INVALID_INPUT` also for NaN and infinities); `written_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_amount_from_double(
    amount: f64,
    out_buf: *mut c_char,
    buf_len: usize,
    written_out: *mut usize,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let b = buf(out_buf, buf_len, "out_buf")?;
        b.write(
            &sdk::money::amount_from_f64("amount", amount)?.to_string(),
            written_out,
        )
    })
}

/// A new unique reference (`ca-<uuid>`, 39 characters), for a sale you want to write down before you send
/// it: set it with `ca_v2_topup_request_set_reference` / `ca_v1_topup_request_set_ext_ref_id` (or let
/// `*_prepare` make one). Written with a NUL into `out_buf` (`buf_len` bytes; use
/// `CA_REFERENCE_BUFFER_SIZE`); on success `*written_out` receives the length (`written_out` may be NULL).
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`out_buf`); `CA_ERR_BUFFER_TOO_SMALL` (buffer untouched);
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_new_reference(
    out_buf: *mut c_char,
    buf_len: usize,
    written_out: *mut usize,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let b = buf(out_buf, buf_len, "out_buf")?;
        b.write(&sdk::v2::new_reference(), written_out)
    })
}

/// Version of this library, e.g. "0.1.0". Static string.
#[unsafe(no_mangle)]
pub extern "C" fn ca_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
