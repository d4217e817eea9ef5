//! Webhooks (core `v2::webhooks`): verify a delivery's signature, parse it into a typed event, sign one.

use crate::args::{Call, FromJs, RawBody, arg, top};
use crate::types::WebhookEvent;
use crate::{ErrorInfo, Out, sync};
use clickairtime::ErrorKind;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::time::Duration;

/// Options of `verifyWebhook` and `constructWebhookEvent`.
#[napi(object, object_from_js = false)]
pub struct VerifyOptions {
    /// Largest age (and future skew) of the timestamp, in seconds. Default 300.
    pub tolerance_sec: Option<u32>,
    /// Set to false to skip the timestamp check (signature only). Default true.
    pub check_timestamp: Option<bool>,
}
crate::args::from_js!(VerifyOptions {
    tolerance_sec,
    check_timestamp
});

/// The signature and timestamp headers: missing or not text means the delivery cannot be verified.
fn header(v: Unknown, field: &str, name: &str) -> Out<String> {
    match String::from_js(v, field) {
        Ok(s) => Ok(s),
        Err(_) => Err(Box::new(ErrorInfo {
            code: ErrorKind::InvalidSignature.as_str().to_owned(),
            message: format!(
                "invalid signature: no {field} (the {name} header is missing or not text)"
            ),
            field: Some(field.to_owned()),
            ..Default::default()
        })),
    }
}

fn tolerance(o: Option<VerifyOptions>) -> Option<Duration> {
    let o = o.unwrap_or(VerifyOptions {
        tolerance_sec: None,
        check_timestamp: None,
    });
    if o.check_timestamp == Some(false) {
        return None;
    }
    Some(
        o.tolerance_sec
            .map(|s| Duration::from_secs(s.into()))
            .unwrap_or(clickairtime::webhooks::DEFAULT_TOLERANCE),
    )
}

/// Verify a webhook delivery: HMAC-SHA256 (key = API key) of `timestamp + "." + body`, compared in constant
/// time, and the timestamp within the tolerance. Pass the raw body exactly as received (a Buffer from
/// `express.raw()`, or the text), never a parsed object: that throws `INVALID_INPUT` (field `body`). Throws
/// `ClickAirtimeError` with code `INVALID_SIGNATURE` when it does not verify (a missing header included).
#[napi(
    ts_args_type = "body: Buffer | Uint8Array | string, signature: string | undefined, timestamp: string | undefined, apiKey: string, options?: VerifyOptions"
)]
pub fn verify_webhook(
    env: Env,
    body: Unknown,
    signature: Unknown,
    timestamp: Unknown,
    api_key: Unknown,
    options: Unknown,
) -> Result<()> {
    sync(&env, || {
        let body: RawBody = arg(body, "body")?;
        let api_key: String = arg(api_key, "apiKey")?;
        let options: Option<VerifyOptions> = top(options, "options", Call::plain("verifyWebhook"))?;
        let signature = header(signature, "signature", "X-Webhook-Signature")?;
        let timestamp = header(timestamp, "timestamp", "X-Webhook-Timestamp")?;
        Ok(clickairtime::webhooks::verify(
            &body.0,
            &signature,
            &timestamp,
            &api_key,
            tolerance(options),
        )?)
    })
}

/// Parse a webhook body (verify it first) into a typed event. The raw body, as for `verifyWebhook`.
#[napi(ts_args_type = "body: Buffer | Uint8Array | string")]
pub fn parse_webhook(env: Env, body: Unknown) -> Result<WebhookEvent> {
    sync(&env, || {
        let body: RawBody = arg(body, "body")?;
        Ok(clickairtime::webhooks::parse(&body.0).map(Into::into)?)
    })
}

/// Verify, then parse.
#[napi(
    ts_args_type = "body: Buffer | Uint8Array | string, signature: string | undefined, timestamp: string | undefined, apiKey: string, options?: VerifyOptions"
)]
pub fn construct_webhook_event(
    env: Env,
    body: Unknown,
    signature: Unknown,
    timestamp: Unknown,
    api_key: Unknown,
    options: Unknown,
) -> Result<WebhookEvent> {
    sync(&env, || {
        let body: RawBody = arg(body, "body")?;
        let api_key: String = arg(api_key, "apiKey")?;
        let options: Option<VerifyOptions> =
            top(options, "options", Call::plain("constructWebhookEvent"))?;
        let signature = header(signature, "signature", "X-Webhook-Signature")?;
        let timestamp = header(timestamp, "timestamp", "X-Webhook-Timestamp")?;
        Ok(clickairtime::webhooks::construct_event(
            &body.0,
            &signature,
            &timestamp,
            &api_key,
            tolerance(options),
        )
        .map(Into::into)?)
    })
}

/// The signature the API would send for `body` at `timestamp` (unix seconds), for tests and your own servers.
#[napi(ts_args_type = "body: Buffer | Uint8Array | string, timestamp: string, apiKey: string")]
pub fn sign_webhook(
    env: Env,
    body: Unknown,
    timestamp: Unknown,
    api_key: Unknown,
) -> Result<String> {
    sync(&env, || {
        let body: RawBody = arg(body, "body")?;
        let timestamp: String = arg(timestamp, "timestamp")?;
        let api_key: String = arg(api_key, "apiKey")?;
        Ok(clickairtime::webhooks::sign(&body.0, &timestamp, &api_key))
    })
}

/// Verify a webhook with a client's key (`client.verifyWebhook`).
pub(crate) fn verify_with<F>(
    env: &Env,
    body: Unknown,
    signature: Unknown,
    timestamp: Unknown,
    verify: F,
) -> Result<WebhookEvent>
where
    F: FnOnce(&[u8], &str, &str) -> clickairtime::Result<clickairtime::v2::webhooks::WebhookEvent>,
{
    sync(env, || {
        let body: RawBody = arg(body, "body")?;
        let signature = header(signature, "signature", "X-Webhook-Signature")?;
        let timestamp = header(timestamp, "timestamp", "X-Webhook-Timestamp")?;
        Ok(verify(&body.0, &signature, &timestamp).map(Into::into)?)
    })
}
