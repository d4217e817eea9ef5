"""The blocking clients: :class:`V2Client` (current API) and :class:`V1Client` (legacy ``/adp`` API).

Both are thin: each call goes to the Rust core, which validates, retries reads, keeps sends at-most-once,
verifies every record it reports as this sale, classifies errors, waits, and writes the journal. The GIL is
released for the whole network call or wait, so other Python threads keep running. A client is safe to share
between threads; it keeps one connection pool.

With ``journal="sales.journal"`` (an SQLite file), every send is written down durably before its first write
and at its end: a reference is sent at most once across restarts and across processes sharing the file, and
``client.pending()`` / ``client.recover()`` settle what a crash left open. Call ``recover()`` at start-up.

Durations (timeouts, deadlines) are seconds (``int``/``float``) or :class:`datetime.timedelta`. Amounts are
:class:`decimal.Decimal`, ``int`` or ``str``; a ``float`` amount is refused with a :class:`ValidationError`
(binary floats are not exact money).
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any, Iterator, List, Mapping, Optional, Union, overload

from . import _native
from ._convert import AmountLike, BytesLike, DateLike, amount_text, body_bytes, date_text, header_text, metadata_json, seconds
from .errors import _invalid
from .models import (
    AccountBalance,
    Balance,
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
]

Seconds = Union[float, int, _dt.timedelta]
PathLike = Union[str, "os.PathLike[str]"]

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
    return _native.idempotency_key_for(reference)


def _journal_path(value: Optional[PathLike]) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if isinstance(path, str):
            return path
    raise _invalid("journal", f"must be a path (str or os.PathLike), not {type(value).__name__}")

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
        max_retries=max_retries,
        retry_base_delay=seconds("retry_base_delay", retry_base_delay),
        max_retry_delay=seconds("max_retry_delay", max_retry_delay),
        max_retry_after=seconds("max_retry_after", max_retry_after),
        send_deadline=seconds("send_deadline", send_deadline),
        proxy=proxy,
        proxy_from_env=proxy_from_env,
        ca_certificates_pem=None if ca_certificates is None else body_bytes("ca_certificates", ca_certificates),
        user_agent_suffix=user_agent_suffix,
        max_idle_connections_per_host=max_idle_connections_per_host,
        journal=_journal_path(journal),
        convergence_bound=seconds("convergence_bound", convergence_bound),
    )


def _rate_limit(raw: Any) -> Optional[RateLimit]:
    return None if raw is None else RateLimit._from_wire(raw)


# ============================================================================================ V2


class TopUpIterator(Iterator[TopUp]):
    """Every top-up of a listing, fetching page after page lazily (the GIL is released while fetching).

    An error is raised once, then iteration ends.
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
        """Find the network of a number (E.164, e.g. ``"+233541112259"``) and its products. Give a phone
        number, a network id (skips the HLR lookup, e.g. for ported numbers), or both."""
        return _one(Catalog, self._n.catalog_lookup(phone_number, network_id))

    def countries(self) -> ListResult[Country]:
        """Supported countries."""
        return _many(Country, self._n.catalog_countries())

    def networks(self, country_code: Optional[str] = None) -> ListResult[Network]:
        """Networks, optionally of one country (ISO 3166-1 alpha-2, e.g. ``"GH"``)."""
        return _many(Network, self._n.catalog_networks(country_code))

    def products(self, network_id: int) -> Catalog:
        """Full catalog of one network."""
        return _one(Catalog, self._n.catalog_products(network_id))


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
        raw = self._n.topups_prepare(
            phone_number,
            network_id,
            amount=amount_text("amount", amount),
            currency=currency,
            product_id=None if product_id is None else str(product_id),
            sms=sms,
            sms_message=sms_message,
            reference=reference,
            callback_url=callback_url,
            metadata_json=metadata_json(metadata),
            idempotency_key=idempotency_key,
        )
        return TopUpOrder._from_wire(raw)

    @overload
    def create(self, order: TopUpOrder, /) -> TopUp: ...

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
    ) -> TopUp:
        """Send a top-up, at most once: a prepared :class:`~clickairtime.TopUpOrder` (:meth:`prepare`), or the
        same fields as :meth:`prepare` — a custom ``amount`` (with the local ``currency``) or a bundle
        ``product_id``.

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
        """
        if isinstance(phone_number, TopUpOrder):
            others = (network_id, amount, currency, product_id, sms, sms_message, reference, callback_url,
                      metadata, idempotency_key)
            if any(v is not None for v in others):
                raise TypeError("create(order) takes the order alone; set the fields with prepare(...)")
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
            )
        if network_id is None:
            raise TypeError("create() needs network_id (or a TopUpOrder from prepare())")
        raw = self._n.topups_create(
            phone_number,
            network_id,
            amount=amount_text("amount", amount),
            currency=currency,
            product_id=None if product_id is None else str(product_id),
            sms=sms,
            sms_message=sms_message,
            reference=reference,
            callback_url=callback_url,
            metadata_json=metadata_json(metadata),
            idempotency_key=idempotency_key,
        )
        return _one(TopUp, raw)

    def get(self, id: str) -> TopUp:
        """One top-up by id."""
        return _one(TopUp, self._n.topups_get(id))

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
        raw = self._n.topups_list(
            page=page,
            per_page=per_page,
            status=status,
            phone_number=phone_number,
            reference=reference,
            from_=date_text("from", from_),
            to=date_text("to", to),
            sort=sort,
        )
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
    ) -> TopUpIterator:
        """Every matching top-up, page after page (from ``page``, default 1), as an iterator. The filters are
        validated now; pages are fetched as you iterate."""
        native = self._n.topups_list_all(
            page=page,
            per_page=per_page,
            status=status,
            phone_number=phone_number,
            reference=reference,
            from_=date_text("from", from_),
            to=date_text("to", to),
            sort=sort,
        )
        return TopUpIterator(native)

    def reconcile(self, reference: str) -> Optional[TopUp]:
        """The top-up sent with ``reference``, or ``None`` if the API has none *now*.

        ``None`` proves that it was never created only once the convergence bound (about 12 minutes) has
        passed since its last write; only then is selling it again safe — with the same reference (the same
        order), so that the API recognises it if it was received after all. With a journal, prefer
        ``client.recover()``, which applies that rule itself."""
        raw = self._n.topups_reconcile(reference)
        return None if raw is None else _one(TopUp, raw)

    def wait(
        self,
        id: str,
        *,
        deadline: Optional[Seconds] = None,
        initial_interval: Optional[Seconds] = None,
        max_interval: Optional[Seconds] = None,
        not_found_grace: Optional[Seconds] = None,
    ) -> TopUp:
        """Poll until the top-up is terminal (completed, failed …), with backoff, up to ``deadline`` seconds
        (default 13 minutes; a hard budget: each poll gets only what remains). Past the deadline:
        :class:`~clickairtime.StillPendingError` with ``.transaction_id`` and the last ``.status`` — the
        top-up exists and may still complete. A "not found" within ``not_found_grace`` (default 30 s) of the
        start is read as "not visible yet"."""
        raw = self._n.topups_wait(
            id,
            deadline=seconds("deadline", deadline),
            initial_interval=seconds("initial_interval", initial_interval),
            max_interval=seconds("max_interval", max_interval),
            not_found_grace=seconds("not_found_grace", not_found_grace),
        )
        return _one(TopUp, raw)


