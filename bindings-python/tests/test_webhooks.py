"""Webhooks, mirroring core/src/v2/webhooks.rs: verify raw bytes, parse, and a real signed delivery."""

from __future__ import annotations

import json
import time
from typing import List, Tuple

import pytest

import clickairtime
from clickairtime import InvalidSignatureError, UnexpectedResponseError, ValidationError, WebhookEvent, webhooks
from clickairtime.sandbox import Sandbox

from conftest import PHONE

KEY = "ce_live_0123456789abcdefghijABCDEFGHIJ01"
BODY = b'{"event":"topup.completed","data":{"id":"t-1","status":"completed","amount":{"value":"50","currency":"GHS"}}}'


def now() -> str:
    return str(int(time.time()))


def test_sign_then_verify_with_bytes_str_and_bytearray() -> None:
    ts = now()
    sig = webhooks.sign(BODY, ts, KEY)
    assert len(sig) == 64 and sig == sig.lower()
    webhooks.verify(BODY, sig, ts, KEY)
    webhooks.verify(BODY.decode(), sig, int(ts), KEY)
    webhooks.verify(bytearray(BODY), sig.encode(), ts.encode(), KEY)
    webhooks.verify(memoryview(BODY), "sha256=" + sig, ts, KEY)


@pytest.mark.parametrize(
    "change",
    ["body", "signature", "key", "old", "future", "missing_sig", "missing_ts", "junk_ts"],
)
def test_anything_wrong_is_an_invalid_signature(change: str) -> None:
    ts = now()
    sig = webhooks.sign(BODY, ts, KEY)
    body, key, sig_h, ts_h = BODY, KEY, sig, ts
    if change == "body":
        body = BODY.replace(b"50", b"500")
    elif change == "signature":
        sig_h = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    elif change == "key":
        key = KEY[:-1] + "2"
    elif change == "old":
        ts_h = str(int(ts) - 301)
        sig_h = webhooks.sign(BODY, ts_h, KEY)
    elif change == "future":
        ts_h = str(int(ts) + 301)
        sig_h = webhooks.sign(BODY, ts_h, KEY)
    elif change == "missing_sig":
        sig_h = None  # type: ignore[assignment]
    elif change == "missing_ts":
        ts_h = None  # type: ignore[assignment]
    elif change == "junk_ts":
        ts_h = "yesterday"
    with pytest.raises(InvalidSignatureError):
        webhooks.verify(body, sig_h, ts_h, key)


def test_tolerance_can_be_widened_or_disabled() -> None:
    old = "1700000000"
    sig = webhooks.sign(BODY, old, KEY)
    with pytest.raises(InvalidSignatureError):
        webhooks.verify(BODY, sig, old, KEY)
    webhooks.verify(BODY, sig, old, KEY, tolerance=None)
    webhooks.verify(BODY, sig, old, KEY, tolerance=10 ** 10)


def test_empty_key_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as e:
        webhooks.verify(BODY, "00", now(), "")
    assert e.value.field == "api_key"


def test_parse_the_documented_shape() -> None:
    ev = webhooks.parse(BODY)
    assert isinstance(ev, WebhookEvent)
    assert ev.event_type == "topup.completed"
    assert ev.topup is not None and ev.topup.id == "t-1" and ev.topup.is_success
    assert ev.topup.amount is not None and str(ev.topup.amount.value) == "50"
    assert ev.data["id"] == "t-1"


def test_parse_variants_and_junk() -> None:
    bare = webhooks.parse(b'{"id":"a","status":"failed","failure_reason":"x"}')
    assert bare.event_type == "topup.failed" and bare.topup is not None and bare.topup.failure_reason == "x"
    guide = webhooks.parse(
        b'{"id":"evt_1","type":"transaction.completed","timestamp":"2025-01-15T10:30:02.500Z",'
        b'"data":{"transactionId":"txn_1","status":"completed"}}'
    )
    assert (guide.event_type, guide.id, guide.topup) == ("transaction.completed", "evt_1", None)
    assert guide.data == {"transactionId": "txn_1", "status": "completed"}
    for junk in [b"not json", b"[1,2]", b"{}", b"\xff\xfe"]:
        with pytest.raises(UnexpectedResponseError):
            webhooks.parse(junk)


def test_construct_event_and_client_helper() -> None:
    ts = now()
    sig = webhooks.sign(BODY, ts, KEY)
    assert webhooks.construct_event(BODY, sig, ts, KEY).event_type == "topup.completed"
    client = clickairtime.V2Client(KEY, base_url="http://127.0.0.1:9")
    assert client.verify_webhook(BODY, sig, ts).topup is not None
    with pytest.raises(InvalidSignatureError):
        client.verify_webhook(BODY + b" ", sig, ts)


def test_a_real_delivery_from_the_sandbox_verifies(sandbox: Sandbox, local_server) -> None:  # type: ignore[no-untyped-def]
    received: List[Tuple[dict, bytes]] = []

    def hook(method: str, path: str, body: bytes) -> Tuple[int, list, bytes]:
        return 200, [], b"ok"

    srv = local_server(hook)
    v2 = sandbox.v2_client()
    t = v2.topups.create(PHONE, 42, amount=5, currency="GHS", callback_url=srv.url + "/hooks/clickairtime")
    v2.topups.wait(t.id, deadline=10, initial_interval=0.05)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(srv.seen) < 2:
        time.sleep(0.02)
    for method, path, headers, body in srv.seen:
        assert (method, path) == ("POST", "/hooks/clickairtime")
        received.append((headers, body))
    events = []
    for headers, body in received:
        # exactly what a Flask/Django view does with request.get_data() / request.body and its headers
        ev = webhooks.construct_event(
            body, headers.get("X-Webhook-Signature"), headers.get("X-Webhook-Timestamp"), sandbox.api_key
        )
        assert ev.topup is not None and ev.topup.id == t.id
        assert headers.get("X-Webhook-Event") == ev.event_type
        events.append(ev.event_type)
    assert events == ["topup.processing", "topup.completed"]
    # the same delivery re-serialised is not what was signed
    headers, body = received[-1]
    reserialised = json.dumps(json.loads(body), indent=1).encode()
    with pytest.raises(InvalidSignatureError):
        webhooks.verify(reserialised, headers["X-Webhook-Signature"], headers["X-Webhook-Timestamp"], sandbox.api_key)
    assert len(sandbox.webhook_deliveries()["deliveries"]) == 2
