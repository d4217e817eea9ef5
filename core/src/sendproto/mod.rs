//! The money-safe send protocol, shared by V1 and V2.
//!
//! A send has exactly five ends, the same in every language:
//!
//! | end | when |
//! |---|---|
//! | success | a record verified to be *this* sale: same reference, phone, network (V2), amount + currency or product |
//! | not sent | definite: no write of it can have been received (validation, refused connection, 4xx refusals …) |
//! | refused: duplicate / reference conflict | definite: the API holds another sale and said so; names it |
//! | still pending | only from waits: created, not terminal by the wait's deadline |
//! | outcome unknown | a write may have been received and nothing settled it within the send deadline |
//!
//! The rules:
//!
//! 1. A write is made only while no earlier write of this sale can have been received: a first write, a
//!    write after the request provably never left (DNS, refused connection, connect timeout), after a 429
//!    (not processed), or after absence was *proven* (a verified lookup found nothing, at least the
//!    convergence bound after the last write). Every write carries the same reference, key and bytes.
//! 2. Once a write may have been received (timeout or connection lost after writing, a 5xx, an unreadable
//!    or unverifiable answer), the send only looks the reference up, until the deadline. A record verified
//!    to be this sale ends it in success; anything else ends in `OutcomeUnknown`, carrying the cause.
//! 3. A readable answer to a clean write is verified before it is believed: another sale's record is a
//!    definite `DuplicateSale` (same phone/network/amount, other reference: the duplicate window) or
//!    `ReferenceConflict` (our reference, other sale). A 409 / code 90 / code 50 is resolved by a verified
//!    lookup: our own record (sent before a crash, say) is success, another sale is named in a refusal, and
//!    nothing found is `OutcomeUnknown` (the key or reference was used, possibly by us, and is not visible).
//! 4. The send deadline is a hard budget: every exchange gets only what remains.
//! 5. With a journal, the send is written down before its first write and at its end (see `journal`).

use crate::error::{Error, ErrorKind, Result};
use crate::handles::Api;
use crate::journal::{Journal, SendState};
use crate::response::{Meta, Response, SendOrigin};
use crate::transport::{Failure, RawResponse, Transport};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::{Instant, SystemTime};

/// Most writes of one send (each one only when nothing earlier can have been received).
const MAX_WRITES: u32 = 5;

/// How a record compares with the sale being sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Same reference, phone, network, amount/product: this sale.
    Ours,
    /// Another reference, but the same phone, network and amount/product: the API's duplicate window.
    OtherSale,
    /// Our reference on a different sale.
    Conflict(String),
    /// Our reference (or none at all) but fields missing: it may be this sale, and cannot be shown to be.
    Unverifiable(String),
    /// Another reference and not this sale's details: someone else's record.
    Unrelated(String),
}

/// What one readable answer to a write says.
pub(crate) enum Answer<T> {
    /// A 2xx with a record. `created`: the answer says it was created now (V2 201, a V1 top-up answer).
    Record { data: Response<T>, created: bool },
    /// Definite: not created (validation, balance, recipient, auth, a delivery failure …).
    Refused(Error),
    /// The API says it already holds this key/reference (V2 409, V1 90), or a similar sale (`near`: V1 50).
    Duplicate {
        err: Error,
        id: Option<String>,
        reference: Option<String>,
        near: bool,
    },
    /// 429: not processed.
    RateLimited(Error),
    /// It may have been created (5xx, an unreadable 2xx …).
    Unknown(Error),
}

/// Identity of a record, for messages and errors.
#[derive(Debug, Clone, Default)]
pub(crate) struct Described {
    pub id: Option<String>,
    pub reference: Option<String>,
    pub status: Option<String>,
    pub summary: String,
}

