//! `V1Client.transactions` / `reconcile` / `wait` (core `v1::transactions`): lookups and waits by `extRefId`.

use super::V1Client;
use crate::args::{Call, arg, top};
use crate::options::{TransactionFilterOptions, wait_options};
use crate::types::*;
use crate::waits::{step, sync_wait_options};
use crate::{CancelToken, Out, promise, sync, token};
use clickairtime::v1::TransactionWait;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::sync::{Arc, Mutex};

fn filter(v: Unknown, call: Call) -> Out<clickairtime::v1::TransactionFilter> {
    let f: TransactionFilterOptions = top(v, "filter", call)?;
    Ok(f.into_core())
}

#[napi]
impl V1Client {
    /// Transactions matching every given filter (AND): an array of `Transaction` with `meta`. Nothing matched
    /// is an empty array.
    #[napi(
        ts_args_type = "filter: TransactionFilterOptions, call?: CallOptions",
        ts_return_type = "Promise<TransactionListResponse>"
    )]
    pub fn transactions<'e>(&self, env: &'e Env, filter: Unknown) -> Result<Object<'e>> {
        let call = Call::cancellable(
            "client.transactions",
            "client.transactions(filter, { signal })",
        );
        let f = sync(env, || self::filter(filter, call))?;
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
            let call = Call::blocking(
                "client.transactionsSync",
                "client.transactions(filter, { signal })",
            );
            let f = self::filter(filter, call)?;
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
            let o = top(options, "options", Call::plain("client.wait"))?;
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
            let o = sync_wait_options(options, "client.waitSync")?;
            Ok(conv(self.c.wait(&r, &wait_options(o, None)))?)
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
