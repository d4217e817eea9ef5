//! Sending the rows: a bounded number in flight, each through the money-safe protocol, progress in file order.

use crate::error::{Error, ErrorKind};
use crate::{v1, v2};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{BulkOptions, BulkReport, BulkRow, RowOutcome, RowResult, failed};

/// Run rows through `send`, `concurrency` at a time, calling `progress(result, done, total)` after each.
fn drive(
    rows: &[BulkRow],
    opts: &BulkOptions,
    progress: &(dyn Fn(&RowResult, usize, usize) + Sync),
    send: &(dyn Fn(&BulkRow) -> RowResult + Sync),
) -> BulkReport {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<RowResult>>> = Mutex::new(vec![None; rows.len()]);
    let workers = opts.concurrency.clamp(1, 64).min(rows.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    if opts.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(row) = rows.get(i) else { break };
                    // a panic in one row must not lose the others' results
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| send(row)))
                        .unwrap_or_else(|_| {
                            failed(
                                row,
                                &Error::new(
                                    ErrorKind::OutcomeUnknown,
                                    "internal error while sending this row; run recover",
                                ),
                            )
                        });
                    // counted and reported under one lock: progress arrives in order, done = 1, 2, …
                    let mut all = results.lock().unwrap_or_else(|p| p.into_inner());
                    let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                    progress(&r, n, rows.len());
                    all[i] = Some(r);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    BulkReport {
        rows: results
            .into_iter()
            .zip(rows)
            .map(|(r, row)| {
                r.unwrap_or_else(|| RowResult {
                    line: row.line,
                    reference: row.reference.clone(),
                    outcome: RowOutcome::Skipped,
                    origin: None,
                    transaction_id: None,
                    status: None,
                    amount: None,
                    cost: None,
                    error_kind: None,
                    error: None,
                })
            })
            .collect(),
    }
}

/// Send every row through a V2 client (give it a journal and a rate limit). Networks are looked up once
/// per phone number when the file has no `network_id`.
pub fn run_v2(
    client: &v2::Client,
    rows: &[BulkRow],
    opts: &BulkOptions,
    progress: &(dyn Fn(&RowResult, usize, usize) + Sync),
) -> BulkReport {
    let networks: Mutex<HashMap<String, i64>> = Mutex::new(HashMap::new());
    let cancel = crate::Cancel::from(opts.stop.clone());
    let send = |row: &BulkRow| -> RowResult {
        // a row the journal already holds keeps the network it was sent to: no lookup, no drift
        let recorded = client
            .journal_entry(&row.reference)
            .ok()
            .flatten()
            .and_then(|e| serde_json::from_str::<serde_json::Value>(&e.request).ok())
            .and_then(|v| v["network_id"].as_i64());
        let network_id = match row.network_id.or(recorded) {
            Some(n) => n,
            None => {
                let cached = networks
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .get(&row.phone)
                    .copied();
                match cached {
                    Some(n) => n,
                    None => match client.catalog().lookup(Some(&row.phone), None) {
                        Ok(c) => {
                            networks
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .insert(row.phone.clone(), c.network.id);
                            c.network.id
                        }
                        Err(e) => return failed(row, &e),
                    },
                }
            }
        };
        let mut order = match (&row.amount, &row.product) {
            (Some(a), _) => v2::CreateTopUp::amount(
                &row.phone,
                network_id,
                *a,
                row.currency.clone().unwrap_or_default(),
            ),
            (None, Some(p)) => v2::CreateTopUp::product(&row.phone, network_id, p),
            (None, None) => unreachable!("validated rows have an amount or a product"),
        }
        .reference(&row.reference);
        if let Some(text) = &row.sms {
            order = order.sms((!text.is_empty()).then(|| text.clone()));
        }
        if !row.metadata.is_empty() {
            order.metadata = Some(row.metadata.clone());
        }
        match client.topups().create_cancellable(&order, &cancel) {
            Ok(r) => RowResult {
                line: row.line,
                reference: row.reference.clone(),
                outcome: RowOutcome::Sent,
                origin: r.meta.origin,
                transaction_id: Some(r.id.clone()),
                status: Some(r.status.to_string()),
                amount: r
                    .amount
                    .as_ref()
                    .map(|m| format!("{} {}", m.value, m.currency)),
                cost: r
                    .cost
                    .as_ref()
                    .map(|m| format!("{} {}", m.value, m.currency)),
                error_kind: None,
                error: None,
            },
            Err(e) => failed(row, &e),
        }
    };
    drive(rows, opts, progress, &send)
}

/// Send every row through a V1 client (give it a journal and a rate limit).
pub fn run_v1(
    client: &v1::Client,
    rows: &[BulkRow],
    opts: &BulkOptions,
    progress: &(dyn Fn(&RowResult, usize, usize) + Sync),
) -> BulkReport {
    let cancel = crate::Cancel::from(opts.stop.clone());
    let send = |row: &BulkRow| -> RowResult {
        let mut order = match (&row.amount, &row.product) {
            (Some(a), p) => {
                let mut o = v1::SendTopUp::amount(&row.phone, *a);
                o.product_id = p.as_deref().and_then(|p| p.parse().ok());
                o
            }
            (None, Some(p)) => v1::SendTopUp::product(&row.phone, p.parse().unwrap_or(0)),
            (None, None) => unreachable!("validated rows have an amount or a product"),
        }
        .ext_ref_id(&row.reference);
        if row.sms.is_some() {
            order = order.send_sms(true);
        }
        match client.send_topup_cancellable(&order, &cancel) {
            Ok(r) => RowResult {
                line: row.line,
                reference: row.reference.clone(),
                outcome: RowOutcome::Sent,
                origin: r.meta.origin,
                transaction_id: r.transaction_id.clone(),
                status: Some(r.state.to_string()),
                amount: r.delivered_amount().map(|a| {
                    format!("{a} {}", r.currency.as_deref().unwrap_or(""))
                        .trim()
                        .to_owned()
                }),
                cost: r.effective_amount.map(|c| {
                    let cur = r
                        .wallet
                        .as_ref()
                        .and_then(|w| w.currency.clone())
                        .unwrap_or_default();
                    format!("{c} {cur}").trim().to_owned()
                }),
                error_kind: None,
                error: None,
            },
            Err(e) => failed(row, &e),
        }
    };
    drive(rows, opts, progress, &send)
}
