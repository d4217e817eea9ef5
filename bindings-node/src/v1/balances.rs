//! `V1Client.balances` / `balance` (core `v1::balances`).

use super::V1Client;
use crate::args::arg;
use crate::types::*;
use crate::{promise, sync};
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

#[napi]
impl V1Client {
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