/// The version-specific parts of a send.
pub(crate) trait SendProtocol {
    type Output: Clone + Serialize + DeserializeOwned;
    const API: Api;
    /// The sale's reference (V2 `reference`, V1 `extRefId`).
    fn reference(&self) -> &str;
    /// The V2 `Idempotency-Key`.
    fn key(&self) -> Option<&str>;
    /// The sale's identity, for the journal (phone, network, amount/currency or product).
    fn fingerprint(&self) -> String;
    /// Write the request once, within the deadline.
    fn write(&self, body: &[u8], deadline: Instant) -> std::result::Result<RawResponse, Failure>;
    /// Read an answer.
    fn interpret(&self, raw: &RawResponse) -> Answer<Self::Output>;
    /// Every record that carries our reference (exactly), within the deadline.
    fn lookup(&self, deadline: Instant) -> Result<(Vec<Self::Output>, Meta)>;
    /// One record by transaction id, when the API can (V2); `Ok(None)` when it has none.
    fn get_by_id(&self, id: &str, deadline: Instant) -> Result<Option<Self::Output>>;
    /// A recent record of another sale like this one (to name it in a `DuplicateSale`), best effort.
    fn find_similar(&self, deadline: Instant) -> Option<Self::Output>;
    /// Compare a record with this sale. `direct`: the record is the answer to our own write (V1 answers
    /// carry fewer fields than lookups).
    fn verify(&self, record: &Self::Output, direct: bool) -> Verdict;
    /// Id, reference and status of a record.
    fn describe(record: &Self::Output) -> Described;
    /// Fill in what a verified record of this sale lacks (V1's answer has no extRefId) before it is
    /// returned and recorded.
    fn complete(&self, _record: &mut Self::Output) {}
}

/// What a lookup found, verified.
enum Found<T> {
    Ours(T, Meta),
    /// Our reference on a record that is definitely another sale (its details differ): a conflict.
    Foreign(Error),
    /// The lookup's answer cannot settle it either way: a record with our reference that lacks the fields to
    /// compare, or records that do not carry our reference at all (a lookup that ignored its filter). Never
    /// "not sent", never a conflict.
    Unclear(Error),
    Nothing,
}

/// Everything a send needs besides the protocol.
pub(crate) struct SendCtx<'a> {
    pub t: &'a Transport,
    pub journal: Option<&'a Journal>,
    pub body: Vec<u8>,
    pub cancel: Option<&'a crate::polling::Cancel>,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Run the protocol. Every error carries the reference and key; every success has them in meta.
pub(crate) fn run_send<P: SendProtocol>(ctx: SendCtx<'_>, p: &P) -> Result<Response<P::Output>> {
    let t = ctx.t;
    let deadline = Instant::now() + t.cfg.send_deadline;
    let reference = p.reference().to_owned();
    let key = p.key().map(str::to_owned);
    let mut run = Run {
        t,
        p,
        journal: ctx.journal,
        deadline,
        body: ctx.body,
        maybe_received: false,
        last_write_ms: None,
        writes: 0,
        cause: None,
        claimed: false,
        cancel: ctx.cancel,
    };
    let outcome = run
        .check_cancel()
        .and_then(|()| run.start())
        .and_then(|early| match early {
            Some(done) => Ok(done),
            None => run.drive(),
        });
    let outcome = outcome
        .map(|mut r| {
            p.complete(&mut r.data);
            r
        })
        .map_err(|e| e.with_send_ref(&reference, key.as_deref()));
    run.record(&outcome);
    outcome.map(|mut r| {
        r.meta.reference = Some(reference.clone());
        r.meta.idempotency_key = key.clone();
        r.meta.attempts = run.writes;
        r.meta.replayed = r.meta.origin.is_some_and(|o| o != SendOrigin::Created);
        r
    })
}

struct Run<'a, P: SendProtocol> {
    t: &'a Transport,
    p: &'a P,
    journal: Option<&'a Journal>,
    deadline: Instant,
    body: Vec<u8>,
    /// A write of this sale may have been received (in this call, or before a crash per the journal).
    maybe_received: bool,
    /// Wall-clock time of the last write that may have been received (unix ms).
    last_write_ms: Option<i64>,
    writes: u32,
    /// Why the outcome is open, once it is.
    cause: Option<Error>,
    /// The journal entry is ours to update (claimed fresh, or resumed).
    claimed: bool,
    /// Honoured only while nothing of this sale can have been received.
    cancel: Option<&'a crate::polling::Cancel>,
}

mod drive;
mod judge;

/// Keep the HTTP context of `cause` on a refusal built from it.
fn carry(e: Error, cause: &Error) -> Error {
    let mut e = e
        .with_api_code(cause.api_code().map(str::to_owned))
        .with_request_id(cause.request_id().map(str::to_owned));
    if let Some(s) = cause.http_status() {
        e = e.with_status(s);
    }
    if let Some(b) = cause.body() {
        e = e.with_body(b.as_bytes());
    }
    e
}

