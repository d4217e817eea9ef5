//! Minimal HTTP/1.1 request reading and response writing over a blocking `TcpStream`.

use serde_json::Value;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Largest accepted request head (request line + headers).
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// Largest accepted request body.
pub(crate) const MAX_BODY: usize = 1024 * 1024;
/// Longest time allowed to receive one request once its first byte arrived.
const REQUEST_DEADLINE: Duration = Duration::from_secs(30);

/// A parsed request.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Header names are lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub keep_alive: bool,
}

impl Request {
    /// First header of that (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// First query parameter of that name.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Why no request could be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The peer closed, the idle timeout passed, or the socket failed: just close.
    Closed,
    /// Malformed request: answer with this status, then close.
    Bad(u16, &'static str),
}

/// Reads one request. `buf` carries bytes already received after the previous request.
pub(crate) fn read_request(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> Result<Request, ReadError> {
    let mut started: Option<Instant> = if buf.is_empty() {
        None
    } else {
        Some(Instant::now())
    };
    let mut chunk = [0u8; 8192];
    // Head.
    let (head_len, mut req) = loop {
        if !buf.is_empty() {
            match parse_head(buf)? {
                Some((n, _)) if n > MAX_HEAD => {
                    return Err(ReadError::Bad(431, "request head too large"));
                }
                Some(x) => break x,
                None if buf.len() > MAX_HEAD => {
                    return Err(ReadError::Bad(431, "request head too large"));
                }
                None => {}
            }
        }
        if started.is_some_and(|s| s.elapsed() > REQUEST_DEADLINE) {
            return Err(ReadError::Closed);
        }
        let n = read_some(stream, &mut chunk)?;
        started.get_or_insert_with(Instant::now);
        buf.extend_from_slice(&chunk[..n]);
    };
    buf.drain(..head_len);

    // Body.
    let chunked = req
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let expects_continue = req
        .header("expect")
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
    let started = started.unwrap_or_else(Instant::now);
    if chunked {
        if expects_continue {
            write_continue(stream)?;
        }
        loop {
            match decode_chunked(buf)? {
                Some((body, used)) => {
                    buf.drain(..used);
                    req.body = body;
                    break;
                }
                None => {
                    if buf.len() > MAX_BODY + MAX_HEAD {
                        return Err(ReadError::Bad(413, "request body too large"));
                    }
                    if started.elapsed() > REQUEST_DEADLINE {
                        return Err(ReadError::Closed);
                    }
                    let n = read_some(stream, &mut chunk)?;
                    buf.extend_from_slice(&chunk[..n]);
                }
            }
        }
    } else {
        let mut lengths = req
            .headers
            .iter()
            .filter(|(k, _)| k == "content-length")
            .map(|(_, v)| v.trim().parse::<usize>());
        let len = match lengths.next() {
            None => 0,
            Some(Ok(n)) => {
                if lengths.any(|o| o != Ok(n)) {
                    return Err(ReadError::Bad(400, "conflicting content-length"));
                }
                n
            }
            Some(Err(_)) => return Err(ReadError::Bad(400, "invalid content-length")),
        };
        if len > MAX_BODY {
            return Err(ReadError::Bad(413, "request body too large"));
        }
        if expects_continue && buf.len() < len {
            write_continue(stream)?;
        }
        while buf.len() < len {
            if started.elapsed() > REQUEST_DEADLINE {
                return Err(ReadError::Closed);
            }
            let n = read_some(stream, &mut chunk)?;
            buf.extend_from_slice(&chunk[..n]);
        }
        req.body = buf.drain(..len).collect();
    }
    Ok(req)
}

fn write_continue(stream: &mut TcpStream) -> Result<(), ReadError> {
    stream
        .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
        .map_err(|_| ReadError::Closed)
}

fn read_some(stream: &mut TcpStream, chunk: &mut [u8]) -> Result<usize, ReadError> {
    loop {
        match stream.read(chunk) {
            Ok(0) => return Err(ReadError::Closed),
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(ReadError::Closed),
        }
    }
}

/// Parses the head if complete: (head length, request without body).
fn parse_head(buf: &[u8]) -> Result<Option<(usize, Request)>, ReadError> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut headers);
    let n = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(ReadError::Bad(431, "too many headers"));
        }
        Err(_) => return Err(ReadError::Bad(400, "malformed request")),
    };
    let method = parsed.method.unwrap_or("GET").to_string();
    let target = parsed.path.unwrap_or("/");
    let version = parsed.version.unwrap_or(1);
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_ascii_lowercase(),
                String::from_utf8_lossy(h.value).trim().to_string(),
            )
        })
        .collect();
    let conn = headers
        .iter()
        .find(|(k, _)| k == "connection")
        .map(|(_, v)| v.to_ascii_lowercase());
    let keep_alive = match conn.as_deref() {
        Some(v) if v.contains("close") => false,
        Some(v) if v.contains("keep-alive") => true,
        _ => version >= 1,
    };
    let (path, query) = split_target(target);
    Ok(Some((
        n,
        Request {
            method,
            path,
            query,
            headers,
            body: Vec::new(),
            keep_alive,
        },
    )))
}

