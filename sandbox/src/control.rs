//! Control endpoints under `/_sandbox/` (no authentication, never faulted or rate limited).

use crate::config::Modes;
use crate::faults::Fault;
use crate::http::{Request, Response};
use crate::shared::Shared;
use crate::{v1, v2};
use serde_json::{Value, json};
use std::time::Instant;

/// `{"v1": [...], "v2": [...]}`: every committed transaction, oldest first.
pub(crate) fn transactions(shared: &Shared) -> Value {
    let st = shared.lock();
    let now = Instant::now();
    let v1: Vec<Value> = st.v1.iter().map(|t| v1::record_json(t, now)).collect();
    let v2: Vec<Value> = st.v2.iter().map(|t| v2::topup_json(t, now)).collect();
    json!({"v1": v1, "v2": v2})
}

/// `{"deliveries": [...]}`: every webhook delivery attempt, oldest first.
pub(crate) fn webhooks(shared: &Shared) -> Value {
    json!({"deliveries": shared.lock().webhook_log.clone()})
}

/// Adds a fault.
pub(crate) fn inject(shared: &Shared, fault: Fault) {
    log::info!("fault injected: {} x{}", fault.kind(), fault.get_count());
    shared.lock().faults.push(fault);
}

/// Clears transactions, faults, counters and webhook state; balances return to their initial values
/// and the runtime settings to the configuration the sandbox started with.
pub(crate) fn reset(shared: &Shared) {
    shared.lock().reset(shared.cfg.modes);
    log::info!("sandbox reset");
}

/// The runtime settings (`GET /_sandbox/config`).
pub(crate) fn config(shared: &Shared) -> Value {
    shared.lock().modes.to_json()
}

/// Changes the runtime settings from a JSON object (`POST /_sandbox/config`); all or nothing.
pub(crate) fn configure(shared: &Shared, body: &Value) -> Result<Value, String> {
    let mut st = shared.lock();
    st.modes = st.modes.with_json(body)?;
    let now = st.modes.to_json();
    log::info!("sandbox settings: {now}");
    Ok(now)
}

/// Changes the runtime settings with `f`.
pub(crate) fn update(shared: &Shared, f: impl FnOnce(&mut Modes)) {
    let mut st = shared.lock();
    f(&mut st.modes);
    log::info!("sandbox settings: {}", st.modes.to_json());
}

/// The counters (`GET /_sandbox/stats`).
pub(crate) fn stats(shared: &Shared) -> Value {
    shared.lock().stats.snapshot()
}

fn ok(body: Value) -> Response {
    Response::json(200, &body)
}

fn fail(status: u16, message: &str) -> Response {
    Response::json(status, &json!({"ok": false, "error": message}))
}

pub(crate) fn handle(shared: &Shared, req: &Request) -> Response {
    let path = req.path.trim_end_matches('/');
    match (req.method.as_str(), path) {
        ("GET", "/_sandbox/health") => ok(json!({"ok": true})),
        ("GET", "/_sandbox/transactions") => ok(transactions(shared)),
        ("GET", "/_sandbox/webhooks") => ok(webhooks(shared)),
        ("GET", "/_sandbox/faults") => {
            let list: Vec<Value> = shared.lock().faults.iter().map(Fault::to_json).collect();
            ok(json!({"faults": list}))
        }
        ("POST", "/_sandbox/faults") => {
            let Some(body) = req.json() else {
                return fail(400, "body must be JSON");
            };
            match Fault::from_json(&body) {
                Ok(f) => {
                    let shown = f.to_json();
                    inject(shared, f);
                    ok(json!({"ok": true, "fault": shown}))
                }
                Err(e) => fail(400, &e),
            }
        }
        ("DELETE", "/_sandbox/faults") => {
            shared.lock().faults.clear();
            ok(json!({"ok": true}))
        }
        ("POST", "/_sandbox/reset") => {
            reset(shared);
            ok(json!({"ok": true}))
        }
        ("GET", "/_sandbox/config") => ok(config(shared)),
        ("POST", "/_sandbox/config") => {
            let Some(body) = req.json() else {
                return fail(400, "body must be JSON");
            };
            match configure(shared, &body) {
                Ok(now) => ok(json!({"ok": true, "config": now})),
                Err(e) => fail(400, &e),
            }
        }
        ("GET", "/_sandbox/stats") => ok(stats(shared)),
        (
            _,
            "/_sandbox/health"
            | "/_sandbox/transactions"
            | "/_sandbox/webhooks"
            | "/_sandbox/faults"
            | "/_sandbox/reset"
            | "/_sandbox/config"
            | "/_sandbox/stats",
        ) => fail(405, "method not allowed"),
        _ => fail(404, "no such control endpoint"),
    }
}
