//! Options objects (camelCase in JS) and their conversion into core builders and requests. Validation is the
//! core's; this module only maps names and types.

use crate::args::{ArgResult, FromJs, bad, from_js};
use clickairtime::money::Decimal;
use clickairtime::{Cancel, ClientBuilder, WaitOptions as CoreWait};
use napi::bindgen_prelude::Either;
use napi_derive::napi;
use std::time::Duration;

/// A setting from the environment (`process.env` as Node sees it), empty counting as unset.
pub(crate) type EnvVar<'a> = &'a dyn Fn(&str) -> Option<String>;

fn ms(v: u32) -> Duration {
    Duration::from_millis(v.into())
}

/// An amount from JS: a decimal string (exact) or a number (read in its shortest round-trip form).
pub(crate) fn amount(field: &str, v: Either<String, f64>) -> clickairtime::Result<Decimal> {
    match v {
        Either::A(s) => clickairtime::money::parse_amount(field, &s),
        Either::B(f) => clickairtime::money::amount_from_f64(field, f),
    }
}

/// Settings shared by both clients (internal; each options object lists them).
pub(crate) struct Http {
    pub base_url: Option<String>,
    pub timeout_ms: Option<u32>,
    pub connect_timeout_ms: Option<u32>,
    pub read_timeout_ms: Option<u32>,
    pub max_retries: Option<u32>,
    pub retry_base_delay_ms: Option<u32>,
    pub max_retry_delay_ms: Option<u32>,
    pub max_retry_after_ms: Option<u32>,
    pub send_deadline_ms: Option<u32>,
    pub proxy: Option<String>,
    pub proxy_from_env: Option<bool>,
    pub ca_certificates_pem: Option<String>,
    pub user_agent_suffix: Option<String>,
    pub max_idle_connections_per_host: Option<u32>,
    pub journal: Option<String>,
    pub convergence_bound_ms: Option<u32>,
    pub rate_limit: Option<Either<String, RateLimitPolicy>>,
}

impl Http {
    pub(crate) fn apply<C>(self, mut b: ClientBuilder<C>) -> ArgResult<ClientBuilder<C>> {
        if let Some(v) = self.base_url {
            b = b.base_url(v);
        }
        if let Some(v) = self.timeout_ms {
            b = b.timeout(ms(v));
        }
        if let Some(v) = self.connect_timeout_ms {
            b = b.connect_timeout(ms(v));
        }
        if let Some(v) = self.read_timeout_ms {
            b = b.read_timeout(ms(v));
        }
        if let Some(v) = self.max_retries {
            b = b.max_retries(v);
        }
        if let Some(v) = self.retry_base_delay_ms {
            b = b.retry_base_delay(ms(v));
        }
        if let Some(v) = self.max_retry_delay_ms {
            b = b.max_retry_delay(ms(v));
        }
        if let Some(v) = self.max_retry_after_ms {
            b = b.max_retry_after(ms(v));
        }
        if let Some(v) = self.send_deadline_ms {
            b = b.send_deadline(ms(v));
        }
        if let Some(v) = self.proxy {
            b = b.proxy(v);
        }
        if let Some(v) = self.proxy_from_env {
            b = b.proxy_from_env(v);
        }
        if let Some(v) = self.ca_certificates_pem {
            b = b.add_ca_certificates_pem(v.as_bytes());
        }
        if let Some(v) = self.user_agent_suffix {
            b = b.user_agent_suffix(v);
        }
        if let Some(v) = self.max_idle_connections_per_host {
            b = b.max_idle_connections_per_host(v as usize);
        }
        if let Some(v) = self.journal {
            b = b.journal(v);
        }
        if let Some(v) = self.convergence_bound_ms {
            b = b.convergence_bound(ms(v));
        }
        if let Some(v) = self.rate_limit {
            b = b.rate_limit(rate_limit_policy(v)?);
        }
        Ok(b)
    }
}

