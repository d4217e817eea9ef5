//! V1 API (`/adp…`, `X-Click-Airtime-Email` + `X-Click-Airtime-Token` headers). Maintained by Click Airtime
//! in maintenance mode; new integrations should prefer [`crate::v2`].
//!
//! ```no_run
//! use clickairtime::v1::{Client, SendTopUp};
//! use clickairtime::money::Decimal;
//! # fn main() -> clickairtime::Result<()> {
//! let client = Client::builder("pos@example.com", "token").build()?;
//! let sent = client.send_topup(&SendTopUp::amount("233541112259", Decimal::from(5)).ext_ref_id("SALE-0001"))?;
//! let done = client.wait(sent.meta.reference.as_deref().unwrap(), &Default::default())?;
//! println!("{:?} {}", done.transaction_id, done.state);
//! # Ok(()) }
//! ```

mod balances;
mod products;
mod send;
mod topup;
mod transactions;

pub use balances::AccountBalance;
pub use products::{Product, ProductType, Service};
#[cfg(test)]
pub(crate) use send::interpret_for_tests;
pub use topup::{ProcessingMode, SendTopUp, TransactionWait};
pub use transactions::{Provider, Transaction, TransactionFilter, TransactionState, TxWallet};

use crate::config::{ClientBuilder, check_header_value};
use crate::decode::opt_code;
use crate::error::{Error, ErrorKind, Result};
use crate::response::{Meta, RateLimit, Response};
use crate::secret::Secret;
use crate::transport::{RawResponse, Transport};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// References travel in query strings and bodies: 1–100 printable characters, no control characters.
pub(crate) fn check_ref(field: &str, v: &str) -> Result<()> {
    crate::config::check_text(field, v, 100)
}

/// V1 credentials: account e-mail and API token (the token is redacted in `Debug`).
#[derive(Debug, Clone)]
pub struct Credentials {
    email: String,
    token: Secret,
}

/// V1 client. Cheap to clone; clones share one connection pool. `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Client {
    t: Arc<Transport>,
}

impl Client {
    /// Start building a client with the e-mail and token Click Airtime provisioned.
    pub fn builder(
        email: impl Into<String>,
        token: impl Into<String>,
    ) -> ClientBuilder<Credentials> {
        ClientBuilder::with_creds(Credentials {
            email: email.into(),
            token: Secret::new(token),
        })
    }

    /// A client with default settings against the production API.
    pub fn new(email: impl Into<String>, token: impl Into<String>) -> Result<Client> {
        Client::builder(email, token).build()
    }

    /// A builder configured from the environment: `CLICKAIRTIME_V1_EMAIL` and `CLICKAIRTIME_V1_TOKEN`
    /// (required) and, if set, `CLICKAIRTIME_BASE_URL`. The error names the missing variable.
    pub fn builder_from_env() -> Result<ClientBuilder<Credentials>> {
        let email = crate::config::env_var("CLICKAIRTIME_V1_EMAIL")?
            .ok_or_else(|| Error::invalid("CLICKAIRTIME_V1_EMAIL", "is not set"))?;
        let token = crate::config::env_var("CLICKAIRTIME_V1_TOKEN")?
            .ok_or_else(|| Error::invalid("CLICKAIRTIME_V1_TOKEN", "is not set"))?;
        let mut b = Client::builder(email, token);
        if let Some(url) = crate::config::env_var("CLICKAIRTIME_BASE_URL")? {
            b = b.base_url(url);
        }
        Ok(b)
    }

    /// Rate-limit headers of the most recent answer that carried them (V1 does not document any).
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        self.t.last_rate_limit()
    }

    /// How long the next request would wait for the client-side rate limiter (zero without one), for
    /// progress displays.
    pub fn next_request_slot_in(&self) -> std::time::Duration {
        self.t.next_slot_in()
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        &self.t.cfg.base_url
    }

    pub(crate) fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Response<T>> {
        let raw = self.t.get(path, query)?;
        decode(&raw)
    }
}

impl ClientBuilder<Credentials> {
    /// Path of the top-up endpoint: `/adp` (default, newest docs) or `/adp/topup` (older docs).
    pub fn topup_path(mut self, path: impl Into<String>) -> Self {
        self.cfg.v1_topup_path = path.into();
        self
    }

