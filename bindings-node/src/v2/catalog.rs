//! `client.catalog` (core `v2::catalog`): phone lookup, countries, networks, products.

use crate::args::{ArgResult, Call, arg, top};
use crate::options::LookupOptions;
use crate::types::*;
use crate::{promise, sync};
use clickairtime::v2::Client;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// `client.catalog`: phone lookup, countries, networks, products.
#[napi]
pub struct V2Catalog {
    pub(super) c: Client,
}

fn country(v: Unknown) -> ArgResult<Option<String>> {
    arg(v, "countryCode")
}

#[napi]
impl V2Catalog {
    /// Find the network of a number (HLR lookup) and its products. The number may be formatted
    /// (`'+233 24 123 4567'`); a national one needs `toE164(number, country)` first.
    #[napi(
        ts_args_type = "options: LookupOptions, call?: CallOptions",
        ts_return_type = "Promise<CatalogResponse>"
    )]
    pub fn lookup<'e>(&self, env: &'e Env, options: Unknown) -> Result<Object<'e>> {
        let call = Call::cancellable(
            "client.catalog.lookup",
            "client.catalog.lookup(options, { signal })",
        );
        let o: LookupOptions = sync(env, || top(options, "options", call))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, CatalogResponse>(
                c.catalog().lookup(o.phone_number.as_deref(), o.network_id),
            )?)
        })
    }
    /// Blocking twin of `lookup`.
    #[napi(ts_args_type = "options: LookupOptions")]
    pub fn lookup_sync(&self, env: Env, options: Unknown) -> Result<CatalogResponse> {
        sync(&env, || {
            let call = Call::blocking(
                "client.catalog.lookupSync",
                "client.catalog.lookup(options, { signal })",
            );
            let o: LookupOptions = top(options, "options", call)?;
            Ok(conv(
                self.c
                    .catalog()
                    .lookup(o.phone_number.as_deref(), o.network_id),
            )?)
        })
    }

    /// Supported countries.
    #[napi(
        ts_args_type = "call?: CallOptions",
        ts_return_type = "Promise<CountryListResponse>"
    )]
    pub fn countries<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, CountryListResponse>(c.catalog().countries())?)
        })
    }
    /// Blocking twin of `countries`.
    #[napi(ts_return_type = "CountryListResponse")]
    pub fn countries_sync(&self, env: Env) -> Result<CountryListResponse> {
        sync(&env, || Ok(conv(self.c.catalog().countries())?))
    }

    /// Networks, optionally of one country (ISO 3166-1 alpha-2, e.g. "GH").
    #[napi(
        ts_args_type = "countryCode?: string, call?: CallOptions",
        ts_return_type = "Promise<NetworkListResponse>"
    )]
    pub fn networks<'e>(&self, env: &'e Env, country_code: Unknown) -> Result<Object<'e>> {
        let cc = sync(env, || country(country_code))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, NetworkListResponse>(
                c.catalog().networks(cc.as_deref()),
            )?)
        })
    }
    /// Blocking twin of `networks`.
    #[napi(
        ts_args_type = "countryCode?: string",
        ts_return_type = "NetworkListResponse"
    )]
    pub fn networks_sync(&self, env: Env, country_code: Unknown) -> Result<NetworkListResponse> {
        sync(&env, || {
            let cc = country(country_code)?;
            Ok(conv(self.c.catalog().networks(cc.as_deref()))?)
        })
    }

    /// Full catalog of one network.
    #[napi(
        ts_args_type = "networkId: number, call?: CallOptions",
        ts_return_type = "Promise<CatalogResponse>"
    )]
    pub fn products<'e>(&self, env: &'e Env, network_id: Unknown) -> Result<Object<'e>> {
        let id: i64 = sync(env, || arg(network_id, "networkId"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, CatalogResponse>(c.catalog().products(id))?)
        })
    }
    /// Blocking twin of `products`.
    #[napi(ts_args_type = "networkId: number", ts_return_type = "CatalogResponse")]
    pub fn products_sync(&self, env: Env, network_id: Unknown) -> Result<CatalogResponse> {
        sync(&env, || {
            let id: i64 = arg(network_id, "networkId")?;
            Ok(conv(self.c.catalog().products(id))?)
        })
    }
}