/// The documented tiers (`'documented'`) or explicit limits (`{ perMinute, perHour }`; each left out is the
/// documented value). Only the shape is checked here; the core checks the values.
#[napi(object, object_from_js = false)]
pub struct RateLimitPolicy {
    /// Requests allowed in any 60 s. Default 60 (the documented standard tier).
    pub per_minute: Option<u32>,
    /// Requests allowed in any hour. Default 1000 (the documented burst tier).
    pub per_hour: Option<u32>,
}
from_js!(RateLimitPolicy {
    per_minute,
    per_hour
});

/// `rateLimit: 'documented' | { perMinute?, perHour? }`.
impl FromJs for Either<String, RateLimitPolicy> {
    fn from_js(v: napi::bindgen_prelude::Unknown<'_>, field: &str) -> ArgResult<Self> {
        use napi::{JsValue, ValueType};
        let what = "'documented' or an object { perMinute, perHour }";
        match v.get_type().unwrap_or(ValueType::Unknown) {
            ValueType::String => String::from_js(v, field).map(Either::A),
            ValueType::Object if !v.is_array().unwrap_or(false) => {
                RateLimitPolicy::from_js(v, field).map(Either::B)
            }
            _ => Err(bad(
                field,
                format!("must be {what} (got {})", crate::args::shown(&v)),
            )),
        }
    }
}

fn rate_limit_policy(
    v: Either<String, RateLimitPolicy>,
) -> ArgResult<clickairtime::RateLimitPolicy> {
    let documented = clickairtime::RateLimitPolicy::DOCUMENTED;
    match v {
        Either::A(s) if s == "documented" => Ok(documented),
        Either::A(s) => Err(bad(
            "rateLimit",
            format!("must be 'documented' or {{ perMinute, perHour }} (got {s:?})"),
        )),
        Either::B(p) => Ok(clickairtime::RateLimitPolicy {
            per_minute: p.per_minute.unwrap_or(documented.per_minute),
            per_hour: p.per_hour.unwrap_or(documented.per_hour),
        }),
    }
}

/// Options of `new V2Client(…)`. Each setting left out is read from the environment where one exists
/// (`apiKey` from `CLICKAIRTIME_API_KEY`, `baseUrl` from `CLICKAIRTIME_BASE_URL`); only the key is required.
#[napi(object, object_from_js = false)]
pub struct V2ClientOptions {
    /// API key from the Enterprise Portal (`ce_live_…`); default `CLICKAIRTIME_API_KEY`. Never shown in
    /// errors or logs.
    pub api_key: Option<String>,
    /// Host to talk to. Default `CLICKAIRTIME_BASE_URL`, else `https://api.clickairtime.com`; `http://` only
    /// for loopback (the sandbox).
    pub base_url: Option<String>,
    /// Time allowed for one whole HTTP exchange, ms. Default 60000.
    pub timeout_ms: Option<u32>,
    /// Time allowed to open a connection, ms. Default 10000.
    pub connect_timeout_ms: Option<u32>,
    /// Time allowed for the answer's headers, and again for its body, ms. Default 30000.
    pub read_timeout_ms: Option<u32>,
    /// Retries of a read (GET) after a connection error, timeout, 5xx or 429. Default 3, at most 10.
    pub max_retries: Option<u32>,
    /// First backoff delay, ms (doubles each time, with jitter). Default 200.
    pub retry_base_delay_ms: Option<u32>,
    /// Cap of one backoff delay, ms. Default 8000.
    pub max_retry_delay_ms: Option<u32>,
    /// Longest `Retry-After` waited for automatically, ms. Default 60000.
    pub max_retry_after_ms: Option<u32>,
    /// Hard budget of one send, recovery included, ms: every exchange and lookup inside it gets only what
    /// remains, so a send settles (or ends `OUTCOME_UNKNOWN` / not sent) within it. Default 120000.
    pub send_deadline_ms: Option<u32>,
    /// HTTP(S) or SOCKS proxy URL.
    pub proxy: Option<String>,
    /// Honour `HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY`. Default true.
    pub proxy_from_env: Option<bool>,
    /// Extra CA certificates (PEM) to trust, e.g. a corporate TLS-inspecting proxy.
    pub ca_certificates_pem: Option<String>,
    /// Appended to the `User-Agent` header.
    pub user_agent_suffix: Option<String>,
    /// Idle connections kept per host. Default 16.
    pub max_idle_connections_per_host: Option<u32>,
    /// Path of a crash-safe send journal (an SQLite file, created if missing, shareable by processes). Every
    /// send is written down durably before its first write and at its outcome: a reference is sent at most
    /// once on that journal, across restarts, and `pending()` / `recover()` settle what a crash left open.
    /// A journal that cannot be opened throws `JOURNAL` here, before anything is sent.
    pub journal: Option<String>,
    /// How long after the last write a lookup that finds nothing proves a top-up was never created, ms.
    /// Default 780000 (13 min: the API converges within about 12). Lower it only against the sandbox.
    pub convergence_bound_ms: Option<u32>,
    /// Pace every request of this client (all its calls, `bulk` included) on the client side:
    /// `'documented'` keeps within the documented tiers (60 requests a minute, 1,000 an hour), or give
    /// `{ perMinute, perHour }`. The server's `X-RateLimit-*` and `Retry-After` are then followed by every call.
    /// A request that cannot get a slot before its deadline fails `RATE_LIMITED` (not sent). Default: off.
    #[napi(ts_type = "'documented' | RateLimitPolicy")]
    pub rate_limit: Option<Either<String, RateLimitPolicy>>,
}
from_js!(V2ClientOptions {
    api_key,
    base_url,
    timeout_ms,
    connect_timeout_ms,
    read_timeout_ms,
    max_retries,
    retry_base_delay_ms,
    max_retry_delay_ms,
    max_retry_after_ms,
    send_deadline_ms,
    proxy,
    proxy_from_env,
    ca_certificates_pem,
    user_agent_suffix,
    max_idle_connections_per_host,
    journal,
    convergence_bound_ms,
    rate_limit
});

