"""Exceptions of the clickairtime package.

Every failure is a :class:`ClickAirtimeError`. Its subclass says what kind of failure it is (one subclass per
error kind of the Rust core), so you can catch exactly what you handle::

    try:
        client.topups.create(...)
    except clickairtime.InsufficientBalanceError:
        ...  # top the wallet up
    except clickairtime.OutcomeUnknownError as e:
        ...  # NOT a failure: call client.topups.reconcile(e.reference) later

``.code`` is the core's stable code string (the same as the Node binding's ``.code``), ``.api_code`` the
API's own code (``INSUFFICIENT_BALANCE``, V1 ``20``). Messages never contain an API key or a V1 token.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple, Type

__all__ = [
    "ClickAirtimeError",
    "ValidationError",
    "AuthenticationError",
    "PermissionDeniedError",
    "InsufficientBalanceError",
    "InvalidRecipientError",
    "NotFoundError",
    "DuplicateError",
    "DeliveryFailedError",
    "RateLimitError",
    "ApiError",
    "TimeoutError",
    "ConnectionError",
    "TlsError",
    "OutcomeUnknownError",
    "UnexpectedResponseError",
    "InvalidSignatureError",
]


class ClickAirtimeError(Exception):
    """Base class of every error raised by clickairtime.

    Attributes:
        code: stable error code of the SDK, e.g. ``"INSUFFICIENT_BALANCE"``, ``"OUTCOME_UNKNOWN"``.
        message: the full, short, lower-case message (also ``str(error)``).
        http_status: HTTP status of the answer, when there was one.
        api_code: the API's own code (V2 ``error.code`` such as ``INSUFFICIENT_BALANCE``, V1 ``code`` such as
            ``"20"``), when it sent one.
        request_id: V2 ``meta.request_id`` of the answer, for support tickets.
        reference: for errors of a send: the reference that finds the transaction later (V2 ``reference``,
            V1 ``extRefId``).
        idempotency_key: for errors of a V2 send: the ``Idempotency-Key`` that was used.
        transaction_id: the transaction concerned, when known (e.g. a wait that passed its deadline).
        retry_after: for rate limits: seconds the server asked to wait, if it said.
        field: for :class:`ValidationError`: the name of the offending argument.
        body: the response body (at most 8 KiB), kept for diagnosis.
    """

    code: str = "CLICKAIRTIME_ERROR"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        http_status: Optional[int] = None,
        api_code: Optional[str] = None,
        request_id: Optional[str] = None,
        reference: Optional[str] = None,
        idempotency_key: Optional[str] = None,
        transaction_id: Optional[str] = None,
        retry_after: Optional[float] = None,
        field: Optional[str] = None,
        body: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.http_status = http_status
        self.api_code = api_code
        self.request_id = request_id
        self.reference = reference
        self.idempotency_key = idempotency_key
        self.transaction_id = transaction_id
        self.retry_after = retry_after
        self.field = field
        self.body = body

    def _details(self) -> Dict[str, Any]:
        return {
            "code": self.code,
            "http_status": self.http_status,
            "api_code": self.api_code,
            "request_id": self.request_id,
            "reference": self.reference,
            "idempotency_key": self.idempotency_key,
            "transaction_id": self.transaction_id,
            "retry_after": self.retry_after,
            "field": self.field,
            "body": self.body,
        }

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        extra = "".join(
            f", {k}={v!r}"
            for k, v in self._details().items()
            if v is not None and k in ("code", "http_status", "api_code", "request_id", "reference", "field")
        )
        return f"{type(self).__name__}({self.message!r}{extra})"

    def __reduce__(self) -> Tuple[Any, ...]:
        # keep the attributes across pickling (Celery, multiprocessing)
        return (_rebuild, (type(self), self.message, self._details()))


def _rebuild(cls: Type[ClickAirtimeError], message: str, details: Dict[str, Any]) -> ClickAirtimeError:
    return cls(message, **details)


class ValidationError(ClickAirtimeError, ValueError):
    """An argument was rejected before any network call; ``.field`` names it. Also a ``ValueError``."""

    code = "INVALID_INPUT"


class AuthenticationError(ClickAirtimeError):
    """The credentials were missing, malformed, unknown, expired or revoked (HTTP 401)."""

    code = "AUTHENTICATION"


class PermissionDeniedError(ClickAirtimeError):
    """The credentials are valid but not allowed to do this (missing permission, IP not allowed; HTTP 403)."""

    code = "PERMISSION_DENIED"


class InsufficientBalanceError(ClickAirtimeError):
    """The wallet or account balance is too low (V2 ``INSUFFICIENT_BALANCE``, V1 code 20)."""

    code = "INSUFFICIENT_BALANCE"


class InvalidRecipientError(ClickAirtimeError):
    """The API rejected the recipient number (V2 ``INVALID_PHONE_NUMBER``, V1 code 30)."""

    code = "INVALID_RECIPIENT"


class NotFoundError(ClickAirtimeError):
    """The top-up, network or wallet does not exist."""

    code = "NOT_FOUND"


class DuplicateError(ClickAirtimeError):
    """The API reported a duplicate that could not be resolved to an existing transaction."""

    code = "DUPLICATE"


class DeliveryFailedError(ClickAirtimeError):
    """The API reported that delivery of the top-up failed."""

    code = "DELIVERY_FAILED"


class RateLimitError(ClickAirtimeError):
    """Too many requests (HTTP 429); ``.retry_after`` says when to try again, if the server said."""

    code = "RATE_LIMITED"


class ApiError(ClickAirtimeError):
    """Any other error answer of the API; see ``.api_code`` and ``.http_status``."""

    code = "API_ERROR"


class TimeoutError(ClickAirtimeError):  # noqa: A001 - the documented name
    """Connecting or waiting for an answer took too long, or a wait passed its deadline."""

    code = "TIMEOUT"


class ConnectionError(ClickAirtimeError):  # noqa: A001 - the documented name
    """The connection could not be made, or was lost before a request was sent."""

    code = "CONNECTION"


class TlsError(ClickAirtimeError):
    """The TLS handshake or certificate verification failed."""

    code = "TLS"


class OutcomeUnknownError(ClickAirtimeError):
    """A top-up was sent but whether it was created cannot be known yet. It is NOT a failure.

    Nothing was re-sent blindly. ``.reference`` finds it later: ``client.topups.reconcile(e.reference)``
    (V2) or ``client.reconcile(e.reference)`` (V1).
    """

    code = "OUTCOME_UNKNOWN"


class UnexpectedResponseError(ClickAirtimeError):
    """The server answered something that is not the documented protocol; ``.body`` keeps it."""

    code = "UNEXPECTED_RESPONSE"


class InvalidSignatureError(ClickAirtimeError):
    """A webhook's signature or timestamp did not verify."""

    code = "INVALID_SIGNATURE"


