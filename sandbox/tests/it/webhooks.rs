//! Signed webhook delivery to a local receiver.

use crate::common::*;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

struct Received {
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

/// A receiver answering `status` to every request; returns its URL and a channel of requests.
fn receiver(status: u16) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/hooks/airtime",
        listener.local_addr().unwrap().port()
    );
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            s.set_read_timeout(Some(Duration::from_secs(2))).ok();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let parsed = loop {
                let Ok(n) = s.read(&mut chunk) else {
                    break None;
                };
                if n == 0 {
                    break None;
                }
                buf.extend_from_slice(&chunk[..n]);
                let mut hs = [httparse::EMPTY_HEADER; 32];
                let mut req = httparse::Request::new(&mut hs);
                if let Ok(httparse::Status::Complete(len)) = req.parse(&buf) {
                    let headers: Vec<(String, String)> = req
                        .headers
                        .iter()
                        .map(|h| {
                            (
                                h.name.to_string(),
                                String::from_utf8_lossy(h.value).to_string(),
                            )
                        })
                        .collect();
                    let cl: usize = headers
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                        .and_then(|(_, v)| v.parse().ok())
                        .unwrap_or(0);
                    if buf.len() >= len + cl {
                        break Some(Received {
                            headers,
                            body: String::from_utf8_lossy(&buf[len..len + cl]).to_string(),
                        });
                    }
                }
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            if let Some(r) = parsed
                && tx.send(r).is_err()
            {
                return;
            }
        }
    });
    (url, rx)
}

fn hmac_hex(key: &str, msg: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(msg.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[test]
fn signed_events_for_each_transition() {
    let sb = start();
    let c = Client::new(&sb);
    let (url, rx) = receiver(200);
    let body = json!({"phone_number": "+233541112259", "network_id": 42,
        "amount": {"value": 50, "currency": "GHS"}, "callback_url": url});
    let id = c.v2_post("/v2/topups", &body, None).json()["data"]["id"].clone();
    let mut events = Vec::new();
    for _ in 0..2 {
        let r = rx
            .recv_timeout(Duration::from_secs(5))
            .expect("webhook received");
        let ts = r.header("X-Webhook-Timestamp").to_string();
        assert!(ts.parse::<u64>().is_ok());
        assert_eq!(
            r.header("X-Webhook-Signature"),
            hmac_hex(sb.api_key(), &format!("{ts}.{}", r.body))
        );
        assert_eq!(r.header("Content-Type"), "application/json");
        let j: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(j["event"], r.header("X-Webhook-Event"));
        assert_eq!(j["data"]["id"], id);
        events.push((
            j["event"].as_str().unwrap().to_string(),
            j["data"]["status"].as_str().unwrap().to_string(),
        ));
    }
    assert_eq!(
        events,
        [
            ("topup.processing".to_string(), "processing".to_string()),
            ("topup.completed".to_string(), "completed".to_string())
        ]
    );
    // The attempt is logged once the receiver's answer has been read.
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    let mut log = sb.webhook_deliveries();
    while log["deliveries"].as_array().unwrap().len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
        log = sb.webhook_deliveries();
    }
    let d = log["deliveries"].as_array().unwrap();
    assert_eq!(d.len(), 2);
    assert!(
        d.iter()
            .all(|x| x["outcome"] == "delivered" && x["http_status"] == 200)
    );
}

#[test]
fn failed_event_skipped_and_retried_deliveries() {
    let sb = start();
    let c = Client::new(&sb);
    let (url, rx) = receiver(200);
    let body = json!({"phone_number": "+233555000003", "network_id": 42,
        "amount": {"value": 5, "currency": "GHS"}, "callback_url": url});
    c.v2_post("/v2/topups", &body, None);
    let _processing = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    let failed: Value =
        serde_json::from_str(&rx.recv_timeout(Duration::from_secs(5)).unwrap().body).unwrap();
    assert_eq!(failed["event"], "topup.failed");
    assert_eq!(failed["data"]["failure_reason"], "delivery_failed");

    // A non-loopback URL is never called, only recorded.
    let body = json!({"phone_number": "+233541112259", "network_id": 42,
        "amount": {"value": 5, "currency": "GHS"}, "callback_url": "https://example.com/hook"});
    c.v2_post("/v2/topups", &body, None);
    // A receiver answering 500 gets 3 attempts per event.
    let (bad_url, bad_rx) = receiver(500);
    let body = json!({"phone_number": "+233541112259", "network_id": 42,
        "amount": {"value": 6, "currency": "GHS"}, "callback_url": bad_url});
    c.v2_post("/v2/topups", &body, None);
    for _ in 0..6 {
        bad_rx.recv_timeout(Duration::from_secs(5)).expect("retry");
    }
    std::thread::sleep(Duration::from_millis(100));
    let log = c.control_get("/_sandbox/webhooks");
    let d = log["deliveries"].as_array().unwrap();
    let skipped: Vec<&Value> = d
        .iter()
        .filter(|x| x["url"] == "https://example.com/hook")
        .collect();
    assert_eq!(skipped.len(), 2);
    assert!(skipped.iter().all(|x| x["outcome"] == "skipped"));
    let retried: Vec<&Value> = d.iter().filter(|x| x["url"] == bad_url.as_str()).collect();
    assert_eq!(retried.len(), 6);
    assert!(
        retried
            .iter()
            .all(|x| x["outcome"] == "failed" && x["http_status"] == 500)
    );
    assert_eq!(
        retried.iter().map(|x| x["attempt"].as_u64().unwrap()).max(),
        Some(3)
    );
    assert!(
        bad_rx.recv_timeout(Duration::from_millis(700)).is_err(),
        "no fourth attempt"
    );
}
