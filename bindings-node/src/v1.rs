//! `V1Client`: the legacy API (`/adp…`, e-mail + token headers). Asynchronous methods as in `v2.rs`.

use crate::args::{arg, top};
use crate::options::{
    PreparedSendTopUp, SendTopUpOptions, TransactionFilterOptions, V1ClientOptions, wait_options,
};
use crate::types::*;
use crate::v2::{step, sync_wait_options};
use crate::{CancelToken, Out, env_var, promise, sync, sync_send, token};
use clickairtime::v1::{Client, TransactionWait};
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::sync::{Arc, Mutex};

/// Client of the V1 API (`/adp…`). Every network call returns a Promise, takes an `AbortSignal`
/// (`{ signal }`) and runs on the SDK's own threads; `…Sync` twins block and cannot be cancelled.
#[napi]
pub struct V1Client {
    c: Client,
}

fn order(options: Unknown) -> Out<clickairtime::v1::SendTopUp> {
    let o: SendTopUpOptions = top(options, "order")?;
    Ok(o.prepared()?)
}

fn filter(v: Unknown) -> Out<clickairtime::v1::TransactionFilter> {
    let f: TransactionFilterOptions = top(v, "filter")?;
    Ok(f.into_core())
}

#[napi]
impl V1Client {
    /// Build a client. Settings left out come from the environment (`CLICKAIRTIME_V1_EMAIL`,
    /// `CLICKAIRTIME_V1_TOKEN`, `CLICKAIRTIME_BASE_URL`). Throws `ClickAirtimeError` (`INVALID_INPUT`, naming
    /// the setting), or `JOURNAL` when the `journal` file cannot be opened (nothing is sent then).
    #[napi(constructor, ts_args_type = "options?: V1ClientOptions")]
    pub fn new(env: Env, options: Unknown) -> Result<Self> {
        let c = sync(&env, || {
            let o: Option<V1ClientOptions> = top(options, "options")?;
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

    /// Validate an order and fix its `extRefId` (yours, or a new `ca-<uuid>`) without sending anything.
    /// Write it down, then `sendTopup(prepared)`. Throws `INVALID_INPUT`.
    #[napi(ts_args_type = "order: SendTopUpOptions")]
    pub fn prepare_topup(&self, env: Env, order: Unknown) -> Result<PreparedSendTopUp> {
        sync(&env, || Ok(self::order(order)?.into()))
    }

    /// Send a top-up, at most once, and report only what is true (the same five ends as V2 `topups.create`).
    /// The `msisdn` may be written as people type it (`'+233 54 111 2259'`). The `extRefId` (yours, or
    /// generated) is in `meta.reference` and on every error. Resolves only with a record verified to be this
    /// sale (`meta.origin` says how it was obtained); code 90 for another sale is `REFERENCE_CONFLICT`, code 50
    /// `DUPLICATE_SALE`; `OUTCOME_UNKNOWN` once a write may have been received and nothing settled it. A SYNC
    /// answer carries a terminal state; ASYNC a PENDING one: `wait(extRefId)`. A send recovered after a lost
    /// answer (`meta.origin` `recovered`) carries the state the lookup shows, which may still be PENDING or
    /// PROCESSING even in SYNC mode: `wait` for the terminal one. A provider failure is a FAILED transaction,
    /// not an error. `signal`: as for V2 `create` (an abort before the first write: `CANCELLED`, nothing
    /// sent; after it, the real outcome).
    #[napi(
        ts_args_type = "order: SendTopUpOptions, call?: CallOptions",
        ts_return_type = "Promise<TransactionResponse>"
    )]
    pub fn send_topup<'e>(
        &self,
        env: &'e Env,
        order: Unknown,
        cancel: Option<ClassInstance<CancelToken>>,
    ) -> Result<Object<'e>> {
        let order = sync(env, || self::order(order))?;
        let cancel = token(cancel.as_ref());
        let c = self.c.clone();
        let reference = order.ext_ref_id.clone().unwrap_or_default();
        promise(env, Some((reference, None)), move || {
            let r = match &cancel {
                Some(t) => c.send_topup_cancellable(&order, t),
                None => c.send_topup(&order),
            };
            Ok(conv::<_, TransactionResponse>(r)?)
        })
    }
    /// Blocking twin of `sendTopup` (not cancellable).
    #[napi(
        ts_args_type = "order: SendTopUpOptions",
        ts_return_type = "TransactionResponse"
    )]
    pub fn send_topup_sync(&self, env: Env, order: Unknown) -> Result<TransactionResponse> {
        let order = sync(&env, || self::order(order))?;
        let reference = order.ext_ref_id.clone().unwrap_or_default();
        sync_send(&env, &reference, None, || {
            Ok(conv(self.c.send_topup(&order))?)
        })
    }

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

    /// Transactions matching every given filter (AND): an array of `Transaction` with `meta`. Nothing matched
    /// is an empty array.
    #[napi(
        ts_args_type = "filter: TransactionFilterOptions, call?: CallOptions",
        ts_return_type = "Promise<TransactionListResponse>"
    )]
    pub fn transactions<'e>(&self, env: &'e Env, filter: Unknown) -> Result<Object<'e>> {
        let f = sync(env, || self::filter(filter))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, TransactionListResponse>(c.transactions(&f))?)
        })
    }
    /// Blocking twin of `transactions`.
    #[napi(
        ts_args_type = "filter: TransactionFilterOptions",
        ts_return_type = "TransactionListResponse"
    )]
    pub fn transactions_sync(&self, env: Env, filter: Unknown) -> Result<TransactionListResponse> {
        sync(&env, || {
            let f = self::filter(filter)?;
            Ok(conv(self.c.transactions(&f))?)
        })
    }

    /// Find the transaction sent with `extRefId`. `null`: none *now*; that proves it was never created only
    /// once the convergence bound (about 12 minutes) has passed since its last write.
    #[napi(
        ts_args_type = "extRefId: string, call?: CallOptions",
        ts_return_type = "Promise<TransactionResponse | null>"
    )]
    pub fn reconcile<'e>(&self, env: &'e Env, ext_ref_id: Unknown) -> Result<Object<'e>> {
        let r: String = sync(env, || arg(ext_ref_id, "extRefId"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv_opt::<_, TransactionResponse>(c.reconcile(&r))?)
        })
    }
    /// Blocking twin of `reconcile`.
    #[napi(
        ts_args_type = "extRefId: string",
        ts_return_type = "TransactionResponse | null"
    )]
    pub fn reconcile_sync(
        &self,
        env: Env,
        ext_ref_id: Unknown,
    ) -> Result<Option<TransactionResponse>> {
        sync(&env, || {
            let r: String = arg(ext_ref_id, "extRefId")?;
            Ok(conv_opt(self.c.reconcile(&r))?)
        })
    }

    /// Poll by `extRefId` until the transaction is terminal (SUCCESS, FAILED, TIMEOUT, UNDERLIVERED, CANCELED),
    /// bounded by `deadlineMs` (default 13 min), one exchange per poll and JS timers in between. Past the
    /// deadline: `STILL_PENDING` with the last `.status` — it exists and may still complete; never "not sent".
    /// `signal`: an abort stops the polling with `CANCELLED`; the transaction itself stands.
    #[napi(
        ts_args_type = "extRefId: string, options?: WaitOptions & CallOptions",
        ts_return_type = "Promise<TransactionResponse>"
    )]
    pub fn wait(
        &self,
        env: Env,
        ext_ref_id: Unknown,
        options: Unknown,
        cancel: Option<ClassInstance<CancelToken>>,
    ) -> Result<TransactionWaitSteps> {
        let cancel = token(cancel.as_ref());
        let w = sync(&env, || {
            let r: String = arg(ext_ref_id, "extRefId")?;
            let o = top(options, "options")?;
            Ok(self.c.wait_steps(&r, &wait_options(o, cancel))?)
        })?;
        Ok(TransactionWaitSteps {
            w: Arc::new(Mutex::new(w)),
        })
    }
    /// Blocking twin of `wait`: it sleeps on this thread between polls and cannot be cancelled.
    #[napi(
        ts_args_type = "extRefId: string, options?: WaitOptions",
        ts_return_type = "TransactionResponse"
    )]
    pub fn wait_sync(
        &self,
        env: Env,
        ext_ref_id: Unknown,
        options: Unknown,
    ) -> Result<TransactionResponse> {
        sync(&env, || {
            let r: String = arg(ext_ref_id, "extRefId")?;
            let o = sync_wait_options(options)?;
            Ok(conv(self.c.wait(&r, &wait_options(o, None)))?)
        })
    }

    /// The product catalog: one service per network.
    #[napi(
        ts_args_type = "call?: CallOptions",
        ts_return_type = "Promise<ServiceListResponse>"
    )]
    pub fn product_catalog<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, ServiceListResponse>(c.product_catalog())?)
        })
    }
    /// Blocking twin of `productCatalog`.
    #[napi(ts_return_type = "ServiceListResponse")]
    pub fn product_catalog_sync(&self, env: Env) -> Result<ServiceListResponse> {
        sync(&env, || Ok(conv(self.c.product_catalog())?))
    }

    /// Products of one service.
    #[napi(
        ts_args_type = "serviceId: number, call?: CallOptions",
        ts_return_type = "Promise<ProductListResponse>"
    )]
    pub fn products<'e>(&self, env: &'e Env, service_id: Unknown) -> Result<Object<'e>> {
        let id: i64 = sync(env, || arg(service_id, "serviceId"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, ProductListResponse>(c.products(id))?)
        })
    }
    /// Blocking twin of `products`.
    #[napi(
        ts_args_type = "serviceId: number",
        ts_return_type = "ProductListResponse"
    )]
    pub fn products_sync(&self, env: Env, service_id: Unknown) -> Result<ProductListResponse> {
        sync(&env, || {
            let id: i64 = arg(service_id, "serviceId")?;
            Ok(conv(self.c.products(id))?)
        })
    }

    /// One product by id.
    #[napi(
        ts_args_type = "productId: number, call?: CallOptions",
        ts_return_type = "Promise<ProductResponse>"
    )]
    pub fn product<'e>(&self, env: &'e Env, product_id: Unknown) -> Result<Object<'e>> {
        let id: i64 = sync(env, || arg(product_id, "productId"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, ProductResponse>(c.product(id))?)
        })
    }
    /// Blocking twin of `product`.
    #[napi(ts_args_type = "productId: number", ts_return_type = "ProductResponse")]
    pub fn product_sync(&self, env: Env, product_id: Unknown) -> Result<ProductResponse> {
        sync(&env, || {
            let id: i64 = arg(product_id, "productId")?;
            Ok(conv(self.c.product(id))?)
        })
    }

    /// Every account balance.
    #[napi(
        ts_args_type = "call?: CallOptions",
        ts_return_type = "Promise<AccountBalanceListResponse>"
    )]
    pub fn balances<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, AccountBalanceListResponse>(c.balances())?)
        })
    }
    /// Blocking twin of `balances`.
    #[napi(ts_return_type = "AccountBalanceListResponse")]
    pub fn balances_sync(&self, env: Env) -> Result<AccountBalanceListResponse> {
        sync(&env, || Ok(conv(self.c.balances())?))
    }

    /// One account balance.
    #[napi(
        ts_args_type = "accountId: string, call?: CallOptions",
        ts_return_type = "Promise<AccountBalanceResponse>"
    )]
    pub fn balance<'e>(&self, env: &'e Env, account_id: Unknown) -> Result<Object<'e>> {
        let id: String = sync(env, || arg(account_id, "accountId"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, AccountBalanceResponse>(c.balance(&id))?)
        })
    }
    /// Blocking twin of `balance`.
    #[napi(
        ts_args_type = "accountId: string",
        ts_return_type = "AccountBalanceResponse"
    )]
    pub fn balance_sync(&self, env: Env, account_id: Unknown) -> Result<AccountBalanceResponse> {
        sync(&env, || {
            let id: String = arg(account_id, "accountId")?;
            Ok(conv(self.c.balance(&id))?)
        })
    }
}

/// A V1 wait in progress, driven by the JS entry point (see `TopUpWaitSteps`). Internal: use `wait`.
#[napi]
pub struct TransactionWaitSteps {
    w: Arc<Mutex<TransactionWait>>,
}

#[napi]
impl TransactionWaitSteps {
    /// One poll: `{ done: true, value }` or `{ done: false, sleepMs }`.
    #[napi]
    pub fn step<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let w = Arc::clone(&self.w);
        promise(env, None, move || {
            let mut w = w.lock().unwrap_or_else(|e| e.into_inner());
            Ok(step::<_, TransactionResponse>(w.step())?)
        })
    }
}
