//! The V1 journal: pending and recovered sends.

use super::ca_v1_client;
use crate::fail::ca_error;
use crate::guard::{arg, arg_str, into_handle, out, run};
use crate::journal::{ca_journal_entry, ca_journal_list};
use crate::result::ca_result;
use std::ffi::c_char;

/// The V1 sends the journal holds open (as `ca_v2_client_pending`). On `CA_OK`, `*list_out` owns a new list
/// (empty without a journal); free it with `ca_journal_list_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `list_out`), `CA_ERR_JOURNAL`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_pending(
    client: *const ca_v1_client,
    list_out: *mut *mut ca_journal_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(list_out, "list_out")?;
        o.write(into_handle(ca_journal_list::v1_entries(c.inner.pending()?)));
        Ok(())
    })
}

/// Settle every open V1 journal entry, never writing (as `ca_v2_client_recover`; a `sent` entry carries its
/// transaction, `ca_journal_entry_transaction`). On `CA_OK`, `*list_out` owns the entries after recovery;
/// free it with `ca_journal_list_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `list_out`); `CA_ERR_INVALID_INPUT` (field
/// `journal`: the client has no journal); `CA_ERR_JOURNAL`; `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_recover(
    client: *const ca_v1_client,
    list_out: *mut *mut ca_journal_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(list_out, "list_out")?;
        o.write(into_handle(ca_journal_list::v1_recovered(
            c.inner.recover()?,
        )));
        Ok(())
    })
}

/// The journal's V1 entry for `ext_ref_id`, whatever its state. On `CA_OK`, `*entry_out` is a new entry
/// (free it with `ca_journal_entry_free`), or NULL when the journal has none or the client has no journal.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `ext_ref_id`, `entry_out`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_JOURNAL`, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_client_journal_entry(
    client: *const ca_v1_client,
    ext_ref_id: *const c_char,
    entry_out: *mut *mut ca_journal_entry,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let r = arg_str(ext_ref_id, "ext_ref_id")?;
        let o = out(entry_out, "entry_out")?;
        let found = c.inner.journal_entry(r)?;
        o.write(found.map_or(std::ptr::null_mut(), |e| {
            into_handle(ca_journal_entry::v1(e, None))
        }));
        Ok(())
    })
}
