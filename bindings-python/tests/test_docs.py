"""Docs that run (issue 12): every code block of bindings-python/README.md and every file in examples/python is
executed here against a fresh sandbox, from the installed wheel, so that none can rot.

- ``python`` blocks and example files run as programs (``python file.py``) in an empty folder, with
  ``CLICKAIRTIME_API_KEY`` / ``_V1_EMAIL`` / ``_V1_TOKEN`` / ``_BASE_URL`` pointing at the sandbox; they must exit 0.
- ``sh`` blocks run with ``bash -euo pipefail`` the same way, the wheel's ``clickairtime`` on the PATH; the one
  line they may not run is the install itself (``pip install clickairtime``: scripts/test-python.sh installs the
  wheel), which is only syntax-checked.
- Any other fence is an error: a block that is not run would rot.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from clickairtime.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "bindings-python" / "README.md"
EXAMPLES = ROOT / "examples" / "python"
INSTALL = "pip install clickairtime"


def blocks(path: Path) -> List[Tuple[int, str, str]]:
    """(line, language, code) of every fenced block."""
    text = path.read_text("utf-8")
    out = []
    for m in re.finditer(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", text, re.S | re.M):
        out.append((text[: m.start()].count("\n") + 1, m.group(1), m.group(2)))
    return out


BLOCKS = blocks(README)


def env_for(sb: Sandbox, tmp: Path) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLICKAIRTIME_")}
    env.update(
        CLICKAIRTIME_API_KEY=sb.api_key,
        CLICKAIRTIME_V1_EMAIL=sb.v1_email,
        CLICKAIRTIME_V1_TOKEN=sb.v1_token,
        CLICKAIRTIME_BASE_URL=sb.base_url,
        # the clickairtime command's default journal and config: inside the test's folder
        XDG_STATE_HOME=str(tmp / "state"),
        XDG_CONFIG_HOME=str(tmp / "config"),
        PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
    )
    return env


def run(cmd: List[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    with Sandbox(processing_after=0.05, complete_after=0.2, slow_delay=1.0) as sb:
        return subprocess.run(cmd, capture_output=True, text=True, env=env_for(sb, tmp), cwd=tmp, timeout=180)


def test_the_readme_has_blocks_of_every_kind() -> None:
    langs = {lang for _, lang, _ in BLOCKS}
    assert langs == {"python", "sh"}, langs  # nothing else: every block is run
    assert sum(1 for _, lang, _ in BLOCKS if lang == "python") >= 8


@pytest.mark.parametrize("line, lang, code", BLOCKS, ids=[f"README.md:{b[0]}" for b in BLOCKS])
def test_every_readme_block_runs(line: int, lang: str, code: str, tmp_path: Path) -> None:
    if lang == "python":
        f = tmp_path / f"readme_{line}.py"
        f.write_text(code)
        r = run([sys.executable, str(f)], tmp_path)
    else:
        assert lang == "sh"
        lines = [x for x in code.splitlines() if x.strip() and not x.lstrip().startswith("#")]
        if any(x.strip().startswith(INSTALL) for x in lines):
            assert all(x.strip().startswith(INSTALL) for x in lines), "install lines stand alone"
            r = subprocess.run(["bash", "-n"], input=code, capture_output=True, text=True)
        else:
            f = tmp_path / f"readme_{line}.sh"
            f.write_text("set -euo pipefail\n" + code)
            r = run(["bash", str(f)], tmp_path)
    assert r.returncode == 0, f"README.md:{line} ({lang}) exited {r.returncode}\n{r.stdout}\n{r.stderr}"


EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.py"))


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_every_example_runs_against_the_sandbox(name: str, tmp_path: Path) -> None:
    r = run([sys.executable, str(EXAMPLES / name)], tmp_path)
    assert r.returncode == 0, f"{name} exited {r.returncode}\n{r.stdout}\n{r.stderr}"
    assert "Traceback" not in r.stderr
