//! Each subcommand, its exit codes and its `--json` output.

use crate::common::{Env, TempDir, run};
use clickairtime_sandbox::Fault;
use std::time::Duration;

#[test]
fn help_lists_exit_codes_and_usage_errors_exit_2() {
    let env = Env::new("help");
    let r = env.run(&["--help"]);
    assert_eq!(r.code, 0, "{r:?}");
    for needle in [
        "Exit codes:",
        "3  outcome unknown",
        "7  bulk finished",
        "CLICKAIRTIME_API_KEY",
        "journal.sqlite",
    ] {
        assert!(r.stdout.contains(needle), "{needle} missing from --help");
    }
    assert_eq!(env.run(&["--version"]).code, 0);
    assert_eq!(env.run(&[]).code, 2);
    assert_eq!(env.run(&["frobnicate"]).code, 2);
    assert_eq!(
        env.run(&["send", "+233541112259"]).code,
        2,
        "no amount or product"
    );
    // usage errors as JSON
    let (code, v, r) = env.json(&["send", "+233541112259"]);
    assert_eq!(code, 2, "{r:?}");
    assert_eq!(v["ok"], false);
    assert_eq!(v["outcome"], "usage");
    assert_eq!(v["exit_code"], 2);
    let (code, v, _) = env.json(&["send", "+233541112259", "--amount", "5"]);
    assert_eq!(code, 2);
    assert!(v["message"].as_str().unwrap().contains("--currency"), "{v}");
    let (code, _, _) = env.json(&["send", "0541112259", "--amount", "5", "--currency", "GHS"]);
    assert_eq!(
        code, 2,
        "a national number is refused before anything is sent"
    );
    let (code, _, _) = env.json(&[
        "send",
        "+233541112259",
        "--amount",
        "-5",
        "--currency",
        "GHS",
    ]);
    assert_eq!(code, 2);
    assert!(env.v2_transactions().is_empty(), "nothing was sent");
}

#[test]
fn configuration_precedence_and_credentials_never_printed() {
    let env = Env::new("config");
    let key = env.sb.api_key().to_owned();
    let wrong = "ce_live_WRONGwrongWRONGwrongWRONGwrong0";
    // no key anywhere: a usage error that says where keys go
    let r = run({
        let mut c = env.bare();
        c.args(["balance"]);
        c
    });
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("CLICKAIRTIME_API_KEY"), "{r:?}");
    // the default config file ($XDG_CONFIG_HOME/clickairtime/config.toml), TOML style
    let cfg_dir = env.dir.path().join("config/clickairtime");
    std::fs::create_dir_all(&cfg_dir).unwrap();
    std::fs::write(
        cfg_dir.join("config.toml"),
        format!(
            "# test\napi_key = \"{key}\"\nbase_url = \"{}\"\n",
            env.sb.base_url()
        ),
    )
    .unwrap();
    let r = run({
        let mut c = env.bare();
        c.args(["balance"]);
        c
    });
    assert_eq!(r.code, 0, "config file: {r:?}");
    // the environment wins over the file: a wrong key there fails, and is never printed
    let r = run({
        let mut c = env.bare();
        c.env("CLICKAIRTIME_API_KEY", wrong)
            .args(["--verbose", "balance"]);
        c
    });
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("AUTHENTICATION") || r.stderr.contains("authentication"),
        "{r:?}"
    );
    assert!(!r.all().contains(wrong), "the key was printed: {r:?}");
    let r = run({
        let mut c = env.bare();
        c.env("CLICKAIRTIME_API_KEY", wrong)
            .args(["--json", "balance"]);
        c
    });
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["error"]["kind"], "AUTHENTICATION");
    assert!(!r.all().contains(wrong));
    // a flag wins over the environment
    let r = run({
        let mut c = env.bare();
        c.env("CLICKAIRTIME_API_KEY", wrong)
            .args(["--api-key", &key, "balance"]);
        c
    });
    assert_eq!(r.code, 0, "{r:?}");
    // --config with a key=value file; the sandbox's key never shows in output either
    let other = TempDir::new("config-kv");
    let f = other.path().join("ca.conf");
    std::fs::write(
        &f,
        format!(
            "CLICKAIRTIME_API_KEY={key}\nbase_url={}\n",
            env.sb.base_url()
        ),
    )
    .unwrap();
    let r = run({
        let mut c = env.bare();
        c.args([
            "--verbose",
            "--config",
            f.to_str().unwrap(),
            "lookup",
            "--network-id",
            "42",
        ]);
        c
    });
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!r.all().contains(&key), "the key was printed: {r:?}");
    // a broken or missing --config is a usage error
    std::fs::write(&f, "api-key: nope\n").unwrap();
    let r = run({
        let mut c = env.bare();
        c.args(["--config", f.to_str().unwrap(), "balance"]);
        c
    });
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("line 1"), "{r:?}");
    let r = run({
        let mut c = env.bare();
        c.args(["--config", "/nonexistent/ca.toml", "balance"]);
        c
    });
    assert_eq!(r.code, 2);
    // the default journal lives in $XDG_STATE_HOME/clickairtime/
    let r = run({
        let mut c = env.bare();
        c.args(["--json", "pending"]);
        c
    });
    assert_eq!(r.code, 0, "{r:?}");
    let v = r.json();
    assert_eq!(
        v["journal"],
        env.dir
            .path()
            .join("state/clickairtime/journal.sqlite")
            .display()
            .to_string()
    );
    assert_eq!(v["journal_source"], "default");
}

