//! `clickairtime._native`: the PyO3 layer of the Python package.
//!
//! This module only converts. Python values come in as plain strings, integers and floats (the pure-Python
//! package in `python/clickairtime/` turns `Decimal`, `datetime` and friends into those); core does every
//! check, retry, classification, wait, signature and journal write; results go back as native, frozen model
//! classes (`model`: one per result, in the module of its resource; decimals and times made on first access).
//! Core errors become the `clickairtime.errors` exception of their kind. The GIL is released around every
//! network call, wait and journal access, so Python threads run while a call is in flight.
//!
//! Panics: every exported function and method runs behind `guard`: a Rust panic (a bug) never reaches
//! PyO3, which would raise `PanicException`, a `BaseException` that `except Exception` does not catch. It
//! becomes a `ClickAirtimeError` with code `PANIC`; inside a send, once its reference is fixed, an
//! `OutcomeUnknownError` naming the reference (cause kind `PANIC`): the send may have been received.

use pyo3::prelude::*;

mod bulk;
mod cancel;
mod config;
mod convert;
mod declare;
mod errors;
mod fill;
mod guard;
mod helpers;
mod journal;
mod logging;
pub(crate) mod model;
mod model_py;
mod polling;
mod response;
mod sandbox;
mod v1;
mod v2;

/// Native layer of the clickairtime package (use `clickairtime`, not this module).
#[pymodule]
mod _native {
    #[pymodule_export]
    use crate::bulk::bulk_check;
    #[pymodule_export]
    use crate::cancel::NativeCancel;
    #[pymodule_export]
    use crate::guard::_set_test_panic;
    #[pymodule_export]
    use crate::helpers::{
        cli_main, error_codes, idempotency_key_for, is_definitely_not_sent, new_reference,
        parse_amount, to_e164, to_msisdn, topup_status_info, transaction_state_info,
    };
    #[pymodule_export]
    use crate::journal::{JournalEntry, Recovery};
    #[pymodule_export]
    use crate::logging::set_log_forwarding;
    #[pymodule_export]
    use crate::model::Model;
    #[pymodule_export]
    use crate::polling::NativeWait;
    #[pymodule_export]
    use crate::response::{Meta, Pagination, RateLimit};
    #[pymodule_export]
    use crate::sandbox::NativeSandbox;
    #[pymodule_export]
    use crate::v1::balances::AccountBalance;
    #[pymodule_export]
    use crate::v1::client::V1Client;
    #[pymodule_export]
    use crate::v1::products::{Product, Service};
    #[pymodule_export]
    use crate::v1::topup::V1TopUpOrder;
    #[pymodule_export]
    use crate::v1::transactions::{Provider, Transaction, TxWallet};
    #[pymodule_export]
    use crate::v2::balance::{AvailableBalance, Balance, Wallet};
    #[pymodule_export]
    use crate::v2::catalog::{
        Bundle, Catalog, Country, CustomAirtime, ExchangeRate, Network, Products,
    };
    #[pymodule_export]
    use crate::v2::client::V2Client;
    #[pymodule_export]
    use crate::v2::send::TopUpOrder;
    #[pymodule_export]
    use crate::v2::topups::{Money, NetworkRef, Sms, TopUp, TopUpIter};
    #[pymodule_export]
    use crate::v2::webhooks::{WebhookEvent, webhook_parse, webhook_sign, webhook_verify};

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        crate::logging::install(m.py());
        Ok(())
    }
}
