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
mod cancel;
mod cli;
mod helpers;
mod options;
mod pool;
mod sandbox;
mod settle;
mod types;
mod v1;
mod v2;
mod waits;
mod webhooks;

use args::{arg, bad};

use clickairtime::{Error as CoreError, ErrorKind};
use napi::bindgen_prelude::*;
use napi::{Env, JsValue};
use napi_derive::napi;
use std::cell::RefCell;
use std::mem::ManuallyDrop;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

pub use bulk::{BulkCounts, BulkOptions, BulkReport, BulkRowError, BulkRowResult};
pub use types::*;

pub use cancel::CancelToken;
pub(crate) use cancel::token;
pub use cli::cli_main;
pub use helpers::*;
pub(crate) use settle::promise;
pub(crate) use webhooks::verify_with;
pub use webhooks::{
    VerifyOptions, construct_webhook_event, parse_webhook, sign_webhook, verify_webhook,
};

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
