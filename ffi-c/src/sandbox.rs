//! The in-process sandbox: a local emulator of both APIs on 127.0.0.1, so a C program can test itself.

use crate::fail::{Fail, ca_error};
use crate::guard::{
    self, arg, arg_mut, arg_str, get_val, into_handle, opt_arg, opt_str, out, owned_string, run,
};
use crate::result::ca_result;
use clickairtime_sandbox::{
    DuplicateMode, Fault, FaultKind, IdempotencyMode, Sandbox, SandboxConfig,
};
use std::ffi::{CString, c_char};
use std::time::Duration;

/// A running sandbox. Thread-safe: any thread may use it, and clients on any thread may talk to it. Stopped
/// and released by `ca_sandbox_free`.
pub struct ca_sandbox {
    inner: Sandbox,
    base_url: CString,
    api_key: CString,
    v1_email: CString,
    v1_token: CString,
}

/// Sandbox settings for `ca_sandbox_start_with`. Not thread-safe while being modified; copied at start.
#[derive(Default)]
pub struct ca_sandbox_options {
    cfg: SandboxConfig,
}

fn start(cfg: SandboxConfig) -> Result<ca_sandbox, Fail> {
    let sb = Sandbox::start_with(cfg).map_err(|e| {
        Fail::new(
            ca_result::CA_ERR_SANDBOX,
            format!("sandbox: cannot start: {e}"),
        )
    })?;
    Ok(ca_sandbox {
        base_url: guard::cstring(sb.base_url()),
        api_key: guard::cstring(sb.api_key()),
        v1_email: guard::cstring(sb.v1_email()),
        v1_token: guard::cstring(sb.v1_token()),
        inner: sb,
    })
}

/// Start a sandbox with default settings on a free port of 127.0.0.1 (random API key and V1 token;
/// top-ups become `processing` after 100 ms and terminal after 400 ms). On `CA_OK`, `*sandbox_out` owns it;
/// stop it with `ca_sandbox_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`sandbox_out`), `CA_ERR_SANDBOX`, `CA_ERR_PANIC`. `error_out`
/// may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_start(
    sandbox_out: *mut *mut ca_sandbox,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = out(sandbox_out, "sandbox_out")?;
        o.write(into_handle(start(SandboxConfig::default())?));
        Ok(())
    })
}

/// Start a sandbox with `options` (NULL: defaults). On `CA_OK`, `*sandbox_out` owns it; stop it with
/// `ca_sandbox_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`sandbox_out`), `CA_ERR_SANDBOX` (port in use, malformed API
/// key), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_start_with(
    options: *const ca_sandbox_options,
    sandbox_out: *mut *mut ca_sandbox,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = out(sandbox_out, "sandbox_out")?;
        let cfg = opt_arg(options).map(|o| o.cfg.clone()).unwrap_or_default();
        o.write(into_handle(start(cfg)?));
        Ok(())
    })
}

/// Stop the sandbox (closing its connections and joining its threads) and release it. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_free(sandbox: *mut ca_sandbox) {
    guard::free_handle(sandbox)
}

/// `http://127.0.0.1:PORT`, for `ca_client_options_set_base_url`. Owned by `sandbox`. NULL if NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_base_url(sandbox: *const ca_sandbox) -> *const c_char {
    get_val(sandbox, std::ptr::null(), |s| s.base_url.as_ptr())
}

/// The TCP port; 0 if `sandbox` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_port(sandbox: *const ca_sandbox) -> u16 {
    get_val(sandbox, 0, |s| s.inner.port())
}

/// The sandbox's V2 API key (also its webhook signing key). Owned by `sandbox`. NULL if NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_api_key(sandbox: *const ca_sandbox) -> *const c_char {
    get_val(sandbox, std::ptr::null(), |s| s.api_key.as_ptr())
}

/// The sandbox's V1 e-mail. Owned by `sandbox`. NULL if NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_v1_email(sandbox: *const ca_sandbox) -> *const c_char {
    get_val(sandbox, std::ptr::null(), |s| s.v1_email.as_ptr())
}

/// The sandbox's V1 token. Owned by `sandbox`. NULL if NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_v1_token(sandbox: *const ca_sandbox) -> *const c_char {
    get_val(sandbox, std::ptr::null(), |s| s.v1_token.as_ptr())
}

