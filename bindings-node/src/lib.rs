//! Node binding of the clickairtime SDK (napi-rs). Thin: every rule lives in the `clickairtime` core; this crate
//! converts options objects into core requests, core models into plain JS objects, and core errors into
//! `ClickAirtimeError`s. Every network call runs on the libuv thread pool (an `AsyncTask`) and has a `…Sync` twin.
//! Every body runs inside one panic guard ([`guarded`]): a panic becomes a `ClickAirtimeError`, never an abort
//! of the Node process.

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
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub use types::*;

// ---------------------------------------------------------------- errors

/// What a `ClickAirtimeError` carries; the constructor argument of the class.
#[napi(object)]
#[derive(Clone, Debug, Default)]
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
    /// The transaction concerned: for `STILL_PENDING` the one waited on; for `DUPLICATE_SALE` and
    /// `REFERENCE_CONFLICT` the other, existing sale.
    pub transaction_id: Option<String>,
    /// For `INVALID_INPUT`: the offending field, as the core names it (`phone_number`, `amount`, …).
    pub field: Option<String>,
    /// For `RATE_LIMITED`: how long the server asked to wait, in milliseconds.
    pub retry_after_ms: Option<f64>,
    /// The response body (truncated, the client's own secrets scrubbed), kept for diagnosis.
    pub body: Option<String>,
    /// For `OUTCOME_UNKNOWN`: the code of the last answer or failure that left the outcome open.
    #[napi(ts_type = "ErrorCode")]
    pub cause_kind: Option<String>,
    /// For `STILL_PENDING`: the last status seen (`processing`, `PENDING` …).
    pub status: Option<String>,
    /// For `DUPLICATE_SALE` and `REFERENCE_CONFLICT`: the reference of the other, existing sale.
    pub existing_reference: Option<String>,
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
            cause_kind: e.cause_kind().map(|k| k.as_str().to_owned()),
            status: e.status().map(str::to_owned),
            existing_reference: e.existing_reference().map(str::to_owned),
        }
    }
}

/// A core error, boxed for [`Out`].
pub(crate) fn info(e: CoreError) -> Box<ErrorInfo> {
    Box::new(ErrorInfo::from(&e))
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

/// An error as a thrown JS value: a `ClickAirtimeError` when the class is registered, else a plain `Error`
/// with the same properties.
pub(crate) fn js_error(env: &Env, info: ErrorInfo) -> napi::Error {
    let made = ERROR_CLASS.with(|c| {
        let c = c.borrow();
        let r = c.as_ref()?;
        let ctor = r.borrow_back(env).ok()?;
        ctor.new_instance(info.clone()).ok().map(napi::Error::from)
    });
    if let Some(err) = made {
        return err;
    }
    let message = info.message.clone();
    match plain_error(env, info) {
        Ok(err) => err,
        Err(_) => napi::Error::new(Status::GenericFailure, message),
    }
}

fn plain_error(env: &Env, info: ErrorInfo) -> Result<napi::Error> {
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
    opt!("causeKind", info.cause_kind);
    opt!("status", info.status);
    opt!("existingReference", info.existing_reference);
    Ok(napi::Error::from(obj.to_unknown()))
}

// ---------------------------------------------------------------- the panic guard

/// A binding call's result before it reaches JS: the value, or what the `ClickAirtimeError` will carry.
pub(crate) type Out<T> = std::result::Result<T, Box<ErrorInfo>>;

/// Test hook state (see `__armPanicForTests`): guarded calls to let through, then guarded calls to panic.
static PANIC_ARMED: AtomicBool = AtomicBool::new(false);
static PANIC_PLAN: Mutex<(u32, u32)> = Mutex::new((0, 0));

/// Whether the test hook wants this guarded call to panic.
fn armed_panic_due() -> bool {
    if !PANIC_ARMED.load(Ordering::Relaxed) {
        return false;
    }
    let mut plan = PANIC_PLAN.lock().unwrap_or_else(|p| p.into_inner());
    let (skip, count) = &mut *plan;
    let due = if *skip > 0 {
        *skip -= 1;
        false
    } else if *count > 0 {
        *count -= 1;
        true
    } else {
        false
    };
    if *skip == 0 && *count == 0 {
        PANIC_ARMED.store(false, Ordering::Relaxed);
    }
    due
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned());
    text.chars().take(200).collect()
}

