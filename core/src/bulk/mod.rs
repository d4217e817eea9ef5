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

use crate::error::{Error, ErrorKind};
use crate::money::Decimal;
use crate::response::SendOrigin;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

mod file;
mod run;

pub use file::{derive_reference, load, parse_csv, totals};
pub use run::{run_v1, run_v2};

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
