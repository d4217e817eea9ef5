//! Long-running commands: `sandbox`, `webhooks listen`.

use crate::common::{Env, TempDir, clean, http, interrupt, run};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Lines of a child's stdout, as they come.
fn lines_of(child: &mut std::process::Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn wait_exit(child: &mut std::process::Child, within: Duration) -> Option<i32> {
    let t = Instant::now();
    while t.elapsed() < within {
        if let Some(s) = child.try_wait().unwrap() {
            return s.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn sandbox_prints_its_url_and_credentials_and_serves_until_ctrl_c() {
    let dir = TempDir::new("sandbox-cmd");
    let mut child = clean(dir.path())
        .args(["sandbox", "--port", "0", "--complete-after-ms", "100"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rx = lines_of(&mut child);
    let mut vars = HashMap::new();
    while vars.len() < 5 {
        let line = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("sandbox prints KEY=value lines");
        let (k, v) = line.split_once('=').expect("KEY=value");
        vars.insert(k.to_owned(), v.to_owned());
    }
    let url = vars["CLICKAIRTIME_SANDBOX_URL"].clone();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(vars["CLICKAIRTIME_BASE_URL"], url);
    assert!(vars["CLICKAIRTIME_API_KEY"].starts_with("ce_live_"));
    let (status, body) = http(&format!("{url}/_sandbox/health"), "GET", &[], b"");
    assert_eq!((status, body.trim()), (200, r#"{"ok":true}"#));
    // the printed credentials work with the command itself
    let journal = dir.path().join("j.sqlite");
    let r = run({
        let mut c = clean(dir.path());
        c.env("CLICKAIRTIME_API_KEY", &vars["CLICKAIRTIME_API_KEY"])
            .env("CLICKAIRTIME_BASE_URL", &url)
            .env("CLICKAIRTIME_V1_EMAIL", &vars["CLICKAIRTIME_V1_EMAIL"])
            .env("CLICKAIRTIME_V1_TOKEN", &vars["CLICKAIRTIME_V1_TOKEN"])
            .env("CLICKAIRTIME_JOURNAL", &journal)
            .args([
                "send",
                "+233541112259",
                "--amount",
                "5",
                "--currency",
                "GHS",
                "--wait",
            ]);
        c
    });
    assert_eq!(r.code, 0, "{r:?}");
    let r = run({
        let mut c = clean(dir.path());
        c.env("CLICKAIRTIME_V1_EMAIL", &vars["CLICKAIRTIME_V1_EMAIL"])
            .env("CLICKAIRTIME_V1_TOKEN", &vars["CLICKAIRTIME_V1_TOKEN"])
            .args(["--v1", "--base-url", &url, "balance"]);
        c
    });
    assert_eq!(r.code, 0, "{r:?}");
    interrupt(&child);
    assert_eq!(wait_exit(&mut child, Duration::from_secs(10)), Some(0));
    assert!(
        std::net::TcpStream::connect(url.trim_start_matches("http://")).is_err(),
        "stopped"
    );
}

/// A one-shot local HTTP server that records what it receives and answers 204.
fn forward_target() -> (String, mpsc::Receiver<(String, Vec<u8>)>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks/in", l.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { break };
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let (head, len) = loop {
                let n = s.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    break (String::new(), 0);
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..i]).into_owned();
                    let len = head
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse::<usize>().ok())?
                        })
                        .unwrap_or(0);
                    buf.drain(..i + 4);
                    break (head, len);
                }
            };
            while buf.len() < len {
                let n = s.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let _ = s.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
            if tx.send((head, buf)).is_err() {
                break;
            }
        }
    });
    (url, rx)
}

#[test]
fn webhooks_listen_verifies_sandbox_deliveries_and_forwards_them() {
    let env = Env::new("listen");
    let (target, forwarded) = forward_target();
    let mut child = env
        .cmd(&[
            "--json",
            "webhooks",
            "listen",
            "--port",
            "0",
            "--max-events",
            "3",
            "--forward",
            &target,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rx = lines_of(&mut child);
    let first: Value =
        serde_json::from_str(&rx.recv_timeout(Duration::from_secs(10)).unwrap()).unwrap();
    let url = first["listening"].as_str().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    // a forged delivery is answered 401 and not forwarded
    let (status, _) = http(
        &url,
        "POST",
        &[
            ("Content-Type", "application/json"),
            ("X-Webhook-Signature", "00"),
            ("X-Webhook-Timestamp", "1700000000"),
            ("X-Webhook-Event", "topup.completed"),
        ],
        br#"{"event":"topup.completed","data":{"id":"forged","status":"completed"}}"#,
    );
    assert_eq!(status, 401);
    let rejected: Value =
        serde_json::from_str(&rx.recv_timeout(Duration::from_secs(5)).unwrap()).unwrap();
    assert_eq!(rejected["verified"], false);
    // a real top-up with the listener as callback: processing + completed, signed by the sandbox
    let (code, v, r) = env.json(&[
        "send",
        "+233541115001",
        "--amount",
        "5",
        "--currency",
        "GHS",
        "--callback-url",
        &url,
        "--wait",
    ]);
    assert_eq!(code, 0, "{r:?}");
    let id = v["topup"]["id"].as_str().unwrap().to_owned();
    let mut types = Vec::new();
    for _ in 0..2 {
        let ev: Value =
            serde_json::from_str(&rx.recv_timeout(Duration::from_secs(10)).unwrap()).unwrap();
        assert_eq!(ev["verified"], true, "{ev}");
        assert_eq!(ev["event"]["topup"]["id"], id.as_str());
        assert_eq!(ev["forwarded"]["status"], 204, "{ev}");
        types.push(ev["event_type"].as_str().unwrap().to_owned());
    }
    assert_eq!(types, ["topup.processing", "topup.completed"]);
    // 3 deliveries seen, one of them forged: exit 1
    assert_eq!(wait_exit(&mut child, Duration::from_secs(10)), Some(1));
    // the forward target got both verified deliveries, raw and with their signature headers
    for _ in 0..2 {
        let (head, body) = forwarded.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(head.starts_with("POST /hooks/in "), "{head}");
        let lower = head.to_ascii_lowercase();
        let sig = lower
            .lines()
            .find_map(|l| l.strip_prefix("x-webhook-signature: "))
            .expect("signature forwarded")
            .to_owned();
        let ts = lower
            .lines()
            .find_map(|l| l.strip_prefix("x-webhook-timestamp: "))
            .expect("timestamp forwarded")
            .to_owned();
        assert!(
            clickairtime::webhooks::verify(&body, &sig, &ts, env.sb.api_key(), None).is_ok(),
            "the raw body is forwarded unchanged"
        );
    }
    assert!(
        forwarded.try_recv().is_err(),
        "the forged one was not forwarded"
    );
}

#[test]
fn webhooks_listen_refuses_a_remote_forward_and_stops_on_ctrl_c() {
    let env = Env::new("listen2");
    let r = env.run(&["webhooks", "listen", "--forward", "http://example.com/hook"]);
    assert_eq!(r.code, 2, "{r:?}");
    let mut child = env
        .cmd(&["webhooks", "listen", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rx = lines_of(&mut child);
    let line = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(line.starts_with("listening on http://127.0.0.1:"), "{line}");
    let url = line.trim_start_matches("listening on ").to_owned();
    let (status, _) = http(&url, "GET", &[], b"");
    assert_eq!(status, 200);
    interrupt(&child);
    assert_eq!(wait_exit(&mut child, Duration::from_secs(10)), Some(0));
}
