//! `webhooks verify` and `webhooks listen`.

use crate::args::{ListenArgs, VerifyArgs};
use crate::output::{Failure, code, iso_ms, json_result, out, out_json, warn};
use crate::{Ctx, interrupt};
use clickairtime::ErrorKind;
use clickairtime::webhooks::{self, WebhookEvent};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 1024 * 1024;

fn secret(ctx: &Ctx, flag: &Option<String>) -> Result<String, Failure> {
    flag.clone()
        .filter(|s| !s.is_empty())
        .or_else(|| ctx.s.api_key.clone())
        .ok_or_else(|| {
            Failure::usage(format!(
                "no signing secret: pass --secret (your V2 API key), --api-key, set {}, or put api_key in {}",
                crate::settings::ENV_API_KEY,
                ctx.s.config_hint()
            ))
        })
}

fn tolerance(secs: u64) -> Option<Duration> {
    (secs > 0).then(|| Duration::from_secs(secs))
}

/// One line about an event: type, and the top-up it carries.
fn event_line(ev: &WebhookEvent) -> String {
    let mut s = ev.event_type.to_string();
    if let Some(t) = &ev.topup {
        s.push_str(&format!(" top-up {} {}", t.id, t.status));
        if let Some(m) = &t.amount {
            s.push_str(&format!(" {} {}", m.value, m.currency));
        }
        if let Some(p) = &t.phone_number {
            s.push_str(&format!(" to {p}"));
        }
        if let Some(r) = &t.reference {
            s.push_str(&format!(", reference {r}"));
        }
        if let Some(f) = &t.failure_reason {
            s.push_str(&format!(", failure reason {f}"));
        }
    }
    s
}

pub(crate) fn verify(ctx: &Ctx, a: &VerifyArgs) -> Result<i32, Failure> {
    let secret = secret(ctx, &a.secret)?;
    let body = if a.file == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut b)
            .map_err(|e| Failure::usage(format!("cannot read stdin: {e}")))?;
        b
    } else {
        std::fs::read(&a.file)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", a.file)))?
    };
    match webhooks::construct_event(
        &body,
        a.signature.trim(),
        a.timestamp.trim(),
        &secret,
        tolerance(a.tolerance),
    ) {
        Ok(ev) => {
            if ctx.json {
                json_result(code::OK, json!({"verified": true, "event": ev}));
            } else {
                out(&format!("verified: {}", event_line(&ev)));
            }
            Ok(code::OK)
        }
        Err(e) if e.kind() == ErrorKind::InvalidSignature => Err(Failure::new(
            code::NOT_SENT,
            "invalid_signature",
            format!("NOT verified: {}", e.message()),
        )
        .with_error(&e)
        .with("verified", false)),
        Err(e) => Err(Failure::new(
            code::NOT_SENT,
            "error",
            format!("the signature verified, but the body is not a webhook event: {e}"),
        )
        .with_error(&e)
        .with("verified", true)),
    }
}

fn check_forward(url: &str) -> Result<(), Failure> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Ok(());
    }
    if let Some(rest) = lower.strip_prefix("http://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = if authority.starts_with('[') {
            authority
                .split(']')
                .next()
                .unwrap_or("")
                .trim_start_matches('[')
        } else {
            authority.split(':').next().unwrap_or("")
        };
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if loopback {
            return Ok(());
        }
    }
    Err(Failure::usage(format!(
        "--forward {url:?}: give an http:// URL on a loopback host (127.0.0.1, localhost) or an https:// URL"
    )))
}

