//! The one error type of the crate.
//!
//! Every fallible call returns [`Error`]. Its [`kind`](Error::kind) says what went wrong in a way that is safe
//! to branch on; the other getters carry the context a caller needs to tell a customer what happened or to
//! reconcile later (HTTP status, the API's own code, request id, the idempotency reference of a send).
//!
//! Messages are short and lowercase, and never contain an API key, a V1 token or a proxy password.

use std::fmt;
use std::time::Duration;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Largest response body kept on an error, in bytes. Longer bodies are cut at a character boundary.
pub const MAX_ERROR_BODY: usize = 8 * 1024;

/// What kind of failure an [`Error`] is. Stable: bindings map each kind to their own error class or code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The caller's input was rejected before any network call; [`Error::field`] names the field.
    InvalidInput,
    /// The credentials were missing, malformed, unknown, expired or revoked (HTTP 401).
    Authentication,
    /// The credentials are valid but not allowed to do this (missing permission, IP not allowed; HTTP 403).
    PermissionDenied,
    /// The wallet or account balance is too low (V2 `INSUFFICIENT_BALANCE`, V1 code 20).
    InsufficientBalance,
    /// The recipient number was rejected by the API (V2 `INVALID_PHONE_NUMBER`, V1 code 30).
    InvalidRecipient,
    /// The resource does not exist (unknown top-up, network, wallet, or no V1 transaction matched).
    NotFound,
    /// The API reported a duplicate that could not be resolved to an existing transaction. Sends no longer
    /// return it (they end in [`ErrorKind::DuplicateSale`], [`ErrorKind::ReferenceConflict`] or
    /// [`ErrorKind::OutcomeUnknown`]); kept so the codes of the bindings stay stable.
    Duplicate,
    /// The API reported that delivery of the top-up failed (V2 `DELIVERY_FAILED`, V1 code 5 without a record).
    DeliveryFailed,
    /// Too many requests (HTTP 429); [`Error::retry_after`] says when to try again, if the server said.
    RateLimited,
    /// Any other error answer of the API; see [`Error::api_code`] and [`Error::http_status`].
    Api,
    /// A timeout: connecting, waiting for an answer, or a wait that passed its deadline.
    Timeout,
    /// The connection could not be made or was lost before a request was sent.
    Connection,
    /// The TLS handshake or certificate verification failed.
    Tls,
    /// A top-up was sent but whether it was created cannot be known yet. Nothing was re-sent blindly;
    /// [`Error::reference`] finds it later (`reconcile`). Never treat this as "failed".
    OutcomeUnknown,
    /// The server answered something that is not the documented protocol; [`Error::body`] keeps it.
    UnexpectedResponse,
    /// A webhook's signature or timestamp did not verify.
    InvalidSignature,
    /// Definite: the API refused this sale as a duplicate of another, recent one (same phone, network and
    /// amount: the documented duplicate window, or V1 code 50). This sale was not created;
    /// [`Error::transaction_id`] and [`Error::existing_reference`] name the other one when the API said.
    DuplicateSale,
    /// Definite: the reference of this sale already belongs to a different sale at the API (V1 code 90, a
    /// V2 409, a lookup whose record does not match, several records with it) or in the journal. This sale
    /// was not created; [`Error::transaction_id`] names the other one when known. Use a new reference.
    ReferenceConflict,
    /// A wait reached its deadline: the transaction exists ([`Error::transaction_id`]) and was not terminal
    /// yet ([`Error::status`]). It was created and may still complete: never treat it as "not sent".
    StillPending,
    /// The journal file could not be opened, read or written. Nothing was sent.
    Journal,
    /// The call was cancelled through its cancel token: a send before anything of it could be received
    /// (nothing was sent), a wait (the transaction stands), or a listing.
    Cancelled,
}