/// Inject a fault into the next `count` requests (0 counts as 1) whose method is `method` (NULL: any) and
/// whose path starts with `path` (NULL: any). `fault` is one of `drop_before_commit`, `drop_after_commit`,
/// `server_error`, `slow`, `rate_limit`, `duplicate_409`, `garbage`, `truncated`, `wrong_content_type`,
/// `slowloris`, `empty_body`, and the hostile ones: `late_commit` (no answer; a POST commits only after
/// `delay_ms`, default 2000, then the connection closes), `foreign_record` (a lookup by reference or id
/// answers another sale's record carrying that reference), `extra_record` (that record first, then the
/// real ones), `html_404` (404 with an HTML page, nothing done). `delay_ms` applies to
/// `slow`/`slowloris`/`late_commit` and `retry_after_s` to `rate_limit` (0: the sandbox default). Same as
/// `ca_sandbox_inject_fault_skip` with `skip` 0.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`sandbox`, `fault`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (unknown fault); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_inject_fault(
    sandbox: *const ca_sandbox,
    fault: *const c_char,
    count: u32,
    method: *const c_char,
    path: *const c_char,
    delay_ms: u64,
    retry_after_s: u64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        inject(
            sandbox,
            fault,
            0,
            count,
            method,
            path,
            delay_ms,
            retry_after_s,
        )
    })
}

/// As `ca_sandbox_inject_fault` (`method` (NULL: any), `path` (NULL: any), `fault`, `count`, `delay_ms`,
/// `retry_after_s` alike), but the first `skip` matching requests go through untouched and the `count` after
/// them get the fault: e.g. `rate_limit` with `skip` 1 on `POST /v2/topups` answers a re-send (not the first
/// write) 429.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`sandbox`, `fault`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (unknown fault); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_inject_fault_skip(
    sandbox: *const ca_sandbox,
    fault: *const c_char,
    skip: u32,
    count: u32,
    method: *const c_char,
    path: *const c_char,
    delay_ms: u64,
    retry_after_s: u64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        inject(
            sandbox,
            fault,
            skip,
            count,
            method,
            path,
            delay_ms,
            retry_after_s,
        )
    })
}

#[allow(clippy::too_many_arguments)]
fn inject(
    sandbox: *const ca_sandbox,
    fault: *const c_char,
    skip: u32,
    count: u32,
    method: *const c_char,
    path: *const c_char,
    delay_ms: u64,
    retry_after_s: u64,
) -> Result<(), Fail> {
    let s = arg(sandbox, "sandbox")?;
    let name = arg_str(fault, "fault")?;
    let method = opt_str(method, "method")?;
    let path = opt_str(path, "path")?;
    let kind: FaultKind = name
        .parse()
        .map_err(|e: clickairtime_sandbox::UnknownFault| {
            Fail::from(sdk::Error::invalid("fault", e.to_string()))
        })?;
    let mut f = Fault::new(kind).count(count).skip(skip);
    if let Some(m) = method {
        f = f.method(m);
    }
    if let Some(p) = path {
        f = f.path(p);
    }
    if delay_ms > 0 {
        f = f.delay(Duration::from_millis(delay_ms));
    }
    if retry_after_s > 0 {
        f = f.retry_after(retry_after_s);
    }
    s.inner.inject(f);
    Ok(())
}

fn duplicate_mode(v: &str) -> Result<DuplicateMode, Fail> {
    v.parse().map_err(|e: clickairtime_sandbox::UnknownMode| {
        Fail::from(sdk::Error::invalid("duplicate_mode", e.to_string()))
    })
}

fn idempotency_mode(v: &str) -> Result<IdempotencyMode, Fail> {
    v.parse().map_err(|e: clickairtime_sandbox::UnknownMode| {
        Fail::from(sdk::Error::invalid("idempotency_mode", e.to_string()))
    })
}

/// Change a reading of the docs the running sandbox plays, from the next request on (`ca_sandbox_reset`
/// puts the start configuration back): `name` `duplicate_mode` with `value` `existing` (default: the V2
/// duplicate window answers 200 with the existing top-up), `conflict` (409 `DUPLICATE_TRANSACTION` naming
/// it) or `off`; or `idempotency_mode` with `conflict` (default: a reused `Idempotency-Key` is a 409 naming
/// the first top-up) or `replay` (200 with its record).
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`sandbox`, `name`, `value`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (unknown `name` or `value`); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_set_mode(
    sandbox: *const ca_sandbox,
    name: *const c_char,
    value: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let s = arg(sandbox, "sandbox")?;
        let n = arg_str(name, "name")?;
        let v = arg_str(value, "value")?;
        match n {
            "duplicate_mode" => s.inner.set_duplicate_mode(duplicate_mode(v)?),
            "idempotency_mode" => s.inner.set_idempotency_mode(idempotency_mode(v)?),
            other => {
                return Err(Fail::from(sdk::Error::invalid(
                    "name",
                    format!("{other:?} is not one of duplicate_mode, idempotency_mode"),
                )));
            }
        }
        Ok(())
    })
}

