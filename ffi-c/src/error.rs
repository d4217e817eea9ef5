//! Result codes and the `ca_error` handle.

use crate::guard::{self, cstring, get_val};
use sdk::ErrorKind;
use std::ffi::{CStr, CString, c_char};
use std::ptr;

/// Result of every fallible function. Numbers are stable and never reused: 0 is success, 1–99 are misuse
/// of this C API or local failures, 100–199 mirror the SDK's error kinds.
///
/// Results of the network and validation kind (100–199) are called "SDK results" in the function docs:
/// any function documented as returning "any SDK result" may return any of them.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ca_result {
    /// Success. Outputs were written.
    CA_OK = 0,
    /// A required pointer argument was NULL; the message names it. Nothing was done.
    CA_ERR_NULL_ARGUMENT = 1,
    /// A string argument was not valid UTF-8; the message names it. Nothing was done.
    CA_ERR_INVALID_UTF8 = 2,
    /// A caller buffer was too small; it was not written. The message says how many bytes are needed.
    CA_ERR_BUFFER_TOO_SMALL = 3,
    /// A bug: the library panicked. The panic was caught; please report the message.
    CA_ERR_PANIC = 4,
    /// The sandbox could not be started (port in use, malformed configured API key, no threads).
    CA_ERR_SANDBOX = 5,
    /// Input rejected before any network call; `ca_error_field` names the field.
    CA_ERR_INVALID_INPUT = 100,
    /// Credentials missing, malformed, unknown, expired or revoked (HTTP 401).
    CA_ERR_AUTHENTICATION = 101,
    /// Valid credentials without the permission (HTTP 403).
    CA_ERR_PERMISSION_DENIED = 102,
    /// Wallet or account balance too low (V2 INSUFFICIENT_BALANCE, V1 code 20).
    CA_ERR_INSUFFICIENT_BALANCE = 103,
    /// The recipient number was rejected (V2 INVALID_PHONE_NUMBER, V1 code 30).
    CA_ERR_INVALID_RECIPIENT = 104,
    /// The resource does not exist.
    CA_ERR_NOT_FOUND = 105,
    /// A duplicate that could not be resolved to an existing transaction. No longer returned by sends (they
    /// end in `CA_ERR_DUPLICATE_SALE`, `CA_ERR_REFERENCE_CONFLICT` or `CA_ERR_OUTCOME_UNKNOWN`); kept so the
    /// number stays taken.
    CA_ERR_DUPLICATE = 106,
    /// The API reported that delivery failed.
    CA_ERR_DELIVERY_FAILED = 107,
    /// Too many requests (HTTP 429); see `ca_error_retry_after_ms`.
    CA_ERR_RATE_LIMITED = 108,
    /// Any other error answer of the API; see `ca_error_api_code` and `ca_error_http_status`.
    CA_ERR_API = 109,
    /// Connecting or waiting for an answer timed out. From a send: nothing can have been received (a send
    /// whose write may have arrived ends in `CA_ERR_OUTCOME_UNKNOWN`). A wait that passes its deadline is
    /// `CA_ERR_STILL_PENDING`, not this.
    CA_ERR_TIMEOUT = 110,
    /// The connection could not be made or was lost before the request was sent.
    CA_ERR_CONNECTION = 111,
    /// TLS handshake or certificate verification failed.
    CA_ERR_TLS = 112,
    /// A write of the top-up may have been received and nothing settled it within the send deadline. NOT a
    /// failure and NOT "not sent": do not sell again and do not refund. `ca_error_reference` /
    /// `ca_error_idempotency_key` identify it, `ca_error_cause_kind` says what left it open; settle it with
    /// `ca_v2_client_recover` / `ca_v1_client_recover` (journal) or `ca_v2_topup_reconcile` /
    /// `ca_v1_reconcile` later.
    CA_ERR_OUTCOME_UNKNOWN = 113,
    /// The server answered something that is not the documented protocol; see `ca_error_body`.
    CA_ERR_UNEXPECTED_RESPONSE = 114,
    /// A webhook signature or timestamp did not verify.
    CA_ERR_INVALID_SIGNATURE = 115,
    /// Definite: the API refused this sale as a duplicate of another, recent one (same phone, network and
    /// amount within its duplicate window; V1 code 50). This sale was NOT created; `ca_error_transaction_id`
    /// and `ca_error_existing_reference` name the other one when known.
    CA_ERR_DUPLICATE_SALE = 116,
    /// Definite: the reference of this sale already belongs to a different sale, at the API (V1 code 90, a
    /// V2 409, a lookup whose record does not match, several records with it) or in the journal. This sale
    /// was NOT created; `ca_error_transaction_id` / `ca_error_existing_reference` name the other one when
    /// known. Sell it under a new reference.
    CA_ERR_REFERENCE_CONFLICT = 117,
    /// A wait reached its deadline: the transaction exists (`ca_error_transaction_id`) and was not terminal
    /// yet (`ca_error_status`). It WAS created and may still complete: never treat it as "not sent".
    CA_ERR_STILL_PENDING = 118,
    /// The journal file (`ca_client_options_set_journal`) could not be opened, read or written. Nothing was
    /// sent.
    CA_ERR_JOURNAL = 119,
    /// The call was cancelled through its `ca_cancel` token (`ca_cancel_cancel`). From a send: only while
    /// nothing of the sale could have been received, so nothing was sent (`ca_result_proves_not_sent` is
    /// true). From a wait: polling stopped, the transaction STANDS (`ca_error_transaction_id`,
    /// `ca_error_status`). From a list walk: no further page was fetched.
    CA_ERR_CANCELLED = 120,
    /// An SDK error kind newer than this table (treat as CA_ERR_API).
    CA_ERR_OTHER = 199,
}

