"""Core `log` records reach Python's logging under the "clickairtime" logger."""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from typing import Iterator, List

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
    assert any("may have been received" in r.getMessage() and "log-1" in r.getMessage() for r in warnings), warnings
    # nothing below WARNING was captured at that level
    assert all(r.levelno >= logging.WARNING for r in caplog.records if r.name == "clickairtime")


def test_silent_when_the_logger_is_not_enabled(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    client = sandbox.v2_client()
    with caplog.at_level(logging.ERROR, logger="clickairtime"):
        client.balance.list()
    assert [r for r in caplog.records if r.name == "clickairtime"] == []


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def debug_messages(self) -> List[str]:
        return [r.getMessage() for r in self.records if r.levelno == logging.DEBUG]


@contextmanager
def _handler_on(logger: logging.Logger) -> Iterator[_Records]:
    h = _Records()
    level = logger.level
    logger.addHandler(h)
    try:
        yield h
    finally:
        logger.removeHandler(h)
        logger.setLevel(level)


def test_debug_enabled_at_runtime_applies_to_the_next_call(sandbox: Sandbox) -> None:
    client = sandbox.v2_client()
    logger = logging.getLogger("clickairtime")
    with _handler_on(logger) as h:
        logger.setLevel(logging.WARNING)
        client.balance.list()
        assert h.debug_messages() == []
        logger.setLevel(logging.DEBUG)
        client.balance.list()
        assert any("GET /v2/balance -> 200" in m for m in h.debug_messages()), h.records
        h.records.clear()
        logger.setLevel(logging.INFO)
        client.balance.list()
        assert h.debug_messages() == []


def test_root_level_and_logging_disable_apply_to_the_next_call(sandbox: Sandbox) -> None:
    # the usual configuration: the package logger is left at NOTSET and the root logger says (basicConfig)
    client = sandbox.v2_client()
    root = logging.getLogger()
    with _handler_on(logging.getLogger("clickairtime")) as h, _handler_on(root):
        logging.getLogger("clickairtime").setLevel(logging.NOTSET)
        root.setLevel(logging.WARNING)
        client.balance.list()
        assert h.debug_messages() == []
        root.setLevel(logging.DEBUG)
        client.balance.list()
        assert any("GET /v2/balance -> 200" in m for m in h.debug_messages()), h.records
        h.records.clear()
        try:
            logging.disable(logging.DEBUG)
            client.balance.list()
            assert h.debug_messages() == []
        finally:
            logging.disable(logging.NOTSET)
        client.balance.list()
        assert any("GET /v2/balance -> 200" in m for m in h.debug_messages()), h.records


def test_debug_enabled_from_another_thread_applies_within_a_second_during_a_long_call() -> None:
    logger = logging.getLogger("clickairtime")
    with Sandbox(processing_after=0.05, complete_after=3.0) as sb, _handler_on(logger) as h:
        client = sb.v2_client()
        t = client.topups.create(PHONE, 42, amount=1, currency="GHS", reference="log-runtime")
        logger.setLevel(logging.WARNING)
        timer = threading.Timer(0.3, logger.setLevel, (logging.DEBUG,))
        timer.start()
        try:
            client.topups.wait(t.id, deadline=20, initial_interval=0.05, max_interval=0.1)
        finally:
            timer.cancel()
        assert any(f"/v2/topups/{t.id} -> 200" in m for m in h.debug_messages()), h.records
