//! Fault injection: what the next matching requests suffer.

use serde_json::{Value, json};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// The kind of an injected fault. Names (for `POST /_sandbox/faults`) are in snake case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaultKind {
    /// `drop_before_commit`: close the connection without an answer; nothing is done.
    DropBeforeCommit,
    /// `drop_after_commit`: handle the request (commit), then close without an answer.
    DropAfterCommit,
    /// `server_error`: answer 500 before anything is done.
    ServerError,
    /// `slow`: handle the request, then wait `delay` before answering.
    Slow,
    /// `rate_limit`: answer 429 with `Retry-After: retry_after` before anything is done.
    RateLimit,
    /// `duplicate_409`: handle the request; if it committed a top-up, answer 409
    /// `DUPLICATE_TRANSACTION` (V1: 403 code 90) naming that top-up.
    Duplicate409,
    /// `garbage`: handle the request, then answer 200 with a body that is not JSON.
    Garbage,
    /// `truncated`: handle the request, then send a `Content-Length` larger than the body and close.
    Truncated,
    /// `wrong_content_type`: answer 502 with a `text/html` error page before anything is done.
    WrongContentType,
    /// `slowloris`: handle the request, send the headers, then one body byte per `delay`.
    Slowloris,
    /// `empty_body`: handle the request, then answer 200 with an empty body.
    EmptyBody,
    /// `late_commit`: read the request, answer nothing, wait `delay` (default 2 s), then handle the
    /// request (a POST commits, as if it arrived then) and close the connection without an answer.
    /// The commit happens even if the client has gone.
    LateCommit,
    /// `foreign_record`: a lookup (V2 `GET /v2/topups?reference=R`, `GET /v2/topups/:id`; V1
    /// `GET /adp/transactions?extRefId=R` or `?transaction_Id=I`) answers, *instead of* the real
    /// records, one fabricated completed record that carries the requested reference (or id) but
    /// belongs to another sale: another phone number / msisdn and another amount (or product).
    ForeignRecord,
    /// `extra_record`: like `foreign_record`, but the fabricated record comes first, *alongside* the
    /// real ones (several matches). `GET /v2/topups/:id` can hold one record only: there it answers
    /// like `foreign_record`.
    ExtraRecord,
    /// `html_404`: answer 404 with `Content-Type: text/html` and a proxy's HTML error page before
    /// anything is done.
    Html404,
}

impl FaultKind {
    /// Every kind, in documentation order.
    pub const ALL: [FaultKind; 15] = [
        FaultKind::DropBeforeCommit,
        FaultKind::DropAfterCommit,
        FaultKind::ServerError,
        FaultKind::Slow,
        FaultKind::RateLimit,
        FaultKind::Duplicate409,
        FaultKind::Garbage,
        FaultKind::Truncated,
        FaultKind::WrongContentType,
        FaultKind::Slowloris,
        FaultKind::EmptyBody,
        FaultKind::LateCommit,
        FaultKind::ForeignRecord,
        FaultKind::ExtraRecord,
        FaultKind::Html404,
    ];

    /// The wire name, e.g. `"drop_after_commit"`.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::DropBeforeCommit => "drop_before_commit",
            FaultKind::DropAfterCommit => "drop_after_commit",
            FaultKind::ServerError => "server_error",
            FaultKind::Slow => "slow",
            FaultKind::RateLimit => "rate_limit",
            FaultKind::Duplicate409 => "duplicate_409",
            FaultKind::Garbage => "garbage",
            FaultKind::Truncated => "truncated",
            FaultKind::WrongContentType => "wrong_content_type",
            FaultKind::Slowloris => "slowloris",
            FaultKind::EmptyBody => "empty_body",
            FaultKind::LateCommit => "late_commit",
            FaultKind::ForeignRecord => "foreign_record",
            FaultKind::ExtraRecord => "extra_record",
            FaultKind::Html404 => "html_404",
        }
    }

    /// Whether the request is handled (committed) before the answer is shaped by this fault.
    /// (`late_commit` handles it too, later: the server treats it apart.)
    pub(crate) fn handles_request(self) -> bool {
        !matches!(
            self,
            FaultKind::DropBeforeCommit
                | FaultKind::ServerError
                | FaultKind::RateLimit
                | FaultKind::WrongContentType
                | FaultKind::Html404
                | FaultKind::LateCommit
        )
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error returned when parsing an unknown fault name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFault(pub String);

impl fmt::Display for UnknownFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown fault {:?}", self.0)
    }
}

impl std::error::Error for UnknownFault {}

