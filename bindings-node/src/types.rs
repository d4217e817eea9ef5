//! Plain JS objects returned by every call: the core's models in camelCase, named as `docs/shapes.json`'s
//! `node` column says. A call returns the record itself (or an array of records) with its `meta` attached
//! ([`WithMeta`]), as the core's `Response<T>` derefs to `T`. Amounts are exact decimal strings (`"50.00"`),
//! never JS numbers; enums from the server are open strings (typed as unions plus `string` in the header of
//! `index.d.ts`). Pure conversion, no rules: `isTerminal` / `isSuccess` are the core's verdicts.

use clickairtime::{v1 as c1, v2 as c2};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::{Map, Value};

fn dec(d: Option<clickairtime::money::Decimal>) -> Option<String> {
    d.map(|d| d.to_string())
}

// ---------------------------------------------------------------- meta

/// `X-RateLimit-*` headers of an answer.
#[napi(object)]
#[derive(Clone)]
pub struct RateLimit {
    /// Requests allowed in the window.
    pub limit: Option<i64>,
    /// Requests left in the window.
    pub remaining: Option<i64>,
    /// Unix time (seconds) when the window resets.
    pub reset: Option<i64>,
}

impl From<clickairtime::RateLimit> for RateLimit {
    fn from(r: clickairtime::RateLimit) -> Self {
        RateLimit {
            limit: r.limit.map(|v| v as i64),
            remaining: r.remaining.map(|v| v as i64),
            reset: r.reset.map(|v| v as i64),
        }
    }
}

/// `meta.pagination` of a V2 list answer.
#[napi(object)]
pub struct Pagination {
    /// Current page (1-based).
    pub page: u32,
    /// Page size.
    pub per_page: u32,
    /// Total number of items.
    pub total: i64,
    /// Total number of pages.
    pub total_pages: u32,
    /// Whether a next page exists.
    pub has_next: bool,
    /// Whether a previous page exists.
    pub has_prev: bool,
}

/// Everything about an answer that is not its data.
#[napi(object)]
pub struct Meta {
    /// HTTP status of the answer that produced the data (for a recovered send, of the lookup).
    pub http_status: u32,
    /// V2 `meta.request_id`, for support tickets.
    pub request_id: Option<String>,
    /// V2 `meta.timestamp`.
    pub timestamp: Option<String>,
    /// Rate-limit headers of the answer, if the server sent them.
    pub rate_limit: Option<RateLimit>,
    /// `meta.pagination` of a list answer.
    pub pagination: Option<Pagination>,
    /// For sends: the reference that finds the transaction (V2 `reference`, V1 `extRefId`).
    pub reference: Option<String>,
    /// For V2 sends: the `Idempotency-Key` header that was sent.
    pub idempotency_key: Option<String>,
    /// For sends: true when the record is this sale's but was not created by this call's first write
    /// (`origin` is `recovered`, `replayed` or `journal`). Never true for another sale's record: that is an
    /// error (`DUPLICATE_SALE`, `REFERENCE_CONFLICT`).
    pub replayed: bool,
    /// For sends: how the record, verified to be this sale, was obtained: `created` (by this write),
    /// `recovered` (our write, found after its answer was lost), `replayed` (the API already held our
    /// key/reference), `journal` (the journal held it as sent: nothing was written now).
    #[napi(ts_type = "SendOrigin")]
    pub origin: Option<String>,
    /// For sends: how many times the request was written to the network (1 unless recovery re-sent it).
    pub attempts: u32,
}

impl From<clickairtime::Meta> for Meta {
    fn from(m: clickairtime::Meta) -> Self {
        Meta {
            http_status: m.http_status.into(),
            request_id: m.request_id,
            timestamp: m.timestamp,
            rate_limit: m.rate_limit.map(Into::into),
            pagination: m.pagination.map(|p| Pagination {
                page: p.page,
                per_page: p.per_page,
                total: p.total as i64,
                total_pages: p.total_pages,
                has_next: p.has_next,
                has_prev: p.has_prev,
            }),
            reference: m.reference,
            idempotency_key: m.idempotency_key,
            replayed: m.replayed,
            origin: m.origin.map(|o| o.as_str().to_owned()),
            attempts: m.attempts,
        }
    }
}

