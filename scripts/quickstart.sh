#!/usr/bin/env bash
# Runs the Rust quickstart: look up a number, send a top-up, wait for it, show the balance, then the same
# through V1 — all against the sandbox embedded in the process. No credentials needed.
source "$(dirname "$0")/lib.sh"
need_cargo
cd "$ROOT"
exec cargo run --quiet --locked -p clickairtime --example quickstart
