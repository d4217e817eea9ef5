"""Webhook deliveries: verify the signature against the raw body, then parse it.

Each delivery carries ``X-Webhook-Signature`` (lowercase hex HMAC-SHA256 keyed with your V2 API key, of
``X-Webhook-Timestamp + "." + raw body``) and ``X-Webhook-Timestamp`` (Unix seconds). Always verify the bytes
you received — Flask's ``request.get_data()``, Django's ``request.body`` — never re-serialised JSON::

    from clickairtime import webhooks

    @app.post("/hooks/clickairtime")
    def hook():
        event = webhooks.construct_event(
            request.get_data(),
            request.headers.get("X-Webhook-Signature"),
            request.headers.get("X-Webhook-Timestamp"),
            api_key=API_KEY,
        )
        ...

A bad, missing or stale signature raises :class:`~clickairtime.InvalidSignatureError`.
"""

from __future__ import annotations

import datetime as _dt
from typing import Union

from . import _native
from ._convert import BytesLike, body_bytes, header_text, seconds, text_req
from ._native import WebhookEvent

__all__ = ["verify", "parse", "construct_event", "sign", "DEFAULT_TOLERANCE"]

#: Default tolerance between the timestamp header and now, in seconds.
DEFAULT_TOLERANCE = 300

Header = Union[str, bytes, None]
Tolerance = Union[float, int, _dt.timedelta, None]


def verify(
    body: BytesLike,
    signature: Header,
    timestamp: Union[Header, int],
    api_key: str,
    tolerance: Tolerance = DEFAULT_TOLERANCE,
) -> None:
    """Check a delivery's signature now. ``tolerance`` (seconds, default 300) bounds the age and future skew
    of the timestamp; ``None`` disables that check. Raises :class:`~clickairtime.InvalidSignatureError`."""
    _native.webhook_verify(
        body_bytes("body", body),
        header_text("signature", signature),
        header_text("timestamp", timestamp),
        text_req("api_key", api_key),
        seconds("tolerance", tolerance),
    )


def parse(body: BytesLike) -> WebhookEvent:
    """Parse a delivery body (call :func:`verify` first). Accepts the documented ``{"event", "data"}``
    shape, a bare top-up object and the guide's ``{id, type, timestamp, data}`` variant. Anything else raises
    :class:`~clickairtime.UnexpectedResponseError`."""
    ev: WebhookEvent = _native.webhook_parse(body_bytes("body", body))
    return ev


def construct_event(
    body: BytesLike,
    signature: Header,
    timestamp: Union[Header, int],
    api_key: str,
    tolerance: Tolerance = DEFAULT_TOLERANCE,
) -> WebhookEvent:
    """:func:`verify`, then :func:`parse`."""
    verify(body, signature, timestamp, api_key, tolerance)
    return parse(body)


def sign(body: BytesLike, timestamp: Union[str, int], api_key: str) -> str:
    """The signature the API would send for ``body`` at ``timestamp`` (Unix seconds), for your own tests.
    Use ``str(int(time.time()))`` for a timestamp of now."""
    return _native.webhook_sign(body_bytes("body", body), header_text("timestamp", timestamp), text_req("api_key", api_key))
