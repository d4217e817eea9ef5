//! Shared pieces of the Rust benchmark sides (`floor`, `rust_client`): the common command line, the timing
//! loops (sequential and concurrent, bounded in count and time), percentiles, RSS and the JSON result file
//! that every language's side writes in the same shape (see `bench/README.md`).

use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The options every side accepts (same names in Python, Node and C).
#[derive(Debug, Clone)]
pub struct Opts {
    /// Base URL of the server (`http://127.0.0.1:PORT`).
    pub url: String,
    /// V2 API key.
    pub key: String,
    /// `canned` or `sandbox` (only written to the result).
    pub server: String,
    /// Id to GET.
    pub id: String,
    /// Expected `amount.value` in both answers.
    pub amount: String,
    /// Measured sequential calls per operation.
    pub n: usize,
    /// Warm-up calls per operation (not measured).
    pub warmup: usize,
    /// Concurrent workers (0: no concurrent phase).
    pub conc: usize,
    /// Total calls of a concurrent phase.
    pub conc_calls: usize,
    /// Sequential GETs of the memory run (0: none).
    pub rss_calls: usize,
    /// Cap of one phase, seconds.
    pub max_seconds: f64,
    /// Result file (stdout when empty).
    pub out: String,
    /// Prefix of generated references (unique per side, so sandbox sends never collide).
    pub tag: String,
    /// Sequential operations to run (all by default; `get` or `post` alone for the instruction
    /// counts of `bench/run.sh`, which need one operation per process).
    pub ops: String,
}

impl Opts {
    /// Parse `--name value` pairs; unknown names are an error.
    pub fn parse() -> Opts {
        let mut o = Opts {
            url: String::new(),
            key: "ce_live_bench000000000000000000000000000".into(),
            server: "canned".into(),
            id: "a1b2c3d4-e5f6-7890-abcd-ef1234567890".into(),
            amount: "50".into(),
            n: 2000,
            warmup: 200,
            conc: 0,
            conc_calls: 0,
            rss_calls: 0,
            max_seconds: 60.0,
            out: String::new(),
            tag: "bench".into(),
            ops: String::new(),
        };
        let args: Vec<String> = std::env::args().skip(1).collect();
        let mut i = 0;
        while i < args.len() {
            let v = args.get(i + 1).cloned().unwrap_or_default();
            let num = |v: &str| -> usize {
                v.parse()
                    .unwrap_or_else(|_| die(&format!("{}: not a number", args[i])))
            };
            match args[i].as_str() {
                "--url" => o.url = v,
                "--key" => o.key = v,
                "--server" => o.server = v,
                "--id" => o.id = v,
                "--amount" => o.amount = v,
                "--n" => o.n = num(&v),
                "--warmup" => o.warmup = num(&v),
                "--conc" => o.conc = num(&v),
                "--conc-calls" => o.conc_calls = num(&v),
                "--rss-calls" => o.rss_calls = num(&v),
                "--max-seconds" => o.max_seconds = v.parse().unwrap_or(60.0),
                "--out" => o.out = v,
                "--tag" => o.tag = v,
                "--ops" => o.ops = v,
                other => die(&format!("unknown argument {other}")),
            }
            i += 2;
        }
        if o.url.is_empty() {
            die("--url is required");
        }
        o
    }
}

/// Print and exit 2.
pub fn die(msg: &str) -> ! {
    eprintln!("bench: {msg}");
    std::process::exit(2)
}

