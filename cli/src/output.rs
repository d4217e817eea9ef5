//! Output: results on stdout (text or JSON), messages on stderr, failures with their exit code.

use clickairtime::{Error, ErrorKind};
use serde_json::{Map, Value, json};
use std::io::Write;

/// Exit codes (documented in `--help` and README.md).
pub mod code {
    /// Success: sent, delivered, found.
    pub const OK: i32 = 0;
    /// Not sent / failed (definite), or a read that failed.
    pub const NOT_SENT: i32 = 1;
    /// Usage error: nothing was sent.
    pub const USAGE: i32 = 2;
    /// Outcome unknown: do not send again; recover.
    pub const UNKNOWN: i32 = 3;
    /// Still pending: created, not final yet.
    pub const PENDING: i32 = 4;
    /// Refused for another sale (duplicate sale / reference conflict).
    pub const REFUSED: i32 = 5;
    /// Balance below the threshold.
    pub const BELOW: i32 = 6;
    /// Bulk: some rows not sent.
    pub const BULK_INCOMPLETE: i32 = 7;
    /// Interrupted by a second Ctrl-C.
    pub const INTERRUPTED: i32 = 130;
}

/// Write a line to stdout; a closed pipe (`| head`) is not an error worth a panic.
pub(crate) fn out(s: &str) {
    let mut o = std::io::stdout().lock();
    let _ = writeln!(o, "{s}");
    let _ = o.flush();
}

/// Write a line to stderr.
pub(crate) fn warn(s: &str) {
    let mut e = std::io::stderr().lock();
    let _ = writeln!(e, "{s}");
}

/// One JSON document, on one line.
pub(crate) fn out_json(v: &Value) {
    out(&serde_json::to_string(v).unwrap_or_else(|_| "{}".into()));
}

/// A command that did not succeed: its exit code, a true message, and details for `--json`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub code: i32,
    /// `usage`, `not_sent`, `unknown`, `still_pending`, `refused`, `failed`, `error` …
    pub outcome: &'static str,
    pub message: String,
    pub error: Option<Value>,
    /// Extra fields for the JSON document.
    pub extra: Map<String, Value>,
}

impl Failure {
    pub fn new(code: i32, outcome: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            code,
            outcome,
            message: message.into(),
            error: None,
            extra: Map::new(),
        }
    }

    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::new(code::USAGE, "usage", message)
    }

    pub fn with_error(mut self, e: &Error) -> Failure {
        self.error = Some(error_json(e));
        self
    }

    pub fn with(mut self, key: &str, v: impl Into<Value>) -> Failure {
        self.extra.insert(key.into(), v.into());
        self
    }

    /// A failed read (balance, lookup, status, list …): usage for invalid input, else 1.
    pub fn read(e: &Error) -> Failure {
        if e.kind() == ErrorKind::InvalidInput {
            return Failure::usage(format!("{e}")).with_error(e);
        }
        Failure::new(code::NOT_SENT, "error", format!("{e}")).with_error(e)
    }

    /// A failed send, told truthfully: the five ends of a send.
    pub fn send(e: &Error) -> Failure {
        let reference = e.reference().unwrap_or("");
        let other = match (e.transaction_id(), e.existing_reference()) {
            (Some(id), Some(r)) if r == reference => format!("top-up {id}"),
            (Some(id), Some(r)) => format!("top-up {id}, reference {r}"),
            (Some(id), None) => format!("top-up {id}"),
            (None, Some(r)) => format!("reference {r}"),
            (None, None) => "not named by the API".into(),
        };
        let f = match e.kind() {
            ErrorKind::OutcomeUnknown => Failure::new(
                code::UNKNOWN,
                "unknown",
                format!(
                    "OUTCOME UNKNOWN: the top-up with reference {reference} may have been received by the API; \
                     nothing settled it yet. Do NOT send it again by other means and do not refund: run \
                     `clickairtime recover` (or `clickairtime status --reference {reference}`) later. \
                     Cause: {}",
                    e.message()
                ),
            ),
            ErrorKind::StillPending => Failure::new(
                code::PENDING,
                "still_pending",
                format!(
                    "still pending: top-up {} was created and was not final by the deadline (last seen: {}); \
                     it may still complete. Check again later.",
                    e.transaction_id().unwrap_or("?"),
                    e.status().unwrap_or("not final")
                ),
            ),
            ErrorKind::DuplicateSale => Failure::new(
                code::REFUSED,
                "refused",
                format!(
                    "refused as a duplicate sale: the API holds another sale of the same phone, network and \
                     amount made moments ago ({other}). This one (reference {reference}) was not created. {}",
                    e.message()
                ),
            ),
            ErrorKind::ReferenceConflict => Failure::new(
                code::REFUSED,
                "refused",
                format!(
                    "refused: reference {reference} already belongs to another sale ({other}); this one was \
                     not created. Use a new reference. {}",
                    e.message()
                ),
            ),
            ErrorKind::InvalidInput => Failure::usage(format!("{e}; nothing was sent")),
            _ => Failure::new(
                code::NOT_SENT,
                "not_sent",
                format!(
                    "not sent: {e}. Nothing was sold; fix the cause and send again (the same reference is fine)."
                ),
            ),
        };
        f.with_error(e)
    }
}

