//! The V2 half of the money-safe send protocol (`POST /v2/topups`), and the journal's `pending`/`recover`.

use super::topup_record::TopUp;
use super::topups::{AmountBody, CreateBody, CreateTopUp};
use super::{Client, api_error, check_path_id, decode};
use crate::decode::{decimal, opt_string_or_number};
use crate::error::{Error, ErrorKind, Result};
use crate::handles::{Api, idempotency_key_for};
use crate::journal::{JournalEntry, Recovery};
use crate::money::Decimal;
use crate::response::{Meta, Response};
use crate::sendproto::{Answer, Described, SendCtx, SendProtocol, Verdict, run_send, settle_entry};
use crate::transport::{Failure, RawResponse};
use serde::Deserialize;
use std::time::Instant;

/// What was sold: the fields a record must match.
#[derive(Debug, Clone)]
enum Sale {
    Amount(Decimal, String),
    Product(String),
}

#[derive(Debug, Clone)]
struct Expect {
    phone: String,
    network_id: i64,
    sale: Sale,
}

#[derive(Deserialize)]
struct BodyIn {
    phone_number: String,
    network_id: i64,
    #[serde(default)]
    amount: Option<AmountIn>,
    #[serde(default, deserialize_with = "opt_string_or_number")]
    product_id: Option<String>,
}

#[derive(Deserialize)]
struct AmountIn {
    #[serde(deserialize_with = "decimal")]
    value: Decimal,
    currency: String,
}

impl Expect {
    /// Read the sale back from the body that is (or was) written: one source of truth for fresh sends and
    /// for journal entries.
    fn from_body(body: &[u8]) -> Result<Expect> {
        let b: BodyIn = serde_json::from_slice(body).map_err(|e| {
            Error::new(
                ErrorKind::Journal,
                format!("a recorded request is not a V2 top-up: {e}"),
            )
        })?;
        let sale = match (b.amount, b.product_id) {
            (Some(a), _) => Sale::Amount(a.value, a.currency),
            (None, Some(p)) => Sale::Product(p),
            (None, None) => {
                return Err(Error::new(
                    ErrorKind::Journal,
                    "a recorded request has neither amount nor product",
                ));
            }
        };
        Ok(Expect {
            phone: b.phone_number,
            network_id: b.network_id,
            sale,
        })
    }

    fn fingerprint(&self) -> String {
        let sale = match &self.sale {
            Sale::Amount(v, c) => format!("{} {}", v.normalize(), c.to_ascii_uppercase()),
            Sale::Product(p) => format!("product {}", p.trim()),
        };
        format!("{}|{}|{sale}", digits(&self.phone), self.network_id)
    }
}

fn digits(p: &str) -> String {
    p.chars().filter(char::is_ascii_digit).collect()
}

/// How to send, read and look up one V2 top-up.
pub(crate) struct V2Send<'a> {
    c: &'a Client,
    reference: String,
    key: String,
    expect: Expect,
}

impl<'a> V2Send<'a> {
    fn new(c: &'a Client, reference: String, key: String, body: &[u8]) -> Result<Self> {
        Ok(V2Send {
            c,
            reference,
            key,
            expect: Expect::from_body(body)?,
        })
    }
}

