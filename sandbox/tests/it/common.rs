//! Helpers shared by the integration tests: a small JSON client over ureq and raw-socket helpers.

use clickairtime_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Short timings so the whole suite stays fast.
pub fn fast_config() -> SandboxConfig {
    SandboxConfig::default()
        .processing_after(Duration::from_millis(40))
        .complete_after(Duration::from_millis(150))
        .slow_delay(Duration::from_millis(300))
        .duplicate_window(Duration::from_millis(800))
}

pub fn start() -> Sandbox {
    Sandbox::start_with(fast_config()).expect("sandbox starts")
}

/// A sandbox with roomier timings, for tests that observe intermediate states.
pub fn start_slow() -> Sandbox {
    Sandbox::start_with(
        fast_config()
            .processing_after(Duration::from_millis(150))
            .complete_after(Duration::from_millis(600)),
    )
    .expect("sandbox starts")
}

/// Sleeps long enough for a top-up of [`start_slow`] to become terminal.
pub fn wait_terminal_slow() {
    std::thread::sleep(Duration::from_millis(700));
}

/// Sleeps long enough for a normal top-up to become terminal.
pub fn wait_terminal() {
    std::thread::sleep(Duration::from_millis(250));
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub struct Client {
    agent: ureq::Agent,
    pub base: String,
    pub key: String,
    pub email: String,
    pub token: String,
}

pub enum Auth<'a> {
    None,
    V2,
    V1,
    Bearer(&'a str),
}

impl Client {
    pub fn new(sb: &Sandbox) -> Client {
        Client::with_timeout(sb, Duration::from_secs(10))
    }

    /// A client whose every exchange must finish within `timeout`.
    pub fn with_timeout(sb: &Sandbox, timeout: Duration) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .build()
            .into();
        Client {
            agent,
            base: sb.base_url().to_string(),
            key: sb.api_key().to_string(),
            email: sb.v1_email().to_string(),
            token: sb.v1_token().to_string(),
        }
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        auth: Auth<'_>,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<Resp, ureq::Error> {
        let url = format!("{}{}", self.base, path);
        let mut all: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match auth {
            Auth::None => {}
            Auth::V2 => all.push(("Authorization".into(), format!("Bearer {}", self.key))),
            Auth::Bearer(k) => all.push(("Authorization".into(), format!("Bearer {k}"))),
            Auth::V1 => {
                all.push(("X-Click-Airtime-Email".into(), self.email.clone()));
                all.push(("X-Click-Airtime-Token".into(), self.token.clone()));
            }
        }
        let mut resp = match method {
            "GET" | "DELETE" => {
                let mut rb = if method == "GET" {
                    self.agent.get(&url)
                } else {
                    self.agent.delete(&url)
                };
                for (k, v) in &all {
                    rb = rb.header(k, v);
                }
                rb.call()?
            }
            _ => {
                let mut rb = self
                    .agent
                    .post(&url)
                    .header("Content-Type", "application/json");
                for (k, v) in &all {
                    rb = rb.header(k, v);
                }
                rb.send(body.unwrap_or(""))?
            }
        };
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = resp.body_mut().read_to_string()?;
        Ok(Resp {
            status,
            headers,
            body,
        })
    }

    pub fn v2_get(&self, path: &str) -> Resp {
        self.request("GET", path, Auth::V2, &[], None)
            .expect("request")
    }

    pub fn v2_post(&self, path: &str, body: &Value, idem: Option<&str>) -> Resp {
        self.try_v2_post(path, body, idem).expect("request")
    }

    pub fn try_v2_post(
        &self,
        path: &str,
        body: &Value,
        idem: Option<&str>,
    ) -> Result<Resp, ureq::Error> {
        let headers: Vec<(&str, &str)> = idem.map(|k| ("Idempotency-Key", k)).into_iter().collect();
        self.request("POST", path, Auth::V2, &headers, Some(&body.to_string()))
    }

    pub fn v1_get(&self, path: &str) -> Resp {
        self.request("GET", path, Auth::V1, &[], None)
            .expect("request")
    }

    pub fn v1_post(&self, body: &Value) -> Resp {
        self.try_v1_post(body).expect("request")
    }

    pub fn try_v1_post(&self, body: &Value) -> Result<Resp, ureq::Error> {
        self.request("POST", "/adp", Auth::V1, &[], Some(&body.to_string()))
    }

    pub fn control_get(&self, path: &str) -> Value {
        self.request("GET", path, Auth::None, &[], None)
            .expect("request")
            .json()
    }

    pub fn control_post(&self, path: &str, body: &Value) -> Resp {
        self.request("POST", path, Auth::None, &[], Some(&body.to_string()))
            .expect("request")
    }
}

/// A V2 custom-airtime body.
pub fn topup_body(phone: &str, value: f64) -> Value {
    serde_json::json!({
        "phone_number": phone,
        "network_id": 42,
        "amount": {"value": value, "currency": "GHS"},
    })
}

/// Counts of committed transactions.
pub fn counts(sb: &Sandbox) -> (usize, usize) {
    let t = sb.transactions();
    (
        t["v1"].as_array().map_or(0, Vec::len),
        t["v2"].as_array().map_or(0, Vec::len),
    )
}

/// Sends raw bytes and reads until the peer closes (or `limit` passes). Returns bytes and elapsed time.
pub fn raw_exchange(sb: &Sandbox, request: &[u8], limit: Duration) -> (Vec<u8>, Duration) {
    let mut s = TcpStream::connect(("127.0.0.1", sb.port())).expect("connect");
    s.set_read_timeout(Some(limit)).unwrap();
    let start = Instant::now();
    s.write_all(request).expect("write");
    let mut out = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&chunk[..n]),
            Err(_) => break,
        }
        if start.elapsed() > limit {
            break;
        }
    }
    (out, start.elapsed())
}

/// A raw POST request with `Connection: close`.
pub fn raw_post(path: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut s = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str("\r\n");
    s.push_str(body);
    s.into_bytes()
}

/// Splits a raw response into (status, head, body).
pub fn split_response(raw: &[u8]) -> (u16, String, Vec<u8>) {
    let text = String::from_utf8_lossy(raw);
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("complete head");
    let head = text[..end].to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, raw[end + 4..].to_vec())
}

pub fn is_request_id(s: &str) -> bool {
    s.len() == 16
        && s.starts_with("req_")
        && s[4..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

pub fn is_iso_millis(s: &str) -> bool {
    // 2024-01-15T10:30:00.000Z
    let b = s.as_bytes();
    s.len() == 24 && b[4] == b'-' && b[10] == b'T' && b[19] == b'.' && b[23] == b'Z'
}
