//! `V1Client.productCatalog` / `products` / `product` (core `v1::products`).

use super::V1Client;
use crate::args::arg;
use crate::types::*;
use crate::{promise, sync};
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

#[napi]
impl V1Client {
    /// The product catalog: one service per network.
    #[napi(
        ts_args_type = "call?: CallOptions",
        ts_return_type = "Promise<ServiceListResponse>"
    )]
    pub fn product_catalog<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, ServiceListResponse>(c.product_catalog())?)
        })
    }
    /// Blocking twin of `productCatalog`.
    #[napi(ts_return_type = "ServiceListResponse")]
    pub fn product_catalog_sync(&self, env: Env) -> Result<ServiceListResponse> {
        sync(&env, || Ok(conv(self.c.product_catalog())?))
    }

    /// Products of one service.
    #[napi(
        ts_args_type = "serviceId: number, call?: CallOptions",
        ts_return_type = "Promise<ProductListResponse>"
    )]
    pub fn products<'e>(&self, env: &'e Env, service_id: Unknown) -> Result<Object<'e>> {
        let id: i64 = sync(env, || arg(service_id, "serviceId"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, ProductListResponse>(c.products(id))?)
        })
    }
    /// Blocking twin of `products`.
    #[napi(
        ts_args_type = "serviceId: number",
        ts_return_type = "ProductListResponse"
    )]
    pub fn products_sync(&self, env: Env, service_id: Unknown) -> Result<ProductListResponse> {
        sync(&env, || {
            let id: i64 = arg(service_id, "serviceId")?;
            Ok(conv(self.c.products(id))?)
        })
    }

    /// One product by id.
    #[napi(
        ts_args_type = "productId: number, call?: CallOptions",
        ts_return_type = "Promise<ProductResponse>"
    )]
    pub fn product<'e>(&self, env: &'e Env, product_id: Unknown) -> Result<Object<'e>> {
        let id: i64 = sync(env, || arg(product_id, "productId"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, ProductResponse>(c.product(id))?)
        })
    }
    /// Blocking twin of `product`.
    #[napi(ts_args_type = "productId: number", ts_return_type = "ProductResponse")]
    pub fn product_sync(&self, env: Env, product_id: Unknown) -> Result<ProductResponse> {
        sync(&env, || {
            let id: i64 = arg(product_id, "productId")?;
            Ok(conv(self.c.product(id))?)
        })
    }
}
