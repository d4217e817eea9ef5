//! `Sandbox`: the local emulator of both APIs, run in-process on 127.0.0.1.

use crate::args::{Call, bad, from_js, top};
use crate::types::{TopUp, Transaction};
use crate::{ErrorInfo, Out, promise, sync};
use clickairtime::ErrorKind;
use clickairtime_sandbox::{
    DuplicateMode, Fault, FaultKind, IdempotencyMode, Sandbox as Emulator, SandboxConfig,
};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Options of `new Sandbox(…)` / `Sandbox.start(…)`. All optional.
#[napi(object, object_from_js = false)]
pub struct SandboxOptions {
    /// TCP port on 127.0.0.1 (default: chosen by the OS).
    pub port: Option<u32>,
    /// V2 API key, shape `ce_live_` + 32 alphanumerics (default: random).
    pub api_key: Option<String>,
    /// V1 e-mail (default `pos@sandbox.clickairtime.test`).
    pub v1_email: Option<String>,
    /// V1 token (default: random).
    pub v1_token: Option<String>,
    /// Pending → processing after this many ms (default 100).
    pub processing_after_ms: Option<u32>,
    /// Terminal after this many ms (default 400).
    pub complete_after_ms: Option<u32>,
    /// Answer delay of the slow magic number (+233555000009) and of the `slow` fault, ms (default 3000).
    pub slow_delay_ms: Option<u32>,
    /// V2 duplicate window: same phone, network and amount (or product) within it, ms (default 5000, 0 off).
    pub duplicate_window_ms: Option<u32>,
    /// What the V2 duplicate window answers: `existing` (200 + the existing top-up, default), `conflict`
    /// (409 `DUPLICATE_TRANSACTION` naming it) or `off`.
    #[napi(ts_type = "DuplicateMode")]
    pub duplicate_mode: Option<String>,
    /// What a reused V2 `Idempotency-Key` answers: `conflict` (409 naming the first top-up, default) or
    /// `replay` (200 + its record).
    #[napi(ts_type = "IdempotencyMode")]
    pub idempotency_mode: Option<String>,
    /// V1 near-duplicate window (same msisdn + amount, another `extRefId` → code 50), ms (default 0: off).
    pub v1_duplicate_window_ms: Option<u32>,
    /// V2 requests per minute before 429 (default 600).
    pub rate_limit_per_minute: Option<u32>,
}
from_js!(SandboxOptions {
    port,
    api_key,
    v1_email,
    v1_token,
    processing_after_ms,
    complete_after_ms,
    slow_delay_ms,
    duplicate_window_ms,
    duplicate_mode,
    idempotency_mode,
    v1_duplicate_window_ms,
    rate_limit_per_minute
});

/// A fault for the next matching requests.
#[napi(object, object_from_js = false)]
pub struct FaultOptions {
    /// What happens.
    #[napi(ts_type = "FaultName")]
    pub fault: String,
    /// How many matching requests get it (default 1).
    pub count: Option<u32>,
    /// Let the first `skip` matching requests through untouched (e.g. 1: only the re-send is faulted).
    pub skip: Option<u32>,
    /// Only this method (e.g. `POST`).
    pub method: Option<String>,
    /// Only paths starting with this prefix (e.g. `/v2/topups`).
    pub path: Option<String>,
    /// Delay of `slow` / `slowloris` / `late_commit`, ms.
    pub delay_ms: Option<u32>,
    /// `Retry-After` seconds of `rate_limit`.
    pub retry_after: Option<u32>,
}
from_js!(FaultOptions {
    fault,
    count,
    skip,
    method,
    path,
    delay_ms,
    retry_after
});

/// Every committed transaction of the sandbox.
#[napi(object)]
pub struct SandboxTransactions {
    /// V1 transactions, oldest first.
    pub v1: Vec<Transaction>,
    /// V2 top-ups, oldest first.
    pub v2: Vec<TopUp>,
}

