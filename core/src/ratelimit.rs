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
const MINUTE: Duration = Duration::from_millis(60_250);
const HOUR: Duration = Duration::from_millis(3_600_250);

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
    state: Mutex<State>,
}

impl Limiter {
    pub fn new(policy: RateLimitPolicy) -> Limiter {
        Limiter {
            policy,
            state: Mutex::new(State {
                minute: VecDeque::new(),
                hour: VecDeque::new(),
                paused_until: None,
            }),
        }
    }

    /// How long until a slot is free (zero: now). Takes the slot when it is free.
    fn try_take(&self, now: Instant) -> Duration {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        while st
            .minute
            .front()
            .is_some_and(|t| now.duration_since(*t) >= MINUTE)
        {
            st.minute.pop_front();
        }
        while st
            .hour
            .front()
            .is_some_and(|t| now.duration_since(*t) >= HOUR)
        {
            st.hour.pop_front();
        }
        let mut wait = Duration::ZERO;
        if let Some(p) = st.paused_until {
            if p > now {
                wait = wait.max(p - now);
            } else {
                st.paused_until = None;
            }
        }
        if st.minute.len() >= self.policy.per_minute.max(1) as usize
            && let Some(first) = st.minute.front()
        {
            wait = wait.max(MINUTE - now.duration_since(*first));
        }
        if st.hour.len() >= self.policy.per_hour.max(1) as usize
            && let Some(first) = st.hour.front()
        {
            wait = wait.max(HOUR - now.duration_since(*first));
        }
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

    /// How long the next request would wait now (for progress displays).
    pub fn next_slot_in(&self) -> Duration {
        let now = Instant::now();
        let st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = st
            .paused_until
            .map(|p| p.saturating_duration_since(now))
            .unwrap_or_default();
        let live_min: Vec<_> = st
            .minute
            .iter()
            .filter(|t| now.duration_since(**t) < MINUTE)
            .collect();
        if live_min.len() >= self.policy.per_minute.max(1) as usize {
            wait = wait.max(MINUTE - now.duration_since(*live_min[0]));
        }
        wait
    }

    /// Follow the server's headers: a 429's `Retry-After`, or `Remaining: 0` until `Reset`.
    pub fn observe(&self, status: u16, rate: Option<RateLimit>, retry_after: Option<Duration>) {
        let now = Instant::now();
        let mut until = None;
        if status == 429 {
            until = Some(now + retry_after.unwrap_or(Duration::from_secs(1)).min(HOUR));
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
        let t1 = t0 + MINUTE;
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
}
