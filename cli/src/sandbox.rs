//! `sandbox`: the emulator in the foreground until Ctrl-C.

use crate::args::SandboxArgs;
use crate::output::{Failure, code, out, out_json, warn};
use crate::{Ctx, interrupt};
use clickairtime_sandbox::{Sandbox, SandboxConfig};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub(crate) fn sandbox(ctx: &Ctx, a: &SandboxArgs) -> Result<i32, Failure> {
    let mut cfg = SandboxConfig::default().port(a.port);
    if let Some(ms) = a.processing_after_ms {
        cfg = cfg.processing_after(Duration::from_millis(ms));
    }
    if let Some(ms) = a.complete_after_ms {
        cfg = cfg.complete_after(Duration::from_millis(ms));
    }
    if let Some(n) = a.rate_limit {
        cfg = cfg.rate_limit_per_minute(n);
    }
    if let Some(ms) = a.slow_ms {
        cfg = cfg.slow_delay(Duration::from_millis(ms));
    }
    let stop = Arc::new(AtomicBool::new(false));
    // before starting, so a Ctrl-C right after the URL is printed stops it cleanly
    let guard = interrupt::on_interrupt(stop.clone(), None, None);
    let sb = Sandbox::start_with(cfg).map_err(|e| {
        Failure::new(
            code::NOT_SENT,
            "error",
            format!("cannot start the sandbox on 127.0.0.1:{}: {e}", a.port),
        )
    })?;
    if ctx.json {
        out_json(&json!({
            "ok": true,
            "url": sb.base_url(),
            "api_key": sb.api_key(),
            "v1_email": sb.v1_email(),
            "v1_token": sb.v1_token(),
        }));
    } else {
        // the sandbox's own throw-away credentials (not yours): printed so you can use them
        out(&format!("CLICKAIRTIME_SANDBOX_URL={}", sb.base_url()));
        out(&format!("CLICKAIRTIME_BASE_URL={}", sb.base_url()));
        out(&format!("CLICKAIRTIME_API_KEY={}", sb.api_key()));
        out(&format!("CLICKAIRTIME_V1_EMAIL={}", sb.v1_email()));
        out(&format!("CLICKAIRTIME_V1_TOKEN={}", sb.v1_token()));
        warn(&format!(
            "sandbox running on {} (127.0.0.1 only); Ctrl-C stops it",
            sb.base_url()
        ));
    }
    if guard.is_none() {
        warn("no Ctrl-C handler could be installed: stop the sandbox by ending this process");
    }
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
    }
    sb.shutdown();
    if !ctx.json {
        warn("sandbox stopped");
    }
    Ok(code::OK)
}