/// THE panic guard: every `…Sync` function, every exported function and every asynchronous task runs its
/// body through here, so a panic in the core (or in this binding) becomes a `ClickAirtimeError` instead of
/// aborting the Node process. A panic is reported as `API_ERROR` ("internal error …"), or, for a send
/// (`send` is its reference and key), as `OUTCOME_UNKNOWN`: a panic after the write may have left a
/// created top-up behind, so it must never read as "not sent".
pub(crate) fn guarded<T>(send: Option<(&str, Option<&str>)>, f: impl FnOnce() -> Out<T>) -> Out<T> {
    let run = std::panic::AssertUnwindSafe(move || {
        if armed_panic_due() {
            panic!("panic armed by __armPanicForTests");
        }
        f()
    });
    match std::panic::catch_unwind(run) {
        Ok(r) => r,
        Err(payload) => {
            let text = panic_text(payload.as_ref());
            Err(Box::new(match send {
                None => ErrorInfo {
                    code: ErrorKind::Api.as_str().to_owned(),
                    message: format!(
                        "internal error: the call panicked ({text}); please report it"
                    ),
                    ..Default::default()
                },
                Some((reference, key)) => ErrorInfo {
                    code: ErrorKind::OutcomeUnknown.as_str().to_owned(),
                    message: format!(
                        "outcome unknown: internal error: the send panicked ({text}); the top-up may have been received. Do not sell it again: recover() or reconcile reference {reference} later"
                    ),
                    reference: Some(reference.to_owned()),
                    idempotency_key: key.map(str::to_owned),
                    cause_kind: Some(ErrorKind::Api.as_str().to_owned()),
                    ..Default::default()
                },
            }))
        }
    }
}

/// Run a core call on the JS thread (the `…Sync` twins and exported functions), panics caught, throwing a
/// `ClickAirtimeError` on failure.
pub(crate) fn sync<T>(env: &Env, f: impl FnOnce() -> clickairtime::Result<T>) -> Result<T> {
    guarded(None, || f().map_err(info)).map_err(|e| js_error(env, *e))
}

/// [`sync`] for a send whose reference and key are fixed: a panic is `OUTCOME_UNKNOWN` with them.
pub(crate) fn sync_send<T>(
    env: &Env,
    reference: &str,
    key: Option<&str>,
    f: impl FnOnce() -> clickairtime::Result<T>,
) -> Result<T> {
    guarded(Some((reference, key)), || f().map_err(info)).map_err(|e| js_error(env, *e))
}

/// [`sync`] for bodies that already speak napi (the sandbox): panics caught, errors passed through.
pub(crate) fn sync_napi<T>(env: &Env, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let mut napi_err = None;
    let r = guarded(None, || {
        f().map_err(|e| {
            let info = Box::new(ErrorInfo {
                code: ErrorKind::InvalidInput.as_str().to_owned(),
                message: e.reason.clone(),
                ..Default::default()
            });
            napi_err = Some(e);
            info
        })
    });
    match r {
        Ok(v) => Ok(v),
        Err(info) => Err(napi_err.unwrap_or_else(|| js_error(env, *info))),
    }
}

/// Test hook: let the next `skip` guarded calls through, then make `count` guarded calls panic inside the
/// guard, to prove a panic becomes a `ClickAirtimeError` and never aborts the process. Refused unless
/// `CLICKAIRTIME_TEST_HOOKS=1` is set in the environment; not part of the typed API.
#[napi(js_name = "__armPanicForTests", skip_typescript)]
pub fn arm_panic_for_tests(env: Env, count: u32, skip: Option<u32>) -> Result<()> {
    if std::env::var("CLICKAIRTIME_TEST_HOOKS").as_deref() != Ok("1") {
        return Err(js_error(
            &env,
            ErrorInfo {
                code: ErrorKind::InvalidInput.as_str().to_owned(),
                message: "invalid input: test hooks are off (set CLICKAIRTIME_TEST_HOOKS=1)".into(),
                ..Default::default()
            },
        ));
    }
    *PANIC_PLAN.lock().unwrap_or_else(|p| p.into_inner()) = (skip.unwrap_or(0), count);
    PANIC_ARMED.store(count > 0, Ordering::SeqCst);
    Ok(())
}

// ---------------------------------------------------------------- async work

type Work<T> = Box<dyn FnOnce() -> Out<T> + Send>;

/// One blocking core call, run on the libuv thread pool (panics caught); resolves with its converted result
/// or rejects with a `ClickAirtimeError`.
pub struct Job<T> {
    work: Option<Work<T>>,
    send: Option<(String, Option<String>)>,
}

impl<T> Job<T> {
    /// A core call (reads, waits, journal calls).
    pub(crate) fn task(
        f: impl FnOnce() -> clickairtime::Result<T> + Send + 'static,
    ) -> AsyncTask<Job<T>>
    where
        Job<T>: Task,
    {
        AsyncTask::new(Job {
            work: Some(Box::new(move || f().map_err(info))),
            send: None,
        })
    }

