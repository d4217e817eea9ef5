//! The crash-safe send journal: an SQLite file (bundled SQLite, WAL, `synchronous=FULL`) in which every
//! send is written down *before* its first write and again at its end.
//!
//! With it, a reference is sent at most once across restarts and across processes sharing the file: a send
//! whose reference the journal already holds returns the recorded outcome (sent), resumes its recovery
//! (in flight when a crash hit, or unknown) with a verified lookup before anything is written, or is refused
//! as a [`ReferenceConflict`](crate::ErrorKind::ReferenceConflict) when the journal holds that reference for a
//! different sale. `pending()` lists what is open and `recover()` settles it, without writing.
//!
//! The schema, readable with the `sqlite3` command-line tool (times are unix milliseconds):
//!
//! ```sql
//! CREATE TABLE sends (
//!   api             TEXT NOT NULL,     -- 'v1' or 'v2'
//!   reference       TEXT NOT NULL,     -- V2 reference / V1 extRefId
//!   idempotency_key TEXT,              -- V2 Idempotency-Key
//!   fingerprint     TEXT NOT NULL,     -- the sale: phone|network|amount currency or product
//!   request         TEXT NOT NULL,     -- the JSON body, exactly as written
//!   state           TEXT NOT NULL,     -- in_flight | sent | not_sent | refused | unknown
//!   writes          INTEGER NOT NULL,  -- writes started (each written down before it left)
//!   transaction_id  TEXT,              -- the API's id (sent), or the other sale's (refused)
//!   status          TEXT,              -- last status seen
//!   error_kind      TEXT,              -- e.g. OUTCOME_UNKNOWN, INSUFFICIENT_BALANCE
//!   error_message   TEXT,
//!   record          TEXT,              -- the verified record, JSON
//!   owner           TEXT,              -- the process holding an in_flight entry
//!   lease_until     INTEGER,           -- … until then; after it, a crash is assumed
//!   created_at      INTEGER NOT NULL,
//!   updated_at      INTEGER NOT NULL,
//!   last_write_at   INTEGER,
//!   PRIMARY KEY (api, reference)
//! );
//! ```
//!
//! e.g. `sqlite3 sales.journal "select reference, state, transaction_id from sends where state in ('in_flight','unknown')"`.
//!
//! Do not open the journal file with a second copy of SQLite in the same process (Python's `sqlite3`
//! module, a system `libsqlite3` your C program links): SQLite's POSIX locks are per process, and two
//! copies release each other's locks ("disk I/O error"). Read it from another process, as above.
//!
//! Next to the file, a folder `<journal>-owners/` holds one small lock file per open journal: an OS lock
//! that dies with its process, so after a crash or power cut the next process resumes the sends that
//! process had in flight at once (without it, only after their lease: the send deadline plus 30 s).

use crate::error::{Error, ErrorKind, Result};
use crate::handles::Api;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sends (
  api             TEXT NOT NULL,
  reference       TEXT NOT NULL,
  idempotency_key TEXT,
  fingerprint     TEXT NOT NULL,
  request         TEXT NOT NULL,
  state           TEXT NOT NULL,
  writes          INTEGER NOT NULL DEFAULT 0,
  transaction_id  TEXT,
  status          TEXT,
  error_kind      TEXT,
  error_message   TEXT,
  record          TEXT,
  owner           TEXT,
  lease_until     INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  last_write_at   INTEGER,
  PRIMARY KEY (api, reference)
);
CREATE INDEX IF NOT EXISTS sends_open ON sends (state) WHERE state IN ('in_flight', 'unknown');
CREATE TABLE IF NOT EXISTS journal_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO journal_meta (key, value) VALUES ('schema_version', '1');
";

