//! `V1Client`: the legacy API (`/adp…`, e-mail + token headers).

use crate::options::{
    self, PreparedSendTopUp, SendTopUpOptions, TransactionFilterOptions, V1ClientOptions,
    WaitOptions,
};
use crate::types::*;
use crate::{Job, guarded, info, sync, sync_send};
use clickairtime::v1::Client;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Client of the V1 API (`/adp…`). Every network call returns a Promise and runs off the event loop; `…Sync`
/// twins block.
#[napi]
pub struct V1Client {
    c: Client,
}

#[napi]
impl V1Client {
    /// Build a client; throws `ClickAirtimeError` (`INVALID_INPUT`, naming the setting) when an option is wrong,
    /// or `JOURNAL` when the `journal` file cannot be opened (nothing is sent then).
    #[napi(constructor)]
    pub fn new(env: Env, options: V1ClientOptions) -> Result<Self> {
        Ok(V1Client {
            c: sync(&env, || options.build())?,
        })
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

    /// Validate an order and fix its `extRefId` (yours, or a new `ca-<uuid>`) without sending anything.
    /// Write it down, then `sendTopup(prepared)`. Throws `INVALID_INPUT`.
    #[napi]
    pub fn prepare_topup(&self, env: Env, options: SendTopUpOptions) -> Result<PreparedSendTopUp> {
        sync(&env, || options.prepared().map(Into::into))
    }

    /// Send a top-up, at most once, and report only what is true (the same five ends as V2 `topups.create`).
    /// The `extRefId` (yours, or generated) is in `meta.reference` and on every error. Resolves only with a
    /// record verified to be this sale (`meta.origin` says how it was obtained); code 90 for another sale is
    /// `REFERENCE_CONFLICT`, code 50 `DUPLICATE_SALE`; `OUTCOME_UNKNOWN` once a write may have been received
    /// and nothing settled it. A SYNC answer carries a terminal state; ASYNC a PENDING one: `wait(extRefId)`.
    /// A send recovered after a lost answer (`meta.origin` `recovered`) carries the state the lookup shows,
    /// which may still be PENDING or PROCESSING even in SYNC mode: `wait` for the terminal one. A provider
    /// failure is a FAILED transaction, not an error.
    #[napi(ts_return_type = "Promise<TransactionResponse>")]
    pub fn send_topup(&self, options: SendTopUpOptions) -> AsyncTask<Job<TransactionResponse>> {
        let order = match guarded(None, || options.prepared().map_err(info)) {
            Ok(o) => o,
            Err(e) => return Job::fail_info(e),
        };
        let c = self.c.clone();
        let reference = order.ext_ref_id.clone().unwrap_or_default();
        Job::send(reference, None, move || conv(c.send_topup(&order)))
    }
    /// Blocking twin of `sendTopup`.
    #[napi]
    pub fn send_topup_sync(
        &self,
        env: Env,
        options: SendTopUpOptions,
    ) -> Result<TransactionResponse> {
        let order = sync(&env, || options.prepared())?;
        let reference = order.ext_ref_id.clone().unwrap_or_default();
        sync_send(&env, &reference, None, || conv(self.c.send_topup(&order)))
    }

    /// Sends the journal holds open (`in_flight` or `unknown`), oldest first. Empty without a journal.
    #[napi(ts_return_type = "Promise<TransactionJournalEntry[]>")]
    pub fn pending(&self) -> AsyncTask<Job<Vec<TransactionJournalEntry>>> {
        let c = self.c.clone();
        Job::task(move || entries(c.pending(), TransactionJournalEntry::from_core))
    }
    /// Blocking twin of `pending`.
    #[napi]
    pub fn pending_sync(&self, env: Env) -> Result<Vec<TransactionJournalEntry>> {
        sync(&env, || {
            entries(self.c.pending(), TransactionJournalEntry::from_core)
        })
    }

    /// The journal's entry for `extRefId` (`null` when the journal never saw it, or without a journal).
    #[napi(ts_return_type = "Promise<TransactionJournalEntry | null>")]
    pub fn journal_entry(
        &self,
        ext_ref_id: String,
    ) -> AsyncTask<Job<Option<TransactionJournalEntry>>> {
        let c = self.c.clone();
        Job::task(move || {
            c.journal_entry(&ext_ref_id)?
                .map(TransactionJournalEntry::from_core)
                .transpose()
        })
    }
    /// Blocking twin of `journalEntry`.
    #[napi(ts_return_type = "TransactionJournalEntry | null")]
    pub fn journal_entry_sync(
        &self,
        env: Env,
        ext_ref_id: String,
    ) -> Result<Option<TransactionJournalEntry>> {
        sync(&env, || {
            self.c
                .journal_entry(&ext_ref_id)?
                .map(TransactionJournalEntry::from_core)
                .transpose()
        })
    }

    /// Settle every open journal entry with a verified lookup, never writing (see `V2Client.recover`).
    /// Needs a journal.
    #[napi(ts_return_type = "Promise<TransactionRecovery[]>")]
    pub fn recover(&self) -> AsyncTask<Job<Vec<TransactionRecovery>>> {
        let c = self.c.clone();
        Job::task(move || v1_recoveries(c.recover()))
    }
    /// Blocking twin of `recover`.
    #[napi]
    pub fn recover_sync(&self, env: Env) -> Result<Vec<TransactionRecovery>> {
        sync(&env, || v1_recoveries(self.c.recover()))
    }

    /// Transactions matching every given filter (AND). Nothing matched is an empty list.
    #[napi(ts_return_type = "Promise<TransactionListResponse>")]
    pub fn transactions(
        &self,
        filter: TransactionFilterOptions,
    ) -> AsyncTask<Job<TransactionListResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.transactions(&filter.into_core())))
    }
    /// Blocking twin of `transactions`.
    #[napi]
    pub fn transactions_sync(
        &self,
        env: Env,
        filter: TransactionFilterOptions,
    ) -> Result<TransactionListResponse> {
        sync(&env, || conv(self.c.transactions(&filter.into_core())))
    }

    /// Find the transaction sent with `extRefId`. `null`: none *now*; that proves it was never created only
    /// once the convergence bound (about 12 minutes) has passed since its last write.
    #[napi(ts_return_type = "Promise<TransactionResponse | null>")]
    pub fn reconcile(&self, ext_ref_id: String) -> AsyncTask<Job<Option<TransactionResponse>>> {
        let c = self.c.clone();
        Job::task(move || conv_opt(c.reconcile(&ext_ref_id)))
    }
    /// Blocking twin of `reconcile`.
    #[napi(ts_return_type = "TransactionResponse | null")]
    pub fn reconcile_sync(
        &self,
        env: Env,
        ext_ref_id: String,
    ) -> Result<Option<TransactionResponse>> {
        sync(&env, || conv_opt(self.c.reconcile(&ext_ref_id)))
    }

    /// Poll by `extRefId` until the transaction is terminal (SUCCESS, FAILED, TIMEOUT, UNDERLIVERED, CANCELED),
    /// bounded by `deadlineMs` (default 13 min). Past the deadline: `STILL_PENDING` with the last `.status` —
    /// it exists and may still complete; never "not sent".
    #[napi(ts_return_type = "Promise<TransactionResponse>")]
    pub fn wait(
        &self,
        ext_ref_id: String,
        options: Option<WaitOptions>,
    ) -> AsyncTask<Job<TransactionResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.wait(&ext_ref_id, &options::wait_options(options))))
    }
    /// Blocking twin of `wait`.
    #[napi]
    pub fn wait_sync(
        &self,
        env: Env,
        ext_ref_id: String,
        options: Option<WaitOptions>,
    ) -> Result<TransactionResponse> {
        sync(&env, || {
            conv(self.c.wait(&ext_ref_id, &options::wait_options(options)))
        })
    }

    /// The product catalog: one service per network.
    #[napi(ts_return_type = "Promise<ServiceListResponse>")]
    pub fn product_catalog(&self) -> AsyncTask<Job<ServiceListResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.product_catalog()))
    }
    /// Blocking twin of `productCatalog`.
    #[napi]
    pub fn product_catalog_sync(&self, env: Env) -> Result<ServiceListResponse> {
        sync(&env, || conv(self.c.product_catalog()))
    }

    /// Products of one service.
    #[napi(ts_return_type = "Promise<ProductListResponse>")]
    pub fn products(&self, service_id: i64) -> AsyncTask<Job<ProductListResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.products(service_id)))
    }
    /// Blocking twin of `products`.
    #[napi]
    pub fn products_sync(&self, env: Env, service_id: i64) -> Result<ProductListResponse> {
        sync(&env, || conv(self.c.products(service_id)))
    }

    /// One product by id.
    #[napi(ts_return_type = "Promise<ProductResponse>")]
    pub fn product(&self, product_id: i64) -> AsyncTask<Job<ProductResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.product(product_id)))
    }
    /// Blocking twin of `product`.
    #[napi]
    pub fn product_sync(&self, env: Env, product_id: i64) -> Result<ProductResponse> {
        sync(&env, || conv(self.c.product(product_id)))
    }

    /// Every account balance.
    #[napi(ts_return_type = "Promise<AccountBalanceListResponse>")]
    pub fn balances(&self) -> AsyncTask<Job<AccountBalanceListResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.balances()))
    }
    /// Blocking twin of `balances`.
    #[napi]
    pub fn balances_sync(&self, env: Env) -> Result<AccountBalanceListResponse> {
        sync(&env, || conv(self.c.balances()))
    }

    /// One account balance.
    #[napi(ts_return_type = "Promise<AccountBalanceResponse>")]
    pub fn balance(&self, account_id: String) -> AsyncTask<Job<AccountBalanceResponse>> {
        let c = self.c.clone();
        Job::task(move || conv(c.balance(&account_id)))
    }
    /// Blocking twin of `balance`.
    #[napi]
    pub fn balance_sync(&self, env: Env, account_id: String) -> Result<AccountBalanceResponse> {
        sync(&env, || conv(self.c.balance(&account_id)))
    }
}
