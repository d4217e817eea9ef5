//! `POST /v2/topups` (money-safe), `GET /v2/topups/:id`, `GET /v2/topups`, waiting and reconciling.

use super::catalog::check_network_id;
use super::topup_record::{Sms, TopUp, TopUpStatus};
use super::{Client, check_path_id};
use crate::config::{check_callback_url, check_header_value, check_text};
use crate::decode::{decimal_as_number, parse_iso8601_millis};
use crate::error::{Error, ErrorKind, Result};
use crate::money::{Decimal, validate_amount_for, validate_currency};
use crate::polling::{Poll, Poller, WaitOptions, WaitStep};
use crate::response::{Meta, Response};
use serde::Serialize;

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
    /// Your reference: one per sale, unique. Generated (`ca-<uuid>`) when absent; always returned. It finds
    /// the transaction again after a lost answer or a crash, and a record is believed only if it carries
    /// it. Persist it (see [`prepared`](Self::prepared)) before sending.
    pub reference: Option<String>,
    /// URL for status webhooks.
    pub callback_url: Option<String>,
    /// Key/value pairs stored with the top-up.
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// `Idempotency-Key` header. When absent, derived from the reference ([`super::idempotency_key_for`]),
    /// so the same sale carries the same key in every process and after a restart.
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
    /// Set your reference. A key that was derived from the previous reference (by
    /// [`prepared`](Self::prepared)) is dropped, so the key always follows the reference.
    pub fn reference(mut self, r: impl Into<String>) -> Self {
        if let (Some(old), Some(key)) = (&self.reference, &self.idempotency_key)
            && *key == crate::handles::idempotency_key_for(old)
        {
            self.idempotency_key = None;
        }
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

    /// The same order with its handles fixed: the reference (generated if absent) and the idempotency key
    /// (derived from the reference if absent). Persist `reference` (with the order) before calling
    /// `create`: after a crash, sending the same order with the same reference is recognised as the same
    /// sale — by the journal, by the API (same key), and by the verified lookup.
    pub fn prepared(&self) -> CreateTopUp {
        // the number as the API wants it (E.164), however it was typed
        let e164 = crate::phone::normalize("phone_number", &self.phone_number, None, false).ok();
        self.prepared_with(e164)
    }

    /// [`validate`](Self::validate) and [`prepared`](Self::prepared) in one, the number checked once
    /// (libphonenumber's parse and validation is the largest CPU cost of a send: ~34k instructions, more
    /// than twice a raw HTTP exchange). The error names the first bad field.
    pub fn checked(&self) -> Result<CreateTopUp> {
        self.checked_order()
    }

    /// The same order with only its handles fixed (reference and idempotency key, as
    /// [`prepared`](Self::prepared) fixes them), the number as given and nothing checked: for a caller
    /// that must know the handles before `create`, which checks every field itself before any write.
    pub fn with_handles(&self) -> CreateTopUp {
        self.prepared_with(None)
    }

    pub(crate) fn checked_order(&self) -> Result<CreateTopUp> {
        let e164 = crate::phone::normalize("phone_number", &self.phone_number, None, false)?;
        self.validate_fields()?;
        Ok(self.prepared_with(Some(e164)))
    }

    fn prepared_with(&self, e164: Option<String>) -> CreateTopUp {
        let mut o = self.clone();
        if let Some(p) = e164 {
            o.phone_number = p;
        }
        let reference = o
            .reference
            .get_or_insert_with(crate::handles::new_reference)
            .clone();
        o.idempotency_key
            .get_or_insert_with(|| crate::handles::idempotency_key_for(&reference));
        o
    }

    /// Check every field; the error names the first bad one.
    pub fn validate(&self) -> Result<()> {
        // formatted input ("+233 54 111 2259") is fine; the number must exist in its country
        self.checked_order().map(drop)
    }

    /// Every field but the number.
    fn validate_fields(&self) -> Result<()> {
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
            (Some(a), None) => match &self.currency {
                Some(c) => {
                    validate_currency("currency", c)?;
                    validate_amount_for("amount", *a, Some(c))?;
                }
                None => {
                    return Err(Error::invalid(
                        "currency",
                        "required with amount (local currency, e.g. GHS)",
                    ));
                }
            },
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
pub(super) struct AmountBody<'a> {
    #[serde(serialize_with = "decimal_as_number")]
    pub value: &'a Decimal,
    pub currency: &'a str,
}

#[derive(Serialize)]
pub(super) struct CreateBody<'a> {
    pub phone_number: &'a str,
    pub network_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<AmountBody<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms: Option<&'a Sms>,
    pub reference: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<&'a serde_json::Map<String, serde_json::Value>>,
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
            cancel: None,
        })
    }

    /// Find the top-up sent with `reference` (exact match). `Ok(None)`: the API shows none *now*. That
    /// proves it was never created only once the convergence bound (about 12 minutes, see
    /// `ClientBuilder::convergence_bound`) has passed since its last write; before that, a slow write may
    /// still appear. Sell it again only with the *same* reference (the same idempotency key follows from it).
    /// Several top-ups with the reference are a [`ErrorKind::ReferenceConflict`].
    /// An answer with a record of another reference (a filter ignored by a proxy or server) proves nothing
    /// and is an `UnexpectedResponse`, never `Ok(None)`.
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
        let mut found =
            crate::sendproto::exact_matches(data, reference, |t: &TopUp| t.reference.as_deref())?;
        if found.len() > 1 {
            return Err(Error::new(
                ErrorKind::ReferenceConflict,
                format!(
                    "{} top-ups carry reference {reference}; the reference is not unique",
                    found.len()
                ),
            )
            .with_existing(Some(found[0].id.clone()), Some(reference.to_owned())));
        }
        Ok(found.pop().map(|t| Response {
            data: t,
            meta: Meta {
                reference: Some(reference.to_owned()),
                ..meta
            },
        }))
    }

    /// Poll a top-up until it is completed or failed, with backoff, up to `opts.deadline` (default 13 min,
    /// beyond the documented 12-minute bound). Every poll gets only the time that remains. A 404 in the
    /// first [`WaitOptions::not_found_grace`] after the wait starts is taken as "not visible yet" (a
    /// replica behind the write). Past the deadline: [`ErrorKind::StillPending`] with the id and the last
    /// status — the top-up exists and may still complete. `opts.cancel` stops it with `Cancelled`.
    pub fn wait(&self, id: &str, opts: &WaitOptions) -> Result<Response<TopUp>> {
        let mut w = self.wait_steps(id, opts)?;
        loop {
            match w.step()? {
                WaitStep::Done(r) => return Ok(r),
                WaitStep::Sleep(d) => {
                    crate::polling::sleep_cancellable(d, opts.cancel.as_ref());
                }
            }
        }
    }

    /// The same wait, driven step by step by the caller: each [`TopUpWait::step`] makes one exchange and
    /// says how long to sleep before the next, so an async host sleeps on its own timers and holds no
    /// thread between polls.
    pub fn wait_steps(&self, id: &str, opts: &WaitOptions) -> Result<TopUpWait> {
        check_path_id("id", id)?;
        Ok(TopUpWait {
            client: self.c.clone(),
            id: id.to_owned(),
            poller: Poller::new(opts)?,
            grace: opts.not_found_grace,
        })
    }
}

