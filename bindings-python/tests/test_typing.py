"""The shipped stubs and inline types are checked against the installed module and the examples."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"

mypy = pytest.importorskip("mypy", reason="mypy is installed by scripts/test-python.sh")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MYPY_CACHE_DIR=os.devnull)
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=300, cwd=EXAMPLES
    )


def test_native_stubs_match_the_built_module() -> None:
    r = run("-m", "mypy.stubtest", "clickairtime._native", "--ignore-missing-stub")
    assert r.returncode == 0, r.stdout + r.stderr


def test_examples_and_package_pass_mypy_strict() -> None:
    files = sorted(str(p) for p in EXAMPLES.glob("*.py"))
    assert files
    flags = ("--strict", "--ignore-missing-imports", "--no-incremental")
    r = run("-m", "mypy", *flags, "-p", "clickairtime")
    assert r.returncode == 0, r.stdout + r.stderr
    r = run("-m", "mypy", *flags, *files)
    assert r.returncode == 0, r.stdout + r.stderr


def test_quickstart_runs_against_the_sandbox() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLICKAIRTIME_")}
    r = subprocess.run([sys.executable, str(EXAMPLES / "quickstart.py")], capture_output=True, text=True,
                       env=env, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "final status: completed" in r.stdout
    r = subprocess.run([sys.executable, str(EXAMPLES / "async_quickstart.py")], capture_output=True, text=True,
                       env=env, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "completed", r.stdout + r.stderr


POS_CASES = [
    # phone, exit code, what the cashier must be told (and must not be)
    ("+233541112259", 0, "Airtime delivered.", "NOT SOLD"),
    ("+233555000001", 3, "Nothing was sold", "delivered"),
    ("+233555000002", 2, "Nothing was sold", "delivered"),
    ("+233555000003", 7, "did NOT deliver", "Airtime delivered"),
    ("+233555000007", 0, "found again, not repeated", "NOT SOLD"),
    ("+233555000008", 6, "Do NOT sell again", "Nothing was sold"),
    ("+233555000010", 5, "STILL ON ITS WAY", "Nothing was sold"),
]


@pytest.mark.parametrize("phone,code,said,not_said", POS_CASES, ids=[c[0][-2:] for c in POS_CASES])
def test_pos_tells_the_truth_for_every_outcome(phone: str, code: int, said: str, not_said: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLICKAIRTIME_")}
    env["POS_WAIT"] = "5" if phone != "+233555000010" else "1"
    r = subprocess.run([sys.executable, str(EXAMPLES / "pos.py"), phone, "20", "R-0001"], capture_output=True,
                       text=True, env=env, timeout=120)
    assert r.returncode == code, r.stdout + r.stderr
    assert said in r.stdout and not_said not in r.stdout, r.stdout


LITERALS = '''
from clickairtime import TopUp, Transaction, TopUpStatus, BulkReport, V2Client

def check(t: TopUp, tx: Transaction, r: BulkReport) -> None:
    if t.status == "complete":                      # line 5: a typo mypy must catch
        pass
    s: TopUpStatus = "complete"                     # line 7
    if tx.state == "SUCESS":                        # line 8
        pass
    if t.status == "completed" and tx.state == "SUCCESS" and r.rows[0].outcome == "sent":
        pass
    if r.rows[0].outcome == "done":                 # line 12
        pass
    with V2Client() as c:
        c.topups.wait(t.id, deadline=5)
'''


def test_statuses_are_literals_mypy_catches_typos(tmp_path: Path) -> None:
    f = tmp_path / "typos.py"
    f.write_text(LITERALS)
    r = run("-m", "mypy", "--strict", "--no-incremental", str(f))
    assert r.returncode == 1, r.stdout + r.stderr
    lines = sorted({int(line.split(":")[1]) for line in r.stdout.splitlines() if ": error:" in line})
    assert lines == [5, 7, 8, 12], r.stdout
