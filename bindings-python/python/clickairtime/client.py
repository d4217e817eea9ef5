"""The blocking clients: :class:`V2Client` (current API) and :class:`V1Client` (legacy ``/adp`` API).

Both are thin: each call goes to the Rust core, which validates, retries reads, keeps sends at-most-once,
verifies every record it reports as this sale, classifies errors, waits, and writes the journal. The GIL is
released for the whole network call, so other Python threads keep running. A client is safe to share between
threads; it keeps one connection pool. Use it as a context manager, or call :meth:`V2Client.close`.

Settings not passed come from the environment: ``CLICKAIRTIME_API_KEY`` (V2), ``CLICKAIRTIME_V1_EMAIL`` and
``CLICKAIRTIME_V1_TOKEN`` (V1), ``CLICKAIRTIME_BASE_URL``; so ``V2Client()`` is enough in production.

With ``journal="sales.journal"`` (an SQLite file), every send is written down durably before its first write
and at its end: a reference is sent at most once across restarts and across processes sharing the file, and
``client.pending()`` / ``client.recover()`` settle what a crash left open. Call ``recover()`` at start-up.

Durations (timeouts, deadlines) are seconds (``int``/``float``) or :class:`datetime.timedelta`. Amounts are
:class:`decimal.Decimal`, ``int`` or ``str``; a ``float`` amount is refused with a :class:`ValidationError`
(binary floats are not exact money). Waits, sends, listings and bulk runs take ``cancel=`` (a
:class:`~clickairtime.CancelToken`) to be cancelled from another thread.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import threading
from types import TracebackType
from typing import Any, Callable, Dict, Iterator, List, Literal, Mapping, Optional, Type, TypeVar, Union, overload

from . import _bulk, _native
from ._cancel import CancelToken
from ._convert import (
    AmountLike,
    BytesLike,
    DateLike,
    amount_text,
    body_bytes,
    bool_arg,
    date_text,
    env,
    header_text,
    int_arg,
    metadata_json,
    product_arg,
    seconds,
    text_arg,
    text_req,
)
from .errors import _from_conversion, _invalid, _wrong_type
from .models import (
    AccountBalance,
    Balance,
    BulkReport,
    BulkRowResult,
    Catalog,
    Country,
    JournalEntry,
    ListResult,
    Network,
    Product,
    RateLimit,
    Recovery,
    Service,
    TopUp,
    TopUpOrder,
    Transaction,
    V1TopUpOrder,
    Wallet,
    WebhookEvent,
    _entries,
    _entry,
    _many,
    _one,
    _recoveries,
)

__all__ = [
    "V2Client",
    "V1Client",
    "CatalogApi",
    "TopupsApi",
    "BalanceApi",
    "TopUpIterator",
    "new_reference",
    "idempotency_key_for",
    "DEFAULT_CONVERGENCE_BOUND",
    "RateLimitPolicy",
]

Seconds = Union[float, int, _dt.timedelta]
PathLike = Union[str, "os.PathLike[str]"]
#: What ``bulk`` takes: the path of a CSV file, or rows (dicts of column → value).
BulkSource = _bulk.BulkSource
#: ``on_progress(result, done, total)`` of a bulk run.
ProgressCallback = Callable[[BulkRowResult, int, int], Any]


@dataclasses.dataclass(frozen=True)
class RateLimitPolicy:
    """Limits of the client-side rate limiter (``rate_limit=`` on either client): at most ``per_minute``
    requests in any 60 s and ``per_hour`` in any hour, shared by every thread (and ``aio`` task) of the client.
    The defaults are the API's documented tiers (60 a minute standard, 1,000 an hour burst); the limiter also
    follows the server's ``X-RateLimit-*`` and ``Retry-After``. A request that cannot get a slot before its
    deadline fails "not sent" (:class:`~clickairtime.RateLimitError`)."""

    per_minute: int = 60
    per_hour: int = 1000


RateLimitSetting = Union[RateLimitPolicy, Literal["documented"], Mapping[str, int], None]


def _rate_limit_kwargs(value: RateLimitSetting) -> Dict[str, Optional[int]]:
    per_minute: Any = None
    per_hour: Any = None
    if value is None:
        pass
    elif isinstance(value, str):
        if value != "documented":
            raise _invalid("rate_limit", f"{value!r} is not \"documented\" (or a RateLimitPolicy, or per_minute/per_hour)")
        per_minute, per_hour = RateLimitPolicy.per_minute, RateLimitPolicy.per_hour
    elif isinstance(value, RateLimitPolicy):
        per_minute, per_hour = value.per_minute, value.per_hour
    elif isinstance(value, Mapping):
        unknown = sorted(str(k) for k in value if k not in ("per_minute", "per_hour"))
        if unknown or not value:
            raise _invalid("rate_limit", "takes per_minute and/or per_hour" + (f", not {', '.join(unknown)}" if unknown else ""))
        per_minute, per_hour = value.get("per_minute"), value.get("per_hour")
    else:
        raise _wrong_type("rate_limit", f"must be \"documented\", a RateLimitPolicy or a dict, not {type(value).__name__}")
    return {
        "rate_limit_per_minute": int_arg("rate_limit.per_minute", per_minute),
        "rate_limit_per_hour": int_arg("rate_limit.per_hour", per_hour),
    }


class _Native:
    """The native client behind a Python client, shared with its API groups: refuses calls once the client is
    closed, and turns pyo3's argument-conversion errors (a ``TypeError`` naming the argument) into the
    package's :class:`~clickairtime.ArgumentTypeError`."""

    __slots__ = ("_obj", "_name")

    def __init__(self, obj: Any, name: str) -> None:
        self._obj = obj
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        obj = self._obj
        if obj is None:
            raise _invalid("client", f"this {self._name} is closed")
        value = getattr(obj, attr)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return value(*args, **kwargs)
            except (TypeError, OverflowError) as e:
                raise _from_conversion(e) from None

        return call

    @property
    def closed(self) -> bool:
        return self._obj is None

    def close(self) -> None:
        self._obj = None


