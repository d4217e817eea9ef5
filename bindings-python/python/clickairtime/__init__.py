"""clickairtime: mobile airtime and data top-ups with the Click Airtime API (V1 and V2).

::

    from decimal import Decimal
    from clickairtime import V2Client

    client = V2Client(api_key, journal="sales.journal")
    client.recover()                                  # settle what a crash left open
    found = client.catalog.lookup("+233541112259")
    order = client.topups.prepare("+233541112259", found.network.id, amount=Decimal("50"), currency="GHS")
    save(order.reference)                             # known before anything is sent
    topup = client.topups.create(order)
    done = client.topups.wait(topup.id)

A top-up is sent at most once, and its outcome is always reported truthfully or recoverable: success only for
a record verified to be this sale; :class:`DuplicateSaleError` / :class:`ReferenceConflictError` when the API
holds another sale; :class:`OutcomeUnknownError` whenever it may have been received; any other error only
when it was definitely not sent. Async clients live in :mod:`clickairtime.aio`, webhook checks in
:mod:`clickairtime.webhooks`, the local emulator in :mod:`clickairtime.sandbox`. Diagnostics go to the
``clickairtime`` logger of :mod:`logging`.
"""

from __future__ import annotations

import atexit
import logging

from . import _native, errors, sandbox, webhooks
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
from .models import (
    AccountBalance,
    AvailableBalance,
    Balance,
    Bundle,
    Catalog,
    Country,
    CustomAirtime,
    ExchangeRate,
    JournalEntry,
    ListResult,
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
    SendOrigin,
    SendState,
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
    "to_e164",
    "to_msisdn",
    "new_reference",
    "idempotency_key_for",
    "is_definitely_not_sent",
    "DEFAULT_CONVERGENCE_BOUND",
    # errors
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
    "DuplicateSaleError",
    "ReferenceConflictError",
    "StillPendingError",
    "JournalError",
    "CancelledError",
    # models
    "AccountBalance",
    "AvailableBalance",
    "Balance",
    "Bundle",
    "Catalog",
    "Country",
    "CustomAirtime",
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
    "Provider",
    "RateLimit",
    "Recovery",
    "SendOrigin",
    "SendState",
    "Service",
    "Sms",
    "TopUp",
    "TopUpOrder",
    "Transaction",
    "TxWallet",
    "V1TopUpOrder",
    "Wallet",
    "WebhookEvent",
]


def to_e164(number: str) -> str:
    """A V1 msisdn (``233541112259``) or E.164 number as E.164 (``+233541112259``), validated. Spaces, dashes,
    dots and parentheses are removed; a leading ``00`` reads as ``+``."""
    return _native.to_e164(number)


def to_msisdn(number: str) -> str:
    """An E.164 number or msisdn as the V1 msisdn form (``233541112259``), validated."""
    return _native.to_msisdn(number)


# The core logs under the "clickairtime" logger; like any library, stay silent unless the app configures it.
logging.getLogger("clickairtime").addHandler(logging.NullHandler())
# No forwarding of records from worker threads once the interpreter is shutting down.
atexit.register(_native.set_log_forwarding, False)
