//! Bulk payouts: a CSV of sales, validated whole before anything is sent, then sent through the money-safe
//! protocol (and the client's journal) with a bounded number in flight, paced by the client's rate limiter.
//!
//! The CSV has a header row; columns in any order:
//!
//! | column | meaning |
//! |---|---|
//! | `phone` (or `phone_number`, `msisdn`) | recipient, E.164 (`+233541112259`) or, for V1, digits without `+` |
//! | `amount` + `currency` | a custom amount in the local currency (V1: `amount` alone) |
//! | `product` (or `product_id`) | a bundle (V2) / product id (V1) instead of an amount |
//! | `reference` | optional; derived from the file and row when empty (see [`derive_reference`]) |
//! | `network_id` | optional (V2); looked up from the phone when absent |
//! | `sms` | optional text of an SMS to the recipient (V2) / `true` to send the default SMS (V1) |
//! | anything else | metadata stored with the top-up (V2) |
//!
//! Run it again after a crash, a `kill -9` or Ctrl-C with the same file and the same journal: rows already
//! sent are returned from the journal without a write, open ones are settled first, the rest are sent.

use crate::error::{Error, ErrorKind, Result};
use crate::money::{Decimal, parse_amount, validate_amount_for, validate_currency};
use crate::response::SendOrigin;
use crate::{v1, v2};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Which API a bulk file is sent through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkApi {
    /// V1 (`/adp`): msisdn, amount or product id.
    V1,
    /// V2 (`/v2/topups`): phone, network, amount + currency or product.
    V2,
}

/// One validated row.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkRow {
    /// Line number in the file (the header is line 1).
    pub line: usize,
    /// Recipient: E.164 for V2, digits without `+` for V1.
    pub phone: String,
    /// Custom amount.
    pub amount: Option<Decimal>,
    /// Its currency (V2).
    pub currency: Option<String>,
    /// Bundle / product id.
    pub product: Option<String>,
    /// Network id (V2), if the file gives it.
    pub network_id: Option<i64>,
    /// The sale's reference (given or derived).
    pub reference: String,
    /// SMS text (V2) or `Some("")` for the default SMS.
    pub sms: Option<String>,
    /// Other columns (V2 metadata).
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

/// A bad row: its line, the column, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line number (the header is line 1).
    pub line: usize,
    /// The column (or `header`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.field, self.message)
    }
}

/// The reference of a row that has none: `bulk-` and 24 hex digits of a SHA-256 over the file's name
/// (without folders), the line number and the sale (phone, amount/currency or product). Moving the file or
/// editing *other* rows keeps it; renaming the file or changing this row's sale makes a new one.
pub fn derive_reference(source_name: &str, line: usize, phone: &str, sale: &str) -> String {
    use sha2::{Digest, Sha256};
    let name = std::path::Path::new(source_name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| source_name.to_owned());
    let digest = Sha256::digest(format!("{name}\n{line}\n{phone}\n{sale}").as_bytes());
    format!("bulk-{}", &hex::encode(digest)[..24])
}

/// The 1-based line of the byte at `offset` (the csv reader's own line count skips blank lines).
fn physical_line(data: &[u8], offset: u64) -> usize {
    let mut end = (offset as usize).min(data.len());
    // a record's position may be the blank lines before it
    while end < data.len() && matches!(data[end], b'\n' | b'\r') {
        end += 1;
    }
    data[..end].iter().filter(|b| **b == b'\n').count() + 1
}

fn column(headers: &[String], names: &[&str]) -> Option<usize> {
    headers
        .iter()
        .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
}

