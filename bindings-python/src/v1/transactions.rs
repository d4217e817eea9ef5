//! V1 transactions: the result models of sends, lookups and waits.

use crate::guard::guard;
use crate::model::{Dflt, Kind};
use clickairtime::v1;
use pyo3::prelude::*;

crate::model! {
    /// What the wallet was debited for a V1 transaction.
    TxWallet {
        currency: Kind::Plain, Dflt::Null;
        amount: Kind::Dec, Dflt::Null;
        fx_rate: Kind::Dec, Dflt::Null;
    }
}

crate::model! {
    /// Provider references of a V1 transaction.
    Provider {
        transaction_id: Kind::Plain, Dflt::Null;
        reference_code: Kind::Plain, Dflt::Null;
    }
}

/// The core's reading of a state.
fn state(slf: &Bound<'_, Transaction>) -> PyResult<v1::TransactionState> {
    let text = slf.as_super().get().text(slf.py(), "state")?;
    Ok(v1::TransactionState::from(text.as_deref().unwrap_or("")))
}

crate::model! {
    /// A V1 transaction: the answer of a send or one record of a lookup.
    Transaction {
        state: Kind::Plain, Dflt::Req;
        transaction_id: Kind::Plain, Dflt::Null;
        status: Kind::Plain, Dflt::Null;
        msisdn: Kind::Plain, Dflt::Null;
        network: Kind::Plain, Dflt::Null;
        country: Kind::Plain, Dflt::Null;
        amount: Kind::Dec, Dflt::Null;
        topup_amount: Kind::Dec, Dflt::Null;
        effective_amount: Kind::Dec, Dflt::Null;
        currency: Kind::Plain, Dflt::Null;
        ext_ref_id: Kind::Plain, Dflt::Null;
        account_id: Kind::Plain, Dflt::Null;
        wallet: Kind::Model(TxWallet::DECL), Dflt::Null;
        provider: Kind::Model(Provider::DECL), Dflt::Null;
        code: Kind::Plain, Dflt::Null;
        message: Kind::Plain, Dflt::Null;
    }

    /// `amount`, or the `TopupAmount` alias some answers carry.
    #[getter]
    fn delivered_amount(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        guard(py, "Transaction.delivered_amount", || {
            let base = slf.as_super().get();
            let amount = base.get(py, "amount")?;
            if amount.is_none(py) {
                base.get(py, "topup_amount")
            } else {
                Ok(amount)
            }
        })
    }

    /// Whether the state will not change any more.
    #[getter]
    fn is_terminal(slf: &Bound<'_, Self>) -> PyResult<bool> {
        guard(slf.py(), "Transaction.is_terminal", || Ok(state(slf)?.is_terminal()))
    }

    /// Whether the airtime was delivered.
    #[getter]
    fn is_success(slf: &Bound<'_, Self>) -> PyResult<bool> {
        guard(slf.py(), "Transaction.is_success", || Ok(state(slf)?.is_success()))
    }
}