// ---------------------------------------------------------------- V2 catalog

/// A mobile network operator.
#[napi(object)]
pub struct Network {
    /// Network id, used by products and top-ups.
    pub id: i64,
    /// Operator name, e.g. "MTN Ghana".
    pub name: String,
    /// Country name.
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country_code: Option<String>,
    /// ISO 4217 local currency.
    pub currency: Option<String>,
    /// Logo URL.
    pub logo_url: Option<String>,
    /// Number of products.
    pub product_count: Option<i64>,
    /// Whether free-amount airtime can be sent.
    pub supports_custom_airtime: Option<bool>,
}

impl From<c2::Network> for Network {
    fn from(n: c2::Network) -> Self {
        Network {
            id: n.id,
            name: n.name,
            country: n.country,
            country_code: n.country_code,
            currency: n.currency,
            logo_url: n.logo_url,
            product_count: n.product_count,
            supports_custom_airtime: n.supports_custom_airtime,
        }
    }
}

/// Exchange rate between the wallet (USD) and the local currency.
#[napi(object)]
pub struct ExchangeRate {
    /// Usually "USD".
    pub source_currency: Option<String>,
    /// The local currency.
    pub destination_currency: Option<String>,
    /// Local units per source unit, exact decimal string.
    pub rate: Option<String>,
}

/// Free-amount airtime limits of a network.
#[napi(object)]
pub struct CustomAirtime {
    /// Whether custom amounts are possible.
    pub available: bool,
    /// Smallest amount, local currency, exact decimal string.
    pub min_amount_local: Option<String>,
    /// Largest amount, local currency, exact decimal string.
    pub max_amount_local: Option<String>,
    /// The local currency.
    pub local_currency: Option<String>,
}

/// A fixed bundle (data, airtime …) with a price.
#[napi(object)]
pub struct Bundle {
    /// Product id (an integer in the catalog; kept as text).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Bundle kind (`DATA`, `AIRTIME` …; the API's `type`).
    #[napi(ts_type = "BundleType")]
    pub bundle_type: String,
    /// Price in USD, exact decimal string.
    pub price_usd: Option<String>,
    /// Local description of the value.
    pub local_value: Option<String>,
    /// Local price, exact decimal string, when the API sends one.
    pub local_amount: Option<String>,
    /// Local currency, when the API sends one.
    pub local_currency: Option<String>,
}

/// Products of a network.
#[napi(object)]
pub struct Products {
    /// Free-amount airtime, if offered.
    pub custom_airtime: Option<CustomAirtime>,
    /// Fixed bundles.
    pub fixed_bundles: Vec<Bundle>,
}

/// Answer of a lookup or a products query: the network, its rate and its products.
#[napi(object)]
pub struct Catalog {
    /// The number looked up (absent when looked up by network only).
    pub phone_number: Option<String>,
    /// The network.
    pub network: Network,
    /// Exchange rate.
    pub exchange_rate: Option<ExchangeRate>,
    /// Products.
    pub products: Products,
}

impl From<c2::Catalog> for Catalog {
    fn from(c: c2::Catalog) -> Self {
        Catalog {
            phone_number: c.phone_number,
            network: c.network.into(),
            exchange_rate: c.exchange_rate.map(|r| ExchangeRate {
                source_currency: r.source_currency,
                destination_currency: r.destination_currency,
                rate: dec(r.rate),
            }),
            products: Products {
                custom_airtime: c.products.custom_airtime.map(|a| CustomAirtime {
                    available: a.available,
                    min_amount_local: dec(a.min_amount_local),
                    max_amount_local: dec(a.max_amount_local),
                    local_currency: a.local_currency,
                }),
                fixed_bundles: c
                    .products
                    .fixed_bundles
                    .into_iter()
                    .map(|b| Bundle {
                        id: b.id,
                        name: b.name,
                        bundle_type: b.bundle_type.as_str().to_owned(),
                        price_usd: dec(b.price_usd),
                        local_value: b.local_value,
                        local_amount: dec(b.local_amount),
                        local_currency: b.local_currency,
                    })
                    .collect(),
            },
        }
    }
}

