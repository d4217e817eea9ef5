"""clickairtime.aio: the same operations as coroutines; the event loop keeps ticking during a call."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal
from typing import Awaitable, Callable, Tuple, TypeVar

import pytest

from clickairtime import InsufficientBalanceError, ListResult, TopUp, ValidationError, aio
from clickairtime.sandbox import Sandbox

from conftest import MSISDN, PHONE, magic

T = TypeVar("T")
DELAY = 0.5


async def with_ticks(make: Callable[[], Awaitable[T]]) -> Tuple[T, int, float]:
    ticks = 0
    stop = asyncio.Event()

    async def tick() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0.01)

    ticker = asyncio.ensure_future(tick())
    start = time.monotonic()
    result = await make()
    elapsed = time.monotonic() - start
    stop.set()
    await ticker
    return result, ticks, elapsed


def test_the_loop_keeps_ticking_during_a_call(sandbox: Sandbox) -> None:
    client = aio.V2Client(sandbox.api_key, base_url=sandbox.base_url)
    sandbox.inject("slow", delay=DELAY, method="GET", path="/v2/balance")
    balance, ticks, elapsed = asyncio.run(with_ticks(lambda: client.balance.list()))
    assert balance.wallets and elapsed >= DELAY
    assert ticks >= 20, ticks  # ~50 if the loop is free, 1 if the call blocked it


def test_concurrent_calls_overlap(sandbox: Sandbox) -> None:
    client = aio.V2Client(sandbox.api_key, base_url=sandbox.base_url)
    sandbox.inject("slow", delay=DELAY, method="GET", path="/v2/catalog", count=4)

    async def main() -> float:
        start = time.monotonic()
        got = await asyncio.gather(*(client.catalog.networks("GH") for _ in range(4)))
        assert all(len(g) == 3 for g in got)
        return time.monotonic() - start

    elapsed = asyncio.run(main())
    assert DELAY <= elapsed < DELAY * 2.5


def test_every_v2_operation(sandbox: Sandbox) -> None:
    client = aio.V2Client(sandbox.api_key, base_url=sandbox.base_url)

    async def main() -> None:
        cat = await client.catalog.lookup(PHONE)
        assert cat.network.id == 42
        assert (await client.catalog.lookup(network_id=42)).network.name == "MTN Ghana"
        assert len(await client.catalog.countries()) >= 3
        assert (await client.catalog.products(42)).products.fixed_bundles
        t = await client.topups.create(PHONE, 42, amount=Decimal("9.99"), currency="GHS", reference="aio-1")
        assert isinstance(t, TopUp) and t.meta is not None and t.meta.reference == "aio-1"
        assert (await client.topups.get(t.id)).id == t.id
        done = await client.topups.wait(t.id, deadline=10, initial_interval=0.05)
        assert done.status == "completed"
        page = await client.topups.list(per_page=1)
        assert isinstance(page, ListResult) and page.pagination is not None
        found = await client.topups.reconcile("aio-1")
        assert found is not None and found.id == t.id
        await client.topups.create(PHONE, 42, amount=1, currency="GHS")
        ids = [x.id async for x in client.topups.list_all(per_page=1)]
        assert len(ids) == 2 and t.id in ids
        bal = await client.balance.list()
        assert (await client.balance.get(bal.wallets[0].id)).id == bal.wallets[0].id
        with pytest.raises(InsufficientBalanceError):
            await client.topups.create(magic(1), 42, amount=1, currency="GHS")
        with pytest.raises(ValidationError):
            client.topups.list_all(per_page=0)

    asyncio.run(main())
    assert client.last_rate_limit is not None
    assert "api_key" not in repr(client) and sandbox.api_key not in repr(client)


def test_every_v1_operation(sandbox: Sandbox) -> None:
    client = aio.V1Client(sandbox.v1_email, sandbox.v1_token, base_url=sandbox.base_url)

    async def main() -> None:
        t = await client.send_topup(MSISDN, amount=2, ext_ref_id="AIO-1", processing_mode="ASYNC")
        assert t.state == "PENDING"
        done = await client.wait("AIO-1", deadline=10, initial_interval=0.05)
        assert done.state == "SUCCESS"
        assert len(await client.transactions(ext_ref_id="AIO-1")) == 1
        assert (await client.reconcile("AIO-1")) is not None
        assert len(await client.product_catalog()) == 7
        assert len(await client.products(42)) == 2
        assert (await client.product(4201)).id == 4201
        balances = await client.balances()
        assert balances[0].account_id is not None
        assert (await client.balance(balances[0].account_id)).account_id == balances[0].account_id

    asyncio.run(main())
    assert sandbox.v1_token not in repr(client)
