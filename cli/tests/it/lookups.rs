//! `status`, `list` and `wait`, for V2 and V1.

use crate::common::Env;

#[test]
fn status_list_and_wait() {
    let env = Env::new("status");
    let (code, v, _) = env.json(&[
        "send",
        "+233541113001",
        "--amount",
        "5",
        "--currency",
        "GHS",
        "--reference",
        "st-1",
    ]);
    assert_eq!(code, 0);
    let id = v["topup"]["id"].as_str().unwrap().to_owned();
    // wait by id, then status by id and by reference
    let (code, v, r) = env.json(&["wait", &id, "--timeout", "10"]);
    assert_eq!(code, 0, "{r:?}");
    assert_eq!(v["status"], "completed");
    let (code, v, _) = env.json(&["status", &id]);
    assert_eq!(code, 0);
    assert_eq!(v["topup"]["reference"], "st-1");
    let r = env.run(&["status", "--reference", "st-1"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("delivered"), "{r:?}");
    // not found: 1
    let (code, v, _) = env.json(&["status", "--reference", "nobody"]);
    assert_eq!(code, 1);
    assert_eq!(v["outcome"], "not_found");
    assert_eq!(
        env.run(&["status", "00000000-0000-4000-8000-000000000000"])
            .code,
        1
    );
    assert_eq!(env.run(&["status"]).code, 2, "an id or a reference");
    // not final yet: 4; a wait that ends before it is final: 4
    let (_, v, _) = env.json(&[
        "send",
        "+233555000010",
        "--amount",
        "5",
        "--currency",
        "GHS",
    ]);
    let slow_id = v["topup"]["id"].as_str().unwrap().to_owned();
    assert_eq!(env.run(&["status", &slow_id]).code, 4);
    let (code, v, _) = env.json(&["wait", &slow_id, "--timeout", "1"]);
    assert_eq!(code, 4);
    assert_eq!(v["outcome"], "still_pending");
    // a failed delivery: 1
    let (_, v, _) = env.json(&[
        "send",
        "+233555000003",
        "--amount",
        "5",
        "--currency",
        "GHS",
        "--wait",
    ]);
    let failed_id = v["topup"]["id"].as_str().unwrap().to_owned();
    assert_eq!(env.run(&["status", &failed_id]).code, 1);
    assert_eq!(env.run(&["wait", "--reference", "st-1"]).code, 0);
    // list: table, CSV, JSON, filters, --since/--until
    let r = env.run(&["list"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("st-1") && r.stdout.contains("3 top-up(s)"),
        "{r:?}"
    );
    let (code, v, _) = env.json(&["list", "--reference", "st-1"]);
    assert_eq!(code, 0);
    assert_eq!(v["count"], 1);
    assert_eq!(v["topups"][0]["id"], id);
    let (_, v, _) = env.json(&["list", "--status", "failed"]);
    assert_eq!(v["count"], 1);
    let r = env.run(&["list", "--format", "csv", "--since", "1h"]);
    assert_eq!(r.code, 0);
    let mut lines = r.stdout.lines();
    assert!(lines.next().unwrap().starts_with("id,status,phone_number"));
    assert_eq!(lines.count(), 3);
    let (_, v, _) = env.json(&["list", "--since", "yesterday", "--until", "yesterday"]);
    assert_eq!(v["count"], 0, "nothing yesterday");
    let (_, v, _) = env.json(&["list", "--limit", "2"]);
    assert_eq!(v["count"], 2);
    assert_eq!(v["truncated"], true);
    assert_eq!(env.run(&["list", "--since", "last tuesday"]).code, 2);
    assert_eq!(
        env.run(&["list", "--per-page", "500", "--page", "1"]).code,
        2
    );
}

#[test]
fn v1_send_status_list_wait() {
    let env = Env::new("v1");
    let (code, v, r) = env.json(&[
        "--v1",
        "send",
        "233541114001",
        "--amount",
        "5",
        "--reference",
        "v1-1",
    ]);
    assert_eq!(code, 0, "{r:?}");
    assert_eq!(v["api"], "v1");
    assert_eq!(v["origin"], "created");
    let (code, v, _) = env.json(&[
        "--v1",
        "send",
        "+233541114001",
        "--amount",
        "5",
        "--reference",
        "v1-1",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["origin"], "journal");
    let v1_count = |r: &str| {
        env.sb.transactions()["v1"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["extRefId"] == r)
            .count()
    };
    assert_eq!(v1_count("v1-1"), 1);
    let (code, v, _) = env.json(&["--v1", "status", "--reference", "v1-1"]);
    assert_eq!(code, 0);
    let id = v["transaction"]["transaction_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(env.run(&["--v1", "status", &id]).code, 0);
    let (code, v, _) = env.json(&["--v1", "list", "--phone", "233541114001"]);
    assert_eq!(code, 0);
    assert_eq!(v["count"], 1);
    let r = env.run(&["--v1", "list", "--reference", "v1-1", "--format", "csv"]);
    assert!(r.stdout.starts_with("transaction_id,state"), "{r:?}");
    assert_eq!(env.run(&["--v1", "list"]).code, 2, "V1 needs a filter");
    assert_eq!(
        env.run(&["--v1", "list", "--since", "1h", "--phone", "233541114001"])
            .code,
        2
    );
    assert_eq!(env.run(&["--v1", "wait", "--reference", "v1-1"]).code, 0);
    assert_eq!(env.run(&["--v1", "wait", &id]).code, 0);
    // not sent: low balance (code 20)
    let (code, v, _) = env.json(&["--v1", "send", "233555000001", "--amount", "5"]);
    assert_eq!(code, 1);
    assert_eq!(v["error"]["kind"], "INSUFFICIENT_BALANCE");
    // a pending SYNC answer, then --wait
    let (code, v, r) = env.json(&["--v1", "send", "233555000012", "--amount", "5", "--wait"]);
    assert_eq!(code, 0, "{r:?}");
    assert_eq!(v["outcome"], "delivered");
    assert_eq!(
        env.run(&["--v1", "status", "--reference", "none-such"])
            .code,
        1
    );
    assert_eq!(
        env.run(&[
            "--v1",
            "send",
            "233541114002",
            "--amount",
            "5",
            "--currency",
            "GHS"
        ])
        .code,
        2,
        "no currency in V1"
    );
}
