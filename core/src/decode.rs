//! Lenient decoding helpers for the documented variants of the wire format: numbers that arrive as strings,
//! codes that are numbers or numeric strings, open enums, timestamps.

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Parse a decimal from the text of a JSON number or string (`"0.06"`, `4.05`, `1e3`).
pub(crate) fn parse_decimal(s: &str) -> Option<Decimal> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    Decimal::from_str(s)
        .ok()
        .or_else(|| Decimal::from_scientific(s).ok())
}

struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Option<Decimal>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal number, a numeric string or null")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Decimal::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Decimal::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // serde_json hands us the f64 nearest to the literal; its shortest round-trip text is the literal
        // itself for every amount with at most 15 significant digits, which makes the conversion exact.
        if !v.is_finite() {
            return Err(E::custom("amount is not finite"));
        }
        let text = format!("{v}");
        parse_decimal(&text)
            .map(Some)
            .ok_or_else(|| E::custom(format!("amount {text} is out of range")))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        parse_decimal(v)
            .map(Some)
            .ok_or_else(|| E::custom(format!("{v:?} is not a decimal number")))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(DecimalVisitor)
    }
}

/// `Option<Decimal>` from a number, a numeric string, an empty string or null.
pub(crate) fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    d.deserialize_option(DecimalVisitor)
}

/// `Decimal` from a number or a numeric string (required).
pub(crate) fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    opt_decimal(d)?.ok_or_else(|| de::Error::custom("missing amount"))
}

/// Serialize a decimal as a JSON number (the form the API documents for requests).
pub(crate) fn decimal_as_number<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    serde_json::Number::from_str(&v.normalize().to_string())
        .map_err(serde::ser::Error::custom)?
        .serialize(s)
}

/// `Option<i64>` from a number or a numeric string (V1 `code`). A non-numeric string becomes `None`.
pub(crate) fn opt_code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an integer code, a numeric string or null")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(i64::try_from(v).ok())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok((v.fract() == 0.0 && v.abs() < 9e15).then_some(v as i64))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(v.trim().parse().ok())
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(V)
        }
    }
    d.deserialize_option(V)
}

/// `Option<String>` from a string, a number (ids that are sometimes numbers) or null.
pub(crate) fn opt_string_or_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum SN {
        S(String),
        I(i64),
        F(f64),
        B(bool),
    }
    Ok(Option::<SN>::deserialize(d)?.map(|v| match v {
        SN::S(s) => s,
        SN::I(i) => i.to_string(),
        SN::F(f) => f.to_string(),
        SN::B(b) => b.to_string(),
    }))
}

/// Declare an open enum: known variants plus `Unknown(String)`, matched case-insensitively, serialized as the
/// documented spelling (or the unknown text as received).
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know, kept as received.
            Unknown(String),
        }

        impl $name {
            /// The wire spelling (for `Unknown`, the text as received).
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(s) => s.as_str(),
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $(
                    if s.eq_ignore_ascii_case($wire) $(|| s.eq_ignore_ascii_case($alias))* {
                        return $name::$variant;
                    }
                )+
                $name::Unknown(s.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<str>::deserialize(d)?;
                Ok($name::from(s.as_ref()))
            }
        }
    };
}
pub(crate) use open_enum;

/// A timestamp as the API sent it (ISO 8601, usually UTC with milliseconds), with a parser.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub String);

impl Timestamp {
    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Milliseconds since the Unix epoch, if the text is an RFC 3339 date-time or a bare `YYYY-MM-DD` date.
    pub fn unix_millis(&self) -> Option<i64> {
        parse_iso8601_millis(&self.0)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Milliseconds since the epoch of an RFC 3339 date-time or a bare date (taken as UTC midnight).
pub(crate) fn parse_iso8601_millis(s: &str) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339) {
        return Some((t.unix_timestamp_nanos() / 1_000_000) as i64);
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &fmt)
        .ok()
        .map(|d| d.midnight().assume_utc().unix_timestamp() * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct D {
        #[serde(default, deserialize_with = "opt_decimal")]
        v: Option<Decimal>,
    }

    fn dec(json: &str) -> Option<Decimal> {
        serde_json::from_str::<D>(json).unwrap().v
    }

    #[test]
    fn decimals_from_every_documented_form() {
        assert_eq!(dec(r#"{"v": 4.05}"#), Some(Decimal::new(405, 2)));
        assert_eq!(dec(r#"{"v": "0.06"}"#), Some(Decimal::new(6, 2)));
        assert_eq!(
            dec(r#"{"v": "1729.0500"}"#).unwrap().to_string(),
            "1729.0500"
        );
        assert_eq!(dec(r#"{"v": 100}"#), Some(Decimal::from(100)));
        assert_eq!(dec(r#"{"v": 1250.50}"#), Some(Decimal::new(12505, 1)));
        assert_eq!(dec(r#"{"v": null}"#), None);
        assert_eq!(dec(r#"{}"#), None);
        assert!(serde_json::from_str::<D>(r#"{"v": "abc"}"#).is_err());
    }

    #[test]
    fn timestamps_parse() {
        let t = Timestamp("2024-01-15T10:30:02.500Z".into());
        assert_eq!(t.unix_millis(), Some(1_705_314_602_500));
        assert_eq!(parse_iso8601_millis("2024-01-01"), Some(1_704_067_200_000));
        assert_eq!(parse_iso8601_millis("yesterday"), None);
    }
}