/// Where a send stands in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SendState {
    /// Written down before its first write; its end is not recorded (a crash, or it is running now).
    InFlight,
    /// Created: a record verified to be this sale is recorded.
    Sent,
    /// Definitely not created (refused before processing, never left, or absence proven).
    NotSent,
    /// Definitely not created: the API holds another sale (duplicate window or reference conflict).
    Refused,
    /// It may have been created; nothing settled it yet. `recover()` settles it.
    Unknown,
}

impl SendState {
    /// Stable name, as stored: `in_flight`, `sent`, `not_sent`, `refused`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            SendState::InFlight => "in_flight",
            SendState::Sent => "sent",
            SendState::NotSent => "not_sent",
            SendState::Refused => "refused",
            SendState::Unknown => "unknown",
        }
    }
    fn parse(s: &str) -> SendState {
        match s {
            "sent" => SendState::Sent,
            "not_sent" => SendState::NotSent,
            "refused" => SendState::Refused,
            "unknown" => SendState::Unknown,
            _ => SendState::InFlight,
        }
    }
    /// Whether the entry still needs settling (`in_flight` or `unknown`).
    pub fn is_open(self) -> bool {
        matches!(self, SendState::InFlight | SendState::Unknown)
    }
}

impl std::fmt::Display for SendState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One send as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    /// `v1` or `v2`.
    pub api: String,
    /// The sale's reference (V2 `reference`, V1 `extRefId`).
    pub reference: String,
    /// The V2 `Idempotency-Key`.
    pub idempotency_key: Option<String>,
    /// Where it stands.
    pub state: SendState,
    /// Writes started.
    pub writes: u32,
    /// The API's transaction id (sent), or the other sale's (refused), when known.
    pub transaction_id: Option<String>,
    /// Last status seen.
    pub status: Option<String>,
    /// The kind of the recorded error (`OUTCOME_UNKNOWN`, `INSUFFICIENT_BALANCE` …).
    pub error_kind: Option<ErrorKind>,
    /// Its message.
    pub error_message: Option<String>,
    /// The request body as written (JSON).
    pub request: String,
    /// The verified record (JSON), when sent.
    pub record: Option<String>,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Unix milliseconds.
    pub updated_at: i64,
    /// Unix milliseconds of the last write, if any started.
    pub last_write_at: Option<i64>,
}

/// What a claim of a reference found.
pub(crate) enum Claim {
    /// New, or only definitely-not-sent attempts before: write.
    Fresh,
    /// Already sent: the recorded outcome.
    Recorded(JournalEntry),
    /// The reference belongs to a different sale.
    Conflict(JournalEntry),
    /// Another live process or thread is sending it now.
    Busy(JournalEntry),
    /// Left open by a crash or an unknown end: settle before writing.
    Resume(JournalEntry),
}

/// An open journal file. Shared by the clients of one builder; safe across threads and processes.
///
/// Each open journal is an *owner*: it holds an OS lock on a small file of its own next to the journal
/// (`<journal>-owners/<owner>.lock`) for as long as it lives. The lock dies with the process — a crash, a
/// `kill -9`, a power cut — so another process can tell at once that an in-flight send's owner is gone and
/// resume it, instead of waiting out the lease.
pub struct Journal {
    conn: Mutex<Connection>,
    path: PathBuf,
    owner: String,
    owners_dir: PathBuf,
    /// Held (locked) while this journal is open.
    _owner_lock: Option<std::fs::File>,
}

impl Drop for Journal {
    fn drop(&mut self) {
        if self._owner_lock.take().is_some() {
            let _ = std::fs::remove_file(self.owners_dir.join(format!("{}.lock", self.owner)));
        }
    }
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).finish()
    }
}

/// How long opening a journal waits for another process holding it (and a send for its lock).
const OPEN_WAIT: Duration = Duration::from_secs(15);

