//! The client-side rate limiter: an opt-in client setting, shared by every thread (and clone) of a client.
//!
//! It keeps the client inside the documented V2 tiers — 60 requests a minute and 1,000 an hour — by sliding
//! windows over the requests it let through, and it follows the server: `X-RateLimit-Remaining: 0` pauses
//! every request until `X-RateLimit-Reset`, and a 429's `Retry-After` pauses them for that long. A request
//! that cannot get a slot before its deadline fails "not sent" (it never left), so a send's budget holds.

use crate::error::{Error, ErrorKind, Result};
use crate::response::RateLimit;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

// a request counts from when it finished (the server counted it on arrival, before that), plus a margin for
// the server's own clock granularity
/// A slot counts this long after its request finished beyond the window, so a server counting arrivals
/// (in fixed or sliding windows) never sees more than the limit.
const MARGIN: Duration = Duration::from_millis(250);

/// Limits of the client-side rate limiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitPolicy {
    /// Requests allowed in any 60 s. The documented standard tier: 60.
    pub per_minute: u32,
    /// Requests allowed in any hour. The documented burst tier: 1,000.
    pub per_hour: u32,
}

impl RateLimitPolicy {
    /// The documented tiers: 60 requests a minute, 1,000 an hour.
    pub const DOCUMENTED: RateLimitPolicy = RateLimitPolicy {
        per_minute: 60,
        per_hour: 1000,
    };
}

impl Default for RateLimitPolicy {
    fn default() -> Self {
        RateLimitPolicy::DOCUMENTED
    }
}

#[derive(Debug)]
struct State {
    minute: VecDeque<Instant>,
    hour: VecDeque<Instant>,
    /// The server asked for a pause until then.
    paused_until: Option<Instant>,
}

/// A shared limiter (one per client).
#[derive(Debug)]
pub(crate) struct Limiter {
    policy: RateLimitPolicy,
    /// The windows slots count in (60 s + margin, an hour + margin; shorter only in tests).
    minute: Duration,
    hour: Duration,
    state: Mutex<State>,
}

impl Limiter {
    #[cfg(test)]
    pub fn new(policy: RateLimitPolicy) -> Limiter {
        Limiter::with_window(policy, Duration::from_secs(60))
    }

    /// A limiter whose "minute" lasts `minute` (its hour is 60 of them).
    pub fn with_window(policy: RateLimitPolicy, minute: Duration) -> Limiter {
        Limiter {
            policy,
            minute: minute + MARGIN,
            hour: minute * 60 + MARGIN,
            state: Mutex::new(State {
                minute: VecDeque::new(),
                hour: VecDeque::new(),
                paused_until: None,
            }),
        }
    }

    /// How long until a slot is free at `now` (zero: now), both tiers and the server's pause counted.
    fn wait_at(&self, st: &State, now: Instant) -> Duration {
        let mut wait = st
            .paused_until
            .map(|p| p.saturating_duration_since(now))
            .unwrap_or_default();
        for (q, window, limit) in [
            (&st.minute, self.minute, self.policy.per_minute),
            (&st.hour, self.hour, self.policy.per_hour),
        ] {
            let live: Vec<&Instant> = q
                .iter()
                .filter(|t| now.duration_since(**t) < window)
                .collect();
            if live.len() >= limit.max(1) as usize {
                // the oldest live slot that must expire for one to free up
                let oldest = live[live.len() - limit.max(1) as usize];
                wait = wait.max(window - now.duration_since(*oldest));
            }
        }
        wait
    }

    /// How long until a slot is free (zero: now). Takes the slot when it is free.
    fn try_take(&self, now: Instant) -> Duration {
        let mut guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let st = &mut *guard;
        for (q, window) in [(&mut st.minute, self.minute), (&mut st.hour, self.hour)] {
            q.retain(|t| now.duration_since(*t) < window);
        }
        if st.paused_until.is_some_and(|p| p <= now) {
            st.paused_until = None;
        }
        let wait = self.wait_at(st, now);
        if wait.is_zero() {
            st.minute.push_back(now);
            st.hour.push_back(now);
        }
        wait
    }

    /// The request that took the slot stamped `stamp` has finished: it counts from now on, so the next slot
    /// opens a full window after the server can have seen it.
    pub fn complete(&self, stamp: Instant) {
        let now = Instant::now();
        let mut guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let st = &mut *guard;
        for q in [&mut st.minute, &mut st.hour] {
            if let Some(i) = q.iter().position(|t| *t == stamp) {
                q.remove(i);
                q.push_back(now);
            }
        }
    }

