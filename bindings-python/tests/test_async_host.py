"""clickairtime.aio cannot starve its host (issue 12): blocking work runs on the SDK's own threads, never on
asyncio's default executor; a pending wait holds no thread (one exchange per poll, asyncio.sleep between);
listings fetch one page per exchange. Proved by ordering, not timing."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from pathlib import Path
from typing import Any, List

from clickairtime import aio
from clickairtime.sandbox import Sandbox

from conftest import PHONE, magic

# more pending waits than any pool has threads: the SDK's (aio.MAX_THREADS) and the default executor's
WAITS = aio.MAX_THREADS + 16


def test_pending_waits_hold_no_thread_and_leave_dns_files_and_timers_alone() -> None:
    with Sandbox(duplicate_window=0, rate_limit_per_minute=10_000_000) as sb:
        sync = sb.v2_client()
        # top-ups that stay processing for 30 minutes: a wait on them never resolves by itself
        ids = [sync.topups.create(magic(10), 42, amount=1, currency="GHS").id for _ in range(WAITS)]
        client = aio.V2Client(sb.api_key, base_url=sb.base_url, max_retries=0)
        events: List[Any] = []

        async def main() -> None:
            loop = asyncio.get_running_loop()
            # a deliberately tiny default executor: a single call parked on it would stall getaddrinfo
            loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=2))
            waits = [
                asyncio.ensure_future(client.topups.wait(i, deadline=300, initial_interval=0.05, max_interval=0.3))
                for i in ids
            ]
            before = sb.stats()["v2"]["requests"]
            await asyncio.sleep(0.5)  # every wait has polled, and keeps polling
            assert not any(w.done() for w in waits)

            ticks = 0

            async def every_10ms() -> None:
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0.01)

            ticker = asyncio.ensure_future(every_10ms())
            addrs = await asyncio.wait_for(loop.getaddrinfo("localhost", 80), 20)
            events.append(("dns", bool(addrs), any(w.done() for w in waits)))
            data = await asyncio.wait_for(loop.run_in_executor(None, Path(__file__).read_bytes), 20)
            events.append(("file", len(data) > 0, any(w.done() for w in waits)))
            await asyncio.sleep(0.3)
            events.append(("ticks", ticks, any(w.done() for w in waits)))

            # the waits were alive all along (polling), and ran on the SDK's threads only
            polls = sb.stats()["v2"]["requests"] - before
            names = [t.name for t in threading.enumerate()]
            sdk = [n for n in names if n.startswith("clickairtime-aio")]
            events.append(("polls", polls, len(sdk)))

            for w in waits:
                w.cancel()
            done = await asyncio.gather(*waits, return_exceptions=True)
            events.append(("cancelled", all(isinstance(r, asyncio.CancelledError) for r in done)))
            # cancelled waits stop polling (a poll already in flight may still land)
            await asyncio.sleep(0.4)
            settled = sb.stats()["v2"]["requests"]
            await asyncio.sleep(0.8)
            events.append(("quiet", sb.stats()["v2"]["requests"] - settled))
            ticker.cancel()

        asyncio.run(main())
        dns, file, ticks, polls, cancelled, quiet = events
        assert dns == ("dns", True, False), events
        assert file == ("file", True, False), events
        assert ticks[0] == "ticks" and ticks[1] >= 10 and ticks[2] is False, events
        assert polls[1] >= 2 * WAITS, events  # each wait polled more than once meanwhile
        assert 0 < polls[2] <= aio.MAX_THREADS, events
        assert cancelled == ("cancelled", True), events
        assert quiet == ("quiet", 0), events


def test_slow_calls_run_on_the_sdks_threads_not_the_default_executor() -> None:
    with Sandbox() as sb:
        client = aio.V2Client(sb.api_key, base_url=sb.base_url)
        sb.inject("slow", delay=1.0, method="GET", path="/v2/balance", count=8)
        seen: List[str] = []

        async def main() -> None:
            loop = asyncio.get_running_loop()
            loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=1))
            slow = [asyncio.ensure_future(client.balance.list()) for _ in range(8)]
            await asyncio.sleep(0.1)
            await asyncio.wait_for(loop.run_in_executor(None, lambda: seen.append(threading.current_thread().name)), 5)
            assert not any(s.done() for s in slow)
            for b in await asyncio.gather(*slow):
                assert b.wallets

        asyncio.run(main())
        assert seen and not seen[0].startswith("clickairtime")


def test_listing_fetches_one_page_per_exchange() -> None:
    with Sandbox(duplicate_window=0) as sb:
        sync = sb.v2_client()
        for i in range(3):
            sync.topups.create(PHONE, 42, amount=1 + i, currency="GHS")
        client = aio.V2Client(sb.api_key, base_url=sb.base_url)

        async def main() -> List[int]:
            counts = []
            before = sb.stats()["v2"]["requests"]
            async for _ in client.topups.list_all(per_page=1):
                counts.append(sb.stats()["v2"]["requests"] - before)
            return counts

        assert asyncio.run(main()) == [1, 2, 3]