/// Parse and validate a whole file. Every bad row is reported (with its line), or none is sent.
pub fn parse_csv(
    api: BulkApi,
    source_name: &str,
    data: &[u8],
) -> std::result::Result<Vec<BulkRow>, Vec<RowError>> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(data);
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => {
            return Err(vec![RowError {
                line: 1,
                field: "header".into(),
                message: e.to_string(),
            }]);
        }
    };
    let bad = |line, field: &str, message: String| RowError {
        line,
        field: field.into(),
        message,
    };
    let phone_col = column(&headers, &["phone", "phone_number", "msisdn"]);
    let amount_col = column(&headers, &["amount"]);
    let currency_col = column(&headers, &["currency"]);
    let product_col = column(&headers, &["product", "product_id", "productid"]);
    let reference_col = column(&headers, &["reference", "ext_ref_id", "extrefid"]);
    let network_col = column(&headers, &["network_id", "network"]);
    let sms_col = column(&headers, &["sms"]);
    let mut errors = Vec::new();
    if phone_col.is_none() {
        errors.push(bad(1, "header", "a `phone` column is required".into()));
    }
    if amount_col.is_none() && product_col.is_none() {
        errors.push(bad(
            1,
            "header",
            "an `amount` (with `currency` for V2) or a `product` column is required".into(),
        ));
    }
    if api == BulkApi::V2 && amount_col.is_some() && currency_col.is_none() {
        errors.push(bad(
            1,
            "header",
            "`amount` needs a `currency` column".into(),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let known: HashSet<usize> = [
        phone_col,
        amount_col,
        currency_col,
        product_col,
        reference_col,
        network_col,
        sms_col,
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut rows = Vec::new();
    let mut seen_refs: HashMap<String, usize> = HashMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(i + 2);
                errors.push(bad(line, "row", e.to_string()));
                continue;
            }
        };
        // the physical line (blank lines and quoted line breaks counted), as an editor shows it
        let line = rec
            .position()
            .map(|p| physical_line(data, p.byte()))
            .unwrap_or(i + 2);
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).filter(|v| !v.is_empty());
        let before = errors.len();
        // phone, as people type it
        let phone = match get(phone_col) {
            None => {
                errors.push(bad(line, "phone", "missing".into()));
                String::new()
            }
            Some(p) => {
                let converted = match api {
                    BulkApi::V2 => crate::phone::to_e164(p),
                    BulkApi::V1 => crate::phone::to_msisdn(p),
                };
                match converted {
                    Ok(v) => v,
                    Err(_) => {
                        errors.push(bad(
                            line,
                            "phone",
                            format!("{p:?} is not an international number"),
                        ));
                        String::new()
                    }
                }
            }
        };
        let currency = get(currency_col).map(|c| c.to_ascii_uppercase());
        let amount = match get(amount_col) {
            None => None,
            Some(a) => match parse_amount("amount", a) {
                Ok(d) => {
                    let cur = if api == BulkApi::V2 {
                        currency.as_deref()
                    } else {
                        None
                    };
                    match validate_amount_for("amount", d, cur) {
                        Ok(()) => Some(d),
                        Err(e) => {
                            errors.push(bad(
                                line,
                                "amount",
                                e.message().trim_start_matches("amount: ").to_owned(),
                            ));
                            None
                        }
                    }
                }
                Err(_) => {
                    errors.push(bad(
                        line,
                        "amount",
                        format!("{a:?} is not a positive amount"),
                    ));
                    None
                }
            },
        };
        let product = get(product_col).map(str::to_owned);
        match (&amount, &product) {
            (Some(_), Some(_)) if api == BulkApi::V2 => errors.push(bad(
                line,
                "amount",
                "give either amount or product, not both".into(),
            )),
            (None, None) if errors.len() == before => {
                errors.push(bad(line, "amount", "give an amount or a product".into()))
            }
            _ => {}
        }
        if api == BulkApi::V2 && amount.is_some() {
            match &currency {
                None => errors.push(bad(line, "currency", "required with amount".into())),
                Some(c) => {
                    if let Err(e) = validate_currency("currency", c) {
                        errors.push(bad(
                            line,
                            "currency",
                            e.message().trim_start_matches("currency: ").to_owned(),
                        ));
                    }
                }
            }
        }
        if api == BulkApi::V1
            && let Some(p) = &product
            && p.parse::<i64>().map_or(true, |n| n <= 0)
        {
            errors.push(bad(
                line,
                "product",
                format!("{p:?} is not a V1 product id"),
            ));
        }
        let network_id = match get(network_col) {
            None => None,
            Some(n) => match n.parse::<i64>() {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    errors.push(bad(
                        line,
                        "network_id",
                        format!("{n:?} is not a network id"),
                    ));
                    None
                }
            },
        };
        let sale = match (&amount, &product) {
            (Some(a), _) => format!("{} {}", a.normalize(), currency.as_deref().unwrap_or("")),
            (None, Some(p)) => format!("product {p}"),
            _ => String::new(),
        };
        let reference = match get(reference_col) {
            Some(r) => {
                if let Err(e) = crate::config::check_text("reference", r, 100) {
                    errors.push(bad(
                        line,
                        "reference",
                        e.message().trim_start_matches("reference: ").to_owned(),
                    ));
                }
                r.to_owned()
            }
            // without a file name, derived references of two batches would collide: one would look paid
            None if source_name.trim().is_empty() => {
                errors.push(bad(
                    line,
                    "reference",
                    "required when the rows have no file name to derive it from".into(),
                ));
                String::new()
            }
            None => derive_reference(source_name, line, &phone, &sale),
        };
        if let Some(first) = seen_refs.insert(reference.clone(), line) {
            errors.push(bad(
                line,
                "reference",
                format!("{reference:?} is already used on line {first}: one reference per sale"),
            ));
        }
        // `true`/`yes`/`1`: the default SMS; `false`/`no`/`0`: none; any other text (V2): the SMS's text
        let sms = match get(sms_col) {
            None => None,
            Some(v)
                if ["false", "no", "0", "n"]
                    .iter()
                    .any(|f| v.eq_ignore_ascii_case(f)) =>
            {
                None
            }
            Some(v)
                if ["true", "yes", "1", "y"]
                    .iter()
                    .any(|t| v.eq_ignore_ascii_case(t)) =>
            {
                Some(String::new())
            }
            Some(v) if api == BulkApi::V1 => {
                errors.push(bad(line, "sms", format!("{v:?}: use true or false for V1")));
                None
            }
            Some(v) => Some(v.to_owned()),
        };
        let mut metadata = serde_json::Map::new();
        for (c, h) in headers.iter().enumerate() {
            if !known.contains(&c)
                && let Some(v) = rec.get(c).filter(|v| !v.is_empty())
            {
                metadata.insert(h.clone(), v.into());
            }
        }
        if errors.len() == before {
            rows.push(BulkRow {
                line,
                phone,
                amount,
                currency,
                product,
                network_id,
                reference,
                sms,
                metadata,
            });
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Totals per currency of what a file would send (bundles counted per product), for `--dry-run`.
pub fn totals(rows: &[BulkRow]) -> BTreeMap<String, Decimal> {
    let mut t: BTreeMap<String, Decimal> = BTreeMap::new();
    for r in rows {
        match (&r.amount, &r.product) {
            (Some(a), _) => {
                *t.entry(r.currency.clone().unwrap_or_else(|| "(local)".into()))
                    .or_default() += *a
            }
            (None, Some(p)) => *t.entry(format!("product {p}")).or_default() += Decimal::ONE,
            _ => {}
        }
    }
    t
}

/// How one row ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowOutcome {
    /// Verified sent (now, or before: see `origin`).
    Sent,
    /// Definitely not sent.
    NotSent,
    /// Refused as a duplicate of, or a conflict with, another sale.
    Refused,
    /// May have been sent: do not send it again; `recover` / run again later.
    Unknown,
    /// Not attempted (stopped before its turn).
    Skipped,
}