impl V2ClientOptions {
    /// No options at all: everything from the environment.
    pub(crate) fn none() -> Self {
        V2ClientOptions {
            api_key: None,
            base_url: None,
            timeout_ms: None,
            connect_timeout_ms: None,
            read_timeout_ms: None,
            max_retries: None,
            retry_base_delay_ms: None,
            max_retry_delay_ms: None,
            max_retry_after_ms: None,
            send_deadline_ms: None,
            proxy: None,
            proxy_from_env: None,
            ca_certificates_pem: None,
            user_agent_suffix: None,
            max_idle_connections_per_host: None,
            journal: None,
            convergence_bound_ms: None,
            rate_limit: None,
        }
    }

    pub(crate) fn build(self, var: EnvVar<'_>) -> ArgResult<clickairtime::v2::Client> {
        let api_key = self
            .api_key
            .or_else(|| var("CLICKAIRTIME_API_KEY"))
            .ok_or_else(|| {
                bad(
                    "apiKey",
                    "is required: pass { apiKey } or set CLICKAIRTIME_API_KEY in the environment",
                )
            })?;
        let b = clickairtime::v2::Client::builder(api_key);
        Ok(Http {
            base_url: self.base_url.or_else(|| var("CLICKAIRTIME_BASE_URL")),
            timeout_ms: self.timeout_ms,
            connect_timeout_ms: self.connect_timeout_ms,
            read_timeout_ms: self.read_timeout_ms,
            max_retries: self.max_retries,
            retry_base_delay_ms: self.retry_base_delay_ms,
            max_retry_delay_ms: self.max_retry_delay_ms,
            max_retry_after_ms: self.max_retry_after_ms,
            send_deadline_ms: self.send_deadline_ms,
            proxy: self.proxy,
            proxy_from_env: self.proxy_from_env,
            ca_certificates_pem: self.ca_certificates_pem,
            user_agent_suffix: self.user_agent_suffix,
            max_idle_connections_per_host: self.max_idle_connections_per_host,
            journal: self.journal,
            convergence_bound_ms: self.convergence_bound_ms,
            rate_limit: self.rate_limit,
        }
        .apply(b)?
        .build()?)
    }
}

