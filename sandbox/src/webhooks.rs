//! Webhook delivery: a background thread notices status transitions of top-ups with a `callback_url`
//! and POSTs signed events to loopback URLs.

use crate::shared::Shared;
use crate::state::{Outcome, PendingDelivery, Phase};
use crate::util::{self, sleep_unless};
use crate::v2;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TICK: Duration = Duration::from_millis(20);
const MAX_ATTEMPTS: u32 = 3;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
const IO_TIMEOUT: Duration = Duration::from_secs(2);

/// Runs until the sandbox stops.
pub(crate) fn run(shared: Arc<Shared>) {
    while !shared.stopping() {
        tick(&shared);
        sleep_unless(TICK, &shared.stop);
    }
}

fn tick(shared: &Shared) {
    let due: Vec<PendingDelivery> = {
        let mut st = shared.lock();
        let now = Instant::now();
        let generation = st.generation;
        let secret = shared.cfg.api_key.clone();
        let mut fresh = Vec::new();
        for t in st.v2.iter_mut() {
            let Some(url) = t.callback_url.clone() else {
                continue;
            };
            let phase = t.timeline.phase(now);
            let mut events: Vec<(&'static str, Phase)> = Vec::new();
            if phase >= Phase::Processing && t.webhook_stage < 1 {
                events.push(("topup.processing", Phase::Processing));
                t.webhook_stage = 1;
            }
            if phase == Phase::Terminal && t.webhook_stage < 2 {
                let event = if t.timeline.outcome == Outcome::Success {
                    "topup.completed"
                } else {
                    "topup.failed"
                };
                events.push((event, Phase::Terminal));
                t.webhook_stage = 2;
            }
            for (event, at) in events {
                let body = json!({"event": event, "data": v2::topup_json_at(t, at)});
                fresh.push(PendingDelivery {
                    generation,
                    topup_id: t.id.clone(),
                    event,
                    url: url.clone(),
                    body: serde_json::to_string(&body).unwrap_or_default(),
                    secret: secret.clone(),
                    attempt: 0,
                    next_at: now,
                });
            }
        }
        st.webhook_queue.extend(fresh);
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut st.webhook_queue)
            .into_iter()
            .partition(|d| d.next_at <= now);
        st.webhook_queue = later;
        due
    };
    for mut d in due {
        if shared.stopping() {
            return;
        }
        d.attempt += 1;
        let result = attempt(&d);
        let mut st = shared.lock();
        if st.generation != d.generation {
            continue;
        }
        log::debug!(
            "webhook {} for {} attempt {}: {}",
            d.event,
            d.topup_id,
            d.attempt,
            result.outcome
        );
        st.webhook_log.push(json!({
            "topup_id": d.topup_id,
            "event": d.event,
            "url": d.url,
            "attempt": d.attempt,
            "outcome": result.outcome,
            "http_status": result.http_status,
            "error": result.error,
            "timestamp": util::now_iso(),
            "headers": {
                "X-Webhook-Event": d.event,
                "X-Webhook-Timestamp": result.timestamp,
                "X-Webhook-Signature": result.signature,
            },
            "body": d.body,
        }));
        if result.outcome == "failed" && d.attempt < MAX_ATTEMPTS {
            d.next_at = Instant::now() + Duration::from_millis(250) * d.attempt;
            st.webhook_queue.push(d);
        }
    }
}

struct AttemptResult {
    outcome: &'static str,
    http_status: Option<u16>,
    error: Option<String>,
    timestamp: Value,
    signature: Value,
}

/// Host, port and path of an `http://` URL whose host is a loopback address.
fn loopback_target(url: &str) -> Result<(SocketAddr, String, String), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or("only http:// loopback URLs are called by the sandbox")?;
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) if rest.as_bytes()[i] == b'/' => (&rest[..i], rest[i..].to_string()),
        Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
        None => (rest, "/".to_string()),
    };
    if authority.contains('@') {
        return Err("credentials in webhook URLs are not supported".into());
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, p) = v6.split_once(']').ok_or("malformed host")?;
        (h, p.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port: u16 = match port {
        None | Some("") => 80,
        Some(p) => p.parse().map_err(|_| "malformed port".to_string())?,
    };
    let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        host.parse()
            .map_err(|_| format!("host {host:?} is not a loopback address"))?
    };
    if !ip.is_loopback() {
        return Err(format!("host {host:?} is not a loopback address"));
    }
    Ok((SocketAddr::new(ip, port), authority.to_string(), path))
}

fn attempt(d: &PendingDelivery) -> AttemptResult {
    let (addr, host, path) = match loopback_target(&d.url) {
        Ok(t) => t,
        Err(e) => {
            return AttemptResult {
                outcome: "skipped",
                http_status: None,
                error: Some(e),
                timestamp: Value::Null,
                signature: Value::Null,
            };
        }
    };
    let ts = util::unix_now().to_string();
    let signature = util::hmac_hex(d.secret.as_bytes(), format!("{ts}.{}", d.body).as_bytes());
    let result = post(addr, &host, &path, d, &ts, &signature);
    let (outcome, http_status, error) = match result {
        Ok(s) if (200..300).contains(&s) => ("delivered", Some(s), None),
        Ok(s) => (
            "failed",
            Some(s),
            Some(format!("receiver answered HTTP {s}")),
        ),
        Err(e) => ("failed", None, Some(e)),
    };
    AttemptResult {
        outcome,
        http_status,
        error,
        timestamp: Value::String(ts),
        signature: Value::String(signature),
    }
}

fn post(
    addr: SocketAddr,
    host: &str,
    path: &str,
    d: &PendingDelivery,
    ts: &str,
    sig: &str,
) -> Result<u16, String> {
    let mut s =
        TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT).map_err(|e| format!("connect: {e}"))?;
    let _ = s.set_read_timeout(Some(IO_TIMEOUT));
    let _ = s.set_write_timeout(Some(IO_TIMEOUT));
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         X-Webhook-Event: {}\r\nX-Webhook-Timestamp: {ts}\r\nX-Webhook-Signature: {sig}\r\n\
         User-Agent: clickairtime-sandbox-webhooks\r\nConnection: close\r\n\r\n",
        d.body.len(),
        d.event
    );
    s.write_all(head.as_bytes())
        .and_then(|_| s.write_all(d.body.as_bytes()))
        .and_then(|_| s.flush())
        .map_err(|e| format!("write: {e}"))?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(2).any(|w| w == b"\r\n") && buf.len() < 8192 {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(format!("read: {e}")),
        }
    }
    let line = String::from_utf8_lossy(&buf);
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|_| line.starts_with("HTTP/"))
        .ok_or_else(|| "no HTTP status line in the answer".to_string())?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_targets() {
        let (addr, host, path) = loopback_target("http://127.0.0.1:8080/hook?x=1").unwrap();
        assert_eq!(addr.port(), 8080);
        assert_eq!(host, "127.0.0.1:8080");
        assert_eq!(path, "/hook?x=1");
        assert!(loopback_target("http://localhost:9").is_ok());
        assert!(loopback_target("http://[::1]:9/x").is_ok());
        assert!(loopback_target("https://127.0.0.1/x").is_err());
        assert!(loopback_target("http://example.com/x").is_err());
        assert!(loopback_target("http://10.0.0.1/x").is_err());
        assert!(loopback_target("http://user@127.0.0.1/x").is_err());
    }
}
