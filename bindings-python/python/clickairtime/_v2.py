"""The blocking V2 client: :class:`V2Client` and its API groups (``catalog``, ``topups``, ``balance``)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Iterator, List, Literal, Mapping, Optional, Union, overload

from . import _native
from ._cancel import CancelToken
from ._common import (
    PathLike,
    Seconds,
    _ClientBase,
    _closed_repr,
    _drive_wait,
    _filter_kwargs,
    _http_kwargs,
    _journal_path,
    _many,
    _Native,
    _native_cancel,
    _order_kwargs,
    _rate_limit_kwargs,
)
from ._convert import AmountLike, BytesLike, DateLike, body_bytes, env, header_text, int_arg, seconds, text_arg, text_req
from .errors import _from_conversion, _invalid, _wrong_type
from ._native import (
    Balance,
    Catalog,
    Country,
    JournalEntry,
    Network,
    RateLimit,
    Recovery,
    TopUp,
    TopUpOrder,
    Wallet,
    WebhookEvent,
)
from ._list import ListResult

if TYPE_CHECKING:
    from ._common import RateLimitSetting

__all__ = ["V2Client", "CatalogApi", "TopupsApi", "BalanceApi", "TopUpIterator"]


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
        t: TopUp = next(self._native)
        return t


class CatalogApi:
    """Catalog: phone lookup, countries, networks, products (``client.catalog``)."""

    def __init__(self, native: Any) -> None:
        self._n = native

    def lookup(self, phone_number: Optional[str] = None, *, network_id: Optional[int] = None) -> Catalog:
        """Find the network of a number and its products. The number may be formatted as people type it
        (``"+233 54 111-2259"``, ``"00233541112259"``); a national number needs :func:`~clickairtime.to_e164`
        with its country first. Give a phone number, a network id (skips the HLR lookup, e.g. for ported
        numbers), or both."""
        r: Catalog = self._n.catalog_lookup(text_arg("phone_number", phone_number), int_arg("network_id", network_id))
        return r

    def countries(self) -> ListResult[Country]:
        """Supported countries."""
        items: ListResult[Country] = _many(self._n.catalog_countries())
        return items

    def networks(self, country_code: Optional[str] = None) -> ListResult[Network]:
        """Networks, optionally of one country (ISO 3166-1 alpha-2, e.g. ``"GH"``)."""
        items: ListResult[Network] = _many(self._n.catalog_networks(text_arg("country_code", country_code)))
        return items

    def products(self, network_id: int) -> Catalog:
        """Full catalog of one network."""
        r: Catalog = self._n.catalog_products(int_arg("network_id", network_id))
        return r


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
        order: TopUpOrder = raw
        return order

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
        r: TopUp = raw
        return r

    def get(self, id: str) -> TopUp:
        """One top-up by id."""
        r: TopUp = self._n.topups_get(text_req("id", id))
        return r

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
        items: ListResult[TopUp] = _many(raw)
        return items

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
        found: Optional[TopUp] = raw
        return found

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
        r: TopUp = _drive_wait(w, cancel)
        return r


class BalanceApi:
    """Wallet balances (``client.balance``)."""

    def __init__(self, native: Any) -> None:
        self._n = native

    def list(self) -> Balance:
        """Every wallet and the USD total."""
        r: Balance = self._n.balance_list()
        return r

    def get(self, wallet_id: str) -> Wallet:
        """One wallet."""
        r: Wallet = self._n.balance_get(text_req("wallet_id", wallet_id))
        return r

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
        rl: Optional[RateLimit] = self._n.last_rate_limit()
        return rl

    def verify_webhook(self, body: BytesLike, signature: Union[str, bytes, None], timestamp: Union[str, bytes, int, None]) -> WebhookEvent:
        """Verify a webhook delivery with this client's API key (5-minute tolerance), then parse it."""
        raw = self._n.verify_webhook(
            body_bytes("body", body), header_text("signature", signature), header_text("timestamp", timestamp)
        )
        ev: WebhookEvent = raw
        return ev

    def pending(self) -> List[JournalEntry[TopUp]]:
        """Sends the journal holds open (``in_flight`` after a crash or running now, or ``unknown``), oldest
        first: do not sell these again. Empty without a journal."""
        entries: List[JournalEntry[TopUp]] = self._n.pending()
        return entries

    def journal_entry(self, reference: str) -> Optional[JournalEntry[TopUp]]:
        """The journal's entry for ``reference`` (any state), or ``None``."""
        entry: Optional[JournalEntry[TopUp]] = self._n.journal_entry(text_req("reference", reference))
        return entry

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
        done: List[Recovery[TopUp]] = self._n.recover()
        return done

    def __repr__(self) -> str:
        extra = f", journal={self._journal!r}" if self._journal else ""
        return f"V2Client(base_url={self.base_url!r}{extra}{_closed_repr(self)})"


# ============================================================================================ V1