/// A supported country.
#[napi(object)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub country_code: Option<String>,
    /// Country name.
    pub name: Option<String>,
    /// Local currency.
    pub currency: Option<String>,
    /// Networks of the country, if listed.
    pub networks: Vec<Network>,
}

impl From<c2::Country> for Country {
    fn from(c: c2::Country) -> Self {
        Country {
            country_code: c.country_code,
            name: c.name,
            currency: c.currency,
            networks: c.networks.into_iter().map(Into::into).collect(),
        }
    }
}

// ---------------------------------------------------------------- V2 top-ups

/// An amount with its currency.
#[napi(object)]
pub struct Money {
    /// Exact decimal string, e.g. `"50.00"`.
    pub value: String,
    /// ISO 4217 code.
    pub currency: String,
}

/// The network of a top-up.
#[napi(object)]
pub struct NetworkRef {
    /// Network id.
    pub id: i64,
    /// Operator name.
    pub name: Option<String>,
    /// Country name.
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country_code: Option<String>,
}

/// SMS notification settings (in a top-up, and as the `sms` option of `create`).
#[napi(object)]
pub struct Sms {
    /// Send an SMS to the recipient.
    pub enabled: bool,
    /// Custom text.
    pub message: Option<String>,
}

/// A V2 top-up transaction.
#[napi(object)]
pub struct TopUp {
    /// Transaction id.
    pub id: String,
    /// Current status.
    #[napi(ts_type = "TopUpStatus")]
    pub status: String,
    /// Recipient, E.164.
    pub phone_number: Option<String>,
    /// Network.
    pub network: Option<NetworkRef>,
    /// Local amount delivered.
    pub amount: Option<Money>,
    /// What the wallet was charged (USD).
    pub cost: Option<Money>,
    /// Bundle id, if a bundle was sent (as text).
    pub product_id: Option<String>,
    /// Bundle name.
    pub product_name: Option<String>,
    /// SMS settings.
    pub sms: Option<Sms>,
    /// Your reference.
    pub reference: Option<String>,
    /// Upstream provider's reference.
    pub provider_reference: Option<String>,
    /// Why it failed.
    pub failure_reason: Option<String>,
    /// Your metadata, echoed.
    #[napi(ts_type = "Record<string, JsonValue>")]
    pub metadata: Option<Map<String, Value>>,
    /// Creation time (ISO 8601, as sent).
    pub created_at: Option<String>,
    /// Completion time (ISO 8601, as sent).
    pub completed_at: Option<String>,
    /// Whether the status will not change any more (`completed`, `failed`, `refunded`, `cancelled`).
    pub is_terminal: bool,
    /// Whether the airtime was delivered (`completed`).
    pub is_success: bool,
}

fn money(m: c2::Money) -> Money {
    Money {
        value: m.value.to_string(),
        currency: m.currency,
    }
}

impl From<c2::TopUp> for TopUp {
    fn from(t: c2::TopUp) -> Self {
        TopUp {
            id: t.id,
            is_terminal: t.status.is_terminal(),
            is_success: t.status.is_success(),
            status: t.status.as_str().to_owned(),
            phone_number: t.phone_number,
            network: t.network.map(|n| NetworkRef {
                id: n.id,
                name: n.name,
                country: n.country,
                country_code: n.country_code,
            }),
            amount: t.amount.map(money),
            cost: t.cost.map(money),
            product_id: t.product_id,
            product_name: t.product_name,
            sms: t.sms.map(|s| Sms {
                enabled: s.enabled,
                message: s.message,
            }),
            reference: t.reference,
            provider_reference: t.provider_reference,
            failure_reason: t.failure_reason,
            metadata: t.metadata,
            created_at: t.created_at.map(|x| x.0),
            completed_at: t.completed_at.map(|x| x.0),
        }
    }
}

// ---------------------------------------------------------------- V2 balance

