"""clickairtime: mobile airtime and data top-ups with the Click Airtime API (V1 and V2).

::

    from decimal import Decimal
    from clickairtime import V2Client

    client = V2Client(api_key)
    found = client.catalog.lookup("+233541112259")
    topup = client.topups.create("+233541112259", found.network.id, amount=Decimal("50"), currency="GHS",
                                 reference="invoice-12345")
    done = client.topups.wait(topup.id)

A top-up is sent at most once, and its outcome is always reported or recoverable (see
:class:`OutcomeUnknownError`). Async clients live in :mod:`clickairtime.aio`, webhook checks in
:mod:`clickairtime.webhooks`, the local emulator in :mod:`clickairtime.sandbox`. Diagnostics go to the
``clickairtime`` logger of :mod:`logging`.
"""

from __future__ import annotations

import atexit
import logging

from . import _native, errors, sandbox, webhooks
from .client import BalanceApi, CatalogApi, TopUpIterator, TopupsApi, V1Client, V2Client
from .errors import (
    ApiError,
    AuthenticationError,
    ClickAirtimeError,
    ConnectionError,
    DeliveryFailedError,
    DuplicateError,
    InsufficientBalanceError,
    InvalidRecipientError,
    InvalidSignatureError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    TimeoutError,
    TlsError,
    UnexpectedResponseError,
    ValidationError,
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
    Service,
    Sms,
    TopUp,
    Transaction,
    TxWallet,
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
    # models
    "AccountBalance",
    "AvailableBalance",
    "Balance",
    "Bundle",
    "Catalog",
    "Country",
    "CustomAirtime",
    "ExchangeRate",
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
    "Service",
    "Sms",
    "TopUp",
    "Transaction",
    "TxWallet",
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
