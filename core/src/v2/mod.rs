//! V2 API (`/v2/…`, `Authorization: Bearer <api key>`): catalog, top-ups, balance, webhooks.
//!
//! ```no_run
//! use clickairtime::v2::{Client, CreateTopUp};
//! use clickairtime::money::Decimal;
//! # fn main() -> clickairtime::Result<()> {
//! let client = Client::builder("ce_live_…").build()?;
//! let found = client.catalog().lookup(Some("+233541112259"), None)?;
//! let sent = client.topups().create(
//!     &CreateTopUp::amount("+233541112259", found.network.id, Decimal::from(50), "GHS").reference("invoice-12345"),
//! )?;
//! let done = client.topups().wait(&sent.id, &Default::default())?;
//! println!("{} {}", done.id, done.status);
//! # Ok(()) }
//! ```

mod balance;
mod catalog;
mod send;
mod topup_record;
mod topups;
pub mod webhooks;

pub use crate::handles::{idempotency_key_for, new_reference};
pub use balance::{AvailableBalance, Balance, BalanceApi, Wallet, WalletStatus, WalletType};
pub use catalog::{
    Bundle, BundleType, Catalog, CatalogApi, Country, CustomAirtime, ExchangeRate, Network,
    Products,
};
pub use topup_record::{Money, NetworkRef, Sms, TopUp, TopUpStatus};
pub use topups::{CreateTopUp, ListTopUps, TopUpPages, TopUpWait, TopupsApi};

use crate::config::{ClientBuilder, check_header_value};
use crate::decode::opt_string_or_number;
use crate::error::{Error, ErrorKind, Result};
use crate::response::{Meta, Pagination, RateLimit, Response};
use crate::secret::Secret;
use crate::transport::{RawResponse, Transport};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// The V2 credential: an API key (`ce_live_…`). Redacted in `Debug`.
#[derive(Debug, Clone)]
pub struct ApiKey(Secret);

/// V2 client. Cheap to clone; clones share one connection pool. `Send + Sync`: share it between threads.
#[derive(Clone, Debug)]
pub struct Client {
    t: Arc<Transport>,
    api_key: Secret,
}

impl Client {
    /// Start building a client with the API key from the Enterprise Portal.
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder<ApiKey> {
        ClientBuilder::with_creds(ApiKey(Secret::new(api_key)))
    }

    /// A client with default settings against the production API.
    pub fn new(api_key: impl Into<String>) -> Result<Client> {
        Client::builder(api_key).build()
    }

    /// A builder configured from the environment: `CLICKAIRTIME_API_KEY` (required) and, if set,
    /// `CLICKAIRTIME_BASE_URL`. The error names the missing variable.
    pub fn builder_from_env() -> Result<ClientBuilder<ApiKey>> {
        let key = crate::config::env_var("CLICKAIRTIME_API_KEY")?
            .ok_or_else(|| Error::invalid("CLICKAIRTIME_API_KEY", "is not set"))?;
        let mut b = Client::builder(key);
        if let Some(url) = crate::config::env_var("CLICKAIRTIME_BASE_URL")? {
            b = b.base_url(url);
        }
        Ok(b)
    }

