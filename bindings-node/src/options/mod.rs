//! Options objects (camelCase in JS) and their conversion into core builders and requests. Validation is the
//! core's; this module only maps names and types.

mod client;
mod v1;
mod v2;

pub use client::*;
pub use v1::*;
pub use v2::*;

use crate::args::from_js;
use clickairtime::money::Decimal;
use clickairtime::{Cancel, WaitOptions as CoreWait};
use napi::bindgen_prelude::Either;
use napi_derive::napi;
use std::time::Duration;

/// A setting from the environment (`process.env` as Node sees it), empty counting as unset.
pub(crate) type EnvVar<'a> = &'a dyn Fn(&str) -> Option<String>;

fn ms(v: u32) -> Duration {
    Duration::from_millis(v.into())
}

/// An amount from JS: a decimal string (exact) or a number (read in its shortest round-trip form).
pub(crate) fn amount(field: &str, v: Either<String, f64>) -> clickairtime::Result<Decimal> {
    match v {
        Either::A(s) => clickairtime::money::parse_amount(field, &s),
        Either::B(f) => clickairtime::money::amount_from_f64(field, f),
    }
}

/// How a wait polls. Defaults cover the documented 12-minute bound.
#[napi(object, object_from_js = false)]
pub struct WaitOptions {
    /// Give up after this long, ms: `STILL_PENDING` (with `transactionId` and the last `status`): the
    /// transaction exists and may still complete. Every poll gets only what remains. Default 780000 (13 min).
    pub deadline_ms: Option<u32>,
    /// First delay between polls, ms. Default 1000.
    pub initial_interval_ms: Option<u32>,
    /// Largest delay between polls, ms (grows by 1.5× per poll). Default 15000.
    pub max_interval_ms: Option<u32>,
    /// V2: how long after the wait starts a 404 is read as "not visible yet" (a replica behind the write)
    /// rather than `NOT_FOUND`, ms. Default 30000.
    pub not_found_grace_ms: Option<u32>,
}
from_js!(WaitOptions {
    deadline_ms,
    initial_interval_ms,
    max_interval_ms,
    not_found_grace_ms
});

/// The core's wait options; `cancel` stops the wait (it ends `CANCELLED`, the sale stands).
pub(crate) fn wait_options(o: Option<WaitOptions>, cancel: Option<Cancel>) -> CoreWait {
    let mut w = CoreWait {
        cancel,
        ..CoreWait::default()
    };
    if let Some(o) = o {
        if let Some(v) = o.deadline_ms {
            w.deadline = ms(v);
        }
        if let Some(v) = o.initial_interval_ms {
            w.initial_interval = ms(v);
        }
        if let Some(v) = o.max_interval_ms {
            w.max_interval = ms(v);
        }
        if let Some(v) = o.not_found_grace_ms {
            w.not_found_grace = ms(v);
        }
    }
    w
}
