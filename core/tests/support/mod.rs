//! A tiny, deliberately controllable HTTP/1.1 server for fault tests: each request is answered by a closure
//! that may return a proper answer, raw bytes, silence, a truncated body, or bytes dripped slowly.
//! Binds 127.0.0.1 only; stops when dropped; every connection is bounded by a read timeout.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How to answer.
pub enum Reply {
    /// A well-formed answer.
    Http {
        status: u16,
        content_type: &'static str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// These exact bytes, then close.
    Raw(Vec<u8>),
    /// Close without answering.
    Close,
    /// Sleep, then answer.
    Delay(Duration, Box<Reply>),
    /// Send the bytes one at a time, sleeping between them.
    Drip(Vec<u8>, Duration),
}

impl Reply {
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Http {
            status,
            content_type: "application/json",
            headers: vec![],
            body: body.into(),
        }
    }
    pub fn with_header(self, k: &str, v: &str) -> Reply {
        match self {
            Reply::Http {
                status,
                content_type,
                mut headers,
                body,
            } => {
                headers.push((k.into(), v.into()));
                Reply::Http {
                    status,
                    content_type,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }
}

type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

pub struct TestServer {
    pub url: String,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<Seen>>>,
    port: u16,
}

impl TestServer {
    /// Start a server answering with `handler(request, index_of_request)`.
    pub fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let stop = stop.clone();
            let seen = seen.clone();
            thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let (handler, seen, stop) = (handler.clone(), seen.clone(), stop.clone());
                    thread::spawn(move || serve(conn, &*handler, &seen, &stop));
                }
            });
        }
        TestServer {
            url: format!("http://127.0.0.1:{port}"),
            stop,
            seen,
            port,
        }
    }

    /// Every request seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(conn: TcpStream, handler: &Handler, seen: &Mutex<Vec<Seen>>, stop: &AtomicBool) {
    conn.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut writer = conn.try_clone().unwrap();
    let mut reader = BufReader::new(conn);
    while !stop.load(Ordering::SeqCst) {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, target) = (
            parts.next().unwrap_or("").to_owned(),
            parts.next().unwrap_or("").to_owned(),
        );
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_owned(), v.trim().to_owned()));
            }
        }
        let len = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let req = Seen {
            method,
            target,
            headers,
            body,
        };
        let index = {
            let mut s = seen.lock().unwrap();
            s.push(req.clone());
            s.len() - 1
        };
        if !answer(&mut writer, handler(&req, index)) {
            return;
        }
    }
}

/// Write an answer; false when the connection must close.
fn answer(w: &mut TcpStream, reply: Reply) -> bool {
    match reply {
        Reply::Http {
            status,
            content_type,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            w.write_all(head.as_bytes()).is_ok() && w.write_all(&body).is_ok()
        }
        Reply::Raw(bytes) => {
            let _ = w.write_all(&bytes);
            let _ = w.shutdown(std::net::Shutdown::Both);
            false
        }
        Reply::Close => {
            let _ = w.shutdown(std::net::Shutdown::Both);
            false
        }
        Reply::Delay(d, inner) => {
            thread::sleep(d);
            answer(w, *inner)
        }
        Reply::Drip(bytes, gap) => {
            for b in bytes {
                if w.write_all(&[b]).is_err() {
                    return false;
                }
                thread::sleep(gap);
            }
            false
        }
    }
}

/// Read a fixture from the shared API examples.
pub fn fixture(name: &str) -> Vec<u8> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

pub const KEY: &str = "ce_live_TESTKEY0000000000000000000000000";

/// A V2 client for a test server with fast retries and short timeouts.
pub fn v2(url: &str) -> clickairtime::v2::Client {
    clickairtime::v2::Client::builder(KEY)
        .base_url(url)
        .retry_base_delay(Duration::from_millis(5))
        .max_retry_delay(Duration::from_millis(20))
        .read_timeout(Duration::from_millis(800))
        .timeout(Duration::from_secs(3))
        .send_deadline(Duration::from_secs(4))
        .build()
        .unwrap()
}

pub const TOKEN: &str = "C8000000-000G-4474-0001-J0000";

