//! The floor: a raw keep-alive HTTP/1.1 loop on one TCP connection per worker. It writes the same request
//! bytes a client would (auth, idempotency key, JSON body) and reads the answer by `Content-Length`, with no
//! JSON decoding — the physical limit of one exchange on this machine. Same options and result file as every
//! other side (see `clickairtime_bench::Opts`).
//!
//! `BENCH_FLOOR_SPLIT_POST=1` (diagnostic side `floor-split`): a POST is written as two `write`s, the head
//! then the body, the way ureq 3.5 sends it (see bench/NOTES.md), to measure what the second segment costs.

use clickairtime_bench::{CallResult, Opts, concurrent, finish, post_body, sequential};
use std::io::{Read, Write};
use std::net::TcpStream;

struct Conn {
    s: TcpStream,
    host: String,
    key: String,
    id: String,
    amount: String,
    tag: String,
    buf: Vec<u8>,
    req: Vec<u8>,
    /// Write POSTs as head + body in two writes (`BENCH_FLOOR_SPLIT_POST=1`).
    split_post: bool,
    /// Where the body starts in `req` when the current request has one.
    body_at: Option<usize>,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

impl Conn {
    fn open(o: &Opts) -> Conn {
        let host = o
            .url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let s = TcpStream::connect(&host)
            .unwrap_or_else(|e| clickairtime_bench::die(&format!("connect {host}: {e}")));
        s.set_nodelay(true).ok();
        s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .ok();
        Conn {
            s,
            host,
            key: o.key.clone(),
            id: o.id.clone(),
            amount: o.amount.clone(),
            tag: o.tag.clone(),
            buf: Vec::with_capacity(4096),
            req: Vec::with_capacity(1024),
            split_post: split_post(),
            body_at: None,
        }
    }

    /// One exchange; returns the status and leaves the body in `self.buf[..len]`.
    fn exchange(&mut self) -> Result<(u16, usize), String> {
        match self.body_at.take() {
            Some(at) if self.split_post => {
                self.s
                    .write_all(&self.req[..at])
                    .map_err(|e| e.to_string())?;
                self.s
                    .write_all(&self.req[at..])
                    .map_err(|e| e.to_string())?;
            }
            _ => self.s.write_all(&self.req).map_err(|e| e.to_string())?,
        }
        self.buf.clear();
        let mut chunk = [0u8; 8192];
        let head_end = loop {
            if let Some(p) = find(&self.buf, b"\r\n\r\n") {
                break p + 4;
            }
            let n = self.s.read(&mut chunk).map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("connection closed".into());
            }
            self.buf.extend_from_slice(&chunk[..n]);
        };
        let head = std::str::from_utf8(&self.buf[..head_end]).map_err(|_| "bad head")?;
        let status: u16 = head
            .get(9..12)
            .and_then(|s| s.parse().ok())
            .ok_or("bad status line")?;
        let len: usize = head
            .split("\r\n")
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .ok_or("no content-length")?;
        while self.buf.len() < head_end + len {
            let n = self.s.read(&mut chunk).map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("connection closed in body".into());
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
        self.buf.drain(..head_end);
        Ok((status, len))
    }

    fn get(&mut self) -> CallResult {
        self.req.clear();
        write!(
            self.req,
            "GET /v2/topups/{} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nAccept: application/json\r\n\r\n",
            self.id, self.host, self.key
        )
        .unwrap();
        let (status, len) = self.exchange()?;
        if status != 200 || find(&self.buf[..len], self.id.as_bytes()).is_none() {
            return Err(format!("GET: status {status}, body without the id"));
        }
        Ok(())
    }

    fn post(&mut self, i: usize) -> CallResult {
        let reference = clickairtime_bench::reference(&self.tag, i);
        let body = post_body(&self.amount, &reference);
        self.req.clear();
        write!(
            self.req,
            "POST /v2/topups HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nAccept: application/json\r\nContent-Type: application/json\r\nIdempotency-Key: {reference}\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            self.key,
            body.len()
        )
        .unwrap();
        self.body_at = Some(self.req.len() - body.len());
        let (status, len) = self.exchange()?;
        if status != 201 || find(&self.buf[..len], b"\"id\"").is_none() {
            return Err(format!(
                "POST: status {status}: {}",
                String::from_utf8_lossy(&self.buf[..len.min(200)])
            ));
        }
        Ok(())
    }
}

fn split_post() -> bool {
    std::env::var("BENCH_FLOOR_SPLIT_POST").is_ok_and(|v| v == "1")
}

fn main() {
    let o = Opts::parse();
    let mut errors = Vec::new();
    let mut results = Vec::new();
    let mut c = Conn::open(&o);
    results.push(sequential("get", &o, &mut errors, |_| c.get()));
    results.push(sequential("post", &o, &mut errors, |i| c.post(i)));
    drop(c);
    if o.conc > 0 && o.conc_calls > 0 {
        results.push(concurrent("get", &o, &mut errors, |_| {
            let mut c = Conn::open(&o);
            move |_| c.get()
        }));
        results.push(concurrent("post", &o, &mut errors, |w| {
            let mut c = Conn::open(&o);
            c.tag = format!("{}-c{w}", o.tag);
            move |i| c.post(i)
        }));
    }
    let name = if split_post() { "floor-split" } else { "floor" };
    finish(&o, "rust", name, results, None, errors);
}
