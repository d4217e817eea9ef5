//! Fixed catalog data: networks, bundles, V1 services and products.

use crate::util::{num, round2};
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// A mobile network of the sandbox catalog.
pub(crate) struct Network {
    pub id: u32,
    pub name: &'static str,
    pub provider_name: &'static str,
    pub country: &'static str,
    pub country_code: &'static str,
    pub dial_code: &'static str,
    pub currency: &'static str,
    /// E.164 prefixes (with `+`).
    pub prefixes: &'static [&'static str],
    /// Local units per USD, as a decimal string.
    pub rate: &'static str,
    /// Position in the table (bundle ids are `(index + 1) * 100 + 1` and `+ 2`).
    pub index: u32,
    /// Local value of the fixed airtime bundle / V1 fixed product.
    pub fixed_local: u32,
}

pub(crate) static NETWORKS: &[Network] = &[
    Network {
        id: 42,
        name: "MTN Ghana",
        provider_name: "MTN_Ghana",
        country: "Ghana",
        country_code: "GH",
        dial_code: "233",
        currency: "GHS",
        prefixes: &["+23324", "+23354", "+23355", "+23359"],
        rate: "12.35",
        index: 0,
        fixed_local: 10,
    },
    Network {
        id: 23,
        name: "Vodafone Ghana",
        provider_name: "Vodafone_Ghana",
        country: "Ghana",
        country_code: "GH",
        dial_code: "233",
        currency: "GHS",
        prefixes: &["+23320", "+23350"],
        rate: "12.35",
        index: 1,
        fixed_local: 10,
    },
    Network {
        id: 24,
        name: "AirtelTigo Ghana",
        provider_name: "AirtelTigo_Ghana",
        country: "Ghana",
        country_code: "GH",
        dial_code: "233",
        currency: "GHS",
        prefixes: &["+23326", "+23356", "+23327", "+23357"],
        rate: "12.35",
        index: 2,
        fixed_local: 10,
    },
    Network {
        id: 61,
        name: "MTN Nigeria",
        provider_name: "MTN_Nigeria",
        country: "Nigeria",
        country_code: "NG",
        dial_code: "234",
        currency: "NGN",
        prefixes: &["+234803", "+234806", "+234703"],
        rate: "1550.00",
        index: 3,
        fixed_local: 1000,
    },
    Network {
        id: 71,
        name: "Safaricom",
        provider_name: "Safaricom",
        country: "Kenya",
        country_code: "KE",
        dial_code: "254",
        currency: "KES",
        prefixes: &["+254722", "+254712", "+254700"],
        rate: "129.50",
        index: 4,
        fixed_local: 100,
    },
    Network {
        id: 81,
        name: "Airtel Malawi",
        provider_name: "Airtel_Malawi",
        country: "Malawi",
        country_code: "MW",
        dial_code: "265",
        currency: "MWK",
        prefixes: &["+26599"],
        rate: "1729.05",
        index: 5,
        fixed_local: 1000,
    },
    Network {
        id: 91,
        name: "NetOne",
        provider_name: "NetOne",
        country: "Zimbabwe",
        country_code: "ZW",
        dial_code: "263",
        currency: "ZWL",
        prefixes: &["+26371"],
        rate: "1729.05",
        index: 6,
        fixed_local: 1000,
    },
];

/// Minimum custom airtime amount (local units).
pub(crate) const MIN_LOCAL: i64 = 1;
/// Maximum custom airtime amount (local units).
pub(crate) const MAX_LOCAL: i64 = 5000;

impl Network {
    /// Local units per USD.
    pub fn rate(&self) -> Decimal {
        self.rate.parse().unwrap_or(Decimal::ONE)
    }

    /// USD cost of `local` units, 2 dp, half up.
    pub fn usd_cost(&self, local: Decimal) -> Decimal {
        round2(local / self.rate())
    }

    /// `{id, name, country, country_code}` as in top-up objects.
    pub fn short_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "country_code": self.country_code,
        })
    }

    /// `{id, name, country, country_code, currency}` as in lookups.
    pub fn with_currency_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "country_code": self.country_code,
            "currency": self.currency,
        })
    }

    /// Entry of `GET /v2/catalog/networks`.
    pub fn list_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "country_code": self.country_code,
            "currency": self.currency,
            "logo_url": null,
            "product_count": self.bundles().len() + 1,
            "supports_custom_airtime": true,
        })
    }

    /// The two fixed bundles of this network.
    pub fn bundles(&self) -> Vec<Bundle> {
        let base = (self.index + 1) * 100;
        let local = Decimal::from(self.fixed_local);
        vec![
            Bundle {
                id: base + 1,
                name: "500MB Data - 30 Days".to_string(),
                kind: "DATA",
                price_usd: Decimal::new(250, 2),
                local_value: "500MB Data - 30 Days".to_string(),
                local_amount: None,
            },
            Bundle {
                id: base + 2,
                name: format!("{} {} Airtime", self.currency, self.fixed_local),
                kind: "AIRTIME",
                price_usd: self.usd_cost(local),
                local_value: format!("{} {}", self.fixed_local, self.currency),
                local_amount: Some(local),
            },
        ]
    }

    /// `{network, exchange_rate, products}` of `GET /v2/catalog/products` and lookups.
    pub fn products_json(&self) -> Value {
        let bundles: Vec<Value> = self
            .bundles()
            .iter()
            .map(|b| b.to_json(self.currency))
            .collect();
        json!({
            "network": self.with_currency_json(),
            "exchange_rate": {
                "source_currency": "USD",
                "destination_currency": self.currency,
                "rate": num(self.rate()),
            },
            "products": {
                "custom_airtime": {
                    "available": true,
                    "min_amount_local": MIN_LOCAL,
                    "max_amount_local": MAX_LOCAL,
                    "local_currency": self.currency,
                },
                "fixed_bundles": bundles,
            }
        })
    }

    /// V1 account id (UUID-shaped, deterministic) of the service for this network.
    pub fn v1_account_id(&self) -> String {
        format!("00000000-0000-4000-8000-{:012}", self.id)
    }

    /// V1 products: OPEN (`id*100+1`) and FIXED (`id*100+2`).
    pub fn v1_products(&self) -> Vec<V1Product> {
        vec![
            V1Product {
                id: self.id * 100 + 1,
                service_id: self.id,
                name: format!("{} Airtime", self.name),
                fixed: None,
            },
            V1Product {
                id: self.id * 100 + 2,
                service_id: self.id,
                name: format!(
                    "{} {} {} Airtime",
                    self.name, self.fixed_local, self.currency
                ),
                fixed: Some(Decimal::from(self.fixed_local)),
            },
        ]
    }
}

