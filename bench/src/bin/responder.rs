//! The canned responder: a minimal HTTP/1.1 keep-alive server on 127.0.0.1 that answers instantly, so that in a
//! benchmark the client's own cost dominates.
//!
//! - `GET /v2/topups/<id>` → 200 with the docs' top-up body (`tests/fixtures/v2_topup_status_200.json`);
//! - `POST /v2/topups` (any JSON body) → 201 with the docs' create answer (`seed_v2_topup_create_201.json`);
//! - `GET /_bench/stats` → `{"connections":N,"get":N,"post":N,"other":N}` (counters since start), used by
//!   `bench/run.sh` to show how many connections each side opened;
//! - anything else → 404.
//!
//! One thread per connection, blocking I/O, the full answer bytes precomputed. It prints
//! `RESPONDER_URL=http://127.0.0.1:PORT` and stops by itself after `--max-seconds` (default 1800).
//!
//! usage: responder [--port N] [--max-seconds S]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

const GET_BODY: &str = include_str!("../../../tests/fixtures/v2_topup_status_200.json");
const POST_BODY: &str = include_str!("../../../tests/fixtures/seed_v2_topup_create_201.json");

static CONNECTIONS: AtomicU64 = AtomicU64::new(0);
static GETS: AtomicU64 = AtomicU64::new(0);
static POSTS: AtomicU64 = AtomicU64::new(0);
static OTHER: AtomicU64 = AtomicU64::new(0);

/// Largest request head or body accepted.
const MAX_REQUEST: usize = 1 << 20;
/// An idle keep-alive connection is closed after this.
const IDLE: Duration = Duration::from_secs(30);

fn answer(status: &str, body: &str) -> Vec<u8> {
    // compact the JSON once: what a real API sends on the wire
    let body = match serde_json::from_str::<serde_json::Value>(body) {
        Ok(v) => v.to_string(),
        Err(_) => body.to_owned(),
    };
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

struct Canned {
    get: Vec<u8>,
    post: Vec<u8>,
    not_found: Vec<u8>,
}

fn main() {
    let mut port = 0u16;
    let mut max_seconds = 1800u64;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--port" => port = v.parse().expect("--port N"),
            "--max-seconds" => max_seconds = v.parse().expect("--max-seconds S"),
            other => {
                eprintln!("responder: unknown argument {other}");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    let canned: &'static Canned = Box::leak(Box::new(Canned {
        get: answer("200 OK", GET_BODY),
        post: answer("201 Created", POST_BODY),
        not_found: answer(
            "404 Not Found",
            r#"{"success":false,"error":{"code":"NOT_FOUND","message":"not found"}}"#,
        ),
    }));
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    println!("RESPONDER_URL=http://{addr}");
    std::io::stdout().flush().ok();
    // bounded lifetime: the process ends by itself even if nobody stops it
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(max_seconds));
        std::process::exit(0);
    });
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        CONNECTIONS.fetch_add(1, Ordering::Relaxed);
        std::thread::spawn(move || {
            let _ = serve(stream, canned);
        });
    }
}

