//! The `ca_error` getters, result names, and the string and panic helpers of the C API.

use crate::fail::ca_error;
use crate::guard::{self, get_val};
use crate::result::{ca_result, result_of};
use sdk::ErrorKind;
use std::ffi::{CString, c_char};
use std::ptr;

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
    use crate::fail::Fail;
    use crate::result::ALL_RESULTS;
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