/// Options of `new V1Client(…)`. Each setting left out is read from the environment where one exists
/// (`email` from `CLICKAIRTIME_V1_EMAIL`, `token` from `CLICKAIRTIME_V1_TOKEN`, `baseUrl` from
/// `CLICKAIRTIME_BASE_URL`); `email` and `token` are required.
#[napi(object, object_from_js = false)]
pub struct V1ClientOptions {
    /// Account e-mail (`X-Click-Airtime-Email`); default `CLICKAIRTIME_V1_EMAIL`.
    pub email: Option<String>,
    /// API token (`X-Click-Airtime-Token`); default `CLICKAIRTIME_V1_TOKEN`. Never shown in errors or logs.
    pub token: Option<String>,
    /// Path of the top-up endpoint: `/adp` (default) or `/adp/topup` (older docs).
    pub topup_path: Option<String>,
    /// Host to talk to. Default `CLICKAIRTIME_BASE_URL`, else `https://api.clickairtime.com`; `http://` only
    /// for loopback (the sandbox).
    pub base_url: Option<String>,
    /// Time allowed for one whole HTTP exchange, ms. Default 60000.
    pub timeout_ms: Option<u32>,
    /// Time allowed to open a connection, ms. Default 10000.
    pub connect_timeout_ms: Option<u32>,
    /// Time allowed for the answer's headers, and again for its body, ms. Default 30000.
    pub read_timeout_ms: Option<u32>,
    /// Retries of a read (GET) after a connection error, timeout, 5xx or 429. Default 3, at most 10.
    pub max_retries: Option<u32>,
    /// First backoff delay, ms (doubles each time, with jitter). Default 200.
    pub retry_base_delay_ms: Option<u32>,
    /// Cap of one backoff delay, ms. Default 8000.
    pub max_retry_delay_ms: Option<u32>,
    /// Longest `Retry-After` waited for automatically, ms. Default 60000.
    pub max_retry_after_ms: Option<u32>,
    /// Hard budget of one send, recovery included, ms: every exchange and lookup inside it gets only what
    /// remains, so a send settles (or ends `OUTCOME_UNKNOWN` / not sent) within it. Default 120000.
    pub send_deadline_ms: Option<u32>,
    /// HTTP(S) or SOCKS proxy URL.
    pub proxy: Option<String>,
    /// Honour `HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY`. Default true.
    pub proxy_from_env: Option<bool>,
    /// Extra CA certificates (PEM) to trust.
    pub ca_certificates_pem: Option<String>,
    /// Appended to the `User-Agent` header.
    pub user_agent_suffix: Option<String>,
    /// Idle connections kept per host. Default 16.
    pub max_idle_connections_per_host: Option<u32>,
    /// Path of a crash-safe send journal (an SQLite file, created if missing, shareable by processes). Every
    /// send is written down durably before its first write and at its outcome: a reference is sent at most
    /// once on that journal, across restarts, and `pending()` / `recover()` settle what a crash left open.
    /// A journal that cannot be opened throws `JOURNAL` here, before anything is sent.
    pub journal: Option<String>,
    /// How long after the last write a lookup that finds nothing proves a top-up was never created, ms.
    /// Default 780000 (13 min: the API converges within about 12). Lower it only against the sandbox.
    pub convergence_bound_ms: Option<u32>,
    /// Pace every request of this client (all its calls, `bulk` included) on the client side:
    /// `'documented'` keeps within the documented tiers (60 requests a minute, 1,000 an hour), or give
    /// `{ perMinute, perHour }`. The server's `X-RateLimit-*` and `Retry-After` are then followed by every call.
    /// A request that cannot get a slot before its deadline fails `RATE_LIMITED` (not sent). Default: off.
    #[napi(ts_type = "'documented' | RateLimitPolicy")]
    pub rate_limit: Option<Either<String, RateLimitPolicy>>,
}
from_js!(V1ClientOptions {
    email,
    token,
    topup_path,
    base_url,
    timeout_ms,
    connect_timeout_ms,
    read_timeout_ms,
    max_retries,
    retry_base_delay_ms,
    max_retry_delay_ms,
    max_retry_after_ms,
    send_deadline_ms,
    proxy,
    proxy_from_env,
    ca_certificates_pem,
    user_agent_suffix,
    max_idle_connections_per_host,
    journal,
    convergence_bound_ms,
    rate_limit
});

