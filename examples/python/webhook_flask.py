"""Receiving webhooks in Flask (or Django: use request.body and request.headers the same way).

    pip install clickairtime flask
    CLICKAIRTIME_API_KEY=ce_live_... flask --app webhook_flask run
"""

from __future__ import annotations

import os
from typing import Any, Tuple

from clickairtime import InvalidSignatureError, webhooks

API_KEY = os.environ.get("CLICKAIRTIME_API_KEY", "")


def handle(body: bytes, signature: Any, timestamp: Any) -> Tuple[str, int]:
    """Verify the raw bytes, then act on the event. Framework-independent."""
    try:
        event = webhooks.construct_event(body, signature, timestamp, API_KEY)
    except InvalidSignatureError:
        return "bad signature", 400
    if event.topup is not None:
        print(f"{event.event_type}: top-up {event.topup.id} is {event.topup.status}")
    return "ok", 200


try:  # the Flask wiring, only if Flask is installed
    from flask import Flask, request

    app = Flask(__name__)

    @app.post("/hooks/clickairtime")  # type: ignore[untyped-decorator,unused-ignore]
    def clickairtime_hook() -> Tuple[str, int]:
        return handle(
            request.get_data(),
            request.headers.get("X-Webhook-Signature"),
            request.headers.get("X-Webhook-Timestamp"),
        )

except ImportError:  # pragma: no cover
    pass