/// The canned 201 answer with the posted body's `reference` in place of the docs' `invoice-12345`.
fn echo_reference(canned: &[u8], posted: &[u8]) -> Option<Vec<u8>> {
    let v: serde_json::Value = serde_json::from_slice(posted).ok()?;
    let reference = v.get("reference")?.as_str()?;
    let text = std::str::from_utf8(canned).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let body = body.replace("\"invoice-12345\"", &serde_json::to_string(reference).ok()?);
    let head = head
        .lines()
        .map(|l| {
            if l.to_ascii_lowercase().starts_with("content-length:") {
                format!("Content-Length: {}", body.len())
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    Some(format!("{head}\r\n\r\n{body}").into_bytes())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Serve one connection until the client closes it, asks to close, or idles out.
fn serve(mut s: TcpStream, canned: &Canned) -> std::io::Result<()> {
    s.set_nodelay(true)?;
    s.set_read_timeout(Some(IDLE))?;
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    let mut chunk = [0u8; 16384];
    loop {
        // read a full head
        let head_end = loop {
            if let Some(p) = find(&buf, b"\r\n\r\n") {
                break p + 4;
            }
            if buf.len() > MAX_REQUEST {
                return Ok(());
            }
            let n = s.read(&mut chunk)?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or("");
        let mut parts = request_line.split(' ');
        let method = parts.next().unwrap_or("").to_owned();
        let path = parts.next().unwrap_or("").to_owned();
        let version = parts.next().unwrap_or("");
        let mut content_length = 0usize;
        let mut chunked = false;
        let mut close = version == "HTTP/1.0";
        let mut expect_continue = false;
        for line in lines {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            let v = v.trim();
            match k.trim().to_ascii_lowercase().as_str() {
                "content-length" => content_length = v.parse().unwrap_or(0),
                "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
                "connection" => {
                    let v = v.to_ascii_lowercase();
                    if v.contains("close") {
                        close = true;
                    } else if v.contains("keep-alive") {
                        close = false;
                    }
                }
                "expect" => expect_continue = v.eq_ignore_ascii_case("100-continue"),
                _ => {}
            }
        }
        buf.drain(..head_end);
        if expect_continue {
            s.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        }
        // consume the body (a POST's is kept: the answer describes the sale that was posted)
        let mut posted: Vec<u8> = Vec::new();
        if chunked {
            read_chunked(&mut s, &mut buf, &mut chunk)?;
        } else {
            if content_length > MAX_REQUEST {
                return Ok(());
            }
            while buf.len() < content_length {
                let n = s.read(&mut chunk)?;
                if n == 0 {
                    return Ok(());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            if method == "POST" {
                posted.extend_from_slice(&buf[..content_length]);
            }
            buf.drain(..content_length);
        }
        let path_only = path.split('?').next().unwrap_or("");
        let echoed: Option<Vec<u8>>;
        let out: &[u8] = match method.as_str() {
            "GET" if path_only.starts_with("/v2/topups/") && path_only.len() > 11 => {
                GETS.fetch_add(1, Ordering::Relaxed);
                &canned.get
            }
            "POST" if path_only == "/v2/topups" => {
                POSTS.fetch_add(1, Ordering::Relaxed);
                // the API answers with this sale's record: its reference is the one posted (the SDK verifies it)
                echoed = echo_reference(&canned.post, &posted);
                echoed.as_deref().unwrap_or(&canned.post)
            }
            "GET" if path_only == "/_bench/stats" => {
                let body = format!(
                    "{{\"connections\":{},\"get\":{},\"post\":{},\"other\":{}}}",
                    CONNECTIONS.load(Ordering::Relaxed),
                    GETS.load(Ordering::Relaxed),
                    POSTS.load(Ordering::Relaxed),
                    OTHER.load(Ordering::Relaxed)
                );
                let bytes = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                s.write_all(bytes.as_bytes())?;
                if close {
                    return Ok(());
                }
                continue;
            }
            _ => {
                OTHER.fetch_add(1, Ordering::Relaxed);
                &canned.not_found
            }
        };
        s.write_all(out)?;
        if close {
            return Ok(());
        }
    }
}

/// Consume a chunked body from `buf` + the stream (the bytes after it stay in `buf`).
fn read_chunked(s: &mut TcpStream, buf: &mut Vec<u8>, chunk: &mut [u8]) -> std::io::Result<()> {
    let mut fill = |buf: &mut Vec<u8>| -> std::io::Result<()> {
        let n = s.read(chunk)?;
        if n == 0 || buf.len() > MAX_REQUEST {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        Ok(())
    };
    loop {
        let line_end = loop {
            if let Some(p) = find(buf, b"\r\n") {
                break p;
            }
            fill(buf)?;
        };
        let size_text = String::from_utf8_lossy(&buf[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidData))?;
        buf.drain(..line_end + 2);
        if size == 0 {
            // trailers until an empty line
            loop {
                let end = loop {
                    if let Some(p) = find(buf, b"\r\n") {
                        break p;
                    }
                    fill(buf)?;
                };
                buf.drain(..end + 2);
                if end == 0 {
                    return Ok(());
                }
            }
        }
        while buf.len() < size + 2 {
            fill(buf)?;
        }
        buf.drain(..size + 2);
    }
}