impl SendProtocol for V2Send<'_> {
    type Output = TopUp;
    const API: Api = Api::V2;

    fn reference(&self) -> &str {
        &self.reference
    }
    fn key(&self) -> Option<&str> {
        Some(&self.key)
    }
    fn fingerprint(&self) -> String {
        self.expect.fingerprint()
    }

    fn write(&self, body: &[u8], deadline: Instant) -> std::result::Result<RawResponse, Failure> {
        self.c.t.exchange_slotted(
            "/v2/topups",
            &[],
            Some(body),
            &[("Idempotency-Key", &self.key)],
            Some(deadline),
        )
    }

    fn interpret(&self, raw: &RawResponse) -> Answer<TopUp> {
        if (200..300).contains(&raw.status) {
            return match decode::<TopUp>(raw) {
                Ok(r) => Answer::Record {
                    data: r,
                    // 201 (or any 2xx but 200) says created now; 200 is an existing record returned
                    created: raw.status != 200,
                },
                // a 2xx we cannot read was received, and probably created: look it up
                Err(e) => Answer::Unknown(e),
            };
        }
        let (err, details) = api_error(raw);
        let documented = err.api_code().is_some();
        // any 409 — DUPLICATE_TRANSACTION or a code the docs do not list ("key in use" …) — says the API
        // holds something under this key or reference: resolve it, never read it as "not sent"
        let kind = if raw.status == 409 {
            ErrorKind::Duplicate
        } else {
            err.kind()
        };
        match kind {
            ErrorKind::Duplicate => {
                let field = |names: &[&str]| {
                    details.as_ref().and_then(|d| {
                        names.iter().find_map(|n| d.get(*n)).and_then(|v| match v {
                            serde_json::Value::String(s) => Some(s.clone()),
                            serde_json::Value::Number(n) => Some(n.to_string()),
                            _ => None,
                        })
                    })
                };
                Answer::Duplicate {
                    id: field(&["transaction_id", "id", "existing_transaction_id"]),
                    reference: field(&["reference", "existing_reference"]),
                    err,
                    near: false,
                }
            }
            ErrorKind::RateLimited => Answer::RateLimited(err),
            // the API's own definite refusals (a delivery failure is not debited)
            ErrorKind::DeliveryFailed => Answer::Refused(err),
            _ if raw.status >= 500 || raw.status == 408 => Answer::Unknown(err),
            // a proxy's or gateway's own refusal of authentication: never forwarded
            _ if matches!(raw.status, 401 | 407) => Answer::Refused(err),
            _ if documented => Answer::Refused(err),
            // an error status without the documented body (a proxy page …): it may have been received
            _ => Answer::Unknown(err),
        }
    }

    fn lookup(&self, deadline: Instant) -> Result<(Vec<TopUp>, Meta)> {
        let raw = self.c.t.get_until(
            "/v2/topups",
            &[
                ("reference", self.reference.clone()),
                ("per_page", "100".into()),
            ],
            Some(deadline),
        )?;
        let Response { data, meta } = decode::<Vec<TopUp>>(&raw)?;
        // every record as answered: the judge tells ours from others, and records of other references
        // (a server or proxy that ignored the filter) from a proof of absence
        Ok((data, meta))
    }

    fn get_by_id(&self, id: &str, deadline: Instant) -> Result<Option<TopUp>> {
        if check_path_id("id", id).is_err() {
            return Ok(None);
        }
        let raw = self
            .c
            .t
            .get_until(&format!("/v2/topups/{id}"), &[], Some(deadline))?;
        match decode::<TopUp>(&raw) {
            Ok(r) => Ok(Some(r.data)),
            Err(e) if e.kind() == ErrorKind::NotFound && e.api_code().is_some() => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn find_similar(&self, _deadline: Instant) -> Option<TopUp> {
        None
    }

    fn verify(&self, rec: &TopUp, _direct: bool) -> Verdict {
        let e = &self.expect;
        let mut missing = Vec::new();
        let mut differs = Vec::new();
        match rec.phone_number.as_deref() {
            None => missing.push("phone_number"),
            Some(p) if digits(p) != digits(&e.phone) => differs.push(format!("phone {p}")),
            Some(_) => {}
        }
        match rec.network.as_ref().map(|n| n.id) {
            None => missing.push("network"),
            Some(id) if id != e.network_id => differs.push(format!("network {id}")),
            Some(_) => {}
        }
        match &e.sale {
            Sale::Amount(v, c) => match &rec.amount {
                None => missing.push("amount"),
                Some(m) if m.value != *v || !m.currency.eq_ignore_ascii_case(c) => {
                    differs.push(format!("amount {} {}", m.value, m.currency))
                }
                Some(_) => {}
            },
            Sale::Product(p) => match rec.product_id.as_deref() {
                None => missing.push("product_id"),
                Some(x) if x.trim() != p.trim() => differs.push(format!("product {x}")),
                Some(_) => {}
            },
        }
        let same = missing.is_empty() && differs.is_empty();
        match rec.reference.as_deref() {
            Some(r) if r == self.reference => {
                if same {
                    Verdict::Ours
                } else if !differs.is_empty() {
                    Verdict::Conflict(format!("it is for {}", differs.join(", ")))
                } else {
                    Verdict::Unverifiable(format!("the record lacks {}", missing.join(", ")))
                }
            }
            Some(_) if same => Verdict::OtherSale,
            None => Verdict::Unverifiable("the record has no reference".into()),
            Some(r) => Verdict::Unrelated(format!(
                "it carries reference {r} and is not this sale either"
            )),
        }
    }

    fn describe(rec: &TopUp) -> Described {
        let amount = match (&rec.amount, &rec.product_id) {
            (Some(m), _) => format!("{} {}", m.value, m.currency),
            (None, Some(p)) => format!("product {p}"),
            (None, None) => "no amount".into(),
        };
        Described {
            id: Some(rec.id.clone()),
            reference: rec.reference.clone(),
            status: Some(rec.status.to_string()),
            summary: format!(
                "top-up {} (reference {}, {}, {amount}, {})",
                rec.id,
                rec.reference.as_deref().unwrap_or("none"),
                rec.phone_number.as_deref().unwrap_or("no phone"),
                rec.status
            ),
        }
    }
}

impl super::topups::TopupsApi<'_> {
    /// Send a top-up, at most once, and report only what is true. See the crate docs ("Money safety")
    /// for the five ends. In short: `Ok` only for a record verified to be this sale (`meta.origin` says
    /// how it was obtained); [`ErrorKind::DuplicateSale`] / [`ErrorKind::ReferenceConflict`] when the API
    /// holds another sale (this one was not created); a plain error kind only when no write can have been
    /// received; [`ErrorKind::OutcomeUnknown`] (with the reference and the cause) for everything else —
    /// never treat that as "failed": do not sell again, reconcile.
    ///
    /// The reference (yours, or generated) and the `Idempotency-Key` (derived from the reference by
    /// [`idempotency_key_for`] unless you set one) are fixed before anything is sent; call
    /// [`CreateTopUp::prepared`] to learn and persist them first. With a journal on the client, the send is
    /// written down before its first write, and a reference the journal already holds is not written again.
    pub fn create(&self, req: &CreateTopUp) -> Result<Response<TopUp>> {
        self.create_with(req, None)
    }

    /// [`create`](Self::create) with a cancel token: cancelling before anything of the sale can have been
    /// received ends it with `Cancelled` (nothing sent); once a write may have been received, the send runs
    /// on to a settled outcome or `OutcomeUnknown` — a written sale is never abandoned.
    pub fn create_cancellable(
        &self,
        req: &CreateTopUp,
        cancel: &crate::Cancel,
    ) -> Result<Response<TopUp>> {
        self.create_with(req, Some(cancel))
    }

    fn create_with(
        &self,
        req: &CreateTopUp,
        cancel: Option<&crate::Cancel>,
    ) -> Result<Response<TopUp>> {
        let order = req.checked_order()?;
        let reference = order.reference.clone().unwrap_or_default();
        let key = order.idempotency_key.clone().unwrap_or_default();
        let body = serde_json::to_vec(&CreateBody {
            phone_number: &order.phone_number,
            network_id: order.network_id,
            amount: order.amount.as_ref().map(|value| AmountBody {
                value,
                currency: order.currency.as_deref().unwrap_or(""),
            }),
            product_id: order.product_id.as_deref(),
            sms: order.sms.as_ref(),
            reference: &reference,
            callback_url: order.callback_url.as_deref(),
            metadata: order.metadata.as_ref(),
        })
        .map_err(|e| Error::invalid("metadata", format!("cannot be encoded: {e}")))?;
        let proto = V2Send::new(self.c, reference, key, &body)?;
        run_send(
            SendCtx {
                t: &self.c.t,
                journal: self.c.t.journal.as_ref(),
                body,
                cancel,
            },
            &proto,
        )
    }
}

