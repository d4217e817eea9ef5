//! Result handles of the V1 API: transactions, products, services, balances.
//!
//! Immutable once returned (any thread may call the getters); strings are owned by the handle, or by the
//! list that owns the item, and valid until it is freed. Amounts are exact decimal strings, with `_f64`
//! twins for display only (NaN when absent).

use sdk::money::{Decimal, to_f64_lossy};

fn f64_of(d: Option<Decimal>) -> f64 {
    d.map_or(f64::NAN, to_f64_lossy)
}

/// `impl Cached` for a handle with a `cache: StrCache` field (`Cached` and `StrCache` in scope).
macro_rules! cached {
    ($t:ty) => {
        impl Cached for $t {
            fn cache(&self) -> &StrCache {
                &self.cache
            }
        }
    };
}

// Kept in this order, one per paragraph (rustfmt sorts a block of them): cbindgen writes the header's
// functions module by module, so this order is the header's order (scripts/test-c.sh checks it).
mod transactions;

mod products;

mod balances;

mod shape;

pub use balances::*;
pub use products::*;
pub use shape::*;
pub use transactions::*;
