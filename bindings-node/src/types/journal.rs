//! The journal's entries and what `recover()` did with them, for V2 and V1.

use super::v1_transactions::Transaction;
use super::v2_topups::TopUp;
use super::{FromCore, TopUpResponse, TransactionResponse};
use clickairtime::{v1 as c1, v2 as c2};
use napi_derive::napi;

/// One V2 send as the journal holds it. Times are unix milliseconds (numbers): `new Date(entry.createdAt)`.
#[napi(object)]
pub struct TopUpJournalEntry {
    /// `v1` or `v2`.
    #[napi(ts_type = "'v1' | 'v2'")]
    pub api: String,
    /// The sale's reference (V2 `reference`).
    pub reference: String,
    /// The V2 `Idempotency-Key`.
    pub idempotency_key: Option<String>,
    /// Where it stands: `in_flight` (its end is not recorded: a crash, or it is running now), `sent`,
    /// `not_sent`, `refused` (the API holds another sale), `unknown` (it may exist: `recover()` it).
    #[napi(ts_type = "SendState")]
    pub state: String,
    /// Writes started (each written down before it left).
    pub writes: u32,
    /// The API's transaction id (`sent`), or the other sale's (`refused`), when known.
    pub transaction_id: Option<String>,
    /// Last status seen.
    pub status: Option<String>,
    /// The code of the recorded error (`OUTCOME_UNKNOWN`, `INSUFFICIENT_BALANCE` …).
    #[napi(ts_type = "ErrorCode")]
    pub error_kind: Option<String>,
    /// Its message.
    pub error_message: Option<String>,
    /// The request body as written (JSON text).
    pub request: String,
    /// The verified record, when `sent`.
    pub record: Option<TopUp>,
    /// When it was first written down, unix ms.
    pub created_at: i64,
    /// Last change, unix ms.
    pub updated_at: i64,
    /// When its last write started, unix ms (absent: no write started).
    pub last_write_at: Option<i64>,
    /// Whether its outcome is still open (`in_flight` or `unknown`): what `pending()` lists and `recover()`
    /// settles.
    pub is_open: bool,
}

impl TopUpJournalEntry {
    pub(crate) fn from_core(e: clickairtime::JournalEntry) -> clickairtime::Result<Self> {
        let record = match e.record.as_deref() {
            None => None,
            Some(text) => Some(
                serde_json::from_str::<c2::TopUp>(text)
                    .map(TopUp::from)
                    .map_err(|err| {
                        clickairtime::Error::new(
                            clickairtime::ErrorKind::Journal,
                            format!(
                                "journal: the record of reference {} is unreadable: {err}",
                                e.reference
                            ),
                        )
                    })?,
            ),
        };
        Ok(TopUpJournalEntry {
            api: e.api,
            reference: e.reference,
            idempotency_key: e.idempotency_key,
            is_open: e.state.is_open(),
            state: e.state.as_str().to_owned(),
            writes: e.writes,
            transaction_id: e.transaction_id,
            status: e.status,
            error_kind: e.error_kind.map(|k| k.as_str().to_owned()),
            error_message: e.error_message,
            request: e.request,
            record,
            created_at: e.created_at,
            updated_at: e.updated_at,
            last_write_at: e.last_write_at,
        })
    }
}

/// One V1 send as the journal holds it. Times are unix milliseconds (numbers): `new Date(entry.createdAt)`.
#[napi(object)]
pub struct TransactionJournalEntry {
    /// `v1` or `v2`.
    #[napi(ts_type = "'v1' | 'v2'")]
    pub api: String,
    /// The sale's reference (V1 `extRefId`).
    pub reference: String,
    /// The V2 `Idempotency-Key`.
    pub idempotency_key: Option<String>,
    /// Where it stands: `in_flight` (its end is not recorded: a crash, or it is running now), `sent`,
    /// `not_sent`, `refused` (the API holds another sale), `unknown` (it may exist: `recover()` it).
    #[napi(ts_type = "SendState")]
    pub state: String,
    /// Writes started (each written down before it left).
    pub writes: u32,
    /// The API's transaction id (`sent`), or the other sale's (`refused`), when known.
    pub transaction_id: Option<String>,
    /// Last status seen.
    pub status: Option<String>,
    /// The code of the recorded error (`OUTCOME_UNKNOWN`, `INSUFFICIENT_BALANCE` …).
    #[napi(ts_type = "ErrorCode")]
    pub error_kind: Option<String>,
    /// Its message.
    pub error_message: Option<String>,
    /// The request body as written (JSON text).
    pub request: String,
    /// The verified record, when `sent`.
    pub record: Option<Transaction>,
    /// When it was first written down, unix ms.
    pub created_at: i64,
    /// Last change, unix ms.
    pub updated_at: i64,
    /// When its last write started, unix ms (absent: no write started).
    pub last_write_at: Option<i64>,
    /// Whether its outcome is still open (`in_flight` or `unknown`): what `pending()` lists and `recover()`
    /// settles.
    pub is_open: bool,
}

