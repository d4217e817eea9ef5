"""Cancel tokens: cancel a send, a wait, a listing or a bulk run from another thread (or a callback)."""

from __future__ import annotations

import threading
from typing import Callable, List

from . import _native

__all__ = ["CancelToken"]


class CancelToken:
    """A cancel token (the core's ``Cancel``). Pass it as ``cancel=`` to ``topups.create`` / ``send_topup``,
    ``wait``, ``list_all`` or ``bulk`` — sync or :mod:`~clickairtime.aio` — and call :meth:`cancel` from anywhere:
    another thread, a signal handler, a GUI callback. One token may serve several calls; it cannot be reset.

    What a cancel does depends on what the call is doing:

    - a send **before anything of the sale can have been received** (not started, waiting for a rate-limit
      slot, connecting, backing off) ends with :class:`~clickairtime.CancelledError`: nothing was sent
      (:func:`~clickairtime.is_definitely_not_sent` is true), the same order may be sent again. **After a write
      may have left**, the send is never abandoned: it runs on to its real outcome, which the call returns or
      raises as usual (success, :class:`~clickairtime.OutcomeUnknownError`, …);
    - a wait stops polling at once (even in the middle of a sleep): :class:`~clickairtime.CancelledError` with
      ``.transaction_id`` and the last ``.status``. The sale stands;
    - a listing (``list_all``) raises :class:`~clickairtime.CancelledError` instead of fetching the next page;
    - a bulk run stops taking new rows; the sends under way settle, and the report says which rows were
      ``skipped``.

    ::

        token = clickairtime.CancelToken()
        threading.Timer(30, token.cancel).start()        # stop watching after 30 s
        try:
            done = client.topups.wait(topup.id, cancel=token)
        except clickairtime.CancelledError as e:
            print(f"stopped waiting; {e.transaction_id} was {e.status}")
    """

    __slots__ = ("_n", "_lock", "_callbacks", "__weakref__")

    def __init__(self) -> None:
        self._n = _native.NativeCancel()
        # re-entrant: cancel() may run in a signal handler while this thread holds the lock
        self._lock = threading.RLock()
        self._callbacks: List[Callable[[], None]] = []

    def cancel(self) -> None:
        """Cancel every call holding this token (idempotent; thread-safe)."""
        self._n.cancel()
        with self._lock:
            callbacks, self._callbacks = self._callbacks, []
        for cb in callbacks:
            try:
                cb()
            except Exception:  # noqa: BLE001 - a waker that fails must not hide the cancel
                import logging

                logging.getLogger("clickairtime").exception("a cancel callback failed")

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return bool(self._n.cancelled)

    def _on_cancel(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Run ``callback`` when the token is cancelled (at once if it is already); returns an unregister
        function. Used to wake sleeps and to chain tokens."""
        with self._lock:
            if not self.cancelled:
                self._callbacks.append(callback)

                def remove() -> None:
                    with self._lock:
                        try:
                            self._callbacks.remove(callback)
                        except ValueError:
                            pass

                return remove
        callback()
        return lambda: None

    def __repr__(self) -> str:
        return f"CancelToken(cancelled={self.cancelled})"
