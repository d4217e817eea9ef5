//! `POST /v2/topups` (money-safe), `GET /v2/topups/:id`, `GET /v2/topups`, waiting and reconciling.

use super::catalog::check_network_id;
use super::{Client, api_error, check_path_id, decode};
use crate::config::{check_callback_url, check_header_value, check_text};
use crate::decode::{
    Timestamp, decimal, decimal_as_number, open_enum, opt_string_or_number, parse_iso8601_millis,
};
use crate::error::{Error, ErrorKind, Result};
use crate::money::{Decimal, validate_amount, validate_currency};
use crate::phone::validate_e164;
use crate::polling::{Poll, WaitOptions, poll_until};
use crate::response::{Meta, Response};
use crate::sendproto::{SendAttempt, SendProtocol, run_send};
use crate::transport::RawResponse;
use serde::{Deserialize, Serialize};

open_enum! {
    /// Status of a V2 top-up. `completed` and `failed` are the documented terminal states; refunds and
    /// cancellations (seen in the guides) are treated as terminal too. Unknown values are not terminal.
    pub enum TopUpStatus {
        /// Created, awaiting processing.
        Pending => "pending",
        /// Delivery in progress.
        Processing => "processing",
        /// Delivered.
        Completed => "completed",
        /// Delivery failed; see `failure_reason`.
        Failed => "failed",
        /// Refunded to the wallet.
        Refunded => "refunded",
        /// Cancelled.
        Cancelled => "cancelled" | "canceled",
    }
}

impl TopUpStatus {
    /// Whether the status will not change any more.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TopUpStatus::Completed
                | TopUpStatus::Failed
                | TopUpStatus::Refunded
                | TopUpStatus::Cancelled
        )
    }
    /// Whether the airtime was delivered.
    pub fn is_success(&self) -> bool {
        matches!(self, TopUpStatus::Completed)
    }
}

/// An amount with its currency (`amount`, `cost`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// Exact value.
    #[serde(deserialize_with = "decimal", alias = "amount")]
    pub value: Decimal,
    /// ISO 4217 code.
    #[serde(default)]
    pub currency: String,
}

/// The network of a top-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkRef {
    /// Network id.
    pub id: i64,
    /// Operator name.
    #[serde(default)]
    pub name: Option<String>,
    /// Country name.
    #[serde(default)]
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    #[serde(default)]
    pub country_code: Option<String>,
}

/// SMS notification settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Sms {
    /// Send an SMS to the recipient.
    #[serde(default)]
    pub enabled: bool,
    /// Custom text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A V2 top-up transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopUp {
    /// Transaction id (UUID).
    pub id: String,
    /// Current status.
    pub status: TopUpStatus,
    /// Recipient, E.164.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// Network.
    #[serde(default)]
    pub network: Option<NetworkRef>,
    /// Local amount delivered.
    #[serde(default)]
    pub amount: Option<Money>,
    /// What the wallet was charged (USD).
    #[serde(default)]
    pub cost: Option<Money>,
    /// Bundle id, if a bundle was sent (string or integer on the wire; kept as text).
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub product_id: Option<String>,
    /// Bundle name.
    #[serde(default)]
    pub product_name: Option<String>,
    /// SMS settings.
    #[serde(default)]
    pub sms: Option<Sms>,
    /// Your reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// Upstream provider's reference.
    #[serde(default)]
    pub provider_reference: Option<String>,
    /// Why it failed.
    #[serde(default)]
    pub failure_reason: Option<String>,
    /// Your metadata, echoed.
    #[serde(default)]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// Creation time.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// Completion time.
    #[serde(default)]
    pub completed_at: Option<Timestamp>,
}

/// A top-up to send: a custom amount or a bundle, to one number.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateTopUp {
    /// Recipient, E.164 (`+233541112259`).
    pub phone_number: String,
    /// Network id (from the catalog lookup).
    pub network_id: i64,
    /// Custom amount in the network's local currency (with `currency`); exclusive with `product_id`.
    pub amount: Option<Decimal>,
    /// Local currency of `amount` (ISO 4217).
    pub currency: Option<String>,
    /// Bundle id; exclusive with `amount`.
    pub product_id: Option<String>,
    /// SMS to the recipient.
    pub sms: Option<Sms>,
    /// Your reference. Generated (`ca-<uuid>`) when absent; always returned. Used to find the transaction
    /// again after a lost answer, so make it unique per sale.
    pub reference: Option<String>,
    /// URL for status webhooks.
    pub callback_url: Option<String>,
    /// Key/value pairs stored with the top-up.
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// `Idempotency-Key` header. Generated (UUID v4) when absent; the same key is used on every re-send.
    pub idempotency_key: Option<String>,
}

