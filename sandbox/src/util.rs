//! Small helpers: random identifiers, timestamps, money formatting.

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use time::OffsetDateTime;

const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const MIXED_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Random bytes from the OS (through uuid's v4 generator, which uses getrandom).
fn random_bytes(n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 16);
    while out.len() < n {
        out.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    out.truncate(n);
    out
}

fn random_from(alphabet: &[u8], n: usize) -> String {
    random_bytes(n)
        .into_iter()
        .map(|b| alphabet[usize::from(b) % alphabet.len()] as char)
        .collect()
}

/// `req_` + 12 lowercase alphanumerics.
pub(crate) fn request_id() -> String {
    format!("req_{}", random_from(LOWER_ALNUM, 12))
}

/// A key of the documented shape: `ce_live_` + 32 alphanumerics.
pub(crate) fn api_key() -> String {
    format!("ce_live_{}", random_from(MIXED_ALNUM, 32))
}

/// Whether `key` has the documented V2 key shape.
pub(crate) fn is_well_formed_api_key(key: &str) -> bool {
    key.len() == 40
        && key.starts_with("ce_live_")
        && key[8..].bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A random UUID v4 (lowercase, hyphenated).
pub(crate) fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A random UUID v4 in upper case (shape of the V1 tokens in the docs).
pub(crate) fn upper_uuid() -> String {
    uuid::Uuid::new_v4().to_string().to_uppercase()
}

/// `n` random decimal digits.
pub(crate) fn digits(n: usize) -> String {
    random_bytes(n)
        .into_iter()
        .map(|b| char::from(b'0' + b % 10))
        .collect()
}

/// `n` random upper-case alphanumerics.
pub(crate) fn upper_alnum(n: usize) -> String {
    random_from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", n)
}

/// ISO-8601 UTC with milliseconds and `Z`, e.g. `2024-01-15T10:30:00.000Z`.
pub(crate) fn iso(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Current wall-clock time (UTC).
pub(crate) fn now_wall() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Current time as ISO-8601 string.
pub(crate) fn now_iso() -> String {
    iso(now_wall())
}

/// Current Unix time in seconds.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs()
}

/// Round to 2 decimal places, half away from zero (half up for the positive amounts used here).
pub(crate) fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A decimal as a JSON number (`50`, `4.05`, `1250.2`).
pub(crate) fn num(d: Decimal) -> Value {
    let s = d.normalize().to_string();
    serde_json::Number::from_str(&s)
        .map(Value::Number)
        .unwrap_or(Value::String(s))
}

/// A decimal as a string with exactly `scale` decimals (`"0.06"`, `"1729.0500"`).
pub(crate) fn fixed(d: Decimal, scale: u32) -> String {
    let mut d = d.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero);
    d.rescale(scale);
    d.to_string()
}

/// Parses a JSON number or numeric string into a decimal.
pub(crate) fn decimal_of(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => parse_decimal(&n.to_string()),
        Value::String(s) => parse_decimal(s.trim()),
        _ => None,
    }
}

fn parse_decimal(s: &str) -> Option<Decimal> {
    if s.is_empty() {
        return None;
    }
    Decimal::from_str(s)
        .ok()
        .or_else(|| Decimal::from_scientific(s).ok())
}

/// Parses a JSON integer or integer string into a u64.
pub(crate) fn integer_of(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Lowercase hex HMAC-SHA256 of `msg` under `key`.
pub(crate) fn hmac_hex(key: &[u8], msg: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    type HmacSha256 = Hmac<sha2::Sha256>;
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(msg);
    hex::encode(mac.finalize().into_bytes())
}

/// Sleeps for `d` in small steps, returning early when `stop` becomes true.
pub(crate) fn sleep_unless(d: Duration, stop: &std::sync::atomic::AtomicBool) {
    let end = std::time::Instant::now() + d;
    loop {
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let now = std::time::Instant::now();
        if now >= end {
            return;
        }
        std::thread::sleep((end - now).min(Duration::from_millis(10)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_documented_shapes() {
        let r = request_id();
        assert_eq!(r.len(), 16);
        assert!(
            r[4..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
        assert!(is_well_formed_api_key(&api_key()));
        assert!(!is_well_formed_api_key("ce_live_short"));
    }

    #[test]
    fn money_formatting() {
        assert_eq!(num(Decimal::new(405, 2)).to_string(), "4.05");
        assert_eq!(num(Decimal::new(5000, 2)).to_string(), "50");
        assert_eq!(fixed(Decimal::new(17290500, 4), 4), "1729.0500");
        assert_eq!(fixed(Decimal::new(578, 4), 2), "0.06");
        assert_eq!(round2(Decimal::new(125, 3)), Decimal::new(13, 2));
        assert_eq!(
            decimal_of(&serde_json::json!("12.5")),
            Some(Decimal::new(125, 1))
        );
    }

    #[test]
    fn iso_format() {
        let t = OffsetDateTime::from_unix_timestamp(1_705_314_600).unwrap();
        assert_eq!(iso(t), "2024-01-15T10:30:00.000Z");
    }

    #[test]
    fn hmac_known_vector() {
        // RFC 4231 test case 2.
        assert_eq!(
            hmac_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
