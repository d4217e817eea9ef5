//! Webhooks delivered by the sandbox verify and parse.

use super::*;

// ---------------- webhooks ----------------

#[test]
fn webhook_delivered_by_the_sandbox_verifies_and_parses() {
    let s = sandbox();
    let c = v2c(&s);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(false).unwrap();
    let url = format!(
        "http://127.0.0.1:{}/hook",
        listener.local_addr().unwrap().port()
    );
    let r = c
        .topups()
        .create(&CreateTopUp::amount(PHONE, 42, ghs(5), "GHS").callback_url(url))
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming().take(2) {
            let mut conn = conn.unwrap();
            conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                headers.push(line.trim().to_owned());
            }
            let get = |n: &str| {
                headers.iter().find_map(|h| {
                    h.split_once(':')
                        .filter(|(k, _)| k.eq_ignore_ascii_case(n))
                        .map(|(_, v)| v.trim().to_owned())
                })
            };
            let len: usize = get("content-length").unwrap().parse().unwrap();
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .unwrap();
            tx.send((
                get("x-webhook-signature").unwrap(),
                get("x-webhook-timestamp").unwrap(),
                get("x-webhook-event").unwrap(),
                body,
            ))
            .unwrap();
        }
    });
    let (sig, ts, event, body) = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("a webhook arrives");
    let ev = webhooks::construct_event(
        &body,
        &sig,
        &ts,
        s.api_key(),
        Some(webhooks::DEFAULT_TOLERANCE),
    )
    .unwrap();
    assert_eq!(ev.event_type.as_str(), event);
    assert_eq!(ev.topup.as_ref().unwrap().id, r.id);
    assert_eq!(
        c.verify_webhook(&body, &sig, &ts).unwrap().event_type,
        ev.event_type
    );
    let e = webhooks::verify(
        &body,
        &sig,
        &ts,
        "ce_live_wrongwrongwrongwrongwrongwrong00",
        None,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidSignature);
    let mut tampered = body.clone();
    tampered.push(b' ');
    assert!(webhooks::verify(&tampered, &sig, &ts, s.api_key(), None).is_err());
}
