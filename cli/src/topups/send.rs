//! `send`: one top-up (V2 or V1), with its wait and what the journal knows.

use super::{
    describe_v1, describe_v2, metadata, origin_headline, usage_of, v1_code, v2_code, verdict_word,
    wait_options,
};
use crate::args::SendArgs;
use crate::output::{Failure, code, json_result, out, warn};
use crate::{ClientOpts, Ctx};
use clickairtime::money::{Decimal, parse_amount};
use clickairtime::v1::{self};
use clickairtime::v2::{CreateTopUp, TopUp};
use clickairtime::{ErrorKind, WaitOptions};
use serde_json::{Value, json};

pub(crate) fn send(ctx: &Ctx, a: &SendArgs) -> Result<i32, Failure> {
    let amount: Option<Decimal> = a
        .amount
        .as_deref()
        .map(|s| parse_amount("amount", s))
        .transpose()
        .map_err(|e| usage_of(&e))?;
    let opts = wait_options(a.wait_timeout)?;
    if ctx.v1 {
        send_v1(ctx, a, amount, &opts)
    } else {
        send_v2(ctx, a, amount, &opts)
    }
}

fn send_v2(
    ctx: &Ctx,
    a: &SendArgs,
    amount: Option<Decimal>,
    opts: &WaitOptions,
) -> Result<i32, Failure> {
    if a.async_mode {
        return Err(Failure::usage("--async is for V1 (--v1) only"));
    }
    let meta = metadata(&a.metadata)?;
    let phone = match (amount, &a.product, &a.currency) {
        (Some(_), None, Some(_)) | (None, Some(_), None) => {
            clickairtime::phone::to_e164(&a.phone).map_err(|e| usage_of(&e))?
        }
        _ => a.phone.clone(), // a usage error below, before any parsing
    };
    let mut order = match (amount, &a.product, &a.currency) {
        (Some(_), Some(_), _) => {
            return Err(Failure::usage("give --amount or --product, not both"));
        }
        (Some(_), None, None) => {
            return Err(Failure::usage(
                "--amount needs --currency: the network's local currency (e.g. GHS); `clickairtime lookup PHONE` shows it",
            ));
        }
        (None, Some(_), Some(_)) => {
            return Err(Failure::usage(
                "--currency goes with --amount, not --product",
            ));
        }
        (Some(v), None, Some(c)) => CreateTopUp::amount(&phone, 0, v, c.to_ascii_uppercase()),
        (None, Some(p), None) => CreateTopUp::product(&phone, 0, p.clone()),
        (None, None, _) => {
            return Err(Failure::usage(
                "give --amount (with --currency) or --product",
            ));
        }
    };
    if let Some(r) = &a.reference {
        order = order.reference(r.clone());
    }
    if let Some(t) = &a.sms {
        order = order.sms((!t.is_empty()).then(|| t.clone()));
    }
    if let Some(u) = &a.callback_url {
        order = order.callback_url(u.clone());
    }
    for (k, v) in meta {
        order = order.metadata(k, v);
    }
    let client = ctx.v2_client(ClientOpts {
        journal: true,
        ..ClientOpts::default()
    })?;
    order.network_id = match a.network_id {
        Some(n) => n,
        None => match client.catalog().lookup(Some(&phone), None) {
            Ok(r) => r.network.id,
            Err(e) if e.kind() == ErrorKind::InvalidInput => return Err(usage_of(&e)),
            Err(e) => {
                return Err(Failure::new(
                    code::NOT_SENT,
                    "not_sent",
                    format!("not sent: the network of {phone} could not be looked up: {e}"),
                )
                .with_error(&e));
            }
        },
    };
    let order = order.prepared();
    let reference = order.reference.clone().unwrap_or_default();
    if !ctx.json {
        let what = match (&order.amount, &order.product_id) {
            (Some(v), _) => format!("{v} {}", order.currency.as_deref().unwrap_or("")),
            (None, Some(p)) => format!("bundle {p}"),
            _ => String::new(),
        };
        warn(&format!(
            "sending {what} to {phone} (network {}), reference {reference}",
            order.network_id
        ));
    }
    let sent = client
        .topups()
        .create(&order)
        .map_err(|e| Failure::send(&e))?;
    let headline = origin_headline(sent.meta.origin);
    let mut code = if sent.status.is_terminal() {
        v2_code(&sent.status)
    } else {
        code::OK
    };
    let mut outcome = if code == code::OK {
        "sent"
    } else {
        "delivery_failed"
    };
    if !ctx.json {
        out(&format!("{headline}: {}", describe_v2(&sent)));
    }
    let mut final_record: Option<TopUp> = None;
    let mut wait_error: Option<Value> = None;
    if a.wait && !sent.status.is_terminal() {
        match client.topups().wait(&sent.id, opts) {
            Ok(done) => {
                code = v2_code(&done.status);
                outcome = if code == code::OK {
                    "delivered"
                } else {
                    "delivery_failed"
                };
                if !ctx.json {
                    out(&format!("{}: {}", verdict_word(code), describe_v2(&done)));
                }
                final_record = Some(done.data);
            }
            Err(e) => {
                code = code::PENDING;
                outcome = "still_pending";
                let msg = if e.kind() == ErrorKind::StillPending {
                    format!(
                        "still pending: top-up {} was created and was not final by the deadline (last seen: {}); it may still complete. Check again later: `clickairtime wait {}`",
                        sent.id,
                        e.status().unwrap_or("not final"),
                        sent.id
                    )
                } else {
                    format!(
                        "sent as top-up {}, but its delivery could not be confirmed ({e}); check again later: `clickairtime wait {}`",
                        sent.id, sent.id
                    )
                };
                if !ctx.json {
                    out(&msg);
                }
                wait_error = Some(crate::output::error_json(&e));
            }
        }
    } else if code != code::OK && !ctx.json {
        out(&format!(
            "not delivered as sold: the top-up ended {}",
            sent.status
        ));
    }
    if ctx.json {
        json_result(
            code,
            json!({
                "api": "v2",
                "outcome": outcome,
                "origin": sent.meta.origin.map(|o| o.as_str()),
                "reference": reference,
                "idempotency_key": sent.meta.idempotency_key,
                "topup": sent.data,
                "final": final_record,
                "wait_error": wait_error,
            }),
        );
    }
    Ok(code)
}

