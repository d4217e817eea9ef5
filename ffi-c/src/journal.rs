//! `ca_journal_entry` / `ca_journal_list`: what the crash-safe send journal holds, as returned by
//! `ca_v2_client_pending`, `ca_v2_client_recover`, `ca_v2_client_journal_entry` and their V1 twins.

use crate::fail::ca_error;
use crate::guard::{Cached, StrCache, free_handle, get_ref, get_str, get_val};
use crate::meta::to_json;
use crate::models::v1::ca_transaction;
use crate::models::v2::ca_topup;
use crate::result::{ca_result, result_of};
use sdk::v1::Transaction;
use sdk::v2::TopUp;
use sdk::{JournalEntry, Meta, Recovery, Response, SendOrigin, SendState};
use std::ffi::c_char;

/// One send as the journal holds it, with its verified record when it is `sent`. Immutable; any thread may
/// read it. From a list it is borrowed (valid until the list is freed; never free it); from
/// `ca_v2_client_journal_entry` / `ca_v1_client_journal_entry` it is yours (`ca_journal_entry_free`).
pub struct ca_journal_entry {
    entry: JournalEntry,
    topup: Option<ca_topup>,
    transaction: Option<ca_transaction>,
    cache: StrCache,
}

impl Cached for ca_journal_entry {
    fn cache(&self) -> &StrCache {
        &self.cache
    }
}

/// The meta of a record read from the journal: the handles, origin `journal`.
fn stored_meta(e: &JournalEntry) -> Meta {
    Meta {
        reference: Some(e.reference.clone()),
        idempotency_key: e.idempotency_key.clone(),
        origin: Some(SendOrigin::Journal),
        replayed: true,
        ..Meta::default()
    }
}

/// The recorded record of a `sent` entry.
fn stored_json(e: &JournalEntry) -> Option<&str> {
    (e.state == SendState::Sent)
        .then_some(e.record.as_deref())
        .flatten()
}

impl ca_journal_entry {
    /// A V2 entry; `record`: the record recover() verified (else the stored one, when sent).
    pub(crate) fn v2(entry: JournalEntry, record: Option<Response<TopUp>>) -> ca_journal_entry {
        let topup = record
            .or_else(|| {
                let data = serde_json::from_str::<TopUp>(stored_json(&entry)?).ok()?;
                Some(Response {
                    data,
                    meta: stored_meta(&entry),
                })
            })
            .map(ca_topup::new);
        ca_journal_entry {
            entry,
            topup,
            transaction: None,
            cache: StrCache::default(),
        }
    }

    /// A V1 entry; as `v2`.
    pub(crate) fn v1(
        entry: JournalEntry,
        record: Option<Response<Transaction>>,
    ) -> ca_journal_entry {
        let transaction = record
            .or_else(|| {
                let data = serde_json::from_str::<Transaction>(stored_json(&entry)?).ok()?;
                Some(Response {
                    data,
                    meta: stored_meta(&entry),
                })
            })
            .map(|mut r| {
                // verified to be this sale; the answer to a V1 write (what the journal may hold) has no
                // extRefId of its own
                r.data
                    .ext_ref_id
                    .get_or_insert_with(|| entry.reference.clone());
                ca_transaction::new(r)
            });
        ca_journal_entry {
            entry,
            topup: None,
            transaction,
            cache: StrCache::default(),
        }
    }
}

/// Entries of the journal: the open sends (`ca_v2_client_pending`) or what a recovery did with each
/// (`ca_v2_client_recover`). Immutable; released with `ca_journal_list_free`, which also releases every
/// entry borrowed from it.
pub struct ca_journal_list {
    items: Vec<ca_journal_entry>,
}

impl ca_journal_list {
    pub(crate) fn v2_entries(entries: Vec<JournalEntry>) -> ca_journal_list {
        ca_journal_list {
            items: entries
                .into_iter()
                .map(|e| ca_journal_entry::v2(e, None))
                .collect(),
        }
    }
    pub(crate) fn v1_entries(entries: Vec<JournalEntry>) -> ca_journal_list {
        ca_journal_list {
            items: entries
                .into_iter()
                .map(|e| ca_journal_entry::v1(e, None))
                .collect(),
        }
    }
    pub(crate) fn v2_recovered(r: Vec<Recovery<TopUp>>) -> ca_journal_list {
        ca_journal_list {
            items: r
                .into_iter()
                .map(|r| ca_journal_entry::v2(r.entry, r.record))
                .collect(),
        }
    }
    pub(crate) fn v1_recovered(r: Vec<Recovery<Transaction>>) -> ca_journal_list {
        ca_journal_list {
            items: r
                .into_iter()
                .map(|r| ca_journal_entry::v1(r.entry, r.record))
                .collect(),
        }
    }
}

// -------------------------------------------------------------------------------------- ca_journal_list

/// Number of entries; 0 if `list` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_list_count(list: *const ca_journal_list) -> usize {
    get_val(list, 0, |l| l.items.len())
}

