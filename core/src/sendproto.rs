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
use crate::journal::{Claim, Journal, SendState};
use crate::polling::is_transient;
use crate::response::{Meta, Response, SendOrigin};
use crate::transport::{Failure, RawResponse, Transport};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::{Duration, Instant, SystemTime};

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
    /// Cannot be told apart (fields missing, or nothing in common).
    Unverifiable(String),
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
    /// A record with our reference that is not verifiably this sale, or several.
    Foreign(Error),
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

impl<P: SendProtocol> Run<'_, P> {
    /// Claim the reference in the journal. `Some` ends the send without writing.
    fn start(&mut self) -> Result<Option<Response<P::Output>>> {
        let Some(j) = self.journal else {
            return Ok(None);
        };
        let lease = self.t.cfg.send_deadline + Duration::from_secs(30);
        match j.claim(
            P::API,
            self.p.reference(),
            self.p.key(),
            &self.body,
            &self.p.fingerprint(),
            lease,
        )? {
            Claim::Fresh => {
                self.claimed = true;
                Ok(None)
            }
            Claim::Recorded(entry) => {
                let record = entry
                    .record
                    .as_deref()
                    .and_then(|r| serde_json::from_str::<P::Output>(r).ok())
                    .ok_or_else(|| {
                        Error::new(
                            ErrorKind::Journal,
                            "the journal says this reference was sent, but its record is unreadable",
                        )
                    })?;
                log::info!(target: "clickairtime", "reference {} already sent (journal); not writing again", self.p.reference());
                Ok(Some(Response {
                    data: record,
                    meta: Meta {
                        origin: Some(SendOrigin::Journal),
                        ..Meta::default()
                    },
                }))
            }
            Claim::Conflict(entry) => Err(Error::new(
                ErrorKind::ReferenceConflict,
                format!(
                    "the journal already holds reference {} for a different sale (state {}); use a new reference",
                    entry.reference, entry.state
                ),
            )
            .with_existing(entry.transaction_id.clone(), Some(entry.reference.clone()))),
            Claim::Busy(entry) => Err(Error::new(
                ErrorKind::OutcomeUnknown,
                format!(
                    "reference {} is being sent right now by another process or thread sharing the journal; do not sell again, reconcile it",
                    entry.reference
                ),
            )
            .with_cause_kind(ErrorKind::OutcomeUnknown)),
            Claim::Resume(entry) if entry.writes == 0 => {
                // it was claimed but never written (a crash before the first write left): nothing of it
                // can have been received; write it with the bytes recorded then
                self.claimed = true;
                self.body = entry.request.into_bytes();
                Ok(None)
            }
            Claim::Resume(entry) => {
                // a crash or an unknown end left it open: settle it before any write, with the bytes
                // that were written then
                log::warn!(target: "clickairtime", "reference {} was left {} in the journal; looking it up before anything is written", entry.reference, entry.state);
                self.claimed = true;
                self.maybe_received = true;
                self.last_write_ms = entry.last_write_at.or(Some(entry.created_at));
                self.body = entry.request.into_bytes();
                self.cause = Some(Error::new(
                    ErrorKind::OutcomeUnknown,
                    format!(
                        "an earlier attempt of this sale ended {} (journal)",
                        entry.state
                    ),
                ));
                Ok(None)
            }
        }
    }

    fn drive(&mut self) -> Result<Response<P::Output>> {
        let mut round = 0u32;
        loop {
            if self.maybe_received {
                match self.settle()? {
                    Some(done) => return Ok(done),
                    // absence proven: nothing of it can be received any more, write again
                    None => self.maybe_received = false,
                }
            }
            self.check_cancel()?;
            if self.writes >= MAX_WRITES {
                // every write so far got an answer that left it open (or was proven absent only to be
                // answered by a conflict again): never a definite end
                let cause = self.cause.clone().unwrap_or_else(|| {
                    Error::new(
                        ErrorKind::Api,
                        "too many attempts without a settling answer",
                    )
                });
                return Err(outcome_unknown(
                    &cause,
                    self.p.reference(),
                    self.writes,
                    Some("too many attempts"),
                ));
            }
            // the rate-limit slot first: a crash while waiting for it must not look like a write
            let t = self.t;
            let slot = t.acquire_slot(Some(self.deadline), self.cancel)?;
            if let Some(j) = self.journal {
                // durable before the bytes leave
                j.mark_writing(P::API, self.p.reference(), now_ms())?;
            }
            self.writes += 1;
            self.last_write_ms = Some(now_ms());
            let written = self.p.write(&self.body, self.deadline);
            drop(slot);
            match written {
                Err(Failure::NotSent(e)) => {
                    // the request provably did not leave: back off and write again
                    let wait = self.t.backoff(round);
                    round += 1;
                    if round > self.t.cfg.max_retries.max(1) || !self.sleep(wait) {
                        return Err(e);
                    }
                }
                Err(Failure::MaybeSent(e)) => self.open(e),
                Ok(raw) => match self.p.interpret(&raw) {
                    Answer::Record { data, created } => match self.p.verify(&data.data, true) {
                        Verdict::Ours => {
                            let mut r = data;
                            r.meta.origin = Some(if created {
                                SendOrigin::Created
                            } else {
                                SendOrigin::Replayed
                            });
                            return Ok(r);
                        }
                        Verdict::OtherSale => return Err(self.duplicate_sale(&data.data, None)),
                        Verdict::Conflict(why) => return Err(self.conflict(&data.data, &why)),
                        Verdict::Unverifiable(why) => self.open(
                            Error::new(
                                ErrorKind::UnexpectedResponse,
                                format!("the answer could not be verified to be this sale: {why}"),
                            )
                            .with_status(raw.status)
                            .with_body(&raw.body),
                        ),
                    },
                    Answer::Refused(e) => return Err(e),
                    Answer::RateLimited(e) => {
                        let wait = e.retry_after().unwrap_or_else(|| self.t.backoff(round));
                        round += 1;
                        if wait > self.t.cfg.max_retry_after || !self.sleep(wait) {
                            return Err(e);
                        }
                    }
                    Answer::Duplicate {
                        err,
                        id,
                        reference,
                        near,
                    } => {
                        if let Some(done) = self.resolve_duplicate(err, id, reference, near)? {
                            return Ok(done);
                        }
                    }
                    Answer::Unknown(e) => self.open(e),
                },
            }
        }
    }

    /// From now on the outcome is open: only lookups until it settles.
    fn open(&mut self, cause: Error) {
        log::warn!(target: "clickairtime", "send of reference {} may have been received ({}); looking it up, never re-sending blindly", self.p.reference(), cause);
        self.maybe_received = true;
        self.cause = Some(cause);
    }

    /// Look the reference up until a verified record settles it, absence is proven (`Ok(None)`), or the
    /// deadline passes (`OutcomeUnknown`).
    fn settle(&mut self) -> Result<Option<Response<P::Output>>> {
        let mut round = 0u32;
        loop {
            match self.find() {
                Ok(Found::Ours(rec, meta)) => {
                    return Ok(Some(Response {
                        data: rec,
                        meta: Meta {
                            origin: Some(SendOrigin::Recovered),
                            ..meta
                        },
                    }));
                }
                Ok(Found::Foreign(e)) => {
                    if self.absence_proven() {
                        return Err(e);
                    }
                    self.cause = Some(e);
                }
                Ok(Found::Nothing) => {
                    if self.absence_proven() {
                        log::info!(target: "clickairtime", "reference {} not found after the convergence bound: never created", self.p.reference());
                        return Ok(None);
                    }
                }
                Err(e) if is_transient(&e) => {
                    log::debug!(target: "clickairtime", "lookup of reference {} failed, will retry: {e}", self.p.reference());
                }
                Err(e) => {
                    let why = match e.kind() {
                        ErrorKind::PermissionDenied | ErrorKind::Authentication => format!(
                            "the lookup that would settle it was refused ({}: {}); the key needs permission to read transactions (V2 airtime.transactions.read)",
                            e.kind(),
                            e.message()
                        ),
                        _ => format!(
                            "the lookup that would settle it failed ({}: {})",
                            e.kind(),
                            e.message()
                        ),
                    };
                    return Err(self.unknown_with(e, &why));
                }
            }
            let wait = self.t.backoff(round);
            round += 1;
            if !self.sleep(wait) {
                let cause = self
                    .cause
                    .take()
                    .unwrap_or_else(|| Error::new(ErrorKind::Timeout, "the send deadline passed"));
                return Err(self.unknown_or(cause));
            }
        }
    }

    /// Whether a lookup that finds nothing now proves the sale was never created.
    fn absence_proven(&self) -> bool {
        let bound = self.t.cfg.convergence_bound.as_millis() as i64;
        self.last_write_ms.is_none_or(|at| now_ms() >= at + bound)
    }

    /// One verified lookup by reference.
    fn find(&self) -> Result<Found<P::Output>> {
        let (records, meta) = self.p.lookup(self.deadline)?;
        Ok(self.judge(records, meta))
    }

    fn judge(&self, records: Vec<P::Output>, meta: Meta) -> Found<P::Output> {
        let reference = self.p.reference();
        match records.len() {
            0 => Found::Nothing,
            1 => {
                let rec = records.into_iter().next().expect("one record");
                match self.p.verify(&rec, false) {
                    Verdict::Ours => Found::Ours(rec, meta),
                    Verdict::Conflict(why) | Verdict::Unverifiable(why) => {
                        Found::Foreign(self.conflict(&rec, &why))
                    }
                    Verdict::OtherSale => {
                        Found::Foreign(self.conflict(&rec, "its reference differs"))
                    }
                }
            }
            n => {
                // our own record among them is this sale; another sale carrying the reference too is the
                // caller's problem to hear about, but it does not make ours less real
                if let Some(i) = records
                    .iter()
                    .position(|r| self.p.verify(r, false) == Verdict::Ours)
                {
                    log::error!(target: "clickairtime", "{n} transactions carry reference {reference}; one is this sale, the others are not: the reference is not unique");
                    let rec = records.into_iter().nth(i).expect("index in range");
                    return Found::Ours(rec, meta);
                }
                let first = P::describe(&records[0]);
                Found::Foreign(
                    Error::new(
                        ErrorKind::ReferenceConflict,
                        format!(
                            "{n} transactions carry reference {reference} (one is {}): the reference is not unique; use a new one",
                            first.summary
                        ),
                    )
                    .with_existing(first.id, first.reference),
                )
            }
        }
    }

    /// A 409 / code 90 / code 50 to a clean write.
    fn resolve_duplicate(
        &mut self,
        err: Error,
        id: Option<String>,
        named_reference: Option<String>,
        near: bool,
    ) -> Result<Option<Response<P::Output>>> {
        // the record the API named, if any
        let mut other: Option<P::Output> = None;
        if let Some(id) = id.as_deref() {
            match self.p.get_by_id(id, self.deadline) {
                Ok(Some(rec)) => match self.p.verify(&rec, false) {
                    Verdict::Ours => {
                        return Ok(Some(Response {
                            data: rec,
                            meta: Meta {
                                origin: Some(SendOrigin::Replayed),
                                ..Meta::default()
                            },
                        }));
                    }
                    Verdict::Conflict(why) | Verdict::Unverifiable(why) => {
                        // the API ties our key to a sale that is neither ours nor a look-alike
                        return Err(self.conflict(&rec, &why));
                    }
                    Verdict::OtherSale => other = Some(rec),
                },
                Ok(None) => {}
                Err(e) => {
                    self.open(err);
                    return Err(
                        self.unknown_with(e, "the lookup of the transaction the API named failed")
                    );
                }
            }
        }
        // our own earlier write of this reference (before a crash, by another till …)?
        match self.find() {
            Ok(Found::Ours(rec, meta)) => {
                return Ok(Some(Response {
                    data: rec,
                    meta: Meta {
                        origin: Some(SendOrigin::Replayed),
                        ..meta
                    },
                }));
            }
            Ok(Found::Foreign(e)) => return Err(e),
            Ok(Found::Nothing) => {}
            Err(e) => {
                self.open(err);
                return Err(self.unknown_with(
                    e,
                    "the lookup that would settle the duplicate answer failed",
                ));
            }
        }
        if let Some(rec) = other {
            return Err(self.duplicate_sale(&rec, Some(&err)));
        }
        if near {
            let similar = self.p.find_similar(self.deadline);
            let mut e = Error::new(
                ErrorKind::DuplicateSale,
                format!(
                    "the API refused this sale as a duplicate of a similar recent one ({}); nothing was sent for it",
                    err.message()
                ),
            );
            if let Some(rec) = similar {
                let d = P::describe(&rec);
                e = e.with_existing(d.id, d.reference);
            }
            return Err(carry(e, &err));
        }
        if named_reference.is_some() {
            log::debug!(target: "clickairtime", "duplicate answer named reference {named_reference:?}, not found");
        }
        // the key or reference was used, and nothing with it is visible (yet): it may be ours
        self.open(err);
        Ok(None)
    }

    fn duplicate_sale(&self, rec: &P::Output, cause: Option<&Error>) -> Error {
        let d = P::describe(rec);
        let e = Error::new(
            ErrorKind::DuplicateSale,
            format!(
                "the API refused this sale as a duplicate of {} (same phone, network and amount within its duplicate window); nothing was sent for this one",
                d.summary
            ),
        )
        .with_existing(d.id, d.reference);
        match cause {
            Some(c) => carry(e, c),
            None => e,
        }
    }

    fn conflict(&self, rec: &P::Output, why: &str) -> Error {
        let d = P::describe(rec);
        Error::new(
            ErrorKind::ReferenceConflict,
            format!(
                "reference {} belongs to another sale at the API ({}; {why}); use a new reference",
                self.p.reference(),
                d.summary
            ),
        )
        .with_existing(d.id, d.reference)
    }

    /// End in `OutcomeUnknown` if anything may have been received, else with `e` itself.
    fn unknown_or(&self, e: Error) -> Error {
        if self.maybe_received {
            outcome_unknown(&e, self.p.reference(), self.writes, None)
        } else {
            e
        }
    }

    fn unknown_with(&self, e: Error, why: &str) -> Error {
        let cause = self.cause.clone().unwrap_or_else(|| e.clone());
        let mut u = outcome_unknown(&cause, self.p.reference(), self.writes, Some(why));
        if matches!(
            e.kind(),
            ErrorKind::PermissionDenied | ErrorKind::Authentication
        ) {
            u = u.with_cause_kind(e.kind());
        }
        u
    }

    fn sleep(&self, d: Duration) -> bool {
        if Instant::now() + d >= self.deadline {
            return false;
        }
        // a cancel wakes the sleep only while nothing can have been received; the next check ends it
        let cancel = if self.maybe_received {
            None
        } else {
            self.cancel
        };
        crate::polling::sleep_cancellable(d, cancel);
        true
    }

    /// Cancelled, and nothing of this sale can have been received: end "not sent".
    fn check_cancel(&self) -> Result<()> {
        match self.cancel {
            Some(c) if c.is_cancelled() && !self.maybe_received => Err(Error::new(
                ErrorKind::Cancelled,
                "cancelled before anything of this sale could be received: nothing was sent",
            )),
            _ => Ok(()),
        }
    }

    /// Write the end down in the journal (best effort after the fact: if it fails, the entry stays open
    /// and `recover()` settles it).
    fn record(&self, outcome: &Result<Response<P::Output>>) {
        let Some(j) = self.journal.filter(|_| self.claimed) else {
            return;
        };
        let result = match outcome {
            Ok(r) if r.meta.origin == Some(SendOrigin::Journal) => return,
            Ok(r) => {
                let d = P::describe(&r.data);
                let record = serde_json::to_string(&r.data).ok();
                j.finish(
                    P::API,
                    self.p.reference(),
                    SendState::Sent,
                    d.id.as_deref(),
                    d.status.as_deref(),
                    None,
                    record.as_deref(),
                )
            }
            Err(e) => {
                let state = match e.kind() {
                    ErrorKind::OutcomeUnknown => SendState::Unknown,
                    ErrorKind::DuplicateSale | ErrorKind::ReferenceConflict => SendState::Refused,
                    _ => SendState::NotSent,
                };
                j.finish(
                    P::API,
                    self.p.reference(),
                    state,
                    e.transaction_id(),
                    None,
                    Some(e),
                    None,
                )
            }
        };
        if let Err(e) = result {
            log::error!(target: "clickairtime", "could not write the end of reference {} to the journal: {e}; recover() will settle it", self.p.reference());
        }
    }
}

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
        Ok(Found::Foreign(e)) => (SendState::Unknown, None, None, Some(e), None, None),
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
