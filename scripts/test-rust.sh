#!/usr/bin/env bash
# Rust: formatting, lints on the core crates, and every crate's tests (unit, fixtures, faults, sandbox).
source "$(dirname "$0")/lib.sh"
need_cargo
cd "$ROOT"
cargo fmt --all -- --check
# the one result shape (docs/SHAPES.md, docs/shapes.json) is generated from core: it must be current
python3 scripts/gen_shapes.py --check
cargo clippy --locked -p clickairtime -p clickairtime-sandbox --all-targets -- -D warnings
libdir="$(python_libdir)"
LD_LIBRARY_PATH="${libdir}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" cargo test --locked --workspace
