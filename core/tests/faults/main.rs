//! Faults the sandbox does not produce, from a deliberately broken local server: garbage and truncated
//! bodies, wrong content types, slow drips, redirects, huge bodies; and the send protocol's decisions under
//! each of them. Every case must end in a typed error (with the body kept where there is one), never a panic.

mod cancel;
mod reads;
mod sends;

#[path = "../support/mod.rs"]
mod support;

use clickairtime::ErrorKind;
use clickairtime::money::Decimal;
use clickairtime::v1::SendTopUp;
use clickairtime::v2::CreateTopUp;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::{Reply, Seen, TestServer, fixture, v1, v2};

fn topup_body(reference: &str) -> Vec<u8> {
    let mut v: serde_json::Value =
        serde_json::from_slice(&fixture("seed_v2_topup_create_201.json")).unwrap();
    v["data"]["reference"] = reference.into();
    serde_json::to_vec(&v).unwrap()
}

fn list_body(items: Vec<serde_json::Value>) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "success": true, "data": items,
        "meta": {"request_id": "req_000000000001", "pagination": {"page": 1, "per_page": 100, "total": items.len(), "total_pages": 1, "has_next": false, "has_prev": false}}
    }))
    .unwrap()
}

fn posts(s: &TestServer) -> Vec<Seen> {
    s.seen()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect()
}

fn reference_of(req: &Seen) -> String {
    let v: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    v["reference"].as_str().unwrap().to_owned()
}

fn order() -> CreateTopUp {
    CreateTopUp::amount("+233541112259", 42, Decimal::from(50), "GHS").reference("sale-1")
}
