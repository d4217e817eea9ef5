//! `GET /v2/catalog/lookup`, `/v2/catalog/countries`, `/v2/catalog/networks`, `/v2/catalog/products`.

use super::Client;
use crate::decode::{open_enum, opt_decimal, opt_string_or_number};
use crate::error::{Error, Result};
use crate::money::Decimal;
use crate::phone::validate_e164;
use crate::response::Response;
use serde::{Deserialize, Serialize};

/// A mobile network operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Network {
    /// Network id, used by products and top-ups. Example data differs between doc pages: never hard-code.
    pub id: i64,
    /// Operator name, e.g. "MTN Ghana".
    #[serde(default)]
    pub name: String,
    /// Country name.
    #[serde(default)]
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(default)]
    pub country_code: Option<String>,
    /// ISO 4217 local currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Logo URL (null in every documented example).
    #[serde(default)]
    pub logo_url: Option<String>,
    /// Number of products.
    #[serde(default)]
    pub product_count: Option<i64>,
    /// Whether free-amount airtime can be sent.
    #[serde(default)]
    pub supports_custom_airtime: Option<bool>,
}

/// Exchange rate between the wallet (USD) and the local currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExchangeRate {
    /// Usually "USD".
    #[serde(default)]
    pub source_currency: Option<String>,
    /// The local currency.
    #[serde(default)]
    pub destination_currency: Option<String>,
    /// Local units per source unit.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub rate: Option<Decimal>,
}

/// Free-amount airtime limits of a network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomAirtime {
    /// Whether custom amounts are possible.
    #[serde(default)]
    pub available: bool,
    /// Smallest `amount.value`, local currency.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub min_amount_local: Option<Decimal>,
    /// Largest `amount.value`, local currency.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub max_amount_local: Option<Decimal>,
    /// The local currency.
    #[serde(default)]
    pub local_currency: Option<String>,
}

open_enum! {
    /// Kind of a fixed bundle.
    pub enum BundleType {
        /// Mobile data.
        Data => "DATA",
        /// Fixed airtime.
        Airtime => "AIRTIME",
        /// Voice minutes.
        Voice => "VOICE",
        /// SMS bundle.
        Sms => "SMS",
        /// Combined bundle.
        Combo => "COMBO",
    }
}

/// A fixed bundle (data, airtime …) with a price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    /// Product id: an integer in the catalog, a string in the top-up body; kept as text.
    #[serde(deserialize_with = "req_string_or_number")]
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Bundle kind.
    #[serde(alias = "type", default = "unknown_bundle")]
    pub bundle_type: BundleType,
    /// Price in USD.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub price_usd: Option<Decimal>,
    /// Local description of the value (a text, not a number).
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub local_value: Option<String>,
    /// Local price, when the API sends one.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub local_amount: Option<Decimal>,
    /// Local currency, when the API sends one.
    #[serde(default)]
    pub local_currency: Option<String>,
}

fn unknown_bundle() -> BundleType {
    BundleType::Unknown(String::new())
}

fn req_string_or_number<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<String, D::Error> {
    opt_string_or_number(d)?.ok_or_else(|| serde::de::Error::custom("missing id"))
}

/// Products of a network.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Products {
    /// Free-amount airtime, if offered.
    #[serde(default)]
    pub custom_airtime: Option<CustomAirtime>,
    /// Fixed bundles.
    #[serde(default)]
    pub fixed_bundles: Vec<Bundle>,
}

/// Answer of a lookup or a products query: the network, its rate and its products.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The number looked up (absent when looked up by network only).
    #[serde(default)]
    pub phone_number: Option<String>,
    /// The network.
    pub network: Network,
    /// Exchange rate.
    #[serde(default)]
    pub exchange_rate: Option<ExchangeRate>,
    /// Products.
    #[serde(default)]
    pub products: Products,
}

/// A supported country (the endpoint is undocumented; decoded leniently).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    #[serde(default, alias = "code")]
    pub country_code: Option<String>,
    /// Country name.
    #[serde(default, alias = "country")]
    pub name: Option<String>,
    /// Local currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Networks of the country, if listed.
    #[serde(default)]
    pub networks: Vec<Network>,
}

/// Catalog operations; from [`Client::catalog`].
#[derive(Debug, Clone, Copy)]
pub struct CatalogApi<'a> {
    pub(super) c: &'a Client,
}

impl CatalogApi<'_> {
    /// Find the network of a number (HLR lookup) and its products. Give a phone number (E.164), a network id
    /// (skips the HLR lookup, e.g. for ported numbers), or both.
    pub fn lookup(
        &self,
        phone_number: Option<&str>,
        network_id: Option<i64>,
    ) -> Result<Response<Catalog>> {
        let mut q = Vec::new();
        if let Some(p) = phone_number {
            // as people type it ("+233 54 111 2259"), sent as E.164
            let e164 = crate::phone::normalize("phone_number", p, None, false).or_else(|e| {
                // a number libphonenumber does not know may still be one the API knows: ask it
                validate_e164("phone_number", p)
                    .map(|()| p.to_owned())
                    .map_err(|_| e)
            })?;
            q.push(("phone_number", e164));
        }
        if let Some(n) = network_id {
            check_network_id(n)?;
            q.push(("network_id", n.to_string()));
        }
        if q.is_empty() {
            return Err(Error::invalid(
                "phone_number",
                "give a phone number or a network id",
            ));
        }
        self.c.get("/v2/catalog/lookup", &q)
    }

    /// Supported countries.
    pub fn countries(&self) -> Result<Response<Vec<Country>>> {
        self.c.get("/v2/catalog/countries", &[])
    }

    /// Networks, optionally of one country (ISO 3166-1 alpha-2, e.g. "GH").
    pub fn networks(&self, country_code: Option<&str>) -> Result<Response<Vec<Network>>> {
        let mut q = Vec::new();
        if let Some(cc) = country_code {
            if cc.len() != 2 || !cc.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(Error::invalid(
                    "country_code",
                    format!("{cc:?} must be a 2-letter ISO 3166-1 code (e.g. GH)"),
                ));
            }
            q.push(("country_code", cc.to_ascii_uppercase()));
        }
        self.c.get("/v2/catalog/networks", &q)
    }

    /// Full catalog of one network.
    pub fn products(&self, network_id: i64) -> Result<Response<Catalog>> {
        check_network_id(network_id)?;
        self.c.get(
            "/v2/catalog/products",
            &[("network_id", network_id.to_string())],
        )
    }
}

pub(crate) fn check_network_id(id: i64) -> Result<()> {
    if id <= 0 {
        return Err(Error::invalid(
            "network_id",
            format!("must be a positive integer (got {id})"),
        ));
    }
    Ok(())
}
