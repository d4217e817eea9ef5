//! Helpers that need no client: phone numbers, amounts, references, idempotency keys, error codes, the version.

use crate::args::{arg, bad};
use crate::{options, sync};
use clickairtime::ErrorKind;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Write a phone number as E.164 (`+233541112259`), however it was typed: spaces, dashes, dots and
/// parentheses are removed and a leading `00` is read as `+`. A national number (`0541112259`) needs its
/// `country` (ISO 3166-1 alpha-2, e.g. `'GH'`); digits without `+` and without a country are read as an
/// international number (the V1 msisdn form). Validates the number for its country; errors quote what was
/// typed.
#[napi(js_name = "toE164", ts_args_type = "number: string, country?: string")]
pub fn to_e164(env: Env, number: Unknown, country: Unknown) -> Result<String> {
    sync(&env, || {
        let number: String = arg(number, "phoneNumber")?;
        let country: Option<String> = arg(country, "country")?;
        Ok(match country {
            Some(c) => clickairtime::phone::to_e164_in(&number, &c)?,
            None => clickairtime::phone::to_e164(&number)?,
        })
    })
}

/// Convert an E.164 number (or a formatted international one) to the V1 msisdn form (`233541112259`),
/// validating it.
#[napi(ts_args_type = "number: string")]
pub fn to_msisdn(env: Env, number: Unknown) -> Result<String> {
    sync(&env, || {
        let number: String = arg(number, "msisdn")?;
        Ok(clickairtime::phone::to_msisdn(&number)?)
    })
}

/// Throw `INVALID_INPUT` unless `phone` is strict E.164 (`+`, country code, 8–15 digits, nothing else).
#[napi(js_name = "validateE164", ts_args_type = "phone: string")]
pub fn validate_e164(env: Env, phone: Unknown) -> Result<()> {
    sync(&env, || {
        let phone: String = arg(phone, "phoneNumber")?;
        Ok(clickairtime::phone::validate_e164("phone_number", &phone)?)
    })
}

/// Throw `INVALID_INPUT` unless `msisdn` is the V1 form (digits, no `+`).
#[napi(ts_args_type = "msisdn: string")]
pub fn validate_msisdn(env: Env, msisdn: Unknown) -> Result<()> {
    sync(&env, || {
        let msisdn: String = arg(msisdn, "msisdn")?;
        Ok(clickairtime::phone::validate_msisdn("msisdn", &msisdn)?)
    })
}

/// Parse and validate an amount (`"12.50"`, `12.5`) exactly as the clients do; returns its exact decimal
/// string. Numbers are read in their shortest round-trip form (`0.1` → `"0.1"`).
#[napi(ts_args_type = "amount: string | number")]
pub fn parse_amount(env: Env, amount: Unknown) -> Result<String> {
    sync(&env, || {
        let amount: Either<String, f64> = arg(amount, "amount")?;
        Ok(options::amount("amount", amount).map(|d| d.to_string())?)
    })
}

/// A new unique reference (`ca-<uuid>`) for a sale, to write down (with the order) before sending it. The
/// same as the clients generate when an order has none. V2 and V1 (`extRefId`) alike.
#[napi]
pub fn new_reference(env: Env) -> Result<String> {
    sync(&env, || Ok(clickairtime::v2::new_reference()))
}

/// The V2 `Idempotency-Key` a send of `reference` carries when you set none: derived from the reference
/// alone (and the API version), so the same sale carries the same key in every process, after a crash, and
/// when sold again with the same reference.
#[napi(ts_args_type = "reference: string")]
pub fn idempotency_key_for(env: Env, reference: Unknown) -> Result<String> {
    sync(&env, || {
        let reference: String = arg(reference, "reference")?;
        if reference.is_empty() {
            return Err(bad("reference", "must not be empty"));
        }
        Ok(clickairtime::v2::idempotency_key_for(&reference))
    })
}

/// Every error code, in a stable order.
#[napi(ts_return_type = "ErrorCode[]")]
pub fn error_codes(env: Env) -> Result<Vec<String>> {
    sync(&env, || {
        Ok(ErrorKind::ALL
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect())
    })
}

/// Whether an error code, as the end of a send, proves that the sale was NOT created (so selling it again,
/// with the same reference, is safe). False for `OUTCOME_UNKNOWN` and `STILL_PENDING` (it may exist or does)
/// and for `INVALID_SIGNATURE` (not a send's).
#[napi(ts_args_type = "code: ErrorCode")]
pub fn is_definitely_not_sent(env: Env, code: Unknown) -> Result<bool> {
    sync(&env, || {
        let code: String = arg(code, "code")?;
        match ErrorKind::from_name(&code) {
            Some(k) => Ok(k.is_definitely_not_sent()),
            None => Err(bad("code", format!("{code:?} is not an error code"))),
        }
    })
}

/// Version of this package (and of the Rust core it wraps).
#[napi]
pub fn version(env: Env) -> Result<String> {
    sync(&env, || Ok(env!("CARGO_PKG_VERSION").to_owned()))
}