/// Decodes a complete chunked body at the start of `buf`: (body, bytes used), or `None` if incomplete.
fn decode_chunked(buf: &[u8]) -> Result<Option<(Vec<u8>, usize)>, ReadError> {
    let mut pos = 0;
    let mut body = Vec::new();
    loop {
        let (used, size) = match httparse::parse_chunk_size(&buf[pos..]) {
            Ok(httparse::Status::Complete(x)) => x,
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(_) => return Err(ReadError::Bad(400, "malformed chunked body")),
        };
        pos += used;
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        if size == 0 {
            // Trailers (ignored) end with an empty line.
            loop {
                let rest = &buf[pos..];
                let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") else {
                    return Ok(None);
                };
                pos += eol + 2;
                if eol == 0 {
                    return Ok(Some((body, pos)));
                }
            }
        }
        if size > MAX_BODY || body.len() + size > MAX_BODY {
            return Err(ReadError::Bad(413, "request body too large"));
        }
        if buf.len() < pos + size + 2 {
            return Ok(None);
        }
        body.extend_from_slice(&buf[pos..pos + size]);
        pos += size;
        if &buf[pos..pos + 2] != b"\r\n" {
            return Err(ReadError::Bad(400, "malformed chunked body"));
        }
        pos += 2;
    }
}

fn split_target(target: &str) -> (String, Vec<(String, String)>) {
    // Absolute-form targets (proxies) are reduced to their path.
    let target = match target.find("://") {
        Some(i) => {
            let rest = &target[i + 3..];
            rest.find('/').map_or("/", |j| &rest[j..])
        }
        None => target,
    };
    let (path, q) = match target.split_once('?') {
        Some((p, q)) => (p, q),
        None => (target, ""),
    };
    let query = q
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();
    (percent_decode(path, false), query)
}

fn decode(s: &str) -> String {
    percent_decode(s, true)
}

/// Percent-decodes `s` (and `+` as space when `plus` is set); invalid escapes are kept verbatim.
pub(crate) fn percent_decode(s: &str, plus: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A response to write.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON response.
    pub fn json(status: u16, body: &Value) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: serde_json::to_vec(body).unwrap_or_default(),
        }
    }

    /// A response with an explicit content type.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// Status line + headers, with the given `Content-Length`.
    pub fn head_bytes(&self, content_length: usize, keep_alive: bool) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (k, v) in &self.headers {
            head.push_str(k);
            head.push_str(": ");
            head.push_str(v);
            head.push_str("\r\n");
        }
        head.push_str(&format!("Content-Length: {content_length}\r\n"));
        head.push_str("Server: clickairtime-sandbox\r\n");
        head.push_str(if keep_alive {
            "Connection: keep-alive\r\n"
        } else {
            "Connection: close\r\n"
        });
        head.push_str("\r\n");
        head.into_bytes()
    }

    /// Writes the whole response.
    pub fn write_to(&self, stream: &mut TcpStream, keep_alive: bool) -> io::Result<()> {
        let mut bytes = self.head_bytes(self.body.len(), keep_alive);
        bytes.extend_from_slice(&self.body);
        stream.write_all(&bytes)?;
        stream.flush()
    }
}

/// Reason phrase of a status code.
pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split_and_decode() {
        let (p, q) = split_target("/v2/catalog/lookup?phone_number=%2B233541112259&x=a+b&flag");
        assert_eq!(p, "/v2/catalog/lookup");
        assert_eq!(q[0], ("phone_number".into(), "+233541112259".into()));
        assert_eq!(q[1], ("x".into(), "a b".into()));
        assert_eq!(q[2], ("flag".into(), "".into()));
        assert_eq!(percent_decode("%zz%4", true), "%zz%4");
    }

    #[test]
    fn chunked_bodies() {
        let raw = b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\nNEXT";
        let (body, used) = decode_chunked(raw).unwrap().unwrap();
        assert_eq!(body, b"Wikipedia");
        assert_eq!(&raw[used..], b"NEXT");
        assert!(decode_chunked(b"4\r\nWi").unwrap().is_none());
        assert!(decode_chunked(b"zz\r\n").is_err());
    }
}
