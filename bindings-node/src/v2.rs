//! `V2Client` and its resource groups: `client.catalog`, `client.topups`, `client.balance`.

use crate::options::{
    self, CreateTopUpOptions, ListTopUpsOptions, LookupOptions, PreparedTopUp, V2ClientOptions,
    WaitOptions,
};
use crate::types::*;
use crate::{Job, guarded, info, sync, sync_send};
use clickairtime::v2::{Client, TopUpPages};
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::sync::{Arc, Mutex};

/// Client of the V2 API (`/v2/…`, Bearer API key). One client can run many calls at once; they share one
/// connection pool. Every network call returns a Promise and runs off the event loop; `…Sync` twins block.
#[napi]
pub struct V2Client {
    c: Client,
}

#[napi]
impl V2Client {
    /// Build a client; throws `ClickAirtimeError` (`INVALID_INPUT`, naming the setting) when an option is wrong,
    /// or `JOURNAL` when the `journal` file cannot be opened (nothing is sent then).
    #[napi(constructor)]
    pub fn new(env: Env, options: V2ClientOptions) -> Result<Self> {
        Ok(V2Client {
            c: sync(&env, || options.build())?,
        })
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
    #[napi(ts_return_type = "Promise<TopUpJournalEntry[]>")]
    pub fn pending(&self) -> AsyncTask<Job<Vec<TopUpJournalEntry>>> {
        let c = self.c.clone();
        Job::task(move || entries(c.pending(), TopUpJournalEntry::from_core))
    }
    /// Blocking twin of `pending`.
    #[napi]
    pub fn pending_sync(&self, env: Env) -> Result<Vec<TopUpJournalEntry>> {
        sync(&env, || {
            entries(self.c.pending(), TopUpJournalEntry::from_core)
        })
    }

    /// The journal's entry for `reference` (`null` when the journal never saw it, or without a journal).
    #[napi(ts_return_type = "Promise<TopUpJournalEntry | null>")]
    pub fn journal_entry(&self, reference: String) -> AsyncTask<Job<Option<TopUpJournalEntry>>> {
        let c = self.c.clone();
        Job::task(move || {
            c.journal_entry(&reference)?
                .map(TopUpJournalEntry::from_core)
                .transpose()
        })
    }
    /// Blocking twin of `journalEntry`.
    #[napi(ts_return_type = "TopUpJournalEntry | null")]
    pub fn journal_entry_sync(
        &self,
        env: Env,
        reference: String,
    ) -> Result<Option<TopUpJournalEntry>> {
        sync(&env, || {
            self.c
                .journal_entry(&reference)?
                .map(TopUpJournalEntry::from_core)
                .transpose()
        })
    }

    /// Settle every open journal entry with a verified lookup, never writing, and report each: `sent` (with
    /// its verified `record`), `not_sent` (absent once `convergenceBoundMs` has passed since its last write:
    /// selling it again with the same reference is safe), `refused` (another sale holds the reference), or
    /// still `unknown` / `in_flight` (a live send holds it, or nothing settled it yet: call again later).
    /// Needs a journal (`INVALID_INPUT` naming `journal` otherwise). Call it at start-up.
    #[napi(ts_return_type = "Promise<TopUpRecovery[]>")]
    pub fn recover(&self) -> AsyncTask<Job<Vec<TopUpRecovery>>> {
        let c = self.c.clone();
        Job::task(move || v2_recoveries(c.recover()))
    }
    /// Blocking twin of `recover`.
    #[napi]
    pub fn recover_sync(&self, env: Env) -> Result<Vec<TopUpRecovery>> {
        sync(&env, || v2_recoveries(self.c.recover()))
    }

    /// Verify a webhook delivery with this client's API key and the default 300 s tolerance, then parse it.
    #[napi]
    pub fn verify_webhook(
        &self,
        env: Env,
        body: Either<Buffer, String>,
        signature: String,
        timestamp: String,
    ) -> Result<WebhookEvent> {
        let bytes: &[u8] = match &body {
            Either::A(b) => b.as_ref(),
            Either::B(s) => s.as_bytes(),
        };
        sync(&env, || {
            self.c
                .verify_webhook(bytes, &signature, &timestamp)
                .map(Into::into)
        })
    }
}

/// `client.catalog`: phone lookup, countries, networks, products.
#[napi]
pub struct V2Catalog {
    c: Client,
}

#[napi]
impl V2Catalog {
    /// Find the network of a number (HLR lookup) and its products.
    #[napi(ts_return_type = "Promise<CatalogResponse>")]
    pub fn lookup(&self, options: LookupOptions) -> AsyncTask<Job<CatalogResponse>> {
        let c = self.c.clone();
        Job::task(move || {
            conv(
                c.catalog()
                    .lookup(options.phone_number.as_deref(), options.network_id),
            )
        })
    }
    /// Blocking twin of `lookup`.
    #[napi]
    pub fn lookup_sync(&self, env: Env, options: LookupOptions) -> Result<CatalogResponse> {
        sync(&env, || {
            conv(
                self.c
                    .catalog()
                    .lookup(options.phone_number.as_deref(), options.network_id),
            )
        })
    }