/// A request as read from the socket.
struct Incoming {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Incoming {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn respond(stream: &mut TcpStream, status: u16, body: &[u8]) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Payload Too Large",
        502 => "Bad Gateway",
        _ => "Status",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

fn read_request(stream: &mut TcpStream) -> Result<Incoming, (u16, String)> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_HEAD {
            return Err((413, "request head too large".into()));
        }
        match stream.read(&mut chunk) {
            Ok(0) => {
                return Err((
                    400,
                    "connection closed before the request was complete".into(),
                ));
            }
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) => return Err((400, format!("cannot read the request: {e}"))),
        }
    };
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(&buf[..head_end]) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => return Err((400, "malformed request".into())),
    }
    let method = req.method.unwrap_or("").to_owned();
    let path = req.path.unwrap_or("/").to_owned();
    let headers: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_owned(),
                String::from_utf8_lossy(h.value).trim().to_owned(),
            )
        })
        .collect();
    let inc = |headers| Incoming {
        method: method.clone(),
        path: path.clone(),
        headers,
        body: Vec::new(),
    };
    let mut incoming = inc(headers);
    if incoming
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    {
        return Err((
            411,
            "chunked bodies are not supported: send Content-Length".into(),
        ));
    }
    let len: usize = match incoming.header("content-length") {
        Some(v) => v
            .parse()
            .map_err(|_| (400, "bad Content-Length".to_owned()))?,
        None => 0,
    };
    if len > MAX_BODY {
        return Err((413, "body too large".into()));
    }
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        match stream.read(&mut chunk) {
            Ok(0) => return Err((400, "connection closed before the body was complete".into())),
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e) => return Err((400, format!("cannot read the body: {e}"))),
        }
    }
    body.truncate(len);
    incoming.body = body;
    Ok(incoming)
}

fn now_iso() -> String {
    let ms = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    iso_ms(ms)
}

struct Listener<'a> {
    ctx: &'a Ctx,
    secret: String,
    tolerance: Option<Duration>,
    forward: Option<(String, ureq::Agent)>,
}

impl Listener<'_> {
    /// Handle one connection. `Some(verified)` when it was a delivery.
    fn handle(&self, mut stream: TcpStream) -> Option<bool> {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
        let req = match read_request(&mut stream) {
            Ok(r) => r,
            Err((status, msg)) => {
                respond(
                    &mut stream,
                    status,
                    json!({"error": msg}).to_string().as_bytes(),
                );
                return None;
            }
        };
        if req.method != "POST" {
            let status = if req.method == "GET" || req.method == "HEAD" {
                200
            } else {
                405
            };
            respond(
                &mut stream,
                status,
                br#"{"listener":"clickairtime webhooks listen","hint":"POST signed webhook deliveries here"}"#,
            );
            return None;
        }
        let sig = req.header("x-webhook-signature").unwrap_or("").to_owned();
        let ts = req.header("x-webhook-timestamp").unwrap_or("").to_owned();
        let verdict = if sig.is_empty() || ts.is_empty() {
            Err("missing X-Webhook-Signature or X-Webhook-Timestamp".to_owned())
        } else {
            webhooks::construct_event(&req.body, &sig, &ts, &self.secret, self.tolerance)
                .map_err(|e| e.message().to_owned())
        };
        let at = now_iso();
        match verdict {
            Ok(ev) => {
                let (status, answer, forwarded) = self.forward(&req);
                respond(&mut stream, status, &answer);
                if self.ctx.json {
                    out_json(&json!({
                        "received_at": at,
                        "path": req.path,
                        "verified": true,
                        "event_type": ev.event_type.as_str(),
                        "event": ev,
                        "forwarded": forwarded,
                    }));
                } else {
                    let fwd = match &forwarded {
                        Value::Null => String::new(),
                        v => match v.get("status") {
                            Some(s) => format!(" -> forwarded: {s}"),
                            None => format!(
                                " -> forward FAILED: {}",
                                v.get("error").and_then(Value::as_str).unwrap_or("")
                            ),
                        },
                    };
                    out(&format!("{at}  verified  {}{fwd}", event_line(&ev)));
                }
                Some(true)
            }
            Err(msg) => {
                respond(
                    &mut stream,
                    401,
                    json!({"error": "invalid webhook signature", "detail": msg})
                        .to_string()
                        .as_bytes(),
                );
                if self.ctx.json {
                    out_json(&json!({
                        "received_at": at,
                        "path": req.path,
                        "verified": false,
                        "error": msg,
                        "event_header": req.header("x-webhook-event"),
                    }));
                } else {
                    out(&format!(
                        "{at}  REJECTED  {} ({msg}); answered 401, not forwarded",
                        req.header("x-webhook-event").unwrap_or("delivery")
                    ));
                }
                Some(false)
            }
        }
    }

    /// Forward the raw body and the X-Webhook-* headers; the answer to give the sender.
    fn forward(&self, req: &Incoming) -> (u16, Vec<u8>, Value) {
        let Some((url, agent)) = &self.forward else {
            return (200, br#"{"received":true}"#.to_vec(), Value::Null);
        };
        let mut r = agent.post(url.as_str()).header(
            "Content-Type",
            req.header("content-type").unwrap_or("application/json"),
        );
        for (k, v) in &req.headers {
            if k.to_ascii_lowercase().starts_with("x-webhook-") {
                r = r.header(k.as_str(), v.as_str());
            }
        }
        match r.send(&req.body[..]) {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                let body = resp
                    .body_mut()
                    .with_config()
                    .limit(MAX_BODY as u64)
                    .read_to_vec()
                    .unwrap_or_default();
                (status, body, json!({"url": url, "status": status}))
            }
            Err(e) => (
                502,
                json!({"error": format!("forward failed: {e}")})
                    .to_string()
                    .into_bytes(),
                json!({"url": url, "error": e.to_string()}),
            ),
        }
    }
}