/// A V1 client for a test server.
pub fn v1(url: &str) -> clickairtime::v1::Client {
    clickairtime::v1::Client::builder("pos@example.com", TOKEN)
        .base_url(url)
        .retry_base_delay(Duration::from_millis(5))
        .max_retry_delay(Duration::from_millis(20))
        .read_timeout(Duration::from_millis(800))
        .timeout(Duration::from_secs(3))
        .send_deadline(Duration::from_secs(4))
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------------------
// Shared by money.rs, crash.rs, soak.rs, sandbox.rs, logs.rs
// ---------------------------------------------------------------------------------------------------------

/// Stops a [`TestServer`] from a handler: after `stop()`, nothing is accepted any more and the open
/// connections close after their current answer, so new connections are refused.
#[derive(Clone)]
pub struct Stopper {
    stop: Arc<AtomicBool>,
    port: u16,
    done: Arc<AtomicBool>,
}

impl Stopper {
    pub fn stop(&self) {
        if self.done.swap(true, Ordering::SeqCst) {
            return;
        }
        self.stop.store(true, Ordering::SeqCst);
        // wake the accept loop so that it drops the listener: from then on connections are refused
        let _ = TcpStream::connect_timeout(
            &std::net::SocketAddr::from(([127, 0, 0, 1], self.port)),
            Duration::from_millis(200),
        );
    }
}

impl TestServer {
    /// A handle that stops this server (usable from inside its handler).
    pub fn stopper(&self) -> Stopper {
        Stopper {
            stop: self.stop.clone(),
            port: self.port,
            done: Arc::new(AtomicBool::new(false)),
        }
    }
    /// The POSTs seen so far.
    pub fn posts(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|r| r.method == "POST")
            .collect()
    }
    /// The GETs seen so far.
    pub fn gets(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|r| r.method == "GET")
            .collect()
    }
}

/// A port on 127.0.0.1 where nothing listens (connections are refused).
pub fn refused_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The query parameter `name` of a request target, percent-decoding `%XX` and `+`.
pub fn query_param(target: &str, name: &str) -> Option<String> {
    let q = target.split_once('?')?.1;
    q.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let h = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                match h.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The JSON body of a request.
pub fn json_of(req: &Seen) -> serde_json::Value {
    serde_json::from_slice(&req.body).unwrap_or(serde_json::Value::Null)
}

// ---- V2 shapes ----

/// A V2 top-up record.
pub fn v2_record(
    id: &str,
    reference: &str,
    phone: &str,
    network_id: i64,
    amount: &str,
    currency: &str,
    status: &str,
) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "status": status,
        "phone_number": phone,
        "network": {"id": network_id, "name": "MTN Ghana", "country": "Ghana", "country_code": "GH"},
        "amount": {"value": amount.parse::<f64>().unwrap(), "currency": currency},
        "cost": {"value": 0.5, "currency": "USD"},
        "product_id": null,
        "product_name": null,
        "sms": {"enabled": false, "message": null},
        "reference": reference,
        "provider_reference": null,
        "failure_reason": null,
        "metadata": {},
        "created_at": "2024-01-15T10:30:00.000Z",
        "completed_at": null
    })
}

/// The V2 top-up the request `req` (a `POST /v2/topups`) asks for, with id `id`.
pub fn v2_record_for(req: &Seen, id: &str, status: &str) -> serde_json::Value {
    let b = json_of(req);
    let mut r = v2_record(
        id,
        b["reference"].as_str().unwrap_or(""),
        b["phone_number"].as_str().unwrap_or(""),
        b["network_id"].as_i64().unwrap_or(0),
        "1",
        "GHS",
        status,
    );
    r["amount"] = b["amount"].clone();
    r
}

/// `{"success":true,"data":record,"meta":…}`.
pub fn v2_one(record: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "success": true, "data": record,
        "meta": {"request_id": "req_000000000001", "timestamp": "2024-01-15T10:30:00.000Z"}
    }))
    .unwrap()
}

/// A V2 list answer.
pub fn v2_list(items: &[serde_json::Value]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "success": true, "data": items,
        "meta": {"request_id": "req_000000000002", "pagination": {"page": 1, "per_page": 100, "total": items.len(), "total_pages": 1, "has_next": false, "has_prev": false}}
    }))
    .unwrap()
}

/// A V2 error body.
pub fn v2_error(code: &str, message: &str, details: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "success": false,
        "error": {"code": code, "message": message, "details": details},
        "meta": {"request_id": "req_000000000003", "timestamp": "2024-01-15T10:30:00.000Z"}
    }))
    .unwrap()
}

// ---- V1 shapes ----

/// A V1 transaction record as lookups render it (`ext_ref_id` None: the field is absent).
pub fn v1_record(
    tx_id: &str,
    ext_ref_id: Option<&str>,
    msisdn: &str,
    amount: i64,
    state: &str,
) -> serde_json::Value {
    let mut r = serde_json::json!({
        "transactionId": tx_id,
        "status": state == "SUCCESS",
        "msisdn": msisdn,
        "network": "MTN",
        "country": "Ghana",
        "amount": amount,
        "TopupAmount": amount,
        "effectiveAmount": format!("{amount}.00"),
        "currency": "GHS",
        "accountId": "00000000-0000-4000-8000-000000000042",
        "state": state,
        "wallet": {"currency": "GHS", "amount": format!("{amount}.00"), "fxRate": null},
        "provider": {"transaction_id": "EXT-1", "reference_code": "REF-1"}
    });
    if let Some(e) = ext_ref_id {
        r["extRefId"] = e.into();
    }
    r
}