    /// Supported countries.
    #[napi(ts_return_type = "Promise<CountryListResponse>")]
    pub fn countries(&self) -> AsyncTask<Job<CountryListResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.catalog().countries()))
    }
    /// Blocking twin of `countries`.
    #[napi]
    pub fn countries_sync(&self, env: Env) -> Result<CountryListResponse> {
        sync(&env, || conv(self.c.catalog().countries()))
    }

    /// Networks, optionally of one country (ISO 3166-1 alpha-2, e.g. "GH").
    #[napi(ts_return_type = "Promise<NetworkListResponse>")]
    pub fn networks(&self, country_code: Option<String>) -> AsyncTask<Job<NetworkListResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.catalog().networks(country_code.as_deref())))
    }
    /// Blocking twin of `networks`.
    #[napi]
    pub fn networks_sync(
        &self,
        env: Env,
        country_code: Option<String>,
    ) -> Result<NetworkListResponse> {
        sync(&env, || {
            conv(self.c.catalog().networks(country_code.as_deref()))
        })
    }

    /// Full catalog of one network.
    #[napi(ts_return_type = "Promise<CatalogResponse>")]
    pub fn products(&self, network_id: i64) -> AsyncTask<Job<CatalogResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.catalog().products(network_id)))
    }
    /// Blocking twin of `products`.
    #[napi]
    pub fn products_sync(&self, env: Env, network_id: i64) -> Result<CatalogResponse> {
        sync(&env, || conv(self.c.catalog().products(network_id)))
    }
}

/// `client.topups`: create (money-safe), get, list, listAll, reconcile, wait.
#[napi]
pub struct V2Topups {
    c: Client,
}

#[napi]
impl V2Topups {
    /// Validate an order and fix its handles without sending anything: the returned object carries the
    /// `reference` (yours, or a new `ca-<uuid>`) and the `idempotencyKey` (yours, or derived from the
    /// reference) that `create` will send. Write it down, then `create(prepared)`. Throws `INVALID_INPUT`.
    #[napi]
    pub fn prepare(&self, env: Env, options: CreateTopUpOptions) -> Result<PreparedTopUp> {
        sync(&env, || options.prepared().map(Into::into))
    }