/// The one place where SDK error kinds become C results.
pub(crate) fn result_of(kind: ErrorKind) -> ca_result {
    use ca_result::*;
    match kind {
        ErrorKind::InvalidInput => CA_ERR_INVALID_INPUT,
        ErrorKind::Authentication => CA_ERR_AUTHENTICATION,
        ErrorKind::PermissionDenied => CA_ERR_PERMISSION_DENIED,
        ErrorKind::InsufficientBalance => CA_ERR_INSUFFICIENT_BALANCE,
        ErrorKind::InvalidRecipient => CA_ERR_INVALID_RECIPIENT,
        ErrorKind::NotFound => CA_ERR_NOT_FOUND,
        ErrorKind::Duplicate => CA_ERR_DUPLICATE,
        ErrorKind::DeliveryFailed => CA_ERR_DELIVERY_FAILED,
        ErrorKind::RateLimited => CA_ERR_RATE_LIMITED,
        ErrorKind::Api => CA_ERR_API,
        ErrorKind::Timeout => CA_ERR_TIMEOUT,
        ErrorKind::Connection => CA_ERR_CONNECTION,
        ErrorKind::Tls => CA_ERR_TLS,
        ErrorKind::OutcomeUnknown => CA_ERR_OUTCOME_UNKNOWN,
        ErrorKind::UnexpectedResponse => CA_ERR_UNEXPECTED_RESPONSE,
        ErrorKind::InvalidSignature => CA_ERR_INVALID_SIGNATURE,
        ErrorKind::DuplicateSale => CA_ERR_DUPLICATE_SALE,
        ErrorKind::ReferenceConflict => CA_ERR_REFERENCE_CONFLICT,
        ErrorKind::StillPending => CA_ERR_STILL_PENDING,
        ErrorKind::Journal => CA_ERR_JOURNAL,
        ErrorKind::Cancelled => CA_ERR_CANCELLED,
        _ => CA_ERR_OTHER,
    }
}

/// Every result, in table order.
const ALL_RESULTS: &[ca_result] = &[
    ca_result::CA_OK,
    ca_result::CA_ERR_NULL_ARGUMENT,
    ca_result::CA_ERR_INVALID_UTF8,
    ca_result::CA_ERR_BUFFER_TOO_SMALL,
    ca_result::CA_ERR_PANIC,
    ca_result::CA_ERR_SANDBOX,
    ca_result::CA_ERR_INVALID_INPUT,
    ca_result::CA_ERR_AUTHENTICATION,
    ca_result::CA_ERR_PERMISSION_DENIED,
    ca_result::CA_ERR_INSUFFICIENT_BALANCE,
    ca_result::CA_ERR_INVALID_RECIPIENT,
    ca_result::CA_ERR_NOT_FOUND,
    ca_result::CA_ERR_DUPLICATE,
    ca_result::CA_ERR_DELIVERY_FAILED,
    ca_result::CA_ERR_RATE_LIMITED,
    ca_result::CA_ERR_API,
    ca_result::CA_ERR_TIMEOUT,
    ca_result::CA_ERR_CONNECTION,
    ca_result::CA_ERR_TLS,
    ca_result::CA_ERR_OUTCOME_UNKNOWN,
    ca_result::CA_ERR_UNEXPECTED_RESPONSE,
    ca_result::CA_ERR_INVALID_SIGNATURE,
    ca_result::CA_ERR_DUPLICATE_SALE,
    ca_result::CA_ERR_REFERENCE_CONFLICT,
    ca_result::CA_ERR_STILL_PENDING,
    ca_result::CA_ERR_JOURNAL,
    ca_result::CA_ERR_CANCELLED,
    ca_result::CA_ERR_OTHER,
];