/// Change a duplicate window of the running sandbox, from the next request on (0: off; `ca_sandbox_reset`
/// puts the start configuration back): `name` `duplicate_window_ms` (V2: same phone, network and amount or
/// product) or `v1_duplicate_window_ms` (V1: same msisdn and amount with another `extRefId`, refused with
/// code 50).
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`sandbox`, `name`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (unknown `name`); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_set_window_ms(
    sandbox: *const ca_sandbox,
    name: *const c_char,
    milliseconds: u64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let s = arg(sandbox, "sandbox")?;
        let n = arg_str(name, "name")?;
        let d = Duration::from_millis(milliseconds);
        match n {
            "duplicate_window_ms" => s.inner.set_duplicate_window(d),
            "v1_duplicate_window_ms" => s.inner.set_v1_duplicate_window(d),
            other => {
                return Err(Fail::from(sdk::Error::invalid(
                    "name",
                    format!("{other:?} is not one of duplicate_window_ms, v1_duplicate_window_ms"),
                )));
            }
        }
        Ok(())
    })
}

/// One request counter of the sandbox for `version` (`"v1"` or `"v2"`), written to `*value_out`: `name` is
/// `requests` (API requests received), `posts` (top-up writes received, whatever became of them: the check
/// that a send did not write again), `committed` (transactions created), `requests_last_minute`,
/// `requests_last_hour`, `max_requests_per_minute`, `max_requests_per_hour`, or the same four for `posts`.
/// Counters are cleared by `ca_sandbox_reset`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`sandbox`, `version`, `name`, `value_out`);
/// `CA_ERR_INVALID_UTF8`; `CA_ERR_INVALID_INPUT` (not v1/v2, or an unknown counter); `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_stat(
    sandbox: *const ca_sandbox,
    version: *const c_char,
    name: *const c_char,
    value_out: *mut u64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let s = arg(sandbox, "sandbox")?;
        let v = arg_str(version, "version")?;
        let n = arg_str(name, "name")?;
        let o = out(value_out, "value_out")?;
        if v != "v1" && v != "v2" {
            return Err(Fail::from(sdk::Error::invalid(
                "version",
                "must be \"v1\" or \"v2\"",
            )));
        }
        let value = s.inner.stats()[v][n].as_u64().ok_or_else(|| {
            Fail::from(sdk::Error::invalid(
                "name",
                format!("{n:?} is not a counter of the sandbox"),
            ))
        })?;
        o.write(value);
        Ok(())
    })
}

/// Every request counter, as JSON `{"v1":{…},"v2":{…}}` (see `ca_sandbox_stat`). On `CA_OK`, `*json_out` is
/// a new string; release it with `ca_string_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`sandbox`,
/// `json_out`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_stats_json(
    sandbox: *const ca_sandbox,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let s = arg(sandbox, "sandbox")?;
        let o = out(json_out, "json_out")?;
        o.write(owned_string(s.inner.stats().to_string()));
        Ok(())
    })
}

/// Number of transactions the sandbox committed for `version` (`"v1"` or `"v2"`), written to `*count_out`:
/// the check that a sale was made exactly once.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`sandbox`, `version`, `count_out`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (not v1/v2); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_transaction_count(
    sandbox: *const ca_sandbox,
    version: *const c_char,
    count_out: *mut usize,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let s = arg(sandbox, "sandbox")?;
        let v = arg_str(version, "version")?;
        let o = out(count_out, "count_out")?;
        if v != "v1" && v != "v2" {
            return Err(Fail::from(sdk::Error::invalid(
                "version",
                "must be \"v1\" or \"v2\"",
            )));
        }
        o.write(s.inner.transactions()[v].as_array().map_or(0, Vec::len));
        Ok(())
    })
}

/// Every committed transaction as JSON, `{"v1":[…],"v2":[…]}`. On `CA_OK`, `*json_out` is a new string;
/// release it with `ca_string_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`sandbox`, `json_out`),
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_transactions_json(
    sandbox: *const ca_sandbox,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let s = arg(sandbox, "sandbox")?;
        let o = out(json_out, "json_out")?;
        o.write(owned_string(s.inner.transactions().to_string()));
        Ok(())
    })
}

