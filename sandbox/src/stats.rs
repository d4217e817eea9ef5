//! Request counters for tests (`GET /_sandbox/stats`): per API version, requests and top-up POSTs
//! received (total, and the most seen in any rolling minute / hour), and transactions committed.

use serde_json::{Value, json};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);
/// Most timestamps kept per window; counts above it are reported as this value.
pub(crate) const WINDOW_CAP: usize = 20_000;

/// Which API a request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    V1,
    V2,
}

impl Api {
    /// The API of a request path (`None` for control endpoints and unknown paths).
    pub fn of_path(path: &str) -> Option<Api> {
        if path == "/adp" || path.starts_with("/adp/") {
            Some(Api::V1)
        } else if path == "/v2" || path.starts_with("/v2/") {
            Some(Api::V2)
        } else {
            None
        }
    }
}

/// Whether `method path` is a top-up write (`POST /v2/topups`, `POST /adp`, `POST /adp/topup`).
pub(crate) fn is_write(method: &str, path: &str) -> bool {
    method.eq_ignore_ascii_case("POST")
        && matches!(
            path.trim_end_matches('/'),
            "/v2/topups" | "/adp" | "/adp/topup"
        )
}

/// Events in a sliding window of `span`, with the largest count ever seen.
#[derive(Debug)]
struct Window {
    span: Duration,
    times: VecDeque<Instant>,
    max: usize,
}

impl Window {
    fn new(span: Duration) -> Window {
        Window {
            span,
            times: VecDeque::new(),
            max: 0,
        }
    }

    fn prune(&mut self, now: Instant) {
        while self
            .times
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= self.span)
        {
            self.times.pop_front();
        }
    }

    fn hit(&mut self, now: Instant) {
        self.prune(now);
        if self.times.len() >= WINDOW_CAP {
            self.times.pop_front();
        }
        self.times.push_back(now);
        self.max = self.max.max(self.times.len());
    }

    fn current(&mut self, now: Instant) -> usize {
        self.prune(now);
        self.times.len()
    }
}

/// A counter with a rolling minute and a rolling hour.
#[derive(Debug)]
struct Rolling {
    total: u64,
    minute: Window,
    hour: Window,
}

impl Default for Rolling {
    fn default() -> Self {
        Rolling {
            total: 0,
            minute: Window::new(MINUTE),
            hour: Window::new(HOUR),
        }
    }
}

impl Rolling {
    fn hit(&mut self, now: Instant) {
        self.total += 1;
        self.minute.hit(now);
        self.hour.hit(now);
    }
}

/// Counters of one API version.
#[derive(Debug, Default)]
struct ApiStats {
    requests: Rolling,
    posts: Rolling,
    committed: u64,
}

impl ApiStats {
    fn snapshot(&mut self, now: Instant) -> Value {
        json!({
            "requests": self.requests.total,
            "posts": self.posts.total,
            "committed": self.committed,
            "requests_last_minute": self.requests.minute.current(now),
            "requests_last_hour": self.requests.hour.current(now),
            "max_requests_per_minute": self.requests.minute.max,
            "max_requests_per_hour": self.requests.hour.max,
            "posts_last_minute": self.posts.minute.current(now),
            "posts_last_hour": self.posts.hour.current(now),
            "max_posts_per_minute": self.posts.minute.max,
            "max_posts_per_hour": self.posts.hour.max,
        })
    }
}

/// Counters of both API versions.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    v1: ApiStats,
    v2: ApiStats,
    /// V2 rate limit: the most requests counted in one window (capped at limit + 1) and the 429s it gave.
    max_per_rate_window: u32,
    rate_limited: u64,
}

impl Stats {
    fn api(&mut self, api: Api) -> &mut ApiStats {
        match api {
            Api::V1 => &mut self.v1,
            Api::V2 => &mut self.v2,
        }
    }

    /// Counts one received API request (control endpoints are not counted).
    pub fn request(&mut self, method: &str, path: &str) {
        let Some(api) = Api::of_path(path) else {
            return;
        };
        let now = Instant::now();
        let s = self.api(api);
        s.requests.hit(now);
        if is_write(method, path) {
            s.posts.hit(now);
        }
    }

    /// One request counted by the V2 rate limit: the count in its window so far, and whether it got a 429.
    pub fn rate_counted(&mut self, count_in_window: u32, exceeded: bool) {
        self.max_per_rate_window = self.max_per_rate_window.max(count_in_window);
        self.rate_limited += u64::from(exceeded);
    }

    /// Counts one committed transaction.
    pub fn committed(&mut self, api: Api) {
        self.api(api).committed += 1;
    }

    /// `{"v1": {...}, "v2": {...}}`.
    pub fn snapshot(&mut self) -> Value {
        let now = Instant::now();
        let mut v2 = self.v2.snapshot(now);
        v2["max_requests_per_rate_window"] = self.max_per_rate_window.into();
        v2["rate_limited"] = self.rate_limited.into();
        json!({"v1": self.v1.snapshot(now), "v2": v2})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_slide_and_remember_their_max() {
        let mut w = Window::new(Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..5 {
            w.hit(t0 + Duration::from_secs(i * 10));
        }
        assert_eq!(w.max, 5);
        // At t0 + 70 s the hits at 0 and 10 s have left the window.
        w.hit(t0 + Duration::from_secs(70));
        assert_eq!(w.current(t0 + Duration::from_secs(70)), 4);
        assert_eq!(w.max, 5);
        assert_eq!(w.current(t0 + Duration::from_secs(200)), 0);
    }

    #[test]
    fn counts_by_api_and_kind() {
        let mut s = Stats::default();
        s.request("POST", "/v2/topups");
        s.request("GET", "/v2/topups");
        s.request("POST", "/adp/");
        s.request("GET", "/_sandbox/stats");
        s.request("POST", "/elsewhere");
        s.committed(Api::V2);
        let j = s.snapshot();
        assert_eq!(j["v2"]["requests"], 2);
        assert_eq!(j["v2"]["posts"], 1);
        assert_eq!(j["v2"]["committed"], 1);
        assert_eq!(j["v2"]["max_requests_per_minute"], 2);
        assert_eq!(j["v1"]["posts"], 1);
        assert_eq!(j["v1"]["committed"], 0);
    }

    #[test]
    fn windows_are_capped() {
        let mut w = Window::new(HOUR);
        let t0 = Instant::now();
        for _ in 0..(WINDOW_CAP + 10) {
            w.hit(t0);
        }
        assert_eq!(w.max, WINDOW_CAP);
        assert_eq!(w.times.len(), WINDOW_CAP);
    }
}