#[test]
fn balance_and_lookup() {
    let env = Env::new("balance");
    let r = env.run(&["balance"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("wal_ghs_001"), "{r:?}");
    assert_eq!(env.run(&["balance", "--below", "1000000"]).code, 6);
    assert_eq!(env.run(&["balance", "--below", "1"]).code, 0);
    let (code, v, _) = env.json(&["balance", "--below", "5000", "--currency", "GHS"]);
    assert_eq!(code, 6);
    assert_eq!(v["threshold_check"]["below"], true);
    assert_eq!(v["exit_code"], 6);
    assert_eq!(env.run(&["balance", "--below", "abc"]).code, 2);
    assert_eq!(env.run(&["balance", "--wallet", "wal_nope"]).code, 1);
    // V1
    let r = env.run(&["--v1", "balance"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        env.run(&["--v1", "balance", "--below", "1"]).code,
        2,
        "accounts in several currencies need --currency or --account"
    );
    assert_eq!(
        env.run(&["--v1", "balance", "--below", "1", "--currency", "GHS"])
            .code,
        0
    );
    assert_eq!(
        env.run(&["--v1", "balance", "--below", "999999", "--currency", "GHS"])
            .code,
        6
    );
    // lookup
    let (code, v, r) = env.json(&["lookup", "+233 54 111 2259"]);
    assert_eq!(code, 0, "{r:?}");
    assert_eq!(v["lookup"]["network"]["id"], 42);
    let r = env.run(&["lookup", "--network-id", "61"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("MTN Nigeria"));
    assert_eq!(
        env.run(&["lookup", "+447911123456"]).code,
        1,
        "a network the sandbox does not know"
    );
    assert_eq!(env.run(&["--v1", "lookup", "+233541112259"]).code, 2);
}

#[test]
fn send_ends_in_one_of_five_outcomes_with_its_exit_code() {
    let env = Env::new("send");
    let base = ["send", "--currency", "GHS"];
    let send = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend_from_slice(extra);
        env.json(&a)
    };
    // sent
    let (code, v, r) = send(&["+233541112259", "--amount", "5", "--reference", "s-1"]);
    assert_eq!(code, 0, "{r:?}");
    assert_eq!(v["outcome"], "sent");
    assert_eq!(v["origin"], "created");
    assert_eq!(v["reference"], "s-1");
    assert!(v["idempotency_key"].as_str().unwrap().starts_with("ca2-"));
    // the same sale again: from the journal, nothing written
    let (code, v, _) = send(&["+233541112259", "--amount", "5", "--reference", "s-1"]);
    assert_eq!(code, 0);
    assert_eq!(v["origin"], "journal");
    assert_eq!(env.v2_with_reference("s-1"), 1);
    // the reference on another sale: refused (5)
    let (code, v, _) = send(&["+233541112259", "--amount", "6", "--reference", "s-1"]);
    assert_eq!(code, 5);
    assert_eq!(v["outcome"], "refused");
    assert_eq!(v["error"]["kind"], "REFERENCE_CONFLICT");
    // the API's duplicate window: same phone, network and amount moments ago under another reference
    let (code, _, _) = send(&["+233541119990", "--amount", "3", "--reference", "d-1"]);
    assert_eq!(code, 0);
    let (code, v, r) = send(&["+233541119990", "--amount", "3", "--reference", "d-2"]);
    assert_eq!(code, 5, "{r:?}");
    assert_eq!(v["error"]["kind"], "DUPLICATE_SALE");
    assert_eq!(env.v2_with_reference("d-2"), 0);
    // not sent (1): insufficient balance
    let (code, v, _) = send(&["+233555000001", "--amount", "5"]);
    assert_eq!(code, 1);
    assert_eq!(v["outcome"], "not_sent");
    assert_eq!(v["error"]["kind"], "INSUFFICIENT_BALANCE");
    let r = env.run(&[
        "send",
        "+233555000002",
        "--amount",
        "5",
        "--currency",
        "GHS",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not sent"), "{r:?}");
    assert!(
        !r.stderr.contains("failed"),
        "a not-sent end is not called failed: {r:?}"
    );
}

#[test]
fn send_waits_lost_answers_and_bundles() {
    let env = Env::new("send-wait");
    let base = ["send", "--currency", "GHS"];
    let send = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend_from_slice(extra);
        env.json(&a)
    };
    // --wait: delivered (0), delivery failed (1), still pending (4)
    let (code, v, _) = send(&["+233541112260", "--amount", "5", "--wait"]);
    assert_eq!(code, 0);
    assert_eq!(v["outcome"], "delivered");
    assert_eq!(v["final"]["status"], "completed");
    let (code, v, _) = send(&["+233555000003", "--amount", "5", "--wait"]);
    assert_eq!(code, 1);
    assert_eq!(v["outcome"], "delivery_failed");
    let (code, v, _) = send(&[
        "+233555000010",
        "--amount",
        "5",
        "--wait",
        "--wait-timeout",
        "1",
    ]);
    assert_eq!(code, 4);
    assert_eq!(v["outcome"], "still_pending");
    // a lost answer (connection dropped after commit): recovered by its reference, sent once
    let (code, v, _) = send(&["+233555000007", "--amount", "5", "--reference", "lost-1"]);
    assert_eq!(code, 0);
    assert_eq!(v["origin"], "recovered");
    assert_eq!(env.v2_with_reference("lost-1"), 1);
    // a bundle
    let (code, v, r) = env.json(&[
        "send",
        "+233541112261",
        "--product",
        "101",
        "--sms",
        "enjoy",
    ]);
    assert_eq!(code, 0, "{r:?}");
    assert_eq!(v["topup"]["product_id"], "101");
}

#[test]
fn send_with_an_unknown_outcome_exits_3_then_pending_and_recover_settle_it() {
    let env = Env::new("send-unknown");
    let base = ["send", "--currency", "GHS"];
    let send = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend_from_slice(extra);
        env.json(&a)
    };
    // outcome unknown (3): the write is received but committed only after the send's deadline
    env.sb.inject(
        Fault::late_commit()
            .method("POST")
            .path("/v2/topups")
            .delay(Duration::from_millis(2500)),
    );
    let r = env.run(&[
        "--send-deadline",
        "1",
        "send",
        "+233541112262",
        "--amount",
        "5",
        "--currency",
        "GHS",
        "--reference",
        "late-1",
    ]);
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stderr.contains("OUTCOME UNKNOWN"), "{r:?}");
    assert!(r.stderr.contains("Do NOT send it again"), "{r:?}");
    assert!(
        !r.stderr.contains("not sent"),
        "never 'not sent' for an unknown: {r:?}"
    );
    // status by reference consults the journal while the API shows nothing (3); once the late commit has
    // landed it shows the top-up (4 pending, or 0 completed on a slow machine)
    let (code, v, _) = env.json(&["status", "--reference", "late-1"]);
    match code {
        3 => assert_eq!(v["journal_state"], "unknown"),
        0 | 4 => assert_eq!(v["topup"]["reference"], "late-1"),
        other => panic!("status exit {other}: {v}"),
    }
    // pending lists it; recover settles it once the late commit has landed
    let (code, v, _) = env.json(&["pending"]);
    assert_eq!(code, 0);
    let refs: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reference"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["late-1"], "{v}");
    std::thread::sleep(Duration::from_millis(2000));
    let (code, v, r) = env.json(&["recover"]);
    assert_eq!(code, 0, "{r:?}");
    assert_eq!(v["recovered"][0]["state"], "sent", "{v}");
    assert_eq!(v["recovered"][0]["record"]["reference"], "late-1");
    let (_, v, _) = env.json(&["pending"]);
    assert_eq!(v["entries"].as_array().unwrap().len(), 0);
    let r = env.run(&["pending"]);
    assert!(
        r.stdout.contains(&env.journal().display().to_string()),
        "pending prints the journal path: {r:?}"
    );
    // selling it again does not write
    let (code, v, _) = send(&["+233541112262", "--amount", "5", "--reference", "late-1"]);
    assert_eq!(code, 0);
    assert_eq!(v["origin"], "journal");
    assert_eq!(env.v2_with_reference("late-1"), 1);
}

#[test]
fn the_journal_flag_wins_over_the_environment() {
    let env = Env::new("journal-flag");
    let flag = env.dir.path().join("till-7.sqlite");
    let flag_s = flag.to_str().unwrap();
    let sale = [
        "--journal",
        flag_s,
        "send",
        "+233541112259",
        "--amount",
        "5",
        "--currency",
        "GHS",
        "--reference",
        "jf-1",
    ];
    let (code, v, r) = env.json(&sale);
    assert_eq!(code, 0, "{r:?}");
    assert_eq!(v["outcome"], "sent", "{v}");
    // the sale is in the flag's journal, not the environment's
    let (code, v, _) = env.json(&["--journal", flag_s, "pending", "--all"]);
    assert_eq!(code, 0);
    assert_eq!(v["journal"], flag_s, "{v}");
    assert_eq!(v["journal_source"], "flag", "{v}");
    let refs: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reference"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["jf-1"], "{v}");
    let (_, v, _) = env.json(&["pending", "--all"]);
    assert_eq!(v["journal_source"], "environment", "{v}");
    assert!(v["entries"].as_array().is_none_or(|a| a.is_empty()), "{v}");
    // selling the same reference again through the flag's journal sends nothing new
    let (code, v, _) = env.json(&sale);
    assert_eq!(code, 0, "{v}");
    assert_eq!(env.v2_with_reference("jf-1"), 1);
}
