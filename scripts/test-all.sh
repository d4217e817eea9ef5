#!/usr/bin/env bash
# Every test suite of the repository, from a fresh machine: Rust, C, Python, Node, the release artifacts
# (scripts/test-dist.sh) and a bench smoke run. Each script installs what it needs. Timings go to
# target/timings.txt.
#
# The release builds for five targets take most of ten minutes of CPU; the suites leave one of the two cores
# idle most of the time (sandbox round trips, waits, valgrind on one thread), so `test-dist.sh build` runs in the
# background at the lowest priority from the start, and its checks (wine, qemu, musl, the packages) run last.
# SKIP_DIST=1 leaves the release artifacts out.
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
dist_pid=""
if [ -x scripts/test-dist.sh ] && [ "${SKIP_DIST:-0}" != 1 ]; then
  echo "==> dist build in the background (log: target/dist-build.log)"
  nice -n 19 scripts/test-dist.sh build > target/dist-build.log 2>&1 &
  dist_pid=$!
fi
# `dist_check`: the background build's result, then the checks
dist_check() {
  local t0=$SECONDS rc=0
  wait "$dist_pid" || rc=$?
  echo "test-dist: the background build ended $((SECONDS - t0)) s after the other suites (exit $rc)"
  tail -n 25 target/dist-build.log
  [ "$rc" -eq 0 ] && scripts/test-dist.sh check
}
step rust scripts/test-rust.sh
for lang in c python node; do
  if [ -x "scripts/test-$lang.sh" ]; then step "$lang" "scripts/test-$lang.sh"; fi
done
if [ -x scripts/bench-smoke.sh ]; then step bench-smoke scripts/bench-smoke.sh; fi
if [ -n "$dist_pid" ]; then step dist dist_check; fi
echo "total $SECONDS s"
[ "$failed" -eq 0 ] || echo "failed steps: ${failed_steps[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
