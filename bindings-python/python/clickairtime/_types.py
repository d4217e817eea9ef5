"""The API's status and state values, typed as ``Literal`` unions so that a type checker catches a typo
(``t.status == "complete"``); a value this version does not know is kept as received."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "SendOrigin",
    "SendState",
    "TopUpStatus",
    "TransactionState",
    "WalletType",
    "WalletStatus",
    "BundleType",
    "ProductType",
    "EventType",
    "ErrorCode",
    "BulkOutcome",
]

#: How the record of a successful send was obtained (``Meta.origin``): ``"created"`` by this call's write;
#: ``"recovered"``: our own write, found by a verified lookup after its answer was lost; ``"replayed"``: the API
#: already had this reference/key (sent before a crash, or by an earlier call) and its record was verified
#: to be this sale; ``"journal"``: the journal already held it as sent, nothing was written now.
SendOrigin = Literal["created", "recovered", "replayed", "journal"]

#: Where a send stands in the journal: ``"in_flight"`` (written down before its first write; its end is not
#: recorded: a crash, or it is running now), ``"sent"``, ``"not_sent"``, ``"refused"`` (the API holds
#: another sale), ``"unknown"`` (it may have been created; ``recover()`` settles it).
SendState = Literal["in_flight", "sent", "not_sent", "refused", "unknown"]

#: Status of a V2 top-up: ``completed`` and ``failed`` are the documented terminal states; ``refunded`` and
#: ``cancelled`` (seen in the guides) are terminal too.
TopUpStatus = Literal["pending", "processing", "completed", "failed", "refunded", "cancelled"]

#: State of a V1 transaction. Terminal: ``SUCCESS``, ``FAILED``, ``TIMEOUT``, ``UNDERLIVERED``, ``CANCELED``.
TransactionState = Literal["PENDING", "PROCESSING", "SUCCESS", "FAILED", "TIMEOUT", "UNDERLIVERED", "CANCELED"]

#: Kind of a V2 wallet.
WalletType = Literal["global", "local"]

#: Whether a V2 wallet can be used.
WalletStatus = Literal["active", "inactive"]

#: Kind of a V2 bundle.
BundleType = Literal["DATA", "AIRTIME", "VOICE", "SMS", "COMBO"]

#: Kind of a V1 product: a fixed amount, or an open amount (``amount`` required).
ProductType = Literal["FIXED_PRODUCT", "OPEN_PRODUCT"]

#: Event of a webhook delivery (the documented ``topup.*`` ones, and the guides' ``transaction.*`` variants).
EventType = Literal[
    "topup.processing",
    "topup.completed",
    "topup.failed",
    "transaction.completed",
    "transaction.failed",
    "transaction.pending",
]

#: The SDK's stable error codes (``ClickAirtimeError.code``, ``JournalEntry.error_kind``), the same in every
#: language; ``"PANIC"`` is a bug caught at the boundary.
ErrorCode = Literal[
    "INVALID_INPUT",
    "AUTHENTICATION",
    "PERMISSION_DENIED",
    "INSUFFICIENT_BALANCE",
    "INVALID_RECIPIENT",
    "NOT_FOUND",
    "DUPLICATE",
    "DELIVERY_FAILED",
    "RATE_LIMITED",
    "API_ERROR",
    "TIMEOUT",
    "CONNECTION",
    "TLS",
    "OUTCOME_UNKNOWN",
    "UNEXPECTED_RESPONSE",
    "INVALID_SIGNATURE",
    "DUPLICATE_SALE",
    "REFERENCE_CONFLICT",
    "STILL_PENDING",
    "JOURNAL",
    "CANCELLED",
    "PANIC",
]

#: How one row of a bulk run ended: ``sent`` (now, or on an earlier run: see ``origin``), ``not_sent``
#: (definitely not), ``refused`` (the API holds another sale), ``unknown`` (it may have been sent: do not send
#: it again; ``recover()`` / run again later), ``skipped`` (not attempted: the run was stopped first).
BulkOutcome = Literal["sent", "not_sent", "refused", "unknown", "skipped"]