class BalanceApi:
    """Wallet balances (``client.balance``)."""

    def __init__(self, native: Any) -> None:
        self._n = native

    def list(self) -> Balance:
        """Every wallet and the USD total."""
        return _one(Balance, self._n.balance_list())

    def get(self, wallet_id: str) -> Wallet:
        """One wallet."""
        return _one(Wallet, self._n.balance_get(wallet_id))


class V2Client:
    """Client of the V2 API (``/v2/…``, ``Authorization: Bearer <api key>``).

    ``base_url`` defaults to ``https://api.clickairtime.com`` (plain ``http://`` only to loopback hosts, for
    the sandbox). Timeouts are seconds: ``timeout`` for one whole HTTP exchange (default 60),
    ``connect_timeout`` (10), ``read_timeout`` (30). ``max_retries`` (default 3) applies to reads only; sends
    are never retried blindly. ``send_deadline`` (default 120) is a hard budget for a whole send, its
    recovery included: every exchange and lookup inside gets only what remains, so a send returns (or raises)
    within it plus one connect. ``ca_certificates`` adds PEM roots (corporate TLS proxies); ``proxy`` is an
    http(s)/socks URL.

    ``journal`` is the path of a crash-safe SQLite journal file (created if missing; shareable by processes
    and threads); it is opened here, and a journal that cannot be opened raises
    :class:`~clickairtime.JournalError` (nothing is ever sent unjournaled). ``convergence_bound`` (default 13
    minutes) is how long after its last write a lookup that finds nothing proves a top-up was never
    created; lower it only against the sandbox.
    """

    catalog: CatalogApi
    topups: TopupsApi
    balance: BalanceApi

    def __init__(
        self,
        api_key: str,
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
    ) -> None:
        self._journal = _journal_path(journal)
        self._n = _native.V2Client(
            api_key,
            **_http_kwargs(
                base_url,
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
            ),
        )
        self.catalog = CatalogApi(self._n)
        self.topups = TopupsApi(self._n)
        self.balance = BalanceApi(self._n)

    @property
    def base_url(self) -> str:
        """The base URL in use (normalised)."""
        return str(self._n.base_url)

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

    @property
    def journal(self) -> Optional[str]:
        """The journal file's path, or ``None`` without a journal."""
        return self._journal

    def pending(self) -> List[JournalEntry[TopUp]]:
        """Sends the journal holds open (``in_flight`` after a crash or running now, or ``unknown``), oldest
        first: do not sell these again. Empty without a journal."""
        return _entries(TopUp, self._n.pending())

    def journal_entry(self, reference: str) -> Optional[JournalEntry[TopUp]]:
        """The journal's entry for ``reference`` (any state), or ``None``."""
        return _entry(TopUp, self._n.journal_entry(reference))

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
        return f"V2Client(base_url={self.base_url!r}{extra})"