def _native_cancel(cancel: Optional[CancelToken]) -> Any:
    if cancel is None:
        return None
    if not isinstance(cancel, CancelToken):
        raise _wrong_type("cancel", f"must be a clickairtime.CancelToken, not {type(cancel).__name__}")
    return cancel._n


def _drive_wait(wait: Any, cancel: Optional[CancelToken]) -> Any:
    """Drive a native step-by-step wait on this thread: one exchange per step (without the GIL), then an
    interruptible sleep (Ctrl-C works between polls; a cancel token wakes it at once)."""
    wake = threading.Event()
    remove = cancel._on_cancel(wake.set) if cancel is not None else None
    try:
        while True:
            done, value = wait.step()
            if done:
                return value
            wake.wait(float(value))
    finally:
        if remove is not None:
            remove()


#: Default convergence bound, in seconds: a lookup that finds nothing proves that a top-up was never created
#: only this long after its last write (the docs: every transaction converges within about 12 minutes).
DEFAULT_CONVERGENCE_BOUND = 13 * 60.0


def new_reference() -> str:
    """A new unique reference (``ca-<uuid>``), for a sale you write down before you send it."""
    return _native.new_reference()


def idempotency_key_for(reference: str) -> str:
    """The ``Idempotency-Key`` a V2 send of ``reference`` carries when none is given: derived from the
    reference alone, so the same sale carries the same key in every process, after a crash, or when sold
    again after ``reconcile`` found nothing."""
    return _native.idempotency_key_for(text_req("reference", reference))


def _journal_path(value: Optional[PathLike]) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if isinstance(path, str):
            return path
    raise _wrong_type("journal", f"must be a path (str or os.PathLike), not {type(value).__name__}")

#: Default deadline of a wait: the documented 12-minute bound of every transaction, plus a margin.
DEFAULT_WAIT_DEADLINE = 13 * 60.0


def _http_kwargs(
    base_url: Optional[str],
    timeout: Optional[Seconds],
    connect_timeout: Optional[Seconds],
    read_timeout: Optional[Seconds],
    max_retries: Optional[int],
    retry_base_delay: Optional[Seconds],
    max_retry_delay: Optional[Seconds],
    max_retry_after: Optional[Seconds],
    send_deadline: Optional[Seconds],
    proxy: Optional[str],
    proxy_from_env: Optional[bool],
    ca_certificates: Union[bytes, str, None],
    user_agent_suffix: Optional[str],
    max_idle_connections_per_host: Optional[int],
    journal: Optional[PathLike],
    convergence_bound: Optional[Seconds],
) -> dict[str, Any]:
    return dict(
        base_url=base_url,
        timeout=seconds("timeout", timeout),
        connect_timeout=seconds("connect_timeout", connect_timeout),
        read_timeout=seconds("read_timeout", read_timeout),
        max_retries=int_arg("max_retries", max_retries),
        retry_base_delay=seconds("retry_base_delay", retry_base_delay),
        max_retry_delay=seconds("max_retry_delay", max_retry_delay),
        max_retry_after=seconds("max_retry_after", max_retry_after),
        send_deadline=seconds("send_deadline", send_deadline),
        proxy=text_arg("proxy", proxy),
        proxy_from_env=proxy_from_env,
        ca_certificates_pem=None if ca_certificates is None else body_bytes("ca_certificates", ca_certificates),
        user_agent_suffix=text_arg("user_agent_suffix", user_agent_suffix),
        max_idle_connections_per_host=int_arg("max_idle_connections_per_host", max_idle_connections_per_host),
        journal=_journal_path(journal),
        convergence_bound=seconds("convergence_bound", convergence_bound),
    )


def _order_kwargs(
    phone_number: Any,
    network_id: Any,
    amount: Any,
    currency: Any,
    product_id: Any,
    sms: Any,
    sms_message: Any,
    reference: Any,
    callback_url: Any,
    metadata: Any,
    idempotency_key: Any,
) -> Dict[str, Any]:
    """A V2 order's fields, type-checked, as the native layer takes them."""
    return dict(
        phone_number=text_req("phone_number", phone_number),
        network_id=int_arg("network_id", network_id),
        amount=amount_text("amount", amount),
        currency=text_arg("currency", currency),
        product_id=product_arg("product_id", product_id),
        sms=bool_arg("sms", sms),
        sms_message=text_arg("sms_message", sms_message),
        reference=text_arg("reference", reference),
        callback_url=text_arg("callback_url", callback_url),
        metadata_json=metadata_json(metadata),
        idempotency_key=text_arg("idempotency_key", idempotency_key),
    )


def _filter_kwargs(
    page: Any, per_page: Any, status: Any, phone_number: Any, reference: Any, from_: Any, to: Any, sort: Any
) -> Dict[str, Any]:
    """A V2 listing's filters, type-checked."""
    return dict(
        page=int_arg("page", page),
        per_page=int_arg("per_page", per_page),
        status=text_arg("status", status),
        phone_number=text_arg("phone_number", phone_number),
        reference=text_arg("reference", reference),
        from_=date_text("from", from_),
        to=date_text("to", to),
        sort=text_arg("sort", sort),
    )


