//! Result handles: what the calls of `crate::v1` and `crate::v2` return, one module per API resource.

pub(crate) mod v1;
pub(crate) mod v2;
