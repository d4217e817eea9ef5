//! `clickairtime-sandbox`: runs the Click Airtime API emulator until killed.
#![forbid(unsafe_code)]

use clickairtime_sandbox::{Sandbox, SandboxConfig, UnknownMode};
use std::io::Write;
use std::time::Duration;

const USAGE: &str = "\
usage: clickairtime-sandbox [options]

Runs a local emulator of the Click Airtime V1 and V2 APIs on 127.0.0.1 and prints, one per line:
CLICKAIRTIME_SANDBOX_URL, CLICKAIRTIME_API_KEY, CLICKAIRTIME_V1_EMAIL, CLICKAIRTIME_V1_TOKEN.

options:
  --port N                  port to listen on (default 0: chosen by the OS)
  --api-key KEY             V2 API key (ce_live_ + 32 alphanumerics; default random)
  --v1-email EMAIL          V1 e-mail (default pos@sandbox.clickairtime.test)
  --v1-token TOKEN          V1 token (default random)
  --processing-after-ms N   pending -> processing delay (default 100)
  --complete-after-ms N     creation -> terminal delay (default 400)
  --slow-ms N               delay of the slow magic number / slow fault (default 3000)
  --duplicate-window-ms N   V2 duplicate window (default 5000; 0 = off)
  --duplicate-mode MODE     what the V2 duplicate window answers: existing (200 with the existing
                            top-up, default), conflict (409 DUPLICATE_TRANSACTION) or off
  --idempotency-mode MODE   what a reused V2 Idempotency-Key answers: conflict (409, default) or
                            replay (200 with the first top-up)
  --v1-duplicate-window-ms N
                            V1 near-duplicate window: same msisdn + amount with another extRefId
                            is refused with code 50 (default 0 = off)
  --rate-limit N            V2 requests per minute per key (default 600)
  --verbose                 log requests to stderr
  -h, --help                show this help
";

struct StderrLogger;

impl log::Log for StderrLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        eprintln!("[{}] {}", record.level(), record.args());
    }
    fn flush(&self) {}
}

static LOGGER: StderrLogger = StderrLogger;

fn parse_args(args: &[String]) -> Result<(SandboxConfig, bool), String> {
    let mut config = SandboxConfig::default();
    let mut verbose = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let millis = |v: String| -> Result<Duration, String> {
            v.parse::<u64>()
                .map(Duration::from_millis)
                .map_err(|_| format!("{name}: not a number of milliseconds: {v}"))
        };
        config = match name {
            "-h" | "--help" => return Err(String::new()),
            "--verbose" | "-v" => {
                verbose = true;
                config
            }
            "--port" => {
                let v = value()?;
                config.port(v.parse().map_err(|_| format!("--port: not a port: {v}"))?)
            }
            "--api-key" => config.api_key(value()?),
            "--v1-email" => config.v1_email(value()?),
            "--v1-token" => config.v1_token(value()?),
            "--processing-after-ms" => config.processing_after(millis(value()?)?),
            "--complete-after-ms" => config.complete_after(millis(value()?)?),
            "--slow-ms" => config.slow_delay(millis(value()?)?),
            "--duplicate-window-ms" => config.duplicate_window(millis(value()?)?),
            "--duplicate-mode" => config.duplicate_mode(
                value()?
                    .parse()
                    .map_err(|e: UnknownMode| format!("--duplicate-mode: {e}"))?,
            ),
            "--idempotency-mode" => config.idempotency_mode(
                value()?
                    .parse()
                    .map_err(|e: UnknownMode| format!("--idempotency-mode: {e}"))?,
            ),
            "--v1-duplicate-window-ms" => config.v1_duplicate_window(millis(value()?)?),
            "--rate-limit" => {
                let v = value()?;
                config.rate_limit_per_minute(
                    v.parse()
                        .map_err(|_| format!("--rate-limit: not a number: {v}"))?,
                )
            }
            other => return Err(format!("unknown option {other}")),
        };
    }
    Ok((config, verbose))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (config, verbose) = match parse_args(&args) {
        Ok(x) => x,
        Err(msg) if msg.is_empty() => {
            print!("{USAGE}");
            return;
        }
        Err(msg) => {
            eprintln!("clickairtime-sandbox: {msg}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    if verbose && log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Debug);
    }
    let sandbox = match Sandbox::start_with(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("clickairtime-sandbox: cannot start: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "CLICKAIRTIME_SANDBOX_URL={}", sandbox.base_url());
    let _ = writeln!(out, "CLICKAIRTIME_API_KEY={}", sandbox.api_key());
    let _ = writeln!(out, "CLICKAIRTIME_V1_EMAIL={}", sandbox.v1_email());
    let _ = writeln!(out, "CLICKAIRTIME_V1_TOKEN={}", sandbox.v1_token());
    let _ = out.flush();
    drop(out);
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn parses_options() {
        let (c, v) = parse_args(&args(&[
            "--port",
            "0",
            "--complete-after-ms=50",
            "--rate-limit",
            "7",
            "-v",
        ]))
        .unwrap();
        assert!(v);
        assert_eq!(c.get_complete_after(), Duration::from_millis(50));
        assert_eq!(c.get_rate_limit_per_minute(), 7);
        assert!(parse_args(&args(&["--bogus"])).is_err());
        let (c, _) = parse_args(&args(&[
            "--duplicate-mode",
            "conflict",
            "--idempotency-mode=replay",
            "--v1-duplicate-window-ms",
            "1500",
        ]))
        .unwrap();
        assert_eq!(
            c.get_duplicate_mode(),
            clickairtime_sandbox::DuplicateMode::Conflict
        );
        assert_eq!(
            c.get_idempotency_mode(),
            clickairtime_sandbox::IdempotencyMode::Replay
        );
        assert_eq!(c.get_v1_duplicate_window(), Duration::from_millis(1500));
        assert!(parse_args(&args(&["--duplicate-mode", "sometimes"])).is_err());
        assert!(parse_args(&args(&["--port"])).is_err());
        assert_eq!(parse_args(&args(&["--help"])).unwrap_err(), "");
    }
}
