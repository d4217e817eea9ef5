//! Helpers: the cargo-built `clickairtime` binary against an in-process sandbox, in a private folder.

#![allow(dead_code)]

use clickairtime_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_clickairtime");

/// Environment variables of the outer shell that must not leak into a test run.
const SCRUB: &[&str] = &[
    "CLICKAIRTIME_API_KEY",
    "CLICKAIRTIME_V1_EMAIL",
    "CLICKAIRTIME_V1_TOKEN",
    "CLICKAIRTIME_BASE_URL",
    "CLICKAIRTIME_JOURNAL",
    "CLICKAIRTIME_CONFIG",
    "XDG_CONFIG_HOME",
    "XDG_STATE_HOME",
    "XDG_DATA_HOME",
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "ALL_PROXY",
    "https_proxy",
    "http_proxy",
    "all_proxy",
];

/// A private folder under cargo's per-target temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "cli-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Short timings so waits end quickly.
pub fn fast() -> SandboxConfig {
    SandboxConfig::default()
        .processing_after(Duration::from_millis(20))
        .complete_after(Duration::from_millis(120))
        .slow_delay(Duration::from_millis(1500))
}

pub struct Env {
    pub sb: Sandbox,
    pub dir: TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        let line = self.stdout.lines().last().unwrap_or_default();
        serde_json::from_str(line).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Env {
    pub fn new(tag: &str) -> Env {
        Env::with(tag, fast())
    }

    pub fn with(tag: &str, cfg: SandboxConfig) -> Env {
        Env {
            sb: Sandbox::start_with(cfg).expect("sandbox"),
            dir: TempDir::new(tag),
        }
    }

    pub fn journal(&self) -> PathBuf {
        self.dir.path().join("journal.sqlite")
    }

    /// The binary with a clean environment: no credentials, private XDG folders.
    pub fn bare(&self) -> Command {
        clean(self.dir.path())
    }

    /// The binary configured for the sandbox through the environment, with the journal in the folder.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = self.bare();
        c.env("CLICKAIRTIME_API_KEY", self.sb.api_key())
            .env("CLICKAIRTIME_V1_EMAIL", self.sb.v1_email())
            .env("CLICKAIRTIME_V1_TOKEN", self.sb.v1_token())
            .env("CLICKAIRTIME_BASE_URL", self.sb.base_url())
            .env("CLICKAIRTIME_JOURNAL", self.journal())
            .args(args);
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run(self.cmd(args))
    }

    /// Run with `--json` and parse stdout.
    pub fn json(&self, args: &[&str]) -> (i32, Value, Run) {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        let r = self.run(&a);
        let v = r.json();
        (r.code, v, r)
    }

    /// Committed V2 top-ups.
    pub fn v2_transactions(&self) -> Vec<Value> {
        self.sb.transactions()["v2"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn v2_with_reference(&self, reference: &str) -> usize {
        self.v2_transactions()
            .iter()
            .filter(|t| t["reference"] == reference)
            .count()
    }
}

/// The binary with a clean environment: no credentials, `HOME` and the XDG folders in `dir`.
pub fn clean(dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    for v in SCRUB {
        c.env_remove(v);
    }
    c.env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .current_dir(dir);
    c
}

pub fn run(mut c: Command) -> Run {
    let t = std::time::Instant::now();
    let out: Output = c.stdin(Stdio::null()).output().expect("run clickairtime");
    if std::env::var_os("CLI_TEST_TIMING").is_some() {
        let args: Vec<String> = c
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        eprintln!("{:>6.2} s  {}", t.elapsed().as_secs_f64(), args.join(" "));
    }
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A plain HTTP/1.1 request to 127.0.0.1 (status, body).
pub fn http(url: &str, method: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("http url");
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut s = std::net::TcpStream::connect(authority).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut resp = Vec::new();
    let _ = s.read_to_end(&mut resp);
    let text = String::from_utf8_lossy(&resp).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// Send SIGINT to a child we started.
pub fn interrupt(child: &std::process::Child) {
    let ok = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT")
        .success();
    assert!(ok, "kill -INT failed");
}
