//! Phone numbers: V2 wants E.164 with `+` (`+233541112259`), V1 wants the same digits without it
//! (`233541112259`). These helpers validate and convert between the two.

use crate::error::{Error, Result};

fn check_digits(field: &str, digits: &str, shown: &str) -> Result<()> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(
            field,
            format!("{shown:?} must contain only digits after the country code prefix"),
        ));
    }
    if digits.starts_with('0') {
        return Err(Error::invalid(
            field,
            format!("{shown:?} must start with a country code (no leading 0)"),
        ));
    }
    if digits.len() < 8 || digits.len() > 15 {
        return Err(Error::invalid(
            field,
            format!("{shown:?} must have 8 to 15 digits"),
        ));
    }
    Ok(())
}

/// Check that `phone` is E.164 as V2 requires: `+`, a country code, 8–15 digits in all, nothing else.
pub fn validate_e164(field: &str, phone: &str) -> Result<()> {
    match phone.strip_prefix('+') {
        Some(digits) => check_digits(field, digits, phone),
        None => Err(Error::invalid(
            field,
            format!("{phone:?} must be in E.164 format with a leading '+' (e.g. +233541112259)"),
        )),
    }
}

/// Check that `msisdn` is international format without `+`, as V1 requires (e.g. `263719545499`).
pub fn validate_msisdn(field: &str, msisdn: &str) -> Result<()> {
    if msisdn.starts_with('+') {
        return Err(Error::invalid(
            field,
            format!("{msisdn:?} must not start with '+' for V1 (e.g. 263719545499)"),
        ));
    }
    check_digits(field, msisdn, msisdn)
}

/// Convert a V1 msisdn (`233541112259`) or an E.164 number to E.164 (`+233541112259`), validating it.
/// Spaces, dashes, dots and parentheses are removed first; a leading `00` is read as `+`.
pub fn to_e164(number: &str) -> Result<String> {
    let cleaned = clean(number);
    let digits = cleaned
        .strip_prefix('+')
        .or_else(|| cleaned.strip_prefix("00"))
        .unwrap_or(&cleaned);
    let out = format!("+{digits}");
    validate_e164("phone_number", &out)?;
    Ok(out)
}

/// Convert an E.164 number (`+233541112259`) or a msisdn to the V1 msisdn form (`233541112259`), validating it.
pub fn to_msisdn(number: &str) -> Result<String> {
    let e164 = to_e164(number).map_err(|e| {
        Error::invalid(
            "msisdn",
            e.message().trim_start_matches("phone_number: ").to_owned(),
        )
    })?;
    Ok(e164[1..].to_owned())
}

fn clean(number: &str) -> String {
    number
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_rules() {
        assert!(validate_e164("phone_number", "+233541112259").is_ok());
        assert!(validate_e164("phone_number", "+447911123456").is_ok());
        for bad in [
            "233541112259",
            "+0233541112259",
            "+233 54111",
            "+233",
            "+1234567890123456",
            "",
            "+",
        ] {
            let e = validate_e164("phone_number", bad).unwrap_err();
            assert_eq!(e.field(), Some("phone_number"), "{bad}");
        }
    }

    #[test]
    fn msisdn_rules() {
        assert!(validate_msisdn("msisdn", "263719545499").is_ok());
        assert_eq!(
            validate_msisdn("msisdn", "+263719545499")
                .unwrap_err()
                .field(),
            Some("msisdn")
        );
        assert!(validate_msisdn("msisdn", "0719545499").is_err());
    }

    #[test]
    fn conversions() {
        assert_eq!(to_e164("233541112259").unwrap(), "+233541112259");
        assert_eq!(to_e164("+233 54 111 2259").unwrap(), "+233541112259");
        assert_eq!(to_e164("00233541112259").unwrap(), "+233541112259");
        assert_eq!(to_msisdn("+233541112259").unwrap(), "233541112259");
        assert_eq!(to_msisdn("233541112259").unwrap(), "233541112259");
        assert_eq!(to_msisdn("abc").unwrap_err().field(), Some("msisdn"));
    }
}
