"""The machinery of :mod:`clickairtime.aio`: the SDK's thread pool, sends and waits run from the event loop,
bulk runs with progress on the loop."""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
import os
import threading
from typing import TYPE_CHECKING, Any, Callable, List, Optional, TypeVar

from . import _bulk
from ._bulk_report import BulkReport, BulkRowResult
from ._cancel import CancelToken
from ._common import PathLike, _ClientBase, _native_cancel
from .errors import CancelledError as _Cancelled
from .errors import ClickAirtimeError, _wrong_type

if TYPE_CHECKING:
    from ._common import ProgressCallback

R = TypeVar("R")
_log = logging.getLogger("clickairtime")

#: Threads of the SDK's pool (started on demand, shared by every aio client of the process): the number of
#: sends, reads and wait polls that can be *running* at once; more are queued. Waits between polls hold none.
MAX_THREADS = 64

_pool_lock = threading.Lock()
_pool_state: List[Any] = [None, 0]  # the executor, and the pid that made it (a forked child makes its own)


def _pool() -> concurrent.futures.ThreadPoolExecutor:
    """The SDK's own thread pool (not asyncio's default executor)."""
    pool, pid = _pool_state
    if pool is None or pid != os.getpid():
        with _pool_lock:
            pool, pid = _pool_state
            if pool is None or pid != os.getpid():
                pool = concurrent.futures.ThreadPoolExecutor(
                    max_workers=MAX_THREADS, thread_name_prefix="clickairtime-aio"
                )
                _pool_state[:] = [pool, os.getpid()]
    assert isinstance(pool, concurrent.futures.ThreadPoolExecutor)
    return pool


async def _run(fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """``fn(*args, **kwargs)`` on the SDK's pool. Cancelled before it starts, it never runs; cancelled while
    running, it finishes there and its result is dropped."""
    return await asyncio.wrap_future(_pool().submit(functools.partial(fn, *args, **kwargs)))


def _after_cancelled_send(reference: Optional[str]) -> Callable[["concurrent.futures.Future[Any]"], None]:
    """What a send whose task was cancelled became, for the log (the journal has it too)."""

    def report(f: "concurrent.futures.Future[Any]") -> None:
        ref = reference or "(generated)"
        if f.cancelled():
            _log.info("send of reference %s: its task was cancelled before it started; nothing was sent", ref)
            return
        e = f.exception()
        if e is None:
            r = f.result()
            _log.warning(
                "send of reference %s, whose task was cancelled, went through: %s (%s)",
                ref,
                getattr(r, "id", None) or getattr(r, "transaction_id", None),
                getattr(r, "status", None) or getattr(r, "state", None),
            )
        elif isinstance(e, _Cancelled):
            _log.info("send of reference %s: cancelled before anything of it was sent; nothing was sent", ref)
        elif isinstance(e, ClickAirtimeError):
            _log.warning("send of reference %s, whose task was cancelled, ended: %s: %s", ref, e.code, e)
        else:
            _log.warning("send of reference %s, whose task was cancelled, ended: %r", ref, e)

    return report


async def _send(fn: Callable[[CancelToken], R], cancel: Optional[CancelToken], reference: Optional[str]) -> R:
    """Run a send on the SDK's pool with a token of its own, fired by the task's cancellation or by ``cancel``.
    Task cancellation propagates at once; the send stops only if nothing of it can have left yet."""
    _native_cancel(cancel)  # type check
    own = CancelToken()
    unlink = cancel._on_cancel(own.cancel) if cancel is not None else None
    cf = _pool().submit(fn, own)
    try:
        return await asyncio.wrap_future(cf)
    except asyncio.CancelledError:
        own.cancel()
        cf.add_done_callback(_after_cancelled_send(reference))
        raise
    finally:
        if unlink is not None:
            unlink()


async def _sleep(seconds: float, cancel: Optional[CancelToken]) -> None:
    """``asyncio.sleep``, woken early when ``cancel`` fires (from any thread)."""
    if cancel is None:
        await asyncio.sleep(seconds)
        return
    loop = asyncio.get_running_loop()
    woken: "asyncio.Future[None]" = loop.create_future()

    def wake_on_loop() -> None:
        if not woken.done():
            woken.set_result(None)

    def wake() -> None:
        if not loop.is_closed():
            loop.call_soon_threadsafe(wake_on_loop)

    remove = cancel._on_cancel(wake)
    try:
        await asyncio.wait([woken], timeout=seconds)
    finally:
        remove()


async def _drive(wait: Any, cancel: Optional[CancelToken]) -> Any:
    """A native step-by-step wait: one exchange per step on the SDK's pool, ``asyncio.sleep`` between."""
    while True:
        done, value = await _run(wait.step)
        if done:
            return value
        await _sleep(float(value), cancel)


async def _bulk_run(
    client: _ClientBase,
    source: _bulk.BulkSource,
    concurrency: int,
    on_progress: Optional[ProgressCallback],
    report: Optional[PathLike],
    cancel: Optional[CancelToken],
    name: Optional[str],
) -> BulkReport:
    _native_cancel(cancel)  # type check
    if on_progress is not None and not callable(on_progress):
        raise _wrong_type("on_progress", f"must be callable, not {type(on_progress).__name__}")
    loop = asyncio.get_running_loop()
    own = CancelToken()
    unlink = cancel._on_cancel(own.cancel) if cancel is not None else None
    failures: List[BaseException] = []
    progress: Optional[Callable[[BulkRowResult, int, int], None]] = None
    if on_progress is not None:
        user = on_progress

        def deliver(r: BulkRowResult, done: int, total: int) -> None:
            try:
                user(r, done, total)
            except Exception as e:  # noqa: BLE001 - stops the run, raised at its end
                if not failures:
                    failures.append(e)
                own.cancel()

        def progress(r: BulkRowResult, done: int, total: int) -> None:
            # from the engine's threads: the callback runs on the event loop
            if not loop.is_closed():
                loop.call_soon_threadsafe(deliver, r, done, total)

    cf = _pool().submit(
        _bulk.run,
        client._n,
        client._api,
        source,
        concurrency=concurrency,
        on_progress=progress,
        report=report,
        cancel=own,
        name=name,
    )
    try:
        result, error = await asyncio.wrap_future(cf)
    except asyncio.CancelledError:
        own.cancel()  # stop taking rows; the sends under way settle, and the report is still written
        raise
    finally:
        if unlink is not None:
            unlink()
    if failures:
        raise failures[0]
    if error is not None:
        raise error
    return result
