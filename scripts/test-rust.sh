#!/usr/bin/env bash
# Rust: formatting, lints on the core crates, and every crate's tests (unit, fixtures, faults, sandbox).
source "$(dirname "$0")/lib.sh"
need_cargo
cd "$ROOT"
cargo fmt --all -- --check
# the one result shape (docs/SHAPES.md, docs/shapes.json) is generated from core: it must be current
python3 scripts/gen_shapes.py --check
# the tree's shape: no hand-written source file over 600 lines, no import circles (Rust, Python, JS)
python3 scripts/check_shape.py
# every README's outcome table: the same five ends, meanings and instructions as the root README's
python3 scripts/check_outcomes.py
cargo clippy --locked -p clickairtime -p clickairtime-sandbox -p clickairtime-cli --all-targets -- -D warnings
libdir="$(python_libdir)"
LD_LIBRARY_PATH="${libdir}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" cargo test --locked --workspace
# the figures the soak and the 500-row bulk test keep (cargo hides a passing test's output)
for f in target/soak-figures.txt target/bulk-figures.txt; do
  if [ -f "$f" ]; then cat "$f"; fi
done
# the README, as written: its first command (the quickstart) and its sandbox command
./scripts/quickstart.sh > target/quickstart.log
grep -q "quickstart finished" target/quickstart.log || { cat target/quickstart.log; echo "quickstart failed" >&2; exit 1; }
sandbox_cmd="$(sed -n 's/^\(cargo run -p clickairtime-sandbox -- [^#]*\)#.*/\1/p' README.md | head -n1)"
[ -n "$sandbox_cmd" ] || { echo "README: sandbox command not found" >&2; exit 1; }
# in its own process group, so stopping it stops cargo and the sandbox it started
setsid bash -c "exec $sandbox_cmd" > target/readme-sandbox.log 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 120); do grep -q "^CLICKAIRTIME_SANDBOX_URL=" target/readme-sandbox.log && break; sleep 0.5; done
url="$(sed -n 's/^CLICKAIRTIME_SANDBOX_URL=//p' target/readme-sandbox.log)"
kill -TERM -- "-$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true
[ -n "$url" ] || { cat target/readme-sandbox.log; echo "README sandbox command printed no URL" >&2; exit 1; }
echo "README sandbox command served at $url"
