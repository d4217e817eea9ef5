//! `GET /_sandbox/stats` and `Sandbox::stats`.

use crate::common::*;
use clickairtime_sandbox::Fault;
use serde_json::json;

#[test]
fn counters_per_version() {
    let sb = start();
    let c = Client::new(&sb);
    let zero = json!({
        "requests": 0, "posts": 0, "committed": 0,
        "requests_last_minute": 0, "requests_last_hour": 0,
        "max_requests_per_minute": 0, "max_requests_per_hour": 0,
        "posts_last_minute": 0, "posts_last_hour": 0,
        "max_posts_per_minute": 0, "max_posts_per_hour": 0,
    });
    // V2 also counts what its rate limit saw: the most requests in one window, and the 429s it gave
    let mut zero_v2 = zero.clone();
    zero_v2["max_requests_per_rate_window"] = json!(0);
    zero_v2["rate_limited"] = json!(0);
    assert_eq!(sb.stats(), json!({"v1": zero, "v2": zero_v2}));

    // V2: 4 POSTs (created, invalid, duplicate window, dropped before commit), 2 GETs, 1 unauthenticated.
    assert_eq!(
        c.v2_post("/v2/topups", &topup_body("+233541112259", 5.0), None)
            .status,
        201
    );
    assert_eq!(
        c.v2_post("/v2/topups", &json!({"network_id": 42}), None)
            .status,
        400
    );
    assert_eq!(
        c.v2_post("/v2/topups", &topup_body("+233541112259", 5.0), None)
            .status,
        200
    );
    sb.inject(Fault::drop_before_commit().method("POST"));
    assert!(
        c.try_v2_post("/v2/topups", &topup_body("+233541112259", 6.0), None)
            .is_err()
    );
    c.v2_get("/v2/balance");
    c.v2_get("/v2/topups");
    c.request("GET", "/v2/balance", Auth::None, &[], None)
        .unwrap();
    // V1: 2 POSTs (created, code 90), 1 GET.
    let body = json!({"msisdn": "233541112259", "amount": 5, "extRefId": "ST-1"});
    assert_eq!(c.v1_post(&body).json()["code"], 1);
    assert_eq!(c.v1_post(&body).json()["code"], 90);
    c.v1_get("/adp/balances");
    // Control endpoints and unknown paths are not counted.
    c.control_get("/_sandbox/transactions");
    c.request("GET", "/elsewhere", Auth::None, &[], None)
        .unwrap();

    let s = c.control_get("/_sandbox/stats");
    let v2 = &s["v2"];
    assert_eq!(
        (&v2["requests"], &v2["posts"], &v2["committed"]),
        (&json!(7), &json!(4), &json!(1))
    );
    assert_eq!(v2["max_requests_per_minute"], 7);
    assert_eq!(v2["max_requests_per_hour"], 7);
    assert_eq!(v2["requests_last_minute"], 7);
    assert_eq!(v2["max_posts_per_minute"], 4);
    assert_eq!(v2["posts_last_hour"], 4);
    // the rate limit counts the authenticated requests that reach it: 3 POSTs and 2 GETs (the fault
    // answered the fourth POST first, the unauthenticated GET is refused before)
    assert_eq!(v2["max_requests_per_rate_window"], 5);
    assert_eq!(v2["rate_limited"], 0);
    let v1 = &s["v1"];
    assert_eq!(
        (&v1["requests"], &v1["posts"], &v1["committed"]),
        (&json!(3), &json!(2), &json!(1))
    );
    assert_eq!(v1["max_posts_per_hour"], 2);
    assert_eq!(s, sb.stats());

    sb.reset();
    assert_eq!(sb.stats(), json!({"v1": zero, "v2": zero_v2}));
    assert_eq!(
        c.request("POST", "/_sandbox/stats", Auth::None, &[], Some("{}"))
            .unwrap()
            .status,
        405
    );
}

#[test]
fn commits_by_faults_and_magic_numbers_are_counted() {
    let sb = start();
    let c = Client::new(&sb);
    // Committed although the client never gets an answer.
    sb.inject(Fault::drop_after_commit().method("POST"));
    assert!(
        c.try_v2_post("/v2/topups", &topup_body("+233541112259", 5.0), None)
            .is_err()
    );
    assert!(
        c.try_v1_post(&json!({"msisdn": "233555000007", "amount": 5, "extRefId": "M7"}))
            .is_err()
    );
    // Refused: nothing committed.
    c.v1_post(&json!({"msisdn": "233555000001", "amount": 5}));
    let s = sb.stats();
    assert_eq!(
        (&s["v2"]["posts"], &s["v2"]["committed"]),
        (&json!(1), &json!(1))
    );
    assert_eq!(
        (&s["v1"]["posts"], &s["v1"]["committed"]),
        (&json!(2), &json!(1))
    );
    assert_eq!(counts(&sb), (1, 1));
}
