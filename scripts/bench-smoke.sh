#!/usr/bin/env bash
# Smoke mode of the benchmarks (so they don't rot): a few dozen calls per side against the canned responder
# and the sandbox, debug builds allowed, sides whose binding isn't built are skipped. Fails only if a side
# crashes or returns wrong data — never because of a time. Results: target/bench-smoke/.
set -euo pipefail
exec "$(dirname "$0")/../bench/run.sh" --smoke