/// One wallet.
#[napi(object)]
pub struct Wallet {
    /// Wallet id, e.g. `wal_ghs_001`.
    pub id: String,
    /// Wallet currency.
    pub currency: String,
    /// Balance in the wallet currency, exact decimal string.
    pub balance: String,
    /// Global or local (the API's `type`).
    #[napi(ts_type = "WalletType")]
    pub wallet_type: String,
    /// Active or inactive.
    #[napi(ts_type = "WalletStatus")]
    pub status: String,
    /// Country names this wallet pays for.
    pub allowed_countries: Vec<String>,
}

impl From<c2::Wallet> for Wallet {
    fn from(w: c2::Wallet) -> Self {
        Wallet {
            id: w.id,
            currency: w.currency,
            balance: w.balance.to_string(),
            wallet_type: w.wallet_type.as_str().to_owned(),
            status: w.status.as_str().to_owned(),
            allowed_countries: w.allowed_countries,
        }
    }
}

/// The total of all wallets.
#[napi(object)]
pub struct AvailableBalance {
    /// Exact decimal string.
    pub amount: String,
    /// ISO 4217 code (USD).
    pub currency: String,
}

/// All balances.
#[napi(object)]
pub struct Balance {
    /// Total across wallets, in USD.
    pub available_balance: Option<AvailableBalance>,
    /// Per-wallet breakdown.
    pub wallets: Vec<Wallet>,
}

impl From<c2::Balance> for Balance {
    fn from(b: c2::Balance) -> Self {
        Balance {
            available_balance: b.available_balance.map(|a| AvailableBalance {
                amount: a.amount.to_string(),
                currency: a.currency,
            }),
            wallets: b.wallets.into_iter().map(Into::into).collect(),
        }
    }
}

// ---------------------------------------------------------------- webhooks

/// A parsed webhook delivery.
#[napi(object)]
pub struct WebhookEvent {
    /// Event type, e.g. `topup.completed` (empty when the body has none: use the `X-Webhook-Event` header).
    #[napi(ts_type = "EventType")]
    pub event_type: String,
    /// Event id (guide variant `evt_…`).
    pub id: Option<String>,
    /// Event time as sent.
    pub timestamp: Option<String>,
    /// The top-up, when the payload carries one in the V2 shape.
    pub topup: Option<TopUp>,
    /// The payload's data (or the whole body when it is not wrapped), as received.
    #[napi(ts_type = "{ [key: string]: JsonValue }")]
    pub data: Value,
}

impl From<c2::webhooks::WebhookEvent> for WebhookEvent {
    fn from(e: c2::webhooks::WebhookEvent) -> Self {
        WebhookEvent {
            event_type: e.event_type.as_str().to_owned(),
            id: e.id,
            timestamp: e.timestamp,
            topup: e.topup.map(Into::into),
            data: e.data,
        }
    }
}

// ---------------------------------------------------------------- V1

/// What the wallet was debited for a V1 transaction.
#[napi(object)]
pub struct TxWallet {
    /// Wallet currency.
    pub currency: Option<String>,
    /// Amount debited, exact decimal string.
    pub amount: Option<String>,
    /// FX rate applied (absent for same-currency), exact decimal string.
    pub fx_rate: Option<String>,
}

/// Provider references of a V1 transaction.
#[napi(object)]
pub struct Provider {
    /// Provider's transaction id.
    pub transaction_id: Option<String>,
    /// Provider's reference code.
    pub reference_code: Option<String>,
}

/// A V1 transaction: the answer of a send or one record of a lookup.
#[napi(object)]
pub struct Transaction {
    /// Click Airtime transaction id.
    pub transaction_id: Option<String>,
    /// State.
    #[napi(ts_type = "TransactionState")]
    pub state: String,
    /// Legacy delivered flag.
    pub status: Option<bool>,
    /// Recipient msisdn.
    pub msisdn: Option<String>,
    /// Operator name.
    pub network: Option<String>,
    /// Country name.
    pub country: Option<String>,
    /// Amount in the destination currency, exact decimal string.
    pub amount: Option<String>,
    /// The `TopupAmount` alias some answers carry, exact decimal string.
    pub topup_amount: Option<String>,
    /// Amount debited from the wallet, wallet currency, exact decimal string.
    pub effective_amount: Option<String>,
    /// Destination currency.
    pub currency: Option<String>,
    /// Your external reference.
    pub ext_ref_id: Option<String>,
    /// Service account used.
    pub account_id: Option<String>,
    /// Wallet debit.
    pub wallet: Option<TxWallet>,
    /// Provider references.
    pub provider: Option<Provider>,
    /// Envelope `code` of the answer this came from (1, 232, 10, 5, 160, 170 …).
    pub code: Option<i64>,
    /// Envelope `message` of the answer this came from.
    pub message: Option<String>,
    /// Whether the state will not change any more (all but `PENDING` and `PROCESSING`).
    pub is_terminal: bool,
    /// Whether the airtime was delivered (`SUCCESS`).
    pub is_success: bool,
}

