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
//! A top-up is sent at most once per logical sale, and its outcome is always reported or recoverable. Every
//! send carries an idempotency handle (V2 `Idempotency-Key` + `reference`, V1 `extRefId`), generated when
//! you give none, returned on success ([`Meta`]) and on error ([`Error::reference`]). When the answer is
//! lost, the client looks the transaction up before it ever writes the request again, and if it still cannot
//! tell, it says so with [`ErrorKind::OutcomeUnknown`] — never "failed". `reconcile(reference)` settles it
//! later.
//!
//! ## Errors
//!
//! One [`Error`] type; branch on [`Error::kind`]. Invalid input is rejected before any network call with the
//! field named. Credentials never appear in `Debug`, `Display`, logs or errors.
//!
//! Diagnostics go through the `log` crate, target `clickairtime`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod coalesce;
pub mod config;
mod decode;
pub mod error;
pub mod journal;
pub mod money;
pub mod phone;
mod polling;
#[cfg(test)]
mod proptests;
pub mod response;
mod secret;
mod sendproto;
mod transport;
pub mod v1;
pub mod v2;

pub use config::ClientBuilder;
pub use decode::Timestamp;
pub use error::{Error, ErrorKind, Result};
pub use polling::WaitOptions;
pub use journal::{Journal, JournalEntry, Recovery, SendState};
pub use response::{Meta, Pagination, RateLimit, Response, SendOrigin};
pub use secret::Secret;
pub use v2::webhooks;
