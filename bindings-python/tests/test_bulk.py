"""Bulk payouts as a library call (issue 13): client.bulk(...) runs the core's bulk engine — the whole input
validated first, every send through the client's journal and rate limit — and returns a typed report. Against
the sandbox with injected faults: every row is sent exactly once, and a rerun writes nothing."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any, List, Tuple

import pytest

import clickairtime
from clickairtime import BulkReport, BulkRowResult, CancelToken, ValidationError, aio
from clickairtime.sandbox import Sandbox

ROWS = 40


def phone(i: int) -> str:
    return f"+2335411{i:05d}"


def write_csv(path: Path, n: int, start: int = 0) -> Path:
    lines = ["amount,phone,currency,reference,department"]
    for i in range(start, start + n):
        ref = f"pay-{i:03d}" if i % 2 == 0 else ""  # half the references derived from the file and the row
        lines.append(f"{1 + i % 5},{phone(i)},GHS,{ref},dept-{i % 3}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def sb() -> Any:
    with Sandbox(processing_after=0.05, complete_after=0.2, duplicate_window=0, slow_delay=0.3,
                 rate_limit_per_minute=100_000) as s:
        yield s


def client(sb: Sandbox, journal: Path, **kw: Any) -> clickairtime.V2Client:
    return sb.v2_client(journal=str(journal), rate_limit={"per_minute": 100_000, "per_hour": 1_000_000},
                        convergence_bound=0.5, send_deadline=20, retry_base_delay=0.01, max_retry_delay=0.05, **kw)


def test_a_file_with_faults_is_sent_once_and_a_rerun_writes_nothing(sb: Sandbox, tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "bonus.csv", ROWS)
    c = client(sb, tmp_path / "j")
    # faults on the writes: answers lost after the commit, server errors, 429s, slow answers
    sb.inject("drop_after_commit", method="POST", path="/v2/topups", count=3)
    sb.inject("server_error", method="POST", path="/v2/topups", count=2, skip=5)
    sb.inject("rate_limit", method="POST", path="/v2/topups", count=2, skip=9, retry_after=1)
    sb.inject("slow", method="POST", path="/v2/topups", count=2, skip=12, delay=0.3)
    progress: List[Tuple[int, int, str]] = []
    lock = threading.Lock()

    def on_progress(r: BulkRowResult, done: int, total: int) -> None:
        assert isinstance(r, BulkRowResult)
        with lock:
            progress.append((done, total, r.outcome))

    report_path = tmp_path / "bonus.report.csv"
    rep = c.bulk(csv_path, concurrency=4, on_progress=on_progress, report=report_path)
    assert isinstance(rep, BulkReport) and rep.api == "v2" and not rep.stopped
    assert rep.ok and rep.sent == ROWS and rep.counts == {"sent": ROWS, "not_sent": 0, "refused": 0,
                                                            "unknown": 0, "skipped": 0}, rep.to_csv()
    assert sorted(d for d, _, _ in progress) == list(range(1, ROWS + 1)) and {t for _, t, _ in progress} == {ROWS}
    # exactly one transaction per row, carrying the row's reference
    txs = sb.transactions()["v2"]
    refs = [r.reference for r in rep.rows]
    assert len(txs) == ROWS and sorted(t["reference"] for t in txs) == sorted(refs) and len(set(refs)) == ROWS
    assert rep.rows[0].reference == "pay-000" and rep.rows[1].reference.startswith("bulk-")
    assert [r.line for r in rep.rows] == list(range(2, ROWS + 2))
    first = rep.rows[0]
    assert first.transaction_id and first.id == first.transaction_id and first.origin in ("created", "recovered")
    assert first.amount == clickairtime.Money(value=Decimal(1), currency="GHS") and first.cost is not None
    assert {r.origin for r in rep.rows} >= {"created", "recovered"}
    assert rep.totals() == {"GHS": Decimal(sum(1 + i % 5 for i in range(ROWS)))}
    # the report file is the core's CSV
    assert report_path.read_text() == rep.to_csv()
    assert rep.to_csv().splitlines()[0] == "row,reference,outcome,origin,id,status,amount,cost,error_kind,error"
    assert json.loads(rep.to_json())["rows"][0]["outcome"] == "sent"
    # the metadata columns reached the API
    assert {t["metadata"]["department"] for t in txs if t.get("metadata")} == {"dept-0", "dept-1", "dept-2"}

    # the same file again, even from a new client on the same journal: nothing is written
    posts = sb.stats()["v2"]["posts"]
    again = client(sb, tmp_path / "j").bulk(str(csv_path))
    assert again.ok and {r.origin for r in again.rows} == {"journal"}
    assert [r.transaction_id for r in again.rows] == [r.transaction_id for r in rep.rows]
    assert sb.stats()["v2"]["posts"] == posts and len(sb.transactions()["v2"]) == ROWS


def test_the_whole_file_is_validated_first(sb: Sandbox, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "phone,amount,currency,reference\n"
        "+233541112259,5,GHS,a-1\n"
        "0541112259,5,GHS,a-2\n"          # line 3: national number
        "+233541112259,5.001,GHS,a-3\n"   # line 4: too many decimals
        "+233541112259,,,a-4\n"           # line 5: no amount
        "+233541112259,7,GHS,a-1\n"       # line 6: reference used twice
    )
    report = tmp_path / "r.csv"
    c = client(sb, tmp_path / "j")
    with pytest.raises(ValidationError) as e:
        c.bulk(bad, report=report)
    text = str(e.value)
    for line in ("line 3", "line 4", "line 5", "line 6"):
        assert line in text, text
    assert not any(x.startswith("line 2:") for x in text.splitlines()), text
    assert "4 bad row(s)" in text and "nothing was sent" in text
    assert e.value.field == "phone"
    errs = e.value.row_errors
    assert errs is not None and [(r.line, r.index, r.field) for r in errs] == [
        (3, 1, "phone"), (4, 2, "amount"), (5, 3, "amount"), (6, 4, "reference")]
    assert all(isinstance(r, clickairtime.BulkRowError) and r.message for r in errs)
    assert sb.stats()["v2"]["requests"] == 0 and not report.exists()
    with pytest.raises(ValidationError) as e3:
        c.bulk(b"amount\n5\n", name="x")
    assert e3.value.row_errors and e3.value.row_errors[0].line == 1 and e3.value.row_errors[0].index is None
    with pytest.raises(ValidationError) as e2:
        c.bulk(tmp_path / "missing.csv")
    assert e2.value.field == "source"


def test_rows_as_dicts(sb: Sandbox, tmp_path: Path) -> None:
    c = client(sb, tmp_path / "j")
    rows = [{"phone": "+233 54 111 0001", "amount": Decimal("2.50"), "currency": "GHS", "reference": "r-1"},
            {"phone": "+233541110002", "amount": 3, "currency": "GHS", "reference": "r-2", "sms": "Enjoy"}]
    rep = c.bulk(rows)
    assert rep.ok and [r.reference for r in rep.rows] == ["r-1", "r-2"]
    # without references, a name keeps derived references stable across runs
    more = [{"phone": "+233541110003", "amount": 4, "currency": "GHS"}]
    with pytest.raises(ValidationError) as e:
        c.bulk(more)
    assert e.value.field == "name"
    one = c.bulk(more, name="payday-2026-05")
    two = c.bulk(more, name="payday-2026-05")
    assert one.rows[0].reference == two.rows[0].reference and two.rows[0].origin == "journal"
    with pytest.raises(ValidationError) as e:
        c.bulk([{"phone": "+233541110004", "amount": 0.1, "currency": "GHS", "reference": "f"}])
    assert e.value.field == "amount" and "float" in str(e.value)
    # the CSV itself, as bytes, with the name its references derive from
    data = b"phone,amount,currency\n+233541110005,5,GHS\n"
    with pytest.raises(ValidationError) as e:
        c.bulk(data)
    assert e.value.field == "name"
    b1 = c.bulk(data, name="upload-17.csv")
    assert b1.ok and b1.rows[0].index == 0 and b1.rows[0].reference.startswith("bulk-")
    assert c.bulk(bytearray(data), name="upload-17.csv").rows[0].origin == "journal"
    assert len(sb.transactions()["v2"]) == 4


def test_v1_bulk(sb: Sandbox, tmp_path: Path) -> None:
    c = sb.v1_client(journal=str(tmp_path / "j"), rate_limit="documented")
    f = tmp_path / "v1.csv"
    f.write_text("msisdn,amount\n" + "".join(f"23354111{i:04d},{1 + i}\n" for i in range(6)))
    rep = c.bulk(f, concurrency=2)
    assert rep.api == "v1" and rep.ok and rep.sent == 6, rep.to_csv()
    assert all(r.status == "SUCCESS" for r in rep.rows)
    assert len(sb.transactions()["v1"]) == 6
    again = c.bulk(f)
    assert {r.origin for r in again.rows} == {"journal"} and len(sb.transactions()["v1"]) == 6


def test_a_cancel_token_stops_taking_rows_and_a_rerun_finishes(sb: Sandbox, tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "stop.csv", 20)
    c = client(sb, tmp_path / "j")
    token = CancelToken()

    def on_progress(r: BulkRowResult, done: int, total: int) -> None:
        if done == 3:
            token.cancel()

    rep = c.bulk(csv_path, concurrency=1, on_progress=on_progress, cancel=token)
    assert rep.stopped and rep.unknown == 0 and rep.not_sent == 0
    assert rep.sent == 3 and rep.skipped == 17  # concurrency 1: the cancel comes before the 4th row is taken
    assert len(sb.transactions()["v2"]) == rep.sent
    rest = client(sb, tmp_path / "j").bulk(csv_path)
    assert rest.ok and len(sb.transactions()["v2"]) == 20
    assert sum(1 for r in rest.rows if r.origin == "journal") == rep.sent


def test_a_failing_progress_callback_stops_the_run_and_is_raised(sb: Sandbox, tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "cb.csv", 10)
    report = tmp_path / "cb.report.csv"

    def on_progress(r: BulkRowResult, done: int, total: int) -> None:
        raise RuntimeError("the progress bar broke")

    with pytest.raises(RuntimeError, match="progress bar"):
        client(sb, tmp_path / "j").bulk(csv_path, concurrency=1, on_progress=on_progress, report=report)
    lines = report.read_text().splitlines()
    assert len(lines) == 11 and ",skipped," in lines[-1]
    assert 1 <= len(sb.transactions()["v2"]) < 10


def test_aio_bulk(sb: Sandbox, tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "aio.csv", 8)
    seen: List[int] = []

    async def main() -> BulkReport:
        async with aio.V2Client(sb.api_key, base_url=sb.base_url, journal=str(tmp_path / "j")) as c:
            loop_thread = threading.get_ident()

            def on_progress(r: BulkRowResult, done: int, total: int) -> None:
                assert threading.get_ident() == loop_thread  # called on the event loop
                seen.append(done)

            return await c.bulk(csv_path, on_progress=on_progress)

    rep = asyncio.run(main())
    assert rep.ok and sorted(seen) == list(range(1, 9)) and len(sb.transactions()["v2"]) == 8


CHILD = textwrap.dedent(
    """
    import json, sys
    from clickairtime.sandbox import Sandbox

    path, journal = sys.argv[1], sys.argv[2]
    with Sandbox(duplicate_window=0, rate_limit_per_minute=100000) as sb:
        sb.inject("slow", method="POST", path="/v2/topups", count=1000, delay=0.25)
        c = sb.v2_client(journal=journal, rate_limit={"per_minute": 6000})
        def progress(r, done, total):
            print("progress", done, r.outcome, flush=True)
        try:
            c.bulk(path, concurrency=2, on_progress=progress)
            print(json.dumps({"interrupted": None}), flush=True)
        except KeyboardInterrupt as e:
            print(json.dumps({"interrupted": e.report.counts, "committed": len(sb.transactions()["v2"])}), flush=True)
        rest = c.bulk(path, concurrency=4)
        print(json.dumps({"rerun": rest.counts, "posts": sb.stats()["v2"]["posts"],
                          "committed": len(sb.transactions()["v2"]),
                          "journal": sum(1 for r in rest.rows if r.origin == "journal")}), flush=True)
    """
)


def test_ctrl_c_stops_taking_rows_lets_sends_settle_and_a_rerun_pays_nobody_twice(tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "ctrlc.csv", 30)
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLICKAIRTIME_")}
    # SIGINT at its default in the child (see test_idiom.py's Ctrl-C test)
    p = subprocess.Popen([sys.executable, str(script), str(csv_path), str(tmp_path / "j")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert p.stdout is not None
        lines: List[str] = []
        while len([x for x in lines if x.startswith("progress")]) < 4:
            line = p.stdout.readline()
            assert line, (lines, p.stderr.read() if p.stderr else "")
            lines.append(line.strip())
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    lines += out.splitlines()
    assert p.returncode == 0, (lines, err)
    docs = [json.loads(x) for x in lines if x.startswith("{")]
    first, rerun = docs
    counts = first["interrupted"]
    assert counts is not None, lines
    assert counts["unknown"] == 0 and counts["not_sent"] == 0 and counts["skipped"] > 0, lines
    assert counts["sent"] == first["committed"] >= 4, lines  # what was under way settled, and nothing else
    assert rerun["rerun"]["sent"] == 30 and rerun["journal"] == counts["sent"], lines
    assert rerun["posts"] == 30 and rerun["committed"] == 30, lines  # every row written exactly once