impl V1ClientOptions {
    /// No options at all: everything from the environment.
    pub(crate) fn none() -> Self {
        V1ClientOptions {
            email: None,
            token: None,
            topup_path: None,
            base_url: None,
            timeout_ms: None,
            connect_timeout_ms: None,
            read_timeout_ms: None,
            max_retries: None,
            retry_base_delay_ms: None,
            max_retry_delay_ms: None,
            max_retry_after_ms: None,
            send_deadline_ms: None,
            proxy: None,
            proxy_from_env: None,
            ca_certificates_pem: None,
            user_agent_suffix: None,
            max_idle_connections_per_host: None,
            journal: None,
            convergence_bound_ms: None,
            rate_limit: None,
        }
    }

    pub(crate) fn build(self, var: EnvVar<'_>) -> ArgResult<clickairtime::v1::Client> {
        let email = self
            .email
            .or_else(|| var("CLICKAIRTIME_V1_EMAIL"))
            .ok_or_else(|| {
                bad(
                    "email",
                    "is required: pass { email } or set CLICKAIRTIME_V1_EMAIL in the environment",
                )
            })?;
        let token = self
            .token
            .or_else(|| var("CLICKAIRTIME_V1_TOKEN"))
            .ok_or_else(|| {
                bad(
                    "token",
                    "is required: pass { token } or set CLICKAIRTIME_V1_TOKEN in the environment",
                )
            })?;
        let mut b = clickairtime::v1::Client::builder(email, token);
        if let Some(p) = self.topup_path {
            b = b.topup_path(p);
        }
        Ok(Http {
            base_url: self.base_url.or_else(|| var("CLICKAIRTIME_BASE_URL")),
            timeout_ms: self.timeout_ms,
            connect_timeout_ms: self.connect_timeout_ms,
            read_timeout_ms: self.read_timeout_ms,
            max_retries: self.max_retries,
            retry_base_delay_ms: self.retry_base_delay_ms,
            max_retry_delay_ms: self.max_retry_delay_ms,
            max_retry_after_ms: self.max_retry_after_ms,
            send_deadline_ms: self.send_deadline_ms,
            proxy: self.proxy,
            proxy_from_env: self.proxy_from_env,
            ca_certificates_pem: self.ca_certificates_pem,
            user_agent_suffix: self.user_agent_suffix,
            max_idle_connections_per_host: self.max_idle_connections_per_host,
            journal: self.journal,
            convergence_bound_ms: self.convergence_bound_ms,
            rate_limit: self.rate_limit,
        }
        .apply(b)?
        .build()?)
    }
}

/// How a wait polls. Defaults cover the documented 12-minute bound.
#[napi(object, object_from_js = false)]
pub struct WaitOptions {
    /// Give up after this long, ms: `STILL_PENDING` (with `transactionId` and the last `status`): the
    /// transaction exists and may still complete. Every poll gets only what remains. Default 780000 (13 min).
    pub deadline_ms: Option<u32>,
    /// First delay between polls, ms. Default 1000.
    pub initial_interval_ms: Option<u32>,
    /// Largest delay between polls, ms (grows by 1.5× per poll). Default 15000.
    pub max_interval_ms: Option<u32>,
    /// V2: how long after the wait starts a 404 is read as "not visible yet" (a replica behind the write)
    /// rather than `NOT_FOUND`, ms. Default 30000.
    pub not_found_grace_ms: Option<u32>,
}
from_js!(WaitOptions {
    deadline_ms,
    initial_interval_ms,
    max_interval_ms,
    not_found_grace_ms
});

