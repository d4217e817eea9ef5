//! The V1 half of the money-safe send protocol (`POST /adp`), and the journal's `pending`/`recover`.

use super::topup::{Body, SendTopUp};
use super::transactions::{Transaction, TransactionFilter};
use super::{Client, parse_envelope, v1_error};
use crate::decode::opt_decimal;
use crate::error::{Error, ErrorKind, Result};
use crate::handles::Api;
use crate::journal::{JournalEntry, Recovery};
use crate::money::Decimal;
use crate::response::{Meta, Response};
use crate::sendproto::{Answer, Described, SendCtx, SendProtocol, Verdict, run_send, settle_entry};
use crate::transport::{Failure, RawResponse};
use serde::Deserialize;
use std::time::Instant;

/// What was sold, read back from the body.
#[derive(Debug, Clone, Deserialize)]
struct Expect {
    msisdn: String,
    #[serde(default, deserialize_with = "opt_decimal")]
    amount: Option<Decimal>,
    #[serde(default, rename = "productId")]
    product_id: Option<i64>,
}

impl Expect {
    fn from_body(body: &[u8]) -> Result<Expect> {
        serde_json::from_slice(body).map_err(|e| {
            Error::new(
                ErrorKind::Journal,
                format!("a recorded request is not a V1 top-up: {e}"),
            )
        })
    }
    fn fingerprint(&self) -> String {
        format!(
            "{}|{}|{}",
            digits(&self.msisdn),
            self.amount
                .map(|a| a.normalize().to_string())
                .unwrap_or_default(),
            self.product_id.map(|p| p.to_string()).unwrap_or_default()
        )
    }
}

fn digits(p: &str) -> String {
    p.chars().filter(char::is_ascii_digit).collect()
}

pub(crate) struct V1Send<'a> {
    c: &'a Client,
    ext_ref_id: String,
    expect: Expect,
}

impl<'a> V1Send<'a> {
    fn new(c: &'a Client, ext_ref_id: String, body: &[u8]) -> Result<Self> {
        Ok(V1Send {
            c,
            ext_ref_id,
            expect: Expect::from_body(body)?,
        })
    }
}

/// Business codes that are the API's own definite refusals (nothing created).
const REFUSALS: &[i64] = &[0, 5, 20, 30];

impl SendProtocol for V1Send<'_> {
    type Output = Transaction;
    const API: Api = Api::V1;

    fn reference(&self) -> &str {
        &self.ext_ref_id
    }
    fn key(&self) -> Option<&str> {
        None
    }
    fn fingerprint(&self) -> String {
        self.expect.fingerprint()
    }

    fn write(&self, body: &[u8], deadline: Instant) -> std::result::Result<RawResponse, Failure> {
        self.c.t.exchange_slotted(
            &self.c.t.cfg.v1_topup_path,
            &[],
            Some(body),
            &[],
            Some(deadline),
        )
    }

    fn interpret(&self, raw: &RawResponse) -> Answer<Transaction> {
        interpret(raw)
    }

    fn lookup(&self, deadline: Instant) -> Result<(Vec<Transaction>, Meta)> {
        let r = self.c.transactions_until(
            &TransactionFilter::ext_ref_id(&self.ext_ref_id),
            Some(deadline),
        )?;
        let Response { data, meta } = r;
        // every record as answered: the judge tells ours from others, and records of other references
        // (a server or proxy that ignored the filter) from a proof of absence
        Ok((data, meta))
    }

    fn get_by_id(&self, _id: &str, _deadline: Instant) -> Result<Option<Transaction>> {
        Ok(None)
    }

    fn find_similar(&self, deadline: Instant) -> Option<Transaction> {
        let r = self
            .c
            .transactions_until(
                &TransactionFilter::msisdn(&self.expect.msisdn),
                Some(deadline),
            )
            .ok()?;
        r.data.into_iter().find(|t| {
            t.ext_ref_id.as_deref() != Some(self.ext_ref_id.as_str())
                && match (self.expect.amount, t.delivered_amount()) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                }
        })
    }

    fn verify(&self, rec: &Transaction, direct: bool) -> Verdict {
        let e = &self.expect;
        let mut missing = Vec::new();
        let mut differs = Vec::new();
        match rec.msisdn.as_deref() {
            None => missing.push("msisdn"),
            Some(m) if digits(m) != digits(&e.msisdn) => differs.push(format!("msisdn {m}")),
            Some(_) => {}
        }
        // a product's amount is set by the product; an amount sale must match (records carry no productId)
        if e.product_id.is_none()
            && let Some(want) = e.amount
        {
            match rec.delivered_amount() {
                None => missing.push("amount"),
                Some(a) if a != want => differs.push(format!("amount {a}")),
                Some(_) => {}
            }
        }
        // the documented answer to a write carries neither extRefId nor msisdn: fields it lacks are fine there
        let missing_ok = direct || missing.is_empty();
        let same = differs.is_empty() && missing_ok;
        match rec.ext_ref_id.as_deref() {
            Some(r) if r == self.ext_ref_id => {
                if same {
                    Verdict::Ours
                } else if !differs.is_empty() {
                    Verdict::Conflict(format!("it is for {}", differs.join(", ")))
                } else {
                    Verdict::Unverifiable(format!("the record lacks {}", missing.join(", ")))
                }
            }
            None if direct && same => Verdict::Ours,
            None => Verdict::Unverifiable("the record has no extRefId".into()),
            Some(_) if same => Verdict::OtherSale,
            Some(r) => Verdict::Unrelated(format!(
                "it carries extRefId {r} and is not this sale either"
            )),
        }
    }

    fn complete(&self, rec: &mut Transaction) {
        rec.ext_ref_id
            .get_or_insert_with(|| self.ext_ref_id.clone());
    }

    fn describe(rec: &Transaction) -> Described {
        let id = rec.transaction_id.clone();
        Described {
            id: id.clone(),
            reference: rec.ext_ref_id.clone(),
            status: Some(rec.state.to_string()),
            summary: format!(
                "transaction {} (extRefId {}, msisdn {}, amount {}, {})",
                id.as_deref().unwrap_or("?"),
                rec.ext_ref_id.as_deref().unwrap_or("none"),
                rec.msisdn.as_deref().unwrap_or("?"),
                rec.delivered_amount()
                    .map(|a| a.to_string())
                    .unwrap_or_else(|| "?".into()),
                rec.state
            ),
        }
    }
}

