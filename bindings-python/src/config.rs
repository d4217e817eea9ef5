//! Client settings shared by both clients' constructors, and wait options.

use crate::convert::{secs, u32_arg};
use clickairtime::config::ClientBuilder;
use clickairtime::{Error as CoreError, RateLimitPolicy, WaitOptions};
use std::path::PathBuf;

type CoreResult<T> = Result<T, CoreError>;

/// Settings shared by both clients' constructors.
pub(crate) struct HttpOptions {
    pub(crate) base_url: Option<String>,
    pub(crate) timeout: Option<f64>,
    pub(crate) connect_timeout: Option<f64>,
    pub(crate) read_timeout: Option<f64>,
    pub(crate) max_retries: Option<i64>,
    pub(crate) retry_base_delay: Option<f64>,
    pub(crate) max_retry_delay: Option<f64>,
    pub(crate) max_retry_after: Option<f64>,
    pub(crate) send_deadline: Option<f64>,
    pub(crate) proxy: Option<String>,
    pub(crate) proxy_from_env: Option<bool>,
    pub(crate) ca_certificates_pem: Option<Vec<u8>>,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) max_idle_connections_per_host: Option<i64>,
    pub(crate) journal: Option<PathBuf>,
    pub(crate) convergence_bound: Option<f64>,
    pub(crate) rate_limit_per_minute: Option<i64>,
    pub(crate) rate_limit_per_hour: Option<i64>,
}

/// A request count of the rate limit (1 to 1,000,000).
pub(crate) fn rate_count(field: &str, v: Option<i64>) -> CoreResult<Option<u32>> {
    v.map(|n| {
        u32::try_from(n)
            .ok()
            .filter(|n| (1..=1_000_000).contains(n))
            .ok_or_else(|| {
                CoreError::invalid(
                    field,
                    format!("{n} is not a request count from 1 to 1000000"),
                )
            })
    })
    .transpose()
}

impl HttpOptions {
    pub(crate) fn apply<C>(self, mut b: ClientBuilder<C>) -> CoreResult<ClientBuilder<C>> {
        if let Some(u) = self.base_url {
            b = b.base_url(u);
        }
        if let Some(d) = secs("timeout", self.timeout)? {
            b = b.timeout(d);
        }
        if let Some(d) = secs("connect_timeout", self.connect_timeout)? {
            b = b.connect_timeout(d);
        }
        if let Some(d) = secs("read_timeout", self.read_timeout)? {
            b = b.read_timeout(d);
        }
        if let Some(n) = u32_arg("max_retries", self.max_retries)? {
            b = b.max_retries(n);
        }
        if let Some(d) = secs("retry_base_delay", self.retry_base_delay)? {
            b = b.retry_base_delay(d);
        }
        if let Some(d) = secs("max_retry_delay", self.max_retry_delay)? {
            b = b.max_retry_delay(d);
        }
        if let Some(d) = secs("max_retry_after", self.max_retry_after)? {
            b = b.max_retry_after(d);
        }
        if let Some(d) = secs("send_deadline", self.send_deadline)? {
            b = b.send_deadline(d);
        }
        if let Some(p) = self.proxy {
            b = b.proxy(p);
        }
        if let Some(yes) = self.proxy_from_env {
            b = b.proxy_from_env(yes);
        }
        if let Some(pem) = self.ca_certificates_pem {
            b = b.add_ca_certificates_pem(&pem);
        }
        if let Some(s) = self.user_agent_suffix {
            b = b.user_agent_suffix(s);
        }
        if let Some(n) = self.max_idle_connections_per_host {
            let n = usize::try_from(n).map_err(|_| {
                CoreError::invalid(
                    "max_idle_connections_per_host",
                    format!("{n} is out of range"),
                )
            })?;
            b = b.max_idle_connections_per_host(n);
        }
        if let Some(path) = self.journal {
            if path.as_os_str().is_empty() {
                return Err(CoreError::invalid(
                    "journal",
                    "must be a file path, not empty",
                ));
            }
            b = b.journal(path);
        }
        if let Some(d) = secs("convergence_bound", self.convergence_bound)? {
            b = b.convergence_bound(d);
        }
        let per_minute = rate_count("rate_limit.per_minute", self.rate_limit_per_minute)?;
        let per_hour = rate_count("rate_limit.per_hour", self.rate_limit_per_hour)?;
        if per_minute.is_some() || per_hour.is_some() {
            // what is not given keeps the documented tier (60 a minute, 1,000 an hour)
            b = b.rate_limit(RateLimitPolicy {
                per_minute: per_minute.unwrap_or(RateLimitPolicy::DOCUMENTED.per_minute),
                per_hour: per_hour.unwrap_or(RateLimitPolicy::DOCUMENTED.per_hour),
            });
        }
        Ok(b)
    }
}

pub(crate) fn wait_options(
    deadline: Option<f64>,
    initial_interval: Option<f64>,
    max_interval: Option<f64>,
    not_found_grace: Option<f64>,
) -> CoreResult<WaitOptions> {
    let mut o = WaitOptions::default();
    if let Some(d) = secs("deadline", deadline)? {
        o.deadline = d;
    }
    if let Some(d) = secs("initial_interval", initial_interval)? {
        o.initial_interval = d;
    }
    if let Some(d) = secs("max_interval", max_interval)? {
        o.max_interval = d;
    }
    if let Some(d) = secs("not_found_grace", not_found_grace)? {
        o.not_found_grace = d;
    }
    Ok(o)
}
