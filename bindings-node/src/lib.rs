//! Node binding of the clickairtime SDK (napi-rs). Thin: every rule lives in the `clickairtime` core; this crate
//! converts options objects into core requests, core models into plain JS objects, and core errors into
//! `ClickAirtimeError`s. Every network call runs on the libuv thread pool (an `AsyncTask`) and has a `…Sync` twin.

#![deny(clippy::all)]

mod options;
mod sandbox;
mod types;
mod v1;
mod v2;

use clickairtime::{Error as CoreError, ErrorKind};
use napi::bindgen_prelude::*;
use napi::{Env, Task};
use napi_derive::napi;
use std::cell::RefCell;
use std::mem::ManuallyDrop;
use std::time::Duration;

pub use types::*;

// ---------------------------------------------------------------- errors

/// What a `ClickAirtimeError` carries; the constructor argument of the class.
#[napi(object)]
pub struct ErrorInfo {
    /// Stable code, e.g. `INSUFFICIENT_BALANCE`, `OUTCOME_UNKNOWN`.
    #[napi(ts_type = "ErrorCode")]
    pub code: String,
    /// Short lowercase message with its context (never a credential).
    pub message: String,
    /// HTTP status of the answer, when there was one.
    pub http_status: Option<u32>,
    /// The API's own code: a V2 `error.code` or a V1 `code` such as `20`.
    pub api_code: Option<String>,
    /// V2 `meta.request_id`, for support tickets.
    pub request_id: Option<String>,
    /// For sends: the reference that finds the transaction later (V2 `reference`, V1 `extRefId`).
    pub reference: Option<String>,
    /// For V2 sends: the `Idempotency-Key` that was used.
    pub idempotency_key: Option<String>,
    /// The transaction concerned (e.g. a wait that passed its deadline).
    pub transaction_id: Option<String>,
    /// For `INVALID_INPUT`: the offending field, as the core names it (`phone_number`, `amount`, …).
    pub field: Option<String>,
    /// For `RATE_LIMITED`: how long the server asked to wait, in milliseconds.
    pub retry_after_ms: Option<f64>,
    /// The response body (truncated), kept for diagnosis.
    pub body: Option<String>,
}

impl From<&CoreError> for ErrorInfo {
    fn from(e: &CoreError) -> Self {
        ErrorInfo {
            code: e.kind().as_str().to_owned(),
            message: e.to_string(),
            http_status: e.http_status().map(u32::from),
            api_code: e.api_code().map(str::to_owned),
            request_id: e.request_id().map(str::to_owned),
            reference: e.reference().map(str::to_owned),
            idempotency_key: e.idempotency_key().map(str::to_owned),
            transaction_id: e.transaction_id().map(str::to_owned),
            field: e.field().map(str::to_owned),
            retry_after_ms: e.retry_after().map(|d| d.as_millis() as f64),
            body: e.body().map(str::to_owned),
        }
    }
}

thread_local! {
    // The `ClickAirtimeError` class registered by the JS entry point, per JS thread (main or worker).
    // Never released: it lives as long as the environment.
    static ERROR_CLASS: RefCell<Option<ManuallyDrop<FunctionRef<ErrorInfo, ()>>>> = const { RefCell::new(None) };
}

/// Called once by the package entry point with the `ClickAirtimeError` class it defines.
#[napi(skip_typescript)]
pub fn register_error_class(ctor: Function<ErrorInfo, ()>) -> Result<()> {
    let r = ctor.create_ref()?;
    ERROR_CLASS.with(|c| {
        if let Some(old) = c.borrow_mut().replace(ManuallyDrop::new(r)) {
            drop(ManuallyDrop::into_inner(old));
        }
    });
    Ok(())
}

/// A core error as a thrown JS value: a `ClickAirtimeError` when the class is registered, else a plain `Error`
/// with the same properties.
pub(crate) fn js_error(env: &Env, e: &CoreError) -> napi::Error {
    let made = ERROR_CLASS.with(|c| {
        let c = c.borrow();
        let r = c.as_ref()?;
        let ctor = r.borrow_back(env).ok()?;
        ctor.new_instance(ErrorInfo::from(e))
            .ok()
            .map(napi::Error::from)
    });
    if let Some(err) = made {
        return err;
    }
    match plain_error(env, e) {
        Ok(err) => err,
        Err(_) => napi::Error::new(Status::GenericFailure, e.to_string()),
    }
}

fn plain_error(env: &Env, e: &CoreError) -> Result<napi::Error> {
    let info = ErrorInfo::from(e);
    let mut obj = env.create_error(napi::Error::new(
        Status::GenericFailure,
        info.message.clone(),
    ))?;
    obj.set_named_property("name", "ClickAirtimeError")?;
    obj.set_named_property("code", info.code.as_str())?;
    macro_rules! opt {
        ($js:literal, $v:expr) => {
            if let Some(v) = $v {
                obj.set_named_property($js, v)?;
            }
        };
    }
    opt!("httpStatus", info.http_status);
    opt!("apiCode", info.api_code);
    opt!("requestId", info.request_id);
    opt!("reference", info.reference);
    opt!("idempotencyKey", info.idempotency_key);
    opt!("transactionId", info.transaction_id);
    opt!("field", info.field);
    opt!("retryAfterMs", info.retry_after_ms);
    opt!("body", info.body);
    Ok(napi::Error::from(obj.to_unknown()))
}

/// Run a core call on the JS thread (the `…Sync` twins), throwing a `ClickAirtimeError` on failure.
pub(crate) fn sync<T>(env: &Env, r: clickairtime::Result<T>) -> Result<T> {
    r.map_err(|e| js_error(env, &e))
}