/// The core's wait options; `cancel` stops the wait (it ends `CANCELLED`, the sale stands).
pub(crate) fn wait_options(o: Option<WaitOptions>, cancel: Option<Cancel>) -> CoreWait {
    let mut w = CoreWait {
        cancel,
        ..CoreWait::default()
    };
    if let Some(o) = o {
        if let Some(v) = o.deadline_ms {
            w.deadline = ms(v);
        }
        if let Some(v) = o.initial_interval_ms {
            w.initial_interval = ms(v);
        }
        if let Some(v) = o.max_interval_ms {
            w.max_interval = ms(v);
        }
        if let Some(v) = o.not_found_grace_ms {
            w.not_found_grace = ms(v);
        }
    }
    w
}

/// What to look up: a phone number (E.164), a network id (skips the HLR lookup), or both.
#[napi(object, object_from_js = false)]
pub struct LookupOptions {
    /// Recipient, E.164 (`+233541112259`).
    pub phone_number: Option<String>,
    /// Network id.
    pub network_id: Option<i64>,
}
from_js!(LookupOptions {
    phone_number,
    network_id
});

/// SMS to the recipient of a top-up.
#[napi(object, object_from_js = false)]
pub struct SmsOptions {
    /// Send an SMS. Default true when the object is given.
    pub enabled: Option<bool>,
    /// Custom text (at most 480 characters).
    pub message: Option<String>,
}
from_js!(SmsOptions { enabled, message });

/// A V2 top-up to send: a custom amount (`amount` + `currency`) or a bundle (`productId`), to one number.
#[napi(object, object_from_js = false)]
pub struct CreateTopUpOptions {
    /// Recipient, E.164 (`+233541112259`).
    pub phone_number: String,
    /// Network id (from `catalog.lookup`).
    pub network_id: i64,
    /// Custom amount in the local currency: a decimal string (exact, preferred) or a number.
    pub amount: Option<Either<String, f64>>,
    /// Local currency of `amount` (ISO 4217, e.g. `GHS`).
    pub currency: Option<String>,
    /// Bundle id; exclusive with `amount`.
    pub product_id: Option<Either<String, i64>>,
    /// SMS to the recipient.
    pub sms: Option<SmsOptions>,
    /// Your reference: one per sale, unique; generated (`ca-<uuid>`) when absent and always returned. A
    /// record is believed only if it carries it. Fix it before sending (`topups.prepare`) and persist it.
    pub reference: Option<String>,
    /// URL for status webhooks.
    pub callback_url: Option<String>,
    /// Key/value pairs stored with the top-up.
    #[napi(ts_type = "Record<string, JsonValue>")]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// `Idempotency-Key` header; when absent, derived from the reference (`idempotencyKeyFor`), so the same
    /// sale carries the same key in every process, after a crash, and when sold again.
    pub idempotency_key: Option<String>,
}
from_js!(CreateTopUpOptions {
    phone_number,
    network_id,
    amount,
    currency,
    product_id,
    sms,
    reference,
    callback_url,
    metadata,
    idempotency_key
});

impl CreateTopUpOptions {
    /// The core order, validated, with its reference and idempotency key fixed (`CreateTopUp::prepared`).
    pub(crate) fn prepared(self) -> clickairtime::Result<clickairtime::v2::CreateTopUp> {
        let order = self.into_core()?;
        order.validate()?;
        Ok(order.prepared())
    }

    pub(crate) fn into_core(self) -> clickairtime::Result<clickairtime::v2::CreateTopUp> {
        let amount = self.amount.map(|a| amount("amount", a)).transpose()?;
        Ok(clickairtime::v2::CreateTopUp {
            phone_number: self.phone_number,
            network_id: self.network_id,
            amount,
            currency: self.currency,
            product_id: self.product_id.map(|p| match p {
                Either::A(s) => s,
                Either::B(n) => n.to_string(),
            }),
            sms: self.sms.map(|s| clickairtime::v2::Sms {
                enabled: s.enabled.unwrap_or(true),
                message: s.message,
            }),
            reference: self.reference,
            callback_url: self.callback_url,
            metadata: self.metadata,
            idempotency_key: self.idempotency_key,
        })
    }
}

