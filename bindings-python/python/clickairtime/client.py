"""The blocking clients: :class:`V2Client` (current API) and :class:`V1Client` (legacy ``/adp`` API).

Both are thin: each call goes to the Rust core, which validates, retries reads, keeps sends at-most-once,
verifies every record it reports as this sale, classifies errors, waits, and writes the journal. The GIL is
released for the whole network call, so other Python threads keep running. A client is safe to share between
threads; it keeps one connection pool. Use it as a context manager, or call :meth:`V2Client.close`.

Settings not passed come from the environment: ``CLICKAIRTIME_API_KEY`` (V2), ``CLICKAIRTIME_V1_EMAIL`` and
``CLICKAIRTIME_V1_TOKEN`` (V1), ``CLICKAIRTIME_BASE_URL``; so ``V2Client()`` is enough in production.

With ``journal="sales.journal"`` (an SQLite file), every send is written down durably before its first write
and at its end: a reference is sent at most once across restarts and across processes sharing the file, and
``client.pending()`` / ``client.recover()`` settle what a crash left open. Call ``recover()`` at start-up.

Durations (timeouts, deadlines) are seconds (``int``/``float``) or :class:`datetime.timedelta`. Amounts are
:class:`decimal.Decimal`, ``int`` or ``str``; a ``float`` amount is refused with a :class:`ValidationError`
(binary floats are not exact money). Waits, sends, listings and bulk runs take ``cancel=`` (a
:class:`~clickairtime.CancelToken`) to be cancelled from another thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._common import DEFAULT_CONVERGENCE_BOUND, PathLike, Seconds, _native_cancel, idempotency_key_for, new_reference
from ._v1 import V1Client
from ._v2 import BalanceApi, CatalogApi, TopUpIterator, TopupsApi, V2Client

if TYPE_CHECKING:
    from ._common import BulkSource as BulkSource
    from ._common import ProgressCallback as ProgressCallback
    from ._common import RateLimitSetting as RateLimitSetting
    from ._policy import RateLimitPolicy as RateLimitPolicy

__all__ = [
    "V2Client",
    "V1Client",
    "CatalogApi",
    "TopupsApi",
    "BalanceApi",
    "TopUpIterator",
    "new_reference",
    "idempotency_key_for",
    "DEFAULT_CONVERGENCE_BOUND",
    "RateLimitPolicy",
    "PathLike",
    "Seconds",
    "_native_cancel",
]


def __getattr__(name: str) -> Any:
    # RateLimitPolicy (a dataclass) is imported when first asked for: `import clickairtime` stays light
    if name == "RateLimitPolicy":
        from ._policy import RateLimitPolicy

        return RateLimitPolicy
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