#: Exception class of each core error code.
ERROR_CLASSES: Dict[str, Type[ClickAirtimeError]] = {
    cls.code: cls
    for cls in (
        ValidationError,
        AuthenticationError,
        PermissionDeniedError,
        InsufficientBalanceError,
        InvalidRecipientError,
        NotFoundError,
        DuplicateError,
        DeliveryFailedError,
        RateLimitError,
        ApiError,
        TimeoutError,
        ConnectionError,
        TlsError,
        OutcomeUnknownError,
        UnexpectedResponseError,
        InvalidSignatureError,
    )
}


def _from_native(details: Dict[str, Any]) -> ClickAirtimeError:
    """Build the exception for a core error (called by the native module)."""
    code = str(details.get("code") or "")
    cls = ERROR_CLASSES.get(code, ClickAirtimeError)
    return cls(
        str(details.get("message") or code.lower()),
        code=code or None,
        http_status=details.get("http_status"),
        api_code=details.get("api_code"),
        request_id=details.get("request_id"),
        reference=details.get("reference"),
        idempotency_key=details.get("idempotency_key"),
        transaction_id=details.get("transaction_id"),
        retry_after=details.get("retry_after"),
        field=details.get("field"),
        body=details.get("body"),
    )


def _invalid(field: str, message: str) -> ValidationError:
    """A validation error raised by the Python layer itself (type conversion), shaped like core's."""
    return ValidationError(f"invalid input: {field}: {message}", field=field)