impl ErrorKind {
    /// Stable upper-case name, used as the error code in the Node binding and in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "INVALID_INPUT",
            ErrorKind::Authentication => "AUTHENTICATION",
            ErrorKind::PermissionDenied => "PERMISSION_DENIED",
            ErrorKind::InsufficientBalance => "INSUFFICIENT_BALANCE",
            ErrorKind::InvalidRecipient => "INVALID_RECIPIENT",
            ErrorKind::NotFound => "NOT_FOUND",
            ErrorKind::Duplicate => "DUPLICATE",
            ErrorKind::DeliveryFailed => "DELIVERY_FAILED",
            ErrorKind::RateLimited => "RATE_LIMITED",
            ErrorKind::Api => "API_ERROR",
            ErrorKind::Timeout => "TIMEOUT",
            ErrorKind::Connection => "CONNECTION",
            ErrorKind::Tls => "TLS",
            ErrorKind::OutcomeUnknown => "OUTCOME_UNKNOWN",
            ErrorKind::UnexpectedResponse => "UNEXPECTED_RESPONSE",
            ErrorKind::InvalidSignature => "INVALID_SIGNATURE",
            ErrorKind::DuplicateSale => "DUPLICATE_SALE",
            ErrorKind::ReferenceConflict => "REFERENCE_CONFLICT",
            ErrorKind::StillPending => "STILL_PENDING",
            ErrorKind::Journal => "JOURNAL",
            ErrorKind::Cancelled => "CANCELLED",
        }
    }

    /// Every kind, in a stable order (used by bindings to build their tables).
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::InvalidInput,
        ErrorKind::Authentication,
        ErrorKind::PermissionDenied,
        ErrorKind::InsufficientBalance,
        ErrorKind::InvalidRecipient,
        ErrorKind::NotFound,
        ErrorKind::Duplicate,
        ErrorKind::DeliveryFailed,
        ErrorKind::RateLimited,
        ErrorKind::Api,
        ErrorKind::Timeout,
        ErrorKind::Connection,
        ErrorKind::Tls,
        ErrorKind::OutcomeUnknown,
        ErrorKind::UnexpectedResponse,
        ErrorKind::InvalidSignature,
        ErrorKind::DuplicateSale,
        ErrorKind::ReferenceConflict,
        ErrorKind::StillPending,
        ErrorKind::Journal,
        ErrorKind::Cancelled,
    ];

    /// Parse [`as_str`](Self::as_str) back (used by the journal).
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.iter().copied().find(|k| k.as_str() == name)
    }

    /// For the end of a send: true when this kind proves that the sale was NOT created (validation,
    /// authentication, balance, recipient, a refusal naming another sale …). A send returns such a kind only
    /// when no write of it can have been received, or the API refused it definitely.
    pub fn is_definitely_not_sent(self) -> bool {
        !matches!(
            self,
            ErrorKind::OutcomeUnknown | ErrorKind::StillPending | ErrorKind::InvalidSignature
        )
    }

    fn label(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid input",
            ErrorKind::Authentication => "authentication failed",
            ErrorKind::PermissionDenied => "permission denied",
            ErrorKind::InsufficientBalance => "insufficient balance",
            ErrorKind::InvalidRecipient => "invalid recipient",
            ErrorKind::NotFound => "not found",
            ErrorKind::Duplicate => "duplicate transaction",
            ErrorKind::DeliveryFailed => "delivery failed",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::Api => "api error",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connection => "connection error",
            ErrorKind::Tls => "tls error",
            ErrorKind::OutcomeUnknown => "outcome unknown",
            ErrorKind::UnexpectedResponse => "unexpected response",
            ErrorKind::InvalidSignature => "invalid webhook signature",
            ErrorKind::DuplicateSale => "refused as a duplicate sale",
            ErrorKind::ReferenceConflict => "reference conflict",
            ErrorKind::StillPending => "still pending",
            ErrorKind::Journal => "journal error",
            ErrorKind::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of every fallible call. Cheap to move (one box).
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    field: Option<String>,
    http_status: Option<u16>,
    api_code: Option<String>,
    request_id: Option<String>,
    reference: Option<String>,
    idempotency_key: Option<String>,
    transaction_id: Option<String>,
    retry_after: Option<Duration>,
    body: Option<String>,
    cause_kind: Option<ErrorKind>,
    status: Option<String>,
    existing_reference: Option<String>,
}