/// Entry number `index` (from 0). Borrowed from `list`: valid until the list is freed; do not free it. NULL
/// if `list` is NULL or `index` is out of range.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_list_get(
    list: *const ca_journal_list,
    index: usize,
) -> *const ca_journal_entry {
    get_ref(list, |l| l.items.get(index))
}

/// Release a list and every entry (and record) borrowed from it. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_list_free(list: *mut ca_journal_list) {
    free_handle(list)
}

// ------------------------------------------------------------------------------------- ca_journal_entry

/// `"v1"` or `"v2"`. Owned by `entry`. NULL if `entry` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_api(entry: *const ca_journal_entry) -> *const c_char {
    get_str(entry, "api", |e| Some(e.entry.api.clone()))
}

/// The sale's reference (V2 `reference`, V1 `extRefId`). Owned by `entry`. NULL if `entry` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_reference(entry: *const ca_journal_entry) -> *const c_char {
    get_str(entry, "reference", |e| Some(e.entry.reference.clone()))
}

/// The V2 `Idempotency-Key` of the send. Owned by `entry`. NULL for V1 entries.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_idempotency_key(
    entry: *const ca_journal_entry,
) -> *const c_char {
    get_str(entry, "idempotency_key", |e| {
        e.entry.idempotency_key.clone()
    })
}

/// Where the send stands. Static string, one of:
/// - `sent`: created; a record verified to be this sale is recorded (`ca_journal_entry_topup` /
///   `ca_journal_entry_transaction`);
/// - `not_sent`: definitely not created (refused before processing, never left, or absence proven after
///   the convergence bound): nothing was sold; it may be sold again with the same reference;
/// - `refused`: definitely not created: the API holds another sale (duplicate window or reference
///   conflict; `ca_journal_entry_transaction_id` names it when known);
/// - `unknown`: it may have been created and nothing settled it yet: do NOT sell it again; recover later;
/// - `in_flight`: written down before its first write and not finished: a send running now (in this or
///   another process), or one a crash interrupted (recover settles it once its lease has passed: the send
///   deadline plus 30 s after it started).
///
/// NULL if `entry` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_state(entry: *const ca_journal_entry) -> *const c_char {
    get_val(entry, std::ptr::null(), |e| {
        match e.entry.state {
            SendState::InFlight => c"in_flight",
            SendState::Sent => c"sent",
            SendState::NotSent => c"not_sent",
            SendState::Refused => c"refused",
            SendState::Unknown => c"unknown",
        }
        .as_ptr()
    })
}

/// Whether the entry still needs settling (state `in_flight` or `unknown`): its sale must not be sold
/// again. False if `entry` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_is_open(entry: *const ca_journal_entry) -> bool {
    get_val(entry, false, |e| e.entry.state.is_open())
}

/// How many writes of the request were started (each written down before it left). 0 if `entry` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_writes(entry: *const ca_journal_entry) -> u32 {
    get_val(entry, 0, |e| e.entry.writes)
}

/// The API's transaction id: this sale's (state `sent`) or the other sale's (state `refused`), when known.
/// Owned by `entry`. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_transaction_id(entry: *const ca_journal_entry) -> *const c_char {
    get_str(entry, "transaction_id", |e| e.entry.transaction_id.clone())
}

/// The last status seen (`completed`, `SUCCESS`, `pending` …). Owned by `entry`. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_status(entry: *const ca_journal_entry) -> *const c_char {
    get_str(entry, "status", |e| e.entry.status.clone())
}

/// The result of the error recorded with the entry (e.g. `CA_ERR_OUTCOME_UNKNOWN` for `unknown`,
/// `CA_ERR_INSUFFICIENT_BALANCE` for a `not_sent` refusal, `CA_ERR_NOT_FOUND` for absence proven by
/// recover); `ca_result_name` names it. `CA_OK` when none is recorded (`sent`, `in_flight`) or `entry` is
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_error_kind(entry: *const ca_journal_entry) -> ca_result {
    get_val(entry, ca_result::CA_OK, |e| {
        e.entry.error_kind.map_or(ca_result::CA_OK, result_of)
    })
}

/// The message of the recorded error. Owned by `entry`. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_error_message(entry: *const ca_journal_entry) -> *const c_char {
    get_str(entry, "error_message", |e| e.entry.error_message.clone())
}

/// The request body exactly as written (JSON). Owned by `entry`. NULL if `entry` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_request(entry: *const ca_journal_entry) -> *const c_char {
    get_str(entry, "request", |e| Some(e.entry.request.clone()))
}

/// The verified record as recorded (JSON), when the entry is `sent`. Owned by `entry`. NULL if none.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_record(entry: *const ca_journal_entry) -> *const c_char {
    get_str(entry, "record", |e| e.entry.record.clone())
}

