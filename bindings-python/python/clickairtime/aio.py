"""asyncio flavour of the clients, for FastAPI, aiohttp and other event-loop apps.

The same clients and methods as :mod:`clickairtime`, with ``async def`` methods::

    from clickairtime.aio import V2Client

    async with V2Client() as client:                    # the key from CLICKAIRTIME_API_KEY
        topup = await client.topups.create("+233541112259", 42, amount=Decimal("50"), currency="GHS")
        done = await client.topups.wait(topup.id)

**Nothing starves the host.** Blocking work — one HTTP exchange (with a read's retries), one send (its whole
protocol, bounded by ``send_deadline``), one journal query — runs on threads the SDK owns (a pool of up to
:data:`MAX_THREADS` threads named ``clickairtime-aio-…``), never on the event loop and never on asyncio's
default executor, which ``loop.getaddrinfo`` and ``loop.run_in_executor(None, …)`` share. **Waits hold no
thread**: each poll is one exchange on the SDK's pool, and between polls the wait sleeps with
``asyncio.sleep``; a thousand pending waits are a thousand timers. ``list_all`` fetches one page per exchange,
when the iteration needs it.

**Cancellation.** Cancelling the task (``task.cancel()``, ``asyncio.timeout``, ``asyncio.wait_for``, a
``TaskGroup`` shutting down) raises ``asyncio.CancelledError`` in it at once, as everywhere in asyncio, and
cancels the core call behind it through a cancel token:

- a send (``topups.create``, ``send_topup``) that has not yet written anything of the sale stops there:
  nothing is sent. A send that may already have been written is **never abandoned**: it runs on, in its SDK
  thread, to its settled outcome, which the journal records (``journal_entry(reference)``, ``pending()``,
  ``recover()``) and the ``clickairtime`` logger reports. Prepare the order first to know its reference;
- a wait stops polling (the sale stands), a listing stops, a read's answer is dropped;
- a bulk run stops taking new rows; the sends under way settle and the report is still written.

To cancel from elsewhere and *get the outcome*, pass ``cancel=`` a :class:`~clickairtime.CancelToken`, as with
the blocking clients: the call then ends with :class:`clickairtime.CancelledError` (code ``CANCELLED``: a send
stopped before its write, nothing sent; a wait stopped, the sale stands) or, for a send already written, with
its real outcome.

Preparing an order (``client.topups.prepare``, ``client.prepare_topup``) and verifying a webhook send nothing
and are not awaited.
"""
from __future__ import annotations

from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    List,
    Mapping,
    Optional,
    Type,
    TypeVar,
    Union,
    overload,
)

from . import _bulk
from . import client as _sync
from ._aio_base import MAX_THREADS, _bulk_run, _drive, _run, _send
from ._cancel import CancelToken
from ._convert import AmountLike, BytesLike, DateLike
from .client import PathLike, Seconds
from .errors import _wrong_type
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
)

if TYPE_CHECKING:
    from ._common import ProgressCallback

__all__ = ["V2Client", "V1Client", "AsyncTopUpIterator", "MAX_THREADS"]

_END = object()


class AsyncTopUpIterator(AsyncIterator[TopUp]):
    """Every top-up of a listing; each page is fetched on the SDK's pool when the iteration needs it."""

    def __init__(self, it: _sync.TopUpIterator) -> None:
        self._it = it

    def __aiter__(self) -> AsyncTopUpIterator:
        return self

    async def __anext__(self) -> TopUp:
        item = await _run(next, self._it, _END)
        if item is _END:
            raise StopAsyncIteration
        assert isinstance(item, TopUp)
        return item


class AsyncCatalogApi:
    """``await client.catalog.…``"""

    def __init__(self, api: _sync.CatalogApi) -> None:
        self._s = api

    async def lookup(self, phone_number: Optional[str] = None, *, network_id: Optional[int] = None) -> Catalog:
        return await _run(self._s.lookup, phone_number, network_id=network_id)

    async def countries(self) -> ListResult[Country]:
        return await _run(self._s.countries)

    async def networks(self, country_code: Optional[str] = None) -> ListResult[Network]:
        return await _run(self._s.networks, country_code)

    async def products(self, network_id: int) -> Catalog:
        return await _run(self._s.products, network_id)