impl CreateTopUp {
    /// A custom-amount top-up.
    pub fn amount(
        phone_number: impl Into<String>,
        network_id: i64,
        value: Decimal,
        currency: impl Into<String>,
    ) -> Self {
        CreateTopUp {
            phone_number: phone_number.into(),
            network_id,
            amount: Some(value),
            currency: Some(currency.into()),
            ..Default::default()
        }
    }
    /// A bundle top-up.
    pub fn product(
        phone_number: impl Into<String>,
        network_id: i64,
        product_id: impl Into<String>,
    ) -> Self {
        CreateTopUp {
            phone_number: phone_number.into(),
            network_id,
            product_id: Some(product_id.into()),
            ..Default::default()
        }
    }
    /// Set your reference.
    pub fn reference(mut self, r: impl Into<String>) -> Self {
        self.reference = Some(r.into());
        self
    }
    /// Set the idempotency key.
    pub fn idempotency_key(mut self, k: impl Into<String>) -> Self {
        self.idempotency_key = Some(k.into());
        self
    }
    /// Send an SMS, with an optional text.
    pub fn sms(mut self, message: Option<String>) -> Self {
        self.sms = Some(Sms {
            enabled: true,
            message,
        });
        self
    }
    /// Set the webhook URL.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }
    /// Add one metadata entry.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.metadata
            .get_or_insert_with(Default::default)
            .insert(key.into(), value.into());
        self
    }

    /// Check every field; the error names the first bad one.
    pub fn validate(&self) -> Result<()> {
        validate_e164("phone_number", &self.phone_number)?;
        check_network_id(self.network_id)?;
        match (&self.amount, &self.product_id) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    "amount",
                    "give either amount or product_id, not both",
                ));
            }
            (None, None) => {
                return Err(Error::invalid(
                    "amount",
                    "give either amount (with currency) or product_id",
                ));
            }
            (Some(a), None) => {
                validate_amount("amount", *a)?;
                match &self.currency {
                    Some(c) => validate_currency("currency", c)?,
                    None => {
                        return Err(Error::invalid(
                            "currency",
                            "required with amount (local currency, e.g. GHS)",
                        ));
                    }
                }
            }
            (None, Some(p)) => {
                if self.currency.is_some() {
                    return Err(Error::invalid("currency", "only allowed with amount"));
                }
                check_text("product_id", p, 64)?;
            }
        }
        if let Some(r) = &self.reference {
            check_text("reference", r, 100)?;
        }
        if let Some(k) = &self.idempotency_key {
            check_text("idempotency_key", k, 255)?;
            check_header_value("idempotency_key", k)?;
        }
        if let Some(u) = &self.callback_url {
            check_callback_url("callback_url", u)?;
        }
        if let Some(Sms {
            message: Some(m), ..
        }) = &self.sms
            && m.chars().count() > 480
        {
            return Err(Error::invalid(
                "sms.message",
                "must be at most 480 characters",
            ));
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct AmountBody<'a> {
    #[serde(serialize_with = "decimal_as_number")]
    value: &'a Decimal,
    currency: &'a str,
}

#[derive(Serialize)]
struct CreateBody<'a> {
    phone_number: &'a str,
    network_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<AmountBody<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    product_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sms: Option<&'a Sms>,
    reference: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    callback_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

/// Filters of `GET /v2/topups`. All optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListTopUps {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Page size, 1..=100 (API default 20).
    pub per_page: Option<u32>,
    /// Only this status.
    pub status: Option<TopUpStatus>,
    /// Recipient filter (partial match).
    pub phone_number: Option<String>,
    /// Your reference (exact match).
    pub reference: Option<String>,
    /// Created at or after (ISO 8601 date or date-time).
    pub from: Option<String>,
    /// Created at or before (ISO 8601 date or date-time).
    pub to: Option<String>,
    /// Sort field: `created_at`, `completed_at`, `status` or `total_usd`, `-` prefix for descending.
    pub sort: Option<String>,
}

