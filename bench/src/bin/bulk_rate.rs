//! Bulk throughput against the documented rate limit: a payout file sent through core's bulk engine with
//! the client-side limiter at the documented tiers (60 a minute, 1,000 an hour), against a sandbox that
//! enforces 60 a minute itself. Reports rows per minute sustained and the 429s the server had to give.
//!
//! `cargo run --release -p clickairtime-bench --bin bulk_rate -- [ROWS] [OUT.json]` (default 150 rows,
//! about 2.5 minutes of wall time: the limit is the point).

use clickairtime::bulk::{BulkApi, BulkOptions, RowOutcome, parse_csv, run_v2};
use clickairtime::{RateLimitPolicy, v2};
use clickairtime_sandbox::{Sandbox, SandboxConfig};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(150);
    let out = args.get(2).cloned();
    let sandbox = Sandbox::start_with(
        SandboxConfig::default()
            .rate_limit_per_minute(60)
            .complete_after(Duration::from_millis(50))
            // every row is a different sale of the same amount to one number: no duplicate window here
            .duplicate_window(Duration::ZERO),
    )
    .expect("sandbox");
    let dir = std::env::temp_dir().join(format!("ca-bulk-rate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let client = v2::Client::builder(sandbox.api_key())
        .base_url(sandbox.base_url())
        .journal(dir.join("journal.sqlite"))
        .rate_limit(RateLimitPolicy::DOCUMENTED)
        .build()
        .expect("client");
    let mut csv = String::from("phone,network_id,amount,currency,reference\n");
    for i in 0..rows {
        csv.push_str(&format!("+233541112259,42,5,GHS,rate-{i}\n"));
    }
    let parsed = parse_csv(BulkApi::V2, "rate.csv", csv.as_bytes()).expect("valid file");
    let started = Instant::now();
    let report = run_v2(
        &client,
        &parsed,
        &BulkOptions::default(),
        &|_, done, total| {
            if done % 30 == 0 || done == total {
                eprintln!(
                    "  {done}/{total} in {:.0} s",
                    started.elapsed().as_secs_f64()
                );
            }
        },
    );
    let secs = started.elapsed().as_secs_f64();
    let stats = sandbox.stats();
    let sent = report.count(RowOutcome::Sent);
    let requests = stats["v2"]["requests"].as_u64().unwrap_or(0);
    let max_window = stats["v2"]["max_requests_per_rate_window"]
        .as_u64()
        .unwrap_or(0);
    let rejected = stats["v2"]["rate_limited"].as_u64().unwrap_or(0);
    let per_minute = sent as f64 / secs * 60.0;
    let line = serde_json::json!({
        "rows": rows,
        "sent": sent,
        "seconds": secs,
        "rows_per_minute": per_minute,
        "server_requests": requests,
        "server_max_requests_in_a_rate_window": max_window,
        "server_429s": rejected,
        "limit_per_minute": 60,
        "limit_per_hour": 1000,
    });
    println!("{line}");
    if let Some(path) = out {
        std::fs::write(&path, format!("{line:#}\n")).expect("write result");
    }
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(sent, rows, "every row sent");
}
