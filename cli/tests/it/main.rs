//! Integration tests of the `clickairtime` command: the cargo-built binary against in-process sandboxes.

mod bulk;
mod commands;
mod common;
mod lookups;
mod processes;
mod tools;
