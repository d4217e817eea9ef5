//! `GET /adp/product-catalog`, `GET /adp/products`, `GET /adp/products/:id`.

use super::Client;
use crate::decode::{open_enum, opt_decimal, opt_string_or_number};
use crate::error::{Error, Result};
use crate::money::Decimal;
use crate::response::Response;
use serde::{Deserialize, Serialize};

/// A service (provider) with products configured for the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Service id; input to [`Client::products`].
    #[serde(alias = "serviceId")]
    pub service_id: i64,
    /// Operator, underscore-joined (`MTN_Ghana`).
    #[serde(alias = "providerName", default)]
    pub provider_name: String,
}

open_enum! {
    /// V1 product type.
    pub enum ProductType {
        /// Fixed amount: any `amount` sent is ignored.
        Fixed => "FIXED_PRODUCT",
        /// Open amount: `amount` is required.
        Open => "OPEN_PRODUCT",
    }
}

/// A V1 product (the answer's shape is only partly documented; decoded leniently).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// Product id (the `productId` of a send).
    #[serde(alias = "productId")]
    pub id: i64,
    /// Name.
    #[serde(default, alias = "productName")]
    pub name: Option<String>,
    /// FIXED_PRODUCT or OPEN_PRODUCT.
    #[serde(default, alias = "type", alias = "productType")]
    pub product_type: Option<ProductType>,
    /// Fixed amount, if any.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub amount: Option<Decimal>,
    /// Currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Service it belongs to.
    #[serde(
        default,
        alias = "serviceId",
        deserialize_with = "opt_string_or_number"
    )]
    pub service_id: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
}

impl Client {
    /// Services that have products for this account.
    pub fn product_catalog(&self) -> Result<Response<Vec<Service>>> {
        self.get("/adp/product-catalog", &[])
    }

    /// Products of one service.
    pub fn products(&self, service_id: i64) -> Result<Response<Vec<Product>>> {
        if service_id <= 0 {
            return Err(Error::invalid("service_id", "must be a positive integer"));
        }
        self.get("/adp/products", &[("serviceId", service_id.to_string())])
    }

    /// One product.
    pub fn product(&self, product_id: i64) -> Result<Response<Product>> {
        if product_id <= 0 {
            return Err(Error::invalid("product_id", "must be a positive integer"));
        }
        self.get(&format!("/adp/products/{product_id}"), &[])
    }
}