    /// Send a top-up, at most once, and report only what is true. Resolves only with a record verified to be
    /// this sale (`meta.origin`: `created`, `recovered`, `replayed` or `journal`). Rejects with
    /// `DUPLICATE_SALE` / `REFERENCE_CONFLICT` when the API holds another sale (named by `transactionId` and
    /// `existingReference`; this one was not created); with `OUTCOME_UNKNOWN` (`reference`,
    /// `idempotencyKey`, `causeKind`) once a write may have been received and nothing settled it within
    /// `sendDeadlineMs` — never treat that as failed: do not sell again, `recover()` or `reconcile` later;
    /// with any other code only when nothing was created. With a journal, the send is written down before
    /// its first write, and a reference the journal already holds is not written again.
    #[napi(ts_return_type = "Promise<TopUpResponse>")]
    pub fn create(&self, options: CreateTopUpOptions) -> AsyncTask<Job<TopUpResponse>> {
        let order = match guarded(None, || options.prepared().map_err(info)) {
            Ok(o) => o,
            Err(e) => return Job::fail_info(e),
        };
        let c = self.c.clone();
        let reference = order.reference.clone().unwrap_or_default();
        Job::send(reference, order.idempotency_key.clone(), move || {
            conv(c.topups().create(&order))
        })
    }
    /// Blocking twin of `create`.
    #[napi]
    pub fn create_sync(&self, env: Env, options: CreateTopUpOptions) -> Result<TopUpResponse> {
        let order = sync(&env, || options.prepared())?;
        let reference = order.reference.clone().unwrap_or_default();
        sync_send(&env, &reference, order.idempotency_key.as_deref(), || {
            conv(self.c.topups().create(&order))
        })
    }

    /// One top-up by id.
    #[napi(ts_return_type = "Promise<TopUpResponse>")]
    pub fn get(&self, id: String) -> AsyncTask<Job<TopUpResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.topups().get(&id)))
    }
    /// Blocking twin of `get`.
    #[napi]
    pub fn get_sync(&self, env: Env, id: String) -> Result<TopUpResponse> {
        sync(&env, || conv(self.c.topups().get(&id)))
    }

    /// One page of top-ups.
    #[napi(ts_return_type = "Promise<TopUpListResponse>")]
    pub fn list(&self, filter: Option<ListTopUpsOptions>) -> AsyncTask<Job<TopUpListResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.topups().list(&options::list_filter(filter))))
    }
    /// Blocking twin of `list`.
    #[napi]
    pub fn list_sync(
        &self,
        env: Env,
        filter: Option<ListTopUpsOptions>,
    ) -> Result<TopUpListResponse> {
        sync(&env, || {
            conv(self.c.topups().list(&options::list_filter(filter)))
        })
    }

    /// Every top-up matching `filter`, page after page, as an async iterator:
    /// `for await (const t of client.topups.listAll({ status: 'completed' })) …`. The filter is checked now
    /// (throws `INVALID_INPUT`); pages are fetched lazily, off the event loop.
    #[napi]
    pub fn list_all(&self, env: Env, filter: Option<ListTopUpsOptions>) -> Result<TopUpIterator> {
        let pages = sync(&env, || {
            self.c.topups().list_all(&options::list_filter(filter))
        })?;
        Ok(TopUpIterator {
            pages: Arc::new(Mutex::new(pages)),
        })
    }
    /// Blocking twin of `listAll`: every matching top-up, in one array.
    #[napi]
    pub fn list_all_sync(&self, env: Env, filter: Option<ListTopUpsOptions>) -> Result<Vec<TopUp>> {
        sync(&env, || {
            let pages = self.c.topups().list_all(&options::list_filter(filter))?;
            let all: clickairtime::Result<Vec<_>> = pages.collect();
            all.map(|v| v.into_iter().map(Into::into).collect())
        })
    }

    /// Find the top-up sent with `reference` (exact match). `null`: the API shows none *now*; that proves it
    /// was never created only once the convergence bound (about 12 minutes) has passed since its last write.
    /// Sell it again only with the *same* reference. Several top-ups with it: `REFERENCE_CONFLICT`.
    #[napi(ts_return_type = "Promise<TopUpResponse | null>")]
    pub fn reconcile(&self, reference: String) -> AsyncTask<Job<Option<TopUpResponse>>> {
        let c = self.c.clone();
        Job::task(move || conv_opt(c.topups().reconcile(&reference)))
    }
    /// Blocking twin of `reconcile`.
    #[napi(ts_return_type = "TopUpResponse | null")]
    pub fn reconcile_sync(&self, env: Env, reference: String) -> Result<Option<TopUpResponse>> {
        sync(&env, || conv_opt(self.c.topups().reconcile(&reference)))
    }

    /// Poll a top-up until it is terminal (backoff, bounded by `deadlineMs`, default 13 min; a 404 in the first
    /// `notFoundGraceMs` is "not visible yet"). Past the deadline: `STILL_PENDING` with `.transactionId` and
    /// `.status` — it was created and may still complete; never "not sent".
    #[napi(ts_return_type = "Promise<TopUpResponse>")]
    pub fn wait(&self, id: String, options: Option<WaitOptions>) -> AsyncTask<Job<TopUpResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.topups().wait(&id, &options::wait_options(options))))
    }
    /// Blocking twin of `wait`.
    #[napi]
    pub fn wait_sync(
        &self,
        env: Env,
        id: String,
        options: Option<WaitOptions>,
    ) -> Result<TopUpResponse> {
        sync(&env, || {
            conv(self.c.topups().wait(&id, &options::wait_options(options)))
        })
    }
}

