//! The offline commands: `webhooks verify` and `bulk` validation and dry runs.

use crate::common::{Env, fast};

#[test]
fn webhooks_verify() {
    let env = Env::new("verify");
    let key = env.sb.api_key().to_owned();
    let body = br#"{"event":"topup.completed","data":{"id":"t-1","status":"completed","reference":"r-9"}}"#;
    let f = env.dir.path().join("event.json");
    std::fs::write(&f, body).unwrap();
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let sig = clickairtime::webhooks::sign(body, &ts, &key);
    let file = f.to_str().unwrap();
    let (code, v, r) = env.json(&[
        "webhooks",
        "verify",
        "--signature",
        &sig,
        "--timestamp",
        &ts,
        file,
    ]);
    assert_eq!(code, 0, "{r:?}");
    assert_eq!(v["verified"], true);
    assert_eq!(v["event"]["event_type"], "topup.completed");
    // from stdin, with --secret instead of the configured key
    let mut c = env.bare();
    c.args([
        "webhooks",
        "verify",
        "--secret",
        &key,
        "--signature",
        &sig,
        "--timestamp",
        &ts,
        "-",
    ])
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(body).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("verified: topup.completed top-up t-1"));
    // a wrong signature or secret: 1
    // the last hex digit changed (to 0, or to 1 when it already is 0: a fixed "0" left 1 in 16 signatures as
    // they were)
    let last = if sig.ends_with('0') { "1" } else { "0" };
    let bad = format!("{}{last}", &sig[..sig.len() - 1]);
    let (code, v, _) = env.json(&[
        "webhooks",
        "verify",
        "--signature",
        &bad,
        "--timestamp",
        &ts,
        file,
    ]);
    assert_eq!(code, 1);
    assert_eq!(v["verified"], false);
    assert_eq!(v["error"]["kind"], "INVALID_SIGNATURE");
    let r = env.run(&[
        "webhooks",
        "verify",
        "--secret",
        "other",
        "--signature",
        &sig,
        "--timestamp",
        &ts,
        file,
    ]);
    assert_eq!(r.code, 1);
    assert!(!r.all().contains(&key));
    // an old timestamp: refused unless --tolerance 0
    let old = "1000000000";
    let old_sig = clickairtime::webhooks::sign(body, old, &key);
    assert_eq!(
        env.run(&[
            "webhooks",
            "verify",
            "--signature",
            &old_sig,
            "--timestamp",
            old,
            file
        ])
        .code,
        1
    );
    assert_eq!(
        env.run(&[
            "webhooks",
            "verify",
            "--tolerance",
            "0",
            "--signature",
            &old_sig,
            "--timestamp",
            old,
            file
        ])
        .code,
        0
    );
    assert_eq!(
        env.run(&[
            "webhooks",
            "verify",
            "--signature",
            &sig,
            "--timestamp",
            &ts,
            "/nope"
        ])
        .code,
        2
    );
}

#[test]
fn bulk_validates_the_whole_file_and_dry_runs() {
    let env = Env::with("bulk-dry", fast());
    let bad = env.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "phone,amount,currency,reference\n+233541110001,5,GHS,a\n+233541110002,12.345,GHS,b\n0541110003,5,GHS,c\n+233541110004,5,GHS,a\n",
    )
    .unwrap();
    let r = env.run(&["bulk", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{r:?}");
    for line in ["line 3: amount", "line 4: phone", "line 5: reference"] {
        assert!(r.stderr.contains(line), "{line}: {r:?}");
    }
    let (code, v, _) = env.json(&["bulk", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(v["errors"].as_array().unwrap().len(), 3);
    assert!(env.v2_transactions().is_empty());
    let good = env.dir.path().join("pay.csv");
    std::fs::write(
        &good,
        "currency,amount,phone,note\nGHS,5,+233541110001,a\nGHS,7.50,+233541110002,b\nNGN,1000,+2348031110003,c\n,,+233541110004,\n",
    )
    .unwrap();
    // the last row has neither amount nor product
    assert_eq!(
        env.run(&["bulk", good.to_str().unwrap(), "--dry-run"]).code,
        2
    );
    std::fs::write(
        &good,
        "currency,amount,phone,product,note\nGHS,5,+233541110001,,a\nGHS,7.50,+233541110002,,b\nNGN,1000,+2348031110003,,c\n,,+233541110004,101,d\n",
    )
    .unwrap();
    let (code, v, r) = env.json(&["bulk", good.to_str().unwrap(), "--dry-run"]);
    assert_eq!(code, 0, "{r:?}");
    assert_eq!(v["count"], 4);
    assert_eq!(v["totals"]["GHS"], "12.50");
    assert_eq!(v["totals"]["NGN"], "1000");
    assert_eq!(v["totals"]["product 101"], "1");
    let r = env.run(&["bulk", good.to_str().unwrap(), "--dry-run"]);
    assert!(
        r.stdout
            .contains("total: 12.50 GHS, 1000 NGN, 1 x product 101"),
        "{r:?}"
    );
    assert!(env.v2_transactions().is_empty(), "a dry run sends nothing");
    assert!(!env.dir.path().join("pay.report.csv").exists());
}
