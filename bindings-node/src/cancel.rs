//! `CancelToken`: what an `AbortSignal` becomes on the Rust side (the JS entry point wires one to the other).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::sync::atomic::AtomicBool;

/// A cancel token: the JS entry point makes one per call that has an `AbortSignal` and cancels it when the
/// signal aborts. A send honours it only while nothing of the sale can have been received (then it ends
/// `CANCELLED`, nothing sent); a written send runs on to its outcome. A wait stops polling; a listing stops
/// between pages. Internal: use the `signal` option.
#[napi]
pub struct CancelToken {
    pub(crate) c: clickairtime::Cancel,
    /// The flag behind `c` (a bulk run's stop flag).
    pub(crate) flag: std::sync::Arc<AtomicBool>,
}

#[napi]
impl CancelToken {
    #[napi(constructor)]
    pub fn new() -> Self {
        let flag = std::sync::Arc::new(AtomicBool::new(false));
        CancelToken {
            c: clickairtime::Cancel::from(flag.clone()),
            flag,
        }
    }

    /// Cancel every call holding this token.
    #[napi]
    pub fn cancel(&self) {
        self.c.cancel()
    }

    /// Whether `cancel()` was called.
    #[napi(getter)]
    pub fn cancelled(&self) -> bool {
        self.c.is_cancelled()
    }
}

impl Default for CancelToken {
    fn default() -> Self {
        Self::new()
    }
}

/// The core token of an optional `CancelToken` argument (passed by the JS entry point only).
pub(crate) fn token(t: Option<&ClassInstance<CancelToken>>) -> Option<clickairtime::Cancel> {
    t.map(|t| t.c.clone())
}
