"""clickairtime: mobile airtime and data top-ups with the Click Airtime API (V1 and V2).

::

    from decimal import Decimal
    from clickairtime import V2Client

    with V2Client(journal="sales.journal") as client:     # the key from CLICKAIRTIME_API_KEY
        client.recover()                                  # settle what a crash left open
        found = client.catalog.lookup("+233 54 111 2259")
        order = client.topups.prepare(found.phone_number, found.network.id, amount=Decimal("50"), currency="GHS")
        save(order.reference)                             # known before anything is sent
        topup = client.topups.create(order)
        done = client.topups.wait(topup.id)

A top-up is sent at most once, and its outcome is always reported truthfully or recoverable: success only for
a record verified to be this sale; :class:`DuplicateSaleError` / :class:`ReferenceConflictError` when the API
holds another sale; :class:`OutcomeUnknownError` whenever it may have been received; any other error only
when it was definitely not sent. Async clients live in :mod:`clickairtime.aio`, webhook checks in
:mod:`clickairtime.webhooks`, the local emulator in :mod:`clickairtime.sandbox` (``python -m
clickairtime.sandbox`` runs it on its own), the ``clickairtime`` command in ``python -m clickairtime``.
Diagnostics go to the ``clickairtime`` logger of :mod:`logging`.
"""

from __future__ import annotations

import atexit
from typing import TYPE_CHECKING, Any, List, Optional

from . import _native, errors
from ._cancel import CancelToken
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
from .client import (
    DEFAULT_CONVERGENCE_BOUND,
    BalanceApi,
    CatalogApi,
    TopUpIterator,
    TopupsApi,
    V1Client,
    V2Client,
    idempotency_key_for,
    new_reference,
)
from .errors import (
    ApiError,
    ArgumentTypeError,
    AuthenticationError,
    CancelledError,
    ClickAirtimeError,
    ConnectionError,
    DeliveryFailedError,
    DuplicateError,
    DuplicateSaleError,
    InsufficientBalanceError,
    InvalidRecipientError,
    InvalidSignatureError,
    JournalError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    ReferenceConflictError,
    StillPendingError,
    TimeoutError,
    TlsError,
    UnexpectedResponseError,
    ValidationError,
    is_definitely_not_sent,
)

if TYPE_CHECKING:
    from . import aio, models, sandbox, webhooks
    from ._bulk_report import BulkReport, BulkRowError, BulkRowResult
    from ._policy import RateLimitPolicy

#: What is imported when first asked for (``clickairtime.X``), so that ``import clickairtime`` stays light:
#: the submodules, and the package's pure-Python records.
_LAZY = {
    "aio": None,
    "models": None,
    "sandbox": None,
    "webhooks": None,
    "BulkReport": "_bulk_report",
    "BulkRowError": "_bulk_report",
    "BulkRowResult": "_bulk_report",
    "RateLimitPolicy": "_policy",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module = _LAZY[name]
    value = importlib.import_module(f".{name if module is None else module}", __name__)
    if module is not None:
        value = getattr(value, name)
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(_LAZY))


__version__: str = _native.__version__

__all__ = [
    "__version__",
    "errors",
    "sandbox",
    "webhooks",
    "V2Client",
    "V1Client",
    "CatalogApi",
    "TopupsApi",
    "BalanceApi",
    "TopUpIterator",
    "CancelToken",
    "RateLimitPolicy",
    "to_e164",
    "to_msisdn",
    "new_reference",
    "idempotency_key_for",
    "is_definitely_not_sent",
    "DEFAULT_CONVERGENCE_BOUND",
    # errors
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
    # models
    "AccountBalance",
    "AvailableBalance",
    "Balance",
    "BulkOutcome",
    "BulkReport",
    "BulkRowError",
    "BulkRowResult",
    "Bundle",
    "BundleType",
    "Catalog",
    "Country",
    "CustomAirtime",
    "ErrorCode",
    "EventType",
    "ExchangeRate",
    "JournalEntry",
    "ListResult",
    "Meta",
    "Money",
    "Network",
    "NetworkRef",
    "Pagination",
    "Product",
    "Products",
    "ProductType",
    "Provider",
    "RateLimit",
    "Recovery",
    "SendOrigin",
    "SendState",
    "Service",
    "Sms",
    "TopUp",
    "TopUpOrder",
    "TopUpStatus",
    "Transaction",
    "TransactionState",
    "TxWallet",
    "V1TopUpOrder",
    "Wallet",
    "WalletStatus",
    "WalletType",
    "WebhookEvent",
]


def to_e164(number: str, country: Optional[str] = None) -> str:
    """A phone number as people type it, as E.164 (``+233541112259``), validated for its country with the
    core's port of libphonenumber. Spaces, dashes, dots, slashes and parentheses are removed; a leading ``00``
    reads as ``+``; digits without ``+`` read as an international number (a V1 msisdn). A national number
    (``"054 111 2259"``) needs its ``country`` (ISO 3166-1 alpha-2): ``to_e164("0541112259", "GH")``.
    :class:`ValidationError` (field ``phone_number``, or ``country``) quoting what was typed."""
    from ._convert import text_arg

    return _native.to_e164(text_arg("phone_number", number) or "", text_arg("country", country))


def to_msisdn(number: str) -> str:
    """An E.164 number or msisdn, formatted or not, as the V1 msisdn form (``233541112259``), validated."""
    from ._convert import text_arg

    return _native.to_msisdn(text_arg("msisdn", number) or "")


# The core logs under the "clickairtime" logger (the native layer adds a NullHandler to it when it first
# reads its level: like any library, silent unless the app configures logging).
# No forwarding of records from worker threads once the interpreter is shutting down.
atexit.register(_native.set_log_forwarding, False)
