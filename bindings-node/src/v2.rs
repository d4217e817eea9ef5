//! `V2Client` and its resource groups: `client.catalog`, `client.topups`, `client.balance`.
//!
//! Asynchronous methods return a Promise settled from the SDK's own threads ([`crate::promise`]). The JS entry
//! point wraps each of them to take `{ signal }` (their last argument in the types): reads and journal calls
//! reject at once with `CANCELLED` when it aborts; a send (`create`) gets a [`CancelToken`] instead and settles
//! with its real outcome; `wait` and `listAll` return step objects that JS drives on its own timers.

use crate::args::{ArgResult, arg, bad, top};
use crate::options::{
    CreateTopUpOptions, ListTopUpsOptions, LookupOptions, PreparedTopUp, V2ClientOptions,
    WaitOptions, list_filter, wait_options,
};
use crate::types::*;
use crate::{CancelToken, Out, env_var, promise, sync, sync_send, token, verify_with};
use clickairtime::WaitStep;
use clickairtime::v2::{Client, TopUpPages, TopUpWait};
use napi::bindgen_prelude::*;
use napi::{Env, JsValue};
use napi_derive::napi;
use std::sync::{Arc, Mutex};

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
            let o: Option<V2ClientOptions> = top(options, "options")?;
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

/// `client.catalog`: phone lookup, countries, networks, products.
#[napi]
pub struct V2Catalog {
    c: Client,
}

fn country(v: Unknown) -> ArgResult<Option<String>> {
    arg(v, "countryCode")
}

#[napi]
impl V2Catalog {
    /// Find the network of a number (HLR lookup) and its products. The number may be formatted
    /// (`'+233 24 123 4567'`); a national one needs `toE164(number, country)` first.
    #[napi(
        ts_args_type = "options: LookupOptions, call?: CallOptions",
        ts_return_type = "Promise<CatalogResponse>"
    )]
    pub fn lookup<'e>(&self, env: &'e Env, options: Unknown) -> Result<Object<'e>> {
        let o: LookupOptions = sync(env, || top(options, "options"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, CatalogResponse>(
                c.catalog().lookup(o.phone_number.as_deref(), o.network_id),
            )?)
        })
    }
    /// Blocking twin of `lookup`.
    #[napi(ts_args_type = "options: LookupOptions")]
    pub fn lookup_sync(&self, env: Env, options: Unknown) -> Result<CatalogResponse> {
        sync(&env, || {
            let o: LookupOptions = top(options, "options")?;
            Ok(conv(
                self.c
                    .catalog()
                    .lookup(o.phone_number.as_deref(), o.network_id),
            )?)
        })
    }

    /// Supported countries.
    #[napi(
        ts_args_type = "call?: CallOptions",
        ts_return_type = "Promise<CountryListResponse>"
    )]
    pub fn countries<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, CountryListResponse>(c.catalog().countries())?)
        })
    }
    /// Blocking twin of `countries`.
    #[napi(ts_return_type = "CountryListResponse")]
    pub fn countries_sync(&self, env: Env) -> Result<CountryListResponse> {
        sync(&env, || Ok(conv(self.c.catalog().countries())?))
    }

    /// Networks, optionally of one country (ISO 3166-1 alpha-2, e.g. "GH").
    #[napi(
        ts_args_type = "countryCode?: string, call?: CallOptions",
        ts_return_type = "Promise<NetworkListResponse>"
    )]
    pub fn networks<'e>(&self, env: &'e Env, country_code: Unknown) -> Result<Object<'e>> {
        let cc = sync(env, || country(country_code))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, NetworkListResponse>(
                c.catalog().networks(cc.as_deref()),
            )?)
        })
    }
    /// Blocking twin of `networks`.
    #[napi(
        ts_args_type = "countryCode?: string",
        ts_return_type = "NetworkListResponse"
    )]
    pub fn networks_sync(&self, env: Env, country_code: Unknown) -> Result<NetworkListResponse> {
        sync(&env, || {
            let cc = country(country_code)?;
            Ok(conv(self.c.catalog().networks(cc.as_deref()))?)
        })
    }

    /// Full catalog of one network.
    #[napi(
        ts_args_type = "networkId: number, call?: CallOptions",
        ts_return_type = "Promise<CatalogResponse>"
    )]
    pub fn products<'e>(&self, env: &'e Env, network_id: Unknown) -> Result<Object<'e>> {
        let id: i64 = sync(env, || arg(network_id, "networkId"))?;
        let c = self.c.clone();
        promise(env, None, move || {
            Ok(conv::<_, CatalogResponse>(c.catalog().products(id))?)
        })
    }
    /// Blocking twin of `products`.
    #[napi(ts_args_type = "networkId: number", ts_return_type = "CatalogResponse")]
    pub fn products_sync(&self, env: Env, network_id: Unknown) -> Result<CatalogResponse> {
        sync(&env, || {
            let id: i64 = arg(network_id, "networkId")?;
            Ok(conv(self.c.catalog().products(id))?)
        })
    }
}

