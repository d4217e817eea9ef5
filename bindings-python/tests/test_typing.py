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
