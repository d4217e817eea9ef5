//! `V1Client`: the legacy API (`/adp…`, e-mail + token headers). Asynchronous methods as in `v2`. Its methods are
//! grouped by resource as the core's `v1` modules are: the send (`send`), transactions and waits
//! (`transactions`), the product catalog (`products`) and balances (`balances`); this file holds the client,
//! its journal and bulk runs.

use crate::args::{Call, arg, top};
use crate::options::V1ClientOptions;
use crate::types::*;
use crate::{CancelToken, env_var, promise, sync};
use clickairtime::v1::Client;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Client of the V1 API (`/adp…`). Every network call returns a Promise, takes an `AbortSignal`
/// (`{ signal }`) and runs on the SDK's own threads; `…Sync` twins block and cannot be cancelled.
#[napi]
pub struct V1Client {
    c: Client,
}

#[napi]
impl V1Client {
    /// Build a client. Settings left out come from the environment (`CLICKAIRTIME_V1_EMAIL`,
    /// `CLICKAIRTIME_V1_TOKEN`, `CLICKAIRTIME_BASE_URL`). Throws `ClickAirtimeError` (`INVALID_INPUT`, naming
    /// the setting), or `JOURNAL` when the `journal` file cannot be opened (nothing is sent then).
    #[napi(constructor, ts_args_type = "options?: V1ClientOptions")]
    pub fn new(env: Env, options: Unknown) -> Result<Self> {
        let c = sync(&env, || {
            let o: Option<V1ClientOptions> = top(options, "options", Call::plain("new V1Client"))?;
            o.unwrap_or_else(V1ClientOptions::none)
                .build(&|name| env_var(&env, name))
        })?;
        Ok(V1Client { c })
    }

    /// The base URL in use.
    #[napi(getter)]
    pub fn base_url(&self, env: Env) -> Result<String> {
        sync(&env, || Ok(self.c.base_url().to_owned()))
    }

    /// Rate-limit headers of the most recent answer that carried them (V1 documents none).
    #[napi(getter)]
    pub fn last_rate_limit(&self, env: Env) -> Result<Option<RateLimit>> {
        sync(&env, || Ok(self.c.last_rate_limit().map(Into::into)))
    }
}

// The send (`prepareTopup`, `sendTopup`): in `send`. The rest is in the order the methods are listed.
mod send;

#[napi]
impl V1Client {
    /// Sends the journal holds open (`in_flight` or `unknown`), oldest first. Empty without a journal.
    #[napi(
        ts_args_type = "call?: CallOptions",
        ts_return_type = "Promise<TransactionJournalEntry[]>"
    )]
    pub fn pending<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(entries(c.pending(), TransactionJournalEntry::from_core)?)
        })
    }
    /// Blocking twin of `pending`.
    #[napi]
    pub fn pending_sync(&self, env: Env) -> Result<Vec<TransactionJournalEntry>> {
        sync(&env, || {
            Ok(entries(
                self.c.pending(),
                TransactionJournalEntry::from_core,
            )?)
        })
    }

    /// The journal's entry for `extRefId` (`null` when the journal never saw it, or without a journal).
    #[napi(
        ts_args_type = "extRefId: string, call?: CallOptions",
        ts_return_type = "Promise<TransactionJournalEntry | null>"
    )]
    pub fn journal_entry<'e>(&self, env: &'e Env, ext_ref_id: Unknown) -> Result<Object<'e>> {
        let r: String = sync(env, || arg(ext_ref_id, "extRefId"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(c.journal_entry(&r)?
                .map(TransactionJournalEntry::from_core)
                .transpose()?)
        })
    }
    /// Blocking twin of `journalEntry`.
    #[napi(
        ts_args_type = "extRefId: string",
        ts_return_type = "TransactionJournalEntry | null"
    )]
    pub fn journal_entry_sync(
        &self,
        env: Env,
        ext_ref_id: Unknown,
    ) -> Result<Option<TransactionJournalEntry>> {
        sync(&env, || {
            let r: String = arg(ext_ref_id, "extRefId")?;
            Ok(self
                .c
                .journal_entry(&r)?
                .map(TransactionJournalEntry::from_core)
                .transpose()?)
        })
    }

    /// Settle every open journal entry with a verified lookup, never writing (see `V2Client.recover`).
    /// Needs a journal.
    #[napi(
        ts_args_type = "call?: CallOptions",
        ts_return_type = "Promise<TransactionRecovery[]>"
    )]
    pub fn recover<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let c = self.c.clone();
        promise(env, None, move || Ok(v1_recoveries(c.recover())?))
    }
    /// Blocking twin of `recover`.
    #[napi]
    pub fn recover_sync(&self, env: Env) -> Result<Vec<TransactionRecovery>> {
        sync(&env, || Ok(v1_recoveries(self.c.recover())?))
    }

    /// Send every row of a bulk payout through this client — its journal and its `rateLimit` — and report each
    /// row's outcome: as `V2Client.bulk`, with V1 rows (`{ msisdn | phone, amount }` or `{ phone, product }`,
    /// optional `reference` (the `extRefId`) and `sms: true`). Validated whole first; `onProgress(result,
    /// done, total)` on the JS thread, in order; `signal` stops taking new rows (sends under way settle).
    #[napi(
        ts_args_type = "input: BulkInput, options?: BulkOptions & CallOptions",
        ts_return_type = "Promise<BulkReport>"
    )]
    pub fn bulk(
        &self,
        env: Env,
        input: Unknown,
        options: Unknown,
        cancel: ClassInstance<CancelToken>,
        emit: Function<crate::bulk::Event, ()>,
    ) -> Result<()> {
        crate::bulk::start(
            &env,
            crate::bulk::Client::V1(self.c.clone()),
            input,
            options,
            &cancel,
            emit,
        )
    }
    /// Blocking twin of `bulk`: `onProgress` is called on this thread, in order; it cannot be cancelled (an
    /// exception from `onProgress` stops it, then is rethrown).
    #[napi(
        ts_args_type = "input: BulkInput, options?: BulkSyncOptions",
        ts_return_type = "BulkReport"
    )]
    pub fn bulk_sync(
        &self,
        env: Env,
        input: Unknown,
        options: Unknown,
    ) -> Result<crate::bulk::Finished> {
        crate::bulk::run_sync(
            &env,
            crate::bulk::Client::V1(self.c.clone()),
            input,
            options,
        )
    }
}

// Transactions, reconcile and waits.
mod transactions;

// The product catalog.
mod products;

// Balances.
mod balances;
