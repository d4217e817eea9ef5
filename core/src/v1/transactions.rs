//! `GET /adp/transactions`: transaction records, by id, msisdn and/or extRefId (AND).

use super::Client;
use crate::decode::{open_enum, opt_code, opt_decimal, opt_string_or_number};
use crate::error::{Error, ErrorKind, Result};
use crate::money::Decimal;
use crate::phone::validate_msisdn;
use crate::response::Response;
use serde::{Deserialize, Deserializer, Serialize};

open_enum! {
    /// State of a V1 transaction. Terminal: SUCCESS, FAILED, TIMEOUT, UNDERLIVERED, CANCELED.
    pub enum TransactionState {
        /// Queued.
        Pending => "PENDING",
        /// In progress.
        Processing => "PROCESSING",
        /// Delivered.
        Success => "SUCCESS",
        /// Failed (not debited).
        Failed => "FAILED",
        /// Timed out at the provider.
        Timeout => "TIMEOUT",
        /// Under-delivered (the docs' spelling is `UNDERLIVERED`).
        Underdelivered => "UNDERLIVERED" | "UNDERDELIVERED",
        /// Cancelled (the docs' spelling is `CANCELED`).
        Cancelled => "CANCELED" | "CANCELLED",
    }
}

impl TransactionState {
    /// Whether the state will not change any more.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TransactionState::Success
                | TransactionState::Failed
                | TransactionState::Timeout
                | TransactionState::Underdelivered
                | TransactionState::Cancelled
        )
    }
    /// Whether the airtime was delivered.
    pub fn is_success(&self) -> bool {
        matches!(self, TransactionState::Success)
    }
    /// The state an envelope `code` implies when a record carries none.
    pub(crate) fn from_code(code: Option<i64>) -> TransactionState {
        match code {
            Some(1) => TransactionState::Success,
            Some(10) | Some(232) => TransactionState::Pending,
            Some(5) => TransactionState::Failed,
            Some(160) => TransactionState::Timeout,
            Some(170) => TransactionState::Cancelled,
            _ => TransactionState::Unknown(String::new()),
        }
    }
}

/// What the wallet was debited.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TxWallet {
    /// Wallet currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Amount debited (string or number on the wire).
    #[serde(default, deserialize_with = "opt_decimal")]
    pub amount: Option<Decimal>,
    /// FX rate applied (null for same-currency).
    #[serde(default, alias = "fxRate", deserialize_with = "opt_decimal")]
    pub fx_rate: Option<Decimal>,
}

/// Provider references.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Provider {
    /// Provider's transaction id.
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub transaction_id: Option<String>,
    /// Provider's reference code.
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub reference_code: Option<String>,
}

fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
        Num(i64),
    }
    Ok(Option::<Flag>::deserialize(d)?.and_then(|b| match b {
        Flag::Bool(b) => Some(b),
        Flag::Text(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Flag::Text(s) if s.eq_ignore_ascii_case("false") => Some(false),
        Flag::Num(n) => Some(n != 0),
        Flag::Text(_) => None,
    }))
}

/// A V1 transaction: the `data` of a top-up answer or one record of a lookup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    /// Click Airtime transaction id (UUID).
    #[serde(
        default,
        alias = "transactionId",
        deserialize_with = "opt_string_or_number"
    )]
    pub transaction_id: Option<String>,
    /// State.
    #[serde(default = "unknown_state")]
    pub state: TransactionState,
    /// Legacy delivered flag.
    #[serde(default, deserialize_with = "opt_bool")]
    pub status: Option<bool>,
    /// Recipient.
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub msisdn: Option<String>,
    /// Operator name.
    #[serde(default)]
    pub network: Option<String>,
    /// Country name.
    #[serde(default)]
    pub country: Option<String>,
    /// Amount in the destination currency.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub amount: Option<Decimal>,
    /// The `TopupAmount` alias some answers carry.
    #[serde(default, alias = "TopupAmount", deserialize_with = "opt_decimal")]
    pub topup_amount: Option<Decimal>,
    /// Amount debited from the wallet, wallet currency.
    #[serde(default, alias = "effectiveAmount", deserialize_with = "opt_decimal")]
    pub effective_amount: Option<Decimal>,
    /// Destination currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Your external reference.
    #[serde(default, alias = "extRefId", deserialize_with = "opt_string_or_number")]
    pub ext_ref_id: Option<String>,
    /// Service account used.
    #[serde(
        default,
        alias = "accountId",
        deserialize_with = "opt_string_or_number"
    )]
    pub account_id: Option<String>,
    /// Wallet debit.
    #[serde(default)]
    pub wallet: Option<TxWallet>,
    /// Provider references.
    #[serde(default)]
    pub provider: Option<Provider>,
    /// Envelope `code` of the answer this came from (1, 232, 10, 5, 160, 170 …).
    #[serde(default, deserialize_with = "opt_code")]
    pub code: Option<i64>,
    /// Envelope `message` of the answer this came from.
    #[serde(default)]
    pub message: Option<String>,
}

