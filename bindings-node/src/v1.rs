//! `V1Client`: the legacy API (`/adp…`, e-mail + token headers).

use crate::options::{
    self, SendTopUpOptions, TransactionFilterOptions, V1ClientOptions, WaitOptions,
};
use crate::types::*;
use crate::{Job, sync};
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
    /// Build a client; throws `ClickAirtimeError` (`INVALID_INPUT`, naming the setting) when an option is wrong.
    #[napi(constructor)]
    pub fn new(env: Env, options: V1ClientOptions) -> Result<Self> {
        Ok(V1Client {
            c: sync(&env, options.build())?,
        })
    }

    /// The base URL in use.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.c.base_url().to_owned()
    }

    /// Rate-limit headers of the most recent answer that carried them (V1 documents none).
    #[napi(getter)]
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        self.c.last_rate_limit().map(Into::into)
    }

    /// Send a top-up, at most once (the `extRefId`, yours or generated, is in `meta.reference` and on every
    /// error). A SYNC answer carries a terminal state; ASYNC a PENDING one: `wait(extRefId)`. A provider
    /// failure is a FAILED transaction, not an error; a lost answer that cannot be resolved is `OUTCOME_UNKNOWN`.
    #[napi(ts_return_type = "Promise<TransactionResponse>")]
    pub fn send_topup(&self, options: SendTopUpOptions) -> AsyncTask<Job<TransactionResponse>> {
        let req = options.into_core();
        let c = self.c.clone();
        Job::task(move || conv(c.send_topup(&req?)))
    }
    /// Blocking twin of `sendTopup`.
    #[napi]
    pub fn send_topup_sync(
        &self,
        env: Env,
        options: SendTopUpOptions,
    ) -> Result<TransactionResponse> {
        let req = sync(&env, options.into_core())?;
        sync(&env, conv(self.c.send_topup(&req)))
    }

    /// Transactions matching every given filter (AND). Nothing matched is an empty list.
    #[napi(ts_return_type = "Promise<TransactionListResponse>")]
    pub fn transactions(
        &self,
        filter: TransactionFilterOptions,
    ) -> AsyncTask<Job<TransactionListResponse>> {
        let c = self.c.clone();
        let f = filter.into_core();
        Job::task(move || conv(c.transactions(&f)))
    }
    /// Blocking twin of `transactions`.
    #[napi]
    pub fn transactions_sync(
        &self,
        env: Env,
        filter: TransactionFilterOptions,
    ) -> Result<TransactionListResponse> {
        sync(&env, conv(self.c.transactions(&filter.into_core())))
    }

    /// Find the transaction sent with `extRefId`; `null` means it was never created.
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
        sync(&env, conv_opt(self.c.reconcile(&ext_ref_id)))
    }

    /// Poll by `extRefId` until the transaction is terminal (SUCCESS, FAILED, TIMEOUT, UNDERLIVERED, CANCELED),
    /// bounded by `deadlineMs` (default 13 min). Past the deadline: `TIMEOUT` with `.reference`.
    #[napi(ts_return_type = "Promise<TransactionResponse>")]
    pub fn wait(
        &self,
        ext_ref_id: String,
        options: Option<WaitOptions>,
    ) -> AsyncTask<Job<TransactionResponse>> {
        let c = self.c.clone();
        let w = options::wait_options(options);
        Job::task(move || conv(c.wait(&ext_ref_id, &w)))
    }
    /// Blocking twin of `wait`.
    #[napi]
    pub fn wait_sync(
        &self,
        env: Env,
        ext_ref_id: String,
        options: Option<WaitOptions>,
    ) -> Result<TransactionResponse> {
        sync(
            &env,
            conv(self.c.wait(&ext_ref_id, &options::wait_options(options))),
        )
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
        sync(&env, conv(self.c.product_catalog()))
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
        sync(&env, conv(self.c.products(service_id)))
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
        sync(&env, conv(self.c.product(product_id)))
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
        sync(&env, conv(self.c.balances()))
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
        sync(&env, conv(self.c.balance(&account_id)))
    }
}
