//! `client.topups` (core `v2::topups`): prepare, create (money-safe), get, list, listAll, reconcile, wait, and the
//! step objects JS drives for `wait` and `listAll`.

use crate::args::{ArgResult, Call, arg, top};
use crate::options::{
    CreateTopUpOptions, ListTopUpsOptions, PreparedTopUp, WaitOptions, list_filter, wait_options,
};
use crate::types::*;
use crate::waits::{step, sync_wait_options};
use crate::{CancelToken, Out, promise, sync, sync_send, token};
use clickairtime::v2::{Client, TopUpPages, TopUpWait};
use napi::bindgen_prelude::*;
use napi::{Env, JsValue};
use napi_derive::napi;
use std::sync::{Arc, Mutex};

/// `client.topups`: create (money-safe), get, list, listAll, reconcile, wait.
#[napi]
pub struct V2Topups {
    pub(super) c: Client,
}

fn order(options: Unknown, call: Call) -> Out<clickairtime::v2::CreateTopUp> {
    let o: CreateTopUpOptions = top(options, "order", call)?;
    Ok(o.prepared()?)
}

fn filter(v: Unknown, call: Call) -> ArgResult<clickairtime::v2::ListTopUps> {
    let f: Option<ListTopUpsOptions> = top(v, "filter", call)?;
    Ok(list_filter(f))
}

#[napi]
impl V2Topups {
    /// Validate an order and fix its handles without sending anything: the returned object carries the
    /// `reference` (yours, or a new `ca-<uuid>`), the `idempotencyKey` (yours, or derived from the
    /// reference) that `create` will send, and the phone number as E.164. Write it down, then
    /// `create(prepared)`. Throws `INVALID_INPUT`.
    #[napi(ts_args_type = "order: CreateTopUpOptions")]
    pub fn prepare(&self, env: Env, order: Unknown) -> Result<PreparedTopUp> {
        let call = Call::plain("client.topups.prepare");
        sync(&env, || Ok(self::order(order, call)?.into()))
    }

