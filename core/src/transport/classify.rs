//! What a failed exchange means: whether the request may have reached the server, and the rate-limit headers.

use super::Failure;
use crate::error::{Error, ErrorKind};
use crate::response::RateLimit;

pub(super) fn parse_rate_limit(h: &ureq::http::HeaderMap) -> Option<RateLimit> {
    let num = |name: &str| {
        h.get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|s| s.trim().parse::<u64>().ok())
    };
    let rl = RateLimit {
        limit: num("x-ratelimit-limit"),
        remaining: num("x-ratelimit-remaining"),
        reset: num("x-ratelimit-reset"),
    };
    (rl != RateLimit::default()).then_some(rl)
}

/// Map a ureq error to our error, and say whether the request may have reached the server.
pub(super) fn classify(e: ureq::Error) -> Failure {
    use ureq::Error as U;
    use ureq::Timeout as T;
    match e {
        U::Timeout(t) => {
            let msg = format!("{t} timed out").to_lowercase();
            let err = Error::new(ErrorKind::Timeout, msg);
            match t {
                T::Resolve | T::Connect => Failure::NotSent(err),
                _ => Failure::MaybeSent(err),
            }
        }
        U::HostNotFound => Failure::NotSent(Error::new(ErrorKind::Connection, "host not found")),
        U::ConnectionFailed => {
            Failure::NotSent(Error::new(ErrorKind::Connection, "connection failed"))
        }
        U::ConnectProxyFailed(m) => Failure::NotSent(Error::new(
            ErrorKind::Connection,
            format!("proxy connect failed: {m}"),
        )),
        U::Io(io) => {
            // ureq hands rustls failures (an untrusted certificate …) over inside an io error
            if let Some(tls) = io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) {
                let err = Error::new(ErrorKind::Tls, format!("tls: {tls}").to_lowercase());
                return match tls {
                    // certificate checks happen in the handshake, before any request byte is written
                    rustls::Error::InvalidCertificate(_)
                    | rustls::Error::NoCertificatesPresented
                    | rustls::Error::PeerIncompatible(_)
                    | rustls::Error::UnsupportedNameType => Failure::NotSent(err),
                    _ => Failure::MaybeSent(err),
                };
            }
            let msg = format!("i/o error: {io}");
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::AddrNotAvailable => {
                    Failure::NotSent(Error::new(ErrorKind::Connection, msg))
                }
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                    Failure::MaybeSent(Error::new(ErrorKind::Timeout, msg))
                }
                _ => Failure::MaybeSent(Error::new(ErrorKind::Connection, msg)),
            }
        }
        U::Tls(m) => Failure::NotSent(Error::new(ErrorKind::Tls, m.to_lowercase())),
        U::Pem(p) => Failure::NotSent(Error::new(ErrorKind::Tls, format!("pem: {p}"))),
        U::Rustls(r) => Failure::NotSent(Error::new(ErrorKind::Tls, r.to_string())),
        U::BadUri(_) | U::Http(_) | U::InvalidProxyUrl | U::RequireHttpsOnly(_) => {
            Failure::NotSent(Error::new(
                ErrorKind::InvalidInput,
                "request could not be built",
            ))
        }
        U::Protocol(p) => Failure::MaybeSent(Error::new(
            ErrorKind::UnexpectedResponse,
            format!("http protocol error: {p}"),
        )),
        U::BodyExceedsLimit(n) => Failure::MaybeSent(Error::new(
            ErrorKind::UnexpectedResponse,
            format!("answer body larger than {n} bytes"),
        )),
        U::LargeResponseHeader(..) => Failure::MaybeSent(Error::new(
            ErrorKind::UnexpectedResponse,
            "answer headers too large",
        )),
        U::TooManyRedirects | U::RedirectFailed => Failure::MaybeSent(Error::new(
            ErrorKind::UnexpectedResponse,
            "unexpected redirect",
        )),
        other => Failure::MaybeSent(Error::new(
            ErrorKind::Connection,
            other.to_string().to_lowercase(),
        )),
    }
}