impl From<c1::Transaction> for Transaction {
    fn from(t: c1::Transaction) -> Self {
        Transaction {
            transaction_id: t.transaction_id,
            is_terminal: t.state.is_terminal(),
            is_success: t.state.is_success(),
            state: t.state.as_str().to_owned(),
            status: t.status,
            msisdn: t.msisdn,
            network: t.network,
            country: t.country,
            amount: dec(t.amount),
            topup_amount: dec(t.topup_amount),
            effective_amount: dec(t.effective_amount),
            currency: t.currency,
            ext_ref_id: t.ext_ref_id,
            account_id: t.account_id,
            wallet: t.wallet.map(|w| TxWallet {
                currency: w.currency,
                amount: dec(w.amount),
                fx_rate: dec(w.fx_rate),
            }),
            provider: t.provider.map(|p| Provider {
                transaction_id: p.transaction_id,
                reference_code: p.reference_code,
            }),
            code: t.code,
            message: t.message,
        }
    }
}

/// A V1 service (one per network) of the product catalog.
#[napi(object)]
pub struct Service {
    /// Service id, used by `products(serviceId)`.
    pub service_id: i64,
    /// Provider name, e.g. `MTN_Ghana`.
    pub provider_name: String,
}

impl From<c1::Service> for Service {
    fn from(s: c1::Service) -> Self {
        Service {
            service_id: s.service_id,
            provider_name: s.provider_name,
        }
    }
}

/// A V1 product.
#[napi(object)]
pub struct Product {
    /// Product id, used as `productId` of a send.
    pub id: i64,
    /// Name.
    pub name: Option<String>,
    /// FIXED_PRODUCT or OPEN_PRODUCT (the API's `type`).
    #[napi(ts_type = "ProductType")]
    pub product_type: Option<String>,
    /// Amount of a fixed product, exact decimal string.
    pub amount: Option<String>,
    /// Currency.
    pub currency: Option<String>,
    /// Service the product belongs to.
    pub service_id: Option<String>,
    /// Description.
    pub description: Option<String>,
}

impl From<c1::Product> for Product {
    fn from(p: c1::Product) -> Self {
        Product {
            id: p.id,
            name: p.name,
            product_type: p.product_type.map(|t| t.as_str().to_owned()),
            amount: dec(p.amount),
            currency: p.currency,
            service_id: p.service_id,
            description: p.description,
        }
    }
}

/// A V1 account balance.
#[napi(object)]
pub struct AccountBalance {
    /// Account id.
    pub account_id: Option<String>,
    /// Service name.
    pub service_name: Option<String>,
    /// Country of the service.
    pub service_country: Option<String>,
    /// Balance, exact decimal string.
    pub balance: String,
    /// Currency.
    pub currency: Option<String>,
}

impl From<c1::AccountBalance> for AccountBalance {
    fn from(b: c1::AccountBalance) -> Self {
        AccountBalance {
            account_id: b.account_id,
            service_name: b.service_name,
            service_country: b.service_country,
            balance: b.balance.to_string(),
            currency: b.currency,
        }
    }
}

// ---------------------------------------------------------------- responses

/// A result: the record (or the array of records) itself, with the answer's `meta` attached as a property
/// (`topup.meta.requestId`, `list.meta.pagination`), not enumerable: `JSON.stringify`, spreads and deep
/// equality see the record alone. In TypeScript: `TopUpResponse = TopUp & { meta: Meta }`.
pub struct WithMeta<T> {
    /// The record(s).
    pub data: T,
    /// Request id, rate limits, pagination, the handles of a send.
    pub meta: Meta,
}