impl Error {
    /// A new error of `kind` with a short lowercase message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                field: None,
                http_status: None,
                api_code: None,
                request_id: None,
                reference: None,
                idempotency_key: None,
                transaction_id: None,
                retry_after: None,
                body: None,
                cause_kind: None,
                status: None,
                existing_reference: None,
            }),
        }
    }

    /// An [`ErrorKind::InvalidInput`] error naming `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        let mut e = Error::new(
            ErrorKind::InvalidInput,
            format!("{field}: {}", message.into()),
        );
        e.inner.field = Some(field);
        e
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    /// The message, without the kind prefix that `Display` adds.
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    /// For [`ErrorKind::InvalidInput`]: the name of the offending field (`phone_number`, `amount`, …).
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }
    /// The HTTP status of the answer, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        self.inner.http_status
    }
    /// The API's own code: a V2 `error.code` such as `INSUFFICIENT_BALANCE`, or a V1 `code` such as `20`.
    pub fn api_code(&self) -> Option<&str> {
        self.inner.api_code.as_deref()
    }
    /// The V2 `meta.request_id` of the answer, for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    /// For errors of a send: the reference that finds the transaction later (V2 `reference`, V1 `extRefId`).
    pub fn reference(&self) -> Option<&str> {
        self.inner.reference.as_deref()
    }
    /// For errors of a V2 send: the `Idempotency-Key` that was used.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.inner.idempotency_key.as_deref()
    }
    /// The transaction id, when the error concerns a known transaction (e.g. a wait that passed its deadline).
    pub fn transaction_id(&self) -> Option<&str> {
        self.inner.transaction_id.as_deref()
    }
    /// For [`ErrorKind::RateLimited`]: how long the server asked to wait.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }
    /// The response body (at most [`MAX_ERROR_BODY`] bytes), kept for diagnosis.
    pub fn body(&self) -> Option<&str> {
        self.inner.body.as_deref()
    }
    /// For [`ErrorKind::OutcomeUnknown`]: the kind of the last answer or failure that left the outcome open
    /// (a timeout, a 5xx, a lookup refused for lack of permission …). The message says more.
    pub fn cause_kind(&self) -> Option<ErrorKind> {
        self.inner.cause_kind
    }
    /// For [`ErrorKind::StillPending`]: the last status seen (`processing`, `PENDING` …).
    pub fn status(&self) -> Option<&str> {
        self.inner.status.as_deref()
    }
    /// For [`ErrorKind::DuplicateSale`] and [`ErrorKind::ReferenceConflict`]: the reference of the other,
    /// existing sale, when known.
    pub fn existing_reference(&self) -> Option<&str> {
        self.inner.existing_reference.as_deref()
    }
    /// True when the outcome of a send is unknown and must be reconciled.
    pub fn is_outcome_unknown(&self) -> bool {
        self.inner.kind == ErrorKind::OutcomeUnknown
    }

    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.inner.http_status = Some(status);
        self
    }
    pub(crate) fn with_api_code(mut self, code: Option<String>) -> Self {
        self.inner.api_code = code;
        self
    }
    pub(crate) fn with_request_id(mut self, id: Option<String>) -> Self {
        if id.is_some() {
            self.inner.request_id = id;
        }
        self
    }
    pub(crate) fn with_retry_after(mut self, d: Option<Duration>) -> Self {
        self.inner.retry_after = d;
        self
    }
    pub(crate) fn with_transaction_id(mut self, id: Option<String>) -> Self {
        self.inner.transaction_id = id;
        self
    }
    pub(crate) fn with_body(mut self, body: &[u8]) -> Self {
        self.inner.body = Some(truncate_body(body));
        self
    }
    /// Attach the idempotency handles of a send (done on every error a send returns).
    pub(crate) fn with_send_ref(mut self, reference: &str, idempotency_key: Option<&str>) -> Self {
        self.inner.reference = Some(reference.to_owned());
        self.inner.idempotency_key = idempotency_key.map(str::to_owned);
        self
    }
    pub(crate) fn with_cause_kind(mut self, kind: ErrorKind) -> Self {
        self.inner.cause_kind = Some(kind);
        self
    }
    pub(crate) fn with_status_text(mut self, status: Option<String>) -> Self {
        self.inner.status = status;
        self
    }
    pub(crate) fn with_existing(mut self, id: Option<String>, reference: Option<String>) -> Self {
        self.inner.transaction_id = id;
        self.inner.existing_reference = reference;
        self
    }
    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = message.into();
        self
    }
    pub(crate) fn set_message(&mut self, message: String) {
        self.inner.message = message;
    }
    pub(crate) fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.inner.kind = kind;
        self
    }
}

/// Keep at most [`MAX_ERROR_BODY`] bytes of a body, lossily decoded, cut at a character boundary.
pub(crate) fn truncate_body(body: &[u8]) -> String {
    let cut = &body[..body.len().min(MAX_ERROR_BODY)];
    let mut s = String::from_utf8_lossy(cut).into_owned();
    if body.len() > MAX_ERROR_BODY {
        s.push_str("…[truncated]");
    }
    s
}

impl Clone for Error {
    fn clone(&self) -> Self {
        Error {
            inner: self.inner.clone(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        write!(f, "{}: {}", i.kind.label(), i.message)?;
        let mut extra = Vec::new();
        if let Some(s) = i.http_status {
            extra.push(format!("http {s}"));
        }
        if let Some(c) = &i.api_code {
            extra.push(format!("code {c}"));
        }
        if let Some(r) = &i.request_id {
            extra.push(format!("request {r}"));
        }
        if let Some(r) = &i.reference {
            extra.push(format!("reference {r}"));
        }
        if !extra.is_empty() {
            write!(f, " ({})", extra.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &i.kind).field("message", &i.message);
        macro_rules! opt {
            ($name:ident) => {
                if let Some(v) = &i.$name {
                    d.field(stringify!($name), v);
                }
            };
        }
        opt!(field);
        opt!(http_status);
        opt!(api_code);
        opt!(request_id);
        opt!(reference);
        opt!(idempotency_key);
        opt!(transaction_id);
        opt!(retry_after);
        opt!(cause_kind);
        opt!(status);
        opt!(existing_reference);
        opt!(body);
        d.finish()
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_short_and_carries_context() {
        let e = Error::new(ErrorKind::InsufficientBalance, "wallet too low")
            .with_status(402)
            .with_api_code(Some("INSUFFICIENT_BALANCE".into()))
            .with_request_id(Some("req_abc".into()));
        assert_eq!(
            e.to_string(),
            "insufficient balance: wallet too low (http 402, code INSUFFICIENT_BALANCE, request req_abc)"
        );
    }

    #[test]
    fn invalid_names_the_field() {
        let e = Error::invalid("amount", "must be positive");
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(e.field(), Some("amount"));
        assert!(e.to_string().contains("amount: must be positive"));
    }

    #[test]
    fn bodies_are_truncated_on_char_boundaries() {
        let body = "é".repeat(MAX_ERROR_BODY);
        let s = truncate_body(body.as_bytes());
        assert!(s.ends_with("…[truncated]"));
        assert!(s.len() <= MAX_ERROR_BODY + 20);
    }
}