impl Client {
    /// Sends the journal holds open (`in_flight` after a crash, or `unknown`), oldest first. Empty without
    /// a journal.
    pub fn pending(&self) -> Result<Vec<JournalEntry>> {
        match &self.t.journal {
            Some(j) => j.pending(Api::V2.as_str()),
            None => Ok(Vec::new()),
        }
    }

    /// The journal's entry for `reference`, if any.
    pub fn journal_entry(&self, reference: &str) -> Result<Option<JournalEntry>> {
        match &self.t.journal {
            Some(j) => j.get(Api::V2.as_str(), reference),
            None => Ok(None),
        }
    }

    /// Settle every open journal entry with a verified lookup, never writing: found and verified → `sent`
    /// (with its record); not found once the convergence bound has passed since its last write → `not_sent`
    /// (selling it again with the same reference is then safe); another sale holds the reference →
    /// `refused` (after the bound); anything else stays `unknown` (call again later). Entries a live send
    /// holds right now are returned unchanged. Needs a journal.
    pub fn recover(&self) -> Result<Vec<Recovery<TopUp>>> {
        let Some(j) = &self.t.journal else {
            return Err(Error::invalid(
                "journal",
                "recover() needs a client built with a journal",
            ));
        };
        let mut out = Vec::new();
        for entry in j.pending(Api::V2.as_str())? {
            if j.is_live(Api::V2.as_str(), &entry.reference)? {
                out.push(Recovery {
                    entry,
                    record: None,
                });
                continue;
            }
            let proto = V2Send::new(
                self,
                entry.reference.clone(),
                entry
                    .idempotency_key
                    .clone()
                    .unwrap_or_else(|| idempotency_key_for(&entry.reference)),
                entry.request.as_bytes(),
            )?;
            let record = settle_entry(&self.t, j, &proto, &entry)?;
            let entry = j.get(Api::V2.as_str(), &entry.reference)?.unwrap_or(entry);
            out.push(Recovery { entry, record });
        }
        Ok(out)
    }
}
