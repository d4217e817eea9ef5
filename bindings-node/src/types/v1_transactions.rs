//! V1 transactions: the answer of a send and the records of a lookup.

use super::dec;
use clickairtime::v1 as c1;
use napi_derive::napi;

/// What the wallet was debited for a V1 transaction.
#[napi(object)]
pub struct TxWallet {
    /// Wallet currency.
    pub currency: Option<String>,
    /// Amount debited, exact decimal string.
    pub amount: Option<String>,
    /// FX rate applied (absent for same-currency), exact decimal string.
    pub fx_rate: Option<String>,
}

/// Provider references of a V1 transaction.
#[napi(object)]
pub struct Provider {
    /// Provider's transaction id.
    pub transaction_id: Option<String>,
    /// Provider's reference code.
    pub reference_code: Option<String>,
}

/// A V1 transaction: the answer of a send or one record of a lookup.
#[napi(object)]
pub struct Transaction {
    /// Click Airtime transaction id.
    pub transaction_id: Option<String>,
    /// State.
    #[napi(ts_type = "TransactionState")]
    pub state: String,
    /// Legacy delivered flag.
    pub status: Option<bool>,
    /// Recipient msisdn.
    pub msisdn: Option<String>,
    /// Operator name.
    pub network: Option<String>,
    /// Country name.
    pub country: Option<String>,
    /// Amount in the destination currency, exact decimal string.
    pub amount: Option<String>,
    /// The `TopupAmount` alias some answers carry, exact decimal string.
    pub topup_amount: Option<String>,
    /// Amount debited from the wallet, wallet currency, exact decimal string.
    pub effective_amount: Option<String>,
    /// Destination currency.
    pub currency: Option<String>,
    /// Your external reference.
    pub ext_ref_id: Option<String>,
    /// Service account used.
    pub account_id: Option<String>,
    /// Wallet debit.
    pub wallet: Option<TxWallet>,
    /// Provider references.
    pub provider: Option<Provider>,
    /// Envelope `code` of the answer this came from (1, 232, 10, 5, 160, 170 …).
    pub code: Option<i64>,
    /// Envelope `message` of the answer this came from.
    pub message: Option<String>,
    /// The amount delivered, exact decimal string: `amount`, or `topupAmount` when a record carries only
    /// that (what a receipt prints).
    pub delivered_amount: Option<String>,
    /// Whether the state will not change any more (all but `PENDING` and `PROCESSING`).
    pub is_terminal: bool,
    /// Whether the airtime was delivered (`SUCCESS`).
    pub is_success: bool,
}

impl From<c1::Transaction> for Transaction {
    fn from(t: c1::Transaction) -> Self {
        let delivered_amount = dec(t.delivered_amount());
        Transaction {
            delivered_amount,
            transaction_id: t.transaction_id,
            is_terminal: t.state.is_terminal(),
            is_success: t.state.is_success(),
            state: t.state.as_str().to_owned(),
            status: t.status,
            msisdn: t.msisdn,
            network: t.network,
            country: t.country,
            amount: dec(t.amount),
            topup_amount: dec(t.topup_amount),
            effective_amount: dec(t.effective_amount),
            currency: t.currency,
            ext_ref_id: t.ext_ref_id,
            account_id: t.account_id,
            wallet: t.wallet.map(|w| TxWallet {
                currency: w.currency,
                amount: dec(w.amount),
                fx_rate: dec(w.fx_rate),
            }),
            provider: t.provider.map(|p| Provider {
                transaction_id: p.transaction_id,
                reference_code: p.reference_code,
            }),
            code: t.code,
            message: t.message,
        }
    }
}