/// Read one answer to a clean write.
fn interpret(raw: &RawResponse) -> Answer<Transaction> {
    let ok = (200..300).contains(&raw.status);
    let env = match parse_envelope::<Transaction>(raw) {
        Ok(env) => env,
        Err(e) if matches!(raw.status, 401 | 407) => {
            return Answer::Refused(e.with_kind(ErrorKind::Authentication));
        }
        Err(e) if raw.status == 429 => {
            return Answer::RateLimited(e.with_kind(ErrorKind::RateLimited));
        }
        // no documented body (a proxy's page, garbage, a 2xx we cannot read): it may have been received
        Err(e) => return Answer::Unknown(e),
    };
    let code = env.code;
    let err = || v1_error(raw, code, env.message.as_deref());
    let record = |data: Option<Transaction>| {
        // the documented answer carries no extRefId: verification allows that for the answer to our write
        let t = data
            .unwrap_or_else(empty_tx)
            .with_envelope(code, env.message.clone());
        Answer::Record {
            data: Response {
                data: t,
                meta: Meta {
                    http_status: raw.status,
                    rate_limit: raw.rate_limit,
                    ..Meta::default()
                },
            },
            created: true,
        }
    };
    match (raw.status, code) {
        (401, _) => Answer::Refused(err()),
        (429, _) => Answer::RateLimited(err()),
        (_, Some(90)) => Answer::Duplicate {
            err: err().with_kind(ErrorKind::Duplicate),
            id: None,
            reference: None,
            near: false,
        },
        (_, Some(50)) => Answer::Duplicate {
            err: err().with_kind(ErrorKind::Duplicate),
            id: None,
            reference: None,
            near: true,
        },
        (_, Some(1) | Some(10) | Some(232)) if ok || env.data.is_some() => record(env.data),
        // the provider failed it: a record exists with a failed state
        (_, Some(5)) if env.data.is_some() => record(env.data),
        (s, Some(c)) if REFUSALS.contains(&c) && s < 500 => Answer::Refused(err()),
        // an answer with a record whose state the code does not settle (e.g. 160, 170)
        (s, _) if (200..300).contains(&s) && env.data.is_some() => record(env.data),
        (s, _) if s >= 500 || s == 408 => Answer::Unknown(err()),
        // a 2xx with an unknown code and no record: whether it was created is unknown
        (s, _) if (200..300).contains(&s) => Answer::Unknown(err()),
        // the API's own envelope on a 4xx: a refusal
        _ => Answer::Refused(err()),
    }
}

