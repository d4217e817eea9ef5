//! The send's course: claim, write, settle, record (rules 1, 2, 4 and 5 of the module's text).

use super::{Answer, Found, MAX_WRITES, Run, SendProtocol, Verdict, now_ms, outcome_unknown};
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{Claim, SendState};
use crate::polling::is_transient;
use crate::response::{Meta, Response, SendOrigin};
use crate::transport::Failure;
use std::time::{Duration, Instant};

impl<P: SendProtocol> Run<'_, P> {
    /// Claim the reference in the journal. `Some` ends the send without writing.
    pub(super) fn start(&mut self) -> Result<Option<Response<P::Output>>> {
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

    pub(super) fn drive(&mut self) -> Result<Response<P::Output>> {
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
                        Verdict::Unverifiable(why) | Verdict::Unrelated(why) => self.open(
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
    pub(super) fn open(&mut self, cause: Error) {
        log::warn!(target: "clickairtime", "send of reference {} may have been received ({}); looking it up, never re-sending blindly", self.p.reference(), cause);
        self.maybe_received = true;
        self.cause = Some(cause);
    }

    /// Look the reference up until a verified record settles it, absence is proven (`Ok(None)`), or the
    /// deadline passes (`OutcomeUnknown`).
    pub(super) fn settle(&mut self) -> Result<Option<Response<P::Output>>> {
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
                Ok(Found::Unclear(e)) => {
                    // a record that may be ours and cannot be shown to be: no lookup after the convergence
                    // bound will tell more, and it must never read as "not sent"
                    if self.absence_proven() {
                        let why = format!(
                            "the lookup's answer could not be verified either way: {}",
                            e.message()
                        );
                        return Err(self.unknown_with(e, &why));
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
                            "the lookup that would settle it was refused ({}: {}); the credentials need permission to read transactions (a V2 key: airtime.transactions.read)",
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
    pub(super) fn absence_proven(&self) -> bool {
        let bound = self.t.cfg.convergence_bound.as_millis() as i64;
        self.last_write_ms.is_none_or(|at| now_ms() >= at + bound)
    }

    pub(super) fn sleep(&self, d: Duration) -> bool {
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
    pub(super) fn check_cancel(&self) -> Result<()> {
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
    pub(super) fn record(&self, outcome: &Result<Response<P::Output>>) {
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
