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
    if amount.scale() > 8 || amount.normalize().scale() > 4 {
        return Err(Error::invalid(
            field,
            format!("{amount} has more than 4 decimal places"),
        ));
    }
    Ok(())
}

/// Decimal places of an ISO 4217 currency (2 unless the standard says otherwise).
pub fn minor_units(currency: &str) -> u32 {
    match currency.to_ascii_uppercase().as_str() {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

/// Check an amount about to be sent: positive, not absurdly large, and with no more decimal places than
/// its currency has ([`minor_units`]; without a currency — V1 — at most 3). `1e-30`, `0` and `12.345 GHS`
/// are refused, naming `field`.
pub fn validate_amount_for(field: &str, amount: Decimal, currency: Option<&str>) -> Result<()> {
    validate_amount(field, amount)?;
    let places = currency.map(minor_units).unwrap_or(3);
    let scale = amount.normalize().scale();
    if scale > places {
        let unit = currency
            .map(|c| format!(" ({c} has {places})"))
            .unwrap_or_else(|| format!(" (at most {places})"));
        return Err(Error::invalid(
            field,
            format!("{amount} has {scale} decimal places{unit}"),
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
    fn amounts_follow_their_currency() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert!(validate_amount_for("amount", d("12.50"), Some("GHS")).is_ok());
        assert!(validate_amount_for("amount", d("12.345"), Some("GHS")).is_err());
        assert!(validate_amount_for("amount", d("500"), Some("UGX")).is_ok());
        assert!(validate_amount_for("amount", d("500.5"), Some("UGX")).is_err());
        assert!(validate_amount_for("amount", d("1.125"), Some("KWD")).is_ok());
        assert!(validate_amount_for("amount", d("0"), Some("GHS")).is_err());
        let tiny = Decimal::from_scientific("1e-28").unwrap();
        assert_eq!(
            validate_amount_for("amount", tiny, None)
                .unwrap_err()
                .field(),
            Some("amount")
        );
        assert!(parse_amount("amount", "1e-30").is_err());
    }

    #[test]
    fn currencies() {
        assert!(validate_currency("currency", "GHS").is_ok());
        for bad in ["ghs", "GH", "GHSS", "G1S", ""] {
            assert!(validate_currency("currency", bad).is_err());
        }
    }
}
