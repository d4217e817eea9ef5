//! The V2 API: one module per resource, mirroring core's `v2`, and the native client.

pub(crate) mod balance;
pub(crate) mod catalog;
pub(crate) mod client;
pub(crate) mod send;
pub(crate) mod topups;
pub(crate) mod webhooks;