    /// A send whose reference and key are fixed: a panic is `OUTCOME_UNKNOWN` with them.
    pub(crate) fn send(
        reference: String,
        key: Option<String>,
        f: impl FnOnce() -> clickairtime::Result<T> + Send + 'static,
    ) -> AsyncTask<Job<T>>
    where
        Job<T>: Task,
    {
        AsyncTask::new(Job {
            work: Some(Box::new(move || f().map_err(info))),
            send: Some((reference, key)),
        })
    }

    /// A call that failed before it could start (invalid options): rejects with `e`.
    pub(crate) fn fail_info(e: Box<ErrorInfo>) -> AsyncTask<Job<T>>
    where
        Job<T>: Task,
    {
        AsyncTask::new(Job {
            work: Some(Box::new(move || Err(e))),
            send: None,
        })
    }
}

impl<T: ToNapiValue + TypeName + Send + 'static> Task for Job<T> {
    type Output = Out<T>;
    type JsValue = T;

    fn compute(&mut self) -> Result<Self::Output> {
        let work = self
            .work
            .take()
            .ok_or_else(|| napi::Error::new(Status::GenericFailure, "task ran twice"))?;
        let send = self.send.as_ref().map(|(r, k)| (r.as_str(), k.as_deref()));
        Ok(guarded(send, work))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<T> {
        output.map_err(|e| js_error(&env, *e))
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
    sync(&env, || {
        clickairtime::webhooks::verify(
            body_bytes(&body),
            &signature,
            &timestamp,
            &api_key,
            tolerance(options),
        )
    })
}

/// Parse a webhook body (verify it first) into a typed event.
#[napi]
pub fn parse_webhook(env: Env, body: Either<Buffer, String>) -> Result<WebhookEvent> {
    sync(&env, || {
        clickairtime::webhooks::parse(body_bytes(&body)).map(Into::into)
    })
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
    sync(&env, || {
        clickairtime::webhooks::construct_event(
            body_bytes(&body),
            &signature,
            &timestamp,
            &api_key,
            tolerance(options),
        )
        .map(Into::into)
    })
}

/// The signature the API would send for `body` at `timestamp` (unix seconds), for tests and your own servers.
#[napi]
pub fn sign_webhook(
    env: Env,
    body: Either<Buffer, String>,
    timestamp: String,
    api_key: String,
) -> Result<String> {
    sync(&env, || {
        Ok(clickairtime::webhooks::sign(
            body_bytes(&body),
            &timestamp,
            &api_key,
        ))
    })
}

// ---------------------------------------------------------------- helpers

/// Convert a V1 msisdn or a loosely written number to E.164 (`+233541112259`), validating it.
#[napi(js_name = "toE164")]
pub fn to_e164(env: Env, number: String) -> Result<String> {
    sync(&env, || clickairtime::phone::to_e164(&number))
}

/// Convert an E.164 number to the V1 msisdn form (`233541112259`), validating it.
#[napi]
pub fn to_msisdn(env: Env, number: String) -> Result<String> {
    sync(&env, || clickairtime::phone::to_msisdn(&number))
}

/// Throw `INVALID_INPUT` unless `phone` is E.164 (`+`, country code, 8–15 digits).
#[napi(js_name = "validateE164")]
pub fn validate_e164(env: Env, phone: String) -> Result<()> {
    sync(&env, || {
        clickairtime::phone::validate_e164("phone_number", &phone)
    })
}

/// Throw `INVALID_INPUT` unless `msisdn` is the V1 form (digits, no `+`).
#[napi]
pub fn validate_msisdn(env: Env, msisdn: String) -> Result<()> {
    sync(&env, || {
        clickairtime::phone::validate_msisdn("msisdn", &msisdn)
    })
}

/// Parse and validate an amount (`"12.50"`, `12.5`) exactly as the clients do; returns its exact decimal
/// string. Numbers are read in their shortest round-trip form (`0.1` → `"0.1"`).
#[napi]
pub fn parse_amount(env: Env, amount: Either<String, f64>) -> Result<String> {
    sync(&env, || {
        options::amount("amount", amount).map(|d| d.to_string())
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
#[napi]
pub fn idempotency_key_for(env: Env, reference: String) -> Result<String> {
    sync(&env, || {
        if reference.is_empty() {
            return Err(CoreError::invalid("reference", "must not be empty"));
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
pub fn is_definitely_not_sent(env: Env, code: String) -> Result<bool> {
    sync(&env, || match ErrorKind::from_name(&code) {
        Some(k) => Ok(k.is_definitely_not_sent()),
        None => Err(CoreError::invalid(
            "code",
            format!("{code:?} is not an error code"),
        )),
    })
}

/// Version of this package (and of the Rust core it wraps).
#[napi]
pub fn version(env: Env) -> Result<String> {
    sync(&env, || Ok(env!("CARGO_PKG_VERSION").to_owned()))
}