/// Every webhook delivery attempted, as JSON `{"deliveries":[…]}`. On `CA_OK`, `*json_out` is a new string;
/// release it with `ca_string_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`sandbox`, `json_out`),
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_webhook_deliveries_json(
    sandbox: *const ca_sandbox,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let s = arg(sandbox, "sandbox")?;
        let o = out(json_out, "json_out")?;
        o.write(owned_string(s.inner.webhook_deliveries().to_string()));
        Ok(())
    })
}

/// Clear transactions, faults, counters and webhook state, and restore balances.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`sandbox`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_reset(
    sandbox: *const ca_sandbox,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg(sandbox, "sandbox")?.inner.reset();
        Ok(())
    })
}

/// Create sandbox options with the defaults. On `CA_OK`, `*options_out` owns them; free them with
/// `ca_sandbox_options_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options_out`), `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_options_new(
    options_out: *mut *mut ca_sandbox_options,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        out(options_out, "options_out")?.write(into_handle(ca_sandbox_options::default()));
        Ok(())
    })
}

/// Release sandbox options. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_options_free(options: *mut ca_sandbox_options) {
    guard::free_handle(options)
}

/// Set a text setting: `name` is `api_key` (must be `ce_live_` + 32 letters/digits; checked at start),
/// `v1_email`, `v1_token`, `duplicate_mode` (`existing`, the default, `conflict` or `off`; see
/// `ca_sandbox_set_mode`) or `idempotency_mode` (`conflict`, the default, or `replay`). Copied.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`options`, `name`, `value`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (unknown `name`); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_options_set(
    options: *mut ca_sandbox_options,
    name: *const c_char,
    value: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = arg_mut(options, "options")?;
        let n = arg_str(name, "name")?;
        let v = arg_str(value, "value")?.to_owned();
        let cfg = std::mem::take(&mut o.cfg);
        o.cfg = match n {
            "api_key" => cfg.api_key(v),
            "v1_email" => cfg.v1_email(v),
            "v1_token" => cfg.v1_token(v),
            "duplicate_mode" | "idempotency_mode" => {
                let parsed = if n == "duplicate_mode" {
                    duplicate_mode(&v).map(|m| cfg.clone().duplicate_mode(m))
                } else {
                    idempotency_mode(&v).map(|m| cfg.clone().idempotency_mode(m))
                };
                match parsed {
                    Ok(c) => c,
                    Err(e) => {
                        o.cfg = cfg;
                        return Err(e);
                    }
                }
            }
            other => {
                o.cfg = cfg;
                return Err(Fail::from(sdk::Error::invalid(
                    "name",
                    format!(
                        "{other:?} is not one of api_key, v1_email, v1_token, duplicate_mode, idempotency_mode"
                    ),
                )));
            }
        };
        Ok(())
    })
}

/// Set a numeric setting: `name` is `port` (0: any free port), `processing_after_ms` (default 100),
/// `complete_after_ms` (default 400), `slow_delay_ms` (answer delay of the slow magic number +233555000009,
/// default 3000), `duplicate_window_ms` (V2, default 5000; 0 off), `v1_duplicate_window_ms` (V1 code 50,
/// default 0: off) or `rate_limit_per_minute` (default 600).
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`options`, `name`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (unknown `name`, or a port above 65535); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_sandbox_options_set_number(
    options: *mut ca_sandbox_options,
    name: *const c_char,
    value: u64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = arg_mut(options, "options")?;
        let n = arg_str(name, "name")?;
        let ms = Duration::from_millis(value);
        let cfg = o.cfg.clone();
        o.cfg = match n {
            "port" => {
                cfg.port(u16::try_from(value).map_err(|_| {
                    Fail::from(sdk::Error::invalid("port", "must be at most 65535"))
                })?)
            }
            "processing_after_ms" => cfg.processing_after(ms),
            "complete_after_ms" => cfg.complete_after(ms),
            "slow_delay_ms" => cfg.slow_delay(ms),
            "duplicate_window_ms" => cfg.duplicate_window(ms),
            "v1_duplicate_window_ms" => cfg.v1_duplicate_window(ms),
            "rate_limit_per_minute" => {
                cfg.rate_limit_per_minute(u32::try_from(value).unwrap_or(u32::MAX))
            }
            other => {
                return Err(Fail::from(sdk::Error::invalid(
                    "name",
                    format!(
                        "{other:?} is not one of port, processing_after_ms, complete_after_ms, slow_delay_ms, duplicate_window_ms, v1_duplicate_window_ms, rate_limit_per_minute"
                    ),
                )));
            }
        };
        Ok(())
    })
}
