"""Receiving webhooks in Flask (or Django: use request.body and request.headers the same way).

    pip install clickairtime flask
    CLICKAIRTIME_API_KEY=ce_live_... flask --app webhook_flask run

Run as a script (``python webhook_flask.py``), it signs a delivery the way the API does and hands it to the same
handler (through Flask's test client when Flask is installed), so you can see both answers without a server.
"""

from __future__ import annotations

import os
import time
from typing import Any, Tuple

from clickairtime import InvalidSignatureError, webhooks

API_KEY = os.environ.get("CLICKAIRTIME_API_KEY", "ce_live_0123456789abcdefghijABCDEFGHIJ01")


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
    app = None


def demo() -> int:
    body = b'{"event":"topup.completed","data":{"id":"tx-demo","status":"completed"}}'
    ts = str(int(time.time()))
    good = webhooks.sign(body, ts, API_KEY)
    answers = [handle(body, good, ts), handle(body, "0" * 64, ts)]
    if app is not None:
        with app.test_client() as c:
            r = c.post("/hooks/clickairtime", data=body,
                       headers={"X-Webhook-Signature": good, "X-Webhook-Timestamp": ts})
            answers.append((r.get_data(as_text=True), r.status_code))
    for text, status in answers:
        print(status, text)
    return 0 if answers[0][1] == 200 and answers[1][1] == 400 else 1


if __name__ == "__main__":
    raise SystemExit(demo())
