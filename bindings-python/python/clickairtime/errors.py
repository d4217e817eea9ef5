"""Exceptions of the clickairtime package.

Every failure is a :class:`ClickAirtimeError`. Its subclass says what kind of failure it is (one subclass per
error kind of the Rust core), so you can catch exactly what you handle::

    try:
        client.topups.create(...)
    except clickairtime.InsufficientBalanceError:
        ...  # nothing was sold: top the wallet up, then sell again
    except clickairtime.DuplicateSaleError as e:
        ...  # nothing was sold for this one: the API holds another sale (e.transaction_id)
    except clickairtime.OutcomeUnknownError as e:
        ...  # NOT a failure: do not sell again; client.recover() / reconcile(e.reference) later

The five ends of a send, the same in every language: success (a result whose ``meta.origin`` says how it was
obtained); *not sent* (any kind not listed next, e.g. :class:`InsufficientBalanceError`,
:class:`ConnectionError`, :class:`JournalError`); *refused for another sale* (:class:`DuplicateSaleError`,
:class:`ReferenceConflictError`); *still pending* (:class:`StillPendingError`, from waits only); *outcome
unknown* (:class:`OutcomeUnknownError`). :func:`is_definitely_not_sent` tells them apart by code.

``.code`` is the core's stable code string (the same as the Node binding's ``.code``), ``.api_code`` the
API's own code (``INSUFFICIENT_BALANCE``, V1 ``20``). Messages never contain an API key or a V1 token.

A Rust panic (a bug in the SDK) never escapes as pyo3's ``PanicException``: it is raised as a
:class:`ClickAirtimeError` with ``.code == "PANIC"``, or, inside a send once its reference is fixed, as an
:class:`OutcomeUnknownError` with that reference and ``.cause_kind == "PANIC"``.
"""

from __future__ import annotations

import builtins
import re
from typing import Any, Dict, List, Optional, Tuple, Type

__all__ = [
    "ClickAirtimeError",
    "ValidationError",
    "ArgumentTypeError",
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
    "DuplicateSaleError",
    "ReferenceConflictError",
    "StillPendingError",
    "JournalError",
    "CancelledError",
    "is_definitely_not_sent",
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
        transaction_id: the transaction concerned, when known: the one a wait was following
            (:class:`StillPendingError`), or the *other* sale the API holds (:class:`DuplicateSaleError`,
            :class:`ReferenceConflictError`).
        retry_after: for rate limits: seconds the server asked to wait, if it said.
        field: for :class:`ValidationError`: the name of the offending argument.
        body: the response body (at most 8 KiB, the client's own secrets scrubbed), kept for diagnosis.
        cause_kind: for :class:`OutcomeUnknownError`: the code of the last answer or failure that left the
            outcome open (``"TIMEOUT"``, ``"API_ERROR"``, ``"PERMISSION_DENIED"`` …).
        status: for :class:`StillPendingError`: the last status seen (``"processing"``, ``"PENDING"`` …).
        existing_reference: for :class:`DuplicateSaleError` and :class:`ReferenceConflictError`: the
            reference of the other, existing sale, when known.
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
        cause_kind: Optional[str] = None,
        status: Optional[str] = None,
        existing_reference: Optional[str] = None,
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
        self.cause_kind = cause_kind
        self.status = status
        self.existing_reference = existing_reference

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
            "cause_kind": self.cause_kind,
            "status": self.status,
            "existing_reference": self.existing_reference,
        }

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        extra = "".join(
            f", {k}={v!r}"
            for k, v in self._details().items()
            if v is not None
            and k
            in (
                "code",
                "http_status",
                "api_code",
                "request_id",
                "reference",
                "transaction_id",
                "existing_reference",
                "cause_kind",
                "status",
                "field",
            )
        )
        return f"{type(self).__name__}({self.message!r}{extra})"

    def __reduce__(self) -> Tuple[Any, ...]:
        # keep the attributes across pickling (Celery, multiprocessing)
        return (_rebuild, (type(self), self.message, self._details()))


def _rebuild(cls: Type[ClickAirtimeError], message: str, details: Dict[str, Any]) -> ClickAirtimeError:
    return cls(message, **details)


class ValidationError(ClickAirtimeError, ValueError):
    """An argument or setting was rejected before any network call; ``.field`` names it (``"amount"``,
    ``"phone_number"``, ``"api_key"`` …). Also a ``ValueError``.

    From ``bulk``: ``.row_errors`` lists every bad row (:class:`~clickairtime.BulkRowError`: ``line``,
    ``index``, ``field``, ``message``); the message lists them too. ``None`` otherwise."""

    code = "INVALID_INPUT"
    row_errors: Optional[List[Any]] = None


class ArgumentTypeError(ValidationError, TypeError):
    """An argument of the wrong type (text where a number belongs, a call given an order *and* fields …),
    refused before any network call; ``.field`` names it. A :class:`ValidationError` (code ``INVALID_INPUT``)
    that is also a ``TypeError``."""


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
    """The API reported a duplicate that could not be resolved to an existing transaction.

    Sends no longer raise it (they end in :class:`DuplicateSaleError`, :class:`ReferenceConflictError` or
    :class:`OutcomeUnknownError`); kept so the codes stay stable.
    """

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


class TimeoutError(ClickAirtimeError, builtins.TimeoutError):  # noqa: A001 - the documented name
    """Connecting or waiting for an answer took too long. (A wait that passes its deadline raises
    :class:`StillPendingError` instead: the transaction exists.) Also the builtin ``TimeoutError``, so
    ``except TimeoutError`` (and ``except OSError``) catches it."""

    code = "TIMEOUT"


class ConnectionError(ClickAirtimeError, builtins.ConnectionError):  # noqa: A001 - the documented name
    """The connection could not be made, or was lost before a request was sent. Also the builtin
    ``ConnectionError`` (an ``OSError``)."""

    code = "CONNECTION"


class TlsError(ClickAirtimeError):
    """The TLS handshake or certificate verification failed."""

    code = "TLS"


class OutcomeUnknownError(ClickAirtimeError):
    """A write of this top-up may have been received, and nothing settled it within ``send_deadline``. It is
    NOT a failure: do not sell it again and do not refund.

    Nothing was re-sent blindly. ``.reference`` and ``.idempotency_key`` identify it; ``.cause_kind`` and the
    message say what left it open. Settle it later: ``client.recover()`` (with a journal), or
    ``client.topups.reconcile(e.reference)`` (V2) / ``client.reconcile(e.reference)`` (V1). "Not found"
    proves it was never created only once the convergence bound (about 12 minutes) has passed since its last
    write; selling it again is safe then, with the same reference.
    """

    code = "OUTCOME_UNKNOWN"


class UnexpectedResponseError(ClickAirtimeError):
    """The server answered something that is not the documented protocol; ``.body`` keeps it."""

    code = "UNEXPECTED_RESPONSE"


class InvalidSignatureError(ClickAirtimeError):
    """A webhook's signature or timestamp did not verify."""

    code = "INVALID_SIGNATURE"


class DuplicateSaleError(ClickAirtimeError):
    """Definite: the API refused this sale as a duplicate of another, recent one (same phone, network and
    amount within its duplicate window; V1 code 50). This sale was NOT created.

    ``.transaction_id`` and ``.existing_reference`` name the other sale when the API said which. Tell the
    cashier that this number just received the same amount; sell again only if the customer really wants a
    second top-up (after the window).
    """

    code = "DUPLICATE_SALE"


class ReferenceConflictError(ClickAirtimeError):
    """Definite: this sale's reference already belongs to a different sale — at the API (V1 code 90, a V2
    409, a lookup whose record is another sale, several records with it) or in the journal. This sale was
    NOT created. ``.transaction_id`` / ``.existing_reference`` name the other one when known. Use a new
    reference for this sale.
    """

    code = "REFERENCE_CONFLICT"


class StillPendingError(ClickAirtimeError):
    """A wait reached its deadline: the transaction exists (``.transaction_id``; V1 ``.reference``) and was
    not terminal yet (``.status``). It was created and may still complete: never treat it as not sent. Tell
    the customer it is on its way; check again later (``get`` / ``wait``)."""

    code = "STILL_PENDING"


class JournalError(ClickAirtimeError):
    """The journal file could not be opened, read or written. Nothing was sent (raised before any write, or
    by ``pending()`` / ``recover()``)."""

    code = "JOURNAL"


class CancelledError(ClickAirtimeError):
    """The call was cancelled through a :class:`~clickairtime.CancelToken` (``cancel=``): a send before anything
    of it could be received (nothing was sent: :func:`is_definitely_not_sent` is true), a wait (it stopped
    polling; the transaction stands: ``.transaction_id``, last ``.status``), a listing, or a bulk run.

    Not an ``asyncio.CancelledError``: cancelling an asyncio *task* raises ``asyncio.CancelledError`` in it,
    as asyncio does everywhere (see :mod:`clickairtime.aio`)."""

    code = "CANCELLED"


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
        DuplicateSaleError,
        ReferenceConflictError,
        StillPendingError,
        JournalError,
        CancelledError,
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
        cause_kind=details.get("cause_kind"),
        status=details.get("status"),
        existing_reference=details.get("existing_reference"),
    )