fn outcome_unknown(cause: &Error, reference: &str, writes: u32, why: Option<&str>) -> Error {
    // the cause may name another sale (a foreign record, a conflict): an unknown end must not carry its id
    // where a caller would read it as this sale's — the message still says it
    let mut e = cause
        .clone()
        .with_kind(ErrorKind::OutcomeUnknown)
        .with_cause_kind(cause.kind())
        .with_existing(None, None);
    let extra = why.map(|w| format!("; {w}")).unwrap_or_default();
    e.set_message(format!(
        "the top-up may have been received and nothing settled it ({writes} write(s); last: {}: {}{extra}). Do not sell it again: reconcile reference {reference} later",
        cause.kind(),
        cause.message()
    ));
    e
}

/// Settle one journal entry without writing: the `recover()` of both clients.
pub(crate) fn settle_entry<P: SendProtocol>(
    t: &Transport,
    j: &Journal,
    p: &P,
    entry: &crate::journal::JournalEntry,
) -> Result<Option<Response<P::Output>>> {
    let deadline = Instant::now() + t.cfg.send_deadline;
    let last = entry.last_write_at.unwrap_or(entry.created_at);
    let proven = now_ms() >= last + t.cfg.convergence_bound.as_millis() as i64;
    let run = Run {
        t,
        p,
        journal: Some(j),
        deadline,
        body: Vec::new(),
        maybe_received: true,
        last_write_ms: Some(last),
        writes: 0,
        cause: None,
        claimed: true,
        cancel: None,
    };
    let found = run.find();
    let (state, id, status, err, record, out) = match found {
        Ok(Found::Ours(rec, meta)) => {
            let d = P::describe(&rec);
            let record = serde_json::to_string(&rec).ok();
            let resp = Response {
                data: rec,
                meta: Meta {
                    origin: Some(SendOrigin::Recovered),
                    reference: Some(entry.reference.clone()),
                    idempotency_key: entry.idempotency_key.clone(),
                    replayed: true,
                    ..meta
                },
            };
            (SendState::Sent, d.id, d.status, None, record, Some(resp))
        }
        Ok(Found::Foreign(e)) if proven => {
            let other = e.transaction_id().map(str::to_owned);
            (SendState::Refused, other, None, Some(e), None, None)
        }
        Ok(Found::Foreign(e)) | Ok(Found::Unclear(e)) => {
            (SendState::Unknown, None, None, Some(e), None, None)
        }
        Ok(Found::Nothing) if proven => {
            let e = Error::new(
                ErrorKind::NotFound,
                "not found after the convergence bound: it was never created; selling it again (same reference) is safe",
            );
            (SendState::NotSent, None, None, Some(e), None, None)
        }
        Ok(Found::Nothing) => {
            let e = Error::new(
                ErrorKind::OutcomeUnknown,
                "not found yet; absence is proven only once the convergence bound has passed since the last write",
            );
            (SendState::Unknown, None, None, Some(e), None, None)
        }
        Err(e) => (SendState::Unknown, None, None, Some(e), None, None),
    };
    j.finish(
        P::API,
        &entry.reference,
        state,
        id.as_deref(),
        status.as_deref(),
        err.as_ref(),
        record.as_deref(),
    )?;
    Ok(out)
}

/// The records of a lookup by reference, when the answer is one: every record carries `reference`. A record
/// of another reference (or none) means the filter was ignored somewhere (a proxy that dropped the query, a
/// server that lists everything): such an answer proves neither presence nor absence, so it is an error,
/// never `None` (`reconcile → None` would invite a second sale).
pub(crate) fn exact_matches<T>(
    data: Vec<T>,
    reference: &str,
    reference_of: impl Fn(&T) -> Option<&str>,
) -> Result<Vec<T>> {
    if let Some(other) = data.iter().find(|t| reference_of(t) != Some(reference)) {
        let shown = reference_of(other).map_or("none".to_owned(), |r| format!("{r:?}"));
        return Err(Error::new(
            ErrorKind::UnexpectedResponse,
            format!(
                "the lookup of reference {reference:?} answered with a record of reference {shown}: the filter was ignored, so the answer proves nothing; look it up again later"
            ),
        ));
    }
    Ok(data)
}