/// One webhook delivery attempt of the sandbox.
#[napi(object)]
pub struct WebhookDelivery {
    /// Top-up concerned.
    pub topup_id: String,
    /// Event type.
    #[napi(ts_type = "EventType")]
    pub event: String,
    /// Callback URL.
    pub url: String,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// `delivered`, `failed` or `skipped`.
    pub outcome: String,
    /// HTTP status of the receiver's answer.
    pub http_status: Option<u32>,
    /// Why it failed.
    pub error: Option<String>,
    /// `X-Webhook-Timestamp` sent.
    pub signature_timestamp: Option<String>,
    /// `X-Webhook-Signature` sent.
    pub signature: Option<String>,
    /// Body sent.
    pub body: String,
}

/// The sandbox's runtime settings (`sandbox.config()`, `sandbox.configure(…)`).
#[napi(object, object_from_js = false)]
pub struct SandboxModes {
    /// `existing`, `conflict` or `off`.
    #[napi(ts_type = "DuplicateMode")]
    pub duplicate_mode: Option<String>,
    /// V2 duplicate window, ms (0: off).
    pub duplicate_window_ms: Option<u32>,
    /// `conflict` or `replay`.
    #[napi(ts_type = "IdempotencyMode")]
    pub idempotency_mode: Option<String>,
    /// V1 near-duplicate window, ms (0: off).
    pub v1_duplicate_window_ms: Option<u32>,
}
from_js!(SandboxModes {
    duplicate_mode,
    duplicate_window_ms,
    idempotency_mode,
    v1_duplicate_window_ms
});

/// Request counters of one API version (`sandbox.stats()`).
#[napi(object)]
pub struct SandboxApiStats {
    /// Requests received.
    pub requests: i64,
    /// Top-up writes received (POSTs), whatever became of them.
    pub posts: i64,
    /// Transactions created.
    pub committed: i64,
    /// Requests in the last rolling minute.
    pub requests_last_minute: i64,
    /// Requests in the last rolling hour.
    pub requests_last_hour: i64,
    /// Most requests seen in any rolling minute.
    pub max_requests_per_minute: i64,
    /// Most requests seen in any rolling hour.
    pub max_requests_per_hour: i64,
    /// Writes in the last rolling minute.
    pub posts_last_minute: i64,
    /// Writes in the last rolling hour.
    pub posts_last_hour: i64,
    /// Most writes seen in any rolling minute.
    pub max_posts_per_minute: i64,
    /// Most writes seen in any rolling hour.
    pub max_posts_per_hour: i64,
}

/// Request counters of both versions.
#[napi(object)]
pub struct SandboxStats {
    /// V1 (`/adp…`).
    pub v1: SandboxApiStats,
    /// V2 (`/v2/…`).
    pub v2: SandboxApiStats,
}

fn api_stats(v: &Value) -> SandboxApiStats {
    let n = |k: &str| v.get(k).and_then(Value::as_i64).unwrap_or(0);
    SandboxApiStats {
        requests: n("requests"),
        posts: n("posts"),
        committed: n("committed"),
        requests_last_minute: n("requests_last_minute"),
        requests_last_hour: n("requests_last_hour"),
        max_requests_per_minute: n("max_requests_per_minute"),
        max_requests_per_hour: n("max_requests_per_hour"),
        posts_last_minute: n("posts_last_minute"),
        posts_last_hour: n("posts_last_hour"),
        max_posts_per_minute: n("max_posts_per_minute"),
        max_posts_per_hour: n("max_posts_per_hour"),
    }
}

fn modes(v: &Value) -> SandboxModes {
    SandboxModes {
        duplicate_mode: s(v, "duplicate_mode"),
        duplicate_window_ms: v
            .get("duplicate_window_ms")
            .and_then(Value::as_u64)
            .map(|x| x as u32),
        idempotency_mode: s(v, "idempotency_mode"),
        v1_duplicate_window_ms: v
            .get("v1_duplicate_window_ms")
            .and_then(Value::as_u64)
            .map(|x| x as u32),
    }
}

