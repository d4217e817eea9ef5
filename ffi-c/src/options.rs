//! `ca_client_options`: the settings shared by the V1 and V2 clients (applied to the SDK's builder).

use crate::fail::ca_error;
use crate::guard::{self, arg_bytes, arg_mut, arg_str, out, run};
use crate::result::ca_result;
use sdk::ClientBuilder;
use std::ffi::c_char;
use std::time::Duration;

/// Client settings, for `ca_v2_client_new` and `ca_v1_client_new`. Every setting is optional; the SDK's
/// defaults apply to those not set. Values are checked when the client is built, which fails with
/// `CA_ERR_INVALID_INPUT` naming the setting. Not thread-safe while being modified; the client keeps a copy,
/// so the options may be freed right after the client is made.
#[derive(Default, Clone)]
pub struct ca_client_options {
    base_url: Option<String>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    retry_base_delay: Option<Duration>,
    max_retry_delay: Option<Duration>,
    max_retry_after: Option<Duration>,
    send_deadline: Option<Duration>,
    proxy: Option<String>,
    proxy_from_env: Option<bool>,
    ca_pems: Vec<Vec<u8>>,
    user_agent_suffix: Option<String>,
    max_idle: Option<usize>,
    journal: Option<String>,
    convergence_bound: Option<Duration>,
    rate_limit: Option<sdk::RateLimitPolicy>,
    pub(crate) v1_topup_path: Option<String>,
}

impl ca_client_options {
    pub(crate) fn apply<C>(&self, mut b: ClientBuilder<C>) -> ClientBuilder<C> {
        if let Some(v) = &self.base_url {
            b = b.base_url(v.clone());
        }
        if let Some(v) = self.connect_timeout {
            b = b.connect_timeout(v);
        }
        if let Some(v) = self.read_timeout {
            b = b.read_timeout(v);
        }
        if let Some(v) = self.timeout {
            b = b.timeout(v);
        }
        if let Some(v) = self.max_retries {
            b = b.max_retries(v);
        }
        if let Some(v) = self.retry_base_delay {
            b = b.retry_base_delay(v);
        }
        if let Some(v) = self.max_retry_delay {
            b = b.max_retry_delay(v);
        }
        if let Some(v) = self.max_retry_after {
            b = b.max_retry_after(v);
        }
        if let Some(v) = self.send_deadline {
            b = b.send_deadline(v);
        }
        if let Some(v) = &self.proxy {
            b = b.proxy(v.clone());
        }
        if let Some(v) = self.proxy_from_env {
            b = b.proxy_from_env(v);
        }
        for pem in &self.ca_pems {
            b = b.add_ca_certificates_pem(pem);
        }
        if let Some(v) = &self.user_agent_suffix {
            b = b.user_agent_suffix(v.clone());
        }
        if let Some(v) = self.max_idle {
            b = b.max_idle_connections_per_host(v);
        }
        if let Some(v) = &self.journal {
            b = b.journal(v.clone());
        }
        if let Some(v) = self.convergence_bound {
            b = b.convergence_bound(v);
        }
        if let Some(v) = self.rate_limit {
            b = b.rate_limit(v);
        }
        b
    }
}

fn millis(v: u64) -> Duration {
    Duration::from_millis(v)
}

/// Create an options object with nothing set. On `CA_OK`, `*options_out` owns a new object; free it with
/// `ca_client_options_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options_out`), `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_new(
    options_out: *mut *mut ca_client_options,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = out(options_out, "options_out")?;
        o.write(guard::into_handle(ca_client_options::default()));
        Ok(())
    })
}

/// Release options. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_free(options: *mut ca_client_options) {
    guard::free_handle(options)
}

/// Host to talk to, e.g. `ca_sandbox_base_url(sb)`. Default `https://api.clickairtime.com`. Must be
/// `https://` except for loopback hosts (checked when the client is built). The string is copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`, `base_url`), `CA_ERR_INVALID_UTF8`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_base_url(
    options: *mut ca_client_options,
    base_url: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = arg_mut(options, "options")?;
        o.base_url = Some(arg_str(base_url, "base_url")?.to_owned());
        Ok(())
    })
}

/// Time allowed to open a connection, in milliseconds. Default 10000; 0 is rejected when the client is built.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_connect_timeout_ms(
    options: *mut ca_client_options,
    milliseconds: u64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(options, "options")?.connect_timeout = Some(millis(milliseconds));
        Ok(())
    })
}

