//! V2 wallet balances (`client.balance`).

use clickairtime::v2 as c2;
use napi_derive::napi;

/// One wallet.
#[napi(object)]
pub struct Wallet {
    /// Wallet id, e.g. `wal_ghs_001`.
    pub id: String,
    /// Wallet currency.
    pub currency: String,
    /// Balance in the wallet currency, exact decimal string.
    pub balance: String,
    /// Global or local (the API's `type`).
    #[napi(ts_type = "WalletType")]
    pub wallet_type: String,
    /// Active or inactive.
    #[napi(ts_type = "WalletStatus")]
    pub status: String,
    /// Country names this wallet pays for.
    pub allowed_countries: Vec<String>,
}

impl From<c2::Wallet> for Wallet {
    fn from(w: c2::Wallet) -> Self {
        Wallet {
            id: w.id,
            currency: w.currency,
            balance: w.balance.to_string(),
            wallet_type: w.wallet_type.as_str().to_owned(),
            status: w.status.as_str().to_owned(),
            allowed_countries: w.allowed_countries,
        }
    }
}

/// The total of all wallets.
#[napi(object)]
pub struct AvailableBalance {
    /// Exact decimal string.
    pub amount: String,
    /// ISO 4217 code (USD).
    pub currency: String,
}

/// All balances.
#[napi(object)]
pub struct Balance {
    /// Total across wallets, in USD.
    pub available_balance: Option<AvailableBalance>,
    /// Per-wallet breakdown.
    pub wallets: Vec<Wallet>,
}

impl From<c2::Balance> for Balance {
    fn from(b: c2::Balance) -> Self {
        Balance {
            available_balance: b.available_balance.map(|a| AvailableBalance {
                amount: a.amount.to_string(),
                currency: a.currency,
            }),
            wallets: b.wallets.into_iter().map(Into::into).collect(),
        }
    }
}
