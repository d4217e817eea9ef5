"""The API key and the V1 token never appear in reprs, error messages or log records."""

from __future__ import annotations

import logging
import pickle

import pytest

import clickairtime
from clickairtime import aio
from clickairtime.sandbox import Sandbox

from conftest import PHONE, closed_port, magic

KEY = "ce_live_SECRETSECRETSECRETSECRETSECRET12"
TOKEN = "TOKEN-SECRET-0000-1111"


def texts_of(e: BaseException) -> str:
    parts = [str(e), repr(e), repr(e.args)]
    if isinstance(e, clickairtime.ClickAirtimeError):
        parts += [repr(v) for v in e._details().values()]
        parts.append(repr(pickle.loads(pickle.dumps(e))))
    return "\n".join(parts)


def test_reprs_hide_credentials() -> None:
    with Sandbox(api_key=KEY, v1_token=TOKEN) as sb:
        objects = [
            sb,
            sb.v2_client(),
            sb.v1_client(),
            aio.V2Client(KEY, base_url=sb.base_url),
            aio.V1Client(sb.v1_email, TOKEN, base_url=sb.base_url),
        ]
        for o in objects:
            assert KEY not in repr(o) and TOKEN not in repr(o) and KEY not in str(o) and TOKEN not in str(o), repr(o)
        assert sb.api_key == KEY and sb.v1_token == TOKEN  # deliberately readable, never printed


def test_errors_and_logs_hide_credentials(caplog: pytest.LogCaptureFixture) -> None:
    with Sandbox(v1_token=TOKEN) as sb, caplog.at_level(logging.DEBUG, logger="clickairtime"):
        raised = []
        wrong_key = clickairtime.V2Client(KEY, base_url=sb.base_url)
        wrong_token = clickairtime.V1Client(sb.v1_email, TOKEN + "x", base_url=sb.base_url)
        right = sb.v1_client()
        for call in [
            lambda: wrong_key.balance.list(),
            lambda: wrong_key.topups.create(PHONE, 42, amount=1, currency="GHS"),
            lambda: wrong_token.balances(),
            lambda: wrong_token.send_topup("233541112259", amount=1),
            lambda: right.send_topup(magic(1)[1:], amount=1),
            lambda: clickairtime.V2Client(KEY, base_url=f"http://127.0.0.1:{closed_port()}", max_retries=1,
                                          retry_base_delay=0.01).balance.list(),
            lambda: clickairtime.V2Client(KEY, base_url="http://example.com"),
            lambda: clickairtime.V1Client("pos@example.com", TOKEN, proxy="::bad::"),
        ]:
            with pytest.raises(clickairtime.ClickAirtimeError) as e:
                call()
            raised.append(e.value)
        assert {type(e) for e in raised} >= {
            clickairtime.AuthenticationError,
            clickairtime.InsufficientBalanceError,
            clickairtime.ConnectionError,
            clickairtime.ValidationError,
        }
        for e in raised:
            text = texts_of(e)
            assert KEY not in text and TOKEN not in text, text
        logged = "\n".join(r.getMessage() for r in caplog.records)
        assert "GET /v2/balance" in logged  # the logs were really captured
        assert KEY not in logged and TOKEN not in logged
