//! `meta` of every result: the request id, rate limits, pagination and the handles of a send.

use napi_derive::napi;

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