impl ca_result {
    fn name(self) -> &'static CStr {
        use ca_result::*;
        match self {
            CA_OK => c"CA_OK",
            CA_ERR_NULL_ARGUMENT => c"CA_ERR_NULL_ARGUMENT",
            CA_ERR_INVALID_UTF8 => c"CA_ERR_INVALID_UTF8",
            CA_ERR_BUFFER_TOO_SMALL => c"CA_ERR_BUFFER_TOO_SMALL",
            CA_ERR_PANIC => c"CA_ERR_PANIC",
            CA_ERR_SANDBOX => c"CA_ERR_SANDBOX",
            CA_ERR_INVALID_INPUT => c"CA_ERR_INVALID_INPUT",
            CA_ERR_AUTHENTICATION => c"CA_ERR_AUTHENTICATION",
            CA_ERR_PERMISSION_DENIED => c"CA_ERR_PERMISSION_DENIED",
            CA_ERR_INSUFFICIENT_BALANCE => c"CA_ERR_INSUFFICIENT_BALANCE",
            CA_ERR_INVALID_RECIPIENT => c"CA_ERR_INVALID_RECIPIENT",
            CA_ERR_NOT_FOUND => c"CA_ERR_NOT_FOUND",
            CA_ERR_DUPLICATE => c"CA_ERR_DUPLICATE",
            CA_ERR_DELIVERY_FAILED => c"CA_ERR_DELIVERY_FAILED",
            CA_ERR_RATE_LIMITED => c"CA_ERR_RATE_LIMITED",
            CA_ERR_API => c"CA_ERR_API",
            CA_ERR_TIMEOUT => c"CA_ERR_TIMEOUT",
            CA_ERR_CONNECTION => c"CA_ERR_CONNECTION",
            CA_ERR_TLS => c"CA_ERR_TLS",
            CA_ERR_OUTCOME_UNKNOWN => c"CA_ERR_OUTCOME_UNKNOWN",
            CA_ERR_UNEXPECTED_RESPONSE => c"CA_ERR_UNEXPECTED_RESPONSE",
            CA_ERR_INVALID_SIGNATURE => c"CA_ERR_INVALID_SIGNATURE",
            CA_ERR_DUPLICATE_SALE => c"CA_ERR_DUPLICATE_SALE",
            CA_ERR_REFERENCE_CONFLICT => c"CA_ERR_REFERENCE_CONFLICT",
            CA_ERR_STILL_PENDING => c"CA_ERR_STILL_PENDING",
            CA_ERR_JOURNAL => c"CA_ERR_JOURNAL",
            CA_ERR_CANCELLED => c"CA_ERR_CANCELLED",
            CA_ERR_OTHER => c"CA_ERR_OTHER",
        }
    }

    /// Stable upper-case code without prefix (the SDK's code for 100–199).
    fn code(self) -> &'static CStr {
        use ca_result::*;
        match self {
            CA_OK => c"OK",
            CA_ERR_NULL_ARGUMENT => c"NULL_ARGUMENT",
            CA_ERR_INVALID_UTF8 => c"INVALID_UTF8",
            CA_ERR_BUFFER_TOO_SMALL => c"BUFFER_TOO_SMALL",
            CA_ERR_PANIC => c"PANIC",
            CA_ERR_SANDBOX => c"SANDBOX",
            CA_ERR_OTHER => c"OTHER",
            // for SDK kinds the code is ErrorKind::as_str (checked by a test)
            CA_ERR_INVALID_INPUT => c"INVALID_INPUT",
            CA_ERR_AUTHENTICATION => c"AUTHENTICATION",
            CA_ERR_PERMISSION_DENIED => c"PERMISSION_DENIED",
            CA_ERR_INSUFFICIENT_BALANCE => c"INSUFFICIENT_BALANCE",
            CA_ERR_INVALID_RECIPIENT => c"INVALID_RECIPIENT",
            CA_ERR_NOT_FOUND => c"NOT_FOUND",
            CA_ERR_DUPLICATE => c"DUPLICATE",
            CA_ERR_DELIVERY_FAILED => c"DELIVERY_FAILED",
            CA_ERR_RATE_LIMITED => c"RATE_LIMITED",
            CA_ERR_API => c"API_ERROR",
            CA_ERR_TIMEOUT => c"TIMEOUT",
            CA_ERR_CONNECTION => c"CONNECTION",
            CA_ERR_TLS => c"TLS",
            CA_ERR_OUTCOME_UNKNOWN => c"OUTCOME_UNKNOWN",
            CA_ERR_UNEXPECTED_RESPONSE => c"UNEXPECTED_RESPONSE",
            CA_ERR_INVALID_SIGNATURE => c"INVALID_SIGNATURE",
            CA_ERR_DUPLICATE_SALE => c"DUPLICATE_SALE",
            CA_ERR_REFERENCE_CONFLICT => c"REFERENCE_CONFLICT",
            CA_ERR_STILL_PENDING => c"STILL_PENDING",
            CA_ERR_JOURNAL => c"JOURNAL",
            CA_ERR_CANCELLED => c"CANCELLED",
        }
    }

    pub(crate) fn from_u32(v: u32) -> Option<ca_result> {
        ALL_RESULTS.iter().copied().find(|r| *r as u32 == v)
    }
}

