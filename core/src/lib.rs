//! # clickairtime
//!
//! A blocking client for the Click Airtime API: mobile airtime and data bundles to 600+ networks in 140+
//! countries, paid from a pre-funded wallet. Both API versions:
//!
//! - [`v2`] — the current API (`/v2/…`, Bearer API key): catalog, top-ups, balance, webhooks;
//! - [`v1`] — the maintained legacy API (`/adp`, e-mail + token headers).
//!
//! ## Money safety
//!
//! A top-up is sent at most once per sale (per reference), and its outcome is reported truthfully or
//! recoverable. A send has exactly five ends: success for a record verified to be *this* sale
//! ([`Meta::origin`] says how it was obtained); "not sent" (any plain error kind) only when no write can have
//! been received or the API refused it; [`ErrorKind::DuplicateSale`] / [`ErrorKind::ReferenceConflict`] when
//! the API holds another sale (named); [`ErrorKind::StillPending`] from waits; and
//! [`ErrorKind::OutcomeUnknown`] (with the reference and the cause) for everything else — never "failed".
//! Handles exist before the write (`prepared()`; the V2 key is derived from the reference), a write that may
//! have been received is never repeated before absence is proven, and an optional [`Journal`] makes all of it
//! hold across crashes. See the README's table and `sendproto/`.
//!
//! ## Errors
//!
//! One [`Error`] type; branch on [`Error::kind`]. Invalid input is rejected before any network call with the
//! field named. Credentials never appear in `Debug`, `Display`, logs or errors.
//!
//! Diagnostics go through the `log` crate, target `clickairtime`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bulk;
mod coalesce;
pub mod config;
mod decode;
pub mod error;
pub mod handles;
pub mod journal;
pub mod money;
pub mod phone;
mod polling;
#[cfg(test)]
mod proptests;
pub mod ratelimit;
pub mod response;
mod secret;
mod sendproto;
mod transport;
pub mod v1;
pub mod v2;

pub use config::ClientBuilder;
pub use decode::Timestamp;
pub use error::{Error, ErrorKind, Result};
pub use journal::{Journal, JournalEntry, Recovery, SendState};
pub use polling::{Cancel, WaitOptions, WaitStep};
pub use ratelimit::RateLimitPolicy;
pub use response::{Meta, Pagination, RateLimit, Response, SendOrigin};
pub use secret::Secret;
pub use v2::webhooks;

/// The README's Rust code blocks, type-checked by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
