//! The client-side rate limiter against a sandbox that enforces its own limit, with windows shortened to a
//! fraction of a second so many windows pass in a few seconds (the same code as at 60 s).

use super::*;
use clickairtime::RateLimitPolicy;
use std::sync::Arc;

const LIMIT: u32 = 20;
const WINDOW: Duration = Duration::from_millis(500);

fn limited_sandbox() -> Sandbox {
    Sandbox::start_with(
        SandboxConfig::default()
            .rate_limit_per_minute(LIMIT)
            .rate_limit_window(WINDOW),
    )
    .unwrap()
}

/// `threads` threads sharing `client`, `each` balance reads apiece; the errors they got.
fn hammer(client: v2::Client, threads: usize, each: usize) -> Vec<clickairtime::Error> {
    let client = Arc::new(client);
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let c = client.clone();
            std::thread::spawn(move || {
                (0..each)
                    .filter_map(|_| c.balance().list().err())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect()
}

#[test]
fn one_limiter_shared_by_four_threads_keeps_under_the_servers_limit() {
    // control: the same burst without the limiter does meet the sandbox's limit (so the check below can fail)
    let s = limited_sandbox();
    let plain = v2::Client::builder(s.api_key())
        .base_url(s.base_url())
        .max_retries(0)
        .build()
        .unwrap();
    let errors = hammer(plain, 4, 15);
    let stats = s.stats();
    assert!(
        stats["v2"]["rate_limited"].as_u64().unwrap() > 0,
        "without a limiter the burst is refused: {stats}"
    );
    assert!(errors.iter().all(|e| e.kind() == ErrorKind::RateLimited));
    // the limiter at the server's limit: every read succeeds, the server never refuses one, and it sees
    // the limit reached (the limiter was what held the threads back)
    let s = limited_sandbox();
    let limited = v2::Client::builder(s.api_key())
        .base_url(s.base_url())
        .max_retries(0)
        .rate_limit(RateLimitPolicy {
            per_minute: LIMIT,
            per_hour: 100_000,
        })
        .rate_limit_window(WINDOW)
        .send_deadline(Duration::from_secs(30))
        .build()
        .unwrap();
    let t0 = Instant::now();
    let errors = hammer(limited, 4, 25);
    let took = t0.elapsed();
    let stats = s.stats();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(stats["v2"]["requests"], 100, "{stats}");
    assert_eq!(stats["v2"]["rate_limited"], 0, "{stats}");
    assert_eq!(
        stats["v2"]["max_requests_per_rate_window"], LIMIT,
        "{stats}"
    );
    // 100 requests at 20 per window: at least four windows waited for
    assert!(took >= WINDOW * 4, "{took:?}");
}

#[test]
fn remaining_zero_pauses_the_client_until_the_reset() {
    // the client's own limit is far above the server's: only the server's X-RateLimit-Remaining: 0 and
    // X-RateLimit-Reset can keep it from a 429
    let s = Sandbox::start_with(
        SandboxConfig::default()
            .rate_limit_per_minute(5)
            .rate_limit_window(Duration::from_secs(1)),
    )
    .unwrap();
    let c = v2::Client::builder(s.api_key())
        .base_url(s.base_url())
        .max_retries(0)
        .rate_limit(RateLimitPolicy {
            per_minute: 10_000,
            per_hour: 100_000,
        })
        .send_deadline(Duration::from_secs(30))
        .build()
        .unwrap();
    for i in 0..12 {
        c.balance()
            .list()
            .unwrap_or_else(|e| panic!("read {i}: {e:?}"));
    }
    let stats = s.stats();
    assert_eq!(stats["v2"]["requests"], 12, "{stats}");
    assert_eq!(stats["v2"]["rate_limited"], 0, "{stats}");
    assert_eq!(stats["v2"]["max_requests_per_rate_window"], 5, "{stats}");
}
