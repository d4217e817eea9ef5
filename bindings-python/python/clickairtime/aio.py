"""asyncio flavour of the clients, for FastAPI, aiohttp and other event-loop apps.

The same clients and methods as :mod:`clickairtime`, with ``async def`` methods. Each call runs the blocking
core in a worker thread (``asyncio.to_thread``, with the GIL released during the network call), so the event
loop keeps serving other tasks meanwhile::

    from clickairtime.aio import V2Client

    client = V2Client(api_key)
    topup = await client.topups.create("+233541112259", 42, amount=Decimal("50"), currency="GHS")
    done = await client.topups.wait(topup.id)

Cancelling the awaiting task does not stop the call already running in its thread: a send still completes
(or raises) there, and its reference stays valid for ``reconcile`` (and, with a journal, ``recover``).
Preparing an order (``client.topups.prepare``, ``client.prepare_topup``) sends nothing and is not awaited.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, AsyncIterator, Callable, List, Mapping, Optional, TypeVar, Union, overload

from . import client as _sync
from ._convert import AmountLike, BytesLike, DateLike
from .client import Seconds
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
)

__all__ = ["V2Client", "V1Client", "AsyncTopUpIterator"]

R = TypeVar("R")
_END = object()


async def _off_loop(fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    return await asyncio.to_thread(functools.partial(fn, *args, **kwargs))


class AsyncTopUpIterator(AsyncIterator[TopUp]):
    """Every top-up of a listing; each page is fetched in a worker thread."""

    def __init__(self, it: _sync.TopUpIterator) -> None:
        self._it = it

    def __aiter__(self) -> AsyncTopUpIterator:
        return self

    async def __anext__(self) -> TopUp:
        item = await _off_loop(next, self._it, _END)
        if item is _END:
            raise StopAsyncIteration
        assert isinstance(item, TopUp)
        return item


class AsyncCatalogApi:
    """``await client.catalog.…``"""

    def __init__(self, api: _sync.CatalogApi) -> None:
        self._s = api

    async def lookup(self, phone_number: Optional[str] = None, *, network_id: Optional[int] = None) -> Catalog:
        return await _off_loop(self._s.lookup, phone_number, network_id=network_id)

    async def countries(self) -> ListResult[Country]:
        return await _off_loop(self._s.countries)

    async def networks(self, country_code: Optional[str] = None) -> ListResult[Network]:
        return await _off_loop(self._s.networks, country_code)

    async def products(self, network_id: int) -> Catalog:
        return await _off_loop(self._s.products, network_id)


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
    async def create(self, order: TopUpOrder, /) -> TopUp: ...

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
    ) -> TopUp:
        """See :meth:`clickairtime.TopupsApi.create`."""
        return await _off_loop(
            self._s.create,
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

    async def get(self, id: str) -> TopUp:
        return await _off_loop(self._s.get, id)

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
        return await _off_loop(
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
    ) -> AsyncTopUpIterator:
        """``async for topup in client.topups.list_all(...)``; filters are validated now."""
        it = self._s.list_all(
            per_page=per_page,
            status=status,
            phone_number=phone_number,
            reference=reference,
            from_=from_,
            to=to,
            sort=sort,
            page=page,
        )
        return AsyncTopUpIterator(it)

    async def reconcile(self, reference: str) -> Optional[TopUp]:
        return await _off_loop(self._s.reconcile, reference)

    async def wait(
        self,
        id: str,
        *,
        deadline: Optional[Seconds] = None,
        initial_interval: Optional[Seconds] = None,
        max_interval: Optional[Seconds] = None,
        not_found_grace: Optional[Seconds] = None,
    ) -> TopUp:
        return await _off_loop(
            self._s.wait,
            id,
            deadline=deadline,
            initial_interval=initial_interval,
            max_interval=max_interval,
            not_found_grace=not_found_grace,
        )


class AsyncBalanceApi:
    """``await client.balance.…``"""

    def __init__(self, api: _sync.BalanceApi) -> None:
        self._s = api

    async def list(self) -> Balance:
        return await _off_loop(self._s.list)

    async def get(self, wallet_id: str) -> Wallet:
        return await _off_loop(self._s.get, wallet_id)


class V2Client:
    """Async V2 client; takes the same settings as :class:`clickairtime.V2Client`."""

    def __init__(self, api_key: str, **settings: Any) -> None:
        self.sync = _sync.V2Client(api_key, **settings)
        self.catalog = AsyncCatalogApi(self.sync.catalog)
        self.topups = AsyncTopupsApi(self.sync.topups)
        self.balance = AsyncBalanceApi(self.sync.balance)

    @property
    def base_url(self) -> str:
        return self.sync.base_url

    @property
    def last_rate_limit(self) -> Optional[RateLimit]:
        return self.sync.last_rate_limit

    def verify_webhook(
        self, body: BytesLike, signature: Union[str, bytes, None], timestamp: Union[str, bytes, int, None]
    ) -> WebhookEvent:
        """Verify and parse a webhook (pure computation: no need to await)."""
        return self.sync.verify_webhook(body, signature, timestamp)

    @property
    def journal(self) -> Optional[str]:
        return self.sync.journal

    async def pending(self) -> List[JournalEntry[TopUp]]:
        return await _off_loop(self.sync.pending)

    async def journal_entry(self, reference: str) -> Optional[JournalEntry[TopUp]]:
        return await _off_loop(self.sync.journal_entry, reference)

    async def recover(self) -> List[Recovery[TopUp]]:
        return await _off_loop(self.sync.recover)

    def __repr__(self) -> str:
        return "aio." + repr(self.sync)


class V1Client:
    """Async V1 client; takes the same settings as :class:`clickairtime.V1Client`."""

    def __init__(self, email: str, token: str, **settings: Any) -> None:
        self.sync = _sync.V1Client(email, token, **settings)

    @property
    def base_url(self) -> str:
        return self.sync.base_url

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
    async def send_topup(self, order: V1TopUpOrder, /) -> Transaction: ...

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
    ) -> Transaction:
        return await _off_loop(
            self.sync.send_topup,
            msisdn,
            amount=amount,
            product_id=product_id,
            ext_ref_id=ext_ref_id,
            processing_mode=processing_mode,
            send_sms=send_sms,
        )

    async def transactions(
        self,
        *,
        transaction_id: Optional[str] = None,
        msisdn: Optional[str] = None,
        ext_ref_id: Optional[str] = None,
    ) -> ListResult[Transaction]:
        return await _off_loop(
            self.sync.transactions, transaction_id=transaction_id, msisdn=msisdn, ext_ref_id=ext_ref_id
        )

    async def reconcile(self, ext_ref_id: str) -> Optional[Transaction]:
        return await _off_loop(self.sync.reconcile, ext_ref_id)

    async def wait(
        self,
        ext_ref_id: str,
        *,
        deadline: Optional[Seconds] = None,
        initial_interval: Optional[Seconds] = None,
        max_interval: Optional[Seconds] = None,
        not_found_grace: Optional[Seconds] = None,
    ) -> Transaction:
        return await _off_loop(
            self.sync.wait,
            ext_ref_id,
            deadline=deadline,
            initial_interval=initial_interval,
            max_interval=max_interval,
            not_found_grace=not_found_grace,
        )

    async def product_catalog(self) -> ListResult[Service]:
        return await _off_loop(self.sync.product_catalog)

    async def products(self, service_id: int) -> ListResult[Product]:
        return await _off_loop(self.sync.products, service_id)

    async def product(self, product_id: int) -> Product:
        return await _off_loop(self.sync.product, product_id)

    async def balances(self) -> ListResult[AccountBalance]:
        return await _off_loop(self.sync.balances)

    async def balance(self, account_id: str) -> AccountBalance:
        return await _off_loop(self.sync.balance, account_id)

    @property
    def journal(self) -> Optional[str]:
        return self.sync.journal

    async def pending(self) -> List[JournalEntry[Transaction]]:
        return await _off_loop(self.sync.pending)

    async def journal_entry(self, ext_ref_id: str) -> Optional[JournalEntry[Transaction]]:
        return await _off_loop(self.sync.journal_entry, ext_ref_id)

    async def recover(self) -> List[Recovery[Transaction]]:
        return await _off_loop(self.sync.recover)

    def __repr__(self) -> str:
        return "aio." + repr(self.sync)
