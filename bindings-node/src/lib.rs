//! Node binding of the clickairtime SDK (napi-rs). Thin: every rule lives in the `clickairtime` core; this crate
//! converts arguments (by hand, [`args`]: every mistake is a `ClickAirtimeError` naming the option) into core
//! requests, core models into plain JS objects (the record with its `meta` attached), and core errors into
//! `ClickAirtimeError`s.
//!
//! Asynchronous calls never use libuv's thread pool: their blocking work (one exchange, one send, one journal
//! query) runs on the SDK's own threads ([`pool`]) and settles its Promise through a threadsafe function
//! ([`promise`]). Waits are driven from JS one exchange at a time (`…WaitSteps.step()`), sleeping on JS timers
//! between polls; the JS entry point (`clickairtime.js`) drives them and wires `AbortSignal`s to
//! [`CancelToken`]s. Every call has a blocking `…Sync` twin. Every body runs inside one panic guard
//! ([`guarded`]): a panic becomes a `ClickAirtimeError`, never an abort of the Node process.

#![deny(clippy::all)]

mod args;
mod bulk;
mod options;
mod pool;
mod sandbox;
mod types;
mod v1;
mod v2;

use args::{FromJs, RawBody, arg, bad, top};

use clickairtime::{Error as CoreError, ErrorKind};
use napi::bindgen_prelude::*;
use napi::{Env, JsValue};
use napi_derive::napi;
use std::cell::RefCell;
use std::mem::ManuallyDrop;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub use bulk::{BulkCounts, BulkOptions, BulkReport, BulkRowError, BulkRowResult};
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
    /// For `INVALID_INPUT`: the offending argument or option, as Node spells it (`phoneNumber`, `amount`, …).
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
    /// For `INVALID_INPUT` from `bulk`: every bad row of the input (the message lists the first 50).
    pub row_errors: Option<Vec<bulk::BulkRowError>>,
}

impl From<&CoreError> for ErrorInfo {
    fn from(e: &CoreError) -> Self {
        // Node names fields as its options do (`phone_number` → `phoneNumber`), in `field` and in the message
        let field = e.field().map(args::node_field);
        let mut message = e.to_string();
        if let (Some(core), Some(node)) = (e.field(), field.as_deref()) {
            // "invalid input: phone_number: …": the field follows the kind's label
            let needle = format!(": {core}: ");
            if let Some(i) = message.find(&needle).filter(|i| *i < 40) {
                message.replace_range(i..i + needle.len(), &format!(": {node}: "));
            }
        }
        let message = message.replace("to_e164_in(number, country)", "toE164(number, country)");
        ErrorInfo {
            code: e.kind().as_str().to_owned(),
            message,
            http_status: e.http_status().map(u32::from),
            api_code: e.api_code().map(str::to_owned),
            request_id: e.request_id().map(str::to_owned),
            reference: e.reference().map(str::to_owned),
            idempotency_key: e.idempotency_key().map(str::to_owned),
            transaction_id: e.transaction_id().map(str::to_owned),
            field,
            retry_after_ms: e.retry_after().map(|d| d.as_millis() as f64),
            body: e.body().map(str::to_owned),
            cause_kind: e.cause_kind().map(|k| k.as_str().to_owned()),
            status: e.status().map(str::to_owned),
            existing_reference: e.existing_reference().map(str::to_owned),
            row_errors: None,
        }
    }
}

/// A core error, boxed for [`Out`].
pub(crate) fn info(e: CoreError) -> Box<ErrorInfo> {
    Box::new(ErrorInfo::from(&e))
}