    /// Send a top-up, at most once, and report only what is true. The phone number may be formatted
    /// (`'+233 54 111 2259'`). Resolves only with a record verified to be this sale (`meta.origin`: `created`,
    /// `recovered`, `replayed` or `journal`). Rejects with `DUPLICATE_SALE` / `REFERENCE_CONFLICT` when the
    /// API holds another sale (named by `transactionId` and `existingReference`; this one was not created);
    /// with `OUTCOME_UNKNOWN` (`reference`, `idempotencyKey`, `causeKind`) once a write may have been received
    /// and nothing settled it within `sendDeadlineMs` — never treat that as failed: do not sell again,
    /// `recover()` or `reconcile` later; with any other code only when nothing was created. With a journal,
    /// the send is written down before its first write, and a reference the journal already holds is not
    /// written again. `signal`: aborting before the first write ends it `CANCELLED` (nothing sent); once
    /// written, the send runs on to its outcome, which the Promise reports.
    #[napi(
        ts_args_type = "order: CreateTopUpOptions, call?: CallOptions",
        ts_return_type = "Promise<TopUpResponse>"
    )]
    pub fn create<'e>(
        &self,
        env: &'e Env,
        order: Unknown,
        cancel: Option<ClassInstance<CancelToken>>,
    ) -> Result<Object<'e>> {
        let call = Call::cancellable(
            "client.topups.create",
            "client.topups.create(order, { signal })",
        );
        let order = sync(env, || self::order(order, call))?;
        let cancel = token(cancel.as_ref());
        let c = self.c.clone();
        let reference = order.reference.clone().unwrap_or_default();
        promise(
            env,
            Some((reference, order.idempotency_key.clone())),
            move || {
                let r = match &cancel {
                    Some(t) => c.topups().create_cancellable(&order, t),
                    None => c.topups().create(&order),
                };
                Ok(conv::<_, TopUpResponse>(r)?)
            },
        )
    }
    /// Blocking twin of `create` (not cancellable).
    #[napi(
        ts_args_type = "order: CreateTopUpOptions",
        ts_return_type = "TopUpResponse"
    )]
    pub fn create_sync(&self, env: Env, order: Unknown) -> Result<TopUpResponse> {
        let call = Call::blocking(
            "client.topups.createSync",
            "client.topups.create(order, { signal })",
        );
        let order = sync(&env, || self::order(order, call))?;
        let reference = order.reference.clone().unwrap_or_default();
        sync_send(&env, &reference, order.idempotency_key.as_deref(), || {
            Ok(conv(self.c.topups().create(&order))?)
        })
    }

    /// One top-up by id.
    #[napi(
        ts_args_type = "id: string, call?: CallOptions",
        ts_return_type = "Promise<TopUpResponse>"
    )]
    pub fn get<'e>(&self, env: &'e Env, id: Unknown) -> Result<Object<'e>> {
        let id: String = sync(env, || arg(id, "id"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, TopUpResponse>(c.topups().get(&id))?)
        })
    }
    /// Blocking twin of `get`.
    #[napi(ts_args_type = "id: string", ts_return_type = "TopUpResponse")]
    pub fn get_sync(&self, env: Env, id: Unknown) -> Result<TopUpResponse> {
        sync(&env, || {
            let id: String = arg(id, "id")?;
            Ok(conv(self.c.topups().get(&id))?)
        })
    }

    /// One page of top-ups: an array of `TopUp` with `meta.pagination`.
    #[napi(
        ts_args_type = "filter?: ListTopUpsOptions, call?: CallOptions",
        ts_return_type = "Promise<TopUpListResponse>"
    )]
    pub fn list<'e>(&self, env: &'e Env, filter: Unknown) -> Result<Object<'e>> {
        let call = Call::cancellable(
            "client.topups.list",
            "client.topups.list(filter, { signal })",
        );
        let f = sync(env, || self::filter(filter, call))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, TopUpListResponse>(c.topups().list(&f))?)
        })
    }
    /// Blocking twin of `list`.
    #[napi(
        ts_args_type = "filter?: ListTopUpsOptions",
        ts_return_type = "TopUpListResponse"
    )]
    pub fn list_sync(&self, env: Env, filter: Unknown) -> Result<TopUpListResponse> {
        sync(&env, || {
            let call = Call::blocking(
                "client.topups.listSync",
                "client.topups.list(filter, { signal })",
            );
            let f = self::filter(filter, call)?;
            Ok(conv(self.c.topups().list(&f))?)
        })
    }

    /// Every top-up matching `filter`, page after page, as an async iterator:
    /// `for await (const t of client.topups.listAll({ status: 'completed' })) …`. The filter is checked now
    /// (throws `INVALID_INPUT`); each page is fetched when needed, by one exchange on the SDK's threads.
    /// `signal`: an abort ends the walk (`next()` rejects `CANCELLED`, then the iteration is done).
    #[napi(
        ts_args_type = "filter?: ListTopUpsOptions, call?: CallOptions",
        ts_return_type = "TopUpIterator"
    )]
    pub fn list_all(
        &self,
        env: Env,
        filter: Unknown,
        cancel: Option<ClassInstance<CancelToken>>,
    ) -> Result<TopUpIterator> {
        let cancel = token(cancel.as_ref());
        let pages = sync(&env, || {
            let call = Call::cancellable(
                "client.topups.listAll",
                "client.topups.listAll(filter, { signal })",
            );
            let f = self::filter(filter, call)?;
            let pages = self.c.topups().list_all(&f)?;
            Ok(match cancel {
                Some(t) => pages.with_cancel(t),
                None => pages,
            })
        })?;
        Ok(TopUpIterator {
            pages: Arc::new(Mutex::new(pages)),
        })
    }
    /// Blocking twin of `listAll`: every matching top-up, in one array.
    #[napi(ts_args_type = "filter?: ListTopUpsOptions")]
    pub fn list_all_sync(&self, env: Env, filter: Unknown) -> Result<Vec<TopUp>> {
        sync(&env, || {
            let call = Call::blocking(
                "client.topups.listAllSync",
                "client.topups.listAll(filter, { signal })",
            );
            let f = self::filter(filter, call)?;
            let pages = self.c.topups().list_all(&f)?;
            let all: clickairtime::Result<Vec<_>> = pages.collect();
            Ok(all?.into_iter().map(Into::into).collect())
        })
    }

    /// Find the top-up sent with `reference` (exact match). `null`: the API shows none *now*; that proves it
    /// was never created only once the convergence bound (about 12 minutes) has passed since its last write.
    /// Sell it again only with the *same* reference. Several top-ups with it: `REFERENCE_CONFLICT`.
    #[napi(
        ts_args_type = "reference: string, call?: CallOptions",
        ts_return_type = "Promise<TopUpResponse | null>"
    )]
    pub fn reconcile<'e>(&self, env: &'e Env, reference: Unknown) -> Result<Object<'e>> {
        let reference: String = sync(env, || arg(reference, "reference"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv_opt::<_, TopUpResponse>(
                c.topups().reconcile(&reference),
            )?)
        })
    }
    /// Blocking twin of `reconcile`.
    #[napi(
        ts_args_type = "reference: string",
        ts_return_type = "TopUpResponse | null"
    )]
    pub fn reconcile_sync(&self, env: Env, reference: Unknown) -> Result<Option<TopUpResponse>> {
        sync(&env, || {
            let reference: String = arg(reference, "reference")?;
            Ok(conv_opt(self.c.topups().reconcile(&reference))?)
        })
    }

    /// Poll a top-up until it is terminal (backoff, bounded by `deadlineMs`, default 13 min; a 404 in the first
    /// `notFoundGraceMs` is "not visible yet"). Each poll is one exchange on the SDK's threads and the wait
    /// sleeps on JS timers in between, so a pending wait holds no thread. Past the deadline: `STILL_PENDING`
    /// with `.transactionId` and `.status` — it was created and may still complete; never "not sent".
    /// `signal`: an abort stops the polling with `CANCELLED` (`.transactionId`, last `.status`); the top-up
    /// itself stands. (A poll already in flight finishes first; if it finds the top-up terminal, that wins.)
    #[napi(
        ts_args_type = "id: string, options?: WaitOptions & CallOptions",
        ts_return_type = "Promise<TopUpResponse>"
    )]
    pub fn wait(
        &self,
        env: Env,
        id: Unknown,
        options: Unknown,
        cancel: Option<ClassInstance<CancelToken>>,
    ) -> Result<TopUpWaitSteps> {
        let cancel = token(cancel.as_ref());
        let w = sync(&env, || {
            let id: String = arg(id, "id")?;
            let o: Option<WaitOptions> =
                top(options, "options", Call::plain("client.topups.wait"))?;
            Ok(self.c.topups().wait_steps(&id, &wait_options(o, cancel))?)
        })?;
        Ok(TopUpWaitSteps {
            w: Arc::new(Mutex::new(w)),
        })
    }
    /// Blocking twin of `wait`: it sleeps on this thread between polls and cannot be cancelled.
    #[napi(
        ts_args_type = "id: string, options?: WaitOptions",
        ts_return_type = "TopUpResponse"
    )]
    pub fn wait_sync(&self, env: Env, id: Unknown, options: Unknown) -> Result<TopUpResponse> {
        sync(&env, || {
            let id: String = arg(id, "id")?;
            let o = sync_wait_options(options, "client.topups.waitSync")?;
            Ok(conv(self.c.topups().wait(&id, &wait_options(o, None)))?)
        })
    }
}