fn unknown_state() -> TransactionState {
    TransactionState::Unknown(String::new())
}

impl Transaction {
    /// `amount`, or the `TopupAmount` alias.
    pub fn delivered_amount(&self) -> Option<Decimal> {
        self.amount.or(self.topup_amount)
    }

    /// Fill the state from the envelope code when the record has none; keep the envelope's code and message.
    pub(crate) fn with_envelope(mut self, code: Option<i64>, message: Option<String>) -> Self {
        if matches!(&self.state, TransactionState::Unknown(s) if s.is_empty()) {
            self.state = TransactionState::from_code(code);
        }
        self.code = self.code.or(code);
        self.message = self.message.or(message);
        self
    }
}

/// Filters of a transaction lookup; at least one, combined with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionFilter {
    /// Click Airtime transaction id.
    pub transaction_id: Option<String>,
    /// Recipient, digits without `+`.
    pub msisdn: Option<String>,
    /// Your external reference.
    pub ext_ref_id: Option<String>,
}

impl TransactionFilter {
    /// By external reference.
    pub fn ext_ref_id(r: impl Into<String>) -> Self {
        TransactionFilter {
            ext_ref_id: Some(r.into()),
            ..Default::default()
        }
    }
    /// By transaction id.
    pub fn transaction_id(id: impl Into<String>) -> Self {
        TransactionFilter {
            transaction_id: Some(id.into()),
            ..Default::default()
        }
    }
    /// By recipient.
    pub fn msisdn(m: impl Into<String>) -> Self {
        TransactionFilter {
            msisdn: Some(m.into()),
            ..Default::default()
        }
    }

    fn query(&self) -> Result<Vec<(&'static str, String)>> {
        let mut q = Vec::new();
        if let Some(id) = &self.transaction_id {
            super::check_ref("transaction_id", id)?;
            q.push(("transaction_Id", id.clone()));
        }
        if let Some(m) = &self.msisdn {
            validate_msisdn("msisdn", m)?;
            q.push(("msisdn", m.clone()));
        }
        if let Some(r) = &self.ext_ref_id {
            super::check_ref("ext_ref_id", r)?;
            q.push(("extRefId", r.clone()));
        }
        if q.is_empty() {
            return Err(Error::invalid(
                "transaction_id",
                "give at least one of transaction_id, msisdn, ext_ref_id",
            ));
        }
        Ok(q)
    }
}

impl Client {
    /// Transactions matching every given filter. No match (HTTP 404 with the API's JSON envelope) is an
    /// empty list, not an error; a 404 without it (a proxy's page) is an `UnexpectedResponse` error.
    pub fn transactions(&self, filter: &TransactionFilter) -> Result<Response<Vec<Transaction>>> {
        self.transactions_until(filter, None)
    }

    /// [`transactions`](Self::transactions) inside a budget.
    pub(crate) fn transactions_until(
        &self,
        filter: &TransactionFilter,
        deadline: Option<std::time::Instant>,
    ) -> Result<Response<Vec<Transaction>>> {
        let q = filter.query()?;
        let raw = self.t.get_until("/adp/transactions", &q, deadline)?;
        let env = match super::decode::<Vec<Transaction>>(&raw) {
            Err(e) if e.kind() == ErrorKind::NotFound => {
                let documented =
                    serde_json::from_slice::<super::Envelope<serde::de::IgnoredAny>>(&raw.body)
                        .is_ok_and(|env| env.message.is_some() || env.code.is_some());
                if !documented {
                    return Err(e.with_kind(ErrorKind::UnexpectedResponse).with_message(
                        "http 404 without the API's json envelope (a proxy's page?)",
                    ));
                }
                return Ok(Response {
                    data: Vec::new(),
                    meta: crate::response::Meta {
                        http_status: raw.status,
                        ..Default::default()
                    },
                });
            }
            other => other?,
        };
        // a single-record answer's envelope code mirrors its state: use it where the record has none
        let code = super::parse_envelope::<serde::de::IgnoredAny>(&raw)
            .ok()
            .and_then(|e| e.code);
        let single = env.data.len() == 1;
        Ok(env.map(|v| {
            v.into_iter()
                .map(|t| {
                    if single {
                        t.with_envelope(code, None)
                    } else {
                        t
                    }
                })
                .collect()
        }))
    }
}
