"""The `clickairtime` command shipped in the wheel (issue 13): the console script and `python -m clickairtime`,
both the Rust CLI (crate clickairtime-cli) inside the extension module — run here from the installed wheel."""

from __future__ import annotations

import inspect
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

import clickairtime
from clickairtime import _cli

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