# ============================================================================================ V1


class V1Client:
    """Client of the legacy V1 API (``/adp``, e-mail + token headers). Same settings as :class:`V2Client`
    (``journal`` and ``convergence_bound`` included), plus ``topup_path`` (``/adp``, the default, or
    ``/adp/topup`` as older docs say)."""

    def __init__(
        self,
        email: str,
        token: str,
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
    ) -> None:
        self._email = email
        self._journal = _journal_path(journal)
        self._n = _native.V1Client(
            email,
            token,
            topup_path=topup_path,
            **_http_kwargs(
                base_url,
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
            ),
        )

    @property
    def base_url(self) -> str:
        """The base URL in use."""
        return str(self._n.base_url)

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
        raw = self._n.prepare_topup(
            msisdn,
            amount=amount_text("amount", amount),
            product_id=product_id,
            ext_ref_id=ext_ref_id,
            processing_mode=processing_mode,
            send_sms=send_sms,
        )
        return V1TopUpOrder._from_wire(raw)

    @overload
    def send_topup(self, order: V1TopUpOrder, /) -> Transaction: ...

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
    ) -> Transaction:
        """Send a top-up, at most once, to ``msisdn`` (international digits without ``+``), or a prepared
        :class:`~clickairtime.V1TopUpOrder` (:meth:`prepare_topup`).

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
                raise TypeError("send_topup(order) takes the order alone; set the fields with prepare_topup(...)")
            o = msisdn
            return self.send_topup(
                o.msisdn,
                amount=o.amount,
                product_id=o.product_id,
                ext_ref_id=o.ext_ref_id,
                processing_mode=o.processing_mode,
                send_sms=o.send_sms,
            )
        raw = self._n.send_topup(
            msisdn,
            amount=amount_text("amount", amount),
            product_id=product_id,
            ext_ref_id=ext_ref_id,
            processing_mode=processing_mode if processing_mode is not None else "SYNC",
            send_sms=bool(send_sms),
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
        raw = self._n.transactions(transaction_id=transaction_id, msisdn=msisdn, ext_ref_id=ext_ref_id)
        return _many(Transaction, raw)

    def reconcile(self, ext_ref_id: str) -> Optional[Transaction]:
        """The transaction sent with ``ext_ref_id``, or ``None`` if the API has none *now* (which proves it
        was never created only once the convergence bound has passed since its last write; see
        :meth:`TopupsApi.reconcile`)."""
        raw = self._n.reconcile(ext_ref_id)
        return None if raw is None else _one(Transaction, raw)

    def wait(
        self,
        ext_ref_id: str,
        *,
        deadline: Optional[Seconds] = None,
        initial_interval: Optional[Seconds] = None,
        max_interval: Optional[Seconds] = None,
        not_found_grace: Optional[Seconds] = None,
    ) -> Transaction:
        """Poll by ``ext_ref_id`` until the transaction is terminal, up to ``deadline`` seconds (default 13
        minutes; a hard budget). Past the deadline: :class:`~clickairtime.StillPendingError` with
        ``.reference``, ``.transaction_id`` when known and the last ``.status``."""
        raw = self._n.wait(
            ext_ref_id,
            deadline=seconds("deadline", deadline),
            initial_interval=seconds("initial_interval", initial_interval),
            max_interval=seconds("max_interval", max_interval),
            not_found_grace=seconds("not_found_grace", not_found_grace),
        )
        return _one(Transaction, raw)

    def product_catalog(self) -> ListResult[Service]:
        """Services that have products for this account."""
        return _many(Service, self._n.product_catalog())

    def products(self, service_id: int) -> ListResult[Product]:
        """Products of one service."""
        return _many(Product, self._n.products(service_id))

    def product(self, product_id: int) -> Product:
        """One product."""
        return _one(Product, self._n.product(product_id))

    def balances(self) -> ListResult[AccountBalance]:
        """Balances of every service account."""
        return _many(AccountBalance, self._n.balances())

    def balance(self, account_id: str) -> AccountBalance:
        """Balance of one account."""
        return _one(AccountBalance, self._n.balance(account_id))

    @property
    def journal(self) -> Optional[str]:
        """The journal file's path, or ``None`` without a journal."""
        return self._journal

    def pending(self) -> List[JournalEntry[Transaction]]:
        """Sends the journal holds open, oldest first (see :meth:`V2Client.pending`)."""
        return _entries(Transaction, self._n.pending())

    def journal_entry(self, ext_ref_id: str) -> Optional[JournalEntry[Transaction]]:
        """The journal's entry for ``ext_ref_id`` (any state), or ``None``."""
        return _entry(Transaction, self._n.journal_entry(ext_ref_id))

    def recover(self) -> List[Recovery[Transaction]]:
        """Settle every open journal entry with a verified lookup, never writing (see
        :meth:`V2Client.recover`); ``record`` is a :class:`~clickairtime.Transaction`."""
        return _recoveries(Transaction, self._n.recover())

    def __repr__(self) -> str:
        extra = f", journal={self._journal!r}" if self._journal else ""
        return f"V1Client(email={self._email!r}, base_url={self.base_url!r}{extra})"
