//! Host names resolved once per TTL (ureq would start a thread and a lookup per request).

use crate::error::Result;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a resolved host name is reused (libcurl's default DNS cache lasts 60 s).
const DNS_TTL: Duration = Duration::from_secs(30);

/// ureq resolves the host before it looks in its connection pool, and with a timeout set its default
/// resolver starts a thread per lookup: one thread and one `getaddrinfo` per request, even on a pooled
/// connection (measured in bench/NOTES.md). This resolver answers IP literals directly and keeps names for
/// [`DNS_TTL`], delegating the lookup itself (and its timeout) to ureq's resolver.
#[derive(Debug, Default)]
pub(super) struct CachingResolver {
    inner: DefaultResolver,
    cache: Mutex<Vec<(String, Instant, ResolvedSocketAddrs)>>,
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri
            .host()
            .unwrap_or("")
            .trim_start_matches('[')
            .trim_end_matches(']');
        let default_port = if uri.scheme_str() == Some("https") {
            443
        } else {
            80
        };
        let port = uri.port_u16().unwrap_or(default_port);
        if let Ok(ip) = host.parse::<IpAddr>() {
            let mut addrs = self.empty();
            addrs.push(SocketAddr::new(ip, port));
            return Ok(addrs);
        }
        let key = format!("{host}:{port}");
        {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((_, _, addrs)) = cache
                .iter()
                .find(|(k, at, _)| *k == key && at.elapsed() < DNS_TTL)
            {
                return Ok(addrs.clone());
            }
        }
        // a failed lookup never reached the server: say so, whatever the resolver's own error was
        let addrs = self
            .inner
            .resolve(uri, config, timeout)
            .map_err(|e| match e {
                ureq::Error::Timeout(t) => ureq::Error::Timeout(t),
                _ => ureq::Error::HostNotFound,
            })?;
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.retain(|(k, at, _)| *k != key && at.elapsed() < DNS_TTL);
        cache.push((key, Instant::now(), addrs.clone()));
        Ok(addrs)
    }
}