/// A failure inside an exported function, before it becomes a `ca_error`.
pub(crate) struct Fail {
    pub(crate) result: ca_result,
    message: String,
    field: Option<String>,
    core: Option<sdk::Error>,
}

impl Fail {
    pub(crate) fn new(result: ca_result, message: impl Into<String>) -> Fail {
        Fail {
            result,
            message: message.into(),
            field: None,
            core: None,
        }
    }
    pub(crate) fn null(name: &str) -> Fail {
        let mut f = Fail::new(
            ca_result::CA_ERR_NULL_ARGUMENT,
            format!("null argument: {name} must not be NULL"),
        );
        f.field = Some(name.to_owned());
        f
    }
    /// `CA_ERR_INVALID_INPUT` naming `field`, with exactly this message.
    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> Fail {
        let mut f = Fail::new(ca_result::CA_ERR_INVALID_INPUT, message);
        f.field = Some(field.to_owned());
        f
    }
    pub(crate) fn utf8(name: &str) -> Fail {
        let mut f = Fail::new(
            ca_result::CA_ERR_INVALID_UTF8,
            format!("invalid utf-8: {name} is not valid UTF-8"),
        );
        f.field = Some(name.to_owned());
        f
    }
    pub(crate) fn from_panic(payload: Box<dyn std::any::Any + Send>) -> Fail {
        let text = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        Fail::new(
            ca_result::CA_ERR_PANIC,
            format!("internal error (panic caught at the C boundary): {text}"),
        )
    }
}

impl From<sdk::Error> for Fail {
    fn from(e: sdk::Error) -> Fail {
        Fail {
            result: result_of(e.kind()),
            message: e.to_string(),
            field: e.field().map(str::to_owned),
            core: Some(e),
        }
    }
}

/// Details of a failed call. Created by the library (through an `error_out` argument), owned by the caller,
/// released with `ca_error_free`. Immutable: any thread may read it; strings it returns are owned by it and
/// valid until it is freed. Never contains an API key or a V1 token.
pub struct ca_error {
    result: ca_result,
    code: &'static CStr,
    message: CString,
    field: Option<CString>,
    api_code: Option<CString>,
    request_id: Option<CString>,
    reference: Option<CString>,
    idempotency_key: Option<CString>,
    transaction_id: Option<CString>,
    body: Option<CString>,
    status: Option<CString>,
    existing_reference: Option<CString>,
    cause: ca_result,
    http_status: u16,
    retry_after_ms: Option<u64>,
}

