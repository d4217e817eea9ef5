//! V2 webhooks: verify a delivery's signature and parse it into a typed event.
//!
//! Each delivery has `X-Webhook-Signature` = lowercase hex HMAC-SHA256, keyed with your V2 API key, of
//! `X-Webhook-Timestamp + "." + raw body`. Verify against the raw bytes you received — re-serialising parsed
//! JSON changes them.

use super::topup_record::TopUp;
use crate::decode::open_enum;
use crate::error::{Error, ErrorKind, Result};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Default tolerance between the timestamp header and now: 5 minutes.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

type HmacSha256 = Hmac<Sha256>;

fn mac(api_key: &str, timestamp: &str, body: &[u8]) -> HmacSha256 {
    let mut m =
        HmacSha256::new_from_slice(api_key.as_bytes()).expect("hmac accepts keys of any length");
    m.update(timestamp.as_bytes());
    m.update(b".");
    m.update(body);
    m
}

/// The signature the API would send for `body` at `timestamp` (for tests and for your own test servers).
pub fn sign(body: &[u8], timestamp: &str, api_key: &str) -> String {
    hex::encode(mac(api_key, timestamp, body).finalize().into_bytes())
}

/// Verify a delivery now. `tolerance` bounds the age (and future skew) of the timestamp; `None` disables the
/// check. A bad or old signature is an [`ErrorKind::InvalidSignature`] error; nothing panics.
pub fn verify(
    body: &[u8],
    signature: &str,
    timestamp: &str,
    api_key: &str,
    tolerance: Option<Duration>,
) -> Result<()> {
    verify_at(
        body,
        signature,
        timestamp,
        api_key,
        tolerance,
        SystemTime::now(),
    )
}

/// [`verify`] against a given clock.
pub fn verify_at(
    body: &[u8],
    signature: &str,
    timestamp: &str,
    api_key: &str,
    tolerance: Option<Duration>,
    now: SystemTime,
) -> Result<()> {
    let bad = |m: &str| Error::new(ErrorKind::InvalidSignature, m.to_owned());
    if api_key.is_empty() {
        return Err(Error::invalid("api_key", "must not be empty"));
    }
    let ts = timestamp.trim();
    let secs: i64 = ts
        .parse()
        .map_err(|_| bad("timestamp is not unix seconds"))?;
    if let Some(tol) = tolerance {
        let now = now
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        // checked: a hostile header such as i64::MIN must not overflow
        let skew = now.checked_sub(secs).map(i64::unsigned_abs);
        if skew.is_none_or(|s| s > tol.as_secs()) {
            return Err(bad("timestamp is outside the tolerance"));
        }
    }
    let sig = signature.trim();
    let sig = sig.strip_prefix("sha256=").unwrap_or(sig);
    let raw = hex::decode(sig).map_err(|_| bad("signature is not hex"))?;
    mac(api_key, ts, body)
        .verify_slice(&raw)
        .map_err(|_| bad("signature does not match"))
}

open_enum! {
    /// Webhook event type (V2 reference page and the guide's variant).
    pub enum EventType {
        /// Accepted, delivery in progress.
        TopupProcessing => "topup.processing",
        /// Delivered.
        TopupCompleted => "topup.completed",
        /// Failed.
        TopupFailed => "topup.failed",
        /// Guide variant: delivered.
        TransactionCompleted => "transaction.completed",
        /// Guide variant: failed.
        TransactionFailed => "transaction.failed",
        /// Guide variant: pending.
        TransactionPending => "transaction.pending",
        /// Guide variant: refunded.
        TransactionRefunded => "transaction.refunded",
        /// Guide variant: wallet below threshold.
        WalletLowBalance => "wallet.low_balance",
    }
}

/// A parsed webhook delivery.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebhookEvent {
    /// Event type (from the body; empty `Unknown` if the body has none — use the `X-Webhook-Event` header).
    pub event_type: EventType,
    /// Event id (guide variant `evt_…`).
    pub id: Option<String>,
    /// Event time as sent.
    pub timestamp: Option<String>,
    /// The top-up, when the payload carries one in the V2 shape.
    pub topup: Option<TopUp>,
    /// The payload's data (or the whole body when it is not wrapped), as received.
    pub data: serde_json::Value,
}

