//! A tiny, deliberately controllable HTTP/1.1 server for fault tests: each request is answered by a closure
//! that may return a proper answer, raw bytes, silence, a truncated body, or bytes dripped slowly.
//! Binds 127.0.0.1 only; stops when dropped; every connection is bounded by a read timeout.
#![allow(dead_code)]

mod ledger;
mod procs;
mod shapes;

// each test binary uses some of these
#[allow(unused_imports)]
pub use {ledger::*, procs::*, shapes::*};

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
// Shared by the money, crash, soak, sandbox and logs tests
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
