//! Integration tests of the sandbox over real HTTP (one test binary).

mod common;
mod faults;
mod hostile;
mod modes;
mod robustness;
mod stats;
mod v1;
mod v2;
mod v2_catalog;
mod v2_queries;
mod webhooks;
