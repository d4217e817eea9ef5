//! Result handles of the V2 API: top-ups, catalog, networks, countries, balances, webhook events.
//!
//! Every handle here is immutable once returned: any thread may call its getters. Strings returned by a
//! getter are owned by the handle (or by the list that owns the item) and stay valid until it is freed.
//! Amounts are exact decimal strings (`"50.00"`); the `_f64` twins are for display only (NaN when absent).

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
mod topups;

mod catalog;

mod balance;

mod webhooks;

mod shape;

pub use balance::*;
pub use catalog::*;
pub use shape::*;
pub use topups::*;
pub use webhooks::*;