// ---------------------------------------------------------------- async work

type Work<T> = Box<dyn FnOnce() -> clickairtime::Result<T> + Send>;

/// One blocking core call, run on the libuv thread pool; resolves with its converted result or rejects with a
/// `ClickAirtimeError`.
pub struct Job<T> {
    work: Option<Work<T>>,
}

impl<T> Job<T> {
    pub(crate) fn task(
        f: impl FnOnce() -> clickairtime::Result<T> + Send + 'static,
    ) -> AsyncTask<Job<T>>
    where
        Job<T>: Task,
    {
        AsyncTask::new(Job {
            work: Some(Box::new(f)),
        })
    }
}

impl<T: ToNapiValue + TypeName + Send + 'static> Task for Job<T> {
    type Output = clickairtime::Result<T>;
    type JsValue = T;

    fn compute(&mut self) -> Result<Self::Output> {
        let work = self
            .work
            .take()
            .ok_or_else(|| napi::Error::new(Status::GenericFailure, "task ran twice"))?;
        Ok(
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| {
                Err(CoreError::new(
                    ErrorKind::Api,
                    "internal error: the call panicked",
                ))
            }),
        )
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<T> {
        output.map_err(|e| js_error(&env, &e))
    }
}

// ---------------------------------------------------------------- webhooks

/// Options of `verifyWebhook` and `constructWebhookEvent`.
#[napi(object)]
pub struct VerifyOptions {
    /// Largest age (and future skew) of the timestamp, in seconds. Default 300.
    pub tolerance_sec: Option<u32>,
    /// Set to false to skip the timestamp check (signature only). Default true.
    pub check_timestamp: Option<bool>,
}

fn body_bytes(body: &Either<Buffer, String>) -> &[u8] {
    match body {
        Either::A(b) => b.as_ref(),
        Either::B(s) => s.as_bytes(),
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
/// time, and the timestamp within the tolerance. Pass the raw body (e.g. from `express.raw()`), not re-serialised
/// JSON. Throws `ClickAirtimeError` with code `INVALID_SIGNATURE` when it does not verify.
#[napi]
pub fn verify_webhook(
    env: Env,
    body: Either<Buffer, String>,
    signature: String,
    timestamp: String,
    api_key: String,
    options: Option<VerifyOptions>,
) -> Result<()> {
    sync(
        &env,
        clickairtime::webhooks::verify(
            body_bytes(&body),
            &signature,
            &timestamp,
            &api_key,
            tolerance(options),
        ),
    )
}

/// Parse a webhook body (verify it first) into a typed event.
#[napi]
pub fn parse_webhook(env: Env, body: Either<Buffer, String>) -> Result<WebhookEvent> {
    sync(
        &env,
        clickairtime::webhooks::parse(body_bytes(&body)).map(Into::into),
    )
}

/// Verify, then parse.
#[napi]
pub fn construct_webhook_event(
    env: Env,
    body: Either<Buffer, String>,
    signature: String,
    timestamp: String,
    api_key: String,
    options: Option<VerifyOptions>,
) -> Result<WebhookEvent> {
    let r = clickairtime::webhooks::construct_event(
        body_bytes(&body),
        &signature,
        &timestamp,
        &api_key,
        tolerance(options),
    );
    sync(&env, r.map(Into::into))
}

/// The signature the API would send for `body` at `timestamp` (unix seconds), for tests and your own servers.
#[napi]
pub fn sign_webhook(body: Either<Buffer, String>, timestamp: String, api_key: String) -> String {
    clickairtime::webhooks::sign(body_bytes(&body), &timestamp, &api_key)
}

// ---------------------------------------------------------------- helpers

/// Convert a V1 msisdn or a loosely written number to E.164 (`+233541112259`), validating it.
#[napi(js_name = "toE164")]
pub fn to_e164(env: Env, number: String) -> Result<String> {
    sync(&env, clickairtime::phone::to_e164(&number))
}

/// Convert an E.164 number to the V1 msisdn form (`233541112259`), validating it.
#[napi]
pub fn to_msisdn(env: Env, number: String) -> Result<String> {
    sync(&env, clickairtime::phone::to_msisdn(&number))
}

/// Throw `INVALID_INPUT` unless `phone` is E.164 (`+`, country code, 8–15 digits).
#[napi(js_name = "validateE164")]
pub fn validate_e164(env: Env, phone: String) -> Result<()> {
    sync(
        &env,
        clickairtime::phone::validate_e164("phone_number", &phone),
    )
}

/// Throw `INVALID_INPUT` unless `msisdn` is the V1 form (digits, no `+`).
#[napi]
pub fn validate_msisdn(env: Env, msisdn: String) -> Result<()> {
    sync(
        &env,
        clickairtime::phone::validate_msisdn("msisdn", &msisdn),
    )
}

/// Parse and validate an amount (`"12.50"`, `12.5`) exactly as the clients do; returns its exact decimal
/// string. Numbers are read in their shortest round-trip form (`0.1` → `"0.1"`).
#[napi]
pub fn parse_amount(env: Env, amount: Either<String, f64>) -> Result<String> {
    sync(
        &env,
        options::amount("amount", amount).map(|d| d.to_string()),
    )
}

/// Every error code, in a stable order.
#[napi]
pub fn error_codes() -> Vec<String> {
    ErrorKind::ALL
        .iter()
        .map(|k| k.as_str().to_owned())
        .collect()
}

/// Version of this package (and of the Rust core it wraps).
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