impl<T: ToNapiValue> ToNapiValue for WithMeta<T> {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let value = unsafe { T::to_napi_value(env, val.data) }?;
        let meta = unsafe { Meta::to_napi_value(env, val.meta) }?;
        // not enumerable: the record stays the record for JSON.stringify, spreads and deep equality
        let prop = sys::napi_property_descriptor {
            utf8name: c"meta".as_ptr(),
            name: std::ptr::null_mut(),
            method: None,
            getter: None,
            setter: None,
            value: meta,
            attributes: sys::PropertyAttributes::writable | sys::PropertyAttributes::configurable,
            data: std::ptr::null_mut(),
        };
        let status = unsafe { sys::napi_define_properties(env, value, 1, &prop) };
        if status != sys::Status::napi_ok {
            return Err(Error::new(
                Status::GenericFailure,
                "cannot attach meta to a result",
            ));
        }
        Ok(value)
    }
}

impl<T> TypeName for WithMeta<T> {
    fn type_name() -> &'static str {
        "object"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

/// One top-up with `meta`.
pub type TopUpResponse = WithMeta<TopUp>;
/// A page of top-ups (an array) with `meta` (`meta.pagination`).
pub type TopUpListResponse = WithMeta<Vec<TopUp>>;
/// A catalog lookup with `meta`.
pub type CatalogResponse = WithMeta<Catalog>;
/// Countries with `meta`.
pub type CountryListResponse = WithMeta<Vec<Country>>;
/// Networks with `meta`.
pub type NetworkListResponse = WithMeta<Vec<Network>>;
/// Balances with `meta`.
pub type BalanceResponse = WithMeta<Balance>;
/// One wallet with `meta`.
pub type WalletResponse = WithMeta<Wallet>;
/// One V1 transaction with `meta`.
pub type TransactionResponse = WithMeta<Transaction>;
/// V1 transactions with `meta`.
pub type TransactionListResponse = WithMeta<Vec<Transaction>>;
/// V1 services with `meta`.
pub type ServiceListResponse = WithMeta<Vec<Service>>;
/// V1 products with `meta`.
pub type ProductListResponse = WithMeta<Vec<Product>>;
/// One V1 product with `meta`.
pub type ProductResponse = WithMeta<Product>;
/// V1 balances with `meta`.
pub type AccountBalanceListResponse = WithMeta<Vec<AccountBalance>>;
/// One V1 balance with `meta`.
pub type AccountBalanceResponse = WithMeta<AccountBalance>;

/// Convert a core `Response<T>` into a result.
pub(crate) trait FromCore<T> {
    fn from_core(r: clickairtime::Response<T>) -> Self;
}

macro_rules! one {
    ($js:ty, $core:ty) => {
        impl FromCore<$core> for WithMeta<$js> {
            fn from_core(r: clickairtime::Response<$core>) -> Self {
                WithMeta {
                    data: r.data.into(),
                    meta: r.meta.into(),
                }
            }
        }
    };
}
macro_rules! many {
    ($js:ty, $core:ty) => {
        impl FromCore<Vec<$core>> for WithMeta<Vec<$js>> {
            fn from_core(r: clickairtime::Response<Vec<$core>>) -> Self {
                WithMeta {
                    data: r.data.into_iter().map(Into::into).collect(),
                    meta: r.meta.into(),
                }
            }
        }
    };
}
one!(TopUp, c2::TopUp);
many!(TopUp, c2::TopUp);
one!(Catalog, c2::Catalog);
many!(Country, c2::Country);
many!(Network, c2::Network);
one!(Balance, c2::Balance);
one!(Wallet, c2::Wallet);
one!(Transaction, c1::Transaction);
many!(Transaction, c1::Transaction);
many!(Service, c1::Service);
many!(Product, c1::Product);
one!(Product, c1::Product);
many!(AccountBalance, c1::AccountBalance);
one!(AccountBalance, c1::AccountBalance);

// ---------------------------------------------------------------- journal

/// One V2 send as the journal holds it. Times are unix milliseconds (numbers): `new Date(entry.createdAt)`.
#[napi(object)]
pub struct TopUpJournalEntry {
    /// `v1` or `v2`.
    #[napi(ts_type = "'v1' | 'v2'")]
    pub api: String,
    /// The sale's reference (V2 `reference`).
    pub reference: String,
    /// The V2 `Idempotency-Key`.
    pub idempotency_key: Option<String>,
    /// Where it stands: `in_flight` (its end is not recorded: a crash, or it is running now), `sent`,
    /// `not_sent`, `refused` (the API holds another sale), `unknown` (it may exist: `recover()` it).
    #[napi(ts_type = "SendState")]
    pub state: String,
    /// Writes started (each written down before it left).
    pub writes: u32,
    /// The API's transaction id (`sent`), or the other sale's (`refused`), when known.
    pub transaction_id: Option<String>,
    /// Last status seen.
    pub status: Option<String>,
    /// The code of the recorded error (`OUTCOME_UNKNOWN`, `INSUFFICIENT_BALANCE` …).
    #[napi(ts_type = "ErrorCode")]
    pub error_kind: Option<String>,
    /// Its message.
    pub error_message: Option<String>,
    /// The request body as written (JSON text).
    pub request: String,
    /// The verified record, when `sent`.
    pub record: Option<TopUp>,
    /// When it was first written down, unix ms.
    pub created_at: i64,
    /// Last change, unix ms.
    pub updated_at: i64,
    /// When its last write started, unix ms (absent: no write started).
    pub last_write_at: Option<i64>,
}

impl TopUpJournalEntry {
    pub(crate) fn from_core(e: clickairtime::JournalEntry) -> clickairtime::Result<Self> {
        let record = match e.record.as_deref() {
            None => None,
            Some(text) => Some(
                serde_json::from_str::<c2::TopUp>(text)
                    .map(TopUp::from)
                    .map_err(|err| {
                        clickairtime::Error::new(
                            clickairtime::ErrorKind::Journal,
                            format!(
                                "journal: the record of reference {} is unreadable: {err}",
                                e.reference
                            ),
                        )
                    })?,
            ),
        };
        Ok(TopUpJournalEntry {
            api: e.api,
            reference: e.reference,
            idempotency_key: e.idempotency_key,
            state: e.state.as_str().to_owned(),
            writes: e.writes,
            transaction_id: e.transaction_id,
            status: e.status,
            error_kind: e.error_kind.map(|k| k.as_str().to_owned()),
            error_message: e.error_message,
            request: e.request,
            record,
            created_at: e.created_at,
            updated_at: e.updated_at,
            last_write_at: e.last_write_at,
        })
    }
}

/// One V1 send as the journal holds it. Times are unix milliseconds (numbers): `new Date(entry.createdAt)`.
#[napi(object)]
pub struct TransactionJournalEntry {
    /// `v1` or `v2`.
    #[napi(ts_type = "'v1' | 'v2'")]
    pub api: String,
    /// The sale's reference (V1 `extRefId`).
    pub reference: String,
    /// The V2 `Idempotency-Key`.
    pub idempotency_key: Option<String>,
    /// Where it stands: `in_flight` (its end is not recorded: a crash, or it is running now), `sent`,
    /// `not_sent`, `refused` (the API holds another sale), `unknown` (it may exist: `recover()` it).
    #[napi(ts_type = "SendState")]
    pub state: String,
    /// Writes started (each written down before it left).
    pub writes: u32,
    /// The API's transaction id (`sent`), or the other sale's (`refused`), when known.
    pub transaction_id: Option<String>,
    /// Last status seen.
    pub status: Option<String>,
    /// The code of the recorded error (`OUTCOME_UNKNOWN`, `INSUFFICIENT_BALANCE` …).
    #[napi(ts_type = "ErrorCode")]
    pub error_kind: Option<String>,
    /// Its message.
    pub error_message: Option<String>,
    /// The request body as written (JSON text).
    pub request: String,
    /// The verified record, when `sent`.
    pub record: Option<Transaction>,
    /// When it was first written down, unix ms.
    pub created_at: i64,
    /// Last change, unix ms.
    pub updated_at: i64,
    /// When its last write started, unix ms (absent: no write started).
    pub last_write_at: Option<i64>,
}

impl TransactionJournalEntry {
    pub(crate) fn from_core(e: clickairtime::JournalEntry) -> clickairtime::Result<Self> {
        let record = match e.record.as_deref() {
            None => None,
            Some(text) => Some(
                serde_json::from_str::<c1::Transaction>(text)
                    .map(Transaction::from)
                    .map_err(|err| {
                        clickairtime::Error::new(
                            clickairtime::ErrorKind::Journal,
                            format!(
                                "journal: the record of reference {} is unreadable: {err}",
                                e.reference
                            ),
                        )
                    })?,
            ),
        };
        Ok(TransactionJournalEntry {
            api: e.api,
            reference: e.reference,
            idempotency_key: e.idempotency_key,
            state: e.state.as_str().to_owned(),
            writes: e.writes,
            transaction_id: e.transaction_id,
            status: e.status,
            error_kind: e.error_kind.map(|k| k.as_str().to_owned()),
            error_message: e.error_message,
            request: e.request,
            record,
            created_at: e.created_at,
            updated_at: e.updated_at,
            last_write_at: e.last_write_at,
        })
    }
}

/// What `recover()` did with one open V2 entry.
#[napi(object, object_from_js = false)]
pub struct TopUpRecovery {
    /// The entry after recovery: `sent`, `not_sent` (absence proven: selling it again with the same
    /// reference is safe), `refused`, or still `unknown` / `in_flight` (call `recover()` again later).
    pub entry: TopUpJournalEntry,
    /// The verified record, when the entry is now `sent` (`meta.origin` is `recovered`).
    #[napi(ts_type = "TopUpResponse")]
    pub record: Option<TopUpResponse>,
}

/// What `recover()` did with one open V1 entry.
#[napi(object, object_from_js = false)]
pub struct TransactionRecovery {
    /// The entry after recovery (see `TopUpRecovery.entry`).
    pub entry: TransactionJournalEntry,
    /// The verified record, when the entry is now `sent`.
    #[napi(ts_type = "TransactionResponse")]
    pub record: Option<TransactionResponse>,
}

pub(crate) fn entries<E>(
    r: clickairtime::Result<Vec<clickairtime::JournalEntry>>,
    f: impl Fn(clickairtime::JournalEntry) -> clickairtime::Result<E>,
) -> clickairtime::Result<Vec<E>> {
    r?.into_iter().map(f).collect()
}

pub(crate) fn v2_recoveries(
    r: clickairtime::Result<Vec<clickairtime::Recovery<c2::TopUp>>>,
) -> clickairtime::Result<Vec<TopUpRecovery>> {
    r?.into_iter()
        .map(|x| {
            Ok(TopUpRecovery {
                entry: TopUpJournalEntry::from_core(x.entry)?,
                record: x.record.map(TopUpResponse::from_core),
            })
        })
        .collect()
}

pub(crate) fn v1_recoveries(
    r: clickairtime::Result<Vec<clickairtime::Recovery<c1::Transaction>>>,
) -> clickairtime::Result<Vec<TransactionRecovery>> {
    r?.into_iter()
        .map(|x| {
            Ok(TransactionRecovery {
                entry: TransactionJournalEntry::from_core(x.entry)?,
                record: x.record.map(TransactionResponse::from_core),
            })
        })
        .collect()
}

/// `core::Result<Response<T>>` → `core::Result<R>`.
pub(crate) fn conv<T, R: FromCore<T>>(
    r: clickairtime::Result<clickairtime::Response<T>>,
) -> clickairtime::Result<R> {
    r.map(R::from_core)
}

/// `core::Result<Option<Response<T>>>` → `core::Result<Option<R>>`.
pub(crate) fn conv_opt<T, R: FromCore<T>>(
    r: clickairtime::Result<Option<clickairtime::Response<T>>>,
) -> clickairtime::Result<Option<R>> {
    r.map(|o| o.map(R::from_core))
}
