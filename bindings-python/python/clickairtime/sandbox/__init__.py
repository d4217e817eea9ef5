"""The local emulator of both Click Airtime APIs, in-process, for your tests.

::

    from clickairtime.sandbox import Sandbox

    with Sandbox() as sb:
        client = sb.v2_client()
        found = client.catalog.lookup("+233541112259")
        ...

It listens on 127.0.0.1 only, on a port the OS picks, and stops when the ``with`` block ends (or on
:meth:`Sandbox.close`). ``python -m clickairtime.sandbox`` runs one on its own, in the foreground, and prints
its URL and credentials as ``CLICKAIRTIME_*`` variables (until Ctrl-C). Magic numbers (``+233555000001`` … ``+233555000014``) trigger each documented failure;
:meth:`Sandbox.inject` adds faults (``drop_after_commit``, ``server_error``, ``slow``, ``rate_limit``,
``late_commit``, ``foreign_record`` …). Where the API docs can be read more than one way, the sandbox plays
each reading (``duplicate_mode``, ``idempotency_mode``, ``v1_duplicate_window``), at start or at runtime
(:meth:`Sandbox.configure`). :meth:`Sandbox.stats` counts requests, top-up writes received and transactions
committed.
"""

from __future__ import annotations

import datetime as _dt
from types import TracebackType
from typing import Any, Dict, List, Optional, Type, Union

from .. import _native
from .._convert import int_arg, int_req, seconds, text_arg
from ..client import V1Client, V2Client

__all__ = ["Sandbox", "FAULTS", "DUPLICATE_MODES", "IDEMPOTENCY_MODES", "main"]

Seconds = Union[float, int, _dt.timedelta]

#: Fault names accepted by :meth:`Sandbox.inject`.
FAULTS = (
    "drop_before_commit",
    "drop_after_commit",
    "server_error",
    "slow",
    "rate_limit",
    "duplicate_409",
    "garbage",
    "truncated",
    "wrong_content_type",
    "slowloris",
    "empty_body",
    "late_commit",
    "foreign_record",
    "extra_record",
    "html_404",
)

#: What the V2 duplicate window answers (same phone, network and amount within ``duplicate_window``):
#: ``existing`` (200 + the existing top-up; the docs' reading, default), ``conflict`` (409
#: ``DUPLICATE_TRANSACTION`` naming it), ``off``.
DUPLICATE_MODES = ("existing", "conflict", "off")

#: What a reused V2 ``Idempotency-Key`` answers: ``conflict`` (409 naming the first top-up, default) or
#: ``replay`` (200 + its record).
IDEMPOTENCY_MODES = ("conflict", "replay")


