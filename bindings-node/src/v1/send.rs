//! `V1Client.sendTopup` / `prepareTopup` (core `v1::send`, `v1::topup`): the money-safe V1 send.

use super::V1Client;
use crate::args::{Call, top};
use crate::options::{PreparedSendTopUp, SendTopUpOptions};
use crate::types::*;
use crate::{CancelToken, Out, promise, sync, sync_send, token};
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

fn order(options: Unknown, call: Call) -> Out<clickairtime::v1::SendTopUp> {
    let o: SendTopUpOptions = top(options, "order", call)?;
    Ok(o.prepared()?)
}

#[napi]
impl V1Client {
    /// Validate an order and fix its `extRefId` (yours, or a new `ca-<uuid>`) without sending anything.
    /// Write it down, then `sendTopup(prepared)`. Throws `INVALID_INPUT`.
    #[napi(ts_args_type = "order: SendTopUpOptions")]
    pub fn prepare_topup(&self, env: Env, order: Unknown) -> Result<PreparedSendTopUp> {
        let call = Call::plain("client.prepareTopup");
        sync(&env, || Ok(self::order(order, call)?.into()))
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
        let call = Call::cancellable("client.sendTopup", "client.sendTopup(order, { signal })");
        let order = sync(env, || self::order(order, call))?;
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
        let call = Call::blocking(
            "client.sendTopupSync",
            "client.sendTopup(order, { signal })",
        );
        let order = sync(&env, || self::order(order, call))?;
        let reference = order.ext_ref_id.clone().unwrap_or_default();
        sync_send(&env, &reference, None, || {
            Ok(conv(self.c.send_topup(&order))?)
        })
    }
}
