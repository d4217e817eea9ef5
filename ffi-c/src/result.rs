//! Result codes: `ca_result`, the one table of them, and the mapping from the SDK's error kinds.

use sdk::ErrorKind;
use std::ffi::CStr;

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
pub(crate) const ALL_RESULTS: &[ca_result] = &[
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
    pub(crate) fn name(self) -> &'static CStr {
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
    pub(crate) fn code(self) -> &'static CStr {
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