    /// Build the client. Fails with an invalid-input error naming the setting that is wrong.
    pub fn build(self) -> Result<Client> {
        let (Credentials { email, token }, cfg) = self.validated(false)?;
        check_header_value("email", &email)?;
        if !email.contains('@') {
            return Err(Error::invalid("email", "must be an e-mail address"));
        }
        check_header_value("token", token.expose())?;
        let auth = vec![
            ("X-Click-Airtime-Email", Secret::new(email)),
            ("X-Click-Airtime-Token", token),
        ];
        Ok(Client {
            t: Transport::new(cfg, auth)?,
        })
    }
}

/// The V1 envelope: `{message, statusCode, code?, data?}`.
#[derive(Deserialize)]
pub(crate) struct Envelope<T> {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default, rename = "statusCode", deserialize_with = "opt_code")]
    pub _status_code: Option<i64>,
    #[serde(default, deserialize_with = "opt_code")]
    pub code: Option<i64>,
    #[serde(default = "none")]
    pub data: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

pub(crate) fn parse_envelope<T: DeserializeOwned>(raw: &RawResponse) -> Result<Envelope<T>> {
    serde_json::from_slice(&raw.body).map_err(|e| {
        Error::new(
            ErrorKind::UnexpectedResponse,
            format!("answer is not the documented json: {e}"),
        )
        .with_status(raw.status)
        .with_retry_after(raw.retry_after)
        .with_body(&raw.body)
    })
}

/// Classify a V1 failure by the real HTTP status and the body's `code` together (the body's `statusCode`
/// is not trusted: the docs show 500 there next to HTTP 403 or 200).
pub(crate) fn v1_error(raw: &RawResponse, code: Option<i64>, message: Option<&str>) -> Error {
    let msg = message.unwrap_or("").to_owned();
    let kind = match (raw.status, code) {
        (401, _) => ErrorKind::Authentication,
        (429, _) => ErrorKind::RateLimited,
        (_, Some(20)) => ErrorKind::InsufficientBalance,
        (_, Some(0)) if msg.to_ascii_lowercase().contains("balance") => {
            ErrorKind::InsufficientBalance
        }
        (_, Some(30)) => ErrorKind::InvalidRecipient,
        (_, Some(90)) => ErrorKind::Duplicate,
        (_, Some(5)) => ErrorKind::DeliveryFailed,
        (404, _) => ErrorKind::NotFound,
        // V1 sends business failures as 403 *with* a code; a 403 without one is the gateway's "forbidden"
        // (the guides' `403 FORBIDDEN — check role/permissions`)
        (403, None) => ErrorKind::PermissionDenied,
        _ => ErrorKind::Api,
    };
    let message = if msg.is_empty() {
        format!("http {}", raw.status)
    } else {
        msg
    };
    Error::new(kind, message)
        .with_status(raw.status)
        .with_api_code(code.map(|c| c.to_string()))
        .with_retry_after(raw.retry_after)
        .with_body(&raw.body)
}

/// Decode a V1 read (lists, catalog, balances): `data` present on 2xx is success whatever `code` says
/// (transaction lookups mirror the state in `code`); anything else is a typed error.
pub(crate) fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<Response<T>> {
    let ok = (200..300).contains(&raw.status);
    let env = match parse_envelope::<T>(raw) {
        Ok(env) => env,
        Err(e) if ok => return Err(e),
        Err(_) => {
            // an error status without the documented body
            let lenient = serde_json::from_slice::<Envelope<serde::de::IgnoredAny>>(&raw.body).ok();
            let (code, msg) = lenient.map(|e| (e.code, e.message)).unwrap_or((None, None));
            let mut err = v1_error(raw, code, msg.as_deref());
            if raw.status < 500 && !matches!(raw.status, 401 | 403 | 404 | 429) && msg.is_none() {
                err = err.with_kind(ErrorKind::UnexpectedResponse);
            }
            return Err(err);
        }
    };
    match env.data {
        Some(data) if ok => Ok(Response {
            data,
            meta: Meta {
                http_status: raw.status,
                rate_limit: raw.rate_limit,
                ..Meta::default()
            },
        }),
        Some(_) | None if !ok => Err(v1_error(raw, env.code, env.message.as_deref())),
        _ if env.code.is_some_and(|c| c != 1) => {
            Err(v1_error(raw, env.code, env.message.as_deref()))
        }
        _ => Err(
            Error::new(ErrorKind::UnexpectedResponse, "answer has no data")
                .with_status(raw.status)
                .with_body(&raw.body),
        ),
    }
}