def _v1_order_kwargs(
    msisdn: Any, amount: Any, product_id: Any, ext_ref_id: Any, processing_mode: Any, send_sms: Any
) -> Dict[str, Any]:
    """A V1 order's fields, type-checked."""
    return dict(
        msisdn=text_req("msisdn", msisdn),
        amount=amount_text("amount", amount),
        product_id=int_arg("product_id", product_id),
        ext_ref_id=text_arg("ext_ref_id", ext_ref_id),
        processing_mode=text_arg("processing_mode", processing_mode),
        send_sms=bool(bool_arg("send_sms", send_sms)),
    )


def _rate_limit(raw: Any) -> Optional[RateLimit]:
    return None if raw is None else RateLimit._from_wire(raw)


# ============================================================================================ V2


class TopUpIterator(Iterator[TopUp]):
    """Every top-up of a listing, fetching page after page lazily (the GIL is released while fetching).

    An error is raised once, then iteration ends; with ``cancel=``, a cancelled token raises
    :class:`~clickairtime.CancelledError` instead of fetching the next page.
    """

    def __init__(self, native: Any) -> None:
        self._native = native

    def __iter__(self) -> TopUpIterator:
        return self

    def __next__(self) -> TopUp:
        return TopUp._from_wire(next(self._native))


class CatalogApi:
    """Catalog: phone lookup, countries, networks, products (``client.catalog``)."""

    def __init__(self, native: Any) -> None:
        self._n = native

    def lookup(self, phone_number: Optional[str] = None, *, network_id: Optional[int] = None) -> Catalog:
        """Find the network of a number and its products. The number may be formatted as people type it
        (``"+233 54 111-2259"``, ``"00233541112259"``); a national number needs :func:`~clickairtime.to_e164`
        with its country first. Give a phone number, a network id (skips the HLR lookup, e.g. for ported
        numbers), or both."""
        return _one(
            Catalog, self._n.catalog_lookup(text_arg("phone_number", phone_number), int_arg("network_id", network_id))
        )

    def countries(self) -> ListResult[Country]:
        """Supported countries."""
        return _many(Country, self._n.catalog_countries())

    def networks(self, country_code: Optional[str] = None) -> ListResult[Network]:
        """Networks, optionally of one country (ISO 3166-1 alpha-2, e.g. ``"GH"``)."""
        return _many(Network, self._n.catalog_networks(text_arg("country_code", country_code)))

    def products(self, network_id: int) -> Catalog:
        """Full catalog of one network."""
        return _one(Catalog, self._n.catalog_products(int_arg("network_id", network_id)))


