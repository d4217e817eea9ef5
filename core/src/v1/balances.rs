//! `GET /adp/balances` and `GET /adp/balances/:account_id`.

use super::Client;
use crate::decode::{decimal, opt_string_or_number};
use crate::error::{Error, ErrorKind, Result};
use crate::money::Decimal;
use crate::response::Response;
use serde::{Deserialize, Serialize};

/// Balance of one airtime service account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountBalance {
    /// Account id.
    #[serde(
        default,
        alias = "accountId",
        alias = "id",
        alias = "account_id",
        deserialize_with = "opt_string_or_number"
    )]
    pub account_id: Option<String>,
    /// Service name.
    #[serde(default, alias = "serviceName")]
    pub service_name: Option<String>,
    /// Country of the service.
    #[serde(default, alias = "serviceCountry")]
    pub service_country: Option<String>,
    /// Balance.
    #[serde(deserialize_with = "decimal")]
    pub balance: Decimal,
    /// Currency, when sent.
    #[serde(default)]
    pub currency: Option<String>,
}

impl Client {
    /// Balances of every service account.
    pub fn balances(&self) -> Result<Response<Vec<AccountBalance>>> {
        self.get("/adp/balances", &[])
    }

    /// Balance of one account (object or one-element list accepted).
    pub fn balance(&self, account_id: &str) -> Result<Response<AccountBalance>> {
        crate::v2::check_path_id("account_id", account_id)?;
        let r: Response<serde_json::Value> =
            self.get(&format!("/adp/balances/{account_id}"), &[])?;
        let Response { data, meta } = r;
        let item = match &data {
            serde_json::Value::Array(a) => a.first().cloned(),
            v => Some(v.clone()),
        };
        let bad = |m: String| {
            Error::new(ErrorKind::UnexpectedResponse, m)
                .with_status(meta.http_status)
                .with_body(data.to_string().as_bytes())
        };
        let item = item.ok_or_else(|| bad("answer has no balance".into()))?;
        let b = serde_json::from_value(item)
            .map_err(|e| bad(format!("balance is not the documented json: {e}")))?;
        Ok(Response { data: b, meta })
    }
}