impl RowOutcome {
    /// `sent`, `not_sent`, `refused`, `unknown`, `skipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            RowOutcome::Sent => "sent",
            RowOutcome::NotSent => "not_sent",
            RowOutcome::Refused => "refused",
            RowOutcome::Unknown => "unknown",
            RowOutcome::Skipped => "skipped",
        }
    }
}

/// The result of one row (one line of the report CSV).
#[derive(Debug, Clone, PartialEq)]
pub struct RowResult {
    /// Line in the input file.
    pub line: usize,
    /// The sale's reference.
    pub reference: String,
    /// How it ended.
    pub outcome: RowOutcome,
    /// How a sent row's record was obtained (`journal` on a rerun).
    pub origin: Option<SendOrigin>,
    /// Transaction id (sent), or the other sale's (refused).
    pub transaction_id: Option<String>,
    /// Status / state of the record.
    pub status: Option<String>,
    /// Amount delivered (or asked).
    pub amount: Option<String>,
    /// Cost charged (V2 `cost`, V1 `effectiveAmount`), with its currency.
    pub cost: Option<String>,
    /// The error's kind.
    pub error_kind: Option<ErrorKind>,
    /// The error's message.
    pub error: Option<String>,
}

/// Settings of a bulk run.
#[derive(Debug, Clone)]
pub struct BulkOptions {
    /// Sends in flight at once (default 4). The client's rate limiter paces them.
    pub concurrency: usize,
    /// Set it (from a Ctrl-C handler, say) to stop taking new rows; sends already written settle first.
    pub stop: Arc<AtomicBool>,
}