class TopupsApi:
    """Top-ups: create (at most once), get, list, iterate, wait, reconcile (``client.topups``)."""

    def __init__(self, native: Any) -> None:
        self._n = native

    def prepare(
        self,
        phone_number: str,
        network_id: int,
        *,
        amount: Optional[AmountLike] = None,
        currency: Optional[str] = None,
        product_id: Union[str, int, None] = None,
        sms: Optional[bool] = None,
        sms_message: Optional[str] = None,
        reference: Optional[str] = None,
        callback_url: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
    ) -> TopUpOrder:
        """Validate a top-up and fix its handles, without sending anything: the reference (``reference``, or
        a new one) and the ``Idempotency-Key`` (``idempotency_key``, or derived from the reference).

        Persist ``order.reference`` (with the sale) before ``create(order)``: after a crash, creating the same
        order again is recognised as the same sale. Raises :class:`~clickairtime.ValidationError` for a bad
        field (the same checks as :meth:`create`).
        """
        raw = self._n.topups_prepare(**_order_kwargs(
            phone_number, network_id, amount, currency, product_id, sms, sms_message, reference, callback_url,
            metadata, idempotency_key,
        ))
        return TopUpOrder._from_wire(raw)

    @overload
    def create(self, order: TopUpOrder, /, *, cancel: Optional[CancelToken] = None) -> TopUp: ...

    @overload
    def create(
        self,
        phone_number: str,
        network_id: int,
        *,
        amount: Optional[AmountLike] = None,
        currency: Optional[str] = None,
        product_id: Union[str, int, None] = None,
        sms: Optional[bool] = None,
        sms_message: Optional[str] = None,
        reference: Optional[str] = None,
        callback_url: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
        cancel: Optional[CancelToken] = None,
    ) -> TopUp: ...

    def create(
        self,
        phone_number: Union[str, TopUpOrder],
        network_id: Optional[int] = None,
        *,
        amount: Optional[AmountLike] = None,
        currency: Optional[str] = None,
        product_id: Union[str, int, None] = None,
        sms: Optional[bool] = None,
        sms_message: Optional[str] = None,
        reference: Optional[str] = None,
        callback_url: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
        cancel: Optional[CancelToken] = None,
    ) -> TopUp:
        """Send a top-up, at most once: a prepared :class:`~clickairtime.TopUpOrder` (:meth:`prepare`), or the
        same fields as :meth:`prepare` — a custom ``amount`` (with the local ``currency``) or a bundle
        ``product_id``. The phone number may be formatted (``"+233 54 111 2259"``); it is sent as E.164.

        The five ends (see the README, "It moves money"):

        - a :class:`~clickairtime.TopUp`, verified to be *this* sale; ``.meta.origin`` says how it was
          obtained (``created``, ``recovered``, ``replayed``, ``journal``). Not terminal yet? :meth:`wait`.
        - :class:`~clickairtime.DuplicateSaleError` / :class:`~clickairtime.ReferenceConflictError`: the API
          holds another sale (named by ``.transaction_id`` / ``.existing_reference``); this one was not
          created.
        - :class:`~clickairtime.OutcomeUnknownError`: a write may have been received and nothing settled it
          within ``send_deadline``. NOT failed: do not sell again; ``recover()`` or :meth:`reconcile` later.
        - any other error: definitely not sent (nothing was sold).

        With a journal, the send is written down before its first write, and a reference the journal already
        holds is not written again (its recorded outcome is returned, or its recovery resumed).

        ``cancel``: a :class:`~clickairtime.CancelToken`; cancelled before anything of the sale can have been
        received, the send ends with :class:`~clickairtime.CancelledError` (nothing sent); after that it runs
        on to its real outcome. Ctrl-C during a send takes effect once it has settled (a sale is never
        abandoned half-way).
        """
        if isinstance(phone_number, TopUpOrder):
            others = (network_id, amount, currency, product_id, sms, sms_message, reference, callback_url,
                      metadata, idempotency_key)
            if any(v is not None for v in others):
                raise _wrong_type("order", "create(order) takes the order alone; set the fields with prepare(...)")
            o = phone_number
            return self.create(
                o.phone_number,
                o.network_id,
                amount=o.amount,
                currency=o.currency,
                product_id=o.product_id,
                sms=o.sms,
                sms_message=o.sms_message,
                reference=o.reference,
                callback_url=o.callback_url,
                metadata=o.metadata,
                idempotency_key=o.idempotency_key,
                cancel=cancel,
            )
        if network_id is None:
            raise _wrong_type("network_id", "create() needs network_id (or a TopUpOrder from prepare())")
        raw = self._n.topups_create(
            **_order_kwargs(
                phone_number, network_id, amount, currency, product_id, sms, sms_message, reference, callback_url,
                metadata, idempotency_key,
            ),
            cancel=_native_cancel(cancel),
        )
        return _one(TopUp, raw)

    def get(self, id: str) -> TopUp:
        """One top-up by id."""
        return _one(TopUp, self._n.topups_get(text_req("id", id)))

    def list(
        self,
        *,
        page: Optional[int] = None,
        per_page: Optional[int] = None,
        status: Optional[str] = None,
        phone_number: Optional[str] = None,
        reference: Optional[str] = None,
        from_: Optional[DateLike] = None,
        to: Optional[DateLike] = None,
        sort: Optional[str] = None,
    ) -> ListResult[TopUp]:
        """One page of top-ups (``.meta.pagination`` says where you are). ``from_``/``to`` bound
        ``created_at`` (datetime must be timezone-aware); ``sort`` is ``created_at``, ``completed_at``,
        ``status`` or ``total_usd``, with ``-`` for descending."""
        raw = self._n.topups_list(**_filter_kwargs(page, per_page, status, phone_number, reference, from_, to, sort))
        return _many(TopUp, raw)

    def list_all(
        self,
        *,
        per_page: Optional[int] = None,
        status: Optional[str] = None,
        phone_number: Optional[str] = None,
        reference: Optional[str] = None,
        from_: Optional[DateLike] = None,
        to: Optional[DateLike] = None,
        sort: Optional[str] = None,
        page: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> TopUpIterator:
        """Every matching top-up, page after page (from ``page``, default 1), as an iterator. The filters are
        validated now; pages are fetched as you iterate (``cancel`` stops it between pages)."""
        native = self._n.topups_list_all(
            **_filter_kwargs(page, per_page, status, phone_number, reference, from_, to, sort),
            cancel=_native_cancel(cancel),
        )
        return TopUpIterator(native)

    def reconcile(self, reference: str) -> Optional[TopUp]:
        """The top-up sent with ``reference``, or ``None`` if the API has none *now*.

        ``None`` proves that it was never created only once the convergence bound (about 12 minutes) has
        passed since its last write; only then is selling it again safe — with the same reference (the same
        order), so that the API recognises it if it was received after all. With a journal, prefer
        ``client.recover()``, which applies that rule itself."""
        raw = self._n.topups_reconcile(text_req("reference", reference))
        return None if raw is None else _one(TopUp, raw)

    def _wait_steps(
        self,
        id: str,
        deadline: Optional[Seconds],
        initial_interval: Optional[Seconds],
        max_interval: Optional[Seconds],
        not_found_grace: Optional[Seconds],
        cancel: Optional[CancelToken],
    ) -> Any:
        """The core's step-by-step wait (no network yet)."""
        return self._n.topups_wait_steps(
            text_req("id", id),
            deadline=seconds("deadline", deadline),
            initial_interval=seconds("initial_interval", initial_interval),
            max_interval=seconds("max_interval", max_interval),
            not_found_grace=seconds("not_found_grace", not_found_grace),
            cancel=_native_cancel(cancel),
        )

    def wait(
        self,
        id: str,
        *,
        deadline: Optional[Seconds] = None,
        initial_interval: Optional[Seconds] = None,
        max_interval: Optional[Seconds] = None,
        not_found_grace: Optional[Seconds] = None,
        cancel: Optional[CancelToken] = None,
    ) -> TopUp:
        """Poll until the top-up is terminal (completed, failed …), with backoff, up to ``deadline`` seconds
        (default 13 minutes; a hard budget: each poll gets only what remains). Past the deadline:
        :class:`~clickairtime.StillPendingError` with ``.transaction_id`` and the last ``.status`` — the
        top-up exists and may still complete. A "not found" within ``not_found_grace`` (default 30 s) of the
        start is read as "not visible yet".

        Each poll is one exchange; between polls the thread sleeps interruptibly: Ctrl-C
        (``KeyboardInterrupt``) works, and ``cancel`` (a :class:`~clickairtime.CancelToken` cancelled from
        another thread) ends the wait at once with :class:`~clickairtime.CancelledError` (the sale stands)."""
        w = self._wait_steps(id, deadline, initial_interval, max_interval, not_found_grace, cancel)
        return _one(TopUp, _drive_wait(w, cancel))


class BalanceApi:
    """Wallet balances (``client.balance``)."""

    def __init__(self, native: Any) -> None:
        self._n = native

    def list(self) -> Balance:
        """Every wallet and the USD total."""
        return _one(Balance, self._n.balance_list())

    def get(self, wallet_id: str) -> Wallet:
        """One wallet."""
        return _one(Wallet, self._n.balance_get(text_req("wallet_id", wallet_id)))


_C = TypeVar("_C", bound="_ClientBase")


class _ClientBase:
    """What both clients share: close / context manager, the journal's path, bulk runs."""

    _n: _Native
    _journal: Optional[str]
    _base_url: str
    _api: Literal["v1", "v2"]

    @property
    def base_url(self) -> str:
        """The base URL in use (normalised)."""
        return self._base_url

    @property
    def journal(self) -> Optional[str]:
        """The journal file's path, or ``None`` without a journal."""
        return self._journal

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._n.closed

    def close(self) -> None:
        """Release the client: its connection pool and its journal file (once no call is running any more; a
        send under way finishes first, in its thread). Any later call raises
        :class:`~clickairtime.ValidationError` (field ``client``). Idempotent; ``with V2Client() as c:`` calls
        it at the end of the block."""
        self._n.close()

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def bulk(
        self,
        source: BulkSource,
        *,
        concurrency: int = 4,
        on_progress: Optional[ProgressCallback] = None,
        report: Optional[PathLike] = None,
        cancel: Optional[CancelToken] = None,
        name: Optional[str] = None,
    ) -> BulkReport:
        """Bulk payouts (the core's bulk engine, the same as ``clickairtime bulk``): every row of a CSV file —
        or of ``source`` given as rows, dicts of column → value — sent at most once through this client's
        journal and rate limit, ``concurrency`` (1–64) at a time.

        Columns, in any order (case does not matter): ``phone`` (or ``phone_number``, ``msisdn``), ``amount``
        with ``currency`` (V1: ``amount`` alone) or ``product`` (``product_id``), optional ``reference``,
        ``network_id`` (V2; looked up when absent), ``sms`` (``true``/``false``, or for V2 the SMS's text) and,
        for V2, any other column as metadata. ``source`` may also be the CSV itself as ``bytes`` (with
        ``name=``).

        - The whole input is validated first: a bad row anywhere raises one
          :class:`~clickairtime.ValidationError` listing every bad line (the header is line 1; ``rows[i]`` is
          line ``i + 2``; ``.row_errors`` holds them as :class:`~clickairtime.BulkRowError`), and nothing is
          sent.
        - A row without a reference gets one derived from ``name`` (default: the file's name), its line and its
          sale, so running the same file again maps each row to the same sale: with the same journal, rows
          already sent come back from it (``origin == "journal"``) without a write, open ones are looked up
          first, the rest are sent. Rows given as dicts need ``name=`` unless each has a ``reference``.
        - ``on_progress(result, done, total)`` is called after each row (from the SDK's worker threads, one
          row at a time per thread; keep it short). An exception in it stops the run like Ctrl-C, then is
          raised.
        - Ctrl-C (``KeyboardInterrupt``) or ``cancel`` stops taking new rows; sends already under way settle
          first (never abandoned). Then the report is written, and the ``KeyboardInterrupt`` raised with the
          :class:`~clickairtime.BulkReport` as its ``.report``; with ``cancel`` the report is returned (rows
          not started are ``skipped``). A second Ctrl-C stops waiting at once (sends under way still end, in
          the journal).
        - ``report``: a path where the report CSV (:meth:`BulkReport.to_csv`) is written at the end.

        Give the client a ``journal`` (a rerun then never pays a row twice) and a ``rate_limit`` (the
        documented tiers: ``rate_limit="documented"``). Returns a :class:`~clickairtime.BulkReport`.
        """
        result, error = _bulk.run(
            self._n,
            self._api,
            source,
            concurrency=concurrency,
            on_progress=on_progress,
            report=report,
            cancel=cancel,
            name=name,
        )
        if error is not None:
            raise error
        return result


def _closed_repr(client: _ClientBase) -> str:
    return ", closed" if client.closed else ""


class V2Client(_ClientBase):
    """Client of the V2 API (``/v2/…``, ``Authorization: Bearer <api key>``).

    ``api_key`` defaults to the environment's ``CLICKAIRTIME_API_KEY`` (a missing key raises
    :class:`~clickairtime.ValidationError` naming the variable), ``base_url`` to ``CLICKAIRTIME_BASE_URL``,
    else ``https://api.clickairtime.com`` (plain ``http://`` only to loopback hosts, for the sandbox). Timeouts
    are seconds: ``timeout`` for one whole HTTP exchange (default 60), ``connect_timeout`` (10),
    ``read_timeout`` (30). ``max_retries`` (default 3) applies to reads only; sends are never retried blindly.
    ``send_deadline`` (default 120) is a hard budget for a whole send, its recovery included: every exchange
    and lookup inside gets only what remains, so a send returns (or raises) within it plus one connect.
    ``ca_certificates`` adds PEM roots (corporate TLS proxies); ``proxy`` is an http(s)/socks URL.

    ``journal`` is the path of a crash-safe SQLite journal file (created if missing; shareable by processes
    and threads); it is opened here, and a journal that cannot be opened raises
    :class:`~clickairtime.JournalError` (nothing is ever sent unjournaled). ``convergence_bound`` (default 13
    minutes) is how long after its last write a lookup that finds nothing proves a top-up was never
    created; lower it only against the sandbox. ``rate_limit`` turns on the client-side rate limiter, shared
    by every thread of the client: ``"documented"`` (60 requests a minute, 1,000 an hour), a
    :class:`RateLimitPolicy` or ``{"per_minute": n, "per_hour": m}``.

    Use it as a context manager (``with V2Client() as client:``) or call :meth:`close`.
    """

    catalog: CatalogApi
    topups: TopupsApi
    balance: BalanceApi

    def __init__(
        self,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[Seconds] = None,
        connect_timeout: Optional[Seconds] = None,
        read_timeout: Optional[Seconds] = None,
        max_retries: Optional[int] = None,
        retry_base_delay: Optional[Seconds] = None,
        max_retry_delay: Optional[Seconds] = None,
        max_retry_after: Optional[Seconds] = None,
        send_deadline: Optional[Seconds] = None,
        proxy: Optional[str] = None,
        proxy_from_env: Optional[bool] = None,
        ca_certificates: Union[bytes, str, None] = None,
        user_agent_suffix: Optional[str] = None,
        max_idle_connections_per_host: Optional[int] = None,
        journal: Optional[PathLike] = None,
        convergence_bound: Optional[Seconds] = None,
        rate_limit: RateLimitSetting = None,
    ) -> None:
        key = text_arg("api_key", api_key)
        if key is None:
            key = env("CLICKAIRTIME_API_KEY")
            if key is None:
                raise _invalid(
                    "api_key",
                    "is required: pass V2Client(api_key) or set CLICKAIRTIME_API_KEY in the environment",
                )
        if base_url is None:
            base_url = env("CLICKAIRTIME_BASE_URL")
        self._api = "v2"
        self._journal = _journal_path(journal)
        kwargs = _http_kwargs(
            text_arg("base_url", base_url),
            timeout,
            connect_timeout,
            read_timeout,
            max_retries,
            retry_base_delay,
            max_retry_delay,
            max_retry_after,
            send_deadline,
            proxy,
            proxy_from_env,
            ca_certificates,
            user_agent_suffix,
            max_idle_connections_per_host,
            journal,
            convergence_bound,
        )
        kwargs.update(_rate_limit_kwargs(rate_limit))
        try:
            native = _native.V2Client(key, **kwargs)
        except (TypeError, OverflowError) as e:
            raise _from_conversion(e) from None
        self._n = _Native(native, "V2Client")
        self._base_url = str(native.base_url)
        self.catalog = CatalogApi(self._n)
        self.topups = TopupsApi(self._n)
        self.balance = BalanceApi(self._n)

    @property
    def last_rate_limit(self) -> Optional[RateLimit]:
        """Rate-limit headers of the most recent answer that carried them."""
        return _rate_limit(self._n.last_rate_limit())

    def verify_webhook(self, body: BytesLike, signature: Union[str, bytes, None], timestamp: Union[str, bytes, int, None]) -> WebhookEvent:
        """Verify a webhook delivery with this client's API key (5-minute tolerance), then parse it."""
        raw = self._n.verify_webhook(
            body_bytes("body", body), header_text("signature", signature), header_text("timestamp", timestamp)
        )
        return WebhookEvent._from_wire(raw)

    def pending(self) -> List[JournalEntry[TopUp]]:
        """Sends the journal holds open (``in_flight`` after a crash or running now, or ``unknown``), oldest
        first: do not sell these again. Empty without a journal."""
        return _entries(TopUp, self._n.pending())

    def journal_entry(self, reference: str) -> Optional[JournalEntry[TopUp]]:
        """The journal's entry for ``reference`` (any state), or ``None``."""
        return _entry(TopUp, self._n.journal_entry(text_req("reference", reference)))

    def recover(self) -> List[Recovery[TopUp]]:
        """Settle every open journal entry with a verified lookup, never writing, and report each one:

        - found and verified → ``sent``, with ``record`` (a :class:`~clickairtime.TopUp`);
        - not found once the convergence bound has passed since its last write → ``not_sent``: selling it
          again with the same reference (the same order) is safe;
        - another sale holds the reference (after the bound) → ``refused``;
        - anything else stays ``unknown`` (call again later); an entry a live send holds right now is
          returned unchanged (``in_flight``).

        Call it at start-up and from time to time. Needs a journal (else
        :class:`~clickairtime.ValidationError` naming ``journal``).
        """
        return _recoveries(TopUp, self._n.recover())

    def __repr__(self) -> str:
        extra = f", journal={self._journal!r}" if self._journal else ""
        return f"V2Client(base_url={self.base_url!r}{extra}{_closed_repr(self)})"


# ============================================================================================ V1


class V1Client(_ClientBase):
    """Client of the legacy V1 API (``/adp``, e-mail + token headers). Same settings as :class:`V2Client`
    (``journal``, ``convergence_bound`` and ``rate_limit`` included), plus ``topup_path`` (``/adp``, the
    default, or ``/adp/topup`` as older docs say). ``email`` and ``token`` default to the environment's
    ``CLICKAIRTIME_V1_EMAIL`` and ``CLICKAIRTIME_V1_TOKEN``, ``base_url`` to ``CLICKAIRTIME_BASE_URL``."""

    def __init__(
        self,
        email: Optional[str] = None,
        token: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[Seconds] = None,
        connect_timeout: Optional[Seconds] = None,
        read_timeout: Optional[Seconds] = None,
        max_retries: Optional[int] = None,
        retry_base_delay: Optional[Seconds] = None,
        max_retry_delay: Optional[Seconds] = None,
        max_retry_after: Optional[Seconds] = None,
        send_deadline: Optional[Seconds] = None,
        proxy: Optional[str] = None,
        proxy_from_env: Optional[bool] = None,
        ca_certificates: Union[bytes, str, None] = None,
        user_agent_suffix: Optional[str] = None,
        max_idle_connections_per_host: Optional[int] = None,
        topup_path: Optional[str] = None,
        journal: Optional[PathLike] = None,
        convergence_bound: Optional[Seconds] = None,
        rate_limit: RateLimitSetting = None,
    ) -> None:
        email = text_arg("email", email)
        if email is None:
            email = env("CLICKAIRTIME_V1_EMAIL")
            if email is None:
                raise _invalid(
                    "email", "is required: pass V1Client(email, token) or set CLICKAIRTIME_V1_EMAIL in the environment"
                )
        token = text_arg("token", token)
        if token is None:
            token = env("CLICKAIRTIME_V1_TOKEN")
            if token is None:
                raise _invalid(
                    "token", "is required: pass V1Client(email, token) or set CLICKAIRTIME_V1_TOKEN in the environment"
                )
        if base_url is None:
            base_url = env("CLICKAIRTIME_BASE_URL")
        self._api = "v1"
        self._email = email
        self._journal = _journal_path(journal)
        kwargs = _http_kwargs(
            text_arg("base_url", base_url),
            timeout,
            connect_timeout,
            read_timeout,
            max_retries,
            retry_base_delay,
            max_retry_delay,
            max_retry_after,
            send_deadline,
            proxy,
            proxy_from_env,
            ca_certificates,
            user_agent_suffix,
            max_idle_connections_per_host,
            journal,
            convergence_bound,
        )
        kwargs.update(_rate_limit_kwargs(rate_limit))
        try:
            native = _native.V1Client(email, token, topup_path=text_arg("topup_path", topup_path), **kwargs)
        except (TypeError, OverflowError) as e:
            raise _from_conversion(e) from None
        self._n = _Native(native, "V1Client")
        self._base_url = str(native.base_url)

    @property
    def last_rate_limit(self) -> Optional[RateLimit]:
        """Rate-limit headers of the most recent answer that carried them (V1 documents none)."""
        return _rate_limit(self._n.last_rate_limit())

    def prepare_topup(
        self,
        msisdn: str,
        *,
        amount: Optional[AmountLike] = None,
        product_id: Optional[int] = None,
        ext_ref_id: Optional[str] = None,
        processing_mode: str = "SYNC",
        send_sms: bool = False,
    ) -> V1TopUpOrder:
        """Validate a top-up and fix its ``ext_ref_id`` (yours, or a new one), without sending anything.
        Persist ``order.ext_ref_id`` before ``send_topup(order)``."""
        raw = self._n.prepare_topup(**_v1_order_kwargs(msisdn, amount, product_id, ext_ref_id, processing_mode, send_sms))
        return V1TopUpOrder._from_wire(raw)

    @overload
    def send_topup(self, order: V1TopUpOrder, /, *, cancel: Optional[CancelToken] = None) -> Transaction: ...

    @overload
    def send_topup(
        self,
        msisdn: str,
        *,
        amount: Optional[AmountLike] = None,
        product_id: Optional[int] = None,
        ext_ref_id: Optional[str] = None,
        processing_mode: str = "SYNC",
        send_sms: bool = False,
        cancel: Optional[CancelToken] = None,
    ) -> Transaction: ...

    def send_topup(
        self,
        msisdn: Union[str, V1TopUpOrder],
        *,
        amount: Optional[AmountLike] = None,
        product_id: Optional[int] = None,
        ext_ref_id: Optional[str] = None,
        processing_mode: Optional[str] = None,
        send_sms: Optional[bool] = None,
        cancel: Optional[CancelToken] = None,
    ) -> Transaction:
        """Send a top-up, at most once, to ``msisdn`` (international digits, with or without ``+``, formatted
        as people type them: ``"+233 54 111 2259"``), or a prepared :class:`~clickairtime.V1TopUpOrder`
        (:meth:`prepare_topup`). ``cancel`` as for V2 :meth:`TopupsApi.create`.

        The same five ends as V2 ``create`` (see the README, "It moves money"): a record verified to be this
        sale (extRefId, msisdn, amount; ``.meta.origin``), :class:`~clickairtime.DuplicateSaleError` (code
        50) / :class:`~clickairtime.ReferenceConflictError` (code 90 for another sale),
        :class:`~clickairtime.OutcomeUnknownError`, or a not-sent error. A SYNC answer carries a terminal
        state; an ASYNC one a ``PENDING`` state: call :meth:`wait`. A send *recovered* after a lost answer
        returns the record as the lookup shows it, which may still be ``PENDING``/``PROCESSING`` even in SYNC
        mode: :meth:`wait` for the terminal state. A top-up the provider failed is returned with its
        ``FAILED`` state, not raised.
        """
        if isinstance(msisdn, V1TopUpOrder):
            if any(v is not None for v in (amount, product_id, ext_ref_id, processing_mode, send_sms)):
                raise _wrong_type("order", "send_topup(order) takes the order alone; set the fields with prepare_topup(...)")
            o = msisdn
            return self.send_topup(
                o.msisdn,
                amount=o.amount,
                product_id=o.product_id,
                ext_ref_id=o.ext_ref_id,
                processing_mode=o.processing_mode,
                send_sms=o.send_sms,
                cancel=cancel,
            )
        raw = self._n.send_topup(
            **_v1_order_kwargs(
                msisdn, amount, product_id, ext_ref_id, processing_mode if processing_mode is not None else "SYNC",
                bool(bool_arg("send_sms", send_sms)),
            ),
            cancel=_native_cancel(cancel),
        )
        return _one(Transaction, raw)

    def transactions(
        self,
        *,
        transaction_id: Optional[str] = None,
        msisdn: Optional[str] = None,
        ext_ref_id: Optional[str] = None,
    ) -> ListResult[Transaction]:
        """Transactions matching every given filter (at least one). No match is an empty list."""
        raw = self._n.transactions(
            transaction_id=text_arg("transaction_id", transaction_id),
            msisdn=text_arg("msisdn", msisdn),
            ext_ref_id=text_arg("ext_ref_id", ext_ref_id),
        )
        return _many(Transaction, raw)

    def reconcile(self, ext_ref_id: str) -> Optional[Transaction]:
        """The transaction sent with ``ext_ref_id``, or ``None`` if the API has none *now* (which proves it
        was never created only once the convergence bound has passed since its last write; see
        :meth:`TopupsApi.reconcile`)."""
        raw = self._n.reconcile(text_req("ext_ref_id", ext_ref_id))
        return None if raw is None else _one(Transaction, raw)

    def _wait_steps(
        self,
        ext_ref_id: str,
        deadline: Optional[Seconds],
        initial_interval: Optional[Seconds],
        max_interval: Optional[Seconds],
        not_found_grace: Optional[Seconds],
        cancel: Optional[CancelToken],
    ) -> Any:
        """The core's step-by-step wait (no network yet)."""
        return self._n.wait_steps(
            text_req("ext_ref_id", ext_ref_id),
            deadline=seconds("deadline", deadline),
            initial_interval=seconds("initial_interval", initial_interval),
            max_interval=seconds("max_interval", max_interval),
            not_found_grace=seconds("not_found_grace", not_found_grace),
            cancel=_native_cancel(cancel),
        )

    def wait(
        self,
        ext_ref_id: str,
        *,
        deadline: Optional[Seconds] = None,
        initial_interval: Optional[Seconds] = None,
        max_interval: Optional[Seconds] = None,
        not_found_grace: Optional[Seconds] = None,
        cancel: Optional[CancelToken] = None,
    ) -> Transaction:
        """Poll by ``ext_ref_id`` until the transaction is terminal, up to ``deadline`` seconds (default 13
        minutes; a hard budget). Past the deadline: :class:`~clickairtime.StillPendingError` with
        ``.reference``, ``.transaction_id`` when known and the last ``.status``. Ctrl-C and ``cancel`` as for
        V2 :meth:`TopupsApi.wait`."""
        w = self._wait_steps(ext_ref_id, deadline, initial_interval, max_interval, not_found_grace, cancel)
        return _one(Transaction, _drive_wait(w, cancel))

    def product_catalog(self) -> ListResult[Service]:
        """Services that have products for this account."""
        return _many(Service, self._n.product_catalog())

    def products(self, service_id: int) -> ListResult[Product]:
        """Products of one service."""
        return _many(Product, self._n.products(int_arg("service_id", service_id)))

    def product(self, product_id: int) -> Product:
        """One product."""
        return _one(Product, self._n.product(int_arg("product_id", product_id)))

    def balances(self) -> ListResult[AccountBalance]:
        """Balances of every service account."""
        return _many(AccountBalance, self._n.balances())

    def balance(self, account_id: str) -> AccountBalance:
        """Balance of one account."""
        return _one(AccountBalance, self._n.balance(text_req("account_id", account_id)))

    def pending(self) -> List[JournalEntry[Transaction]]:
        """Sends the journal holds open, oldest first (see :meth:`V2Client.pending`)."""
        return _entries(Transaction, self._n.pending())

    def journal_entry(self, ext_ref_id: str) -> Optional[JournalEntry[Transaction]]:
        """The journal's entry for ``ext_ref_id`` (any state), or ``None``."""
        return _entry(Transaction, self._n.journal_entry(text_req("ext_ref_id", ext_ref_id)))

    def recover(self) -> List[Recovery[Transaction]]:
        """Settle every open journal entry with a verified lookup, never writing (see
        :meth:`V2Client.recover`); ``record`` is a :class:`~clickairtime.Transaction`."""
        return _recoveries(Transaction, self._n.recover())

    def __repr__(self) -> str:
        extra = f", journal={self._journal!r}" if self._journal else ""
        return f"V1Client(email={self._email!r}, base_url={self.base_url!r}{extra}{_closed_repr(self)})"
