//! # libclickairtime — the C ABI of the clickairtime SDK
//!
//! Thin: every rule (validation, retries, money safety, polling, signatures) lives in the Rust core; this
//! crate converts C types to Rust and back, and errors to `ca_result` codes. The header
//! `include/clickairtime.h` is generated from this crate by cbindgen (pinned 0.29.4) and committed.
//!
//! Conventions, repeated in the header:
//! - prefix `ca_`; opaque handles created by `*_new`/`*_start`/operations and released by NULL-safe
//!   `*_free`;
//! - every fallible function returns a `ca_result` and takes `ca_error **error_out` last (may be NULL): on
//!   failure a new `ca_error` is stored there (caller frees); outputs (`*_out`) are written only on success;
//! - string arguments are NUL-terminated UTF-8, checked (`CA_ERR_NULL_ARGUMENT`, `CA_ERR_INVALID_UTF8`)
//!   before anything else happens; returned `const char *` are owned by the handle they come from; returned
//!   `char *` are owned by the caller (`ca_string_free`);
//! - no Rust panic crosses the boundary (`CA_ERR_PANIC`, or a neutral value for getters).
//!
//! All `unsafe` code is in `guard.rs`.
#![allow(non_camel_case_types)]
#![allow(clippy::not_unsafe_ptr_arg_deref)]
#![deny(unsafe_op_in_unsafe_fn)]

mod bulk;
mod cancel;
mod error;
mod fail;
#[cfg(test)]
mod fuzz_tests;
mod guard;
mod helpers;
mod journal;
mod meta;
mod models;
mod options;
mod result;
mod sandbox;
mod v1;
mod v2;
mod version;

pub use bulk::*;
pub use cancel::*;
pub use error::*;
pub use fail::*;
pub use helpers::*;
pub use journal::*;
pub use meta::*;
pub use models::v1::*;
pub use models::v2::*;
pub use options::*;
pub use result::*;
pub use sandbox::*;
pub use v1::*;
pub use v2::*;