def is_definitely_not_sent(error: BaseException) -> bool:
    """For an error raised by a send: ``True`` when it proves that the sale was NOT created (validation,
    authentication, balance, recipient, a refusal naming another sale, a journal error …), so nothing was
    sold. ``False`` for :class:`OutcomeUnknownError` and :class:`StillPendingError` (it may exist), for a
    panic, and for anything that is not a :class:`ClickAirtimeError`: when in doubt, the sale may exist."""
    if not isinstance(error, ClickAirtimeError):
        return False
    from . import _native

    return _native.is_definitely_not_sent(error.code) is True


def _invalid(field: str, message: str) -> ValidationError:
    """A validation error raised by the Python layer itself (type conversion), shaped like core's."""
    return ValidationError(f"invalid input: {field}: {message}", field=field)


def _wrong_type(field: str, message: str) -> ArgumentTypeError:
    """An argument of the wrong type, raised by the Python layer itself."""
    return ArgumentTypeError(f"invalid input: {field}: {message}", field=field)


_ARGUMENT = re.compile(r"argument '([^']+)': (.*)", re.S)
_NOTE = re.compile(r"while processing '([^']+)'")


def _from_conversion(e: BaseException) -> ValidationError:
    """pyo3's ``TypeError`` / ``OverflowError`` for an argument it could not convert as the package's error
    naming the argument (pyo3 names it in a note, ``while processing 'network_id'``, on Python 3.11+, or in
    the message). The Python layer checks the types of the public arguments itself; this is the net under it."""
    text = str(e)
    m = _ARGUMENT.match(text)
    field, detail = (m.group(1), m.group(2)) if m else ("argument", text)
    for note in getattr(e, "__notes__", None) or ():
        n = _NOTE.search(str(note))
        if n:
            field = n.group(1)
    field = {"metadata_json": "metadata", "ca_certificates_pem": "ca_certificates"}.get(field, field)
    if isinstance(e, OverflowError):
        return ValidationError(f"invalid input: {field}: out of range ({detail})", field=field)
    return ArgumentTypeError(f"invalid input: {field}: {detail}", field=field)