impl From<CoreError> for Box<ErrorInfo> {
    fn from(e: CoreError) -> Self {
        info(e)
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
    opt!("rowErrors", info.row_errors);
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

/// Run a call on the JS thread (the `…Sync` twins and exported functions), panics caught, throwing a
/// `ClickAirtimeError` on failure. Core errors convert with `?`.
pub(crate) fn sync<T>(env: &Env, f: impl FnOnce() -> Out<T>) -> Result<T> {
    guarded(None, f).map_err(|e| js_error(env, *e))
}

/// [`sync`] for a send whose reference and key are fixed: a panic is `OUTCOME_UNKNOWN` with them.
pub(crate) fn sync_send<T>(
    env: &Env,
    reference: &str,
    key: Option<&str>,
    f: impl FnOnce() -> Out<T>,
) -> Result<T> {
    guarded(Some((reference, key)), f).map_err(|e| js_error(env, *e))
}

/// Test hook: let the next `skip` guarded calls through, then make `count` guarded calls panic inside the
/// guard, to prove a panic becomes a `ClickAirtimeError` and never aborts the process. Refused unless
/// `CLICKAIRTIME_TEST_HOOKS=1` is set in the environment; not part of the typed API.
#[napi(js_name = "__armPanicForTests", skip_typescript)]
pub fn arm_panic_for_tests(env: Env, count: Unknown, skip: Unknown) -> Result<()> {
    sync(&env, || {
        let count: u32 = arg(count, "count")?;
        let skip: Option<u32> = arg(skip, "skip")?;
        if std::env::var("CLICKAIRTIME_TEST_HOOKS").as_deref() != Ok("1") {
            return Err(bad(
                "CLICKAIRTIME_TEST_HOOKS",
                "test hooks are off (set it to 1)",
            ));
        }
        *PANIC_PLAN.lock().unwrap_or_else(|p| p.into_inner()) = (skip.unwrap_or(0), count);
        PANIC_ARMED.store(count > 0, Ordering::SeqCst);
        Ok(())
    })
}

/// Test hook: how many of the SDK's own threads are alive (they run blocking work; libuv's are never used).
#[napi(js_name = "__sdkThreadsForTests", skip_typescript)]
pub fn sdk_threads_for_tests() -> u32 {
    pool::threads() as u32
}

// ---------------------------------------------------------------- async work

/// Start `work` on one of the SDK's threads (panics caught) and return a Promise of its result: resolved with
/// the converted value on the JS thread, or rejected with a `ClickAirtimeError`. `send` (the reference and
/// key of a send) makes a panic `OUTCOME_UNKNOWN` with them.
pub(crate) fn promise<'e, T>(
    env: &'e Env,
    send: Option<(String, Option<String>)>,
    work: impl FnOnce() -> Out<T> + Send + 'static,
) -> Result<Object<'e>>
where
    T: ToNapiValue + Send + 'static,
{
    type Resolver<T> = Box<dyn FnOnce(Env) -> Result<T>>;
    let (deferred, promise) = env.create_deferred::<T, Resolver<T>>()?;
    pool::submit(move || {
        let send = send.as_ref().map(|(r, k)| (r.as_str(), k.as_deref()));
        let out = guarded(send, work);
        deferred.resolve(Box::new(move |env: Env| {
            out.map_err(|e| js_error(&env, *e))
        }));
    });
    Ok(promise)
}

/// A cancel token: the JS entry point makes one per call that has an `AbortSignal` and cancels it when the
/// signal aborts. A send honours it only while nothing of the sale can have been received (then it ends
/// `CANCELLED`, nothing sent); a written send runs on to its outcome. A wait stops polling; a listing stops
/// between pages. Internal: use the `signal` option.
#[napi]
pub struct CancelToken {
    pub(crate) c: clickairtime::Cancel,
    /// The flag behind `c` (a bulk run's stop flag).
    pub(crate) flag: std::sync::Arc<AtomicBool>,
}

#[napi]
impl CancelToken {
    #[napi(constructor)]
    pub fn new() -> Self {
        let flag = std::sync::Arc::new(AtomicBool::new(false));
        CancelToken {
            c: clickairtime::Cancel::from(flag.clone()),
            flag,
        }
    }

    /// Cancel every call holding this token.
    #[napi]
    pub fn cancel(&self) {
        self.c.cancel()
    }

    /// Whether `cancel()` was called.
    #[napi(getter)]
    pub fn cancelled(&self) -> bool {
        self.c.is_cancelled()
    }
}

impl Default for CancelToken {
    fn default() -> Self {
        Self::new()
    }
}

/// The core token of an optional `CancelToken` argument (passed by the JS entry point only).
pub(crate) fn token(t: Option<&ClassInstance<CancelToken>>) -> Option<clickairtime::Cancel> {
    t.map(|t| t.c.clone())
}

/// A setting from `process.env` as this JS environment sees it (empty counts as unset).
pub(crate) fn env_var(env: &Env, name: &str) -> Option<String> {
    let global = env.get_global().ok()?;
    let process: Object = global.get_named_property("process").ok()?;
    let vars: Object = process.get_named_property("env").ok()?;
    let v: Unknown = vars.get_named_property(name).ok()?;
    match v.get_type().ok()? {
        napi::ValueType::String => unsafe { v.cast::<String>() }.ok().filter(|s| !s.is_empty()),
        _ => None,
    }
}

// ---------------------------------------------------------------- the command

/// Run the `clickairtime` command (the Rust crate `clickairtime-cli`: the same code as the cargo binary and the
/// Python entry point) with `args` (`args[0]` is the program name, as in `process.argv.slice(1)`), on one of the
/// SDK's own threads; resolves with its exit code. It is what the package's `clickairtime` bin (`npx
/// clickairtime`) runs. It writes to the process's stdout and stderr (file descriptors 1 and 2) and reads its
/// environment (`CLICKAIRTIME_*`); `bulk`, `sandbox` and `webhooks listen` install a Ctrl-C / SIGTERM handler
/// for the whole process (after that, Ctrl-C exits the process with 130 when no command is running) — so call
/// it from a command-line program, not from a server.
#[napi(ts_args_type = "args: string[]", ts_return_type = "Promise<number>")]
pub fn cli_main<'e>(env: &'e Env, args: Unknown) -> Result<Object<'e>> {
    let args: Vec<String> = sync(env, || {
        let args: Vec<String> = arg(args, "args")?;
        if args.is_empty() {
            return Err(bad("args", "must hold at least the program name (args[0])"));
        }
        Ok(args)
    })?;
    promise(env, None, move || {
        let code = clickairtime_cli::main_with_args(args);
        // no Rust `main` returns here to flush them: a last line without a newline would be lost
        let _ = std::io::Write::flush(&mut std::io::stdout());
        let _ = std::io::Write::flush(&mut std::io::stderr());
        Ok(code)
    })
}