impl FromStr for FaultKind {
    type Err = UnknownFault;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FaultKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownFault(s.to_string()))
    }
}

/// Default wait of `late_commit`.
pub(crate) const LATE_COMMIT_DEFAULT: Duration = Duration::from_secs(2);

/// A fault to inject into the next `count` requests matching an optional method and path prefix,
/// after letting the first `skip` matching requests through.
///
/// ```
/// use clickairtime_sandbox::{Fault, FaultKind};
/// let f = Fault::new(FaultKind::DropAfterCommit).method("POST").path("/v2/topups").count(2);
/// assert_eq!(f.kind(), FaultKind::DropAfterCommit);
/// // 429 with Retry-After: 3600 on the re-send only.
/// let g = Fault::rate_limit(3600).method("POST").path("/v2/topups").skip(1);
/// assert_eq!(g.get_skip(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    kind: FaultKind,
    count: u32,
    method: Option<String>,
    path: Option<String>,
    delay: Option<Duration>,
    retry_after: Option<u64>,
    skip: u32,
}

impl Fault {
    /// A fault of `kind` for the next single request (any method, any path).
    pub fn new(kind: FaultKind) -> Fault {
        Fault {
            kind,
            count: 1,
            method: None,
            path: None,
            delay: None,
            retry_after: None,
            skip: 0,
        }
    }

    /// `drop_before_commit` for the next request.
    pub fn drop_before_commit() -> Fault {
        Fault::new(FaultKind::DropBeforeCommit)
    }

    /// `drop_after_commit` for the next request.
    pub fn drop_after_commit() -> Fault {
        Fault::new(FaultKind::DropAfterCommit)
    }

    /// `server_error` for the next request.
    pub fn server_error() -> Fault {
        Fault::new(FaultKind::ServerError)
    }

    /// `slow` (answer after `delay`) for the next request.
    pub fn slow(delay: Duration) -> Fault {
        Fault::new(FaultKind::Slow).delay(delay)
    }

    /// `rate_limit` (429, `Retry-After: retry_after_secs`) for the next request.
    pub fn rate_limit(retry_after_secs: u64) -> Fault {
        Fault::new(FaultKind::RateLimit).retry_after(retry_after_secs)
    }

    /// `late_commit` for the next request: no answer, commit after `delay` (default 2 s; set it with
    /// [`Fault::delay`]), then close.
    pub fn late_commit() -> Fault {
        Fault::new(FaultKind::LateCommit)
    }

    /// `foreign_record` for the next request: a lookup answers another sale's record (with the
    /// requested reference or id) instead of the real ones.
    pub fn foreign_record() -> Fault {
        Fault::new(FaultKind::ForeignRecord)
    }

    /// `extra_record` for the next request: a lookup answers another sale's record (with the
    /// requested reference or id) first, then the real ones.
    pub fn extra_record() -> Fault {
        Fault::new(FaultKind::ExtraRecord)
    }

    /// `html_404` for the next request: 404 with a `text/html` error page, nothing done.
    pub fn html_404() -> Fault {
        Fault::new(FaultKind::Html404)
    }

    /// Lets the first `n` matching requests through untouched before the fault applies (default
    /// 0). Skipped requests do not use up `count`.
    pub fn skip(mut self, n: u32) -> Fault {
        self.skip = n;
        self
    }

    /// Number of matching requests that get the fault (default 1; 0 is treated as 1).
    pub fn count(mut self, n: u32) -> Fault {
        self.count = n.max(1);
        self
    }

    /// Only requests with this method (case-insensitive) match.
    pub fn method(mut self, method: impl Into<String>) -> Fault {
        self.method = Some(method.into().to_ascii_uppercase());
        self
    }

    /// Only requests whose path starts with `prefix` match.
    pub fn path(mut self, prefix: impl Into<String>) -> Fault {
        self.path = Some(prefix.into());
        self
    }

    /// Delay for `slow` (default: the configured slow delay), `slowloris` (default 100 ms per byte)
    /// and `late_commit` (default 2 s).
    pub fn delay(mut self, d: Duration) -> Fault {
        self.delay = Some(d);
        self
    }

    /// `Retry-After` seconds for `rate_limit` (default 1).
    pub fn retry_after(mut self, secs: u64) -> Fault {
        self.retry_after = Some(secs);
        self
    }

    /// The fault kind.
    pub fn kind(&self) -> FaultKind {
        self.kind
    }

    /// Remaining number of requests this fault applies to.
    pub fn get_count(&self) -> u32 {
        self.count
    }

