//! Waiting for a transaction to reach a terminal state: polling with backoff, bounded by a deadline.

use crate::config::DEFAULT_WAIT_DEADLINE;
use crate::error::{Error, ErrorKind, Result};
use std::time::{Duration, Instant};

/// How a wait polls. The default covers the documented 12-minute bound within which every transaction is
/// terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up after this long with a timeout error. Default 13 minutes.
    pub deadline: Duration,
    /// First delay between polls. Default 1 s.
    pub initial_interval: Duration,
    /// Largest delay between polls (the delay grows by 1.5× per poll). Default 15 s.
    pub max_interval: Duration,
    /// How long after the wait starts a "not found" is read as "not visible yet" (a read replica behind the
    /// write) rather than an error. Default 30 s.
    pub not_found_grace: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            deadline: DEFAULT_WAIT_DEADLINE,
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
            not_found_grace: Duration::from_secs(30),
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

/// Call `f` (with the wait's deadline, which bounds each poll) until it returns `Done`, sleeping between
/// calls with growing, jittered intervals. Transient errors are polled through; others are returned at
/// once. Past the deadline: [`ErrorKind::StillPending`] with the last status — never a plain timeout.
pub(crate) fn poll_until<T>(
    opts: &WaitOptions,
    mut f: impl FnMut(Instant) -> Result<Poll<T>>,
) -> Result<T> {
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
    let deadline = start + opts.deadline;
    let mut interval = opts.initial_interval;
    let mut last;
    loop {
        match f(deadline) {
            Ok(Poll::Done(t)) => return Ok(t),
            Ok(Poll::Pending(state)) => last = state,
            Err(e) if is_transient(&e) => {
                log::debug!(target: "clickairtime", "poll failed, will retry: {e}");
                last = format!("unknown ({})", e.kind());
            }
            Err(e) => return Err(e),
        }
        let elapsed = start.elapsed();
        if elapsed >= opts.deadline {
            return Err(Error::new(
                ErrorKind::StillPending,
                format!(
                    "still {last} after waiting {} s: it was created and may still complete; check it again later",
                    elapsed.as_secs()
                ),
            )
            .with_status_text(Some(last)));
        }
        let jittered = interval.mul_f64(0.8 + fastrand::f64() * 0.4);
        std::thread::sleep(jittered.min(opts.deadline - elapsed));
        interval = interval
            .mul_f64(1.5)
            .min(opts.max_interval.max(opts.initial_interval));
    }
}
