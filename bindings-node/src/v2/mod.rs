//! `V2Client` and its resource groups: `client.catalog`, `client.topups`, `client.balance`.
//!
//! Asynchronous methods return a Promise settled from the SDK's own threads ([`crate::promise`]). The JS entry
//! point wraps each of them to take `{ signal }` (their last argument in the types): reads and journal calls
//! reject at once with `CANCELLED` when it aborts; a send (`create`) gets a [`CancelToken`] instead and settles
//! with its real outcome; `wait` and `listAll` return step objects that JS drives on its own timers.

mod balance;
mod catalog;
mod topups;

pub use balance::V2Balance;
pub use catalog::V2Catalog;
pub use topups::V2Topups;

use crate::args::{Call, arg, top};
use crate::options::V2ClientOptions;
use crate::types::*;
use crate::{CancelToken, env_var, promise, sync, verify_with};
use clickairtime::v2::Client;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Client of the V2 API (`/v2/…`, Bearer API key). One client can run many calls at once; they share one
/// connection pool. Every network call returns a Promise, takes an `AbortSignal` (`{ signal }`) and runs on
/// the SDK's own threads, never on the event loop or libuv's pool; `…Sync` twins block and cannot be
/// cancelled.
#[napi]
pub struct V2Client {
    c: Client,
}

#[napi]
impl V2Client {
    /// Build a client. Settings left out come from the environment (`CLICKAIRTIME_API_KEY`,
    /// `CLICKAIRTIME_BASE_URL`): `new V2Client()` works when they are set. Throws `ClickAirtimeError`
    /// (`INVALID_INPUT`, naming the setting: `apiKey` when there is no key at all), or `JOURNAL` when the
    /// `journal` file cannot be opened (nothing is sent then).
    #[napi(constructor, ts_args_type = "options?: V2ClientOptions")]
    pub fn new(env: Env, options: Unknown) -> Result<Self> {
        let c = sync(&env, || {
            let o: Option<V2ClientOptions> = top(options, "options", Call::plain("new V2Client"))?;
            o.unwrap_or_else(V2ClientOptions::none)
                .build(&|name| env_var(&env, name))
        })?;
        Ok(V2Client { c })
    }

    /// Catalog: phone lookup, countries, networks, products.
    #[napi(getter)]
    pub fn catalog(&self) -> V2Catalog {
        V2Catalog { c: self.c.clone() }
    }

    /// Top-ups: create (money-safe), get, list, listAll, reconcile, wait.
    #[napi(getter)]
    pub fn topups(&self) -> V2Topups {
        V2Topups { c: self.c.clone() }
    }

    /// Wallet balances.
    #[napi(getter)]
    pub fn balance(&self) -> V2Balance {
        V2Balance { c: self.c.clone() }
    }

    /// The base URL in use (after normalisation).
    #[napi(getter)]
    pub fn base_url(&self, env: Env) -> Result<String> {
        sync(&env, || Ok(self.c.base_url().to_owned()))
    }

    /// Rate-limit headers of the most recent answer that carried them.
    #[napi(getter)]
    pub fn last_rate_limit(&self, env: Env) -> Result<Option<RateLimit>> {
        sync(&env, || Ok(self.c.last_rate_limit().map(Into::into)))
    }

    /// Sends the journal holds open, oldest first: `in_flight` (a crash, or a send running now) or `unknown`.
    /// Empty without a journal. Call `recover()` to settle them.
    #[napi(
        ts_args_type = "call?: CallOptions",
        ts_return_type = "Promise<TopUpJournalEntry[]>"
    )]
    pub fn pending<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(entries(c.pending(), TopUpJournalEntry::from_core)?)
        })
    }
    /// Blocking twin of `pending`.
    #[napi]
    pub fn pending_sync(&self, env: Env) -> Result<Vec<TopUpJournalEntry>> {
        sync(&env, || {
            Ok(entries(self.c.pending(), TopUpJournalEntry::from_core)?)
        })
    }

    /// The journal's entry for `reference` (`null` when the journal never saw it, or without a journal).
    #[napi(
        ts_args_type = "reference: string, call?: CallOptions",
        ts_return_type = "Promise<TopUpJournalEntry | null>"
    )]
    pub fn journal_entry<'e>(&self, env: &'e Env, reference: Unknown) -> Result<Object<'e>> {
        let reference: String = sync(env, || arg(reference, "reference"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(c.journal_entry(&reference)?
                .map(TopUpJournalEntry::from_core)
                .transpose()?)
        })
    }
    /// Blocking twin of `journalEntry`.
    #[napi(
        ts_args_type = "reference: string",
        ts_return_type = "TopUpJournalEntry | null"
    )]
    pub fn journal_entry_sync(
        &self,
        env: Env,
        reference: Unknown,
    ) -> Result<Option<TopUpJournalEntry>> {
        sync(&env, || {
            let reference: String = arg(reference, "reference")?;
            Ok(self
                .c
                .journal_entry(&reference)?
                .map(TopUpJournalEntry::from_core)
                .transpose()?)
        })
    }

    /// Settle every open journal entry with a verified lookup, never writing, and report each: `sent` (with
    /// its verified `record`), `not_sent` (absent once `convergenceBoundMs` has passed since its last write:
    /// selling it again with the same reference is safe), `refused` (another sale holds the reference), or
    /// still `unknown` / `in_flight` (a live send holds it, or nothing settled it yet: call again later).
    /// Needs a journal (`INVALID_INPUT` naming `journal` otherwise). Call it at start-up.
    #[napi(
        ts_args_type = "call?: CallOptions",
        ts_return_type = "Promise<TopUpRecovery[]>"
    )]
    pub fn recover<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let c = self.c.clone();
        promise(env, None, move || Ok(v2_recoveries(c.recover())?))
    }
    /// Blocking twin of `recover`.
    #[napi]
    pub fn recover_sync(&self, env: Env) -> Result<Vec<TopUpRecovery>> {
        sync(&env, || Ok(v2_recoveries(self.c.recover())?))
    }

    /// Send every row of a bulk payout through this client — its journal and its `rateLimit` — and report each
    /// row's outcome. `input`: a CSV file's path, the CSV itself (a Buffer, with `name`), or an array of rows
    /// (`{ phone, amount, currency }` or `{ phone, product }`, optional `reference`, `networkId`, `sms`, other
    /// keys as metadata). The whole input is validated first: one bad row and nothing is sent
    /// (`INVALID_INPUT`, every bad row listed, `rowErrors`). Rows without a reference get one derived from the
    /// batch's name, line and sale, so running the same input again with the same journal resumes without
    /// sending anything twice. `onProgress(result, done, total)` is called on the JS thread after each row, in
    /// order. `signal`: an abort stops taking new rows; sends under way settle; the Promise resolves with the
    /// report (rows not started `skipped`, `stopped: true`).
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
            crate::bulk::Client::V2(self.c.clone()),
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
            crate::bulk::Client::V2(self.c.clone()),
            input,
            options,
        )
    }

    /// Verify a webhook delivery with this client's API key and the default 300 s tolerance, then parse it.
    /// Pass the raw body exactly as received (a Buffer from `express.raw()`, or the text).
    #[napi(
        ts_args_type = "body: Buffer | Uint8Array | string, signature: string | undefined, timestamp: string | undefined"
    )]
    pub fn verify_webhook(
        &self,
        env: Env,
        body: Unknown,
        signature: Unknown,
        timestamp: Unknown,
    ) -> Result<WebhookEvent> {
        verify_with(&env, body, signature, timestamp, |b, s, t| {
            self.c.verify_webhook(b, s, t)
        })
    }
}
