#!/usr/bin/env bash
# Install the pinned cbindgen (0.29.4) into target/tools/bin, only when it is missing or another version.
set -euo pipefail
cd "$(dirname "$0")/.."
want="0.29.4"
bin="target/tools/bin/cbindgen"
if [[ -x "$bin" ]] && [[ "$("$bin" --version 2>/dev/null)" == "cbindgen $want" ]]; then
    exit 0
fi
echo "installing cbindgen $want into target/tools (takes about two minutes, once)" >&2
cargo install cbindgen --version "$want" --locked --root target/tools >&2