    /// Matching requests still to let through before the fault applies.
    pub fn get_skip(&self) -> u32 {
        self.skip
    }

    pub(crate) fn get_delay(&self) -> Option<Duration> {
        self.delay
    }

    pub(crate) fn get_retry_after(&self) -> u64 {
        self.retry_after.unwrap_or(1)
    }

    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path.as_deref().is_none_or(|p| path.starts_with(p))
    }

    /// Parses the body of `POST /_sandbox/faults`.
    pub(crate) fn from_json(v: &Value) -> Result<Fault, String> {
        let obj = v.as_object().ok_or("body must be a JSON object")?;
        let name = obj
            .get("fault")
            .and_then(Value::as_str)
            .ok_or("missing \"fault\"")?;
        let kind: FaultKind = name.parse().map_err(|e: UnknownFault| e.to_string())?;
        let mut f = Fault::new(kind);
        if let Some(c) = obj.get("count").filter(|c| !c.is_null()) {
            let c = c.as_u64().ok_or("\"count\" must be a positive integer")?;
            f = f.count(u32::try_from(c).unwrap_or(u32::MAX));
        }
        if let Some(m) = obj.get("method").and_then(Value::as_str) {
            f = f.method(m);
        }
        if let Some(p) = obj.get("path").and_then(Value::as_str) {
            f = f.path(p);
        }
        if let Some(d) = obj.get("delay_ms").filter(|d| !d.is_null()) {
            let d = d
                .as_u64()
                .ok_or("\"delay_ms\" must be a non-negative integer")?;
            f = f.delay(Duration::from_millis(d));
        }
        if let Some(r) = obj.get("retry_after").filter(|r| !r.is_null()) {
            let r = r
                .as_u64()
                .ok_or("\"retry_after\" must be a non-negative integer")?;
            f = f.retry_after(r);
        }
        let skip = obj.get("skip").filter(|v| !v.is_null());
        let after = obj.get("after").filter(|v| !v.is_null());
        if skip.is_some() && after.is_some() {
            return Err("give \"skip\" or its alias \"after\", not both".into());
        }
        if let Some(n) = skip.or(after) {
            let n = n
                .as_u64()
                .ok_or("\"skip\" must be a non-negative integer")?;
            f = f.skip(u32::try_from(n).unwrap_or(u32::MAX));
        }
        Ok(f)
    }

    /// JSON form (as listed by `GET /_sandbox/faults`).
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "fault": self.kind.as_str(),
            "count": self.count,
            "method": self.method,
            "path": self.path,
            "delay_ms": self.delay.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            "retry_after": self.retry_after,
            "skip": self.skip,
        })
    }

    /// Counts one matching request against `skip`; true if it was skipped.
    pub(crate) fn skip_one(&mut self) -> bool {
        if self.skip == 0 {
            return false;
        }
        self.skip -= 1;
        true
    }

    pub(crate) fn consume_one(&mut self) -> bool {
        self.count = self.count.saturating_sub(1);
        self.count == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in FaultKind::ALL {
            assert_eq!(k.as_str().parse::<FaultKind>(), Ok(k));
        }
        assert!("nope".parse::<FaultKind>().is_err());
    }

    #[test]
    fn late_commit_waits_two_seconds_unless_told() {
        assert_eq!(LATE_COMMIT_DEFAULT, Duration::from_secs(2));
        assert_eq!(Fault::late_commit().get_delay(), None);
        assert_eq!(
            Fault::late_commit()
                .delay(Duration::from_millis(5))
                .get_delay(),
            Some(Duration::from_millis(5))
        );
    }

    #[test]
    fn parse_json() {
        let f = Fault::from_json(
            &json!({"fault":"slow","count":2,"method":"post","path":"/v2","delay_ms":5}),
        )
        .unwrap();
        assert_eq!(f.kind(), FaultKind::Slow);
        assert_eq!(f.get_count(), 2);
        assert!(f.matches("POST", "/v2/topups"));
        assert!(!f.matches("GET", "/v2/topups"));
        assert!(Fault::from_json(&json!({"fault":"bogus"})).is_err());
        let g = Fault::from_json(&json!({"fault":"late_commit","after":2})).unwrap();
        assert_eq!((g.kind(), g.get_skip()), (FaultKind::LateCommit, 2));
        assert_eq!(g.to_json()["skip"], 2);
        assert!(Fault::from_json(&json!({"fault":"html_404","skip":-1})).is_err());
        assert!(Fault::from_json(&json!({"fault":"html_404","skip":1,"after":1})).is_err());
    }
}
