//! `GET /v2/balance` and `GET /v2/balance/:wallet_id`.

use super::{Client, check_path_id};
use crate::decode::{decimal, open_enum};
use crate::error::{Error, ErrorKind, Result};
use crate::money::Decimal;
use crate::response::Response;
use serde::{Deserialize, Serialize};

open_enum! {
    /// Kind of wallet.
    pub enum WalletType {
        /// USD wallet that pays for any country.
        Global => "global",
        /// Wallet in one local currency, for the countries that use it.
        Local => "local",
    }
}

open_enum! {
    /// Whether a wallet can be used.
    pub enum WalletStatus {
        /// Usable.
        Active => "active",
        /// Not usable.
        Inactive => "inactive",
    }
}

/// One wallet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wallet {
    /// Wallet id, e.g. `wal_ghs_001`.
    pub id: String,
    /// Wallet currency.
    #[serde(default)]
    pub currency: String,
    /// Balance in the wallet currency.
    #[serde(deserialize_with = "decimal")]
    pub balance: Decimal,
    /// Global or local.
    #[serde(alias = "type", default = "unknown_type")]
    pub wallet_type: WalletType,
    /// Active or inactive.
    #[serde(default = "unknown_status")]
    pub status: WalletStatus,
    /// Country names this wallet pays for (`"All Countries"` for global wallets).
    #[serde(default)]
    pub allowed_countries: Vec<String>,
}

fn unknown_type() -> WalletType {
    WalletType::Unknown(String::new())
}
fn unknown_status() -> WalletStatus {
    WalletStatus::Unknown(String::new())
}

/// Total across wallets, in USD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailableBalance {
    /// Amount.
    #[serde(deserialize_with = "decimal")]
    pub amount: Decimal,
    /// Always "USD".
    #[serde(default)]
    pub currency: String,
}

/// All balances.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Balance {
    /// Total in USD.
    #[serde(default)]
    pub available_balance: Option<AvailableBalance>,
    /// Per-wallet breakdown.
    #[serde(default)]
    pub wallets: Vec<Wallet>,
}

/// Balance operations; from [`Client::balance`].
#[derive(Debug, Clone, Copy)]
pub struct BalanceApi<'a> {
    pub(super) c: &'a Client,
}

impl BalanceApi<'_> {
    /// Every wallet and the USD total.
    pub fn list(&self) -> Result<Response<Balance>> {
        self.c.get("/v2/balance", &[])
    }

    /// One wallet. The answer's shape is undocumented: a wallet object, `{"wallet": …}` and a
    /// `{"wallets": […]}` list are all accepted.
    pub fn get(&self, wallet_id: &str) -> Result<Response<Wallet>> {
        check_path_id("wallet_id", wallet_id)?;
        let r: Response<serde_json::Value> =
            self.c.get(&format!("/v2/balance/{wallet_id}"), &[])?;
        let Response { data, meta } = r;
        let candidate = if data.get("id").is_some() {
            Some(data.clone())
        } else if let Some(w) = data.get("wallet") {
            Some(w.clone())
        } else {
            data.get("wallets")
                .and_then(|ws| ws.as_array())
                .and_then(|ws| {
                    ws.iter()
                        .find(|w| w.get("id").and_then(|i| i.as_str()) == Some(wallet_id))
                        .cloned()
                })
        };
        let bad = |msg: String| {
            Error::new(ErrorKind::UnexpectedResponse, msg)
                .with_status(meta.http_status)
                .with_request_id(meta.request_id.clone())
                .with_body(data.to_string().as_bytes())
        };
        let Some(v) = candidate else {
            return Err(bad("answer has no wallet".into()));
        };
        let wallet = serde_json::from_value::<Wallet>(v)
            .map_err(|e| bad(format!("wallet is not the documented json: {e}")))?;
        Ok(Response { data: wallet, meta })
    }
}
