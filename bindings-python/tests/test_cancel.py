"""Cancellation (issue 12): asyncio task cancellation and CancelToken (sync, from another thread; aio) reach the
core call through its cancel token. Before the first write nothing is sent; a sale already written is never
abandoned (it settles in its thread; the journal records it); a wait stops polling; a listing stops."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest

import clickairtime
from clickairtime import CancelToken, CancelledError, aio, is_definitely_not_sent
from clickairtime.sandbox import Sandbox

from conftest import MSISDN, PHONE, magic, v2_count


def eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


@pytest.fixture
def sb() -> Any:
    with Sandbox(processing_after=0.05, complete_after=0.2, slow_delay=1.5, duplicate_window=0) as s:
        yield s


def throttled(sb: Sandbox, journal: Path, **kw: Any) -> clickairtime.V2Client:
    """A client whose next request waits about a minute for its rate-limit slot (nothing leaves meanwhile)."""
    c = sb.v2_client(journal=str(journal), rate_limit={"per_minute": 1}, **kw)
    c.balance.list()  # takes the one slot of this minute
    return c


# ----------------------------------------------------------------------------------------------- sync


def test_a_sync_send_cancelled_before_its_write_sends_nothing(sb: Sandbox, tmp_path: Path) -> None:
    c = throttled(sb, tmp_path / "j")
    order = c.topups.prepare(PHONE, 42, amount=5, currency="GHS")
    token = CancelToken()
    threading.Timer(0.3, token.cancel).start()
    start = time.monotonic()
    with pytest.raises(CancelledError) as e:
        c.topups.create(order, cancel=token)
    assert time.monotonic() - start < 5
    assert e.value.code == "CANCELLED" and is_definitely_not_sent(e.value)
    assert "nothing was sent" in str(e.value)
    assert sb.stats()["v2"]["posts"] == 0 and v2_count(sb) == 0
    entry = c.journal_entry(order.reference)
    assert entry is None or entry.state == "not_sent"


def test_a_sync_send_cancelled_after_its_write_runs_to_its_outcome(sb: Sandbox, tmp_path: Path) -> None:
    c = sb.v2_client(journal=str(tmp_path / "j"))
    order = c.topups.prepare(magic(9), 42, amount=5, currency="GHS")  # committed, answer 1.5 s late
    token = CancelToken()
    threading.Thread(target=lambda: (eventually(lambda: sb.stats()["v2"]["posts"] == 1), token.cancel())).start()
    t = c.topups.create(order, cancel=token)
    assert token.cancelled and t.reference == order.reference and t.meta is not None
    assert t.meta.origin in ("created", "recovered")
    assert v2_count(sb) == 1


def test_a_sync_wait_is_cancelled_from_another_thread_at_once(sb: Sandbox) -> None:
    c = sb.v2_client()
    t = c.topups.create(magic(10), 42, amount=5, currency="GHS")  # stays processing
    token = CancelToken()
    threading.Timer(0.5, token.cancel).start()
    start = time.monotonic()
    with pytest.raises(CancelledError) as e:
        c.topups.wait(t.id, initial_interval=10, deadline=60, cancel=token)  # asleep: woken by the token
    assert time.monotonic() - start < 3
    assert e.value.transaction_id == t.id and e.value.status in ("pending", "processing")
    assert "stands" in str(e.value)


def test_a_v1_wait_and_send_take_a_token(sb: Sandbox) -> None:
    c = sb.v1_client()
    c.send_topup("233555000010", amount=2, ext_ref_id="V1-CANCEL", processing_mode="ASYNC")
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError) as e:
        c.wait("V1-CANCEL", cancel=token)
    assert e.value.reference == "V1-CANCEL"
    with pytest.raises(CancelledError):
        c.send_topup(MSISDN, amount=2, ext_ref_id="V1-NOT-SENT", cancel=token)
    assert c.reconcile("V1-NOT-SENT") is None


def test_a_listing_stops_between_pages(sb: Sandbox) -> None:
    c = sb.v2_client()
    for i in range(3):
        c.topups.create(PHONE, 42, amount=1 + i, currency="GHS")
    token = CancelToken()
    it = c.topups.list_all(per_page=1, cancel=token)
    next(it)
    token.cancel()
    with pytest.raises(CancelledError):
        next(it)
    with pytest.raises(StopIteration):
        next(it)


def test_tokens_are_checked(sb: Sandbox) -> None:
    c = sb.v2_client()
    with pytest.raises(clickairtime.ArgumentTypeError) as e:
        c.topups.wait("x", cancel=object())  # type: ignore[arg-type]
    assert e.value.field == "cancel"
    t = CancelToken()
    assert not t.cancelled and "cancelled=False" in repr(t)
    t.cancel()
    t.cancel()
    assert t.cancelled


# ----------------------------------------------------------------------------------------------- asyncio


def test_cancelling_the_task_stops_a_wait(sb: Sandbox) -> None:
    c = aio.V2Client(sb.api_key, base_url=sb.base_url)

    async def main() -> None:
        t = await c.topups.create(magic(10), 42, amount=5, currency="GHS")
        w = asyncio.ensure_future(c.topups.wait(t.id, initial_interval=0.05, max_interval=0.1))
        await asyncio.sleep(0.4)
        w.cancel()
        with pytest.raises(asyncio.CancelledError):
            await w
        await asyncio.sleep(0.3)
        n = sb.stats()["v2"]["requests"]
        await asyncio.sleep(0.5)
        assert sb.stats()["v2"]["requests"] == n  # no more polls

    asyncio.run(main())


def test_cancelling_the_task_before_the_write_sends_nothing(
    sb: Sandbox, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="clickairtime")
    c = aio.V2Client(sb.api_key, base_url=sb.base_url, journal=str(tmp_path / "j2"), rate_limit={"per_minute": 1})
    order = c.topups.prepare(PHONE, 42, amount=5, currency="GHS")

    async def main() -> None:
        await c.balance.list()  # the slot of this minute
        send = asyncio.ensure_future(c.topups.create(order))
        await asyncio.sleep(0.3)  # waiting for a rate-limit slot: nothing has left
        send.cancel()
        start = time.monotonic()
        with pytest.raises(asyncio.CancelledError):
            await send
        assert time.monotonic() - start < 0.5  # the cancellation propagates at once

    asyncio.run(main())
    eventually(lambda: any("nothing was sent" in r.getMessage() for r in caplog.records))
    assert sb.stats()["v2"]["posts"] == 0 and v2_count(sb) == 0
    entry = c.sync.journal_entry(order.reference)
    assert entry is None or entry.state == "not_sent"
    assert sb.v2_client().topups.reconcile(order.reference) is None


def test_cancelling_the_task_after_the_write_never_abandons_the_sale(
    sb: Sandbox, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="clickairtime")
    c = aio.V2Client(sb.api_key, base_url=sb.base_url, journal=str(tmp_path / "j"))
    order = c.topups.prepare(magic(9), 42, amount=5, currency="GHS")  # committed; its answer comes 1.5 s late

    async def main() -> None:
        send = asyncio.ensure_future(c.topups.create(order))
        while sb.stats()["v2"]["posts"] == 0:
            await asyncio.sleep(0.01)
        send.cancel()
        start = time.monotonic()
        with pytest.raises(asyncio.CancelledError):
            await send
        assert time.monotonic() - start < 0.5  # the task ends at once …

    asyncio.run(main())

    def sent() -> bool:
        e = c.sync.journal_entry(order.reference)
        return e is not None and e.state == "sent"

    eventually(sent)  # … while the send settles in its thread, and the journal records it
    assert v2_count(sb) == 1
    eventually(lambda: any("went through" in r.getMessage() and order.reference in r.getMessage() for r in caplog.records))
    # selling the same order again returns the recorded sale, nothing is written
    again = c.sync.topups.create(order)
    assert again.meta is not None and again.meta.origin == "journal" and v2_count(sb) == 1


def test_a_token_gives_an_aio_call_its_real_outcome(sb: Sandbox, tmp_path: Path) -> None:
    c = aio.V2Client(sb.api_key, base_url=sb.base_url, journal=str(tmp_path / "j"), rate_limit={"per_minute": 1})

    async def main() -> None:
        await c.balance.list()
        # before the write: CANCELLED, nothing sent
        token = CancelToken()
        order = c.topups.prepare(PHONE, 42, amount=5, currency="GHS")
        asyncio.get_running_loop().call_later(0.2, token.cancel)
        with pytest.raises(CancelledError) as e:
            await c.topups.create(order, cancel=token)
        assert is_definitely_not_sent(e.value)
        # a wait: woken in its sleep, CANCELLED with the last status; the sale stands
        plain = aio.V2Client(sb.api_key, base_url=sb.base_url)
        t = await plain.topups.create(magic(10), 42, amount=5, currency="GHS")
        token2 = CancelToken()
        threading.Timer(0.3, token2.cancel).start()
        start = time.monotonic()
        with pytest.raises(CancelledError) as e2:
            await plain.topups.wait(t.id, initial_interval=10, deadline=60, cancel=token2)
        assert time.monotonic() - start < 3 and e2.value.status in ("pending", "processing")
        # after the write: the real outcome
        token3 = CancelToken()
        slow = plain.topups.prepare(magic(9), 42, amount=6, currency="GHS")
        send = asyncio.ensure_future(plain.topups.create(slow, cancel=token3))
        while sb.stats()["v2"]["posts"] < 2:
            await asyncio.sleep(0.01)
        token3.cancel()
        done = await send
        assert done.reference == slow.reference

    asyncio.run(main())
    assert v2_count(sb) == 2


def test_cancelling_the_task_stops_a_listing_and_a_v1_wait(sb: Sandbox) -> None:
    c = aio.V1Client(sb.v1_email, sb.v1_token, base_url=sb.base_url)

    async def main() -> None:
        await c.send_topup("233555000010", amount=2, ext_ref_id="AIO-V1-W", processing_mode="ASYNC")
        w = asyncio.ensure_future(c.wait("AIO-V1-W", initial_interval=0.05))
        await asyncio.sleep(0.3)
        w.cancel()
        with pytest.raises(asyncio.CancelledError):
            await w
        # a timeout is a task cancellation too
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(c.wait("AIO-V1-W", initial_interval=0.05), 0.3)

    asyncio.run(main())
