//! `send`, `status`, `list`, `wait` (one submodule each; `wait` lives with `status`), and what they share:
//! wait options, exit codes of a status, and how a top-up is described.

mod list;
mod send;
mod status;

pub(crate) use list::list;
pub(crate) use send::send;
pub(crate) use status::{status, wait};

use crate::output::{Failure, code, opt};
use clickairtime::WaitOptions;
use clickairtime::v1::{Transaction, TransactionState};
use clickairtime::v2::{TopUp, TopUpStatus};
use std::time::Duration;

fn usage_of(e: &clickairtime::Error) -> Failure {
    Failure::usage(format!("{e}")).with_error(e)
}

fn wait_options(seconds: f64) -> Result<WaitOptions, Failure> {
    if !(seconds.is_finite() && seconds > 0.0 && seconds < 1e7) {
        return Err(Failure::usage(format!(
            "{seconds} is not a positive number of seconds"
        )));
    }
    Ok(WaitOptions {
        deadline: Duration::from_secs_f64(seconds),
        initial_interval: Duration::from_millis(500),
        max_interval: Duration::from_secs(10),
        ..WaitOptions::default()
    })
}

/// Exit code of a V2 status: completed 0, failed (or refunded, cancelled) 1, not final 4.
fn v2_code(s: &TopUpStatus) -> i32 {
    if s.is_success() {
        code::OK
    } else if s.is_terminal() {
        code::NOT_SENT
    } else {
        code::PENDING
    }
}

/// Exit code of a V1 state, the same way.
fn v1_code(s: &TransactionState) -> i32 {
    if s.is_success() {
        code::OK
    } else if s.is_terminal() {
        code::NOT_SENT
    } else {
        code::PENDING
    }
}

fn verdict_word(code: i32) -> &'static str {
    match code {
        code::OK => "delivered",
        code::NOT_SENT => "not delivered as sold",
        _ => "not final yet",
    }
}

fn what_v2(t: &TopUp) -> String {
    match (&t.amount, &t.product_id) {
        (Some(m), _) => format!("{} {}", m.value, m.currency),
        (None, Some(p)) => match &t.product_name {
            Some(n) => format!("bundle {p} ({n})"),
            None => format!("bundle {p}"),
        },
        (None, None) => "?".into(),
    }
}

fn describe_v2(t: &TopUp) -> String {
    let mut s = format!(
        "top-up {} {}: {} to {}",
        t.id,
        t.status,
        what_v2(t),
        t.phone_number.as_deref().unwrap_or("?")
    );
    if let Some(n) = t.network.as_ref().and_then(|n| n.name.as_deref()) {
        s.push_str(&format!(" ({n})"));
    }
    if let Some(r) = &t.reference {
        s.push_str(&format!(", reference {r}"));
    }
    if let Some(f) = &t.failure_reason {
        s.push_str(&format!(", failure reason {f}"));
    }
    s
}

fn describe_v1(t: &Transaction) -> String {
    let mut s = format!(
        "transaction {} {}: {} {} to {}",
        t.transaction_id.as_deref().unwrap_or("?"),
        t.state,
        opt(t.delivered_amount()),
        t.currency.as_deref().unwrap_or(""),
        t.msisdn.as_deref().unwrap_or("?")
    );
    if let Some(n) = &t.network {
        s.push_str(&format!(" ({n})"));
    }
    if let Some(r) = &t.ext_ref_id {
        s.push_str(&format!(", reference {r}"));
    }
    if let Some(m) = t
        .message
        .as_ref()
        .filter(|_| t.state.is_terminal() && !t.state.is_success())
    {
        s.push_str(&format!(", message {m:?}"));
    }
    s
}

fn origin_headline(origin: Option<clickairtime::SendOrigin>) -> &'static str {
    match origin.map(|o| o.as_str()) {
        Some("recovered") => {
            "sent (the answer was lost; the sale was found at the API by its reference and verified)"
        }
        Some("replayed") => {
            "already sent: the API returned this sale's existing record (nothing new was created)"
        }
        Some("journal") => "already sent earlier (per the journal): not sent again",
        _ => "sent",
    }
}

fn metadata(items: &[String]) -> Result<Vec<(String, String)>, Failure> {
    items
        .iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.to_owned())),
            _ => Err(Failure::usage(format!(
                "--metadata {kv:?}: expected KEY=VALUE"
            ))),
        })
        .collect()
}
