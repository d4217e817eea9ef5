//! Time, temp files and journals, raw HTTP for a child process, and child processes (this test binary,
//! re-executed).

use super::*;

// ---- time ----

/// Poll `cond` every 10 ms until it holds or `limit` passes; whether it held.
pub fn wait_until(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let end = std::time::Instant::now() + limit;
    loop {
        if cond() {
            return true;
        }
        if std::time::Instant::now() >= end {
            return false;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// A fresh path in the temp dir (nothing created), unique to this process and call.
pub fn temp_path(name: &str) -> std::path::PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    std::env::temp_dir().join(format!(
        "clickairtime-test-{}-{n}-{nanos}-{name}",
        std::process::id()
    ))
}

/// Remove a journal file and its companions (`-wal`, `-shm`, `-owners/`).
pub fn remove_journal(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(std::path::PathBuf::from(p));
    }
    let mut d = path.as_os_str().to_owned();
    d.push("-owners");
    let _ = std::fs::remove_dir_all(std::path::PathBuf::from(d));
}

// ---- raw HTTP for a child process (the sandbox's control endpoints) ----

/// One HTTP/1.1 request to 127.0.0.1 with `Connection: close`; (status, body).
pub fn http(base_url: &str, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    let hostport = base_url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let mut c = TcpStream::connect(&hostport).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let body = body.unwrap_or("");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    c.write_all(req.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

// ---- child processes: this test binary, re-executed ----

/// A child process that is SIGKILLed (and reaped) when dropped, unless it has ended.
pub struct ChildProc {
    pub child: std::process::Child,
    pub lines: std::sync::mpsc::Receiver<String>,
}

impl ChildProc {
    /// Run the `#[ignore]`d test `test_name` of this binary in a child process, with `envs`. Its stdout
    /// lines arrive on `lines`; its stderr is copied to this test's (captured) stderr.
    pub fn spawn(test_name: &str, envs: &[(&str, String)]) -> ChildProc {
        let exe = std::env::current_exe().unwrap();
        let mut cmd = std::process::Command::new(exe);
        cmd.args([
            test_name,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .env("RUST_BACKTRACE", "0");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let pid = child.id();
        thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                eprintln!("[child {pid}] {line}");
            }
        });
        ChildProc { child, lines: rx }
    }

    /// The rest of the next stdout line that contains `marker` (after it), within `limit`. (libtest may
    /// print "test name ... " in front of the child's first line.)
    pub fn expect_line(&self, marker: &str, limit: Duration) -> Option<String> {
        let end = std::time::Instant::now() + limit;
        loop {
            let left = end.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    if let Some(i) = l.find(marker) {
                        return Some(l[i + marker.len()..].trim().to_owned());
                    }
                }
                Err(_) => return None,
            }
        }
    }

    /// SIGKILL the child (std sends SIGKILL on Unix) and reap it.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Wait for the child to exit by itself within `limit`; kill it otherwise. Whether it exited on its own
    /// with success.
    pub fn finish(&mut self, limit: Duration) -> bool {
        let end = std::time::Instant::now() + limit;
        loop {
            if let Ok(Some(st)) = self.child.try_wait() {
                return st.success();
            }
            if std::time::Instant::now() >= end {
                self.kill9();
                return false;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ChildProc {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.kill9();
        }
    }
}

/// Load the phone-number rules once (their first use costs seconds in a debug build), so that a test
/// that measures a send's duration measures the send.
pub fn warm_phone_rules() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = clickairtime::phone::to_e164("+233541112259");
        let _ = clickairtime::v2::CreateTopUp::amount(
            "+233541112259",
            42,
            clickairtime::money::Decimal::ONE,
            "GHS",
        )
        .validate();
        let _ =
            clickairtime::v1::SendTopUp::amount("233541112259", clickairtime::money::Decimal::ONE)
                .validate();
    });
}
