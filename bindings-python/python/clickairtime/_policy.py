"""The client-side rate limiter's limits (``rate_limit=`` on either client)."""

from __future__ import annotations

import dataclasses

__all__ = ["RateLimitPolicy"]


@dataclasses.dataclass(frozen=True)
class RateLimitPolicy:
    """Limits of the client-side rate limiter (``rate_limit=`` on either client): at most ``per_minute``
    requests in any 60 s and ``per_hour`` in any hour, shared by every thread (and ``aio`` task) of the client.
    The defaults are the API's documented tiers (60 a minute standard, 1,000 an hour burst); the limiter also
    follows the server's ``X-RateLimit-*`` and ``Retry-After``. A request that cannot get a slot before its
    deadline fails "not sent" (:class:`~clickairtime.RateLimitError`)."""

    per_minute: int = 60
    per_hour: int = 1000