/// A V2 wait in progress, driven by the JS entry point: `step()` makes one poll (one exchange on the SDK's
/// threads) and says whether it is over or how long to sleep. Internal: use `topups.wait`.
#[napi]
pub struct TopUpWaitSteps {
    w: Arc<Mutex<TopUpWait>>,
}

#[napi]
impl TopUpWaitSteps {
    /// One poll: `{ done: true, value }` or `{ done: false, sleepMs }`.
    #[napi]
    pub fn step<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let w = Arc::clone(&self.w);
        promise(env, None, move || {
            let mut w = w.lock().unwrap_or_else(|e| e.into_inner());
            Ok(step::<_, TopUpResponse>(w.step())?)
        })
    }
}

/// The async iterator returned by `topups.listAll`. Use it with `for await`; an error rejects one `next()` and
/// ends the iteration.
#[napi]
pub struct TopUpIterator {
    pages: Arc<Mutex<TopUpPages>>,
}

/// One step of an iteration.
pub struct Next(Option<TopUp>);

impl ToNapiValue for Next {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let env_ = Env::from_raw(env);
        let mut o = Object::new(&env_)?;
        match val.0 {
            Some(t) => {
                o.set_named_property("done", false)?;
                o.set_named_property("value", t)?;
            }
            None => o.set_named_property("done", true)?,
        }
        Ok(o.raw())
    }
}

impl TypeName for Next {
    fn type_name() -> &'static str {
        "object"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

fn next_of(pages: &Mutex<TopUpPages>) -> clickairtime::Result<Next> {
    let mut p = pages.lock().unwrap_or_else(|e| e.into_inner());
    match p.next() {
        Some(Ok(t)) => Ok(Next(Some(t.into()))),
        Some(Err(e)) => Err(e),
        None => Ok(Next(None)),
    }
}

#[napi]
impl TopUpIterator {
    /// The next top-up, fetching the next page when needed.
    #[napi(ts_return_type = "Promise<IteratorResult<TopUp, undefined>>")]
    pub fn next<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let pages = Arc::clone(&self.pages);
        promise(env, None, move || Ok(next_of(&pages)?))
    }

    /// Blocking twin of `next`.
    #[napi(ts_return_type = "IteratorResult<TopUp, undefined>")]
    pub fn next_sync(&self, env: Env) -> Result<Next> {
        sync(&env, || Ok(next_of(&self.pages)?))
    }
}
