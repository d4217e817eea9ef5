"""Typed results.

Every result is a frozen native class (defined once, in the Rust binding ``clickairtime._native``) with
attributes, a readable ``repr`` (fields that are ``None`` are left out), equality, pickling and :meth:`to_dict`. Amounts are :class:`decimal.Decimal` (exact, never float), times are timezone-aware
:class:`datetime.datetime`, both made on first access and then kept. The object a call returns also carries ``.meta`` (:class:`Meta`: request id, rate
limits, pagination, and for sends the reference, idempotency key, ``replayed`` and ``attempts``); lists come
as :class:`ListResult`, a ``list`` with ``.meta``.

Sends also have *orders* (:class:`TopUpOrder`, :class:`V1TopUpOrder`: what to send, with its reference and
idempotency key fixed before anything is sent) and, with a journal, :class:`JournalEntry` and
:class:`Recovery`.

Status and state values are the API's strings, typed as ``Literal`` unions (:data:`TopUpStatus`,
:data:`TransactionState`, …) so that a type checker catches ``t.status == "complete"``; a value this version
does not know is kept as received. ``is_terminal`` / ``is_success`` say what the core makes of them.

Field names are those of ``docs/SHAPES.md`` (the ``python`` column), generated from the Rust core: the same
fields as Rust, Node and C. :meth:`_Model.to_dict` gives JSON-ready values (amounts as exact decimal strings,
times as ISO 8601 text) and :meth:`_Model.to_json` the JSON text; ``Model.from_dict(d)`` reads such a dict
back.
"""

from __future__ import annotations

from ._bulk_report import BulkReport, BulkRowError, BulkRowResult
from ._list import ListResult
from ._native import (
    AccountBalance,
    AvailableBalance,
    Balance,
    Bundle,
    Catalog,
    Country,
    CustomAirtime,
    ExchangeRate,
    JournalEntry,
    Meta,
    Money,
    Network,
    NetworkRef,
    Pagination,
    Product,
    Products,
    Provider,
    RateLimit,
    Recovery,
    Service,
    Sms,
    TopUp,
    TopUpOrder,
    Transaction,
    TxWallet,
    V1TopUpOrder,
    Wallet,
    WebhookEvent,
)
from ._types import (
    BulkOutcome,
    BundleType,
    ErrorCode,
    EventType,
    ProductType,
    SendOrigin,
    SendState,
    TopUpStatus,
    TransactionState,
    WalletStatus,
    WalletType,
)

__all__ = [
    "Meta",
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
    "BulkRowResult",
    "BulkRowError",
    "BulkReport",
    "TopUpOrder",
    "V1TopUpOrder",
    "JournalEntry",
    "Recovery",
    "RateLimit",
    "Pagination",
    "ListResult",
    "Network",
    "ExchangeRate",
    "CustomAirtime",
    "Bundle",
    "Products",
    "Catalog",
    "Country",
    "Money",
    "NetworkRef",
    "Sms",
    "TopUp",
    "AvailableBalance",
    "Wallet",
    "Balance",
    "WebhookEvent",
    "TxWallet",
    "Provider",
    "Transaction",
    "Service",
    "Product",
    "AccountBalance",
]
