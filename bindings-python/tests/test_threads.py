"""The GIL is released during every network call and every wait: Python threads overlap and keep running."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterator, List, Tuple

import pytest

import clickairtime
from clickairtime.sandbox import Sandbox

from conftest import PHONE

DELAY = 0.6


class Ticker:
    """A Python thread counting 5 ms ticks; it only advances while nobody holds the GIL for long."""

    def __init__(self) -> None:
        self.ticks = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.ticks += 1
            time.sleep(0.005)

    def __enter__(self) -> "Ticker":
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


def measure(call: Callable[[], object]) -> Tuple[float, int]:
    with Ticker() as t:
        time.sleep(0.02)
        before = t.ticks
        start = time.monotonic()
        call()
        elapsed = time.monotonic() - start
        ticks = t.ticks - before
    return elapsed, ticks


def test_calls_from_threads_overlap(sandbox: Sandbox, v2: clickairtime.V2Client) -> None:
    sandbox.inject("slow", delay=DELAY, method="GET", path="/v2/balance", count=4)
    start = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: v2.balance.list(), range(4)))
    elapsed = time.monotonic() - start
    assert all(r.wallets for r in results)
    assert elapsed >= DELAY
    assert elapsed < DELAY * 2.5, f"4 calls of {DELAY}s took {elapsed:.2f}s: they did not overlap"


def test_python_threads_run_during_a_call(sandbox: Sandbox, v2: clickairtime.V2Client) -> None:
    sandbox.inject("slow", delay=DELAY, method="GET", path="/v2/catalog")
    elapsed, ticks = measure(lambda: v2.catalog.countries())
    assert elapsed >= DELAY
    # ~120 ticks if the GIL is free; a held GIL would allow next to none
    assert ticks >= 30, ticks


def test_python_threads_run_during_a_send(sandbox: Sandbox, v2: clickairtime.V2Client) -> None:
    sandbox.inject("slow", delay=DELAY, method="POST", path="/v2/topups")
    elapsed, ticks = measure(lambda: v2.topups.create(PHONE, 42, amount=1, currency="GHS"))
    assert elapsed >= DELAY and ticks >= 30, (elapsed, ticks)


def test_python_threads_run_during_a_wait() -> None:
    with Sandbox(processing_after=0.1, complete_after=0.8) as sb:
        v2 = sb.v2_client()
        t = v2.topups.create(PHONE, 42, amount=1, currency="GHS")
        elapsed, ticks = measure(lambda: v2.topups.wait(t.id, initial_interval=0.1, deadline=10))
        assert elapsed >= 0.4 and ticks >= 30, (elapsed, ticks)
        v1 = sb.v1_client()
        v1.send_topup("233541112259", amount=1, ext_ref_id="GIL-1", processing_mode="ASYNC")
        elapsed, ticks = measure(lambda: v1.wait("GIL-1", initial_interval=0.1, deadline=10))
        assert elapsed >= 0.4 and ticks >= 30, (elapsed, ticks)


def test_a_server_on_a_python_thread_can_answer_paged_iteration(local_server) -> None:  # type: ignore[no-untyped-def]
    # The server below runs on a Python thread of this process: it can only answer while the call (and each
    # page fetch of the iterator) has released the GIL; otherwise the client would time out.
    def pages(method: str, path: str, body: bytes) -> Tuple[int, List[Tuple[str, str]], bytes]:
        page = int(path.split("page=")[1].split("&")[0]) if "page=" in path else 1
        items = [{"id": f"t{page}-{i}", "status": "completed"} for i in range(2)]
        payload = {
            "success": True,
            "data": items,
            "meta": {"pagination": {"page": page, "per_page": 2, "total": 6, "total_pages": 3,
                                    "has_next": page < 3, "has_prev": page > 1}},
        }
        return 200, [("Content-Type", "application/json")], json.dumps(payload).encode()

    srv = local_server(pages)
    c = clickairtime.V2Client("ce_live_0123456789abcdefghijABCDEFGHIJ01", base_url=srv.url, timeout=5, max_retries=0)
    ids = [t.id for t in c.topups.list_all(per_page=2)]
    assert ids == ["t1-0", "t1-1", "t2-0", "t2-1", "t3-0", "t3-1"]
    assert [p.split("?")[0] for _, p, _, _ in srv.seen] == ["/v2/topups"] * 3


@pytest.fixture
def many() -> Iterator[int]:
    yield 8


def test_one_client_shared_by_many_threads(sandbox: Sandbox, v2: clickairtime.V2Client, many: int) -> None:
    with ThreadPoolExecutor(many) as pool:
        sent = list(pool.map(lambda i: v2.topups.create(PHONE, 42, amount=i + 1, currency="GHS"), range(many)))
    assert len({t.id for t in sent}) == many
    assert len(sandbox.transactions()["v2"]) == many