    /// Block until a slot is free, or fail (not sent) if none is free before `deadline`. Returns the slot's
    /// stamp, for [`complete`](Self::complete).
    pub fn acquire(
        &self,
        deadline: Option<Instant>,
        cancel: Option<&crate::polling::Cancel>,
    ) -> Result<Instant> {
        let mut told = false;
        loop {
            if cancel.is_some_and(|c| c.is_cancelled()) {
                return Err(Error::new(
                    ErrorKind::Cancelled,
                    "cancelled while waiting for a request slot: nothing was sent",
                ));
            }
            let now = Instant::now();
            let wait = self.try_take(now);
            if wait.is_zero() {
                return Ok(now);
            }
            if let Some(d) = deadline
                && now + wait > d
            {
                return Err(Error::new(
                    ErrorKind::RateLimited,
                    format!(
                        "client-side rate limit: the next request slot is in {} s, past this call's deadline",
                        wait.as_secs()
                    ),
                )
                .with_retry_after(Some(wait)));
            }
            if !told && wait >= Duration::from_secs(1) {
                log::info!(target: "clickairtime", "rate limit: waiting {:.1} s for a request slot", wait.as_secs_f64());
                told = true;
            }
            std::thread::sleep(wait.min(Duration::from_millis(100)));
        }
    }

    /// How long the next request would wait now, both tiers and the server's pause counted (for progress
    /// displays).
    pub fn next_slot_in(&self) -> Duration {
        let st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        self.wait_at(&st, Instant::now())
    }

    /// Follow the server's headers: a 429's `Retry-After`, or `Remaining: 0` until `Reset`.
    pub fn observe(&self, status: u16, rate: Option<RateLimit>, retry_after: Option<Duration>) {
        let now = Instant::now();
        let mut until = None;
        if status == 429 {
            until = Some(now + retry_after.unwrap_or(Duration::from_secs(1)).min(self.hour));
        }
        if let Some(RateLimit {
            remaining: Some(0),
            reset: Some(reset),
            ..
        }) = rate
        {
            let unix_now = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            // a reset in the past, or absurdly far, is not trusted beyond an hour
            let secs = reset.saturating_sub(unix_now).min(3600);
            let t = now + Duration::from_secs(secs.max(1));
            until = Some(until.map_or(t, |u: Instant| u.max(t)));
        }
        if let Some(u) = until {
            let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
            st.paused_until = Some(st.paused_until.map_or(u, |p| p.max(u)));
            log::info!(target: "clickairtime", "rate limit: server asks for a pause of {:.1} s", u.saturating_duration_since(now).as_secs_f64());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_admit_the_policy_then_block() {
        let l = Limiter::new(RateLimitPolicy {
            per_minute: 3,
            per_hour: 5,
        });
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(l.try_take(t0).is_zero());
        }
        let w = l.try_take(t0);
        assert!(w > Duration::from_secs(59), "{w:?}");
        // a slot counts from when its request finished
        l.complete(t0);
        // a minute later the minute window is free, the hour window has 2 left
        let t1 = t0 + l.minute;
        assert!(l.try_take(t1).is_zero());
        assert!(l.try_take(t1).is_zero());
        let w = l.try_take(t1);
        assert!(w > Duration::from_secs(3000), "hour tier: {w:?}");
    }

    #[test]
    fn the_deadline_wins_and_the_server_pauses_everyone() {
        let l = Limiter::new(RateLimitPolicy {
            per_minute: 1,
            per_hour: 100,
        });
        l.acquire(None, None).unwrap();
        let e = l
            .acquire(Some(Instant::now() + Duration::from_millis(50)), None)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        let l = Limiter::new(RateLimitPolicy::DOCUMENTED);
        l.observe(429, None, Some(Duration::from_secs(30)));
        assert!(l.next_slot_in() > Duration::from_secs(29));
        assert!(
            l.acquire(Some(Instant::now() + Duration::from_millis(20)), None)
                .is_err()
        );
    }

    #[test]
    fn the_next_slot_counts_the_hour_tier_and_a_short_window() {
        let l = Limiter::new(RateLimitPolicy {
            per_minute: 100,
            per_hour: 2,
        });
        let t0 = Instant::now();
        assert!(l.try_take(t0).is_zero() && l.try_take(t0).is_zero());
        assert!(l.next_slot_in() > Duration::from_secs(3500), "hour tier");
        // a 1 s "minute" (tests): its slots free up a second (+ margin) after they finished
        let l = Limiter::with_window(
            RateLimitPolicy {
                per_minute: 2,
                per_hour: 1000,
            },
            Duration::from_secs(1),
        );
        assert!(l.try_take(t0).is_zero() && l.try_take(t0).is_zero());
        let w = l.try_take(t0);
        assert!(
            w > Duration::from_millis(1200) && w <= Duration::from_millis(1250),
            "{w:?}"
        );
        assert!(l.try_take(t0 + Duration::from_millis(1250)).is_zero());
    }
}