/// One step of an async iteration.
#[napi(object)]
pub struct TopUpIteratorResult {
    /// True when there are no more top-ups.
    pub done: bool,
    /// The next top-up (absent when `done`).
    pub value: Option<TopUp>,
}

/// The async iterator returned by `topups.listAll`. Use it with `for await`; an error rejects one `next()` and
/// ends the iteration.
#[napi]
pub struct TopUpIterator {
    pages: Arc<Mutex<TopUpPages>>,
}

#[napi]
impl TopUpIterator {
    /// The next top-up, fetching the next page when needed.
    #[napi(ts_return_type = "Promise<IteratorResult<TopUp, undefined>>")]
    pub fn next(&self) -> AsyncTask<Job<TopUpIteratorResult>> {
        let pages = Arc::clone(&self.pages);
        Job::task(move || {
            let mut p = pages.lock().unwrap_or_else(|e| e.into_inner());
            match p.next() {
                Some(Ok(t)) => Ok(TopUpIteratorResult {
                    done: false,
                    value: Some(t.into()),
                }),
                Some(Err(e)) => Err(e),
                None => Ok(TopUpIteratorResult {
                    done: true,
                    value: None,
                }),
            }
        })
    }

    /// Blocking twin of `next`.
    #[napi(ts_return_type = "IteratorResult<TopUp, undefined>")]
    pub fn next_sync(&self, env: Env) -> Result<TopUpIteratorResult> {
        sync(&env, || {
            let mut p = self.pages.lock().unwrap_or_else(|e| e.into_inner());
            match p.next() {
                Some(Ok(t)) => Ok(TopUpIteratorResult {
                    done: false,
                    value: Some(t.into()),
                }),
                Some(Err(e)) => Err(e),
                None => Ok(TopUpIteratorResult {
                    done: true,
                    value: None,
                }),
            }
        })
    }
}

/// `client.balance`: wallet balances.
#[napi]
pub struct V2Balance {
    c: Client,
}

#[napi]
impl V2Balance {
    /// Every wallet and the USD total.
    #[napi(ts_return_type = "Promise<BalanceResponse>")]
    pub fn list(&self) -> AsyncTask<Job<BalanceResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.balance().list()))
    }
    /// Blocking twin of `list`.
    #[napi]
    pub fn list_sync(&self, env: Env) -> Result<BalanceResponse> {
        sync(&env, || conv(self.c.balance().list()))
    }

    /// One wallet by id (e.g. `wal_ghs_001`).
    #[napi(ts_return_type = "Promise<WalletResponse>")]
    pub fn get(&self, wallet_id: String) -> AsyncTask<Job<WalletResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.balance().get(&wallet_id)))
    }
    /// Blocking twin of `get`.
    #[napi]
    pub fn get_sync(&self, env: Env, wallet_id: String) -> Result<WalletResponse> {
        sync(&env, || conv(self.c.balance().get(&wallet_id)))
    }
}