fn empty_tx() -> Transaction {
    serde_json::from_value(serde_json::json!({})).expect("an empty record decodes")
}

impl Client {
    /// Send a top-up, at most once, and report only what is true (see [`crate::v2::TopupsApi::create`]
    /// and the crate docs for the five ends). The reference is the `extRefId` (yours, or generated: call
    /// [`SendTopUp::prepared`] to fix and persist it first). A record is believed only if it matches this
    /// sale (extRefId, msisdn, amount); code 90 (extRefId exists) is resolved by a verified lookup — our own
    /// earlier sale is success, another sale a [`ErrorKind::ReferenceConflict`]; code 50 (a similar recent
    /// request) is a [`ErrorKind::DuplicateSale`]. A SYNC answer carries a terminal state; an ASYNC one (code
    /// 232) or a pending SYNC one (code 10) a PENDING state: call [`wait`](Self::wait). A send recovered
    /// after a lost answer returns the record as the lookup shows it, which may still be PENDING or
    /// PROCESSING even in SYNC mode: `wait` for the terminal state. A transaction that failed at the
    /// provider is returned with its FAILED state, not as an error.
    pub fn send_topup(&self, req: &SendTopUp) -> Result<Response<Transaction>> {
        self.send_with(req, None)
    }

    /// [`send_topup`](Self::send_topup) with a cancel token (see
    /// [`crate::v2::TopupsApi::create_cancellable`]).
    pub fn send_topup_cancellable(
        &self,
        req: &SendTopUp,
        cancel: &crate::Cancel,
    ) -> Result<Response<Transaction>> {
        self.send_with(req, Some(cancel))
    }

    fn send_with(
        &self,
        req: &SendTopUp,
        cancel: Option<&crate::Cancel>,
    ) -> Result<Response<Transaction>> {
        let order = req.checked_order()?;
        let ext_ref_id = order.ext_ref_id.clone().unwrap_or_default();
        let body = serde_json::to_vec(&Body {
            msisdn: &order.msisdn,
            amount: order.amount.as_ref(),
            product_id: order.product_id,
            ext_ref_id: &ext_ref_id,
            processing_mode: order.processing_mode,
            send_sms: order.send_sms,
        })
        .map_err(|e| Error::invalid("amount", format!("cannot be encoded: {e}")))?;
        let proto = V1Send::new(self, ext_ref_id.clone(), &body)?;
        run_send(
            SendCtx {
                t: &self.t,
                journal: self.t.journal.as_ref(),
                body,
                cancel,
            },
            &proto,
        )
    }

    /// Sends the journal holds open (`in_flight` after a crash, or `unknown`), oldest first. Empty without
    /// a journal.
    pub fn pending(&self) -> Result<Vec<JournalEntry>> {
        match &self.t.journal {
            Some(j) => j.pending(Api::V1.as_str()),
            None => Ok(Vec::new()),
        }
    }

    /// The journal's entry for `ext_ref_id`, if any.
    pub fn journal_entry(&self, ext_ref_id: &str) -> Result<Option<JournalEntry>> {
        match &self.t.journal {
            Some(j) => j.get(Api::V1.as_str(), ext_ref_id),
            None => Ok(None),
        }
    }

    /// Settle every open journal entry with a verified lookup, never writing (see
    /// [`crate::v2::Client::recover`]). Needs a journal.
    pub fn recover(&self) -> Result<Vec<Recovery<Transaction>>> {
        let Some(j) = &self.t.journal else {
            return Err(Error::invalid(
                "journal",
                "recover() needs a client built with a journal",
            ));
        };
        let mut out = Vec::new();
        for entry in j.pending(Api::V1.as_str())? {
            if j.is_live(Api::V1.as_str(), &entry.reference)? {
                out.push(Recovery {
                    entry,
                    record: None,
                });
                continue;
            }
            let proto = V1Send::new(self, entry.reference.clone(), entry.request.as_bytes())?;
            let record = settle_entry(&self.t, j, &proto, &entry)?;
            let entry = j.get(Api::V1.as_str(), &entry.reference)?.unwrap_or(entry);
            out.push(Recovery { entry, record });
        }
        Ok(out)
    }
}

/// The V1 answer classifier, for the property tests.
#[cfg(test)]
pub(crate) fn interpret_for_tests(raw: &RawResponse) -> Answer<Transaction> {
    interpret(raw)
}