class AsyncTopupsApi:
    """``await client.topups.…``"""

    def __init__(self, api: _sync.TopupsApi) -> None:
        self._s = api

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
        """Validate and fix the handles of an order (no network: not awaited). See
        :meth:`clickairtime.TopupsApi.prepare`."""
        return self._s.prepare(
            phone_number,
            network_id,
            amount=amount,
            currency=currency,
            product_id=product_id,
            sms=sms,
            sms_message=sms_message,
            reference=reference,
            callback_url=callback_url,
            metadata=metadata,
            idempotency_key=idempotency_key,
        )

    @overload
    async def create(self, order: TopUpOrder, /, *, cancel: Optional[CancelToken] = None) -> TopUp: ...

    @overload
    async def create(
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

    async def create(
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
        """See :meth:`clickairtime.TopupsApi.create`; cancellation as the module says."""
        if isinstance(phone_number, TopUpOrder):
            order = phone_number
            # the same checks as the blocking create (an order alone)
            others = (network_id, amount, currency, product_id, sms, sms_message, reference, callback_url,
                      metadata, idempotency_key)
            if any(v is not None for v in others):
                raise _wrong_type("order", "create(order) takes the order alone; set the fields with prepare(...)")
        else:
            if network_id is None:
                raise _wrong_type("network_id", "create() needs network_id (or a TopUpOrder from prepare())")
            # the handles are fixed before anything is sent, so that a cancelled send can be named
            order = self.prepare(
                phone_number,
                network_id,
                amount=amount,
                currency=currency,
                product_id=product_id,
                sms=sms,
                sms_message=sms_message,
                reference=reference,
                callback_url=callback_url,
                metadata=metadata,
                idempotency_key=idempotency_key,
            )
        return await _send(lambda token: self._s.create(order, cancel=token), cancel, order.reference)

    async def get(self, id: str) -> TopUp:
        return await _run(self._s.get, id)

    async def list(
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
        return await _run(
            self._s.list,
            page=page,
            per_page=per_page,
            status=status,
            phone_number=phone_number,
            reference=reference,
            from_=from_,
            to=to,
            sort=sort,
        )

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
    ) -> AsyncTopUpIterator:
        """``async for topup in client.topups.list_all(...)``; filters are validated now, pages fetched one
        exchange at a time as the loop needs them."""
        it = self._s.list_all(
            per_page=per_page,
            status=status,
            phone_number=phone_number,
            reference=reference,
            from_=from_,
            to=to,
            sort=sort,
            page=page,
            cancel=cancel,
        )
        return AsyncTopUpIterator(it)

    async def reconcile(self, reference: str) -> Optional[TopUp]:
        return await _run(self._s.reconcile, reference)

    async def wait(
        self,
        id: str,
        *,
        deadline: Optional[Seconds] = None,
        initial_interval: Optional[Seconds] = None,
        max_interval: Optional[Seconds] = None,
        not_found_grace: Optional[Seconds] = None,
        cancel: Optional[CancelToken] = None,
    ) -> TopUp:
        """See :meth:`clickairtime.TopupsApi.wait`: one exchange per poll on the SDK's pool, ``asyncio.sleep``
        between polls (no thread held)."""
        w = self._s._wait_steps(id, deadline, initial_interval, max_interval, not_found_grace, cancel)
        t: TopUp = await _drive(w, cancel)
        return t


class AsyncBalanceApi:
    """``await client.balance.…``"""

    def __init__(self, api: _sync.BalanceApi) -> None:
        self._s = api

    async def list(self) -> Balance:
        return await _run(self._s.list)

    async def get(self, wallet_id: str) -> Wallet:
        return await _run(self._s.get, wallet_id)


_A = TypeVar("_A", bound="_AsyncClient")


class _AsyncClient:
    """What both async clients share: close, async context manager, journal, bulk."""

    sync: Union[_sync.V2Client, _sync.V1Client]

    @property
    def base_url(self) -> str:
        return self.sync.base_url

    @property
    def last_rate_limit(self) -> Optional[RateLimit]:
        return self.sync.last_rate_limit

    @property
    def journal(self) -> Optional[str]:
        return self.sync.journal

    @property
    def closed(self) -> bool:
        return self.sync.closed

    def close(self) -> None:
        """Release the client (see :meth:`clickairtime.V2Client.close`): a send under way finishes first, in
        its SDK thread."""
        self.sync.close()

    async def aclose(self) -> None:
        """:meth:`close`, for ``contextlib.aclosing`` and friends."""
        self.close()

    async def __aenter__(self: _A) -> _A:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    async def bulk(
        self,
        source: _bulk.BulkSource,
        *,
        concurrency: int = 4,
        on_progress: Optional[ProgressCallback] = None,
        report: Optional[PathLike] = None,
        cancel: Optional[CancelToken] = None,
        name: Optional[str] = None,
    ) -> BulkReport:
        """:meth:`clickairtime.V2Client.bulk`, awaited: the run goes on the SDK's threads, ``on_progress`` is
        called on the event loop. Cancelling the task stops taking new rows (sends under way settle and the
        report is still written) and raises ``asyncio.CancelledError``."""
        return await _bulk_run(self.sync, source, concurrency, on_progress, report, cancel, name)

    def __repr__(self) -> str:
        return "aio." + repr(self.sync)


class V2Client(_AsyncClient):
    """Async V2 client; takes the same settings as :class:`clickairtime.V2Client` (the key from
    ``CLICKAIRTIME_API_KEY`` when not given)."""

    sync: _sync.V2Client

    def __init__(self, api_key: Optional[str] = None, **settings: Any) -> None:
        self.sync = _sync.V2Client(api_key, **settings)
        self.catalog = AsyncCatalogApi(self.sync.catalog)
        self.topups = AsyncTopupsApi(self.sync.topups)
        self.balance = AsyncBalanceApi(self.sync.balance)

    def verify_webhook(
        self, body: BytesLike, signature: Union[str, bytes, None], timestamp: Union[str, bytes, int, None]
    ) -> WebhookEvent:
        """Verify and parse a webhook (pure computation: no need to await)."""
        return self.sync.verify_webhook(body, signature, timestamp)

    async def pending(self) -> List[JournalEntry[TopUp]]:
        return await _run(self.sync.pending)

    async def journal_entry(self, reference: str) -> Optional[JournalEntry[TopUp]]:
        return await _run(self.sync.journal_entry, reference)

    async def recover(self) -> List[Recovery[TopUp]]:
        return await _run(self.sync.recover)


class V1Client(_AsyncClient):
    """Async V1 client; takes the same settings as :class:`clickairtime.V1Client` (credentials from
    ``CLICKAIRTIME_V1_EMAIL`` / ``CLICKAIRTIME_V1_TOKEN`` when not given)."""

    sync: _sync.V1Client

    def __init__(self, email: Optional[str] = None, token: Optional[str] = None, **settings: Any) -> None:
        self.sync = _sync.V1Client(email, token, **settings)

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
        """Validate and fix the ``ext_ref_id`` of an order (no network: not awaited)."""
        return self.sync.prepare_topup(
            msisdn,
            amount=amount,
            product_id=product_id,
            ext_ref_id=ext_ref_id,
            processing_mode=processing_mode,
            send_sms=send_sms,
        )

    @overload
    async def send_topup(self, order: V1TopUpOrder, /, *, cancel: Optional[CancelToken] = None) -> Transaction: ...

    @overload
    async def send_topup(
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

    async def send_topup(
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
        """See :meth:`clickairtime.V1Client.send_topup`; cancellation as the module says."""
        if isinstance(msisdn, V1TopUpOrder):
            if any(v is not None for v in (amount, product_id, ext_ref_id, processing_mode, send_sms)):
                raise _wrong_type(
                    "order", "send_topup(order) takes the order alone; set the fields with prepare_topup(...)"
                )
            order = msisdn
        else:
            order = self.sync.prepare_topup(
                msisdn,
                amount=amount,
                product_id=product_id,
                ext_ref_id=ext_ref_id,
                processing_mode=processing_mode if processing_mode is not None else "SYNC",
                send_sms=bool(send_sms),
            )
        return await _send(lambda token: self.sync.send_topup(order, cancel=token), cancel, order.ext_ref_id)

    async def transactions(
        self,
        *,
        transaction_id: Optional[str] = None,
        msisdn: Optional[str] = None,
        ext_ref_id: Optional[str] = None,
    ) -> ListResult[Transaction]:
        return await _run(self.sync.transactions, transaction_id=transaction_id, msisdn=msisdn, ext_ref_id=ext_ref_id)

    async def reconcile(self, ext_ref_id: str) -> Optional[Transaction]:
        return await _run(self.sync.reconcile, ext_ref_id)

    async def wait(
        self,
        ext_ref_id: str,
        *,
        deadline: Optional[Seconds] = None,
        initial_interval: Optional[Seconds] = None,
        max_interval: Optional[Seconds] = None,
        not_found_grace: Optional[Seconds] = None,
        cancel: Optional[CancelToken] = None,
    ) -> Transaction:
        """See :meth:`clickairtime.V1Client.wait`: one exchange per poll, ``asyncio.sleep`` between polls."""
        w = self.sync._wait_steps(ext_ref_id, deadline, initial_interval, max_interval, not_found_grace, cancel)
        t: Transaction = await _drive(w, cancel)
        return t

    async def product_catalog(self) -> ListResult[Service]:
        return await _run(self.sync.product_catalog)

    async def products(self, service_id: int) -> ListResult[Product]:
        return await _run(self.sync.products, service_id)

    async def product(self, product_id: int) -> Product:
        return await _run(self.sync.product, product_id)

    async def balances(self) -> ListResult[AccountBalance]:
        return await _run(self.sync.balances)

    async def balance(self, account_id: str) -> AccountBalance:
        return await _run(self.sync.balance, account_id)

    async def pending(self) -> List[JournalEntry[Transaction]]:
        return await _run(self.sync.pending)

    async def journal_entry(self, ext_ref_id: str) -> Optional[JournalEntry[Transaction]]:
        return await _run(self.sync.journal_entry, ext_ref_id)

    async def recover(self) -> List[Recovery[Transaction]]:
        return await _run(self.sync.recover)
