//! Phone numbers, handles, status tables, the error table and the command line.

use crate::errors::check;
use crate::guard::guard;
use crate::logging::detach;
use clickairtime::{ErrorKind, v1, v2};
use pyo3::prelude::*;

/// A number as people type it, as E.164; a national number needs its `country` (ISO 3166-1 alpha-2).
#[pyfunction]
#[pyo3(signature = (number, country=None))]
pub(crate) fn to_e164(py: Python<'_>, number: &str, country: Option<&str>) -> PyResult<String> {
    guard(py, "to_e164", || {
        check(
            py,
            match country {
                Some(c) => clickairtime::phone::to_e164_in(number, c),
                None => clickairtime::phone::to_e164(number),
            },
        )
    })
}

/// Run the `clickairtime` command (the `clickairtime-cli` crate, the same code as the cargo-installed
/// binary) with `argv` (`argv[0]` is the program name) and return its exit code. The GIL is released for the
/// whole command; its output goes straight to file descriptors 1 and 2.
#[pyfunction]
pub(crate) fn cli_main(py: Python<'_>, argv: Vec<String>) -> PyResult<i32> {
    guard(py, "cli_main", || {
        let code = detach(py, move || {
            let code = clickairtime_cli::main_with_args(argv);
            use std::io::Write;
            let _ = std::io::stdout().flush();
            let _ = std::io::stderr().flush();
            code
        });
        Ok(code)
    })
}

#[pyfunction]
pub(crate) fn to_msisdn(py: Python<'_>, number: &str) -> PyResult<String> {
    guard(py, "to_msisdn", || {
        check(py, clickairtime::phone::to_msisdn(number))
    })
}

/// Validate an amount given as text; returns its exact decimal text.
#[pyfunction]
pub(crate) fn parse_amount(py: Python<'_>, field: &str, text: &str) -> PyResult<String> {
    guard(py, "parse_amount", || {
        check(
            py,
            clickairtime::money::parse_amount(field, text).map(|d| d.to_string()),
        )
    })
}

/// A new unique reference (`ca-<uuid>`), for a sale written down before it is sent (core's rule).
#[pyfunction]
pub(crate) fn new_reference(py: Python<'_>) -> PyResult<String> {
    guard(py, "new_reference", || Ok(v2::new_reference()))
}

/// The `Idempotency-Key` a V2 send of `reference` carries by default (deterministic; core's rule).
#[pyfunction]
pub(crate) fn idempotency_key_for(py: Python<'_>, reference: &str) -> PyResult<String> {
    guard(py, "idempotency_key_for", || {
        Ok(v2::idempotency_key_for(reference))
    })
}

/// `(wire spelling, is_terminal, is_success)` of a V2 top-up status, as core reads it.
#[pyfunction]
pub(crate) fn topup_status_info(py: Python<'_>, status: &str) -> PyResult<(String, bool, bool)> {
    guard(py, "topup_status_info", || {
        let s = v2::TopUpStatus::from(status);
        Ok((s.as_str().to_owned(), s.is_terminal(), s.is_success()))
    })
}

/// `(wire spelling, is_terminal, is_success)` of a V1 transaction state, as core reads it.
#[pyfunction]
pub(crate) fn transaction_state_info(
    py: Python<'_>,
    state: &str,
) -> PyResult<(String, bool, bool)> {
    guard(py, "transaction_state_info", || {
        let s = v1::TransactionState::from(state);
        Ok((s.as_str().to_owned(), s.is_terminal(), s.is_success()))
    })
}

/// Every error code of core (`ErrorKind::as_str`), in core's order.
#[pyfunction]
pub(crate) fn error_codes(py: Python<'_>) -> PyResult<Vec<&'static str>> {
    guard(py, "error_codes", || {
        Ok(ErrorKind::ALL.iter().map(|k| k.as_str()).collect())
    })
}

/// For an error code: whether a send that ended with it was definitely not created (core's
/// `ErrorKind::is_definitely_not_sent`); `None` for a code core does not know.
#[pyfunction]
pub(crate) fn is_definitely_not_sent(py: Python<'_>, code: &str) -> PyResult<Option<bool>> {
    guard(py, "is_definitely_not_sent", || {
        Ok(ErrorKind::from_name(code).map(ErrorKind::is_definitely_not_sent))
    })
}