/// When the entry was created, in milliseconds since the Unix epoch. 0 if `entry` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_created_at_unix_ms(entry: *const ca_journal_entry) -> i64 {
    get_val(entry, 0, |e| e.entry.created_at)
}

/// When the entry last changed, in milliseconds since the Unix epoch. 0 if `entry` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_updated_at_unix_ms(entry: *const ca_journal_entry) -> i64 {
    get_val(entry, 0, |e| e.entry.updated_at)
}

/// When the last write started, in milliseconds since the Unix epoch ("not found" proves absence only a
/// convergence bound after it). 0 if no write started or `entry` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_last_write_at_unix_ms(entry: *const ca_journal_entry) -> i64 {
    get_val(entry, 0, |e| e.entry.last_write_at.unwrap_or(0))
}

/// When the entry was created, as ISO 8601 UTC text with milliseconds (`2026-12-01T18:39:30.123Z`; the
/// same instant as `ca_journal_entry_created_at_unix_ms`). Owned by `entry`. NULL if `entry` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_created_at(entry: *const ca_journal_entry) -> *const c_char {
    get_str(entry, "created_at", |e| {
        Some(iso8601_utc(e.entry.created_at))
    })
}

/// When the entry last changed, as ISO 8601 UTC text (see `ca_journal_entry_created_at`). Owned by `entry`.
/// NULL if `entry` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_updated_at(entry: *const ca_journal_entry) -> *const c_char {
    get_str(entry, "updated_at", |e| {
        Some(iso8601_utc(e.entry.updated_at))
    })
}

/// When the last write started, as ISO 8601 UTC text (see `ca_journal_entry_created_at`). Owned by `entry`.
/// NULL if no write started or `entry` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_last_write_at(entry: *const ca_journal_entry) -> *const c_char {
    get_str(entry, "last_write_at", |e| {
        e.entry.last_write_at.map(iso8601_utc)
    })
}

/// Unix milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ` (proleptic Gregorian, UTC).
pub(crate) fn iso8601_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    // days since 1970-01-01 to a civil date (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    )
}

/// For a V2 entry that is `sent`: its top-up, verified to be this sale (`ca_meta_origin` of its meta is
/// `recovered` when `ca_v2_client_recover` just found it, `journal` when read from the journal). Borrowed
/// from `entry`: do not free. NULL otherwise.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_topup(entry: *const ca_journal_entry) -> *const ca_topup {
    get_ref(entry, |e| e.topup.as_ref())
}

/// For a V1 entry that is `sent`: its transaction, verified to be this sale (as `ca_journal_entry_topup`).
/// Borrowed from `entry`: do not free. NULL otherwise.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_transaction(
    entry: *const ca_journal_entry,
) -> *const ca_transaction {
    get_ref(entry, |e| e.transaction.as_ref())
}

/// The entry as JSON (`api`, `reference`, `idempotency_key`, `state`, `writes`, `transaction_id`, `status`,
/// `error_kind` (the SDK's code, e.g. `OUTCOME_UNKNOWN`), `error_message`, `request` and `record` (as JSON
/// values), `created_at`, `updated_at`, `last_write_at` (unix ms)). On `CA_OK`, `*json_out` is a new string;
/// release it with `ca_string_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`entry`, `json_out`),
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_to_json(
    entry: *const ca_journal_entry,
    json_out: *mut *mut c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    to_json(entry, "entry", json_out, error_out, |e| {
        let e = &e.entry;
        let as_json = |s: Option<&str>| {
            s.map(|s| {
                serde_json::from_str::<serde_json::Value>(s)
                    .unwrap_or_else(|_| serde_json::Value::String(s.to_owned()))
            })
        };
        serde_json::to_string(&serde_json::json!({
            "api": e.api,
            "reference": e.reference,
            "idempotency_key": e.idempotency_key,
            "state": e.state.as_str(),
            "writes": e.writes,
            "transaction_id": e.transaction_id,
            "status": e.status,
            "error_kind": e.error_kind.map(|k| k.as_str()),
            "error_message": e.error_message,
            "request": as_json(Some(&e.request)),
            "record": as_json(e.record.as_deref()),
            "created_at": e.created_at,
            "updated_at": e.updated_at,
            "last_write_at": e.last_write_at,
        }))
    })
}

/// Release an entry returned by `ca_v2_client_journal_entry` / `ca_v1_client_journal_entry`. NULL does
/// nothing. Never free an entry borrowed from a list.
#[unsafe(no_mangle)]
pub extern "C" fn ca_journal_entry_free(entry: *mut ca_journal_entry) {
    free_handle(entry)
}

#[cfg(test)]
mod tests {
    use super::iso8601_utc;

    #[test]
    fn unix_milliseconds_as_iso8601() {
        assert_eq!(iso8601_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601_utc(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(iso8601_utc(1_796_150_370_005), "2026-12-01T18:39:30.005Z");
        assert_eq!(iso8601_utc(-1), "1969-12-31T23:59:59.999Z");
    }
}
