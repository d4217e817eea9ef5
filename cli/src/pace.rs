//! Rate-limit waits during `bulk`, told to the operator: a line when the run will wait longer than
//! [`ANNOUNCE_AFTER`] (plain progress lines, so a cron log shows why nothing moves), the remaining wait on the
//! bar (terminal), and after Ctrl-C what the rows already taken still wait for.
//!
//! The wait is the client's `next_request_slot_in()`: the limiter's per-minute window and the pauses the
//! server asked for (`Retry-After`, `X-RateLimit-Remaining: 0` until `X-RateLimit-Reset`). Core's limiter does
//! not count its hourly window in it, so a wait for the hourly tier is not announced.

use crate::output::warn;
use indicatif::ProgressBar;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Shorter waits are not announced in plain mode (they are the ordinary pacing between requests).
pub(crate) const ANNOUNCE_AFTER: Duration = Duration::from_secs(2);
const POLL: Duration = Duration::from_millis(250);

/// Which waits get a line: each pause once, when it is longer than [`ANNOUNCE_AFTER`].
pub(crate) struct Announcer {
    per_minute: u32,
    per_hour: u32,
    /// When the last announced pause ends.
    told_until: Option<Instant>,
}

impl Announcer {
    pub fn new(per_minute: u32, per_hour: u32) -> Announcer {
        Announcer {
            per_minute,
            per_hour,
            told_until: None,
        }
    }

    /// The line for a wait of `wait` seen at `now`, if it is a long one not announced yet (a pause that
    /// grows by more than a second, or a new one after the last has ended, is announced again).
    pub fn line(&mut self, now: Instant, wait: Duration) -> Option<String> {
        if wait <= ANNOUNCE_AFTER {
            return None;
        }
        let until = now + wait;
        if self
            .told_until
            .is_some_and(|t| until <= t + Duration::from_secs(1))
        {
            return None;
        }
        self.told_until = Some(until);
        Some(format!(
            "waiting {} s for the rate limit ({} a minute, {} an hour, or a pause the server asked for)",
            secs(wait),
            self.per_minute,
            self.per_hour
        ))
    }
}

fn secs(d: Duration) -> u64 {
    d.as_secs_f64().ceil() as u64
}

/// Watch the client's next request slot (`slot_in`) until `finished`: announce long waits (plain mode) or
/// show the wait on `bar`, and after `stop` (Ctrl-C) say once what the rows already taken wait for.
pub(crate) fn watch(
    slot_in: impl Fn() -> Duration,
    per_minute: u32,
    per_hour: u32,
    bar: Option<&ProgressBar>,
    stop: &AtomicBool,
    finished: &AtomicBool,
) {
    let mut announcer = Announcer::new(per_minute, per_hour);
    let mut told_stop = false;
    while !finished.load(Ordering::SeqCst) {
        let wait = slot_in();
        match bar {
            Some(b) if wait >= Duration::from_secs(1) => {
                b.set_prefix(format!("waiting {} s for the rate limit", secs(wait)));
            }
            Some(b) => b.set_prefix(""),
            None => {
                if let Some(line) = announcer.line(Instant::now(), wait) {
                    warn(&line);
                }
            }
        }
        if stop.load(Ordering::SeqCst) && !told_stop && wait >= Duration::from_secs(1) {
            told_stop = true;
            let msg = format!(
                "stopping: the rows already taken wait up to {} s for their rate-limit slot, then settle. \
                 A second Ctrl-C quits at once: a row still waiting for its first write is sent by the next run \
                 without a lookup; one waiting to write again (after a 429) is looked up first, and proven unsent \
                 only after the API's convergence bound (about 13 minutes)",
                secs(wait)
            );
            match bar {
                Some(b) => b.println(msg),
                None => warn(&msg),
            }
        }
        std::thread::sleep(POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_long_pause_is_announced_once() {
        let mut a = Announcer::new(60, 1000);
        let t0 = Instant::now();
        let s = Duration::from_secs;
        assert_eq!(a.line(t0, s(2)), None, "2 s is ordinary pacing");
        assert_eq!(
            a.line(t0, Duration::from_millis(57_400)).as_deref(),
            Some(
                "waiting 58 s for the rate limit (60 a minute, 1000 an hour, or a pause the server asked for)"
            )
        );
        // the same pause, counting down
        assert_eq!(a.line(t0 + s(10), s(48)), None);
        assert_eq!(a.line(t0 + s(50), s(8)), None);
        // the server extends it
        assert!(a.line(t0 + s(50), s(30)).is_some());
        // a new pause after that one ended
        assert_eq!(a.line(t0 + s(81), Duration::ZERO), None);
        assert!(
            a.line(t0 + s(82), s(3))
                .unwrap()
                .starts_with("waiting 3 s ")
        );
    }
}