pub(crate) fn listen(ctx: &Ctx, a: &ListenArgs) -> Result<i32, Failure> {
    let secret = secret(ctx, &a.secret)?;
    if let Some(f) = &a.forward {
        check_forward(f)?;
    }
    let listener = TcpListener::bind(("127.0.0.1", a.port)).map_err(|e| {
        Failure::new(
            code::NOT_SENT,
            "error",
            format!("cannot listen on 127.0.0.1:{}: {e}", a.port),
        )
    })?;
    let port = listener.local_addr().map(|s| s.port()).unwrap_or(a.port);
    listener
        .set_nonblocking(true)
        .map_err(|e| Failure::new(code::NOT_SENT, "error", format!("cannot listen: {e}")))?;
    let url = format!("http://127.0.0.1:{port}/");
    let forward = a.forward.clone().map(|u| {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(15)))
            .build();
        (u, ureq::Agent::new_with_config(config))
    });
    let stop = Arc::new(AtomicBool::new(false));
    let _guard = interrupt::on_interrupt(stop.clone(), None, None);
    if ctx.json {
        out_json(&json!({"listening": url, "forward": a.forward}));
    } else {
        out(&format!("listening on {url}"));
        warn(&format!(
            "give {url} as a top-up's callback_url (send --callback-url {url}); deliveries are verified with the configured API key{}; Ctrl-C stops",
            match &a.forward {
                Some(f) => format!(" and forwarded to {f}"),
                None => String::new(),
            }
        ));
    }
    let l = Listener {
        ctx,
        secret,
        tolerance: tolerance(a.tolerance),
        forward,
    };
    let (mut seen, mut rejected) = (0u64, 0u64);
    while !stop.load(Ordering::SeqCst) && a.max_events.is_none_or(|m| seen < m) {
        match listener.accept() {
            Ok((stream, _)) => {
                let _ = stream.set_nonblocking(false);
                if let Some(ok) = l.handle(stream) {
                    seen += 1;
                    if !ok {
                        rejected += 1;
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(e) => {
                warn(&format!("accept failed: {e}"));
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
    if !ctx.json {
        warn(&format!(
            "stopped: {seen} delivery(ies), {rejected} failed to verify"
        ));
    }
    Ok(if rejected > 0 {
        code::NOT_SENT
    } else {
        code::OK
    })
}