impl ListTopUps {
    fn query(&self) -> Result<Vec<(&'static str, String)>> {
        let mut q = Vec::new();
        if let Some(p) = self.page {
            if p == 0 {
                return Err(Error::invalid("page", "must be at least 1"));
            }
            q.push(("page", p.to_string()));
        }
        if let Some(n) = self.per_page {
            if !(1..=100).contains(&n) {
                return Err(Error::invalid(
                    "per_page",
                    format!("must be between 1 and 100 (got {n})"),
                ));
            }
            q.push(("per_page", n.to_string()));
        }
        if let Some(s) = &self.status {
            if s.as_str().is_empty() {
                return Err(Error::invalid("status", "must not be empty"));
            }
            q.push(("status", s.as_str().to_owned()));
        }
        if let Some(p) = &self.phone_number {
            if p.is_empty()
                || !p
                    .trim_start_matches('+')
                    .bytes()
                    .all(|b| b.is_ascii_digit())
            {
                return Err(Error::invalid(
                    "phone_number",
                    "must be digits, optionally after '+'",
                ));
            }
            q.push(("phone_number", p.clone()));
        }
        if let Some(r) = &self.reference {
            check_text("reference", r, 100)?;
            q.push(("reference", r.clone()));
        }
        for (field, v) in [("from", &self.from), ("to", &self.to)] {
            if let Some(v) = v {
                if parse_iso8601_millis(v).is_none() {
                    return Err(Error::invalid(
                        field,
                        format!("{v:?} is not an ISO 8601 date or date-time"),
                    ));
                }
                q.push((field, v.clone()));
            }
        }
        if let (Some(f), Some(t)) = (&self.from, &self.to)
            && parse_iso8601_millis(f) > parse_iso8601_millis(t)
        {
            return Err(Error::invalid("from", "must not be after to"));
        }
        if let Some(s) = &self.sort {
            let field = s.strip_prefix('-').unwrap_or(s);
            if !matches!(
                field,
                "created_at" | "completed_at" | "status" | "total_usd"
            ) {
                return Err(Error::invalid(
                    "sort",
                    format!(
                        "{s:?} is not one of created_at, completed_at, status, total_usd (with optional '-')"
                    ),
                ));
            }
            q.push(("sort", s.clone()));
        }
        Ok(q)
    }
}

/// Top-up operations; from [`Client::topups`].
#[derive(Debug, Clone, Copy)]
pub struct TopupsApi<'a> {
    pub(super) c: &'a Client,
}

impl TopupsApi<'_> {
    /// Send a top-up, at most once.
    ///
    /// The request carries an `Idempotency-Key` and a `reference` (yours or generated; both are returned in
    /// [`Meta`] and on every error). If the outcome is unknown — a timeout or lost connection after the
    /// request was written, a 5xx, an unreadable answer — nothing is re-sent blindly: the top-up is looked up
    /// by reference and returned if it exists; only if it does not is the same request re-sent with the same
    /// key. A `409 DUPLICATE_TRANSACTION`, or an existing transaction returned by the API's duplicate window,
    /// resolves to the existing record (`meta.replayed`). If the outcome still cannot be known within the
    /// client's `send_deadline`, the error is [`ErrorKind::OutcomeUnknown`] with the reference: call
    /// [`reconcile`](Self::reconcile) later. Never treat that error as "failed".
    pub fn create(&self, req: &CreateTopUp) -> Result<Response<TopUp>> {
        req.validate()?;
        let reference = req
            .reference
            .clone()
            .unwrap_or_else(|| format!("ca-{}", uuid::Uuid::new_v4()));
        let key = req
            .idempotency_key
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let body = serde_json::to_vec(&CreateBody {
            phone_number: &req.phone_number,
            network_id: req.network_id,
            amount: req.amount.as_ref().map(|value| AmountBody {
                value,
                currency: req.currency.as_deref().unwrap_or(""),
            }),
            product_id: req.product_id.as_deref(),
            sms: req.sms.as_ref(),
            reference: &reference,
            callback_url: req.callback_url.as_deref(),
            metadata: req.metadata.as_ref(),
        })
        .map_err(|e| Error::invalid("metadata", format!("cannot be encoded: {e}")))?;
        let proto = V2Send {
            c: self.c,
            reference: &reference,
            key: &key,
            body,
        };
        run_send(&self.c.t, &proto, &reference, Some(&key))
    }

    /// One top-up by id.
    pub fn get(&self, id: &str) -> Result<Response<TopUp>> {
        check_path_id("id", id)?;
        self.c.get(&format!("/v2/topups/{id}"), &[])
    }

    /// One page of top-ups.
    pub fn list(&self, filter: &ListTopUps) -> Result<Response<Vec<TopUp>>> {
        let q = filter.query()?;
        self.c.get("/v2/topups", &q)
    }

    /// Every top-up matching `filter`, page after page (from `filter.page`, default 1), as an iterator.
    /// The filter is validated now; pages are fetched lazily. An error is yielded once, then iteration ends.
    pub fn list_all(&self, filter: &ListTopUps) -> Result<TopUpPages> {
        filter.query()?;
        Ok(TopUpPages {
            client: self.c.clone(),
            filter: filter.clone(),
            next_page: Some(filter.page.unwrap_or(1)),
            buffer: Vec::new().into_iter(),
        })
    }

    /// Find the top-up sent with `reference` (exact match). `Ok(None)` means the API has no such top-up: it
    /// was never created, and re-sending it (with the same reference) is safe.
    pub fn reconcile(&self, reference: &str) -> Result<Option<Response<TopUp>>> {
        check_text("reference", reference, 100)?;
        let page = self.c.get::<Vec<TopUp>>(
            "/v2/topups",
            &[
                ("reference", reference.to_owned()),
                ("per_page", "100".into()),
            ],
        )?;
        let Response { data, meta } = page;
        // prefer an exact reference match; the API filters exactly, but be strict anyway
        let found = data
            .into_iter()
            .find(|t| t.reference.as_deref() == Some(reference));
        Ok(found.map(|t| Response {
            data: t,
            meta: Meta {
                reference: Some(reference.to_owned()),
                ..meta
            },
        }))
    }

    /// Poll a top-up until it is completed or failed, with backoff, up to `opts.deadline` (default 13 min,
    /// beyond the documented 12-minute bound). Past the deadline: a timeout error carrying the id.
    pub fn wait(&self, id: &str, opts: &WaitOptions) -> Result<Response<TopUp>> {
        check_path_id("id", id)?;
        poll_until(opts, || {
            let r = self.get(id)?;
            let status = r.status.clone();
            Ok(if r.status.is_terminal() {
                Poll::Done(r)
            } else {
                Poll::Pending(status.to_string())
            })
        })
        .map_err(|e| e.with_transaction_id(Some(id.to_owned())))
    }
}