/// A V2 order with its handles fixed, from `topups.prepare(…)`: validated, with the `reference` (yours, or
/// generated) and the `idempotencyKey` (yours, or derived from the reference) that `create` will send. Write
/// it down (it is plain JSON) before calling `topups.create(prepared)`; after a crash, creating the same
/// prepared order again is recognised as the same sale (by the journal, by the API's key, by the verified
/// lookup) and never sells twice.
#[napi(object)]
pub struct PreparedTopUp {
    /// Recipient, E.164.
    pub phone_number: String,
    /// Network id.
    pub network_id: i64,
    /// Custom amount, exact decimal string.
    pub amount: Option<String>,
    /// Local currency of `amount`.
    pub currency: Option<String>,
    /// Bundle id, as text.
    pub product_id: Option<String>,
    /// SMS to the recipient.
    pub sms: Option<crate::types::Sms>,
    /// The sale's reference.
    pub reference: String,
    /// URL for status webhooks.
    pub callback_url: Option<String>,
    /// Key/value pairs stored with the top-up.
    #[napi(ts_type = "Record<string, JsonValue>")]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// The `Idempotency-Key` every write of this sale carries.
    pub idempotency_key: String,
}

impl From<clickairtime::v2::CreateTopUp> for PreparedTopUp {
    fn from(o: clickairtime::v2::CreateTopUp) -> Self {
        PreparedTopUp {
            phone_number: o.phone_number,
            network_id: o.network_id,
            amount: o.amount.map(|a| a.to_string()),
            currency: o.currency,
            product_id: o.product_id,
            sms: o.sms.map(|s| crate::types::Sms {
                enabled: s.enabled,
                message: s.message,
            }),
            reference: o.reference.unwrap_or_default(),
            callback_url: o.callback_url,
            metadata: o.metadata,
            idempotency_key: o.idempotency_key.unwrap_or_default(),
        }
    }
}

/// Filters of `topups.list` / `topups.listAll`. All optional.
#[napi(object, object_from_js = false)]
pub struct ListTopUpsOptions {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Page size, 1..=100 (API default 20).
    pub per_page: Option<u32>,
    /// Only this status.
    #[napi(ts_type = "TopUpStatus")]
    pub status: Option<String>,
    /// Recipient filter (partial match).
    pub phone_number: Option<String>,
    /// Your reference (exact match).
    pub reference: Option<String>,
    /// Created at or after (ISO 8601 date or date-time).
    pub from: Option<String>,
    /// Created at or before (ISO 8601 date or date-time).
    pub to: Option<String>,
    /// `created_at`, `completed_at`, `status` or `total_usd`, `-` prefix for descending.
    #[napi(ts_type = "TopUpSort")]
    pub sort: Option<String>,
}
from_js!(ListTopUpsOptions {
    page,
    per_page,
    status,
    phone_number,
    reference,
    from,
    to,
    sort
});

impl ListTopUpsOptions {
    pub(crate) fn into_core(self) -> clickairtime::v2::ListTopUps {
        clickairtime::v2::ListTopUps {
            page: self.page,
            per_page: self.per_page,
            status: self
                .status
                .map(|s| clickairtime::v2::TopUpStatus::from(s.as_str())),
            phone_number: self.phone_number,
            reference: self.reference,
            from: self.from,
            to: self.to,
            sort: self.sort,
        }
    }
}

pub(crate) fn list_filter(o: Option<ListTopUpsOptions>) -> clickairtime::v2::ListTopUps {
    o.map(ListTopUpsOptions::into_core).unwrap_or_default()
}