fn duplicate_mode(v: &str) -> Out<DuplicateMode> {
    v.parse()
        .map_err(|e: clickairtime_sandbox::UnknownMode| bad("duplicateMode", e))
}

fn idempotency_mode(v: &str) -> Out<IdempotencyMode> {
    v.parse()
        .map_err(|e: clickairtime_sandbox::UnknownMode| bad("idempotencyMode", e))
}

/// An error of the sandbox itself (it is closed, it cannot start, a record is unreadable).
fn failure(kind: ErrorKind, message: String) -> Box<ErrorInfo> {
    Box::new(ErrorInfo {
        code: kind.as_str().to_owned(),
        message,
        ..Default::default()
    })
}

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(|x| match x {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// The emulator, started in-process. `close()` stops it (dropping it does too).
#[napi]
pub struct Sandbox {
    inner: Arc<Mutex<Option<Emulator>>>,
    base_url: String,
    api_key: String,
    v1_email: String,
    v1_token: String,
    port: u32,
}

fn config(o: Option<SandboxOptions>) -> Out<SandboxConfig> {
    let ms = |v: u32| Duration::from_millis(v.into());
    let mut c = SandboxConfig::default();
    if let Some(o) = o {
        if let Some(p) = o.port {
            let p = u16::try_from(p).map_err(|_| bad("port", "must be at most 65535"))?;
            c = c.port(p);
        }
        if let Some(v) = o.api_key {
            c = c.api_key(v);
        }
        if let Some(v) = o.v1_email {
            c = c.v1_email(v);
        }
        if let Some(v) = o.v1_token {
            c = c.v1_token(v);
        }
        if let Some(v) = o.processing_after_ms {
            c = c.processing_after(ms(v));
        }
        if let Some(v) = o.complete_after_ms {
            c = c.complete_after(ms(v));
        }
        if let Some(v) = o.slow_delay_ms {
            c = c.slow_delay(ms(v));
        }
        if let Some(v) = o.duplicate_window_ms {
            c = c.duplicate_window(ms(v));
        }
        if let Some(v) = o.rate_limit_per_minute {
            c = c.rate_limit_per_minute(v);
        }
        if let Some(v) = o.duplicate_mode {
            c = c.duplicate_mode(duplicate_mode(&v)?);
        }
        if let Some(v) = o.idempotency_mode {
            c = c.idempotency_mode(idempotency_mode(&v)?);
        }
        if let Some(v) = o.v1_duplicate_window_ms {
            c = c.v1_duplicate_window(ms(v));
        }
    }
    Ok(c)
}

fn launch(cfg: SandboxConfig) -> Out<Sandbox> {
    let e = Emulator::start_with(cfg).map_err(|e| {
        // a setting it refuses (a malformed key …) is the caller's; anything else is the machine's
        let kind = if e.kind() == std::io::ErrorKind::InvalidInput {
            ErrorKind::InvalidInput
        } else {
            ErrorKind::Connection
        };
        failure(kind, format!("sandbox did not start: {e}"))
    })?;
    Ok(Sandbox {
        base_url: e.base_url().to_owned(),
        api_key: e.api_key().to_owned(),
        v1_email: e.v1_email().to_owned(),
        v1_token: e.v1_token().to_owned(),
        port: e.port().into(),
        inner: Arc::new(Mutex::new(Some(e))),
    })
}

#[napi]
impl Sandbox {
    /// Start a sandbox now (binds 127.0.0.1, takes a few ms).
    #[napi(constructor, ts_args_type = "options?: SandboxOptions")]
    pub fn new(env: Env, options: Unknown) -> Result<Self> {
        sync(&env, || {
            launch(config(top(
                options,
                "options",
                Call::plain("new Sandbox"),
            )?)?)
        })
    }

    // `Sandbox.start(options, { signal })` is defined by the JS entry point on top of this (a static method
    // of a native class cannot be wrapped in place); its type is declared in types-header.d.ts.
    #[napi(js_name = "__start", skip_typescript)]
    pub fn start<'e>(env: &'e Env, options: Unknown) -> Result<Object<'e>> {
        let call = Call::cancellable("Sandbox.start", "Sandbox.start(options, { signal })");
        let cfg = sync(env, || config(top(options, "options", call)?))?;
        promise(env, None, move || launch(cfg))
    }

    /// `http://127.0.0.1:PORT`: the `baseUrl` of both clients.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }
    /// The TCP port.
    #[napi(getter)]
    pub fn port(&self) -> u32 {
        self.port
    }
    /// The V2 API key (also the webhook signing secret).
    #[napi(getter)]
    pub fn api_key(&self) -> String {
        self.api_key.clone()
    }
    /// The V1 e-mail.
    #[napi(getter)]
    pub fn v1_email(&self) -> String {
        self.v1_email.clone()
    }
    /// The V1 token.
    #[napi(getter)]
    pub fn v1_token(&self) -> String {
        self.v1_token.clone()
    }

    fn with<T>(&self, f: impl FnOnce(&Emulator) -> T) -> Out<T> {
        let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match g.as_ref() {
            Some(e) => Ok(f(e)),
            None => Err(failure(
                ErrorKind::Connection,
                "connection error: the sandbox is closed".into(),
            )),
        }
    }

    /// Give the next matching requests a fault (see the sandbox contract).
    #[napi(ts_args_type = "fault: FaultOptions")]
    pub fn inject(&self, env: Env, fault: Unknown) -> Result<()> {
        sync(&env, || {
            self.inject_now(top(fault, "fault", Call::plain("sandbox.inject"))?)
        })
    }

    fn inject_now(&self, fault: FaultOptions) -> Out<()> {
        let kind: FaultKind = fault
            .fault
            .parse()
            .map_err(|e: clickairtime_sandbox::UnknownFault| bad("fault", e))?;
        let mut f = Fault::new(kind);
        if let Some(n) = fault.count {
            f = f.count(n);
        }
        if let Some(n) = fault.skip {
            f = f.skip(n);
        }
        if let Some(m) = fault.method {
            f = f.method(m);
        }
        if let Some(p) = fault.path {
            f = f.path(p);
        }
        if let Some(d) = fault.delay_ms {
            f = f.delay(Duration::from_millis(d.into()));
        }
        if let Some(r) = fault.retry_after {
            f = f.retry_after(r.into());
        }
        self.with(|e| e.inject(f))
    }

    /// Request counters: `posts` counts top-up writes received, `committed` transactions created.
    #[napi]
    pub fn stats(&self, env: Env) -> Result<SandboxStats> {
        sync(&env, || {
            let v = self.with(|e| e.stats())?;
            Ok(SandboxStats {
                v1: api_stats(v.get("v1").unwrap_or(&Value::Null)),
                v2: api_stats(v.get("v2").unwrap_or(&Value::Null)),
            })
        })
    }

    /// The runtime settings now (duplicate and idempotency modes and windows).
    #[napi]
    pub fn config(&self, env: Env) -> Result<SandboxModes> {
        sync(&env, || Ok(modes(&self.with(|e| e.config())?)))
    }

    /// Change runtime settings from the next request on (what is absent stays); returns them all. `reset()`
    /// puts the start configuration back.
    #[napi(ts_args_type = "modes: SandboxModes")]
    pub fn configure(&self, env: Env, modes: Unknown) -> Result<SandboxModes> {
        sync(&env, || {
            let modes: SandboxModes = top(modes, "modes", Call::plain("sandbox.configure"))?;
            let dm = modes
                .duplicate_mode
                .as_deref()
                .map(duplicate_mode)
                .transpose()?;
            let im = modes
                .idempotency_mode
                .as_deref()
                .map(idempotency_mode)
                .transpose()?;
            let ms = |v: u32| Duration::from_millis(v.into());
            let v = self.with(|e| {
                if let Some(m) = dm {
                    e.set_duplicate_mode(m);
                }
                if let Some(w) = modes.duplicate_window_ms {
                    e.set_duplicate_window(ms(w));
                }
                if let Some(m) = im {
                    e.set_idempotency_mode(m);
                }
                if let Some(w) = modes.v1_duplicate_window_ms {
                    e.set_v1_duplicate_window(ms(w));
                }
                e.config()
            })?;
            Ok(self::modes(&v))
        })
    }

    /// Every committed transaction (for "exactly one" checks).
    #[napi]
    pub fn transactions(&self, env: Env) -> Result<SandboxTransactions> {
        sync(&env, || self.transactions_now())
    }

    fn transactions_now(&self) -> Out<SandboxTransactions> {
        let v = self.with(|e| e.transactions())?;
        let list = |k: &str| {
            v.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let bad = |e: serde_json::Error| {
            failure(
                ErrorKind::UnexpectedResponse,
                format!("sandbox record: {e}"),
            )
        };
        let v1 = list("v1")
            .into_iter()
            .map(|r| {
                serde_json::from_value::<clickairtime::v1::Transaction>(r)
                    .map(Into::into)
                    .map_err(bad)
            })
            .collect::<Out<Vec<Transaction>>>()?;
        let v2 = list("v2")
            .into_iter()
            .map(|r| {
                serde_json::from_value::<clickairtime::v2::TopUp>(r)
                    .map(Into::into)
                    .map_err(bad)
            })
            .collect::<Out<Vec<TopUp>>>()?;
        Ok(SandboxTransactions { v1, v2 })
    }

    /// Every webhook delivery attempted, oldest first.
    #[napi]
    pub fn webhook_deliveries(&self, env: Env) -> Result<Vec<WebhookDelivery>> {
        sync(&env, || self.webhook_deliveries_now())
    }

    fn webhook_deliveries_now(&self) -> Out<Vec<WebhookDelivery>> {
        let v = self.with(|e| e.webhook_deliveries())?;
        let items = v
            .get("deliveries")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok(items
            .iter()
            .map(|d| {
                let h = d.get("headers").cloned().unwrap_or(Value::Null);
                WebhookDelivery {
                    topup_id: s(d, "topup_id").unwrap_or_default(),
                    event: s(d, "event").unwrap_or_default(),
                    url: s(d, "url").unwrap_or_default(),
                    attempt: d.get("attempt").and_then(Value::as_u64).unwrap_or(0) as u32,
                    outcome: s(d, "outcome").unwrap_or_default(),
                    http_status: d
                        .get("http_status")
                        .and_then(Value::as_u64)
                        .map(|x| x as u32),
                    error: s(d, "error"),
                    signature_timestamp: s(&h, "X-Webhook-Timestamp"),
                    signature: s(&h, "X-Webhook-Signature"),
                    body: s(d, "body").unwrap_or_default(),
                }
            })
            .collect())
    }

    /// Clear transactions, faults, counters and webhook state; restore balances.
    #[napi]
    pub fn reset(&self, env: Env) -> Result<()> {
        sync(&env, || self.with(|e| e.reset()))
    }

    /// Stop the sandbox off the event loop (idempotent).
    #[napi(ts_args_type = "call?: CallOptions", ts_return_type = "Promise<void>")]
    pub fn close<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let inner = Arc::clone(&self.inner);
        promise(env, None, move || {
            let e = inner.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(e) = e {
                e.shutdown();
            }
            Ok(())
        })
    }

    /// Blocking twin of `close`.
    #[napi]
    pub fn close_sync(&self, env: Env) -> Result<()> {
        sync(&env, || {
            let e = self.inner.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(e) = e {
                e.shutdown();
            }
            Ok(())
        })
    }

    /// Whether `close()` has run.
    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.inner.lock().map(|g| g.is_none()).unwrap_or(true)
    }
}