/// A fixed V2 bundle.
pub(crate) struct Bundle {
    pub id: u32,
    pub name: String,
    pub kind: &'static str,
    pub price_usd: Decimal,
    pub local_value: String,
    /// Local amount delivered (AIRTIME bundles only).
    pub local_amount: Option<Decimal>,
}

impl Bundle {
    fn to_json(&self, currency: &str) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "type": self.kind,
            "price_usd": num(self.price_usd),
            "local_value": self.local_value,
            "local_amount": self.local_amount.map(num),
            "local_currency": currency,
        })
    }
}

/// A V1 product.
pub(crate) struct V1Product {
    pub id: u32,
    pub service_id: u32,
    pub name: String,
    /// Fixed amount (FIXED_PRODUCT) or `None` (OPEN_PRODUCT).
    pub fixed: Option<Decimal>,
}

impl V1Product {
    /// JSON form used by `/adp/products`.
    pub fn to_json(&self, net: &Network) -> Value {
        json!({
            "productId": self.id,
            "serviceId": self.service_id,
            "name": self.name,
            "type": if self.fixed.is_some() { "FIXED_PRODUCT" } else { "OPEN_PRODUCT" },
            "currency": net.currency,
            "amount": self.fixed.map(num),
            "minAmount": if self.fixed.is_some() { Value::Null } else { json!(MIN_LOCAL) },
            "maxAmount": if self.fixed.is_some() { Value::Null } else { json!(MAX_LOCAL) },
        })
    }
}

/// Network by id.
pub(crate) fn network(id: u32) -> Option<&'static Network> {
    NETWORKS.iter().find(|n| n.id == id)
}

/// Network whose prefix matches an E.164 number (longest prefix wins).
pub(crate) fn network_for_phone(e164: &str) -> Option<&'static Network> {
    NETWORKS
        .iter()
        .filter_map(|n| {
            n.prefixes
                .iter()
                .filter(|p| e164.starts_with(**p))
                .map(|p| p.len())
                .max()
                .map(|len| (len, n))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, n)| n)
}

/// V1 product by id.
pub(crate) fn v1_product(id: u64) -> Option<(&'static Network, V1Product)> {
    let service = u32::try_from(id / 100).ok()?;
    let net = network(service)?;
    net.v1_products()
        .into_iter()
        .find(|p| u64::from(p.id) == id)
        .map(|p| (net, p))
}

/// Whether `s` is an E.164 number: `+`, a non-zero digit, 7 to 14 more digits.
pub(crate) fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// `GET /v2/catalog/countries` entries.
pub(crate) fn countries_json() -> Value {
    let mut out: Vec<Value> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for n in NETWORKS {
        if seen.contains(&n.country_code) {
            continue;
        }
        seen.push(n.country_code);
        let nets: Vec<Value> = NETWORKS
            .iter()
            .filter(|m| m.country_code == n.country_code)
            .map(|m| m.list_json())
            .collect();
        out.push(json!({
            "country_code": n.country_code,
            "name": n.country,
            "currency": n.currency,
            "dial_code": format!("+{}", n.dial_code),
            "networks": nets,
        }));
    }
    Value::Array(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_resolve() {
        assert_eq!(network_for_phone("+233555000001").map(|n| n.id), Some(42));
        assert_eq!(network_for_phone("+2348031234567").map(|n| n.id), Some(61));
        assert_eq!(network_for_phone("+447911123456").map(|n| n.id), None);
        assert!(is_e164("+233541112259"));
        assert!(!is_e164("233541112259"));
        assert!(!is_e164("+233"));
    }

    #[test]
    fn bundle_ids() {
        let ids: Vec<u32> = network(42)
            .unwrap()
            .bundles()
            .iter()
            .map(|b| b.id)
            .collect();
        assert_eq!(ids, vec![101, 102]);
        assert_eq!(v1_product(4202).unwrap().1.fixed, Some(Decimal::from(10)));
    }
}
