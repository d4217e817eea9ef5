//! Malformed input, HTTP details, lifecycle and the binary.

use crate::common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

#[test]
fn garbage_requests_do_not_break_the_server() {
    let sb = start();
    let limit = Duration::from_secs(3);
    let cases: Vec<Vec<u8>> = vec![
        b"\x00\x01\x02\x03garbage\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9 extra\r\n\r\n".to_vec(),
        b"POST /v2/topups HTTP/1.1\r\nContent-Length: abc\r\n\r\n".to_vec(),
        b"POST /v2/topups HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n".to_vec(),
        b"POST /v2/topups HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(),
        format!(
            "POST /adp HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            2 * 1024 * 1024
        )
        .into_bytes(),
        format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(20_000)).into_bytes(),
        {
            let mut v = b"GET / HTTP/1.1\r\n".to_vec();
            for i in 0..100 {
                v.extend_from_slice(format!("X-{i}: y\r\n").as_bytes());
            }
            v.extend_from_slice(b"\r\n");
            v
        },
    ];
    let mut statuses = Vec::new();
    for raw in &cases {
        let (out, _) = raw_exchange(&sb, raw, limit);
        statuses.push(split_response(&out).0);
    }
    assert_eq!(statuses, [400, 400, 400, 400, 400, 413, 431, 431]);
    // Half a request, then the peer goes away.
    {
        let mut s = TcpStream::connect(("127.0.0.1", sb.port())).unwrap();
        s.write_all(b"POST /v2/topups HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"a\"")
            .unwrap();
    }
    let c = Client::new(&sb);
    assert_eq!(c.v2_get("/v2/balance").status, 200);
    let r = c.request("GET", "/nowhere", Auth::None, &[], None).unwrap();
    assert_eq!(r.status, 404);
    // Non-UTF-8 and odd JSON bodies are answered, not panicked on.
    for body in [
        "\u{feff}{}",
        "[]",
        "null",
        "{\"phone_number\": 5, \"network_id\": \"x\"}",
        "{\"msisdn\": {}}",
    ] {
        assert_eq!(
            c.request("POST", "/v2/topups", Auth::V2, &[], Some(body))
                .unwrap()
                .status,
            400,
            "{body}"
        );
        assert_eq!(
            c.request("POST", "/adp", Auth::V1, &[], Some(body))
                .unwrap()
                .status,
            400,
            "{body}"
        );
    }
    assert_eq!(c.v2_get("/v2/topups/%FF%FE").status, 404);
    assert_eq!(
        c.v2_get("/v2/catalog/lookup?network_id=99999999999999999999")
            .status,
        400
    );
}

#[test]
fn keep_alive_pipelining_chunked_and_expect_continue() {
    let sb = start();
    let auth = format!("Authorization: Bearer {}\r\n", sb.api_key());
    let mut s = TcpStream::connect(("127.0.0.1", sb.port())).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    // Two pipelined requests, then a chunked POST with Expect: 100-continue, on one connection.
    let body =
        r#"{"phone_number":"+233541112259","network_id":42,"amount":{"value":5,"currency":"GHS"}}"#;
    let (a, b) = body.split_at(20);
    let req = format!(
        "GET /v2/balance HTTP/1.1\r\nHost: x\r\n{auth}\r\nGET /_sandbox/health HTTP/1.1\r\nHost: x\r\n\r\n\
         POST /v2/topups HTTP/1.1\r\nHost: x\r\n{auth}Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n\
         {:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut reader = BufReader::new(s);
    let mut statuses = Vec::new();
    while statuses.len() < 4 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let status: u16 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).unwrap();
            if h == "\r\n" {
                break;
            }
            if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length: ") {
                len = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0u8; len];
        reader.read_exact(&mut body).unwrap();
        statuses.push(status);
    }
    // 100 Continue may come before the 201 (the body was already sent, so it is optional).
    statuses.retain(|s| *s != 100);
    assert_eq!(statuses, [200, 200, 201]);
    assert_eq!(counts(&sb), (0, 1));
}

#[test]
fn shutdown_and_drop_do_not_hang() {
    let sb = start();
    // An idle keep-alive connection and a connection stuck in a slow answer.
    let _idle = TcpStream::connect(("127.0.0.1", sb.port())).unwrap();
    sb.inject(clickairtime_sandbox::Fault::slow(Duration::from_secs(30)));
    let port = sb.port();
    let waiter = std::thread::spawn(move || {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"GET /v2/balance HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
    });
    std::thread::sleep(Duration::from_millis(100));
    let t = Instant::now();
    sb.shutdown();
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    waiter.join().unwrap();
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());

    let t = Instant::now();
    let sb = start();
    let _idle = TcpStream::connect(("127.0.0.1", sb.port())).unwrap();
    drop(sb);
    assert!(t.elapsed() < Duration::from_secs(2));
}

#[test]
fn sandboxes_are_independent_and_shareable() {
    let a = std::sync::Arc::new(start());
    let b = start();
    assert_ne!(a.port(), b.port());
    assert_ne!(a.api_key(), b.api_key());
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let a = std::sync::Arc::clone(&a);
            std::thread::spawn(move || {
                let c = Client::new(&a);
                let body = topup_body(&format!("+23354100000{i}"), 5.0);
                // Same idempotency key from several threads: exactly one top-up.
                let r = c.v2_post("/v2/topups", &body, Some("shared-key"));
                r.status
            })
        })
        .collect();
    let mut statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    statuses.sort();
    assert_eq!(statuses, [201, 409, 409, 409]);
    assert_eq!(counts(&a), (0, 1));
    assert_eq!(counts(&b), (0, 0));
}

#[test]
fn binary_prints_credentials_and_serves() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clickairtime-sandbox"))
        .args([
            "--port",
            "0",
            "--complete-after-ms",
            "50",
            "--rate-limit",
            "9",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut vars = std::collections::HashMap::new();
    for _ in 0..4 {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let (k, v) = line.trim().split_once('=').unwrap();
        vars.insert(k.to_string(), v.to_string());
    }
    let url = vars["CLICKAIRTIME_SANDBOX_URL"].clone();
    assert!(url.starts_with("http://127.0.0.1:"));
    assert!(vars["CLICKAIRTIME_API_KEY"].starts_with("ce_live_"));
    assert_eq!(
        vars["CLICKAIRTIME_V1_EMAIL"],
        "pos@sandbox.clickairtime.test"
    );
    assert!(!vars["CLICKAIRTIME_V1_TOKEN"].is_empty());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .get(format!("{url}/v2/balance"))
        .header(
            "Authorization",
            format!("Bearer {}", vars["CLICKAIRTIME_API_KEY"]),
        )
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers().get("X-RateLimit-Limit").unwrap(), "9");
    let _ = r.body_mut().read_to_string();
    child.kill().unwrap();
    child.wait().unwrap();
}