/// A V1 top-up to send.
#[napi(object, object_from_js = false)]
pub struct SendTopUpOptions {
    /// Recipient, international format without `+` (`233541112259`).
    pub msisdn: String,
    /// Amount in the destination currency: a decimal string (exact, preferred) or a number.
    pub amount: Option<Either<String, f64>>,
    /// Product from the product catalog.
    pub product_id: Option<i64>,
    /// Your external reference: one per sale, unique; generated (`ca-<uuid>`) when absent and always
    /// returned. A record is believed only if it carries it. Fix it before sending (`prepareTopup`).
    pub ext_ref_id: Option<String>,
    /// `SYNC` (default: the answer carries a terminal state) or `ASYNC` (poll with `wait`).
    #[napi(ts_type = "'SYNC' | 'ASYNC'")]
    pub processing_mode: Option<String>,
    /// SMS the recipient on success. Default false.
    pub send_sms: Option<bool>,
}
from_js!(SendTopUpOptions {
    msisdn,
    amount,
    product_id,
    ext_ref_id,
    processing_mode,
    send_sms
});

impl SendTopUpOptions {
    /// The core order, validated, with its `extRefId` fixed (`SendTopUp::prepared`).
    pub(crate) fn prepared(self) -> clickairtime::Result<clickairtime::v1::SendTopUp> {
        let order = self.into_core()?;
        order.validate()?;
        Ok(order.prepared())
    }

    pub(crate) fn into_core(self) -> clickairtime::Result<clickairtime::v1::SendTopUp> {
        use clickairtime::v1::ProcessingMode;
        let mode = match self.processing_mode.as_deref() {
            None => ProcessingMode::Sync,
            Some(m) => m.parse::<ProcessingMode>()?,
        };
        Ok(clickairtime::v1::SendTopUp {
            msisdn: self.msisdn,
            amount: self.amount.map(|a| amount("amount", a)).transpose()?,
            product_id: self.product_id,
            ext_ref_id: self.ext_ref_id,
            processing_mode: mode,
            send_sms: self.send_sms.unwrap_or(false),
        })
    }
}

/// A V1 order with its `extRefId` fixed, from `prepareTopup(…)`: validated, ready to be written down
/// before `sendTopup(prepared)`.
#[napi(object)]
pub struct PreparedSendTopUp {
    /// Recipient, digits without `+`.
    pub msisdn: String,
    /// Amount, exact decimal string.
    pub amount: Option<String>,
    /// Product id.
    pub product_id: Option<i64>,
    /// The sale's reference.
    pub ext_ref_id: String,
    /// `SYNC` or `ASYNC`.
    #[napi(ts_type = "'SYNC' | 'ASYNC'")]
    pub processing_mode: String,
    /// SMS the recipient on success.
    pub send_sms: bool,
}

impl From<clickairtime::v1::SendTopUp> for PreparedSendTopUp {
    fn from(o: clickairtime::v1::SendTopUp) -> Self {
        PreparedSendTopUp {
            msisdn: o.msisdn,
            amount: o.amount.map(|a| a.to_string()),
            product_id: o.product_id,
            ext_ref_id: o.ext_ref_id.unwrap_or_default(),
            processing_mode: match o.processing_mode {
                clickairtime::v1::ProcessingMode::Async => "ASYNC",
                _ => "SYNC",
            }
            .to_owned(),
            send_sms: o.send_sms,
        }
    }
}

/// Filters of a V1 transaction lookup: at least one, combined with AND.
#[napi(object, object_from_js = false)]
pub struct TransactionFilterOptions {
    /// Click Airtime transaction id.
    pub transaction_id: Option<String>,
    /// Recipient, digits without `+`.
    pub msisdn: Option<String>,
    /// Your external reference.
    pub ext_ref_id: Option<String>,
}
from_js!(TransactionFilterOptions {
    transaction_id,
    msisdn,
    ext_ref_id
});

impl TransactionFilterOptions {
    pub(crate) fn into_core(self) -> clickairtime::v1::TransactionFilter {
        clickairtime::v1::TransactionFilter {
            transaction_id: self.transaction_id,
            msisdn: self.msisdn,
            ext_ref_id: self.ext_ref_id,
        }
    }
}
