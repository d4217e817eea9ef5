//! Plain JS objects returned by every call: the core's models in camelCase, named as `docs/shapes.json`'s
//! `node` column says. A call returns the record itself (or an array of records) with its `meta` attached
//! ([`WithMeta`]), as the core's `Response<T>` derefs to `T`. Amounts are exact decimal strings (`"50.00"`),
//! never JS numbers; enums from the server are open strings (typed as unions plus `string` in the header of
//! `index.d.ts`). Pure conversion, no rules: `isTerminal` / `isSuccess` are the core's verdicts.

mod journal;
mod meta;
mod v1_balances;
mod v1_products;
mod v1_transactions;
mod v2_balance;
mod v2_catalog;
mod v2_topups;
mod v2_webhooks;

pub use journal::*;
pub use meta::*;
pub use v1_balances::*;
pub use v1_products::*;
pub use v1_transactions::*;
pub use v2_balance::*;
pub use v2_catalog::*;
pub use v2_topups::*;
pub use v2_webhooks::*;

use clickairtime::{v1 as c1, v2 as c2};
use napi::bindgen_prelude::*;

/// An exact decimal as its string (`"12.50"`).
fn dec(d: Option<clickairtime::money::Decimal>) -> Option<String> {
    d.map(|d| d.to_string())
}

// ---------------------------------------------------------------- responses

/// A result: the record (or the array of records) itself, with the answer's `meta` attached as a property
/// (`topup.meta.requestId`, `list.meta.pagination`), not enumerable: `JSON.stringify`, spreads and deep
/// equality see the record alone. In TypeScript: `TopUpResponse = TopUp & { meta: Meta }`.
pub struct WithMeta<T> {
    /// The record(s).
    pub data: T,
    /// Request id, rate limits, pagination, the handles of a send.
    pub meta: Meta,
}

impl<T: ToNapiValue> ToNapiValue for WithMeta<T> {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let value = unsafe { T::to_napi_value(env, val.data) }?;
        let meta = unsafe { Meta::to_napi_value(env, val.meta) }?;
        // not enumerable: the record stays the record for JSON.stringify, spreads and deep equality
        let prop = sys::napi_property_descriptor {
            utf8name: c"meta".as_ptr(),
            name: std::ptr::null_mut(),
            method: None,
            getter: None,
            setter: None,
            value: meta,
            attributes: sys::PropertyAttributes::writable | sys::PropertyAttributes::configurable,
            data: std::ptr::null_mut(),
        };
        let status = unsafe { sys::napi_define_properties(env, value, 1, &prop) };
        if status != sys::Status::napi_ok {
            return Err(Error::new(
                Status::GenericFailure,
                "cannot attach meta to a result",
            ));
        }
        Ok(value)
    }
}

impl<T> TypeName for WithMeta<T> {
    fn type_name() -> &'static str {
        "object"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

/// One top-up with `meta`.
pub type TopUpResponse = WithMeta<TopUp>;
/// A page of top-ups (an array) with `meta` (`meta.pagination`).
pub type TopUpListResponse = WithMeta<Vec<TopUp>>;
/// A catalog lookup with `meta`.
pub type CatalogResponse = WithMeta<Catalog>;
/// Countries with `meta`.
pub type CountryListResponse = WithMeta<Vec<Country>>;
/// Networks with `meta`.
pub type NetworkListResponse = WithMeta<Vec<Network>>;
/// Balances with `meta`.
pub type BalanceResponse = WithMeta<Balance>;
/// One wallet with `meta`.
pub type WalletResponse = WithMeta<Wallet>;
/// One V1 transaction with `meta`.
pub type TransactionResponse = WithMeta<Transaction>;
/// V1 transactions with `meta`.
pub type TransactionListResponse = WithMeta<Vec<Transaction>>;
/// V1 services with `meta`.
pub type ServiceListResponse = WithMeta<Vec<Service>>;
/// V1 products with `meta`.
pub type ProductListResponse = WithMeta<Vec<Product>>;
/// One V1 product with `meta`.
pub type ProductResponse = WithMeta<Product>;
/// V1 balances with `meta`.
pub type AccountBalanceListResponse = WithMeta<Vec<AccountBalance>>;
/// One V1 balance with `meta`.
pub type AccountBalanceResponse = WithMeta<AccountBalance>;

/// Convert a core `Response<T>` into a result.
pub(crate) trait FromCore<T> {
    fn from_core(r: clickairtime::Response<T>) -> Self;
}

macro_rules! one {
    ($js:ty, $core:ty) => {
        impl FromCore<$core> for WithMeta<$js> {
            fn from_core(r: clickairtime::Response<$core>) -> Self {
                WithMeta {
                    data: r.data.into(),
                    meta: r.meta.into(),
                }
            }
        }
    };
}
macro_rules! many {
    ($js:ty, $core:ty) => {
        impl FromCore<Vec<$core>> for WithMeta<Vec<$js>> {
            fn from_core(r: clickairtime::Response<Vec<$core>>) -> Self {
                WithMeta {
                    data: r.data.into_iter().map(Into::into).collect(),
                    meta: r.meta.into(),
                }
            }
        }
    };
}
one!(TopUp, c2::TopUp);
many!(TopUp, c2::TopUp);
one!(Catalog, c2::Catalog);
many!(Country, c2::Country);
many!(Network, c2::Network);
one!(Balance, c2::Balance);
one!(Wallet, c2::Wallet);
one!(Transaction, c1::Transaction);
many!(Transaction, c1::Transaction);
many!(Service, c1::Service);
many!(Product, c1::Product);
one!(Product, c1::Product);
many!(AccountBalance, c1::AccountBalance);
one!(AccountBalance, c1::AccountBalance);

/// `core::Result<Response<T>>` → `core::Result<R>`.
pub(crate) fn conv<T, R: FromCore<T>>(
    r: clickairtime::Result<clickairtime::Response<T>>,
) -> clickairtime::Result<R> {
    r.map(R::from_core)
}

/// `core::Result<Option<Response<T>>>` → `core::Result<Option<R>>`.
pub(crate) fn conv_opt<T, R: FromCore<T>>(
    r: clickairtime::Result<Option<clickairtime::Response<T>>>,
) -> clickairtime::Result<Option<R>> {
    r.map(|o| o.map(R::from_core))
}
