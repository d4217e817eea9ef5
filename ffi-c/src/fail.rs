//! A failure inside an exported function (`Fail`) and the `ca_error` handle it becomes.

use crate::result::{ca_result, result_of};
use std::ffi::{CStr, CString};

/// A failure inside an exported function, before it becomes a `ca_error`.
pub(crate) struct Fail {
    pub(crate) result: ca_result,
    pub(crate) message: String,
    pub(crate) field: Option<String>,
    pub(crate) core: Option<sdk::Error>,
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
    pub(crate) result: ca_result,
    pub(crate) code: &'static CStr,
    pub(crate) message: CString,
    pub(crate) field: Option<CString>,
    pub(crate) api_code: Option<CString>,
    pub(crate) request_id: Option<CString>,
    pub(crate) reference: Option<CString>,
    pub(crate) idempotency_key: Option<CString>,
    pub(crate) transaction_id: Option<CString>,
    pub(crate) body: Option<CString>,
    pub(crate) status: Option<CString>,
    pub(crate) existing_reference: Option<CString>,
    pub(crate) cause: ca_result,
    pub(crate) http_status: u16,
    pub(crate) retry_after_ms: Option<u64>,
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

/// A C string from Rust text; interior NUL bytes (possible in server bodies) are dropped.
pub(crate) fn cstring(s: impl Into<String>) -> CString {
    let mut bytes = s.into().into_bytes();
    bytes.retain(|&b| b != 0);
    CString::new(bytes).unwrap_or_default()
}
