//! What every successful call returns besides its data: request id, rate-limit state, pagination, and for
//! sends, the idempotency handles.

use serde::{Deserialize, Serialize};
use std::ops::Deref;

/// The `X-RateLimit-*` headers of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: requests allowed in the window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`: Unix time (seconds) when the window resets.
    pub reset: Option<u64>,
}

/// `meta.pagination` of a V2 list answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Pagination {
    /// Current page (1-based).
    pub page: u32,
    /// Page size.
    pub per_page: u32,
    /// Total number of items.
    pub total: u64,
    /// Total number of pages.
    pub total_pages: u32,
    /// Whether a next page exists.
    pub has_next: bool,
    /// Whether a previous page exists.
    pub has_prev: bool,
}

/// Everything about an answer that is not its data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Meta {
    /// HTTP status of the answer that produced the data (for a recovered send, of the lookup).
    pub http_status: u16,
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
    /// For sends: true when the record is this sale's but was not created by the answer to this call's
    /// first write: found after a lost answer, replayed by the API for our key/reference, or recorded in
    /// the journal. Never true for another sale's record (that is an error: `DuplicateSale` or
    /// `ReferenceConflict`). See [`origin`](Self::origin) for which.
    pub replayed: bool,
    /// For sends: where the verified record came from.
    pub origin: Option<SendOrigin>,
    /// For sends: how many times the request was written to the network (1 unless recovery re-sent it).
    pub attempts: u32,
}

/// For a successful send: how the record, verified to be this sale, was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendOrigin {
    /// Created by this call's write; the answer said so.
    Created,
    /// Our own earlier write of this call, found by a verified lookup after its answer was lost.
    Recovered,
    /// The API answered that it already had this reference/key (a replay, V2 409, V1 code 90), and the
    /// record it holds was verified to be this sale — e.g. sent before a crash, or by an earlier call.
    Replayed,
    /// The journal already held this sale as sent: nothing was written now.
    Journal,
}

impl SendOrigin {
    /// Stable lower-case name (`created`, `recovered`, `replayed`, `journal`).
    pub fn as_str(self) -> &'static str {
        match self {
            SendOrigin::Created => "created",
            SendOrigin::Recovered => "recovered",
            SendOrigin::Replayed => "replayed",
            SendOrigin::Journal => "journal",
        }
    }
}

impl std::fmt::Display for SendOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Data plus [`Meta`]. Dereferences to the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response<T> {
    /// The decoded `data` of the answer.
    pub data: T,
    /// Request id, rate limits, pagination, idempotency handles.
    pub meta: Meta,
}

impl<T> Response<T> {
    /// The data, dropping the meta.
    pub fn into_data(self) -> T {
        self.data
    }
    /// Map the data, keeping the meta.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            data: f(self.data),
            meta: self.meta,
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.data
    }
}
