//! Waiting for a transaction to reach a terminal state: polling with backoff, bounded by a deadline.

use crate::config::DEFAULT_WAIT_DEADLINE;
use crate::error::{Error, ErrorKind, Result};
use std::time::{Duration, Instant};

/// How a wait polls. The default covers the documented 12-minute bound within which every transaction is
/// terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up after this long with a `StillPending` error. Default 13 minutes.
    pub deadline: Duration,
    /// First delay between polls. Default 1 s.
    pub initial_interval: Duration,
    /// Largest delay between polls (the delay grows by 1.5× per poll). Default 15 s.
    pub max_interval: Duration,
    /// How long after the wait starts a "not found" is read as "not visible yet" (a read replica behind the
    /// write) rather than an error. Default 30 s.
    pub not_found_grace: Duration,
    /// Cancel the wait from elsewhere (it ends with `Cancelled`; the sale stands). Default none.
    pub cancel: Option<Cancel>,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            deadline: DEFAULT_WAIT_DEADLINE,
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
            not_found_grace: Duration::from_secs(30),
            cancel: None,
        }
    }
}

impl WaitOptions {
    /// Default intervals with another deadline.
    pub fn with_deadline(deadline: Duration) -> Self {
        WaitOptions {
            deadline,
            ..Default::default()
        }
    }
}

/// One poll's verdict.
pub(crate) enum Poll<T> {
    /// Terminal: stop and return it.
    Done(T),
    /// Not yet; the text says the current state (for the timeout message).
    Pending(String),
}

/// Errors worth polling (or looking up) through: the network, timeouts, rate limits and server errors.
pub(crate) fn is_transient(e: &Error) -> bool {
    match e.kind() {
        ErrorKind::Connection | ErrorKind::Timeout | ErrorKind::RateLimited => true,
        ErrorKind::Api | ErrorKind::UnexpectedResponse => e.http_status().is_none_or(|s| s >= 500),
        _ => false,
    }
}

/// What a wait does next, for hosts that drive a wait step by step with their own timers (Node, asyncio):
/// one exchange per step, and the host sleeps between steps without holding a thread.
#[derive(Debug, Clone, PartialEq)]
pub enum WaitStep<T> {
    /// Terminal: the wait is over.
    Done(T),
    /// Not yet: call `step` again after this long.
    Sleep(Duration),
}

const NOT_POLLED: &str = "not polled yet";

/// The state of one wait: its deadline, the next interval, the last status seen, its cancel token.
#[derive(Debug)]
pub(crate) struct Poller {
    opts: WaitOptions,
    start: Instant,
    deadline: Instant,
    interval: Duration,
    last: String,
}

impl Poller {
    pub fn new(opts: &WaitOptions) -> Result<Poller> {
        if opts.deadline.is_zero() {
            return Err(Error::invalid("deadline", "must be greater than zero"));
        }
        if opts.initial_interval.is_zero() {
            return Err(Error::invalid(
                "initial_interval",
                "must be greater than zero",
            ));
        }
        let start = Instant::now();
        Ok(Poller {
            opts: opts.clone(),
            start,
            deadline: start + opts.deadline,
            interval: opts.initial_interval,
            last: NOT_POLLED.into(),
        })
    }

    /// The wait's deadline (each poll is bounded by it).
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Time since the wait started.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// A cancelled wait ends here: the transaction stands.
    pub fn check_cancel(&self) -> Result<()> {
        match &self.opts.cancel {
            Some(c) if c.is_cancelled() => Err(Error::new(
                ErrorKind::Cancelled,
                format!(
                    "the wait was cancelled (last status: {}); the top-up itself stands: check it later",
                    self.last
                ),
            )
            .with_status_text(Some(self.last.clone()))),
            _ => Ok(()),
        }
    }

    /// Judge one poll: done, or how long to sleep; past the deadline, `StillPending`.
    pub fn after<T>(&mut self, poll: Result<Poll<T>>) -> Result<WaitStep<T>> {
        match poll {
            Ok(Poll::Done(t)) => return Ok(WaitStep::Done(t)),
            Ok(Poll::Pending(state)) => self.last = state,
            Err(e) if is_transient(&e) => {
                // keep the last status actually seen; a failed poll says nothing new
                log::debug!(target: "clickairtime", "poll failed, will retry: {e}");
                if self.last == NOT_POLLED {
                    self.last = format!("unknown (last poll: {})", e.kind());
                }
            }
            Err(e) => return Err(e),
        }
        let elapsed = self.start.elapsed();
        if elapsed >= self.opts.deadline {
            return Err(Error::new(
                ErrorKind::StillPending,
                format!(
                    "still {} after waiting {} s: it was created and may still complete; check it again later",
                    self.last,
                    elapsed.as_secs()
                ),
            )
            .with_status_text(Some(self.last.clone())));
        }
        let jittered = self.interval.mul_f64(0.8 + fastrand::f64() * 0.4);
        let sleep = jittered.min(self.opts.deadline - elapsed);
        self.interval = self
            .interval
            .mul_f64(1.5)
            .min(self.opts.max_interval.max(self.opts.initial_interval));
        Ok(WaitStep::Sleep(sleep))
    }
}

/// Sleep `d`, waking early (with `Cancelled`) if `cancel` fires.
pub(crate) fn sleep_cancellable(d: Duration, cancel: Option<&Cancel>) -> bool {
    let Some(c) = cancel else {
        std::thread::sleep(d);
        return true;
    };
    let end = Instant::now() + d;
    loop {
        if c.is_cancelled() {
            return false;
        }
        let now = Instant::now();
        if now >= end {
            return true;
        }
        std::thread::sleep((end - now).min(Duration::from_millis(20)));
    }
}

/// A cancel token: share a clone with the call and call [`cancel`](Cancel::cancel) from anywhere (another
/// thread, a signal handler, a host's abort signal). A send honours it only while nothing of it can have
/// been received (then it ends `Cancelled`, nothing sent); a send already written runs to a settled outcome
/// or `OutcomeUnknown`. A wait stops polling (the sale stands); a listing stops between pages.
#[derive(Debug, Clone, Default)]
pub struct Cancel(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Cancel {
    /// A token not cancelled yet.
    pub fn new() -> Cancel {
        Cancel::default()
    }
    /// Cancel every call holding a clone of this token.
    pub fn cancel(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
    /// The shared flag behind the token (set = cancelled), for code that polls a flag.
    pub fn flag(&self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        self.0.clone()
    }
    /// Whether it was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl From<std::sync::Arc<std::sync::atomic::AtomicBool>> for Cancel {
    /// A token that fires when `flag` is set (a Ctrl-C handler's flag, say).
    fn from(flag: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Cancel {
        Cancel(flag)
    }
}

impl PartialEq for Cancel {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}
impl Eq for Cancel {}
