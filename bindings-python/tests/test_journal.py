"""The crash-safe journal (issue 10): at most one send per reference on a journal, across restarts and
processes; pending() / recover(); and real crashes — a child process SIGKILLed after the server received its
POST, and another before the POST reached the server — recovered by a fresh client on the same file.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest

import clickairtime
from clickairtime import (
    JournalEntry,
    JournalError,
    OutcomeUnknownError,
    Recovery,
    ReferenceConflictError,
    TopUp,
    TopUpOrder,
    Transaction,
    V1TopUpOrder,
    ValidationError,
)
from clickairtime.sandbox import Sandbox

from conftest import MSISDN, PHONE, magic


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(processing_after=0.05, complete_after=0.2, slow_delay=1.5, duplicate_window=0) as s:
        yield s


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    return tmp_path / "sales.journal"


def posts(sb: Sandbox, version: str = "v2") -> int:
    n: int = sb.stats()[version]["posts"]
    return n


def txs(sb: Sandbox, version: str, reference: str) -> List[Dict[str, Any]]:
    key = "reference" if version == "v2" else "extRefId"
    return [t for t in sb.transactions()[version] if t.get(key) == reference]


def wait_for(what: str, cond: Callable[[], bool], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def fast(sb: Sandbox, journal: Path, **settings: Any) -> clickairtime.V2Client:
    base: Dict[str, Any] = dict(journal=journal, retry_base_delay=0.01, max_retry_delay=0.05)
    base.update(settings)
    return sb.v2_client(**base)


# ------------------------------------------------------------------------------------------- basics


def test_a_second_create_of_the_same_reference_does_not_write_again(sb: Sandbox, journal: Path) -> None:
    c = fast(sb, journal)
    order = c.topups.prepare(PHONE, 42, amount=Decimal("5"), currency="GHS")
    first = c.topups.create(order)
    assert first.meta is not None and first.meta.origin == "created"
    again = c.topups.create(order)
    assert again.id == first.id
    assert again.meta is not None and again.meta.origin == "journal" and again.meta.replayed
    assert again.meta.attempts == 0 and again.meta.reference == order.reference
    # a new client (a restart) on the same file: still no second write
    again2 = fast(sb, journal).topups.create(order)
    assert again2.id == first.id and again2.meta is not None and again2.meta.origin == "journal"
    assert posts(sb) == 1 and len(sb.transactions()["v2"]) == 1


def test_journal_entry_is_typed(sb: Sandbox, journal: Path) -> None:
    c = fast(sb, journal)
    t = c.topups.create(PHONE, 42, amount=5, currency="GHS", reference="je-1")
    e = c.journal_entry("je-1")
    assert isinstance(e, JournalEntry)
    assert (e.api, e.reference, e.state, e.writes, e.transaction_id) == ("v2", "je-1", "sent", 1, t.id)
    assert e.idempotency_key == clickairtime.idempotency_key_for("je-1")
    assert isinstance(e.record, TopUp) and e.record.id == t.id and e.record.reference == "je-1"
    for when in (e.created_at, e.updated_at, e.last_write_at):
        assert isinstance(when, dt.datetime) and when.tzinfo is not None
        assert abs((dt.datetime.now(dt.timezone.utc) - when).total_seconds()) < 60
    assert json.loads(e.request)["reference"] == "je-1"
    assert not e.is_open and e.error_kind is None
    assert e.to_dict()["state"] == "sent"
    assert c.journal_entry("nope") is None
    assert c.pending() == []
    assert c.journal == str(journal)


READ_JOURNAL = r"""
import sqlite3, sys, json
db = sqlite3.connect(sys.argv[1])
print(json.dumps(db.execute("select api, reference, state, transaction_id from sends").fetchall()))
db.close()
"""


def test_the_journal_is_a_plain_sqlite_file(sb: Sandbox, journal: Path) -> None:
    c = fast(sb, journal)
    t = c.topups.create(PHONE, 42, amount=5, currency="GHS", reference="sq-1")
    # read by another SQLite, in another process (never in the one using the client: see the README)
    out = subprocess.run([sys.executable, "-c", READ_JOURNAL, str(journal)], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert json.loads(out) == [["v2", "sq-1", "sent", t.id]]


def test_a_reference_the_journal_holds_for_another_sale_is_a_conflict_without_a_write(
    sb: Sandbox, journal: Path
) -> None:
    c = fast(sb, journal)
    c.topups.create(PHONE, 42, amount=5, currency="GHS", reference="jc-1")
    with pytest.raises(ReferenceConflictError) as e:
        c.topups.create(PHONE, 42, amount=6, currency="GHS", reference="jc-1")
    assert e.value.reference == "jc-1" and e.value.existing_reference == "jc-1" and e.value.transaction_id
    assert posts(sb) == 1


def test_not_sent_and_refused_are_recorded_and_may_be_sold_again(sb: Sandbox, journal: Path) -> None:
    c = fast(sb, journal)
    with pytest.raises(clickairtime.InsufficientBalanceError):
        c.topups.create(magic(1), 42, amount=5, currency="GHS", reference="ns-1")
    e = c.journal_entry("ns-1")
    assert e is not None and e.state == "not_sent" and e.error_kind == "INSUFFICIENT_BALANCE" and e.error_message
    # definitely not sent: the same reference may be sold again (it writes again)
    with pytest.raises(clickairtime.InsufficientBalanceError):
        c.topups.create(magic(1), 42, amount=5, currency="GHS", reference="ns-1")
    assert posts(sb) == 2 and c.pending() == []


def test_a_duplicate_sale_is_recorded_as_refused(tmp_path: Path) -> None:
    with Sandbox(duplicate_window=5) as s:
        c = fast(s, tmp_path / "j")
        first = c.topups.create(PHONE, 42, amount=5, currency="GHS", reference="dup-a")
        with pytest.raises(clickairtime.DuplicateSaleError):
            c.topups.create(PHONE, 42, amount=5, currency="GHS", reference="dup-b")
        e = c.journal_entry("dup-b")
        assert e is not None and e.state == "refused" and e.error_kind == "DUPLICATE_SALE"
        assert e.transaction_id == first.id


def test_unknown_then_recover_not_sent_then_sold_once(sb: Sandbox, journal: Path) -> None:
    sb.inject("drop_before_commit", method="POST", path="/v2/topups", count=1)
    c = fast(sb, journal, send_deadline=0.5, convergence_bound=0.8)
    order = c.topups.prepare(PHONE, 42, amount=5, currency="GHS", reference="un-1")
    with pytest.raises(OutcomeUnknownError):
        c.topups.create(order)
    [p] = c.pending()
    assert p.reference == "un-1" and p.state == "unknown" and p.is_open and p.error_kind == "OUTCOME_UNKNOWN"
    time.sleep(0.9)  # past the convergence bound since the write: "not found" now proves absence
    [r] = c.recover()
    assert isinstance(r, Recovery) and r.state == "not_sent" and r.record is None and r.reference == "un-1"
    assert c.pending() == []
    t = c.topups.create(order)
    assert t.meta is not None and t.meta.origin == "created"
    assert len(txs(sb, "v2", "un-1")) == 1


def test_unknown_then_recover_finds_a_late_commit(sb: Sandbox, journal: Path) -> None:
    sb.inject("late_commit", method="POST", path="/v2/topups", delay=1.0)
    c = fast(sb, journal, read_timeout=0.2, send_deadline=0.5)
    order = c.topups.prepare(PHONE, 42, amount=5, currency="GHS", reference="lc-1")
    with pytest.raises(OutcomeUnknownError):
        c.topups.create(order)
    # not found yet, and within the convergence bound: stays unknown, nothing written
    [r0] = c.recover()
    assert r0.state == "unknown" and r0.record is None
    wait_for("the late commit", lambda: len(txs(sb, "v2", "lc-1")) == 1)
    [r] = c.recover()
    assert r.state == "sent" and isinstance(r.record, TopUp)
    assert r.record.meta is not None and r.record.meta.origin == "recovered"
    assert r.transaction_id == r.record.id == txs(sb, "v2", "lc-1")[0]["id"]
    assert isinstance(r.entry.record, TopUp) and r.entry.record.id == r.record.id
    again = c.topups.create(order)
    assert again.id == r.record.id and again.meta is not None and again.meta.origin == "journal"
    assert posts(sb) == 1


def test_a_send_running_in_another_client_is_not_sent_twice(sb: Sandbox, journal: Path) -> None:
    a = fast(sb, journal, read_timeout=5)
    b = fast(sb, journal)
    order = a.topups.prepare(magic(9), 42, amount=5, currency="GHS", reference="live-1")  # answer in 1.5 s
    result: Dict[str, Any] = {}
    th = threading.Thread(target=lambda: result.setdefault("t", a.topups.create(order)))
    th.start()
    wait_for("the POST", lambda: posts(sb) == 1)
    with pytest.raises(OutcomeUnknownError) as e:
        b.topups.create(order)
    assert "another process or thread" in str(e.value) and e.value.reference == "live-1"
    [r] = b.recover()  # a live send is reported unchanged, not settled under its feet
    assert r.state == "in_flight"
    th.join(10)
    again = b.topups.create(order)
    assert again.id == result["t"].id and again.meta is not None and again.meta.origin == "journal"
    assert posts(sb) == 1


def test_a_journal_that_cannot_be_opened_is_an_error_before_any_send(sb: Sandbox, tmp_path: Path) -> None:
    for bad in (tmp_path / "missing-dir" / "j", tmp_path):
        with pytest.raises(JournalError) as e:
            sb.v2_client(journal=bad)
        assert e.value.code == "JOURNAL"
    garbage = tmp_path / "garbage"
    garbage.write_bytes(b"this is not an sqlite database, not at all" * 100)
    with pytest.raises(JournalError):
        sb.v1_client(journal=garbage)
    with pytest.raises(ValidationError):
        sb.v2_client(journal=123)  # type: ignore[arg-type]
    assert posts(sb) == 0


def test_without_a_journal(sb: Sandbox) -> None:
    c = sb.v2_client()
    assert c.pending() == [] and c.journal_entry("x") is None and c.journal is None
    with pytest.raises(ValidationError) as e:
        c.recover()
    assert e.value.field == "journal"
    with pytest.raises(ValidationError):
        sb.v1_client().recover()


def test_v1_journal(sb: Sandbox, journal: Path) -> None:
    c = sb.v1_client(journal=journal, retry_base_delay=0.01)
    order = c.prepare_topup(MSISDN, amount=5)
    assert isinstance(order, V1TopUpOrder) and order.ext_ref_id and order.reference == order.ext_ref_id
    first = c.send_topup(order)
    again = c.send_topup(order)
    assert again.transaction_id == first.transaction_id
    assert again.meta is not None and again.meta.origin == "journal" and again.meta.attempts == 0
    e = c.journal_entry(order.ext_ref_id)
    assert e is not None and e.api == "v1" and e.state == "sent" and isinstance(e.record, Transaction)
    assert e.record.transaction_id == first.transaction_id
    assert posts(sb, "v1") == 1
    # V1 and V2 entries live side by side in one file
    v2 = fast(sb, journal)
    assert v2.journal_entry(order.ext_ref_id) is None


def test_v1_unknown_then_recover(sb: Sandbox, journal: Path) -> None:
    sb.inject("late_commit", method="POST", path="/adp", delay=1.0)
    c = sb.v1_client(journal=journal, read_timeout=0.2, send_deadline=0.5, retry_base_delay=0.01)
    with pytest.raises(OutcomeUnknownError):
        c.send_topup(MSISDN, amount=5, ext_ref_id="V1-LC-1")
    assert [p.reference for p in c.pending()] == ["V1-LC-1"]
    wait_for("the late commit", lambda: len(txs(sb, "v1", "V1-LC-1")) == 1)
    [r] = c.recover()
    assert r.state == "sent" and isinstance(r.record, Transaction) and r.record.ext_ref_id == "V1-LC-1"


def test_aio_journal(sb: Sandbox, journal: Path) -> None:
    from clickairtime import aio

    async def go() -> None:
        c = aio.V2Client(sb.api_key, base_url=sb.base_url, journal=journal)
        assert await c.recover() == [] and await c.pending() == []
        order = c.topups.prepare(PHONE, 42, amount=5, currency="GHS")
        t = await c.topups.create(order)
        e = await c.journal_entry(order.reference or "")
        assert e is not None and e.transaction_id == t.id
        again = await c.topups.create(order)
        assert again.meta is not None and again.meta.origin == "journal"

    asyncio.run(go())
    assert posts(sb) == 1


# ------------------------------------------------------------------------------------------- crashes

CHILD = r"""
import sys
import clickairtime
api, base_url, a, b, journal, number, reference = sys.argv[1:8]
settings = dict(base_url=base_url, journal=journal, read_timeout=30, timeout=30, send_deadline=15)
if api == "v2":
    c = clickairtime.V2Client(a, **settings)
    order = c.topups.prepare(number, 42, amount=5, currency="GHS", reference=reference)
    print("prepared", order.reference, flush=True)
    c.topups.create(order)
