#!/usr/bin/env bash
# Every test suite of the repository, from a fresh machine: Rust, C, Python, Node. Each language's script
# installs what it needs. Timings go to target/timings.txt.
source "$(dirname "$0")/lib.sh"
need_cargo
cd "$ROOT"
mkdir -p target
# test builds share the debug artifacts of `cargo test` (release builds are for bench/ and publishing)
export PY_PROFILE="${PY_PROFILE:-dev}"
: > target/timings.txt
passed=0; failed=0; failed_steps=()
step() {
  local name="$1"; shift
  local t0=$SECONDS
  echo "==> $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_steps+=("$name"); fi
  echo "$name $((SECONDS - t0))s" | tee -a target/timings.txt
}
step rust scripts/test-rust.sh
for lang in c python node; do
  if [ -x "scripts/test-$lang.sh" ]; then step "$lang" "scripts/test-$lang.sh"; fi
done
if [ -x scripts/bench-smoke.sh ]; then step bench-smoke scripts/bench-smoke.sh; fi
echo "total $SECONDS s"
[ "$failed" -eq 0 ] || echo "failed steps: ${failed_steps[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
