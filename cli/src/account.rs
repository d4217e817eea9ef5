//! `balance` and `lookup`.

use crate::args::{BalanceArgs, LookupArgs};
use crate::output::{Failure, code, json_result, opt, out, table};
use crate::{ClientOpts, Ctx};
use clickairtime::money::Decimal;
use serde_json::json;

fn threshold(text: &str) -> Result<Decimal, Failure> {
    match text.trim().parse::<Decimal>() {
        Ok(d) if d >= Decimal::ZERO => Ok(d),
        _ => Err(Failure::usage(format!(
            "--below: {text:?} is not an amount (e.g. 50 or 12.50)"
        ))),
    }
}

/// One balance compared with the threshold.
struct Checked {
    name: String,
    amount: Decimal,
    currency: String,
}

fn verdict(ctx: &Ctx, below: Option<Decimal>, checked: &[Checked]) -> (i32, serde_json::Value) {
    let Some(t) = below else {
        return (code::OK, serde_json::Value::Null);
    };
    let low: Vec<&Checked> = checked.iter().filter(|c| c.amount < t).collect();
    if !ctx.json {
        for c in &low {
            out(&format!(
                "BELOW THRESHOLD: {} has {} {}, below {t}",
                c.name, c.amount, c.currency
            ));
        }
        if low.is_empty() {
            out(&format!("ok: at or above {t}"));
        }
    }
    let detail = json!({
        "threshold": t.to_string(),
        "below": !low.is_empty(),
        "checked": checked.iter().map(|c| json!({
            "name": c.name, "balance": c.amount.to_string(), "currency": c.currency, "below": c.amount < t,
        })).collect::<Vec<_>>(),
    });
    (
        if low.is_empty() {
            code::OK
        } else {
            code::BELOW
        },
        detail,
    )
}

pub(crate) fn balance(ctx: &Ctx, a: &BalanceArgs) -> Result<i32, Failure> {
    let below = a.below.as_deref().map(threshold).transpose()?;
    let currency = a.currency.as_deref().map(str::to_ascii_uppercase);
    if ctx.v1 {
        let c = ctx.v1_client(ClientOpts::default())?;
        let accounts = c.balances().map_err(|e| Failure::read(&e))?.data;
        let selected: Vec<_> = accounts
            .iter()
            .filter(|x| {
                a.wallet
                    .as_ref()
                    .is_none_or(|id| x.account_id.as_ref() == Some(id))
            })
            .filter(|x| {
                currency.as_ref().is_none_or(|c| {
                    x.currency
                        .as_deref()
                        .is_some_and(|xc| xc.eq_ignore_ascii_case(c))
                })
            })
            .collect();
        if selected.is_empty() && (a.wallet.is_some() || currency.is_some()) {
            return Err(Failure::new(
                code::NOT_SENT,
                "not_found",
                "no V1 account matches --account/--currency",
            ));
        }
        let checked: Vec<Checked> = selected
            .iter()
            .map(|x| Checked {
                name: format!("account {}", x.account_id.as_deref().unwrap_or("?")),
                amount: x.balance,
                currency: x.currency.clone().unwrap_or_default(),
            })
            .collect();
        if below.is_some() {
            let mut cur: Vec<&str> = checked.iter().map(|c| c.currency.as_str()).collect();
            cur.sort_unstable();
            cur.dedup();
            if cur.len() > 1 {
                return Err(Failure::usage(
                    "the accounts are in several currencies: give --account ID or --currency CODE with --below",
                ));
            }
        }
        if !ctx.json {
            let rows: Vec<Vec<String>> = selected
                .iter()
                .map(|x| {
                    vec![
                        opt(x.account_id.as_ref()),
                        opt(x.service_name.as_ref()),
                        opt(x.service_country.as_ref()),
                        x.balance.to_string(),
                        opt(x.currency.as_ref()),
                    ]
                })
                .collect();
            out(&table(
                &["account", "service", "country", "balance", "currency"],
                &rows,
            ));
        }
        let (code, detail) = verdict(ctx, below, &checked);
        if ctx.json {
            json_result(
                code,
                json!({"api": "v1", "accounts": selected, "threshold_check": detail}),
            );
        }
        return Ok(code);
    }
    let c = ctx.v2_client(ClientOpts::default())?;
    let b = c.balance().list().map_err(|e| Failure::read(&e))?.data;
    let filtered = a.wallet.is_some() || currency.is_some();
    let selected: Vec<_> = b
        .wallets
        .iter()
        .filter(|w| a.wallet.as_ref().is_none_or(|id| &w.id == id))
        .filter(|w| {
            currency
                .as_ref()
                .is_none_or(|c| w.currency.eq_ignore_ascii_case(c))
        })
        .collect();
    if filtered && selected.is_empty() {
        return Err(Failure::new(
            code::NOT_SENT,
            "not_found",
            "no wallet matches --wallet/--currency",
        ));
    }
    let checked: Vec<Checked> = match (&b.available_balance, filtered) {
        (Some(t), false) => vec![Checked {
            name: "the total available balance".into(),
            amount: t.amount,
            currency: t.currency.clone(),
        }],
        _ => selected
            .iter()
            .map(|w| Checked {
                name: format!("wallet {}", w.id),
                amount: w.balance,
                currency: w.currency.clone(),
            })
            .collect(),
    };
    if !ctx.json {
        if let Some(t) = &b.available_balance {
            out(&format!("available: {} {}", t.amount, t.currency));
        }
        let rows: Vec<Vec<String>> = selected
            .iter()
            .map(|w| {
                vec![
                    w.id.clone(),
                    w.wallet_type.to_string(),
                    w.currency.clone(),
                    w.balance.to_string(),
                    w.status.to_string(),
                    w.allowed_countries.join(", "),
                ]
            })
            .collect();
        out(&table(
            &[
                "wallet",
                "type",
                "currency",
                "balance",
                "status",
                "countries",
            ],
            &rows,
        ));
    }
    let (code, detail) = verdict(ctx, below, &checked);
    if ctx.json {
        let wallets: Vec<_> = selected.into_iter().cloned().collect();
        json_result(
            code,
            json!({"api": "v2", "available_balance": b.available_balance, "wallets": wallets, "threshold_check": detail}),
        );
    }
    Ok(code)
}