// ---------------------------------------------------------------- webhooks

/// Options of `verifyWebhook` and `constructWebhookEvent`.
#[napi(object, object_from_js = false)]
pub struct VerifyOptions {
    /// Largest age (and future skew) of the timestamp, in seconds. Default 300.
    pub tolerance_sec: Option<u32>,
    /// Set to false to skip the timestamp check (signature only). Default true.
    pub check_timestamp: Option<bool>,
}
args::from_js!(VerifyOptions {
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
        let options: Option<VerifyOptions> = top(options, "options")?;
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
        let options: Option<VerifyOptions> = top(options, "options")?;
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

// ---------------------------------------------------------------- helpers

/// Write a phone number as E.164 (`+233541112259`), however it was typed: spaces, dashes, dots and
/// parentheses are removed and a leading `00` is read as `+`. A national number (`0541112259`) needs its
/// `country` (ISO 3166-1 alpha-2, e.g. `'GH'`); digits without `+` and without a country are read as an
/// international number (the V1 msisdn form). Validates the number for its country; errors quote what was
/// typed.
#[napi(js_name = "toE164", ts_args_type = "number: string, country?: string")]
pub fn to_e164(env: Env, number: Unknown, country: Unknown) -> Result<String> {
    sync(&env, || {
        let number: String = arg(number, "phoneNumber")?;
        let country: Option<String> = arg(country, "country")?;
        Ok(match country {
            Some(c) => clickairtime::phone::to_e164_in(&number, &c)?,
            None => clickairtime::phone::to_e164(&number)?,
        })
    })
}

/// Convert an E.164 number (or a formatted international one) to the V1 msisdn form (`233541112259`),
/// validating it.
#[napi(ts_args_type = "number: string")]
pub fn to_msisdn(env: Env, number: Unknown) -> Result<String> {
    sync(&env, || {
        let number: String = arg(number, "msisdn")?;
        Ok(clickairtime::phone::to_msisdn(&number)?)
    })
}

/// Throw `INVALID_INPUT` unless `phone` is strict E.164 (`+`, country code, 8–15 digits, nothing else).
#[napi(js_name = "validateE164", ts_args_type = "phone: string")]
pub fn validate_e164(env: Env, phone: Unknown) -> Result<()> {
    sync(&env, || {
        let phone: String = arg(phone, "phoneNumber")?;
        Ok(clickairtime::phone::validate_e164("phone_number", &phone)?)
    })
}

/// Throw `INVALID_INPUT` unless `msisdn` is the V1 form (digits, no `+`).
#[napi(ts_args_type = "msisdn: string")]
pub fn validate_msisdn(env: Env, msisdn: Unknown) -> Result<()> {
    sync(&env, || {
        let msisdn: String = arg(msisdn, "msisdn")?;
        Ok(clickairtime::phone::validate_msisdn("msisdn", &msisdn)?)
    })
}

/// Parse and validate an amount (`"12.50"`, `12.5`) exactly as the clients do; returns its exact decimal
/// string. Numbers are read in their shortest round-trip form (`0.1` → `"0.1"`).
#[napi(ts_args_type = "amount: string | number")]
pub fn parse_amount(env: Env, amount: Unknown) -> Result<String> {
    sync(&env, || {
        let amount: Either<String, f64> = arg(amount, "amount")?;
        Ok(options::amount("amount", amount).map(|d| d.to_string())?)
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
#[napi(ts_args_type = "reference: string")]
pub fn idempotency_key_for(env: Env, reference: Unknown) -> Result<String> {
    sync(&env, || {
        let reference: String = arg(reference, "reference")?;
        if reference.is_empty() {
            return Err(bad("reference", "must not be empty"));
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
pub fn is_definitely_not_sent(env: Env, code: Unknown) -> Result<bool> {
    sync(&env, || {
        let code: String = arg(code, "code")?;
        match ErrorKind::from_name(&code) {
            Some(k) => Ok(k.is_definitely_not_sent()),
            None => Err(bad("code", format!("{code:?} is not an error code"))),
        }
    })
}

/// Version of this package (and of the Rust core it wraps).
#[napi]
pub fn version(env: Env) -> Result<String> {
    sync(&env, || Ok(env!("CARGO_PKG_VERSION").to_owned()))
}