else:
    c = clickairtime.V1Client(a, b, **settings)
    order = c.prepare_topup(number, amount=5, ext_ref_id=reference)
    print("prepared", order.ext_ref_id, flush=True)
    c.send_topup(order)
print("returned", flush=True)  # never reached: killed first
"""


def spawn(api: str, base_url: str, sb: Sandbox, journal: Path, number: str, reference: str) -> "subprocess.Popen[str]":
    a, b = (sb.api_key, "") if api == "v2" else (sb.v1_email, sb.v1_token)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLICKAIRTIME_")}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, api, base_url, a, b, str(journal), number, reference],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def kill(p: "subprocess.Popen[str]") -> None:
    p.send_signal(signal.SIGKILL)
    p.wait(10)
    assert p.returncode == -signal.SIGKILL
    out = p.stdout.read() if p.stdout else ""
    assert "prepared" in out and "returned" not in out, out


def test_crash_after_the_post_and_before_it_recovers_to_exactly_one_sale(tmp_path: Path) -> None:
    journal = tmp_path / "till.journal"
    # a port that accepts connections and never reads them: a request written there never reaches the API
    black_hole = socket.socket()
    black_hole.bind(("127.0.0.1", 0))
    black_hole.listen(16)
    dead_url = f"http://127.0.0.1:{black_hole.getsockname()[1]}"
    with Sandbox(processing_after=0.05, complete_after=0.2, slow_delay=20) as sb:
        # AFTER: the server received (and committed) the POST; its answer is held 20 s; the till dies meanwhile
        after = spawn("v2", sb.base_url, sb, journal, magic(9), "crash-after")
        wait_for("the server to receive the V2 POST", lambda: sb.stats()["v2"]["posts"] == 1)
        kill(after)
        v1_after = spawn("v1", sb.base_url, sb, journal, magic(9)[1:], "CRASH-AFTER-V1")
        wait_for("the server to receive the V1 POST", lambda: sb.stats()["v1"]["posts"] == 1)
        kill(v1_after)
        # BEFORE: the send is journaled and its write started, but the POST never reached the server
        watcher = sb.v2_client(journal=journal)

        def journaled_write() -> bool:
            e = watcher.journal_entry("crash-before")
            return e is not None and e.writes >= 1

        before = spawn("v2", dead_url, sb, journal, PHONE, "crash-before")
        wait_for("the journaled write", journaled_write)
        kill(before)
        black_hole.close()
        assert sb.stats()["v2"]["posts"] == 1 and len(sb.transactions()["v2"]) == 1

        # a fresh process-like client on the same journal: what was left open is listed …
        c = sb.v2_client(journal=journal, convergence_bound=1.0, retry_base_delay=0.01)
        v1 = sb.v1_client(journal=journal, convergence_bound=1.0, retry_base_delay=0.01)
        pending = {p.reference: p for p in c.pending()}
        assert set(pending) == {"crash-after", "crash-before"}
        assert all(p.state == "in_flight" and p.writes == 1 and p.is_open for p in pending.values())
        assert [p.reference for p in v1.pending()] == ["CRASH-AFTER-V1"]

        # … and settled by recover() (the dead owner is seen at once; at worst its lease runs out)
        time.sleep(1.1)  # the convergence bound since the "before" write: absence is provable now
        settled: Dict[str, Recovery[TopUp]] = {}

        def recovered() -> bool:
            for r in c.recover():
                settled[r.reference] = r
            return all(s.state not in ("in_flight", "unknown") for s in settled.values()) and len(settled) == 2

        wait_for("recover() to settle both", recovered, timeout=90)
        [tx] = txs(sb, "v2", "crash-after")
        ra = settled["crash-after"]
        assert ra.state == "sent" and ra.transaction_id == tx["id"]
        assert isinstance(ra.record, TopUp) and ra.record.id == tx["id"]
        assert ra.record.meta is not None and ra.record.meta.origin == "recovered"
        rb = settled["crash-before"]
        assert rb.state == "not_sent" and rb.record is None and rb.entry.error_kind == "NOT_FOUND"
        entry = c.journal_entry("crash-after")
        assert entry is not None and entry.state == "sent" and entry.transaction_id == tx["id"]
        assert c.pending() == []

        # V1 too
        v1_settled: Dict[str, Recovery[Transaction]] = {}

        def v1_recovered() -> bool:
            for r in v1.recover():
                v1_settled[r.reference] = r
            r1 = v1_settled.get("CRASH-AFTER-V1")
            return r1 is not None and r1.state == "sent"

        wait_for("V1 recover()", v1_recovered, timeout=90)
        [v1tx] = txs(sb, "v1", "CRASH-AFTER-V1")
        r1 = v1_settled["CRASH-AFTER-V1"]
        assert r1.transaction_id == v1tx["transactionId"] and isinstance(r1.record, Transaction)

        # re-selling the sent reference does not write again
        posts_now = sb.stats()["v2"]["posts"]
        again = c.topups.create(magic(9), 42, amount=5, currency="GHS", reference="crash-after")
        assert again.id == tx["id"] and again.meta is not None and again.meta.origin == "journal"
        v1_again = v1.send_topup(magic(9)[1:], amount=5, ext_ref_id="CRASH-AFTER-V1")
        assert v1_again.meta is not None and v1_again.meta.origin == "journal"
        # the one killed before its POST reached the server is sold again, exactly once
        sold = c.topups.create(TopUpOrder(PHONE, 42, amount=Decimal(5), currency="GHS", reference="crash-before"))
        assert sold.meta is not None and sold.meta.origin == "created"
        resold = c.topups.create(PHONE, 42, amount=5, currency="GHS", reference="crash-before")
        assert resold.id == sold.id and resold.meta is not None and resold.meta.origin == "journal"
        assert sb.stats()["v2"]["posts"] == posts_now + 1
        assert sb.stats()["v1"]["posts"] == 1
        assert len(txs(sb, "v2", "crash-after")) == 1 and len(txs(sb, "v2", "crash-before")) == 1
        assert len(sb.transactions()["v2"]) == 2 and len(sb.transactions()["v1"]) == 1
