//! V2 send handles and the journal: idempotency keys, pending and recovered sends.

use super::ca_v2_client;
use crate::fail::ca_error;
use crate::guard::{self, arg, arg_str, into_handle, out, run};
use crate::journal::{ca_journal_entry, ca_journal_list};
use crate::result::ca_result;
use sdk::v2::idempotency_key_for;
use std::ffi::c_char;

/// Size of a buffer that holds any `Idempotency-Key` `ca_v2_idempotency_key_for` makes (44 characters, NUL).
pub const CA_IDEMPOTENCY_KEY_BUFFER_SIZE: usize = 45;

/// The `Idempotency-Key` a V2 send of `reference` carries when none is set: derived from the reference
/// alone (`ca2-` and 40 hex digits), so the same reference carries the same key in every process, after a
/// crash, or when sold again. Written with a NUL into `out_buf` (`buf_len` bytes; use
/// `CA_IDEMPOTENCY_KEY_BUFFER_SIZE`); on success `*written_out` receives the length (`written_out` may be
/// NULL).
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`reference`, `out_buf`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_BUFFER_TOO_SMALL` (buffer untouched); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_idempotency_key_for(
    reference: *const c_char,
    out_buf: *mut c_char,
    buf_len: usize,
    written_out: *mut usize,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_str(reference, "reference")?;
        let b = guard::buf(out_buf, buf_len, "out_buf")?;
        b.write(&idempotency_key_for(r), written_out)
    })
}

/// The V2 sends the journal holds open (state `in_flight` after a crash or while a send runs, or
/// `unknown`), oldest first: sales that must NOT be sold again until `ca_v2_client_recover` settles them.
/// Reads the journal only. On `CA_OK`, `*list_out` owns a new list (empty without a journal); free it with
/// `ca_journal_list_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `list_out`), `CA_ERR_JOURNAL`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_pending(
    client: *const ca_v2_client,
    list_out: *mut *mut ca_journal_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(list_out, "list_out")?;
        o.write(into_handle(ca_journal_list::v2_entries(c.inner.pending()?)));
        Ok(())
    })
}

/// Settle every open V2 journal entry (call it at start-up), never writing a top-up: each one is looked up
/// by its reference and verified. Found and verified: `sent` (with its top-up, `ca_journal_entry_topup`);
/// not found once the convergence bound has passed since its last write: `not_sent` (nothing was sold;
/// selling it again with the same reference is safe); another sale holds the reference: `refused`;
/// anything else stays `unknown` (call again later). Entries a live send holds right now (its lease runs:
/// up to the send deadline plus 30 s after it started, also after a crash) are returned unchanged,
/// `in_flight`. On `CA_OK`, `*list_out` owns one entry per open entry, after recovery (empty when nothing
/// was open); free it with `ca_journal_list_free`. Blocking: up to a send deadline per entry.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `list_out`); `CA_ERR_INVALID_INPUT` (field
/// `journal`: the client has no journal); `CA_ERR_JOURNAL`; `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_recover(
    client: *const ca_v2_client,
    list_out: *mut *mut ca_journal_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(list_out, "list_out")?;
        o.write(into_handle(ca_journal_list::v2_recovered(
            c.inner.recover()?,
        )));
        Ok(())
    })
}

/// The journal's V2 entry for `reference`, whatever its state. On `CA_OK`, `*entry_out` is a new entry
/// (free it with `ca_journal_entry_free`; a `sent` one carries its recorded top-up), or NULL when the
/// journal has none or the client has no journal.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `reference`, `entry_out`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_JOURNAL`, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_client_journal_entry(
    client: *const ca_v2_client,
    reference: *const c_char,
    entry_out: *mut *mut ca_journal_entry,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let r = arg_str(reference, "reference")?;
        let o = out(entry_out, "entry_out")?;
        let found = c.inner.journal_entry(r)?;
        o.write(found.map_or(std::ptr::null_mut(), |e| {
            into_handle(ca_journal_entry::v2(e, None))
        }));
        Ok(())
    })
}
