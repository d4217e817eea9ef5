//! Exact money: amounts are [`rust_decimal::Decimal`], never `f64` arithmetic.

pub use rust_decimal::Decimal;

use crate::error::{Error, Result};
use std::str::FromStr;

/// Largest amount the client will send (far above any documented product range).
const MAX_AMOUNT: i64 = 1_000_000_000;

/// Parse an amount from text (`"50"`, `"12.50"`), as bindings receive it. Rejects non-numbers, NaN and
/// infinities, naming `field`.
pub fn parse_amount(field: &str, text: &str) -> Result<Decimal> {
    let t = text.trim();
    let d = Decimal::from_str(t)
        .or_else(|_| Decimal::from_scientific(t))
        .map_err(|_| Error::invalid(field, format!("{text:?} is not a decimal number")))?;
    validate_amount(field, d)?;
    Ok(d)
}

/// Convert a binary float exactly as written in decimal (shortest round-trip form: `0.1` → `0.1`), for
/// bindings whose callers pass floats. NaN and infinities are rejected.
pub fn amount_from_f64(field: &str, v: f64) -> Result<Decimal> {
    if !v.is_finite() {
        return Err(Error::invalid(field, "must be a finite number"));
    }
    parse_amount(field, &format!("{v}"))
}

/// Check that an amount is positive, at most 4 decimal places, and not absurdly large.
pub fn validate_amount(field: &str, amount: Decimal) -> Result<()> {
    if amount <= Decimal::ZERO {
        return Err(Error::invalid(
            field,
            format!("must be greater than zero (got {amount})"),
        ));
    }
    if amount > Decimal::from(MAX_AMOUNT) {
        return Err(Error::invalid(field, format!("{amount} is too large")));
    }
    if amount.normalize().scale() > 4 {
        return Err(Error::invalid(
            field,
            format!("{amount} has more than 4 decimal places"),
        ));
    }
    Ok(())
}

/// Check an ISO 4217 currency code: three upper-case ASCII letters (`GHS`, `USD`).
pub fn validate_currency(field: &str, code: &str) -> Result<()> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("{code:?} must be a 3-letter ISO 4217 code in upper case (e.g. GHS)"),
        ))
    }
}

/// A decimal as an `f64`, for display in hosts that only have doubles. Never use it for arithmetic.
pub fn to_f64_lossy(d: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(
            parse_amount("amount", "12.50").unwrap().to_string(),
            "12.50"
        );
        assert_eq!(amount_from_f64("amount", 0.1).unwrap().to_string(), "0.1");
        for bad in ["0", "-1", "abc", "", "1.23456", "NaN"] {
            assert_eq!(
                parse_amount("amount", bad).unwrap_err().field(),
                Some("amount"),
                "{bad}"
            );
        }
        assert!(amount_from_f64("amount", f64::NAN).is_err());
        assert!(amount_from_f64("amount", f64::INFINITY).is_err());
    }

    #[test]
    fn currencies() {
        assert!(validate_currency("currency", "GHS").is_ok());
        for bad in ["ghs", "GH", "GHSS", "G1S", ""] {
            assert!(validate_currency("currency", bad).is_err());
        }
    }
}