impl ca_error {
    pub(crate) fn from_fail(f: Fail) -> ca_error {
        let c = |s: Option<&str>| s.map(cstring);
        let e = f.core.as_ref();
        ca_error {
            result: f.result,
            code: f.result.code(),
            message: cstring(f.message),
            field: f.field.map(cstring),
            api_code: c(e.and_then(|e| e.api_code())),
            request_id: c(e.and_then(|e| e.request_id())),
            reference: c(e.and_then(|e| e.reference())),
            idempotency_key: c(e.and_then(|e| e.idempotency_key())),
            transaction_id: c(e.and_then(|e| e.transaction_id())),
            body: c(e.and_then(|e| e.body())),
            status: c(e.and_then(|e| e.status())),
            existing_reference: c(e.and_then(|e| e.existing_reference())),
            cause: e
                .and_then(|e| e.cause_kind())
                .map_or(ca_result::CA_OK, result_of),
            http_status: e.and_then(|e| e.http_status()).unwrap_or(0),
            retry_after_ms: e
                .and_then(|e| e.retry_after())
                .map(|d| d.as_millis().min(u64::MAX as u128) as u64),
        }
    }
}

fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |c| c.as_ptr())
}

/// The result this error was returned with. `CA_OK` if `error` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_result(error: *const ca_error) -> ca_result {
    get_val(error, ca_result::CA_OK, |e| e.result)
}

/// Stable upper-case code of the error: the SDK's code (`INSUFFICIENT_BALANCE`, `OUTCOME_UNKNOWN`, …) or
/// this API's (`NULL_ARGUMENT`, `INVALID_UTF8`, …). Static string. NULL if `error` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_code(error: *const ca_error) -> *const c_char {
    get_val(error, ptr::null(), |e| e.code.as_ptr())
}

/// Short lowercase description with its context (HTTP status, API code, request id, reference). Owned by
/// `error`, valid until it is freed. NULL if `error` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_message(error: *const ca_error) -> *const c_char {
    get_val(error, ptr::null(), |e| e.message.as_ptr())
}

/// For invalid input, NULL arguments and bad UTF-8: the name of the offending field or argument. Owned by
/// `error`. NULL if none or if `error` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_field(error: *const ca_error) -> *const c_char {
    get_val(error, ptr::null(), |e| opt_ptr(&e.field))
}

/// HTTP status of the answer, 0 if there was none (or `error` is NULL).
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_http_status(error: *const ca_error) -> u16 {
    get_val(error, 0, |e| e.http_status)
}

/// The API's own code: V2 `error.code` (e.g. `INSUFFICIENT_BALANCE`) or V1 `code` (e.g. `20`). Owned by
/// `error`. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_api_code(error: *const ca_error) -> *const c_char {
    get_val(error, ptr::null(), |e| opt_ptr(&e.api_code))
}

/// V2 `meta.request_id` of the answer, for support tickets. Owned by `error`. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_request_id(error: *const ca_error) -> *const c_char {
    get_val(error, ptr::null(), |e| opt_ptr(&e.request_id))
}

/// For errors of a send: the reference of THIS sale (V2 `reference`, V1 `extRefId`), the one that finds it
/// later. Always set on errors of `ca_v2_topup_create` and `ca_v1_send_topup` that happen after validation,
/// and on errors of `ca_v1_wait`. (The other sale of a `CA_ERR_DUPLICATE_SALE` / `CA_ERR_REFERENCE_CONFLICT`
/// is `ca_error_existing_reference`.) Owned by `error`. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_reference(error: *const ca_error) -> *const c_char {
    get_val(error, ptr::null(), |e| opt_ptr(&e.reference))
}

/// For errors of a V2 send: the `Idempotency-Key` used. Owned by `error`. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_idempotency_key(error: *const ca_error) -> *const c_char {
    get_val(error, ptr::null(), |e| opt_ptr(&e.idempotency_key))
}

/// A transaction id: for `CA_ERR_STILL_PENDING` the transaction waited for (it exists); for
/// `CA_ERR_DUPLICATE_SALE` and `CA_ERR_REFERENCE_CONFLICT` the OTHER, existing sale's (when known). Owned by
/// `error`. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_transaction_id(error: *const ca_error) -> *const c_char {
    get_val(error, ptr::null(), |e| opt_ptr(&e.transaction_id))
}

