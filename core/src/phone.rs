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

/// Load libphonenumber's rules on a background thread, once per process, so the first sale after a till
/// boots does not wait for them (a third of a second in release builds). Called when a client is built.
pub(crate) fn warm_up() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = std::thread::Builder::new()
            .name("clickairtime-phone-rules".into())
            .spawn(|| {
                let _ = phonenumber::parse(None, "+233541112259").map(|p| p.is_valid());
            });
    });
}

/// Convert a number as people type it to E.164 (`+233541112259`): spaces, dashes, dots, slashes and
/// parentheses are removed, a leading `00` is read as `+`, and digits without `+` are read as an
/// international number (the V1 msisdn form). A national number (`0541112259`) needs its country: use
/// [`to_e164_in`]. Errors quote what was typed.
pub fn to_e164(number: &str) -> Result<String> {
    normalize("phone_number", number, None, true)
}

/// [`to_e164`] for a number that may be national: `to_e164_in("0541112259", "GH")` → `+233541112259`.
/// `country` is an ISO 3166-1 alpha-2 code; international input ignores it.
pub fn to_e164_in(number: &str, country: &str) -> Result<String> {
    normalize("phone_number", number, Some(country), false)
}

/// Convert an E.164 number (`+233541112259`), a msisdn, or a formatted international number to the V1
/// msisdn form (`233541112259`), validating it.
pub fn to_msisdn(number: &str) -> Result<String> {
    let e164 = normalize("msisdn", number, None, true)?;
    Ok(e164[1..].to_owned())
}

/// Normalise `number` (see [`to_e164`]) and check it with libphonenumber's rules for its country: a number
/// that cannot exist there (wrong length, unused range) is refused, naming `field`. `bare_digits`: read
/// digits without `+` as international (the V1 msisdn form); V2 sends do not, since `541112259` could be
/// read as another country's number.
pub(crate) fn normalize(
    field: &str,
    number: &str,
    country: Option<&str>,
    bare_digits: bool,
) -> Result<String> {
    let cleaned = clean(number);
    let international = if let Some(rest) = cleaned.strip_prefix("00") {
        Some(format!("+{rest}"))
    } else if cleaned.starts_with('+') {
        Some(cleaned.clone())
    } else {
        None
    };
    let region = match country {
        Some(c) => Some(
            c.trim()
                .to_ascii_uppercase()
                .parse::<phonenumber::country::Id>()
                .map_err(|_| {
                    Error::invalid(
                        "country",
                        format!("{c:?} is not an ISO 3166-1 alpha-2 country code (e.g. GH)"),
                    )
                })?,
        ),
        None => None,
    };
    let text = match (international, region) {
        (Some(i), _) => i,
        (None, Some(_)) => cleaned.clone(),
        (None, None) if bare_digits && !cleaned.starts_with('0') && !cleaned.is_empty() => {
            format!("+{cleaned}")
        }
        (None, None) => {
            return Err(Error::invalid(
                field,
                format!(
                    "{number:?} must be in international format with its country code (e.g. +233541112259); convert a national number with to_e164_in(number, country)"
                ),
            ));
        }
    };
    let digits = text.trim_start_matches('+');
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(
            field,
            format!(
                "{number:?} is not a phone number (digits, with an optional + and country code)"
            ),
        ));
    }
    let parsed = phonenumber::parse(region, &text)
        .map_err(|_| Error::invalid(field, format!("{number:?} is not a phone number")))?;
    let e164 = parsed.format().mode(phonenumber::Mode::E164).to_string();
    check_digits(field, &e164[1..], number)?;
    if !parsed.is_valid() {
        let place = parsed
            .country()
            .id()
            .map(|id| format!("{id:?}"))
            .unwrap_or_else(|| format!("+{}", parsed.code().value()));
        return Err(Error::invalid(
            field,
            format!(
                "{number:?} is not a valid number for {place} (wrong length or an unused range)"
            ),
        ));
    }
    Ok(e164)
}

fn clean(number: &str) -> String {
    number
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' | '\t'))
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
    fn numbers_as_people_type_them() {
        assert_eq!(to_e164_in("0541112259", "GH").unwrap(), "+233541112259");
        assert_eq!(to_e164_in("054 111 2259", "gh").unwrap(), "+233541112259");
        assert_eq!(
            to_e164_in("+233 54 111 2259", "NG").unwrap(),
            "+233541112259"
        );
        assert_eq!(to_e164("(+233) 54-111-2259").unwrap(), "+233541112259");
        assert_eq!(to_e164_in("0803 123 4567", "NG").unwrap(), "+2348031234567");
        let e = to_e164("0541112259").unwrap_err();
        assert_eq!(e.field(), Some("phone_number"));
        assert!(
            e.message().contains("\"0541112259\""),
            "quotes what was typed: {e}"
        );
        assert!(!e.message().contains("+0541112259"));
        let e = to_e164("+233 5411").unwrap_err();
        assert!(e.message().contains("\"+233 5411\""), "{e}");
        assert_eq!(
            to_e164_in("0541112259", "XX").unwrap_err().field(),
            Some("country")
        );
        assert!(to_e164("+19995551234").is_err(), "an unused range");
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