impl TransactionJournalEntry {
    pub(crate) fn from_core(e: clickairtime::JournalEntry) -> clickairtime::Result<Self> {
        let record = match e.record.as_deref() {
            None => None,
            Some(text) => Some(
                serde_json::from_str::<c1::Transaction>(text)
                    .map(Transaction::from)
                    .map_err(|err| {
                        clickairtime::Error::new(
                            clickairtime::ErrorKind::Journal,
                            format!(
                                "journal: the record of reference {} is unreadable: {err}",
                                e.reference
                            ),
                        )
                    })?,
            ),
        };
        Ok(TransactionJournalEntry {
            api: e.api,
            reference: e.reference,
            idempotency_key: e.idempotency_key,
            is_open: e.state.is_open(),
            state: e.state.as_str().to_owned(),
            writes: e.writes,
            transaction_id: e.transaction_id,
            status: e.status,
            error_kind: e.error_kind.map(|k| k.as_str().to_owned()),
            error_message: e.error_message,
            request: e.request,
            record,
            created_at: e.created_at,
            updated_at: e.updated_at,
            last_write_at: e.last_write_at,
        })
    }
}

/// What `recover()` did with one open V2 entry.
#[napi(object, object_from_js = false)]
pub struct TopUpRecovery {
    /// The entry after recovery: `sent`, `not_sent` (absence proven: selling it again with the same
    /// reference is safe), `refused`, or still `unknown` / `in_flight` (call `recover()` again later).
    pub entry: TopUpJournalEntry,
    /// The verified record, when the entry is now `sent` (`meta.origin` is `recovered`).
    #[napi(ts_type = "TopUpResponse")]
    pub record: Option<TopUpResponse>,
}

/// What `recover()` did with one open V1 entry.
#[napi(object, object_from_js = false)]
pub struct TransactionRecovery {
    /// The entry after recovery (see `TopUpRecovery.entry`).
    pub entry: TransactionJournalEntry,
    /// The verified record, when the entry is now `sent`.
    #[napi(ts_type = "TransactionResponse")]
    pub record: Option<TransactionResponse>,
}

pub(crate) fn entries<E>(
    r: clickairtime::Result<Vec<clickairtime::JournalEntry>>,
    f: impl Fn(clickairtime::JournalEntry) -> clickairtime::Result<E>,
) -> clickairtime::Result<Vec<E>> {
    r?.into_iter().map(f).collect()
}

pub(crate) fn v2_recoveries(
    r: clickairtime::Result<Vec<clickairtime::Recovery<c2::TopUp>>>,
) -> clickairtime::Result<Vec<TopUpRecovery>> {
    r?.into_iter()
        .map(|x| {
            Ok(TopUpRecovery {
                entry: TopUpJournalEntry::from_core(x.entry)?,
                record: x.record.map(TopUpResponse::from_core),
            })
        })
        .collect()
}

pub(crate) fn v1_recoveries(
    r: clickairtime::Result<Vec<clickairtime::Recovery<c1::Transaction>>>,
) -> clickairtime::Result<Vec<TransactionRecovery>> {
    r?.into_iter()
        .map(|x| {
            Ok(TransactionRecovery {
                entry: TransactionJournalEntry::from_core(x.entry)?,
                record: x.record.map(TransactionResponse::from_core),
            })
        })
        .collect()
}
