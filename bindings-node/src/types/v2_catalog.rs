//! V2 catalog records (`client.catalog`): networks, products, countries.

use super::dec;
use clickairtime::v2 as c2;
use napi_derive::napi;

/// A mobile network operator.
#[napi(object)]
pub struct Network {
    /// Network id, used by products and top-ups.
    pub id: i64,
    /// Operator name, e.g. "MTN Ghana".
    pub name: String,
    /// Country name.
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country_code: Option<String>,
    /// ISO 4217 local currency.
    pub currency: Option<String>,
    /// Logo URL.
    pub logo_url: Option<String>,
    /// Number of products.
    pub product_count: Option<i64>,
    /// Whether free-amount airtime can be sent.
    pub supports_custom_airtime: Option<bool>,
}

impl From<c2::Network> for Network {
    fn from(n: c2::Network) -> Self {
        Network {
            id: n.id,
            name: n.name,
            country: n.country,
            country_code: n.country_code,
            currency: n.currency,
            logo_url: n.logo_url,
            product_count: n.product_count,
            supports_custom_airtime: n.supports_custom_airtime,
        }
    }
}

/// Exchange rate between the wallet (USD) and the local currency.
#[napi(object)]
pub struct ExchangeRate {
    /// Usually "USD".
    pub source_currency: Option<String>,
    /// The local currency.
    pub destination_currency: Option<String>,
    /// Local units per source unit, exact decimal string.
    pub rate: Option<String>,
}

/// Free-amount airtime limits of a network.
#[napi(object)]
pub struct CustomAirtime {
    /// Whether custom amounts are possible.
    pub available: bool,
    /// Smallest amount, local currency, exact decimal string.
    pub min_amount_local: Option<String>,
    /// Largest amount, local currency, exact decimal string.
    pub max_amount_local: Option<String>,
    /// The local currency.
    pub local_currency: Option<String>,
}

/// A fixed bundle (data, airtime …) with a price.
#[napi(object)]
pub struct Bundle {
    /// Product id (an integer in the catalog; kept as text).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Bundle kind (`DATA`, `AIRTIME` …; the API's `type`).
    #[napi(ts_type = "BundleType")]
    pub bundle_type: String,
    /// Price in USD, exact decimal string.
    pub price_usd: Option<String>,
    /// Local description of the value.
    pub local_value: Option<String>,
    /// Local price, exact decimal string, when the API sends one.
    pub local_amount: Option<String>,
    /// Local currency, when the API sends one.
    pub local_currency: Option<String>,
}

/// Products of a network.
#[napi(object)]
pub struct Products {
    /// Free-amount airtime, if offered.
    pub custom_airtime: Option<CustomAirtime>,
    /// Fixed bundles.
    pub fixed_bundles: Vec<Bundle>,
}

/// Answer of a lookup or a products query: the network, its rate and its products.
#[napi(object)]
pub struct Catalog {
    /// The number looked up (absent when looked up by network only).
    pub phone_number: Option<String>,
    /// The network.
    pub network: Network,
    /// Exchange rate.
    pub exchange_rate: Option<ExchangeRate>,
    /// Products.
    pub products: Products,
}

impl From<c2::Catalog> for Catalog {
    fn from(c: c2::Catalog) -> Self {
        Catalog {
            phone_number: c.phone_number,
            network: c.network.into(),
            exchange_rate: c.exchange_rate.map(|r| ExchangeRate {
                source_currency: r.source_currency,
                destination_currency: r.destination_currency,
                rate: dec(r.rate),
            }),
            products: Products {
                custom_airtime: c.products.custom_airtime.map(|a| CustomAirtime {
                    available: a.available,
                    min_amount_local: dec(a.min_amount_local),
                    max_amount_local: dec(a.max_amount_local),
                    local_currency: a.local_currency,
                }),
                fixed_bundles: c
                    .products
                    .fixed_bundles
                    .into_iter()
                    .map(|b| Bundle {
                        id: b.id,
                        name: b.name,
                        bundle_type: b.bundle_type.as_str().to_owned(),
                        price_usd: dec(b.price_usd),
                        local_value: b.local_value,
                        local_amount: dec(b.local_amount),
                        local_currency: b.local_currency,
                    })
                    .collect(),
            },
        }
    }
}

/// A supported country.
#[napi(object)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub country_code: Option<String>,
    /// Country name.
    pub name: Option<String>,
    /// Local currency.
    pub currency: Option<String>,
    /// Networks of the country, if listed.
    pub networks: Vec<Network>,
}

impl From<c2::Country> for Country {
    fn from(c: c2::Country) -> Self {
        Country {
            country_code: c.country_code,
            name: c.name,
            currency: c.currency,
            networks: c.networks.into_iter().map(Into::into).collect(),
        }
    }
}
