"""Typed results.

Every result is a frozen dataclass with attributes, a readable ``repr`` (fields that are ``None`` are left out),
and :meth:`to_dict`. Amounts are :class:`decimal.Decimal` (exact, never float), times are timezone-aware
:class:`datetime.datetime`. The object a call returns also carries ``.meta`` (:class:`Meta`: request id, rate
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

import dataclasses
import datetime as _dt
import json as _json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import (
    Any,
    Callable,
    Dict,
    Generic,
    List,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

from . import _native
from ._convert import parse_datetime

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

M = TypeVar("M", bound="_Model")
T = TypeVar("T")

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

_HINTS: Dict[type, Dict[str, Any]] = {}


def _hints(cls: type) -> Dict[str, Any]:
    h = _HINTS.get(cls)
    if h is None:
        h = get_type_hints(cls)
        _HINTS[cls] = h
    return h


_Converter = Callable[[Any], Any]


def _to_decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _list_of(item: Optional[_Converter]) -> _Converter:
    if item is None:
        return list

    def convert(value: Any) -> List[Any]:
        return [None if v is None else item(v) for v in value]

    return convert


def _converter(tp: Any) -> Optional[_Converter]:
    """The conversion of a non-None JSON value to the type the annotation names; ``None`` when it is kept as is.

    A converter may still return ``None`` (a timestamp that does not parse).
    """
    origin = get_origin(tp)
    if origin is Union:
        args = [a for a in get_args(tp) if a is not type(None)]
        return _converter(args[0]) if len(args) == 1 else None
    if origin is list:
        (item,) = get_args(tp)
        return _list_of(_converter(item))
    if tp is Decimal:
        return _to_decimal
    if tp is _dt.datetime:
        return parse_datetime
    if isinstance(tp, type) and issubclass(tp, _Model):
        return tp._from_wire
    return None


# How a field is filled when the wire has no value for it (key missing, or null after conversion).
_REQUIRED, _DEFAULT, _FACTORY = 0, 1, 2
_MISSING: Any = object()

#: Per class, resolved once from its fields and type hints: (attribute, wire key, converter, kind, default).
_Plan = Tuple[Tuple[str, str, Optional[_Converter], int, Any], ...]
_PLANS: Dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        if hasattr(cls, "__post_init__"):  # _from_wire builds objects without calling __init__
            raise TypeError(f"{cls.__name__}: a result model must not define __post_init__")
        hints = _hints(cls)
        entries = []
        for f in dataclasses.fields(cls):
            if f.default_factory is not dataclasses.MISSING:
                kind, default = _FACTORY, f.default_factory
            elif f.default is not dataclasses.MISSING:
                kind, default = _DEFAULT, f.default
            else:
                kind, default = _REQUIRED, None
            entries.append((f.name, f.metadata.get("wire", f.name), _converter(hints[f.name]), kind, default))
        plan = tuple(entries)
        _PLANS[cls] = plan
    return plan


def _plain(value: Any) -> Any:
    """A value as JSON-ready data: models as dicts, Decimal as its exact text, datetime/date as ISO 8601."""
    if isinstance(value, _Model):
        return value.to_dict()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Model:
    """Base of every result: conversion from the core's JSON, repr, to_dict, meta."""

    @classmethod
    def _from_wire(cls: Type[M], data: Mapping[str, Any]) -> M:
        if type(data) is not dict:
            return cls._from_any_mapping(data)
        plan = _PLANS.get(cls) or _plan(cls)
        values: Dict[str, Any] = {}
        get = data.get
        for name, key, conv, kind, default in plan:
            value = get(key, _MISSING)
            if value is _MISSING:
                if kind == _DEFAULT:
                    values[name] = default
                elif kind == _FACTORY:
                    values[name] = default()
                else:
                    return cls._from_any_mapping(data)
                continue
            if value is not None and conv is not None:
                value = conv(value)
            if value is not None or kind == _DEFAULT:
                # a null the API sends for a field with a plain default is kept as None
                values[name] = value
            elif kind == _FACTORY:
                values[name] = default()
            else:
                return cls._from_any_mapping(data)
        # what the frozen dataclass __init__ would do (no __post_init__ on any model), without its per-field
        # object.__setattr__ calls
        obj: M = object.__new__(cls)
        obj.__dict__.update(values)
        return obj

    @classmethod
    def _from_any_mapping(cls: Type[M], data: Mapping[str, Any]) -> M:
        """The plain way, through the dataclass constructor: for a value that is not a dict, and for a required
        field that is missing or null (the constructor raises its usual TypeError)."""
        kwargs: Dict[str, Any] = {}
        for name, key, conv, kind, _default in _plan(cls):
            if key in data:
                value = data[key]
                if value is not None and conv is not None:
                    value = conv(value)
                if value is None and kind != _DEFAULT:
                    continue
                kwargs[name] = value
        return cls(**kwargs)

    @property
    def meta(self) -> Optional[Meta]:
        """Request id, rate limits, pagination and send handles of the call that returned this object."""
        m: Optional[Meta] = self.__dict__.get("_meta")
        return m

    def _with_meta(self: M, meta: Optional[Meta]) -> M:
        object.__setattr__(self, "_meta", meta)
        return self

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a JSON-ready dict: nested results as dicts, amounts (``Decimal``) as their exact decimal
        text (``"12.50"``), times as ISO 8601 text. ``json.dumps(x.to_dict())`` works; ``Model.from_dict(d)``
        reads it back."""
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON text (``kwargs`` go to :func:`json.dumps`, e.g. ``indent=2``)."""
        return _json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls: Type[M], data: Mapping[str, Any]) -> M:
        """Rebuild a result (or an order) from :meth:`to_dict`'s output or the API's JSON: decimal text becomes
        ``Decimal``, ISO 8601 text an aware ``datetime``, nested dicts their models."""
        return cls._from_wire(dict(data))

    def __repr__(self) -> str:
        parts = []
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            v = getattr(self, f.name)
            if v is None or (isinstance(v, (list, dict)) and not v and f.default_factory is not dataclasses.MISSING):
                continue
            parts.append(f"{f.name}={v!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


class ListResult(List[T]):
    """A list of results that also carries the :class:`Meta` of the call (``.meta``, ``.pagination``)."""

    def __init__(self, items: List[T], meta: Optional[Meta] = None) -> None:
        super().__init__(items)
        self.meta = meta

    @property
    def pagination(self) -> Optional[Pagination]:
        return self.meta.pagination if self.meta is not None else None

    def to_list(self) -> List[Any]:
        """The items as JSON-ready dicts (see :meth:`TopUp.to_dict`)."""
        return [_plain(v) for v in self]

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_list` as JSON text."""
        return _json.dumps(self.to_list(), **kwargs)


# --------------------------------------------------------------------------------------------- meta


@dataclass(frozen=True, repr=False)
class RateLimit(_Model):
    """The ``X-RateLimit-*`` headers of an answer."""

    limit: Optional[int] = None
    remaining: Optional[int] = None
    #: Unix time (seconds) when the window resets.
    reset: Optional[int] = None

    @property
    def reset_at(self) -> Optional[_dt.datetime]:
        """``reset`` as an aware datetime."""
        return None if self.reset is None else _dt.datetime.fromtimestamp(self.reset, _dt.timezone.utc)


@dataclass(frozen=True, repr=False)
class Pagination(_Model):
    """``meta.pagination`` of a V2 list answer."""

    page: int = 0
    per_page: int = 0
    total: int = 0
    total_pages: int = 0
    has_next: bool = False
    has_prev: bool = False


@dataclass(frozen=True, repr=False)
class Meta(_Model):
    """Everything about an answer that is not its data."""

    http_status: int = 0
    request_id: Optional[str] = None
    timestamp: Optional[_dt.datetime] = None
    rate_limit: Optional[RateLimit] = None
    pagination: Optional[Pagination] = None
    #: For sends: the reference that finds the transaction (V2 ``reference``, V1 ``extRefId``).
    reference: Optional[str] = None
    #: For V2 sends: the ``Idempotency-Key`` that was sent.
    idempotency_key: Optional[str] = None
    #: For sends: the record is this sale's but was not created by the answer to this call's first write
    #: (``origin`` is ``recovered``, ``replayed`` or ``journal``). Never true for another sale's record: that
    #: is a :class:`~clickairtime.DuplicateSaleError` or :class:`~clickairtime.ReferenceConflictError`.
    replayed: bool = False
    #: For sends: how the record, verified to be this sale, was obtained (see :data:`SendOrigin`).
    origin: Optional[SendOrigin] = None
    #: For sends: how many times the request was written to the network (0 when the journal answered).
    attempts: int = 0


# --------------------------------------------------------------------------------------------- V2 catalog


@dataclass(frozen=True, repr=False)
class Network(_Model):
    """A mobile network operator."""

    id: int
    name: str = ""
    country: Optional[str] = None
    country_code: Optional[str] = None
    currency: Optional[str] = None
    logo_url: Optional[str] = None
    product_count: Optional[int] = None
    supports_custom_airtime: Optional[bool] = None


@dataclass(frozen=True, repr=False)
class ExchangeRate(_Model):
    """Exchange rate between the wallet (USD) and the local currency."""

    source_currency: Optional[str] = None
    destination_currency: Optional[str] = None
    rate: Optional[Decimal] = None


@dataclass(frozen=True, repr=False)
class CustomAirtime(_Model):
    """Free-amount airtime limits of a network."""

    available: bool = False
    min_amount_local: Optional[Decimal] = None
    max_amount_local: Optional[Decimal] = None
    local_currency: Optional[str] = None


@dataclass(frozen=True, repr=False)
class Bundle(_Model):
    """A fixed bundle (data, airtime …) with a price."""

    id: str
    name: str = ""
    #: ``DATA``, ``AIRTIME``, ``VOICE``, ``SMS``, ``COMBO`` (or a value as received).
    bundle_type: BundleType = field(default="DATA")
    price_usd: Optional[Decimal] = None
    local_value: Optional[str] = None
    local_amount: Optional[Decimal] = None
    local_currency: Optional[str] = None


@dataclass(frozen=True, repr=False)
class Products(_Model):
    """Products of a network."""

    custom_airtime: Optional[CustomAirtime] = None
    fixed_bundles: List[Bundle] = field(default_factory=list)


@dataclass(frozen=True, repr=False)
class Catalog(_Model):
    """Answer of a lookup or a products query: the network, its rate and its products."""

    network: Network
    phone_number: Optional[str] = None
    exchange_rate: Optional[ExchangeRate] = None
    products: Products = field(default_factory=Products)


@dataclass(frozen=True, repr=False)
class Country(_Model):
    """A supported country."""

    country_code: Optional[str] = None
    name: Optional[str] = None
    currency: Optional[str] = None
    networks: List[Network] = field(default_factory=list)


# --------------------------------------------------------------------------------------------- V2 top-ups


@dataclass(frozen=True, repr=False)
class Money(_Model):
    """An exact amount with its currency."""

    value: Decimal
    currency: str = ""


@dataclass(frozen=True, repr=False)
class NetworkRef(_Model):
    """The network of a top-up."""

    id: int
    name: Optional[str] = None
    country: Optional[str] = None
    country_code: Optional[str] = None


@dataclass(frozen=True, repr=False)
class Sms(_Model):
    """SMS notification settings of a top-up."""

    enabled: bool = False
    message: Optional[str] = None


@dataclass(frozen=True, repr=False)
class TopUp(_Model):
    """A V2 top-up transaction."""

    id: str
    #: ``pending``, ``processing``, ``completed``, ``failed`` (also ``refunded``, ``cancelled``), or a value
    #: this version does not know, as received.
    status: TopUpStatus
    phone_number: Optional[str] = None
    network: Optional[NetworkRef] = None
    #: Local amount delivered.
    amount: Optional[Money] = None
    #: What the wallet was charged (USD).
    cost: Optional[Money] = None
    product_id: Optional[str] = None
    product_name: Optional[str] = None
    sms: Optional[Sms] = None
    reference: Optional[str] = None
    provider_reference: Optional[str] = None
    failure_reason: Optional[str] = None
    metadata: Optional[Dict[str, Any]] = None
    created_at: Optional[_dt.datetime] = None
    completed_at: Optional[_dt.datetime] = None

    @property
    def is_terminal(self) -> bool:
        """Whether the status will not change any more (completed, failed, refunded, cancelled)."""
        return _native.topup_status_info(self.status)[1]

    @property
    def is_success(self) -> bool:
        """Whether the airtime was delivered."""
        return _native.topup_status_info(self.status)[2]


# --------------------------------------------------------------------------------------------- V2 balance


@dataclass(frozen=True, repr=False)
class AvailableBalance(_Model):
    """Total across wallets, in USD."""

    amount: Decimal
    currency: str = ""


@dataclass(frozen=True, repr=False)
class Wallet(_Model):
    """One wallet."""

    id: str
    balance: Decimal
    currency: str = ""
    #: ``global``, ``local`` (or as received).
    wallet_type: WalletType = field(default="global")
    #: ``active``, ``inactive`` (or as received).
    status: WalletStatus = "active"
    allowed_countries: List[str] = field(default_factory=list)


@dataclass(frozen=True, repr=False)
class Balance(_Model):
    """Every wallet and the USD total."""

    available_balance: Optional[AvailableBalance] = None
    wallets: List[Wallet] = field(default_factory=list)


# --------------------------------------------------------------------------------------------- webhooks


@dataclass(frozen=True, repr=False)
class WebhookEvent(_Model):
    """A parsed webhook delivery."""

    #: ``topup.completed``, ``topup.failed``, ``topup.processing`` (or a guide variant, or as received).
    event_type: EventType
    id: Optional[str] = None
    timestamp: Optional[str] = None
    #: The top-up, when the payload carries one in the V2 shape.
    topup: Optional[TopUp] = None
    #: The payload's data (or the whole body when it is not wrapped), as received.
    data: Any = None


# --------------------------------------------------------------------------------------------- V1


@dataclass(frozen=True, repr=False)
class TxWallet(_Model):
    """What the wallet was debited for a V1 transaction."""

    currency: Optional[str] = None
    amount: Optional[Decimal] = None
    fx_rate: Optional[Decimal] = field(default=None)


@dataclass(frozen=True, repr=False)
class Provider(_Model):
    """Provider references of a V1 transaction."""

    transaction_id: Optional[str] = None
    reference_code: Optional[str] = None


@dataclass(frozen=True, repr=False)
class Transaction(_Model):
    """A V1 transaction: the answer of a send or one record of a lookup."""

    #: ``PENDING``, ``PROCESSING``, ``SUCCESS``, ``FAILED``, ``TIMEOUT``, ``UNDERLIVERED``, ``CANCELED`` (or as
    #: received).
    state: TransactionState
    transaction_id: Optional[str] = field(default=None)
    #: Legacy delivered flag.
    status: Optional[bool] = None
    msisdn: Optional[str] = None
    network: Optional[str] = None
    country: Optional[str] = None
    amount: Optional[Decimal] = None
    topup_amount: Optional[Decimal] = field(default=None)
    effective_amount: Optional[Decimal] = field(default=None)
    currency: Optional[str] = None
    ext_ref_id: Optional[str] = field(default=None)
    account_id: Optional[str] = field(default=None)
    wallet: Optional[TxWallet] = None
    provider: Optional[Provider] = None
    #: Envelope ``code`` of the answer this came from (1, 232, 10, 5, 160, 170 …).
    code: Optional[int] = None
    message: Optional[str] = None

    @property
    def delivered_amount(self) -> Optional[Decimal]:
        """``amount``, or the ``TopupAmount`` alias some answers carry."""
        return self.amount if self.amount is not None else self.topup_amount

    @property
    def is_terminal(self) -> bool:
        """Whether the state will not change any more."""
        return _native.transaction_state_info(self.state)[1]

    @property
    def is_success(self) -> bool:
        """Whether the airtime was delivered."""
        return _native.transaction_state_info(self.state)[2]


@dataclass(frozen=True, repr=False)
class Service(_Model):
    """A V1 service (provider) with products for the account."""

    service_id: int = field()
    provider_name: str = field(default="")


@dataclass(frozen=True, repr=False)
class Product(_Model):
    """A V1 product."""

    id: int
    name: Optional[str] = None
    #: ``FIXED_PRODUCT``, ``OPEN_PRODUCT`` (or as received).
    product_type: Optional[ProductType] = field(default=None)
    amount: Optional[Decimal] = None
    currency: Optional[str] = None
    service_id: Optional[str] = field(default=None)
    description: Optional[str] = None


@dataclass(frozen=True, repr=False)
class AccountBalance(_Model):
    """Balance of one V1 service account."""

    balance: Decimal
    account_id: Optional[str] = field(default=None)
    service_name: Optional[str] = field(default=None)
    service_country: Optional[str] = field(default=None)
    currency: Optional[str] = None


# --------------------------------------------------------------------------------------------- orders


@dataclass(frozen=True, repr=False)
class TopUpOrder(_Model):
    """A V2 top-up to send, with its handles fixed: made by ``client.topups.prepare(...)`` (validated; the
    reference generated if you gave none, the idempotency key derived from it) and sent by
    ``client.topups.create(order)``.

    Persist ``reference`` (or the whole order: :meth:`to_dict`, then ``TopUpOrder(**saved)``) before you
    send. Sending the same order again — after a crash, or after ``reconcile`` found nothing once the
    convergence bound had passed — is recognised as the same sale by the journal, by the API (same
    ``Idempotency-Key``) and by the verified lookup.
    """

    phone_number: str
    network_id: int
    amount: Optional[Decimal] = None
    currency: Optional[str] = None
    product_id: Optional[str] = None
    sms: Optional[bool] = None
    sms_message: Optional[str] = None
    reference: Optional[str] = None
    callback_url: Optional[str] = None
    metadata: Optional[Dict[str, Any]] = None
    idempotency_key: Optional[str] = None


@dataclass(frozen=True, repr=False)
class V1TopUpOrder(_Model):
    """A V1 top-up to send, with its ``ext_ref_id`` fixed: made by ``client.prepare_topup(...)`` (validated;
    the reference generated if you gave none) and sent by ``client.send_topup(order)``. Persist
    ``ext_ref_id`` before you send (see :class:`TopUpOrder`)."""

    msisdn: str
    amount: Optional[Decimal] = None
    product_id: Optional[int] = None
    ext_ref_id: Optional[str] = None
    processing_mode: str = "SYNC"
    send_sms: bool = False

    @property
    def reference(self) -> Optional[str]:
        """``ext_ref_id``, under the name V2 uses."""
        return self.ext_ref_id


# --------------------------------------------------------------------------------------------- journal

R = TypeVar("R", "TopUp", "Transaction")


def _ms_datetime(ms: Optional[int]) -> Optional[_dt.datetime]:
    if ms is None:
        return None
    return _dt.datetime.fromtimestamp(ms / 1000.0, _dt.timezone.utc)


@dataclass(frozen=True, repr=False)
class JournalEntry(_Model, Generic[R]):
    """One send as the journal holds it (``client.pending()``, ``client.journal_entry(reference)``,
    ``Recovery.entry``). ``R`` is :class:`TopUp` for a V2 client, :class:`Transaction` for V1."""

    #: ``"v1"`` or ``"v2"``.
    api: Literal["v1", "v2"]
    #: The sale's reference (V2 ``reference``, V1 ``extRefId``).
    reference: str
    #: Where it stands (see :data:`SendState`).
    state: SendState
    #: Writes started (each written down before it left).
    writes: int
    #: The request body, exactly as written (JSON text).
    request: str
    created_at: _dt.datetime
    updated_at: _dt.datetime
    #: The V2 ``Idempotency-Key``.
    idempotency_key: Optional[str] = None
    #: The API's transaction id (``sent``), or the other sale's (``refused``), when known.
    transaction_id: Optional[str] = None
    #: Last status seen.
    status: Optional[str] = None
    #: Code of the recorded error (``"OUTCOME_UNKNOWN"``, ``"INSUFFICIENT_BALANCE"`` …), if the send ended in one.
    error_kind: Optional[ErrorCode] = None
    error_message: Optional[str] = None
    #: The verified record (``sent``), typed.
    record: Optional[R] = None
    #: When the last write started, if any did.
    last_write_at: Optional[_dt.datetime] = None

    @property
    def is_open(self) -> bool:
        """Whether it still needs settling (``in_flight`` or ``unknown``): do not sell it again."""
        return self.state in ("in_flight", "unknown")

    @classmethod
    def _from_native(cls, raw: Mapping[str, Any], record_cls: Type[R]) -> "JournalEntry[R]":
        record_text = raw.get("record")
        record: Optional[R] = None
        if record_text:
            import json

            try:
                record = record_cls._from_wire(json.loads(record_text))
            except (ValueError, TypeError, KeyError):
                record = None
        created = _ms_datetime(raw["created_at"])
        updated = _ms_datetime(raw["updated_at"])
        assert created is not None and updated is not None
        return cls(
            api=raw["api"],
            reference=raw["reference"],
            state=raw["state"],
            writes=int(raw["writes"]),
            request=raw["request"],
            created_at=created,
            updated_at=updated,
            idempotency_key=raw.get("idempotency_key"),
            transaction_id=raw.get("transaction_id"),
            status=raw.get("status"),
            error_kind=raw.get("error_kind"),
            error_message=raw.get("error_message"),
            record=record,
            last_write_at=_ms_datetime(raw.get("last_write_at")),
        )


@dataclass(frozen=True, repr=False)
class Recovery(_Model, Generic[R]):
    """What ``client.recover()`` did with one open journal entry: ``entry`` after recovery (its ``state``
    says the outcome: ``sent``, ``not_sent``, ``refused``, or still ``unknown`` / ``in_flight``) and, when it
    is now sent, ``record``: the verified :class:`TopUp` / :class:`Transaction` (with ``.meta``, origin
    ``"recovered"``)."""

    entry: JournalEntry[R]
    record: Optional[R] = None

    @property
    def reference(self) -> str:
        return self.entry.reference

    @property
    def state(self) -> SendState:
        return self.entry.state

    @property
    def transaction_id(self) -> Optional[str]:
        return self.entry.transaction_id


# --------------------------------------------------------------------------------------------- bulk


def _money_text(text: Optional[str]) -> Optional[Money]:
    """``"50 GHS"`` (the report's form of an amount) as a :class:`Money`; ``None`` when absent or unreadable."""
    if not text:
        return None
    value, _, currency = text.strip().partition(" ")
    try:
        return Money(value=Decimal(value), currency=currency.strip())
    except ArithmeticError:
        return None


@dataclass(frozen=True, repr=False)
class BulkRowError(_Model):
    """One bad row of a bulk input (``ValidationError.row_errors``): nothing was sent."""

    #: The line in the file (the header is line 1; blank lines count, as an editor shows them).
    line: int
    #: The column at fault (``phone``, ``amount``, ``currency``, ``reference`` …, or ``header``).
    field: str
    #: What is wrong.
    message: str
    #: The row's position among the input's rows, from 0 (``line - 2``; for a list of rows, its index);
    #: ``None`` for the header.
    index: Optional[int] = None


@dataclass(frozen=True, repr=False)
class BulkRowResult(_Model):
    """How one row of a bulk run ended (one line of the report CSV)."""

    #: The row's line in the file, the header being line 1 (for a list of rows: ``rows[i]`` is line ``i + 2``).
    line: int
    #: The sale's reference (the file's, or derived from the file's name, the line and the sale).
    reference: str
    #: ``sent``, ``not_sent``, ``refused``, ``unknown`` or ``skipped`` (see :data:`BulkOutcome`).
    outcome: BulkOutcome
    #: For a sent row: how its record was obtained (``journal`` on a rerun: nothing was written).
    origin: Optional[SendOrigin] = None
    #: The transaction's id (sent), or the other sale's (refused).
    transaction_id: Optional[str] = None
    #: The record's status (V2) or state (V1).
    status: Optional[str] = None
    #: What was delivered (or asked for, when it was not sent).
    amount: Optional[Money] = None
    #: What the wallet was charged (V2 ``cost``, V1 ``effectiveAmount``).
    cost: Optional[Money] = None
    #: The error's code, when the row was not sent.
    error_kind: Optional[ErrorCode] = None
    #: The error's message.
    error: Optional[str] = None

    @property
    def id(self) -> Optional[str]:
        """``transaction_id`` (the report CSV's ``id`` column)."""
        return self.transaction_id

    @property
    def index(self) -> int:
        """The row's position among the input's rows, from 0 (``line - 2``; for a list of rows, its index)."""
        return self.line - 2

    @classmethod
    def _from_native(cls, raw: Mapping[str, Any]) -> "BulkRowResult":
        return cls(
            line=int(raw["line"]),
            reference=raw["reference"],
            outcome=raw["outcome"],
            origin=raw.get("origin"),
            transaction_id=raw.get("transaction_id"),
            status=raw.get("status"),
            amount=_money_text(raw.get("amount")),
            cost=_money_text(raw.get("cost")),
            error_kind=raw.get("error_kind"),
            error=raw.get("error"),
        )


@dataclass(frozen=True, repr=False)
class BulkReport(_Model):
    """What a bulk run did, one :class:`BulkRowResult` per row in file order (``client.bulk(...)``).

    ``ok`` when every row is sent (now or on an earlier run); the counts say what is left: rows ``not_sent``,
    ``unknown`` or ``skipped`` are safe to run again with the same file and journal (nothing is paid twice).
    """

    rows: List[BulkRowResult] = field(default_factory=list)
    #: ``"v1"`` or ``"v2"``.
    api: Literal["v1", "v2"] = "v2"
    #: The run was stopped (Ctrl-C, a cancel token, a failing progress callback) before every row was taken.
    stopped: bool = False

    def count(self, outcome: BulkOutcome) -> int:
        """Rows that ended so."""
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def counts(self) -> Dict[str, int]:
        """Rows per outcome: ``{"sent": …, "not_sent": …, "refused": …, "unknown": …, "skipped": …}``."""
        out = {o: 0 for o in get_args(BulkOutcome)}
        for r in self.rows:
            out[r.outcome] = out.get(r.outcome, 0) + 1
        return out

    @property
    def sent(self) -> int:
        return self.count("sent")

    @property
    def not_sent(self) -> int:
        return self.count("not_sent")

    @property
    def refused(self) -> int:
        return self.count("refused")

    @property
    def unknown(self) -> int:
        return self.count("unknown")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def ok(self) -> bool:
        """Every row is sent (now, or on an earlier run)."""
        return all(r.outcome == "sent" for r in self.rows)

    def totals(self) -> Dict[str, Decimal]:
        """What the sent rows delivered, per currency (``amount``)."""
        out: Dict[str, Decimal] = {}
        for r in self.rows:
            if r.outcome == "sent" and r.amount is not None:
                out[r.amount.currency] = out.get(r.amount.currency, Decimal(0)) + r.amount.value
        return out

    def to_csv(self) -> str:
        """The report as CSV, as the core writes it (and the ``clickairtime bulk`` command): ``row, reference,
        outcome, origin, id, status, amount, cost, error_kind, error``."""
        text: Optional[str] = self.__dict__.get("_csv")
        if text is not None:
            return text
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["row", "reference", "outcome", "origin", "id", "status", "amount", "cost", "error_kind", "error"])

        def money(m: Optional[Money]) -> str:
            return "" if m is None else f"{m.value} {m.currency}".strip()

        for r in self.rows:
            w.writerow([r.line, r.reference, r.outcome, r.origin or "", r.transaction_id or "", r.status or "",
                        money(r.amount), money(r.cost), r.error_kind or "", r.error or ""])
        return buf.getvalue()

    @classmethod
    def _from_native(cls, api: str, raw: Mapping[str, Any], stopped: bool) -> "BulkReport":
        report = cls(
            rows=[BulkRowResult._from_native(r) for r in raw["rows"]],
            api="v1" if api == "v1" else "v2",
            stopped=stopped,
        )
        object.__setattr__(report, "_csv", raw.get("csv") or "")
        return report

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.counts.items() if v)
        return f"BulkReport({self.api}, {len(self.rows)} rows: {counts or 'none'}{', stopped' if self.stopped else ''})"


# --------------------------------------------------------------------------------------------- helpers


def _meta(raw: Mapping[str, Any]) -> Meta:
    return Meta._from_wire(raw.get("meta") or {})


def _one(cls: Type[M], raw: Mapping[str, Any]) -> M:
    """``{"data": {...}, "meta": {...}}`` as a typed object with ``.meta``."""
    return cls._from_wire(raw["data"])._with_meta(_meta(raw))


def _many(cls: Type[M], raw: Mapping[str, Any]) -> ListResult[M]:
    """``{"data": [...], "meta": {...}}`` as a ListResult."""
    return ListResult([cls._from_wire(d) for d in raw["data"]], _meta(raw))


def _entry(cls: Type[R], raw: Optional[Mapping[str, Any]]) -> Optional[JournalEntry[R]]:
    return None if raw is None else JournalEntry._from_native(raw, cls)


def _entries(cls: Type[R], raw: Sequence[Mapping[str, Any]]) -> List[JournalEntry[R]]:
    return [JournalEntry._from_native(e, cls) for e in raw]


def _recoveries(cls: Type[R], raw: Sequence[Mapping[str, Any]]) -> List[Recovery[R]]:
    out: List[Recovery[R]] = []
    for item in raw:
        rec = item.get("record")
        out.append(
            Recovery(entry=JournalEntry._from_native(item["entry"], cls), record=None if rec is None else _one(cls, rec))
        )
    return out