/// A wait in progress; from [`TopupsApi::wait_steps`].
#[derive(Debug)]
pub struct TopUpWait {
    client: Client,
    id: String,
    poller: Poller,
    grace: std::time::Duration,
}

impl TopUpWait {
    /// One poll (bounded by the wait's deadline): done, or how long to sleep before the next step. Errors
    /// as [`TopupsApi::wait`].
    pub fn step(&mut self) -> Result<WaitStep<Response<TopUp>>> {
        let id = self.id.clone();
        let tag = |e: Error| e.with_transaction_id(Some(id.clone()));
        self.poller.check_cancel().map_err(tag)?;
        let poll = (|| {
            let raw = self.client.t.get_until(
                &format!("/v2/topups/{}", self.id),
                &[],
                Some(self.poller.deadline()),
            )?;
            match super::decode::<TopUp>(&raw) {
                Ok(r) if r.status.is_terminal() => Ok(Poll::Done(r)),
                Ok(r) => Ok(Poll::Pending(r.status.to_string())),
                Err(e) if e.kind() == ErrorKind::NotFound && self.poller.elapsed() < self.grace => {
                    Ok(Poll::Pending("not visible yet".into()))
                }
                Err(e) => Err(e),
            }
        })();
        self.poller.after(poll).map_err(tag)
    }

    /// The top-up being waited for.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// Iterator over every page of a top-up listing; from [`TopupsApi::list_all`].
#[derive(Debug)]
pub struct TopUpPages {
    client: Client,
    filter: ListTopUps,
    next_page: Option<u32>,
    buffer: std::vec::IntoIter<TopUp>,
    cancel: Option<crate::Cancel>,
}

impl TopUpPages {
    /// Stop the walk when `cancel` fires: the next page is not fetched, and the iterator yields one
    /// `Cancelled` error, then ends.
    pub fn with_cancel(mut self, cancel: crate::Cancel) -> Self {
        self.cancel = Some(cancel);
        self
    }

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
            if self.cancel.as_ref().is_some_and(|c| c.is_cancelled()) {
                self.next_page = None;
                return Some(Err(Error::new(
                    ErrorKind::Cancelled,
                    "the listing was cancelled",
                )));
            }
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