/// Time allowed between sending a request and its answer's headers (and again for its body), in
/// milliseconds. Default 30000. A send that times out is looked up, never blindly re-sent.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_read_timeout_ms(
    options: *mut ca_client_options,
    milliseconds: u64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(options, "options")?.read_timeout = Some(millis(milliseconds));
        Ok(())
    })
}

/// Time allowed for one whole HTTP exchange, in milliseconds. Default 60000.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_timeout_ms(
    options: *mut ca_client_options,
    milliseconds: u64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(options, "options")?.timeout = Some(millis(milliseconds));
        Ok(())
    })
}

/// How many times a read (GET) is retried after a connection error, timeout, 5xx or 429. Default 3, at
/// most 10. Sends are never retried blindly.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_max_retries(
    options: *mut ca_client_options,
    max_retries: u32,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(options, "options")?.max_retries = Some(max_retries);
        Ok(())
    })
}

/// First backoff delay between retries, in milliseconds (doubles each time, with jitter). Default 200.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_retry_base_delay_ms(
    options: *mut ca_client_options,
    milliseconds: u64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(options, "options")?.retry_base_delay = Some(millis(milliseconds));
        Ok(())
    })
}

/// Cap of one backoff delay, in milliseconds. Default 8000.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_max_retry_delay_ms(
    options: *mut ca_client_options,
    milliseconds: u64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(options, "options")?.max_retry_delay = Some(millis(milliseconds));
        Ok(())
    })
}

/// Longest `Retry-After` the client waits on its own, in milliseconds; longer ones are returned as
/// `CA_ERR_RATE_LIMITED`. Default 60000.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_max_retry_after_ms(
    options: *mut ca_client_options,
    milliseconds: u64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(options, "options")?.max_retry_after = Some(millis(milliseconds));
        Ok(())
    })
}

/// The whole budget of one send, in milliseconds: every exchange and lookup inside gets only what remains,
/// so `ca_v2_topup_create` / `ca_v1_send_topup` return within about this long (plus one connect). A send
/// whose write may have been received and that nothing settled by then returns `CA_ERR_OUTCOME_UNKNOWN`.
/// Default 120000.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_send_deadline_ms(
    options: *mut ca_client_options,
    milliseconds: u64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(options, "options")?.send_deadline = Some(millis(milliseconds));
        Ok(())
    })
}

/// HTTP(S) or SOCKS proxy URL, e.g. `http://user:pass@proxy.local:3128` (the password never appears in
/// errors). Default: none, except what `HTTPS_PROXY`/`ALL_PROXY` say. Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`, `proxy_url`), `CA_ERR_INVALID_UTF8`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_proxy(
    options: *mut ca_client_options,
    proxy_url: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = arg_mut(options, "options")?;
        o.proxy = Some(arg_str(proxy_url, "proxy_url")?.to_owned());
        Ok(())
    })
}

/// Whether to honour `HTTP(S)_PROXY`, `ALL_PROXY` and `NO_PROXY` when no proxy is set. Default true.
/// Loopback hosts are never proxied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_proxy_from_env(
    options: *mut ca_client_options,
    enabled: bool,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(options, "options")?.proxy_from_env = Some(enabled);
        Ok(())
    })
}

/// Trust the CA certificates in this PEM text (one or more), besides the bundled Mozilla roots: for shops
/// behind a TLS-inspecting proxy. `pem` points to `pem_len` bytes, copied. If no certificate parses, building
/// the client fails with `CA_ERR_INVALID_INPUT` (field `ca_certificates`).
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`, `pem`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_add_ca_certificates_pem(
    options: *mut ca_client_options,
    pem: *const u8,
    pem_len: usize,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = arg_mut(options, "options")?;
        o.ca_pems.push(arg_bytes(pem, pem_len, "pem")?.to_vec());
        Ok(())
    })
}

/// Text appended to the `User-Agent` header, e.g. your POS name and version. Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`, `suffix`), `CA_ERR_INVALID_UTF8`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_user_agent_suffix(
    options: *mut ca_client_options,
    suffix: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = arg_mut(options, "options")?;
        o.user_agent_suffix = Some(arg_str(suffix, "suffix")?.to_owned());
        Ok(())
    })
}

/// Connections kept open per host for reuse. Default 64 (one per call a burst of 64 runs at once).
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_max_idle_connections_per_host(
    options: *mut ca_client_options,
    count: usize,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(options, "options")?.max_idle = Some(count);
        Ok(())
    })
}