/// Iterator over every page of a top-up listing; from [`TopupsApi::list_all`].
#[derive(Debug)]
pub struct TopUpPages {
    client: Client,
    filter: ListTopUps,
    next_page: Option<u32>,
    buffer: std::vec::IntoIter<TopUp>,
}

impl TopUpPages {
    /// Fetch the next page's items (empty when done).
    fn fetch(&mut self) -> Result<Vec<TopUp>> {
        let Some(page) = self.next_page.take() else {
            return Ok(Vec::new());
        };
        let mut f = self.filter.clone();
        f.page = Some(page);
        let per_page = f.per_page.unwrap_or(20) as usize;
        let r = self.client.topups().list(&f)?;
        let more = match r.meta.pagination {
            Some(p) => p.has_next && page < p.total_pages.max(page + 1),
            None => r.data.len() >= per_page && !r.data.is_empty(),
        };
        // a server that keeps saying has_next with empty pages must not loop forever
        if more && !r.data.is_empty() && page < 100_000 {
            self.next_page = Some(page + 1);
        }
        Ok(r.data)
    }
}

impl Iterator for TopUpPages {
    type Item = Result<TopUp>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(t) = self.buffer.next() {
                return Some(Ok(t));
            }
            self.next_page?;
            match self.fetch() {
                Ok(items) => self.buffer = items.into_iter(),
                Err(e) => {
                    self.next_page = None;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// The V2 half of the send protocol: how to send, how to read an answer, how to look the top-up up.
struct V2Send<'a> {
    c: &'a Client,
    reference: &'a str,
    key: &'a str,
    body: Vec<u8>,
}

impl SendProtocol for V2Send<'_> {
    type Output = TopUp;

    fn send(&self) -> std::result::Result<RawResponse, crate::transport::Failure> {
        self.c.t.exchange(
            "/v2/topups",
            &[],
            Some(&self.body),
            &[("Idempotency-Key", self.key)],
        )
    }

    fn interpret(&self, raw: &RawResponse) -> SendAttempt<TopUp> {
        if (200..300).contains(&raw.status) {
            return match decode::<TopUp>(raw) {
                Ok(mut r) => {
                    // 200 instead of 201, or another reference: the API returned an existing transaction
                    let other = r
                        .data
                        .reference
                        .as_deref()
                        .is_some_and(|x| x != self.reference);
                    r.meta.replayed = raw.status == 200 || other;
                    SendAttempt::Done(r)
                }
                // a 2xx we cannot read: it was probably created, so look it up
                Err(e) => SendAttempt::Unknown(e),
            };
        }
        let (err, details) = api_error(raw);
        match err.kind() {
            ErrorKind::Duplicate => {
                let id = details
                    .as_ref()
                    .and_then(|d| d.get("transaction_id").or_else(|| d.get("id")))
                    .and_then(|v| v.as_str())
                    .map(str::to_owned);
                SendAttempt::Duplicate {
                    err,
                    transaction_id: id,
                }
            }
            ErrorKind::RateLimited => SendAttempt::RateLimited(err),
            ErrorKind::DeliveryFailed => SendAttempt::Failed(err),
            _ if raw.status >= 500 => SendAttempt::Unknown(err),
            _ => SendAttempt::Failed(err),
        }
    }

    fn lookup(&self, transaction_id: Option<&str>) -> Result<Option<Response<TopUp>>> {
        if let Some(id) = transaction_id {
            match self.c.topups().get(id) {
                Ok(r) => return Ok(Some(r)),
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        self.c.topups().reconcile(self.reference)
    }
}