class Sandbox:
    """A running sandbox. Use it as a context manager, or call :meth:`close`.

    Every setting is optional: ``processing_after`` / ``complete_after`` (seconds until a top-up is processing /
    terminal; defaults 0.1 / 0.4), ``slow_delay`` (answer delay of the slow magic number, default 3),
    ``duplicate_window`` (default 5; 0 = off) and ``duplicate_mode`` (see :data:`DUPLICATE_MODES`),
    ``idempotency_mode`` (:data:`IDEMPOTENCY_MODES`), ``v1_duplicate_window`` (V1 code 50 for the same msisdn
    and amount under another extRefId; default 0 = off), ``rate_limit_per_minute`` (default 600), fixed
    credentials and ``port``. A bad setting raises :class:`~clickairtime.ValidationError` naming it (a
    fixed ``api_key`` must look like a real one: ``ce_live_`` and 32 letters or digits); a port in use raises
    ``OSError``.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        api_key: Optional[str] = None,
        v1_email: Optional[str] = None,
        v1_token: Optional[str] = None,
        processing_after: Optional[Seconds] = None,
        complete_after: Optional[Seconds] = None,
        slow_delay: Optional[Seconds] = None,
        duplicate_window: Optional[Seconds] = None,
        rate_limit_per_minute: Optional[int] = None,
        duplicate_mode: Optional[str] = None,
        idempotency_mode: Optional[str] = None,
        v1_duplicate_window: Optional[Seconds] = None,
    ) -> None:
        self._n = _native.NativeSandbox(
            port=int_req("port", port, 0, 65535),
            api_key=text_arg("api_key", api_key),
            v1_email=text_arg("v1_email", v1_email),
            v1_token=text_arg("v1_token", v1_token),
            processing_after=seconds("processing_after", processing_after),
            complete_after=seconds("complete_after", complete_after),
            slow_delay=seconds("slow_delay", slow_delay),
            duplicate_window=seconds("duplicate_window", duplicate_window),
            rate_limit_per_minute=int_arg("rate_limit_per_minute", rate_limit_per_minute, 1, 2**32 - 1),
            duplicate_mode=text_arg("duplicate_mode", duplicate_mode),
            idempotency_mode=text_arg("idempotency_mode", idempotency_mode),
            v1_duplicate_window=seconds("v1_duplicate_window", v1_duplicate_window),
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return str(self._n.base_url)

    @property
    def port(self) -> int:
        return int(self._n.port)

    @property
    def api_key(self) -> str:
        """The V2 API key (also the webhook signing key)."""
        return str(self._n.api_key)

    @property
    def v1_email(self) -> str:
        return str(self._n.v1_email)

    @property
    def v1_token(self) -> str:
        return str(self._n.v1_token)

    @property
    def running(self) -> bool:
        return bool(self._n.running)

    def v2_client(self, **settings: Any) -> V2Client:
        """A :class:`~clickairtime.V2Client` for this sandbox (extra keyword settings are passed on)."""
        return V2Client(self.api_key, base_url=self.base_url, **settings)

    def v1_client(self, **settings: Any) -> V1Client:
        """A :class:`~clickairtime.V1Client` for this sandbox (extra keyword settings are passed on)."""
        return V1Client(self.v1_email, self.v1_token, base_url=self.base_url, **settings)

    def inject(
        self,
        fault: str,
        *,
        count: int = 1,
        skip: int = 0,
        method: Optional[str] = None,
        path: Optional[str] = None,
        delay: Optional[Seconds] = None,
        retry_after: Optional[int] = None,
    ) -> None:
        """Give ``count`` requests matching ``method`` and the ``path`` prefix the fault (one of
        :data:`FAULTS`), after letting the first ``skip`` of them through untouched. ``delay`` is for
        ``slow``/``slowloris``/``late_commit``, ``retry_after`` (s) for ``rate_limit``."""
        self._n.inject(
            text_arg("fault", fault) or "",
            count=int_req("count", count, 0, 2**32 - 1),
            skip=int_req("skip", skip, 0, 2**32 - 1),
            method=text_arg("method", method),
            path=text_arg("path", path),
            delay=seconds("delay", delay),
            retry_after=int_arg("retry_after", retry_after, 0, 2**63 - 1),
        )

    def configure(
        self,
        *,
        duplicate_mode: Optional[str] = None,
        duplicate_window: Optional[Seconds] = None,
        idempotency_mode: Optional[str] = None,
        v1_duplicate_window: Optional[Seconds] = None,
    ) -> Dict[str, Any]:
        """Change the given runtime modes from the next request on (as ``POST /_sandbox/config``); returns
        them all. :meth:`reset` puts the start configuration back."""
        result: Dict[str, Any] = self._n.configure(
            duplicate_mode=text_arg("duplicate_mode", duplicate_mode),
            duplicate_window=seconds("duplicate_window", duplicate_window),
            idempotency_mode=text_arg("idempotency_mode", idempotency_mode),
            v1_duplicate_window=seconds("v1_duplicate_window", v1_duplicate_window),
        )
        return result

    def config(self) -> Dict[str, Any]:
        """The runtime modes: ``duplicate_mode``, ``duplicate_window_ms``, ``idempotency_mode``,
        ``v1_duplicate_window_ms``."""
        result: Dict[str, Any] = self._n.config()
        return result

    def stats(self) -> Dict[str, Any]:
        """Counters per version, ``{"v1": {...}, "v2": {...}}``: ``requests``, ``posts`` (top-up writes
        received, whatever became of them), ``committed`` (transactions created), and per-minute/hour
        figures."""
        result: Dict[str, Any] = self._n.stats()
        return result

    def transactions(self) -> Dict[str, Any]:
        """Every committed transaction: ``{"v1": [...], "v2": [...]}`` (for "exactly one" checks)."""
        result: Dict[str, Any] = self._n.transactions()
        return result

    def webhook_deliveries(self) -> Dict[str, Any]:
        """Every webhook delivery attempt: ``{"deliveries": [...]}``."""
        result: Dict[str, Any] = self._n.webhook_deliveries()
        return result

    def reset(self) -> None:
        """Clear transactions, faults, counters and webhook state; restore balances."""
        self._n.reset()

    def close(self) -> None:
        """Stop the sandbox (idempotent)."""
        self._n.shutdown()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"Sandbox(base_url={self.base_url!r}, {state})"


def main(argv: Optional[List[str]] = None) -> int:
    """``python -m clickairtime.sandbox``: run a sandbox in the foreground until Ctrl-C (or SIGTERM), after
    printing its URL and throw-away credentials as ``CLICKAIRTIME_*=…`` lines (``--json``: one JSON object).
    Bad arguments exit 2 with a message."""
    import argparse
    import json
    import signal
    import sys
    import threading

    from ..errors import ClickAirtimeError

    prog = "python -m clickairtime.sandbox"
    p = argparse.ArgumentParser(
        prog=prog,
        description="The Click Airtime sandbox (V1 and V2 emulator) on 127.0.0.1, until Ctrl-C. Prints its URL "
        "and credentials as environment variables the SDK and the clickairtime command read.",
    )
    p.add_argument("--port", type=int, default=0, help="port to listen on (default: one the OS picks)")
    p.add_argument("--api-key", help="fixed V2 API key (ce_live_ and 32 letters or digits)")
    p.add_argument("--v1-email", help="fixed V1 e-mail")
    p.add_argument("--v1-token", help="fixed V1 token")
    p.add_argument("--processing-after", type=float, metavar="SECONDS", help="until a top-up is processing")
    p.add_argument("--complete-after", type=float, metavar="SECONDS", help="until a top-up is final")
    p.add_argument("--slow-delay", type=float, metavar="SECONDS", help="answer delay of the slow magic number")
    p.add_argument("--duplicate-window", type=float, metavar="SECONDS", help="V2 duplicate window (0: off)")
    p.add_argument("--duplicate-mode", choices=DUPLICATE_MODES)
    p.add_argument("--idempotency-mode", choices=IDEMPOTENCY_MODES)
    p.add_argument("--v1-duplicate-window", type=float, metavar="SECONDS")
    p.add_argument("--rate-limit-per-minute", type=int, metavar="N", help="V2 requests a minute (default 600)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of KEY=value lines")
    args = p.parse_args(argv)
    try:
        sb = Sandbox(
            port=args.port,
            api_key=args.api_key,
            v1_email=args.v1_email,
            v1_token=args.v1_token,
            processing_after=args.processing_after,
            complete_after=args.complete_after,
            slow_delay=args.slow_delay,
            duplicate_window=args.duplicate_window,
            duplicate_mode=args.duplicate_mode,
            idempotency_mode=args.idempotency_mode,
            v1_duplicate_window=args.v1_duplicate_window,
            rate_limit_per_minute=args.rate_limit_per_minute,
        )
    except ClickAirtimeError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"{prog}: error: cannot start the sandbox on 127.0.0.1:{args.port}: {e}", file=sys.stderr)
        return 1
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        if args.json:
            print(json.dumps({"url": sb.base_url, "api_key": sb.api_key, "v1_email": sb.v1_email,
                              "v1_token": sb.v1_token}), flush=True)
        else:
            # the sandbox's own throw-away credentials, printed so that you can use them
            print(f"CLICKAIRTIME_SANDBOX_URL={sb.base_url}")
            print(f"CLICKAIRTIME_BASE_URL={sb.base_url}")
            print(f"CLICKAIRTIME_API_KEY={sb.api_key}")
            print(f"CLICKAIRTIME_V1_EMAIL={sb.v1_email}")
            print(f"CLICKAIRTIME_V1_TOKEN={sb.v1_token}", flush=True)
        print(f"sandbox running on {sb.base_url} (127.0.0.1 only); Ctrl-C stops it", file=sys.stderr, flush=True)
        while not stop.wait(0.25):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sb.close()
    print("sandbox stopped", file=sys.stderr, flush=True)
    return 0
