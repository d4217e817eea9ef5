//! V1 account balances.

use clickairtime::v1 as c1;
use napi_derive::napi;

/// A V1 account balance.
#[napi(object)]
pub struct AccountBalance {
    /// Account id.
    pub account_id: Option<String>,
    /// Service name.
    pub service_name: Option<String>,
    /// Country of the service.
    pub service_country: Option<String>,
    /// Balance, exact decimal string.
    pub balance: String,
    /// Currency.
    pub currency: Option<String>,
}

impl From<c1::AccountBalance> for AccountBalance {
    fn from(b: c1::AccountBalance) -> Self {
        AccountBalance {
            account_id: b.account_id,
            service_name: b.service_name,
            service_country: b.service_country,
            balance: b.balance.to_string(),
            currency: b.currency,
        }
    }
}
