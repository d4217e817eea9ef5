//! `status` and `wait`: one top-up looked up by id or reference, and what the journal says of one the API
//! does not show.

use super::{describe_v1, describe_v2, v1_code, v2_code, verdict_word, wait_options};
use crate::args::{StatusArgs, WaitArgs};
use crate::output::{Failure, code, json_result, out};
use crate::{ClientOpts, Ctx};
use clickairtime::v1::{self, Transaction, TransactionFilter};
use clickairtime::v2::TopUp;
use clickairtime::{ErrorKind, Journal, Response, SendState};
use serde_json::json;

/// What the journal says about a reference the API does not show (the journal file is only read if it
/// exists).
fn journal_verdict(ctx: &Ctx, api: &str, reference: &str) -> Option<Failure> {
    let path = ctx.s.journal.as_ref()?;
    if !path.exists() {
        return None;
    }
    let j = Journal::open(path).ok()?;
    let e = j.get(api, reference).ok()??;
    let f = match e.state {
        SendState::InFlight | SendState::Unknown => Failure::new(
            code::UNKNOWN,
            "unknown",
            format!(
                "no top-up with reference {reference} is visible at the API now, but the journal holds it {}: \
                 it may have been received. Do NOT send it again by other means: run `clickairtime recover`.",
                e.state
            ),
        ),
        SendState::NotSent => Failure::new(
            code::NOT_SENT,
            "not_sent",
            format!(
                "not sent: the journal recorded reference {reference} as not sent ({}), and the API shows none",
                e.error_message.as_deref().unwrap_or("no message")
            ),
        ),
        SendState::Refused => Failure::new(
            code::REFUSED,
            "refused",
            format!(
                "refused: the journal recorded reference {reference} as refused for another sale ({})",
                e.error_message.as_deref().unwrap_or("no message")
            ),
        ),
        SendState::Sent => Failure::new(
            code::UNKNOWN,
            "unknown",
            format!(
                "the journal recorded reference {reference} as sent (top-up {}), but the API shows no top-up with it now; \
                 check again later",
                e.transaction_id.as_deref().unwrap_or("?")
            ),
        ),
    };
    Some(
        f.with("journal_state", e.state.as_str())
            .with("journal", path.display().to_string()),
    )
}

fn not_found_reference(ctx: &Ctx, api: &str, reference: &str) -> Failure {
    journal_verdict(ctx, api, reference).unwrap_or_else(|| {
        Failure::new(
            code::NOT_SENT,
            "not_found",
            format!(
                "no top-up with reference {reference} at the API now (one sent in the last ~13 minutes may not be visible yet)"
            ),
        )
    })
}

fn lookup_failure(e: &clickairtime::Error) -> Failure {
    match e.kind() {
        ErrorKind::ReferenceConflict => Failure::new(
            code::REFUSED,
            "refused",
            format!("{e}: several top-ups carry this reference"),
        )
        .with_error(e),
        ErrorKind::NotFound => {
            Failure::new(code::NOT_SENT, "not_found", format!("{e}")).with_error(e)
        }
        _ => Failure::read(e),
    }
}

fn show_v2(ctx: &Ctx, t: &Response<TopUp>) -> i32 {
    let code = v2_code(&t.status);
    if ctx.json {
        json_result(
            code,
            json!({"api": "v2", "status": t.status.as_str(), "final": t.status.is_terminal(), "topup": t.data}),
        );
    } else {
        out(&format!("{}: {}", verdict_word(code), describe_v2(t)));
    }
    code
}

fn show_v1(ctx: &Ctx, t: &Transaction) -> i32 {
    let code = v1_code(&t.state);
    if ctx.json {
        json_result(
            code,
            json!({"api": "v1", "status": t.state.as_str(), "final": t.state.is_terminal(), "transaction": t}),
        );
    } else {
        out(&format!("{}: {}", verdict_word(code), describe_v1(t)));
    }
    code
}

fn v1_by_id(c: &v1::Client, id: &str) -> Result<Transaction, Failure> {
    let r = c
        .transactions(&TransactionFilter::transaction_id(id))
        .map_err(|e| lookup_failure(&e))?;
    r.data
        .into_iter()
        .find(|t| t.transaction_id.as_deref() == Some(id))
        .ok_or_else(|| Failure::new(code::NOT_SENT, "not_found", format!("no transaction {id}")))
}

pub(crate) fn status(ctx: &Ctx, a: &StatusArgs) -> Result<i32, Failure> {
    if ctx.v1 {
        let c = ctx.v1_client(ClientOpts::default())?;
        if let Some(id) = &a.id {
            let t = v1_by_id(&c, id)?;
            return Ok(show_v1(ctx, &t));
        }
        let r = a.reference.as_deref().unwrap_or_default();
        return match c.reconcile(r).map_err(|e| lookup_failure(&e))? {
            Some(t) => Ok(show_v1(ctx, &t)),
            None => Err(not_found_reference(ctx, "v1", r)),
        };
    }
    let c = ctx.v2_client(ClientOpts::default())?;
    if let Some(id) = &a.id {
        let t = c.topups().get(id).map_err(|e| lookup_failure(&e))?;
        return Ok(show_v2(ctx, &t));
    }
    let r = a.reference.as_deref().unwrap_or_default();
    match c.topups().reconcile(r).map_err(|e| lookup_failure(&e))? {
        Some(t) => Ok(show_v2(ctx, &t)),
        None => Err(not_found_reference(ctx, "v2", r)),
    }
}

pub(crate) fn wait(ctx: &Ctx, a: &WaitArgs) -> Result<i32, Failure> {
    let opts = wait_options(a.timeout)?;
    let wait_failure = |e: &clickairtime::Error| match e.kind() {
        ErrorKind::StillPending => Failure::send(e),
        _ => lookup_failure(e),
    };
    if ctx.v1 {
        let c = ctx.v1_client(ClientOpts::default())?;
        let reference = match (&a.id, &a.reference) {
            (_, Some(r)) => r.clone(),
            (Some(id), None) => v1_by_id(&c, id)?.ext_ref_id.ok_or_else(|| {
                Failure::new(
                    code::NOT_SENT,
                    "error",
                    format!("transaction {id} has no extRefId to wait on; use `status {id}`"),
                )
            })?,
            (None, None) => unreachable!("clap requires an id or a reference"),
        };
        let t = c.wait(&reference, &opts).map_err(|e| wait_failure(&e))?;
        return Ok(show_v1(ctx, &t));
    }
    let c = ctx.v2_client(ClientOpts::default())?;
    let id = match (&a.id, &a.reference) {
        (Some(id), _) => id.clone(),
        (None, Some(r)) => match c.topups().reconcile(r).map_err(|e| lookup_failure(&e))? {
            Some(t) => t.data.id,
            None => return Err(not_found_reference(ctx, "v2", r)),
        },
        (None, None) => unreachable!("clap requires an id or a reference"),
    };
    let t = c.topups().wait(&id, &opts).map_err(|e| wait_failure(&e))?;
    Ok(show_v2(ctx, &t))
}