/// For `CA_ERR_OUTCOME_UNKNOWN`: the result the last cause that left the outcome open would have had (e.g.
/// `CA_ERR_TIMEOUT` for a lost answer, `CA_ERR_API` for a 5xx, `CA_ERR_PERMISSION_DENIED` for a lookup the
/// key may not make); `ca_result_name` names it and `ca_error_message` says more. `CA_OK` when there is
/// none (other errors) or `error` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_cause_kind(error: *const ca_error) -> ca_result {
    get_val(error, ca_result::CA_OK, |e| e.cause)
}

/// For `CA_ERR_STILL_PENDING`: the last status seen (`processing`, `pending`, `PROCESSING` …). Owned by
/// `error`. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_status(error: *const ca_error) -> *const c_char {
    get_val(error, ptr::null(), |e| opt_ptr(&e.status))
}

/// For `CA_ERR_DUPLICATE_SALE` and `CA_ERR_REFERENCE_CONFLICT`: the reference of the other, existing sale,
/// when known (say it to the cashier: that sale exists, this one does not). Owned by `error`. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_existing_reference(error: *const ca_error) -> *const c_char {
    get_val(error, ptr::null(), |e| opt_ptr(&e.existing_reference))
}

/// For `CA_ERR_RATE_LIMITED`: milliseconds the server asked to wait (`Retry-After`); 0 if it did not say OR
/// said 0 — `ca_error_has_retry_after` tells the two apart. Kept as it was; 0 if `error` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_retry_after_ms(error: *const ca_error) -> u64 {
    get_val(error, 0, |e| e.retry_after_ms.unwrap_or(0))
}

/// Whether the answer said how long to wait (a `Retry-After`, possibly 0): true when
/// `ca_error_retry_after_ms` is the server's value, false when it is 0 only because nothing was said (or
/// `error` is NULL).
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_has_retry_after(error: *const ca_error) -> bool {
    get_val(error, false, |e| e.retry_after_ms.is_some())
}

/// The response body (at most 8 KiB, lossily decoded), kept for diagnosis. Owned by `error`. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_body(error: *const ca_error) -> *const c_char {
    get_val(error, ptr::null(), |e| opt_ptr(&e.body))
}

/// Release an error. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_error_free(error: *mut ca_error) {
    guard::free_handle(error)
}

/// The name of a result (`"CA_ERR_TIMEOUT"`). Static string; NULL for a number not in the table.
#[unsafe(no_mangle)]
pub extern "C" fn ca_result_name(result: u32) -> *const c_char {
    guard::value(ptr::null(), || {
        ca_result::from_u32(result).map_or(ptr::null(), |r| r.name().as_ptr())
    })
}

/// Whether a send that ended with `result` proves that the sale was NOT created, so that nothing was sold
/// and it may be sold again (after fixing the cause; the same reference is fine): true for the checks made
/// before anything is sent (`CA_ERR_NULL_ARGUMENT`, `CA_ERR_INVALID_UTF8`, `CA_ERR_BUFFER_TOO_SMALL`) and
/// for every SDK result except `CA_ERR_OUTCOME_UNKNOWN`, `CA_ERR_STILL_PENDING` (created!),
/// `CA_ERR_INVALID_SIGNATURE` and `CA_ERR_OTHER`. False for `CA_OK` (it was sold), `CA_ERR_PANIC` (a bug in
/// the middle of a send: treat it as outcome unknown), `CA_ERR_SANDBOX` and numbers not in the table.
/// `CA_ERR_DUPLICATE_SALE` and `CA_ERR_REFERENCE_CONFLICT` are true: this sale was not created (another one
/// exists). Only meaningful for the result of `ca_v2_topup_create` / `ca_v1_send_topup`.
#[unsafe(no_mangle)]
pub extern "C" fn ca_result_proves_not_sent(result: u32) -> bool {
    guard::value(false, || {
        use ca_result::*;
        match ca_result::from_u32(result) {
            Some(CA_ERR_NULL_ARGUMENT | CA_ERR_INVALID_UTF8 | CA_ERR_BUFFER_TOO_SMALL) => true,
            Some(CA_OK | CA_ERR_PANIC | CA_ERR_SANDBOX | CA_ERR_OTHER) | None => false,
            Some(r) => ErrorKind::ALL
                .iter()
                .find(|k| result_of(**k) == r)
                .is_some_and(|k| k.is_definitely_not_sent()),
        }
    })
}

