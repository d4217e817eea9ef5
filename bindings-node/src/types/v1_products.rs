//! V1 product catalog: services and products.

use super::dec;
use clickairtime::v1 as c1;
use napi_derive::napi;

/// A V1 service (one per network) of the product catalog.
#[napi(object)]
pub struct Service {
    /// Service id, used by `products(serviceId)`.
    pub service_id: i64,
    /// Provider name, e.g. `MTN_Ghana`.
    pub provider_name: String,
}

impl From<c1::Service> for Service {
    fn from(s: c1::Service) -> Self {
        Service {
            service_id: s.service_id,
            provider_name: s.provider_name,
        }
    }
}

/// A V1 product.
#[napi(object)]
pub struct Product {
    /// Product id, used as `productId` of a send.
    pub id: i64,
    /// Name.
    pub name: Option<String>,
    /// FIXED_PRODUCT or OPEN_PRODUCT (the API's `type`).
    #[napi(ts_type = "ProductType")]
    pub product_type: Option<String>,
    /// Amount of a fixed product, exact decimal string.
    pub amount: Option<String>,
    /// Currency.
    pub currency: Option<String>,
    /// Service the product belongs to.
    pub service_id: Option<String>,
    /// Description.
    pub description: Option<String>,
}

impl From<c1::Product> for Product {
    fn from(p: c1::Product) -> Self {
        Product {
            id: p.id,
            name: p.name,
            product_type: p.product_type.map(|t| t.as_str().to_owned()),
            amount: dec(p.amount),
            currency: p.currency,
            service_id: p.service_id,
            description: p.description,
        }
    }
}
