//! Evidence for a proposed core fix (see bench/NOTES.md): the same GET loop on a bare ureq `Agent` configured
//! like `core/src/transport.rs` (global + connect + recv timeouts, so ureq's `DefaultResolver` resolves on a
//! new thread on *every* call, even when a pooled connection is reused), against the same agent with a
//! resolver that answers IP literals directly and caches names for 30 s.
//!
//! usage: ureq_probe --url URL [--n N] [--warmup W] [--conc 8] [--conc-calls N] [--out FILE]

use clickairtime_bench::{Opts, concurrent, finish, sequential};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use ureq::Agent;
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

/// IP literals without a lookup; names through the default resolver, cached for `TTL`.
#[derive(Debug, Default)]
struct CachingResolver {
    inner: DefaultResolver,
    cache: Mutex<Option<(String, Instant, ResolvedSocketAddrs)>>,
}

const TTL: Duration = Duration::from_secs(30);

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri
            .host()
            .unwrap_or("")
            .trim_start_matches('[')
            .trim_end_matches(']');
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("https") {
                443
            } else {
                80
            });
        if let Ok(ip) = host.parse::<IpAddr>() {
            let mut v = self.empty();
            v.push(SocketAddr::new(ip, port));
            return Ok(v);
        }
        let key = format!("{host}:{port}");
        if let Some((k, at, addrs)) = &*self.cache.lock().unwrap() {
            if *k == key && at.elapsed() < TTL {
                return Ok(addrs.clone());
            }
        }
        let addrs = self.inner.resolve(uri, config, timeout)?;
        *self.cache.lock().unwrap() = Some((key, Instant::now(), addrs.clone()));
        Ok(addrs)
    }
}

fn config() -> Config {
    // as core/src/transport.rs builds it (the parts that matter here)
    Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .accept("application/json")
        .timeout_connect(Some(Duration::from_secs(10)))
        .timeout_recv_response(Some(Duration::from_secs(30)))
        .timeout_recv_body(Some(Duration::from_secs(30)))
        .timeout_global(Some(Duration::from_secs(60)))
        .max_idle_connections_per_host(16)
        .max_idle_connections(64)
        .build()
}

fn get(agent: &Agent, url: &str, auth: &str) -> Result<(), String> {
    let mut r = agent
        .get(url)
        .header("Authorization", auth)
        .call()
        .map_err(|e| e.to_string())?;
    let body = r.body_mut().read_to_vec().map_err(|e| e.to_string())?;
    if r.status() != 200 || body.is_empty() {
        return Err(format!("status {}", r.status()));
    }
    Ok(())
}

fn main() {
    let o = Opts::parse();
    let url = format!("{}/v2/topups/{}", o.url, o.id);
    let auth = format!("Bearer {}", o.key);
    let mut errors = Vec::new();
    let mut results = Vec::new();
    for (name, agent) in [
        ("get_default_resolver", Agent::new_with_config(config())),
        (
            "get_caching_resolver",
            Agent::with_parts(
                config(),
                DefaultConnector::default(),
                CachingResolver::default(),
            ),
        ),
    ] {
        let mut r = sequential(name, &o, &mut errors, |_| get(&agent, &url, &auth));
        r["op"] = name.into();
        results.push(r);
        if o.conc > 0 && o.conc_calls > 0 {
            let mut r = concurrent(name, &o, &mut errors, |_| {
                let (a, u, h) = (agent.clone(), url.clone(), auth.clone());
                move |_| get(&a, &u, &h)
            });
            r["op"] = name.into();
            results.push(r);
        }
    }
    finish(&o, "rust", "ureq_probe", results, None, errors);
}
