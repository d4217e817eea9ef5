//! The options of `new V2Client(…)` / `new V1Client(…)`: HTTP settings, rate limits, credentials.

use super::{EnvVar, ms};
use crate::args::{ArgResult, FromJs, bad, from_js};
use clickairtime::ClientBuilder;
use napi::bindgen_prelude::Either;
use napi_derive::napi;

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
    /// Idle connections kept per host. Default 64 (core's): one for each of the SDK's threads, so that a
    /// burst of concurrent calls as wide as the thread pool reuses its connections instead of opening new ones.
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
    /// Idle connections kept per host. Default 64 (core's): one for each of the SDK's threads, so that a
    /// burst of concurrent calls as wide as the thread pool reuses its connections instead of opening new ones.
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
