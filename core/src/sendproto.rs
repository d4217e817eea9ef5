//! The money-safe send protocol, shared by V1 and V2.
//!
//! A send is written at most once per logical sale unless the API itself confirms it does not have it:
//!
//! 1. Write the request (with its idempotency handles).
//! 2. A readable answer decides: success, a definitive failure, a duplicate (→ look up and return the
//!    existing record), or a rate limit (not processed → wait `Retry-After` and write again).
//! 3. The request never left (DNS, refused, TLS, connect timeout) → back off and write again.
//! 4. Anything else (timeout or lost connection after writing, 5xx, unreadable answer) → the outcome is
//!    unknown: look the transaction up by its reference. Found → return it. Not found → write again with the
//!    same handles (the API deduplicates them if the first write lands late).
//! 5. When the deadline passes, or after a bounded number of writes, without an answer that settles it:
//!    `OutcomeUnknown` with the reference. Never a plain failure.

use crate::error::{Error, ErrorKind, Result};
use crate::polling::is_transient;
use crate::response::Response;
use crate::transport::{Failure, RawResponse, Transport};
use std::time::Instant;

/// Most writes of one logical send.
const MAX_WRITES: u32 = 5;

/// What one readable answer to a send means.
pub(crate) enum SendAttempt<T> {
    /// Created (or the API returned the existing record).
    Done(Response<T>),
    /// The API says it already has it; `transaction_id` if the answer named it.
    Duplicate {
        err: Error,
        transaction_id: Option<String>,
    },
    /// Rejected before processing (429).
    RateLimited(Error),
    /// A definitive failure: nothing was created.
    Failed(Error),
    /// It may have been created.
    Unknown(Error),
}

/// The version-specific parts of a send.
pub(crate) trait SendProtocol {
    type Output;
    /// Write the request once.
    fn send(&self) -> std::result::Result<RawResponse, Failure>;
    /// Read an answer.
    fn interpret(&self, raw: &RawResponse) -> SendAttempt<Self::Output>;
    /// Look the transaction up (by id if known, else by reference). `Ok(None)`: the API does not have it.
    fn lookup(&self, transaction_id: Option<&str>) -> Result<Option<Response<Self::Output>>>;
}

fn sleep_until_or(deadline: Instant, d: std::time::Duration) -> bool {
    let now = Instant::now();
    if now + d >= deadline {
        return false;
    }
    std::thread::sleep(d);
    true
}

fn outcome_unknown(cause: &Error, reference: &str, writes: u32) -> Error {
    let mut e = cause.clone().with_kind(ErrorKind::OutcomeUnknown);
    e.set_message(format!(
        "the top-up may or may not have been created ({writes} write(s); last: {}); reconcile with reference {reference}",
        cause.message()
    ));
    e
}

/// Run the protocol. Every error carries `reference` and `idempotency_key`; every success has them in meta.
pub(crate) fn run_send<P: SendProtocol>(
    t: &Transport,
    p: &P,
    reference: &str,
    idempotency_key: Option<&str>,
) -> Result<Response<P::Output>> {
    let deadline = Instant::now() + t.cfg.send_deadline;
    let tag = |e: Error| e.with_send_ref(reference, idempotency_key);
    let finish = |mut r: Response<P::Output>, writes: u32, replayed: bool| {
        r.meta.reference = Some(reference.to_owned());
        r.meta.idempotency_key = idempotency_key.map(str::to_owned);
        r.meta.attempts = writes.max(1);
        r.meta.replayed |= replayed;
        Ok(r)
    };
    let mut writes = 0u32;
    let mut round = 0u32;
    loop {
        writes += 1;
        let unknown = match p.send() {
            Ok(raw) => match p.interpret(&raw) {
                SendAttempt::Done(r) => return finish(r, writes, false),
                SendAttempt::Failed(e) => return Err(tag(e)),
                SendAttempt::Duplicate {
                    err,
                    transaction_id,
                } => {
                    return match resolve(t, p, transaction_id.as_deref(), deadline) {
                        Ok(Some(r)) => finish(r, writes, true),
                        Ok(None) => Err(tag(err)),
                        Err(e) => Err(tag(outcome_unknown(&e, reference, writes))),
                    };
                }
                SendAttempt::RateLimited(e) => {
                    let wait = e.retry_after().unwrap_or_else(|| t.backoff(round));
                    round += 1;
                    if wait > t.cfg.max_retry_after || !sleep_until_or(deadline, wait) {
                        return Err(tag(e));
                    }
                    continue;
                }
                SendAttempt::Unknown(e) => e,
            },
            Err(Failure::NotSent(e)) => {
                writes -= 1;
                let wait = t.backoff(round);
                round += 1;
                if round > t.cfg.max_retries.max(1) || !sleep_until_or(deadline, wait) {
                    return Err(tag(e));
                }
                continue;
            }
            Err(Failure::MaybeSent(e)) => e,
        };
        log::warn!(target: "clickairtime", "send outcome unknown ({}); looking up reference {reference}", unknown.message());
        match resolve(t, p, None, deadline) {
            Ok(Some(r)) => return finish(r, writes, true),
            Ok(None) => {
                log::info!(target: "clickairtime", "reference {reference} not found; writing again with the same key")
            }
            Err(e) => {
                log::warn!(target: "clickairtime", "lookup of reference {reference} failed: {e}");
                return Err(tag(outcome_unknown(&unknown, reference, writes)));
            }
        }
        let wait = t.backoff(round);
        round += 1;
        if writes >= MAX_WRITES || !sleep_until_or(deadline, wait) {
            return Err(tag(outcome_unknown(&unknown, reference, writes)));
        }
    }
}

/// Look up until an answer settles it or the deadline passes (transient errors are retried).
fn resolve<P: SendProtocol>(
    t: &Transport,
    p: &P,
    transaction_id: Option<&str>,
    deadline: Instant,
) -> Result<Option<Response<P::Output>>> {
    let mut round = 0;
    loop {
        match p.lookup(transaction_id) {
            Ok(found) => return Ok(found),
            Err(e) if is_transient(&e) => {
                let wait = e
                    .retry_after()
                    .filter(|d| *d <= t.cfg.max_retry_after)
                    .unwrap_or_else(|| t.backoff(round));
                round += 1;
                if !sleep_until_or(deadline, wait) {
                    return Err(e);
                }
            }
            Err(e) => return Err(e),
        }
    }
}
