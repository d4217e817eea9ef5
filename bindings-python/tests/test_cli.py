"""The `clickairtime` command shipped in the wheel (issue 13): the console script and `python -m clickairtime`,
both the Rust CLI (crate clickairtime-cli) inside the extension module — run here from the installed wheel, against
the wheel's sandbox (`clickairtime sandbox`, or an in-process one where a test needs its own faults or timings),
through every exit code of cli/README.md's table but 130 (0 to 7)."""

from __future__ import annotations

import csv
import inspect
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Tuple

import pytest
from conftest import Handler, LocalServer

import clickairtime
from clickairtime import _cli, webhooks
from clickairtime.sandbox import Sandbox

SCRIPT = shutil.which("clickairtime", path=os.path.dirname(sys.executable))


def base_env(tmp: Path) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLICKAIRTIME_")}
    # the default journal and config live under these: keep them in the test's folder
    env.update(XDG_STATE_HOME=str(tmp / "state"), XDG_CONFIG_HOME=str(tmp / "config"), HOME=str(tmp))
    return env


def run(args: List[str], env: Dict[str, str], cwd: Path, module: bool = False) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "clickairtime", *args] if module else [str(SCRIPT), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


@pytest.fixture(scope="module")
def cli_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, str]]:
    """`clickairtime sandbox --port 0` from the wheel, its printed URL and credentials read back."""
    tmp = tmp_path_factory.mktemp("cli")
    env = base_env(tmp)
    p = subprocess.Popen([str(SCRIPT), "sandbox", "--port", "0", "--complete-after-ms", "200"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert p.stdout is not None
        for _ in range(5):
            line = p.stdout.readline()
            assert line, p.stderr.read() if p.stderr else ""
            k, _, v = line.strip().partition("=")
            env[k] = v
        assert env["CLICKAIRTIME_BASE_URL"].startswith("http://127.0.0.1:")
        env["CLICKAIRTIME_JOURNAL"] = str(tmp / "sales.journal")
        yield env
        p.send_signal(signal.SIGINT)  # Ctrl-C stops it cleanly
        assert p.wait(10) == 0
        assert p.stderr is not None and "sandbox stopped" in p.stderr.read()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def test_the_wheel_installs_a_console_script() -> None:
    assert SCRIPT is not None and Path(SCRIPT).parent == Path(sys.executable).parent


def test_both_entry_points_are_the_rust_command(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    a = run(["--help"], env, tmp_path)
    b = run(["--help"], env, tmp_path, module=True)
    assert a.returncode == b.returncode == 0, a.stderr + b.stderr
    assert a.stdout == b.stdout and "bulk" in a.stdout and "sandbox" in a.stdout and "Exit codes" in a.stdout
    v = run(["--version"], env, tmp_path, module=True)
    assert v.returncode == 0 and v.stdout.strip() == f"clickairtime {clickairtime.__version__}"
    # the Python side only forwards to the extension module: nothing of the command is re-implemented
    assert "_native.cli_main" in inspect.getsource(_cli)
    bad = run(["send"], env, tmp_path)
    assert bad.returncode == 2 and "usage" in bad.stderr.lower()


def test_balance_json(cli_sandbox: Dict[str, str], tmp_path: Path) -> None:
    r = run(["balance", "--json"], cli_sandbox, tmp_path)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["ok"] is True and doc["wallets"] and doc["available_balance"]["currency"] == "USD"
    assert cli_sandbox["CLICKAIRTIME_API_KEY"] not in r.stdout + r.stderr  # never printed


def test_send_and_its_exit_codes(cli_sandbox: Dict[str, str], tmp_path: Path) -> None:
    sent = run(["send", "+233 54 111 2259", "--amount", "5", "--currency", "GHS", "--reference", "cli-1", "--json"],
               cli_sandbox, tmp_path)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert json.loads(sent.stdout)["ok"] is True
    # the same sale again under the same reference: the journal answers, nothing is sent
    again = run(["send", "+233541112259", "--amount", "5", "--currency", "GHS", "--reference", "cli-1", "--json"],
                cli_sandbox, tmp_path)
    assert again.returncode == 0 and "journal" in again.stdout, again.stdout
    # the same phone, network and amount moments later under another reference: refused (exit 5)
    dup = run(["send", "+233541112259", "--amount", "5", "--currency", "GHS", "--reference", "cli-2"],
              cli_sandbox, tmp_path)
    assert dup.returncode == 5, dup.stdout + dup.stderr
    assert "refused" in (dup.stdout + dup.stderr).lower()
    # not sent: insufficient balance (exit 1)
    low = run(["send", "+233555000001", "--amount", "5", "--currency", "GHS"], cli_sandbox, tmp_path)
    assert low.returncode == 1 and "not sent" in (low.stdout + low.stderr).lower()


def test_bulk_dry_run_and_a_bad_file(cli_sandbox: Dict[str, str], tmp_path: Path) -> None:
    f = tmp_path / "payday.csv"
    f.write_text("phone,amount,currency,reference\n+233541110001,5,GHS,d-1\n+233541110002,7.50,GHS,d-2\n")
    r = run(["bulk", str(f), "--dry-run"], cli_sandbox, tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "12.5" in r.stdout and "GHS" in r.stdout and "d-2" in r.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("phone,amount,currency\n0541110001,5,GHS\n")
    r = run(["bulk", str(bad), "--dry-run"], cli_sandbox, tmp_path)
    assert r.returncode == 2 and "line 2" in (r.stdout + r.stderr)
    # and for real, twice: the second run comes from the journal
    r = run(["bulk", str(f), "--json"], cli_sandbox, tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    r = run(["bulk", str(f), "--json"], cli_sandbox, tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)["ok"] is True
    assert (tmp_path / "payday.report.csv").read_text().count("journal") == 2


def test_python_m_clickairtime_runs_commands_too(cli_sandbox: Dict[str, str], tmp_path: Path) -> None:
    r = run(["pending", "--json"], cli_sandbox, tmp_path, module=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["ok"] is True


# --- lookups, status, list and wait, through the wheel's entry points ------------------------------------------


def test_lookup(cli_sandbox: Dict[str, str], tmp_path: Path) -> None:
    r = run(["lookup", "+233 54 111 2259", "--json"], cli_sandbox, tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    doc = json.loads(r.stdout)["lookup"]
    assert doc["phone_number"] == "+233541112259" and doc["network"]["id"] == 42
    assert doc["exchange_rate"]["destination_currency"] == "GHS"
    assert [b["id"] for b in doc["products"]["fixed_bundles"]] == ["101", "102"]
    t = run(["lookup", "+233541112259"], cli_sandbox, tmp_path, module=True)
    assert t.returncode == 0 and "MTN Ghana (network 42" in t.stdout, t.stdout + t.stderr
    # a number of no network the API knows: a read that failed (1)
    assert run(["lookup", "+447911123456"], cli_sandbox, tmp_path).returncode == 1


def test_status_wait_and_list(cli_sandbox: Dict[str, str], tmp_path: Path) -> None:
    sent = run(["send", "+233541113001", "--amount", "5", "--currency", "GHS", "--reference", "cli-st-1", "--json"],
               cli_sandbox, tmp_path)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    tid = json.loads(sent.stdout)["topup"]["id"]
    w = run(["wait", tid, "--timeout", "30", "--json"], cli_sandbox, tmp_path)
    assert w.returncode == 0, w.stdout + w.stderr
    assert json.loads(w.stdout)["status"] == "completed"
    s = run(["status", tid, "--json"], cli_sandbox, tmp_path, module=True)
    assert s.returncode == 0, s.stdout + s.stderr
    assert json.loads(s.stdout)["topup"]["reference"] == "cli-st-1"
    by_ref = run(["status", "--reference", "cli-st-1"], cli_sandbox, tmp_path)
    assert by_ref.returncode == 0 and by_ref.stdout.startswith("delivered") and tid in by_ref.stdout, by_ref.stdout
    nobody = run(["status", "--reference", "cli-nobody", "--json"], cli_sandbox, tmp_path)
    assert nobody.returncode == 1 and json.loads(nobody.stdout)["outcome"] == "not_found"
    # list: JSON and CSV, with the API's filters
    lj = run(["list", "--reference", "cli-st-1", "--json"], cli_sandbox, tmp_path)
    assert lj.returncode == 0, lj.stdout + lj.stderr
    doc = json.loads(lj.stdout)
    assert doc["count"] == 1 and doc["topups"][0]["id"] == tid and doc["topups"][0]["status"] == "completed"
    done = json.loads(run(["list", "--status", "completed", "--json"], cli_sandbox, tmp_path).stdout)
    assert tid in [t["id"] for t in done["topups"]]
    csv_out = run(["list", "--reference", "cli-st-1", "--format", "csv", "--since", "1h"], cli_sandbox, tmp_path,
                  module=True)
    assert csv_out.returncode == 0, csv_out.stdout + csv_out.stderr
    rows = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert len(rows) == 1, csv_out.stdout
    assert (rows[0]["id"], rows[0]["status"], rows[0]["phone_number"]) == (tid, "completed", "+233541113001")
    assert (rows[0]["amount"], rows[0]["currency"], rows[0]["reference"]) == ("5", "GHS", "cli-st-1")
    assert run(["list", "--since", "last tuesday"], cli_sandbox, tmp_path).returncode == 2


# --- the other exit codes: 3, 4, 6, 7, and webhooks verify (0 / 1) ------------------------------------------------


@pytest.fixture
def own_sandbox(tmp_path: Path) -> Iterator[Tuple[Sandbox, Dict[str, str]]]:
    """An in-process sandbox of the wheel for one test (its faults and timings stay its own), and the CLI's
    environment for it."""
    with Sandbox(processing_after=0.05, complete_after=0.2) as sb:
        env = base_env(tmp_path)
        env.update(CLICKAIRTIME_BASE_URL=sb.base_url, CLICKAIRTIME_API_KEY=sb.api_key,
                   CLICKAIRTIME_JOURNAL=str(tmp_path / "sales.journal"))
        yield sb, env


def with_reference(sb: Sandbox, reference: str) -> int:
    return sum(1 for t in sb.transactions()["v2"] if t["reference"] == reference)


def test_an_unsettled_5xx_is_outcome_unknown_3_until_recover_proves_it(
        own_sandbox: Tuple[Sandbox, Dict[str, str]], tmp_path: Path) -> None:
    sb, env = own_sandbox
    # magic 08: the first POST of the sale gets a 500 and nothing is committed; a 5xx may have been received, so
    # only a lookup may settle it, and none can before the convergence bound: unknown at the send deadline
    r = run(["--send-deadline", "2", "send", "+233555000008", "--amount", "5", "--currency", "GHS",
             "--reference", "cli-u-1"], env, tmp_path)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "OUTCOME UNKNOWN" in r.stderr and "Do NOT send it again" in r.stderr and "not sent" not in r.stderr
    s = run(["status", "--reference", "cli-u-1", "--json"], env, tmp_path, module=True)
    assert s.returncode == 3 and json.loads(s.stdout)["journal_state"] == "unknown", s.stdout
    p = json.loads(run(["pending", "--json"], env, tmp_path).stdout)
    assert [e["reference"] for e in p["entries"]] == ["cli-u-1"]
    # recover never sends; before the bound it cannot prove anything: still unknown (3)
    rec = run(["recover", "--json"], env, tmp_path)
    assert rec.returncode == 3, rec.stdout + rec.stderr
    assert json.loads(rec.stdout)["recovered"][0]["state"] == "unknown"
    # with the bound lowered (sandbox only) and passed since the last write: never created (0)
    time.sleep(1.2)
    rec = run(["--convergence-bound", "1", "recover", "--json"], env, tmp_path)
    assert rec.returncode == 0, rec.stdout + rec.stderr
    assert json.loads(rec.stdout)["recovered"][0]["state"] == "not_sent"
    assert json.loads(run(["pending", "--json"], env, tmp_path).stdout)["entries"] == []
    assert with_reference(sb, "cli-u-1") == 0 and sb.stats()["v2"]["posts"] == 1


def test_a_late_commit_is_unknown_3_then_recovered_as_sent_once(
        own_sandbox: Tuple[Sandbox, Dict[str, str]], tmp_path: Path) -> None:
    sb, env = own_sandbox
    # the write is received, but committed (and never answered) only after the send's deadline
    sb.inject("late_commit", method="POST", path="/v2/topups", delay=3.0)
    r = run(["--send-deadline", "1", "send", "+233541112262", "--amount", "5", "--currency", "GHS",
             "--reference", "cli-late-1"], env, tmp_path)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "OUTCOME UNKNOWN" in r.stderr and "not sent" not in r.stderr
    deadline = time.monotonic() + 20
    while with_reference(sb, "cli-late-1") == 0:
        assert time.monotonic() < deadline, "the late commit never landed"
        time.sleep(0.1)
    rec = run(["recover", "--json"], env, tmp_path, module=True)
    assert rec.returncode == 0, rec.stdout + rec.stderr
    settled = json.loads(rec.stdout)["recovered"][0]
    assert settled["state"] == "sent" and settled["record"]["reference"] == "cli-late-1"
    again = run(["send", "+233541112262", "--amount", "5", "--currency", "GHS", "--reference", "cli-late-1",
                 "--json"], env, tmp_path)
    assert again.returncode == 0 and json.loads(again.stdout)["origin"] == "journal", again.stdout + again.stderr
    assert with_reference(sb, "cli-late-1") == 1


def test_still_pending_at_the_deadline_is_4(tmp_path: Path) -> None:
    # a sandbox that completes slowly: the top-up is created and not final for a minute
    with Sandbox(processing_after=0.05, complete_after=60) as sb:
        env = base_env(tmp_path)
        env.update(CLICKAIRTIME_BASE_URL=sb.base_url, CLICKAIRTIME_API_KEY=sb.api_key,
                   CLICKAIRTIME_JOURNAL=str(tmp_path / "sales.journal"))
        sent = run(["send", "+233541113101", "--amount", "5", "--currency", "GHS", "--json"], env, tmp_path)
        assert sent.returncode == 0, sent.stdout + sent.stderr
        tid = json.loads(sent.stdout)["topup"]["id"]
        assert run(["status", tid], env, tmp_path).returncode == 4
        start = time.monotonic()
        w = run(["wait", tid, "--timeout", "1", "--json"], env, tmp_path, module=True)
        assert w.returncode == 4, w.stdout + w.stderr
        assert time.monotonic() - start < 30
        doc = json.loads(w.stdout)
        assert doc["outcome"] == "still_pending" and tid in json.dumps(doc)
        t = run(["wait", tid, "--timeout", "1"], env, tmp_path)
        assert t.returncode == 4 and "still pending" in (t.stdout + t.stderr).lower()
        assert len(sb.transactions()["v2"]) == 1  # created once, only waited for


def test_balance_below_a_threshold_is_6(cli_sandbox: Dict[str, str], tmp_path: Path) -> None:
    low = run(["balance", "--below", "1000000", "--json"], cli_sandbox, tmp_path)
    assert low.returncode == 6, low.stdout + low.stderr
    doc = json.loads(low.stdout)
    assert doc["exit_code"] == 6 and doc["threshold_check"]["below"] is True
    t = run(["balance", "--below", "1000000"], cli_sandbox, tmp_path, module=True)
    assert t.returncode == 6 and "BELOW THRESHOLD" in t.stdout
    assert run(["balance", "--below", "1"], cli_sandbox, tmp_path).returncode == 0


def test_bulk_with_a_row_not_sent_is_7_and_a_rerun_pays_nobody_twice(
        own_sandbox: Tuple[Sandbox, Dict[str, str]], tmp_path: Path) -> None:
    sb, env = own_sandbox
    f = tmp_path / "mixed.csv"
    f.write_text("phone,amount,currency,reference\n+233541110301,5,GHS,m-1\n+233555000001,5,GHS,m-2\n")
    for rerun in (False, True):
        r = run(["bulk", str(f), "--json"], env, tmp_path)
        assert r.returncode == 7, r.stdout + r.stderr
        doc = json.loads(r.stdout)
        assert (doc["rows"], doc["sent"], doc["not_sent"], doc["already_sent"]) == (2, 1, 1, int(rerun))
        assert [(p["line"], p["reference"], p["error_kind"]) for p in doc["problems"]] == \
            [(3, "m-2", "INSUFFICIENT_BALANCE")]
    report = (tmp_path / "mixed.report.csv").read_text()
    assert "m-1,sent,journal" in report and "m-2,not_sent" in report, report
    assert with_reference(sb, "m-1") == 1 and with_reference(sb, "m-2") == 0


def test_webhooks_verify_a_real_delivery_and_a_tampered_one(
        own_sandbox: Tuple[Sandbox, Dict[str, str]], tmp_path: Path,
        local_server: Callable[[Handler], LocalServer]) -> None:
    sb, env = own_sandbox
    hooks = local_server(lambda method, path, body: (200, [], b"ok"))
    sent = run(["send", "+233541110401", "--amount", "5", "--currency", "GHS", "--callback-url",
                hooks.url + "/hooks", "--json"], env, tmp_path)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    deadline = time.monotonic() + 20
    while not any(b'"topup.completed"' in body for _, _, _, body in hooks.seen):
        assert time.monotonic() < deadline, hooks.seen
        time.sleep(0.05)
    _, _, headers, body = next(x for x in hooks.seen if b'"topup.completed"' in x[3])
    h = {k.lower(): v for k, v in headers.items()}
    sig, ts = h["x-webhook-signature"], h["x-webhook-timestamp"]
    f = tmp_path / "body.json"
    f.write_bytes(body)
    ok = run(["webhooks", "verify", "--signature", sig, "--timestamp", ts, str(f), "--json"], env, tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["verified"] is True
    # the raw body on stdin, the secret given: the same
    cmd = [sys.executable, "-m", "clickairtime", "webhooks", "verify", "--secret", sb.api_key,
           "--signature", sig, "--timestamp", ts, "-"]
    stdin = subprocess.run(cmd, input=body, capture_output=True, env=env, cwd=tmp_path, timeout=120)
    assert stdin.returncode == 0 and b"verified: topup.completed" in stdin.stdout, stdin.stdout + stdin.stderr
    # one byte changed: not verified (1)
    f.write_bytes(body.replace(b'"completed"', b'"complete_"', 1))
    bad = run(["webhooks", "verify", "--signature", sig, "--timestamp", ts, str(f), "--json"], env, tmp_path)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    doc = json.loads(bad.stdout)
    assert doc["verified"] is False and doc["error"]["kind"] == "INVALID_SIGNATURE"
    assert sb.api_key not in bad.stdout + bad.stderr
    # a body signed by the package's helper verifies; under another secret it does not
    mine = b'{"event":"topup.failed","data":{"id":"t-9","status":"failed","reference":"r-9"}}'
    f.write_bytes(mine)
    now = str(int(time.time()))
    good_sig = webhooks.sign(mine, now, sb.api_key)
    assert run(["webhooks", "verify", "--signature", good_sig, "--timestamp", now, str(f)], env,
               tmp_path).returncode == 0
    other = webhooks.sign(mine, now, "ce_live_" + "0" * 32)
    assert run(["webhooks", "verify", "--signature", other, "--timestamp", now, str(f)], env,
               tmp_path).returncode == 1