/// Release a string the library returned as `char *` (from the `*_to_json` functions and
/// `ca_sandbox_*_json`). NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_string_free(string: *mut c_char) {
    guard::free_owned_string(string)
}

/// Test hook: panics inside the library, to show that the panic is caught. Always returns `CA_ERR_PANIC`
/// (with a `ca_error` in `*error_out` when `error_out` is not NULL). Never useful in production code.
#[unsafe(no_mangle)]
pub extern "C" fn ca_test_panic(error_out: *mut *mut ca_error) -> ca_result {
    guard::run(error_out, || panic!("deliberate panic from ca_test_panic"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_kind_has_its_own_result_and_code() {
        let mut seen = HashSet::new();
        for &k in ErrorKind::ALL {
            let r = result_of(k);
            assert_ne!(r, ca_result::CA_ERR_OTHER, "{k:?} is not mapped");
            assert!((100..200).contains(&(r as u32)));
            assert!(seen.insert(r as u32), "{k:?} reuses {}", r as u32);
            assert_eq!(r.code().to_str().unwrap(), k.as_str());
        }
    }

    #[test]
    fn numbers_are_unique_and_named() {
        let mut seen = HashSet::new();
        for &r in ALL_RESULTS {
            assert!(seen.insert(r as u32));
            assert_eq!(ca_result::from_u32(r as u32), Some(r));
            assert!(r.name().to_str().unwrap().starts_with("CA_"));
        }
        assert_eq!(ca_result::from_u32(6), None);
    }

    #[test]
    fn numbers_never_move() {
        use ca_result::*;
        let fixed = [
            (CA_ERR_OUTCOME_UNKNOWN, 113),
            (CA_ERR_INVALID_SIGNATURE, 115),
            (CA_ERR_DUPLICATE_SALE, 116),
            (CA_ERR_REFERENCE_CONFLICT, 117),
            (CA_ERR_STILL_PENDING, 118),
            (CA_ERR_JOURNAL, 119),
            (CA_ERR_CANCELLED, 120),
            (CA_ERR_OTHER, 199),
        ];
        for (r, n) in fixed {
            assert_eq!(r as u32, n, "{r:?}");
        }
    }

    #[test]
    fn not_sent_is_proven_only_by_definite_results() {
        use ca_result::*;
        for r in [
            CA_ERR_OUTCOME_UNKNOWN,
            CA_ERR_STILL_PENDING,
            CA_OK,
            CA_ERR_PANIC,
            CA_ERR_OTHER,
        ] {
            assert!(!ca_result_proves_not_sent(r as u32), "{r:?}");
        }
        for r in [
            CA_ERR_NULL_ARGUMENT,
            CA_ERR_INSUFFICIENT_BALANCE,
            CA_ERR_CONNECTION,
            CA_ERR_TIMEOUT,
            CA_ERR_DUPLICATE_SALE,
            CA_ERR_REFERENCE_CONFLICT,
            CA_ERR_JOURNAL,
        ] {
            assert!(ca_result_proves_not_sent(r as u32), "{r:?}");
        }
        assert!(!ca_result_proves_not_sent(6));
    }

    #[test]
    fn outcome_unknown_carries_its_cause() {
        let e = sdk::Error::new(ErrorKind::StillPending, "still processing");
        let f = Fail::from(e);
        let ce = ca_error::from_fail(f);
        assert_eq!(ce.result, ca_result::CA_ERR_STILL_PENDING);
        assert_eq!(ce.cause, ca_result::CA_OK);
        assert_eq!(ca_error_cause_kind(ptr::null()), ca_result::CA_OK);
        assert!(ca_error_status(ptr::null()).is_null());
        assert!(ca_error_existing_reference(ptr::null()).is_null());
    }

    #[test]
    fn panics_are_caught() {
        let mut e: *mut ca_error = ptr::null_mut();
        assert_eq!(ca_test_panic(&mut e), ca_result::CA_ERR_PANIC);
        assert!(!e.is_null());
        assert_eq!(ca_error_result(e), ca_result::CA_ERR_PANIC);
        ca_error_free(e);
        assert_eq!(ca_test_panic(ptr::null_mut()), ca_result::CA_ERR_PANIC);
    }
}
