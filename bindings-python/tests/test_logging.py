"""Core `log` records reach Python's logging under the "clickairtime" logger."""

from __future__ import annotations

import logging

import pytest

from clickairtime.sandbox import Sandbox

from conftest import PHONE


def test_requests_are_logged_at_debug(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    client = sandbox.v2_client()
    with caplog.at_level(logging.DEBUG, logger="clickairtime"):
        client.balance.list()
    records = [r for r in caplog.records if r.name == "clickairtime"]
    assert any(r.levelno == logging.DEBUG and "GET /v2/balance -> 200" in r.getMessage() for r in records), records


def test_recovery_of_a_lost_answer_is_a_warning(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    sandbox.inject("drop_after_commit", method="POST", path="/v2/topups")
    client = sandbox.v2_client(retry_base_delay=0.01)
    with caplog.at_level(logging.WARNING, logger="clickairtime"):
        client.topups.create(PHONE, 42, amount=1, currency="GHS", reference="log-1")
    warnings = [r for r in caplog.records if r.name == "clickairtime" and r.levelno == logging.WARNING]
    assert any("outcome unknown" in r.getMessage() and "log-1" in r.getMessage() for r in warnings), warnings
    # nothing below WARNING was captured at that level
    assert all(r.levelno >= logging.WARNING for r in caplog.records if r.name == "clickairtime")


def test_silent_when_the_logger_is_not_enabled(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    client = sandbox.v2_client()
    with caplog.at_level(logging.ERROR, logger="clickairtime"):
        client.balance.list()
    assert [r for r in caplog.records if r.name == "clickairtime"] == []