fn send_v1(
    ctx: &Ctx,
    a: &SendArgs,
    amount: Option<Decimal>,
    opts: &WaitOptions,
) -> Result<i32, Failure> {
    if a.currency.is_some() {
        return Err(Failure::usage(
            "--currency is V2 only: V1 amounts are in the destination currency",
        ));
    }
    if a.network_id.is_some() || a.callback_url.is_some() || !a.metadata.is_empty() {
        return Err(Failure::usage(
            "--network-id, --callback-url and --metadata are V2 only",
        ));
    }
    if a.sms.as_deref().is_some_and(|t| !t.is_empty()) {
        return Err(Failure::usage(
            "V1 sends its own SMS text: give --sms without a text",
        ));
    }
    let product: Option<i64> = match &a.product {
        None => None,
        Some(p) => match p.trim().parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                return Err(Failure::usage(format!(
                    "--product {p:?}: a V1 product id is a positive number"
                )));
            }
        },
    };
    if amount.is_none() && product.is_none() {
        return Err(Failure::usage("give --amount or --product"));
    }
    let msisdn = clickairtime::phone::to_msisdn(&a.phone).map_err(|e| usage_of(&e))?;
    let mut order = match (amount, product) {
        (Some(v), p) => {
            let mut o = v1::SendTopUp::amount(&msisdn, v);
            o.product_id = p;
            o
        }
        (None, Some(p)) => v1::SendTopUp::product(&msisdn, p),
        (None, None) => return Err(Failure::usage("give --amount or --product")),
    };
    if let Some(r) = &a.reference {
        order = order.ext_ref_id(r.clone());
    }
    order = order.send_sms(a.sms.is_some()).mode(if a.async_mode {
        v1::ProcessingMode::Async
    } else {
        v1::ProcessingMode::Sync
    });
    let order = order.prepared();
    let reference = order.ext_ref_id.clone().unwrap_or_default();
    let client = ctx.v1_client(ClientOpts {
        journal: true,
        ..ClientOpts::default()
    })?;
    if !ctx.json {
        warn(&format!(
            "sending {} to {msisdn}, reference {reference}",
            match (amount, product) {
                (Some(v), _) => v.to_string(),
                (None, Some(p)) => format!("product {p}"),
                _ => String::new(),
            }
        ));
    }
    let mut sent = client.send_topup(&order).map_err(|e| Failure::send(&e))?;
    if sent.data.msisdn.is_none() {
        // V1 answers to a write may omit it (the docs' shape)
        sent.data.msisdn = Some(msisdn.clone());
    }
    let headline = origin_headline(sent.meta.origin);
    let mut code = if sent.state.is_terminal() {
        v1_code(&sent.state)
    } else {
        code::OK
    };
    let mut outcome = if code == code::OK {
        "sent"
    } else {
        "delivery_failed"
    };
    if !ctx.json {
        out(&format!("{headline}: {}", describe_v1(&sent)));
    }
    let mut final_record = None;
    let mut wait_error = None;
    if a.wait && !sent.state.is_terminal() {
        match client.wait(&reference, opts) {
            Ok(done) => {
                code = v1_code(&done.state);
                outcome = if code == code::OK {
                    "delivered"
                } else {
                    "delivery_failed"
                };
                if !ctx.json {
                    out(&format!("{}: {}", verdict_word(code), describe_v1(&done)));
                }
                final_record = Some(done.data);
            }
            Err(e) => {
                code = code::PENDING;
                outcome = "still_pending";
                if !ctx.json {
                    out(&format!(
                        "sent (reference {reference}), but it is not final yet ({e}); check again later: `clickairtime wait --v1 --reference {reference}`"
                    ));
                }
                wait_error = Some(crate::output::error_json(&e));
            }
        }
    } else if code != code::OK && !ctx.json {
        out(&format!(
            "not delivered as sold: the transaction ended {}",
            sent.state
        ));
    }
    if ctx.json {
        json_result(
            code,
            json!({
                "api": "v1",
                "outcome": outcome,
                "origin": sent.meta.origin.map(|o| o.as_str()),
                "reference": reference,
                "transaction": sent.data,
                "final": final_record,
                "wait_error": wait_error,
            }),
        );
    }
    Ok(code)
}