/// `op` again while SQLite says the database is busy or locked, until `OPEN_WAIT` after `started`.
fn while_locked<T>(
    started: std::time::Instant,
    mut op: impl FnMut() -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    loop {
        match op() {
            Err(rusqlite::Error::SqliteFailure(f, _))
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && started.elapsed() < OPEN_WAIT =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

fn jerr(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Journal, format!("journal: {what}: {e}"))
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

const COLUMNS: &str = "api, reference, idempotency_key, state, writes, transaction_id, status, error_kind, error_message, request, record, created_at, updated_at, last_write_at, owner, lease_until";

fn entry_from_row(
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<(JournalEntry, Option<String>, Option<i64>)> {
    let state: String = r.get(3)?;
    let kind: Option<String> = r.get(7)?;
    Ok((
        JournalEntry {
            api: r.get(0)?,
            reference: r.get(1)?,
            idempotency_key: r.get(2)?,
            state: SendState::parse(&state),
            writes: r.get::<_, i64>(4)?.max(0) as u32,
            transaction_id: r.get(5)?,
            status: r.get(6)?,
            error_kind: kind.as_deref().and_then(ErrorKind::from_name),
            error_message: r.get(8)?,
            request: r.get(9)?,
            record: r.get(10)?,
            created_at: r.get(11)?,
            updated_at: r.get(12)?,
            last_write_at: r.get(13)?,
        },
        r.get(14)?,
        r.get(15)?,
    ))
}

impl Journal {
    /// Open (or create) the journal at `path`. Fails with a `Journal` error naming the path if the file
    /// cannot be opened, is not a journal, or cannot be written.
    pub fn open(path: impl AsRef<Path>) -> Result<Journal> {
        let path = path.as_ref().to_path_buf();
        let shown = path.display().to_string();
        let conn = Connection::open(&path).map_err(|e| jerr(&format!("cannot open {shown}"), e))?;
        conn.busy_timeout(OPEN_WAIT)
            .map_err(|e| jerr("busy timeout", e))?;
        // Two processes opening a new journal at once (a till and its back office starting together) race
        // to switch it to WAL and to create its table; SQLite answers the loser "database is locked" at once,
        // without waiting out the busy timeout. So these first steps are retried, within the same wait.
        let started = std::time::Instant::now();
        let mode: String = while_locked(started, || {
            conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        })
        .map_err(|e| jerr(&format!("{shown} is not a usable journal"), e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            log::warn!(target: "clickairtime", "journal {shown}: WAL not available (mode {mode}); using it anyway");
        }
        while_locked(started, || conn.pragma_update(None, "synchronous", "FULL"))
            .map_err(|e| jerr("synchronous=FULL", e))?;
        while_locked(started, || conn.execute_batch(SCHEMA))
            .map_err(|e| jerr(&format!("cannot write {shown}"), e))?;
        let owner = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
        let mut owners_dir = path.clone().into_os_string();
        owners_dir.push("-owners");
        let owners_dir = PathBuf::from(owners_dir);
        let owner_lock = std::fs::create_dir_all(&owners_dir)
            .and_then(|_| {
                let f = std::fs::OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(owners_dir.join(format!("{owner}.lock")))?;
                f.lock()?;
                Ok(f)
            })
            .map_err(|e| {
                log::warn!(target: "clickairtime", "journal {shown}: no owner lock ({e}); a crashed send is resumed only after its lease");
            })
            .ok();
        Ok(Journal {
            conn: Mutex::new(conn),
            path,
            owner,
            owners_dir,
            _owner_lock: owner_lock,
        })
    }

    /// Whether the journal handle that owns an in-flight entry is still open (in a live process).
    /// `None`: cannot tell (no lock file), so the lease decides.
    fn owner_alive(&self, owner: &str) -> Option<bool> {
        if owner == self.owner {
            return Some(self._owner_lock.is_some());
        }
        if owner.contains(['/', '\\', '.']) {
            return None;
        }
        let file = self.owners_dir.join(format!("{owner}.lock"));
        let f = match std::fs::OpenOptions::new().write(true).open(&file) {
            Ok(f) => f,
            // removed when its journal closed: gone
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(false),
            Err(_) => return None,
        };
        match f.try_lock() {
            Ok(()) => {
                // nobody holds it: the owner died without closing
                let _ = f.unlock();
                drop(f);
                let _ = std::fs::remove_file(&file);
                Some(false)
            }
            Err(std::fs::TryLockError::WouldBlock) => Some(true),
            Err(_) => None,
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Take the reference for one send (atomically, across processes).
    pub(crate) fn claim(
        &self,
        api: Api,
        reference: &str,
        key: Option<&str>,
        body: &[u8],
        fingerprint: &str,
        lease: Duration,
    ) -> Result<Claim> {
        let request = std::str::from_utf8(body).map_err(|e| jerr("request", e))?;
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| jerr("begin", e))?;
        let now = now_ms();
        let lease_until = now + lease.as_millis() as i64;
        let found = tx
            .query_row(
                &format!(
                    "SELECT {COLUMNS}, fingerprint FROM sends WHERE api = ?1 AND reference = ?2"
                ),
                params![api.as_str(), reference],
                |r| Ok((entry_from_row(r)?, r.get::<_, String>(16)?)),
            )
            .optional()
            .map_err(|e| jerr("read", e))?;
        let claim = match found {
            None => {
                tx.execute(
                    "INSERT INTO sends (api, reference, idempotency_key, fingerprint, request, state, writes, owner, lease_until, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, 'in_flight', 0, ?6, ?7, ?8, ?8)",
                    params![api.as_str(), reference, key, fingerprint, request, self.owner, lease_until, now],
                )
                .map_err(|e| jerr("write", e))?;
                Claim::Fresh
            }
            Some(((entry, owner, until), fp)) => {
                if fp != fingerprint {
                    Claim::Conflict(entry)
                } else {
                    match entry.state {
                        SendState::Sent => Claim::Recorded(entry),
                        SendState::NotSent | SendState::Refused => {
                            // nothing of it exists at the API: a new attempt may write (same key)
                            tx.execute(
                                "UPDATE sends SET state = 'in_flight', request = ?3, idempotency_key = ?4, owner = ?5, lease_until = ?6,
                                 error_kind = NULL, error_message = NULL, transaction_id = NULL, updated_at = ?7
                                 WHERE api = ?1 AND reference = ?2",
                                params![api.as_str(), reference, request, key, self.owner, lease_until, now],
                            )
                            .map_err(|e| jerr("write", e))?;
                            Claim::Fresh
                        }
                        SendState::InFlight
                            if self.holder_is_live(owner.as_deref(), until, now) =>
                        {
                            // a live send (another process, or another thread of this one) holds it
                            Claim::Busy(entry)
                        }
                        SendState::InFlight | SendState::Unknown => {
                            tx.execute(
                                "UPDATE sends SET state = 'in_flight', owner = ?3, lease_until = ?4, updated_at = ?5
                                 WHERE api = ?1 AND reference = ?2",
                                params![api.as_str(), reference, self.owner, lease_until, now],
                            )
                            .map_err(|e| jerr("write", e))?;
                            Claim::Resume(entry)
                        }
                    }
                }
            }
        };
        tx.commit().map_err(|e| jerr("commit", e))?;
        Ok(claim)
    }

    /// Whether the owner of an in-flight entry is alive: its owner lock says so, or (when that cannot be
    /// told) its lease still runs.
    fn holder_is_live(&self, owner: Option<&str>, until: Option<i64>, now: i64) -> bool {
        let Some(owner) = owner else {
            return false;
        };
        // a dead owner (its process is gone) frees the entry at once; otherwise the lease bounds it (a live
        // process whose send outlived its lease lost that thread)
        match self.owner_alive(owner) {
            Some(false) => false,
            _ => until.is_some_and(|u| u > now),
        }
    }

    /// Written down before a write leaves.
    pub(crate) fn mark_writing(&self, api: Api, reference: &str, at: i64) -> Result<()> {
        let conn = self.lock();
        conn.execute(
            "UPDATE sends SET writes = writes + 1, last_write_at = ?3, updated_at = ?3 WHERE api = ?1 AND reference = ?2",
            params![api.as_str(), reference, at],
        )
        .map_err(|e| jerr("write", e))?;
        Ok(())
    }

    /// Record the end of a send (or of a recovery).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn finish(
        &self,
        api: Api,
        reference: &str,
        state: SendState,
        transaction_id: Option<&str>,
        status: Option<&str>,
        error: Option<&Error>,
        record: Option<&str>,
    ) -> Result<()> {
        let conn = self.lock();
        conn.execute(
            "UPDATE sends SET state = ?3, transaction_id = COALESCE(?4, transaction_id), status = COALESCE(?5, status),
             error_kind = ?6, error_message = ?7, record = COALESCE(?8, record), owner = NULL, lease_until = NULL, updated_at = ?9
             WHERE api = ?1 AND reference = ?2",
            params![
                api.as_str(),
                reference,
                state.as_str(),
                transaction_id,
                status,
                error.map(|e| e.kind().as_str()),
                error.map(|e| e.message().to_owned()),
                record,
                now_ms()
            ],
        )
        .map_err(|e| jerr("write", e))?;
        Ok(())
    }

    /// One entry.
    pub fn get(&self, api: &str, reference: &str) -> Result<Option<JournalEntry>> {
        let conn = self.lock();
        conn.query_row(
            &format!("SELECT {COLUMNS} FROM sends WHERE api = ?1 AND reference = ?2"),
            params![api, reference],
            |r| entry_from_row(r).map(|(e, _, _)| e),
        )
        .optional()
        .map_err(|e| jerr("read", e))
    }

    /// Entries of `api` that are open (`in_flight` or `unknown`), oldest first. An in-flight entry whose
    /// lease is still running belongs to a send in progress and is listed too.
    pub fn pending(&self, api: &str) -> Result<Vec<JournalEntry>> {
        self.select(
            "WHERE api = ?1 AND state IN ('in_flight', 'unknown') ORDER BY created_at",
            api,
        )
    }

    /// Every entry of `api`, oldest first.
    pub fn entries(&self, api: &str) -> Result<Vec<JournalEntry>> {
        self.select("WHERE api = ?1 ORDER BY created_at", api)
    }

    /// Whether an open entry is being sent right now by a live owner.
    pub(crate) fn is_live(&self, api: &str, reference: &str) -> Result<bool> {
        let row: Option<(Option<String>, Option<i64>)> = {
            let conn = self.lock();
            conn.query_row(
                "SELECT owner, lease_until FROM sends WHERE api = ?1 AND reference = ?2 AND state = 'in_flight'",
                params![api, reference],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| jerr("read", e))?
        };
        Ok(match row {
            Some((owner, until)) => self.holder_is_live(owner.as_deref(), until, now_ms()),
            None => false,
        })
    }

    fn select(&self, filter: &str, api: &str) -> Result<Vec<JournalEntry>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare(&format!("SELECT {COLUMNS} FROM sends {filter}"))
            .map_err(|e| jerr("read", e))?;
        let rows = stmt
            .query_map(params![api], |r| entry_from_row(r).map(|(e, _, _)| e))
            .map_err(|e| jerr("read", e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| jerr("read", e))
    }
}

/// What `recover()` did with one open entry.
#[derive(Debug, Clone)]
pub struct Recovery<T> {
    /// The entry after recovery (its `state` says the outcome: `sent`, `not_sent`, `refused`, or still
    /// `unknown` / `in_flight`).
    pub entry: JournalEntry,
    /// The verified record, when the entry is now `sent`.
    pub record: Option<crate::Response<T>>,
}

#[cfg(test)]
mod tests;