/// A `VmRSS`/`VmHWM` line of /proc/self/status, in KiB.
pub fn proc_status_kb(field: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Summary of a set of per-call latencies (ns) measured over `wall`.
pub fn summary(
    op: &str,
    mode: &str,
    concurrency: usize,
    lat_ns: &mut [u64],
    wall: Duration,
) -> Value {
    lat_ns.sort_unstable();
    let n = lat_ns.len();
    let pct = |p: f64| -> f64 {
        if n == 0 {
            return 0.0;
        }
        let idx = ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
        lat_ns[idx] as f64 / 1000.0
    };
    let mean = if n == 0 {
        0.0
    } else {
        lat_ns.iter().sum::<u64>() as f64 / n as f64 / 1000.0
    };
    json!({
        "op": op, "mode": mode, "concurrency": concurrency, "calls": n,
        "seconds": wall.as_secs_f64(),
        "median_us": pct(0.5), "p99_us": pct(0.99), "mean_us": mean,
        "rps": if wall.as_secs_f64() > 0.0 { n as f64 / wall.as_secs_f64() } else { 0.0 },
    })
}

/// Failure of one call: a message (the side exits non-zero at the end).
pub type CallResult = Result<(), String>;

/// Whether `op` is among the sequential operations asked for (`--ops`).
pub fn wants(o: &Opts, op: &str) -> bool {
    o.ops.is_empty() || o.ops.split(',').any(|x| x.trim() == op)
}

/// Warm up, then time `n` sequential calls (bounded by `max_seconds`). An operation left out of `--ops`
/// makes no call and reports 0 calls.
pub fn sequential(
    op: &str,
    o: &Opts,
    errors: &mut Vec<String>,
    mut call: impl FnMut(usize) -> CallResult,
) -> Value {
    if !wants(o, op) {
        return summary(op, "seq", 1, &mut [], Duration::ZERO);
    }
    let cap = Duration::from_secs_f64(o.max_seconds);
    let t0 = Instant::now();
    for i in 0..o.warmup {
        if let Err(e) = call(i) {
            errors.push(format!("{op} warm-up: {e}"));
            break;
        }
        if t0.elapsed() > cap {
            break;
        }
    }
    let mut lat = Vec::with_capacity(o.n);
    let start = Instant::now();
    for i in 0..o.n {
        let t = Instant::now();
        let r = call(o.warmup + i);
        lat.push(t.elapsed().as_nanos() as u64);
        if let Err(e) = r {
            errors.push(format!("{op}: {e}"));
            if errors.len() > 5 {
                break;
            }
        }
        if start.elapsed() > cap {
            break;
        }
    }
    let wall = start.elapsed();
    summary(op, "seq", 1, &mut lat, wall)
}

/// `workers` threads share `conc_calls` calls (after a short warm-up of each worker); `make` builds each
/// worker's call function (sharing a client or owning a connection, as the side decides).
pub fn concurrent<F>(
    op: &str,
    o: &Opts,
    errors: &mut Vec<String>,
    make: impl Fn(usize) -> F,
) -> Value
where
    F: FnMut(usize) -> CallResult + Send + 'static,
{
    let workers = o.conc.max(1);
    let per = o.conc_calls.div_ceil(workers);
    let cap = Duration::from_secs_f64(o.max_seconds);
    let errs = Arc::new(Mutex::new(Vec::<String>::new()));
    let barrier = Arc::new(std::sync::Barrier::new(workers + 1));
    let mut handles = Vec::new();
    for w in 0..workers {
        let mut call = make(w);
        let errs = errs.clone();
        let barrier = barrier.clone();
        let warm = (o.warmup / workers).max(5);
        handles.push(std::thread::spawn(move || {
            for i in 0..warm {
                if let Err(e) = call(w * 1_000_000 + i) {
                    errs.lock().unwrap().push(format!("warm-up: {e}"));
                    break;
                }
            }
            barrier.wait();
            let start = Instant::now();
            let mut lat = Vec::with_capacity(per);
            for i in 0..per {
                let t = Instant::now();
                let r = call(w * 1_000_000 + warm + i);
                lat.push(t.elapsed().as_nanos() as u64);
                if let Err(e) = r {
                    errs.lock().unwrap().push(e);
                    break;
                }
                if start.elapsed() > cap {
                    break;
                }
            }
            lat
        }));
    }
    barrier.wait();
    let start = Instant::now();
    let mut lat = Vec::new();
    for h in handles {
        match h.join() {
            Ok(l) => lat.extend(l),
            Err(_) => errors.push(format!("{op}: a worker panicked")),
        }
    }
    let wall = start.elapsed();
    errors.extend(
        errs.lock()
            .unwrap()
            .drain(..)
            .map(|e| format!("{op} conc: {e}")),
    );
    summary(op, "conc", workers, &mut lat, wall)
}

/// `rss_calls` sequential calls, sampling RSS at 10 checkpoints.
pub fn rss_run(
    o: &Opts,
    errors: &mut Vec<String>,
    mut call: impl FnMut(usize) -> CallResult,
) -> Value {
    let total = o.rss_calls;
    let step = (total / 10).max(1);
    let mut samples = vec![json!([0, proc_status_kb("VmRSS:")])];
    let cap = Duration::from_secs_f64(o.max_seconds * 3.0);
    let start = Instant::now();
    let mut done = 0;
    for i in 0..total {
        if let Err(e) = call(i) {
            errors.push(format!("rss: {e}"));
            break;
        }
        done = i + 1;
        if done % step == 0 {
            samples.push(json!([done, proc_status_kb("VmRSS:")]));
        }
        if start.elapsed() > cap {
            break;
        }
    }
    json!({"calls": done, "seconds": start.elapsed().as_secs_f64(), "samples": samples,
           "peak_rss_kb": proc_status_kb("VmHWM:")})
}

/// Write the side's result file (or print it), then exit 1 if any call failed.
pub fn finish(
    o: &Opts,
    lang: &str,
    client: &str,
    results: Vec<Value>,
    rss: Option<Value>,
    errors: Vec<String>,
) {
    let doc = json!({
        "lang": lang, "client": client, "server": o.server,
        "results": results, "rss": rss,
        "peak_rss_kb": proc_status_kb("VmHWM:"),
        "errors": errors.len(), "first_errors": errors.iter().take(5).collect::<Vec<_>>(),
    });
    let text = serde_json::to_string_pretty(&doc).unwrap();
    if o.out.is_empty() {
        println!("{text}");
    } else if let Err(e) = std::fs::write(&o.out, text) {
        die(&format!("cannot write {}: {e}", o.out));
    }
    if !errors.is_empty() {
        for e in errors.iter().take(5) {
            eprintln!("bench {lang}/{client}: {e}");
        }
        std::process::exit(1);
    }
}

/// The reference of POST number `i` of a side: `<tag>-<i>`, or `BENCH_REFERENCE` when bench/run.sh sets it (the
/// nginx canned server answers every POST with the docs' record, whose reference is that one).
pub fn reference(tag: &str, i: impl std::fmt::Display) -> String {
    match std::env::var("BENCH_REFERENCE") {
        Ok(r) if !r.is_empty() => r,
        _ => format!("{tag}-{i}"),
    }
}

/// The POST body every side sends (the docs' custom-amount request, with a per-call reference).
pub fn post_body(amount: &str, reference: &str) -> String {
    format!(
        "{{\"phone_number\":\"+233541112259\",\"network_id\":42,\"amount\":{{\"value\":{amount},\"currency\":\"GHS\"}},\"reference\":\"{reference}\"}}"
    )
}
