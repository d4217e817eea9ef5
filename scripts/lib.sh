# Shared helpers for the project's scripts (sourced, not run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# loopback traffic in tests must never go through a proxy from the environment
export NO_PROXY="127.0.0.1,localhost,::1${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"
TRIPLE="$(rustc -vV 2>/dev/null | sed -n 's/^host: //p')"
export TRIPLE
# artifacts of every tool land in one directory (see .cargo/config.toml)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
TARGET_DEBUG="$CARGO_TARGET_DIR/$TRIPLE/debug"
export TARGET_DEBUG

# `apt_get ARGS…`: apt-get as root (sudo otherwise), one at a time: scripts/test-all.sh installs the cross-build
# tools in the background while the test scripts may install theirs
apt_get() {
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive flock "${TMPDIR:-/tmp}/clickairtime-apt.lock" $sudo apt-get "$@"
}

need_cargo() {
  if ! command -v cargo >/dev/null 2>&1; then
    if [ -x "$HOME/.cargo/bin/cargo" ]; then export PATH="$HOME/.cargo/bin:$PATH"; else
      echo "error: cargo (Rust 1.89 or newer) is required; install it with rustup" >&2; exit 1; fi
  fi
}

# libpython for the pyo3 test binary (TOOLCHAIN pitfall 7)
python_libdir() {
  python3 -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR") or "")' 2>/dev/null || true
}
