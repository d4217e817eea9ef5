#!/usr/bin/env bash
# Build the clickairtime abi3 wheel, install it into a FRESH virtualenv, and run the pytest suite against the
# installed package (never the source tree). Called from the repo root by scripts/test-all.sh.
#
#   PY_PROFILE=dev      build the wheel with the dev profile (faster; default: release, what users get)
#   PY_TARGET_DIR=dir   give maturin its own cargo target dir (faster dev loops; TOOLCHAIN pitfall 13)
#   PYTEST_ARGS="..."   extra pytest arguments
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

MATURIN_VERSION=1.16.0
PYTEST_VERSION=9.2.0
MYPY_VERSION=2.4.1

PYTHON=${PYTHON:-python3}
# apt-get, one at a time (the lock of scripts/lib.sh's apt_get: cross-build tools may be installing beside us)
apt_get() { local s=""; [ "$(id -u)" = 0 ] || s=sudo; DEBIAN_FRONTEND=noninteractive flock "${TMPDIR:-/tmp}/clickairtime-apt.lock" $s apt-get "$@"; }
# Debian's python3 needs python3-venv for `python3 -m venv` (ensurepip).
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt_get update -qq && apt_get install -y -qq python3-venv >/dev/null
    else
        echo "test-python: python3-venv is missing (apt-get install python3-venv)" >&2
        exit 1
    fi
fi

# Build tools live in the repo's .venv.
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check "maturin==$MATURIN_VERSION"

# One abi3 wheel (cp39-abi3). No pyo3 `extension-module` feature: maturin sets PYO3_BUILD_EXTENSION_MODULE.
WHEELS="$ROOT/target/wheels"
mkdir -p "$WHEELS"
rm -f "$WHEELS"/clickairtime-*.whl
build_args=(build --out "$WHEELS")
[ "${PY_PROFILE:-release}" = release ] && build_args+=(--release)
[ -n "${PY_TARGET_DIR:-}" ] && build_args+=(--target-dir "$PY_TARGET_DIR")
(cd bindings-python && "$ROOT/.venv/bin/maturin" "${build_args[@]}")
shopt -s nullglob
wheels=("$WHEELS"/clickairtime-*-cp39-abi3-*.whl)
if [ "${#wheels[@]}" -ne 1 ]; then
    echo "test-python: expected exactly one cp39-abi3 wheel in $WHEELS, found ${#wheels[@]}" >&2
    exit 1
fi
WHEEL=${wheels[0]}
echo "test-python: built $(basename "$WHEEL")"

# A fresh virtualenv that has never seen the source tree: the wheel, then the test tools.
TEST_VENV="$ROOT/target/py-test-venv"
"$PYTHON" -m venv --clear "$TEST_VENV"
"$TEST_VENV/bin/python" -m pip install -q --disable-pip-version-check --no-index --no-deps "$WHEEL"
"$TEST_VENV/bin/python" -m pip install -q --disable-pip-version-check "pytest==$PYTEST_VERSION" "mypy==$MYPY_VERSION"

# abi3: the same wheel also installs and works on the oldest supported CPython, when one is on the machine.
PY39=""
for cand in python3.9 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.9*/bin/python3.9; do
    if "$cand" -c 'import venv, ensurepip' >/dev/null 2>&1; then PY39=$cand; break; fi
done
if [ -n "$PY39" ]; then
    OLD_VENV="$ROOT/target/py39-venv"
    "$PY39" -m venv --clear "$OLD_VENV"
    "$OLD_VENV/bin/python" -m pip install -q --disable-pip-version-check --no-index --no-deps "$WHEEL"
    (cd /tmp && "$OLD_VENV/bin/python" - <<'PY'
import asyncio, sys
from decimal import Decimal
import clickairtime
from clickairtime import aio
from clickairtime.sandbox import Sandbox
with Sandbox(processing_after=0.02, complete_after=0.05) as sb:
    with sb.v2_client() as c:
        t = c.topups.create("+233 54 111 2259", 42, amount=Decimal("5"), currency="GHS")
        assert c.topups.wait(t.id, deadline=10, initial_interval=0.02).status == "completed"
    async def main():
        async with aio.V2Client(sb.api_key, base_url=sb.base_url) as a:
            s = await a.topups.create("+233555000010", 42, amount=1, currency="GHS")
            w = asyncio.ensure_future(a.topups.wait(s.id, initial_interval=0.02))
            await asyncio.sleep(0.2)
            w.cancel()
            try:
                await w
            except asyncio.CancelledError:
                return "cancelled"
    assert asyncio.run(main()) == "cancelled"
    rep = sb.v2_client().bulk([{"phone": "+233541110001", "amount": 2, "currency": "GHS", "reference": "py39"}])
    assert rep.ok, rep
print("test-python: wheel works on Python %d.%d" % sys.version_info[:2])
PY
    )
    "$OLD_VENV/bin/clickairtime" --version >/dev/null
    (cd /tmp && "$OLD_VENV/bin/python" -m clickairtime --help >/dev/null)
fi

# Run the suite from the tests folder with the fresh venv's interpreter: `import clickairtime` resolves to
# the installed wheel (test_package.py asserts it).
cd bindings-python/tests
# shellcheck disable=SC2086
exec "$TEST_VENV/bin/python" -m pytest -p no:cacheprovider -q -rxs ${PYTEST_ARGS:-} .
