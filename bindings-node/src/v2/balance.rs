//! `client.balance` (core `v2::balance`): wallet balances.

use crate::args::arg;
use crate::types::*;
use crate::{promise, sync};
use clickairtime::v2::Client;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// `client.balance`: wallet balances.
#[napi]
pub struct V2Balance {
    pub(super) c: Client,
}

#[napi]
impl V2Balance {
    /// Every wallet and the USD total (`availableBalance.amount`).
    #[napi(
        ts_args_type = "call?: CallOptions",
        ts_return_type = "Promise<BalanceResponse>"
    )]
    pub fn list<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, BalanceResponse>(c.balance().list())?)
        })
    }
    /// Blocking twin of `list`.
    #[napi(ts_return_type = "BalanceResponse")]
    pub fn list_sync(&self, env: Env) -> Result<BalanceResponse> {
        sync(&env, || Ok(conv(self.c.balance().list())?))
    }

    /// One wallet by id (e.g. `wal_ghs_001`).
    #[napi(
        ts_args_type = "walletId: string, call?: CallOptions",
        ts_return_type = "Promise<WalletResponse>"
    )]
    pub fn get<'e>(&self, env: &'e Env, wallet_id: Unknown) -> Result<Object<'e>> {
        let id: String = sync(env, || arg(wallet_id, "walletId"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, WalletResponse>(c.balance().get(&id))?)
        })
    }
    /// Blocking twin of `get`.
    #[napi(ts_args_type = "walletId: string", ts_return_type = "WalletResponse")]
    pub fn get_sync(&self, env: Env, wallet_id: Unknown) -> Result<WalletResponse> {
        sync(&env, || {
            let id: String = arg(wallet_id, "walletId")?;
            Ok(conv(self.c.balance().get(&id))?)
        })
    }
}
