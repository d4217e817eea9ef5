//! The V1 API: one module per resource, mirroring core's `v1`, and the native client.

pub(crate) mod balances;
pub(crate) mod client;
pub(crate) mod products;
pub(crate) mod topup;
pub(crate) mod transactions;