pub(crate) fn lookup(ctx: &Ctx, a: &LookupArgs) -> Result<i32, Failure> {
    if ctx.v1 {
        return Err(Failure::usage(
            "the V1 API has no number lookup: run it without --v1 (V2), or find V1 sales with `clickairtime list --v1 --phone N`",
        ));
    }
    let phone = match &a.phone {
        Some(p) => Some(clickairtime::phone::to_e164(p).map_err(|e| Failure::read(&e))?),
        None => None,
    };
    let c = ctx.v2_client(ClientOpts::default())?;
    let r = c
        .catalog()
        .lookup(phone.as_deref(), a.network_id)
        .map_err(|e| Failure::read(&e))?
        .data;
    if ctx.json {
        json_result(code::OK, json!({"lookup": r}));
        return Ok(code::OK);
    }
    let n = &r.network;
    out(&format!(
        "{}{} (network {}{}{})",
        r.phone_number
            .as_deref()
            .map(|p| format!("{p}: "))
            .unwrap_or_default(),
        n.name,
        n.id,
        n.country
            .as_deref()
            .map(|c| format!(", {c}"))
            .unwrap_or_default(),
        n.currency
            .as_deref()
            .map(|c| format!(", {c}"))
            .unwrap_or_default(),
    ));
    if let Some(rate) = r
        .exchange_rate
        .as_ref()
        .and_then(|x| x.rate.map(|v| (v, x)))
    {
        out(&format!(
            "rate: {} {} per {}",
            rate.0,
            rate.1.destination_currency.as_deref().unwrap_or(""),
            rate.1.source_currency.as_deref().unwrap_or("USD")
        ));
    }
    match &r.products.custom_airtime {
        Some(ca) if ca.available => out(&format!(
            "custom airtime: {} to {} {} (send --amount N --currency {})",
            opt(ca.min_amount_local),
            opt(ca.max_amount_local),
            ca.local_currency.as_deref().unwrap_or(""),
            ca.local_currency.as_deref().unwrap_or("CODE"),
        )),
        _ => out("custom airtime: not offered"),
    }
    if !r.products.fixed_bundles.is_empty() {
        let rows: Vec<Vec<String>> = r
            .products
            .fixed_bundles
            .iter()
            .map(|b| {
                vec![
                    b.id.clone(),
                    b.name.clone(),
                    b.bundle_type.to_string(),
                    opt(b.price_usd),
                    opt(b.local_value.as_ref()),
                ]
            })
            .collect();
        out("bundles (send --product ID):");
        out(&table(&["id", "name", "type", "price_usd", "value"], &rows));
    }
    Ok(code::OK)
}