/// `client.topups`: create (money-safe), get, list, listAll, reconcile, wait.
#[napi]
pub struct V2Topups {
    c: Client,
}

fn order(options: Unknown) -> Out<clickairtime::v2::CreateTopUp> {
    let o: CreateTopUpOptions = top(options, "order")?;
    Ok(o.prepared()?)
}

fn filter(v: Unknown) -> ArgResult<clickairtime::v2::ListTopUps> {
    let f: Option<ListTopUpsOptions> = top(v, "filter")?;
    Ok(list_filter(f))
}

/// `options` of a `…Sync` wait: a `signal` there is a mistake (nothing can abort a blocking call).
pub(crate) fn sync_wait_options(v: Unknown) -> ArgResult<Option<WaitOptions>> {
    if v.get_type().ok() == Some(napi::ValueType::Object) {
        let o: Object = unsafe { v.cast() }.map_err(|_| bad("options", "cannot be read"))?;
        if o.has_named_property("signal").unwrap_or(false) {
            return Err(bad(
                "signal",
                "the …Sync twins cannot be cancelled (they block the thread, so nothing could abort them): use the Promise form, e.g. wait(id, { signal })",
            ));
        }
    }
    top(v, "options")
}

#[napi]
impl V2Topups {
    /// Validate an order and fix its handles without sending anything: the returned object carries the
    /// `reference` (yours, or a new `ca-<uuid>`), the `idempotencyKey` (yours, or derived from the
    /// reference) that `create` will send, and the phone number as E.164. Write it down, then
    /// `create(prepared)`. Throws `INVALID_INPUT`.
    #[napi(ts_args_type = "order: CreateTopUpOptions")]
    pub fn prepare(&self, env: Env, order: Unknown) -> Result<PreparedTopUp> {
        sync(&env, || Ok(self::order(order)?.into()))
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
        let order = sync(env, || self::order(order))?;
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
        let order = sync(&env, || self::order(order))?;
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
        let f = sync(env, || self::filter(filter))?;
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
            let f = self::filter(filter)?;
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
            let f = self::filter(filter)?;
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
            let f = self::filter(filter)?;
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
            let o: Option<WaitOptions> = top(options, "options")?;
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
            let o = sync_wait_options(options)?;
            Ok(conv(self.c.topups().wait(&id, &wait_options(o, None)))?)
        })
    }
}

/// What one step of a wait found: the result (`done`), or how long to sleep before the next step.
pub enum Step<T> {
    /// Terminal: the wait is over.
    Done(T),
    /// Not yet: sleep this long (ms), then step again.
    Sleep(f64),
}

impl<T: ToNapiValue> ToNapiValue for Step<T> {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let env_ = Env::from_raw(env);
        let mut o = Object::new(&env_)?;
        match val {
            Step::Done(v) => {
                o.set_named_property("done", true)?;
                o.set_named_property("value", v)?;
            }
            Step::Sleep(ms) => {
                o.set_named_property("done", false)?;
                o.set_named_property("sleepMs", ms)?;
            }
        }
        Ok(o.raw())
    }
}

pub(crate) fn step<C, T: FromCore<C>>(
    s: clickairtime::Result<WaitStep<clickairtime::Response<C>>>,
) -> clickairtime::Result<Step<T>> {
    Ok(match s? {
        WaitStep::Done(r) => Step::Done(T::from_core(r)),
        WaitStep::Sleep(d) => Step::Sleep(d.as_millis() as f64),
    })
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

/// `client.balance`: wallet balances.
#[napi]
pub struct V2Balance {
    c: Client,
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
