//! `ca_cancel`: a cancel token for waits, list walks, sends and bulk runs.
//!
//! The token is one shared atomic flag. Each call that is given a token takes its own reference to the
//! flag when it starts, so cancelling reaches every call holding it, and freeing the handle while such a
//! call runs is safe (the call keeps the flag alive; it just can no longer be cancelled through that handle).

use crate::fail::ca_error;
use crate::guard::{self, arg, get_val, into_handle, out, run};
use crate::result::ca_result;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A cancel token. Make one with `ca_cancel_new`, give it to any number of calls
/// (`ca_v2_topup_wait_cancellable`, `ca_v1_wait_cancellable`, `ca_v2_topup_list_all_cancellable`,
/// `ca_v2_topup_create_cancellable`, `ca_v1_send_topup_cancellable`, `ca_v2_bulk_run`, `ca_v1_bulk_run`) and
/// fire it with `ca_cancel_cancel` from any thread or from a signal handler. Once cancelled it stays
/// cancelled: make a new token for the next call. Thread-safe.
pub struct ca_cancel {
    flag: Arc<AtomicBool>,
}

impl ca_cancel {
    /// The core's token, sharing this flag.
    pub(crate) fn token(&self) -> sdk::Cancel {
        sdk::Cancel::from(self.flag.clone())
    }

    /// The flag itself (the bulk engine's stop flag).
    pub(crate) fn flag(&self) -> Arc<AtomicBool> {
        self.flag.clone()
    }
}

/// Create a cancel token, not cancelled. On `CA_OK`, `*cancel_out` owns it; free it with `ca_cancel_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`cancel_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_cancel_new(
    cancel_out: *mut *mut ca_cancel,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        out(cancel_out, "cancel_out")?.write(into_handle(ca_cancel {
            flag: Arc::new(AtomicBool::new(false)),
        }));
        Ok(())
    })
}

/// Cancel every call holding this token, now and later. What a cancelled call does:
/// - a wait (`ca_v2_topup_wait_cancellable`, `ca_v1_wait_cancellable`) stops polling within about 20 ms (a
///   poll already in flight finishes first) and returns `CA_ERR_CANCELLED` with `ca_error_transaction_id` and
///   the last `ca_error_status` seen: the sale itself STANDS, only the watching stopped;
/// - a list walk (`ca_v2_topup_list_all_cancellable`) fetches no further page: `CA_ERR_CANCELLED`;
/// - a send (`ca_v2_topup_create_cancellable`, `ca_v1_send_topup_cancellable`) cancelled while nothing of
///   the sale can have been received (not started, connecting, waiting for a rate-limit slot or a back-off)
///   returns `CA_ERR_CANCELLED`: nothing was sent (`ca_result_proves_not_sent` is true; the same reference
///   may be sold again). Once a write may have been received, the send is never abandoned: it runs on to
///   its real end (success, `CA_ERR_OUTCOME_UNKNOWN`, …);
/// - a bulk run (`ca_v2_bulk_run`, `ca_v1_bulk_run`) takes no new row; sends under way settle first.
///
/// Async-signal-safe: one atomic store, no allocation, no lock, so a `SIGINT` handler may call it (keep the
/// token in a global the handler can reach). Callable from any thread, any number of times. NULL does
/// nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_cancel_cancel(cancel: *const ca_cancel) {
    // no `run`/`value` wrapper needed for the store itself, but keep the boundary: it costs nothing unless
    // something panics, and an atomic store cannot
    guard::value((), || {
        if let Some(c) = guard::opt_arg(cancel) {
            c.flag.store(true, Ordering::SeqCst);
        }
    })
}

/// Whether `ca_cancel_cancel` was called on this token. False if `cancel` is NULL. Async-signal-safe.
#[unsafe(no_mangle)]
pub extern "C" fn ca_cancel_is_cancelled(cancel: *const ca_cancel) -> bool {
    get_val(cancel, false, |c| c.flag.load(Ordering::SeqCst))
}

/// Release a token. NULL does nothing. Calls that were given it and still run keep working (they hold their
/// own reference to the flag) but can no longer be cancelled through it; never free it while a signal
/// handler or another thread may still call `ca_cancel_cancel` on it.
#[unsafe(no_mangle)]
pub extern "C" fn ca_cancel_free(cancel: *mut ca_cancel) {
    guard::free_handle(cancel)
}

/// A required token argument (for the `_cancellable` functions).
pub(crate) fn token_arg(cancel: *const ca_cancel) -> Result<sdk::Cancel, crate::fail::Fail> {
    Ok(arg(cancel, "cancel")?.token())
}