impl Default for BulkOptions {
    fn default() -> Self {
        BulkOptions {
            concurrency: 4,
            stop: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// Everything a run did, in file order.
#[derive(Debug, Clone, Default)]
pub struct BulkReport {
    /// One result per row.
    pub rows: Vec<RowResult>,
}

impl BulkReport {
    /// Rows per outcome.
    pub fn count(&self, o: RowOutcome) -> usize {
        self.rows.iter().filter(|r| r.outcome == o).count()
    }
    /// The report as CSV: row, reference, outcome, origin, id, status, amount, cost, error kind, error.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([
            "row",
            "reference",
            "outcome",
            "origin",
            "id",
            "status",
            "amount",
            "cost",
            "error_kind",
            "error",
        ]);
        for r in &self.rows {
            let _ = w.write_record([
                r.line.to_string(),
                r.reference.clone(),
                r.outcome.as_str().to_owned(),
                r.origin.map(|o| o.as_str().to_owned()).unwrap_or_default(),
                r.transaction_id.clone().unwrap_or_default(),
                r.status.clone().unwrap_or_default(),
                r.amount.clone().unwrap_or_default(),
                r.cost.clone().unwrap_or_default(),
                r.error_kind
                    .map(|k| k.as_str().to_owned())
                    .unwrap_or_default(),
                r.error.clone().unwrap_or_default(),
            ]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

fn outcome_of(e: &Error) -> RowOutcome {
    match e.kind() {
        ErrorKind::OutcomeUnknown | ErrorKind::StillPending => RowOutcome::Unknown,
        ErrorKind::DuplicateSale | ErrorKind::ReferenceConflict => RowOutcome::Refused,
        // stopped before anything of it left: not attempted
        ErrorKind::Cancelled => RowOutcome::Skipped,
        _ => RowOutcome::NotSent,
    }
}

fn failed(row: &BulkRow, e: &Error) -> RowResult {
    RowResult {
        line: row.line,
        reference: row.reference.clone(),
        outcome: outcome_of(e),
        origin: None,
        transaction_id: e.transaction_id().map(str::to_owned),
        status: None,
        amount: row.amount.map(|a| {
            format!("{a} {}", row.currency.as_deref().unwrap_or(""))
                .trim()
                .to_owned()
        }),
        cost: None,
        error_kind: Some(e.kind()),
        error: Some(e.message().to_owned()),
    }
}

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

/// Parse, validate and check a file in one call (for bindings): the rows, or one `InvalidInput` error listing
/// every bad row, one a line, with `field` = the first bad column.
pub fn load(api: BulkApi, source_name: &str, data: &[u8]) -> Result<Vec<BulkRow>> {
    parse_csv(api, source_name, data).map_err(|errs| {
        let lines: Vec<String> = errs.iter().map(ToString::to_string).collect();
        let msg = format!(
            "{} bad row(s), nothing was sent:\n{}",
            errs.len(),
            lines.join("\n")
        );
        let mut e = Error::invalid(errs[0].field.clone(), msg.clone());
        e.set_message(msg);
        e
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_file_is_validated_with_line_numbers() {
        let csv = b"amount,phone,currency,reference,department\n\
            50,+233541112259,GHS,a-1,sales\n\
            12.345,+233541112259,GHS,a-2,\n\
            5,0541112259,GHS,,\n\
            ,+233541112259,,a-4,\n\
            7,+233 54 111 2259,GHS,a-1,\n";
        let errs = parse_csv(BulkApi::V2, "pay.csv", csv).unwrap_err();
        let lines: Vec<(usize, &str)> = errs.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(
            lines,
            vec![(3, "amount"), (4, "phone"), (5, "amount"), (6, "reference")],
            "{errs:?}"
        );
    }

    #[test]
    fn rows_parse_in_any_column_order_and_references_are_derived_stably() {
        let csv = b"currency,amount,phone,department\nGHS,50,+233 54 111 2259,sales\n";
        let rows = parse_csv(BulkApi::V2, "/a/b/pay.csv", csv).unwrap();
        assert_eq!(rows[0].phone, "+233541112259");
        assert_eq!(rows[0].metadata["department"], "sales");
        assert!(rows[0].reference.starts_with("bulk-"));
        let again = parse_csv(BulkApi::V2, "/elsewhere/pay.csv", csv).unwrap();
        assert_eq!(
            rows[0].reference, again[0].reference,
            "moving the file keeps references"
        );
        assert_eq!(totals(&rows)["GHS"], Decimal::from(50));
        let v1 = parse_csv(BulkApi::V1, "p.csv", b"msisdn,amount\n+233541112259,5\n").unwrap();
        assert_eq!(v1[0].phone, "233541112259");
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn line_numbers_are_physical_lines_and_sms_takes_booleans() {
        let csv = b"phone,amount,currency,sms\n+233541112259,5,GHS,yes\n\n+233541112259,0,GHS,\n";
        let errs = parse_csv(BulkApi::V2, "p.csv", csv).unwrap_err();
        assert_eq!(errs[0].line, 4, "a blank line is still a line: {errs:?}");
        let rows = parse_csv(
            BulkApi::V1,
            "p.csv",
            b"msisdn,amount,sms\n233541112259,5,false\n233541112259,6,true\n",
        )
        .unwrap();
        assert_eq!(rows[0].sms, None);
        assert_eq!(rows[1].sms.as_deref(), Some(""));
        let errs = parse_csv(
            BulkApi::V1,
            "p.csv",
            b"msisdn,amount,sms\n233541112259,5,hello\n",
        )
        .unwrap_err();
        assert_eq!(errs[0].field, "sms");
    }
}