/// Every field of an error that a script may need (never credentials: the core never puts them in one).
pub(crate) fn error_json(e: &Error) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), e.kind().as_str().into());
    m.insert("message".into(), e.message().into());
    let mut opt = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            m.insert(k.into(), v.into());
        }
    };
    opt("field", e.field());
    opt("api_code", e.api_code());
    opt("request_id", e.request_id());
    opt("reference", e.reference());
    opt("idempotency_key", e.idempotency_key());
    opt("transaction_id", e.transaction_id());
    opt("existing_reference", e.existing_reference());
    opt("status", e.status());
    opt("cause_kind", e.cause_kind().map(|k| k.as_str()));
    if let Some(s) = e.http_status() {
        m.insert("http_status".into(), s.into());
    }
    if let Some(d) = e.retry_after() {
        m.insert("retry_after_s".into(), json!(d.as_secs_f64()));
    }
    Value::Object(m)
}

/// Print a failure: JSON on stdout with `--json`, else the message on stderr. Returns its exit code.
pub(crate) fn report_failure(json_mode: bool, f: Failure) -> i32 {
    if json_mode {
        let mut m = Map::new();
        m.insert("ok".into(), false.into());
        m.insert("outcome".into(), f.outcome.into());
        m.insert("exit_code".into(), f.code.into());
        m.insert("message".into(), f.message.clone().into());
        if let Some(e) = f.error {
            m.insert("error".into(), e);
        }
        for (k, v) in f.extra {
            m.insert(k, v);
        }
        out_json(&Value::Object(m));
    } else {
        warn(&format!("clickairtime: {}", f.message));
    }
    f.code
}

/// Print a success document with `ok`, `exit_code` added.
pub(crate) fn json_result(code: i32, mut v: Value) {
    if let Value::Object(m) = &mut v {
        m.insert("ok".into(), (code == code::OK).into());
        m.insert("exit_code".into(), code.into());
    }
    out_json(&v);
}

/// A plain text table: columns padded to their widest cell.
pub(crate) fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let fmt_row = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let mut line = String::new();
        for (i, c) in cells.enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(c);
            if i + 1 < widths.len() {
                line.extend(std::iter::repeat_n(
                    ' ',
                    w.saturating_sub(c.chars().count()),
                ));
            }
        }
        line.trim_end().to_owned()
    };
    let mut s = fmt_row(&mut headers.iter().copied());
    for r in rows {
        s.push('\n');
        s.push_str(&fmt_row(&mut r.iter().map(String::as_str)));
    }
    s
}

/// `Some(x)` as text, `None` as empty.
pub(crate) fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Unix milliseconds as `2024-05-01T12:00:00Z`.
pub(crate) fn iso_ms(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
            .ok()
        })
        .unwrap_or_else(|| ms.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align() {
        let t = table(
            &["a", "bb"],
            &[vec!["xxx".into(), "y".into()], vec!["".into(), "z".into()]],
        );
        assert_eq!(t, "a    bb\nxxx  y\n     z");
        assert_eq!(iso_ms(0), "1970-01-01T00:00:00Z");
    }
}