    /// Rate-limit headers of the most recent answer that carried them (shared by clones).
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        self.t.last_rate_limit()
    }

    /// How long the next request would wait for the client-side rate limiter (zero without one), for
    /// progress displays.
    pub fn next_request_slot_in(&self) -> std::time::Duration {
        self.t.next_slot_in()
    }

    /// The base URL in use (after normalisation).
    pub fn base_url(&self) -> &str {
        &self.t.cfg.base_url
    }

    /// Catalog: phone lookup, countries, networks, products.
    pub fn catalog(&self) -> CatalogApi<'_> {
        CatalogApi { c: self }
    }
    /// Top-ups: create (money-safe), get, list, iterate, wait, reconcile.
    pub fn topups(&self) -> TopupsApi<'_> {
        TopupsApi { c: self }
    }
    /// Wallet balances.
    pub fn balance(&self) -> BalanceApi<'_> {
        BalanceApi { c: self }
    }

    /// Verify a webhook delivery with this client's API key (the V2 signing key); see [`webhooks::verify`].
    pub fn verify_webhook(
        &self,
        body: &[u8],
        signature: &str,
        timestamp: &str,
    ) -> Result<webhooks::WebhookEvent> {
        webhooks::construct_event(
            body,
            signature,
            timestamp,
            self.api_key.expose(),
            Some(webhooks::DEFAULT_TOLERANCE),
        )
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

impl ClientBuilder<ApiKey> {
    /// Build the client. Fails with an invalid-input error naming the setting that is wrong.
    pub fn build(self) -> Result<Client> {
        let (ApiKey(key), cfg) = self.validated(true)?;
        check_header_value("api_key", key.expose())?;
        if key.expose().contains(' ') {
            return Err(Error::invalid("api_key", "must not contain spaces"));
        }
        if !key.expose().starts_with("ce_") {
            log::warn!(target: "clickairtime", "api key does not have the documented ce_live_ prefix");
        }
        let auth = vec![(
            "Authorization",
            Secret::new(format!("Bearer {}", key.expose())),
        )];
        Ok(Client {
            t: Transport::new(cfg, auth)?,
            api_key: key,
        })
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(default)]
    success: Option<bool>,
    #[serde(default = "none")]
    data: Option<T>,
    #[serde(default)]
    error: Option<ErrorBody>,
    #[serde(default)]
    meta: Option<MetaBody>,
}

fn none<T>() -> Option<T> {
    None
}

#[derive(Deserialize, Default)]
pub(crate) struct ErrorBody {
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub details: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
struct MetaBody {
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default)]
    pagination: Option<Pagination>,
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Decode a V2 answer: a success envelope into `Response<T>`, anything else into a typed error.
pub(crate) fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<Response<T>> {
    if !is_success(raw.status) {
        return Err(api_error(raw).0);
    }
    let env: Envelope<T> = serde_json::from_slice(&raw.body).map_err(|e| {
        Error::new(
            ErrorKind::UnexpectedResponse,
            format!("answer is not the documented json: {e}"),
        )
        .with_status(raw.status)
        .with_body(&raw.body)
    })?;
    let meta = env.meta.unwrap_or_default();
    if env.success == Some(false) || env.error.is_some() {
        return Err(api_error(raw).0);
    }
    let Some(data) = env.data else {
        return Err(
            Error::new(ErrorKind::UnexpectedResponse, "answer has no data")
                .with_status(raw.status)
                .with_request_id(meta.request_id)
                .with_body(&raw.body),
        );
    };
    Ok(Response {
        data,
        meta: Meta {
            http_status: raw.status,
            request_id: meta.request_id,
            timestamp: meta.timestamp,
            rate_limit: raw.rate_limit,
            pagination: meta.pagination,
            ..Meta::default()
        },
    })
}

/// Turn a V2 error answer (either documented shape, or no JSON at all) into a typed error, plus its details.
pub(crate) fn api_error(raw: &RawResponse) -> (Error, Option<serde_json::Value>) {
    let env = serde_json::from_slice::<Envelope<serde::de::IgnoredAny>>(&raw.body).ok();
    let (body, request_id) = match env {
        Some(e) => (e.error, e.meta.and_then(|m| m.request_id)),
        None => (None, None),
    };
    let Some(body) = body else {
        let kind = match raw.status {
            401 => ErrorKind::Authentication,
            403 => ErrorKind::PermissionDenied,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimited,
            s if s >= 500 => ErrorKind::Api,
            _ => ErrorKind::UnexpectedResponse,
        };
        let err = Error::new(
            kind,
            format!("http {} without a documented error body", raw.status),
        )
        .with_status(raw.status)
        .with_request_id(request_id)
        .with_retry_after(raw.retry_after)
        .with_body(&raw.body);
        return (err, None);
    };
    let code = body.code.clone();
    let kind = kind_for_code(code.as_deref(), raw.status);
    let message = body
        .message
        .clone()
        .unwrap_or_else(|| format!("http {}", raw.status));
    let err = Error::new(kind, message)
        .with_status(raw.status)
        .with_api_code(code)
        .with_request_id(request_id)
        .with_retry_after(raw.retry_after)
        .with_body(&raw.body);
    (err, body.details)
}

/// Map a V2 error code (reference page or guide spelling) and HTTP status to an error kind.
pub(crate) fn kind_for_code(code: Option<&str>, status: u16) -> ErrorKind {
    match code.unwrap_or("") {
        "INVALID_API_KEY" | "EXPIRED_API_KEY" | "REVOKED_API_KEY" | "UNAUTHORIZED" => {
            ErrorKind::Authentication
        }
        "IP_NOT_ALLOWED" | "INSUFFICIENT_PERMISSIONS" | "FORBIDDEN" => ErrorKind::PermissionDenied,
        "INSUFFICIENT_BALANCE" => ErrorKind::InsufficientBalance,
        "INVALID_PHONE_NUMBER" => ErrorKind::InvalidRecipient,
        "RATE_LIMIT_EXCEEDED" | "RATE_LIMITED" => ErrorKind::RateLimited,
        "TRANSACTION_NOT_FOUND" | "NETWORK_NOT_FOUND" | "WALLET_NOT_FOUND" | "NOT_FOUND" => {
            ErrorKind::NotFound
        }
        "DUPLICATE_TRANSACTION" => ErrorKind::Duplicate,
        "DELIVERY_FAILED" => ErrorKind::DeliveryFailed,
        _ => match status {
            401 => ErrorKind::Authentication,
            403 => ErrorKind::PermissionDenied,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimited,
            _ => ErrorKind::Api,
        },
    }
}

/// Check an id that goes into a URL path (`/v2/topups/:id`, `/v2/balance/:wallet_id`).
pub(crate) fn check_path_id(field: &str, id: &str) -> Result<()> {
    if id.is_empty() || id.len() > 128 {
        return Err(Error::invalid(field, "must be 1 to 128 characters"));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(Error::invalid(
            field,
            format!("{id:?} may only contain letters, digits, '-', '_' and '.'"),
        ));
    }
    Ok(())
}
