//! Integration tests of the `clickairtime` command: the cargo-built binary against in-process sandboxes.

mod bulk;
mod bulk_waits;
mod commands;
mod common;
mod fences;
mod lookups;
mod processes;
mod readme;
mod readme_run;
mod readme_sandbox;
mod tools;
