"""The blocking clients: :class:`V2Client` (current API) and :class:`V1Client` (legacy ``/adp`` API).

Both are thin: each call goes to the Rust core, which validates, retries reads, keeps sends at-most-once,
classifies errors and waits. The GIL is released for the whole network call or wait, so other Python threads
keep running. A client is safe to share between threads; it keeps one connection pool.

Durations (timeouts, deadlines) are seconds (``int``/``float``) or :class:`datetime.timedelta`. Amounts are
:class:`decimal.Decimal`, ``int`` or ``str``; a ``float`` amount is refused with a :class:`ValidationError`
(binary floats are not exact money).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterator, Mapping, Optional, Union

from . import _native
from ._convert import AmountLike, BytesLike, DateLike, amount_text, body_bytes, date_text, header_text, metadata_json, seconds
from .models import (
    AccountBalance,
    Balance,
    Catalog,
    Country,
    ListResult,
    Network,
    Product,
    RateLimit,
    Service,
    TopUp,
    Transaction,
    Wallet,
    WebhookEvent,
    _many,
    _one,
)

__all__ = ["V2Client", "V1Client", "CatalogApi", "TopupsApi", "BalanceApi", "TopUpIterator"]

Seconds = Union[float, int, _dt.timedelta]

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
    ) -> TopUp:
        """Send a top-up, at most once: a custom ``amount`` (with the local ``currency``) or a bundle
        ``product_id``.

        ``reference`` (yours, or generated) and ``idempotency_key`` (generated) are returned in ``.meta``
        and on every error. If the answer is lost, the core looks the top-up up by reference before it ever
        writes the request again; if it still cannot tell, :class:`~clickairtime.OutcomeUnknownError` is
        raised with ``.reference`` — never treat that as failed: :meth:`reconcile` it later.
        """
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
        """The top-up sent with ``reference``, or ``None`` if the API has none (it was never created, so
        sending it again with the same reference is safe)."""
        raw = self._n.topups_reconcile(reference)
        return None if raw is None else _one(TopUp, raw)

    def wait(
        self,
        id: str,
        *,
        deadline: Optional[Seconds] = None,
        initial_interval: Optional[Seconds] = None,
        max_interval: Optional[Seconds] = None,
    ) -> TopUp:
        """Poll until the top-up is completed or failed, with backoff, up to ``deadline`` seconds (default
        13 minutes). Past the deadline: :class:`~clickairtime.TimeoutError` with ``.transaction_id``."""
        raw = self._n.topups_wait(
            id,
            deadline=seconds("deadline", deadline),
            initial_interval=seconds("initial_interval", initial_interval),
            max_interval=seconds("max_interval", max_interval),
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
    are never retried blindly. ``send_deadline`` (default 120) bounds the recovery of a send whose answer was
    lost. ``ca_certificates`` adds PEM roots (corporate TLS proxies); ``proxy`` is an http(s)/socks URL.
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
    ) -> None:
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

    def __repr__(self) -> str:
        return f"V2Client(base_url={self.base_url!r})"


# ============================================================================================ V1


class V1Client:
    """Client of the legacy V1 API (``/adp``, e-mail + token headers). Same settings as :class:`V2Client`,
    plus ``topup_path`` (``/adp``, the default, or ``/adp/topup`` as older docs say)."""

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
    ) -> None:
        self._email = email
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

    def send_topup(
        self,
        msisdn: str,
        *,
        amount: Optional[AmountLike] = None,
        product_id: Optional[int] = None,
        ext_ref_id: Optional[str] = None,
        processing_mode: str = "SYNC",
        send_sms: bool = False,
    ) -> Transaction:
        """Send a top-up, at most once, to ``msisdn`` (international digits without ``+``).

        ``ext_ref_id`` (yours, or a generated UUID) is returned in ``.meta.reference`` and on every error. A
        SYNC answer carries a terminal state; an ASYNC one a ``PENDING`` state: call :meth:`wait`. A top-up
        the provider failed is returned with its ``FAILED`` state, not raised.
        """
        raw = self._n.send_topup(
            msisdn,
            amount=amount_text("amount", amount),
            product_id=product_id,
            ext_ref_id=ext_ref_id,
            processing_mode=processing_mode,
            send_sms=send_sms,
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
        """The transaction sent with ``ext_ref_id``, or ``None``: the API has none, so it was never created."""
        raw = self._n.reconcile(ext_ref_id)
        return None if raw is None else _one(Transaction, raw)

    def wait(
        self,
        ext_ref_id: str,
        *,
        deadline: Optional[Seconds] = None,
        initial_interval: Optional[Seconds] = None,
        max_interval: Optional[Seconds] = None,
    ) -> Transaction:
        """Poll by ``ext_ref_id`` until the transaction is terminal, up to ``deadline`` seconds (default 13
        minutes). Past the deadline: :class:`~clickairtime.TimeoutError` with ``.reference``."""
        raw = self._n.wait(
            ext_ref_id,
            deadline=seconds("deadline", deadline),
            initial_interval=seconds("initial_interval", initial_interval),
            max_interval=seconds("max_interval", max_interval),
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

    def __repr__(self) -> str:
        return f"V1Client(email={self._email!r}, base_url={self.base_url!r})"