/// Parse a delivery body (call [`verify`] first). Accepts `{"event"|"type": …, "data": {…}}`, a bare
/// top-up object, and the guide's `{id, type, timestamp, data}` camelCase variant.
pub fn parse(body: &[u8]) -> Result<WebhookEvent> {
    let bad = |m: String| Error::new(ErrorKind::UnexpectedResponse, m).with_body(body);
    let v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| bad(format!("webhook body is not json: {e}")))?;
    let obj = v
        .as_object()
        .ok_or_else(|| bad("webhook body is not a json object".into()))?;
    let text = |k: &str| obj.get(k).and_then(|x| x.as_str()).map(str::to_owned);
    let event_type = text("event")
        .or_else(|| text("type"))
        .or_else(|| text("event_type"));
    let (data, wrapped) = match obj.get("data") {
        Some(d) if d.is_object() => (d.clone(), true),
        _ => (v.clone(), false),
    };
    let topup = if data.get("id").is_some() && data.get("status").is_some() {
        serde_json::from_value::<TopUp>(data.clone()).ok()
    } else {
        None
    };
    if !wrapped && topup.is_none() {
        return Err(bad("webhook body has neither data nor a top-up".into()));
    }
    let event_type = match (event_type, &topup) {
        (Some(t), _) => EventType::from(t.as_str()),
        (None, Some(t)) => EventType::from(format!("topup.{}", t.status).as_str()),
        (None, None) => EventType::Unknown(String::new()),
    };
    Ok(WebhookEvent {
        event_type,
        id: text("id").filter(|_| wrapped),
        timestamp: text("timestamp")
            .or_else(|| text("created_at"))
            .filter(|_| wrapped),
        topup,
        data,
    })
}

/// Verify, then parse.
pub fn construct_event(
    body: &[u8],
    signature: &str,
    timestamp: &str,
    api_key: &str,
    tolerance: Option<Duration>,
) -> Result<WebhookEvent> {
    verify(body, signature, timestamp, api_key, tolerance)?;
    parse(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ce_live_0123456789abcdefghijABCDEFGHIJ01";

    #[test]
    fn sign_and_verify_roundtrip() {
        let body = br#"{"event":"topup.completed","data":{"id":"x","status":"completed"}}"#;
        let now = SystemTime::now();
        let ts = now
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            .to_string();
        let sig = sign(body, &ts, KEY);
        assert_eq!(sig.len(), 64);
        assert!(
            sig.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        verify_at(body, &sig, &ts, KEY, Some(DEFAULT_TOLERANCE), now).unwrap();
        let ev = construct_event(body, &sig, &ts, KEY, None).unwrap();
        assert_eq!(ev.event_type, EventType::TopupCompleted);
    }

    #[test]
    fn bad_signatures_are_typed_errors() {
        let body = b"{}";
        let ts = "1705312800";
        let at = UNIX_EPOCH + Duration::from_secs(1_705_312_800);
        let good = sign(body, ts, KEY);
        for sig in [
            "",
            "zz",
            "00",
            &good[..63],
            &good.to_uppercase().replace('A', "B"),
        ] {
            let e = verify_at(body, sig, ts, KEY, None, at).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidSignature, "{sig}");
        }
        // wrong key, tampered body, old timestamp
        assert!(verify_at(body, &good, ts, "other", None, at).is_err());
        assert!(verify_at(b"{ }", &good, ts, KEY, None, at).is_err());
        for hostile in ["-9223372036854775808", "9223372036854775807", "-1"] {
            let sig = sign(body, hostile, KEY);
            assert_eq!(
                verify_at(body, &sig, hostile, KEY, Some(DEFAULT_TOLERANCE), at)
                    .unwrap_err()
                    .kind(),
                crate::ErrorKind::InvalidSignature,
                "{hostile}"
            );
        }
        let late = at + Duration::from_secs(301);
        assert_eq!(
            verify_at(body, &good, ts, KEY, Some(DEFAULT_TOLERANCE), late)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidSignature
        );
        assert!(verify_at(body, &good, ts, KEY, None, late).is_ok());
        assert!(verify_at(body, &good, "abc", KEY, None, at).is_err());
    }

    #[test]
    fn parse_variants() {
        let bare = br#"{"id":"a","status":"failed","failure_reason":"x"}"#;
        let e = parse(bare).unwrap();
        assert_eq!(e.event_type, EventType::TopupFailed);
        assert_eq!(e.topup.unwrap().failure_reason.as_deref(), Some("x"));
        let guide = br#"{"id":"evt_1","type":"transaction.completed","timestamp":"2025-01-15T10:30:02.500Z","data":{"transactionId":"txn_1","status":"completed"}}"#;
        let e = parse(guide).unwrap();
        assert_eq!(e.event_type, EventType::TransactionCompleted);
        assert_eq!(e.id.as_deref(), Some("evt_1"));
        assert!(e.topup.is_none());
        assert_eq!(e.data["transactionId"], "txn_1");
        for junk in [&b"not json"[..], b"[1,2]", b"{}", b"\xff\xfe"] {
            assert_eq!(
                parse(junk).unwrap_err().kind(),
                ErrorKind::UnexpectedResponse
            );
        }
    }
}