/// A V1 lookup answer with these records (a JSON 404 "No transactions found" when empty).
pub fn v1_list(items: &[serde_json::Value]) -> Reply {
    if items.is_empty() {
        return Reply::json(
            404,
            r#"{"message":"No transactions found","statusCode":404}"#,
        );
    }
    Reply::json(
        200,
        serde_json::to_vec(&serde_json::json!({
            "message": "Success", "statusCode": 200, "code": 1, "data": items
        }))
        .unwrap(),
    )
}

/// The documented answer to a V1 SYNC top-up that succeeded (no extRefId, no msisdn in `data`).
pub fn v1_answer(tx_id: &str, amount: i64) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "message": "Top-up successful! Airtime has been successfully topped up",
        "statusCode": 200, "code": 1,
        "data": {"transactionId": tx_id, "state": "SUCCESS", "amount": amount, "effectiveAmount": format!("{amount}.00"), "currency": "GHS"}
    }))
    .unwrap()
}

// ---- a little fake API with a ledger, for scripted hostile answers ----

/// What a scripted server holds: V2 top-ups and V1 transactions, each as the API renders it.
#[derive(Default)]
pub struct Ledger {
    pub v2: Vec<serde_json::Value>,
    pub v1: Vec<serde_json::Value>,
    next: usize,
}

impl Ledger {
    /// Create the V2 top-up a `POST /v2/topups` asks for; returns it.
    pub fn commit_v2(&mut self, req: &Seen) -> serde_json::Value {
        self.next += 1;
        let r = v2_record_for(
            req,
            &format!("00000000-0000-4000-8000-{:012}", self.next),
            "pending",
        );
        self.v2.push(r.clone());
        r
    }
    /// Create the V1 transaction a `POST /adp` asks for; returns it.
    pub fn commit_v1(&mut self, req: &Seen) -> serde_json::Value {
        self.next += 1;
        let b = json_of(req);
        let r = v1_record(
            &format!("10000000-0000-4000-8000-{:012}", self.next),
            b["extRefId"].as_str(),
            b["msisdn"].as_str().unwrap_or(""),
            b["amount"].as_i64().unwrap_or(0),
            "SUCCESS",
        );
        self.v1.push(r.clone());
        r
    }
    /// The normal answer of the API to `req`, from this ledger (lookups and creations, no faults).
    pub fn answer(&mut self, req: &Seen) -> Reply {
        match (req.method.as_str(), req.path()) {
            ("POST", "/v2/topups") => Reply::json(201, v2_one(&self.commit_v2(req))),
            ("GET", "/v2/topups") => {
                let want = query_param(&req.target, "reference");
                let items: Vec<_> = self
                    .v2
                    .iter()
                    .filter(|r| want.as_deref().is_none_or(|w| r["reference"] == w))
                    .cloned()
                    .collect();
                Reply::json(200, v2_list(&items))
            }
            ("GET", p) if p.starts_with("/v2/topups/") => {
                let id = &p["/v2/topups/".len()..];
                match self.v2.iter().find(|r| r["id"] == id) {
                    Some(r) => Reply::json(200, v2_one(r)),
                    None => Reply::json(
                        404,
                        v2_error(
                            "TRANSACTION_NOT_FOUND",
                            "no such top-up",
                            serde_json::json!({}),
                        ),
                    ),
                }
            }
            ("POST", "/adp") => {
                let r = self.commit_v1(req);
                let id = r["transactionId"].as_str().unwrap().to_owned();
                Reply::json(200, v1_answer(&id, r["amount"].as_i64().unwrap_or(0)))
            }
            ("GET", "/adp/transactions") => {
                let ext = query_param(&req.target, "extRefId");
                let msisdn = query_param(&req.target, "msisdn");
                let items: Vec<_> = self
                    .v1
                    .iter()
                    .filter(|r| ext.as_deref().is_none_or(|w| r["extRefId"] == w))
                    .filter(|r| msisdn.as_deref().is_none_or(|w| r["msisdn"] == w))
                    .cloned()
                    .collect();
                v1_list(&items)
            }
            _ => Reply::json(404, r#"{"message":"Not found","statusCode":404}"#),
        }
    }
}

/// A server whose answers come from a [`Ledger`], unless `script(request, index, ledger)` answers first.
pub fn scripted(
    script: impl Fn(&Seen, usize, &mut Ledger) -> Option<Reply> + Send + Sync + 'static,
) -> (TestServer, Arc<Mutex<Ledger>>) {
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let l = ledger.clone();
    let s = TestServer::start(move |req, i| {
        let mut l = l.lock().unwrap();
        match script(req, i, &mut l) {
            Some(r) => r,
            None => l.answer(req),
        }
    });
    (s, ledger)
}

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