/// V1 only: path of the top-up endpoint, `/adp` (default) or `/adp/topup` (older docs). Checked when the
/// V1 client is built; ignored by V2 clients. Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`, `path`), `CA_ERR_INVALID_UTF8`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_v1_topup_path(
    options: *mut ca_client_options,
    path: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = arg_mut(options, "options")?;
        o.v1_topup_path = Some(arg_str(path, "path")?.to_owned());
        Ok(())
    })
}

/// Keep a crash-safe journal of every send in the SQLite file at `path` (created if missing; WAL,
/// `synchronous=FULL`; shared safely by threads, by the V1 and V2 clients, and by processes using the same
/// file). Each send is written down durably before its first write and again at its end, so:
/// - a reference is sent at most once on that journal, across restarts: a send of a reference the journal
///   holds as sent returns its record (`ca_meta_origin` = `journal`) without writing; one left open by a
///   crash is looked up before anything is written; a different sale under the same reference is
///   `CA_ERR_REFERENCE_CONFLICT`;
/// - `ca_v2_client_pending` / `ca_v1_client_pending` list what is open, and `ca_v2_client_recover` /
///   `ca_v1_client_recover` settle it (call recover at start-up).
///
/// The file is opened when the client is built: `ca_v2_client_new` / `ca_v1_client_new` fail with
/// `CA_ERR_JOURNAL` (nothing sent) if it cannot be opened or written. Readable with the `sqlite3` tool
/// (table `sends`). Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`, `path`), `CA_ERR_INVALID_UTF8`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_journal(
    options: *mut ca_client_options,
    path: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let o = arg_mut(options, "options")?;
        o.journal = Some(arg_str(path, "path")?.to_owned());
        Ok(())
    })
}

/// How long after the last write of a send a lookup that finds nothing proves that it was never created,
/// in milliseconds. Default 780000 (13 minutes: the API documents that every transaction converges within
/// about 12). Before that, "not found" is not proof: a send stays `CA_ERR_OUTCOME_UNKNOWN` and recover
/// leaves it `unknown`. Lower it only against the sandbox (tests); 0 is accepted (any "not found" proves
/// absence) and must never be used against the real API.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_convergence_bound_ms(
    options: *mut ca_client_options,
    milliseconds: u64,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(options, "options")?.convergence_bound = Some(millis(milliseconds));
        Ok(())
    })
}

/// The documented standard tier of the API: requests a minute (for `ca_client_options_set_rate_limit`).
pub const CA_RATE_LIMIT_DOCUMENTED_PER_MINUTE: u32 = 60;
/// The documented burst tier of the API: requests an hour (for `ca_client_options_set_rate_limit`).
pub const CA_RATE_LIMIT_DOCUMENTED_PER_HOUR: u32 = 1000;

/// Pace every request of the client — all its threads, every call, bulk runs included — within
/// `per_minute` requests in any 60 s and `per_hour` in any hour (the documented tiers:
/// `CA_RATE_LIMIT_DOCUMENTED_PER_MINUTE`, `CA_RATE_LIMIT_DOCUMENTED_PER_HOUR`), and follow the server:
/// `X-RateLimit-Remaining: 0` pauses every request until `X-RateLimit-Reset`, a 429's `Retry-After` pauses
/// them for that long. A request waits for its slot (a send within its send deadline); one that cannot get a
/// slot in time fails `CA_ERR_RATE_LIMITED` and was not sent. Default: off (only a 429 is honoured, per
/// request). 0 for either limit is rejected when the client is built (`CA_ERR_INVALID_INPUT`, field
/// `rate_limit`).
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`options`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_client_options_set_rate_limit(
    options: *mut ca_client_options,
    per_minute: u32,
    per_hour: u32,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        arg_mut(options, "options")?.rate_limit = Some(sdk::RateLimitPolicy {
            per_minute,
            per_hour,
        });
        Ok(())
    })
}

/// The `sdk::WaitOptions` of a wait call: each 0 keeps the default.
pub(crate) fn wait_options(
    deadline_ms: u64,
    initial_interval_ms: u64,
    max_interval_ms: u64,
) -> sdk::WaitOptions {
    let mut o = sdk::WaitOptions::default();
    if deadline_ms > 0 {
        o.deadline = Duration::from_millis(deadline_ms);
    }
    if initial_interval_ms > 0 {
        o.initial_interval = Duration::from_millis(initial_interval_ms);
    }
    if max_interval_ms > 0 {
        o.max_interval = Duration::from_millis(max_interval_ms);
    }
    o
}
