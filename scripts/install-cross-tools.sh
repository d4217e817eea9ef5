#!/usr/bin/env bash
# Install the tools that scripts/dist.sh and scripts/test-dist.sh need, from the package registries only, and
# only what is missing (idempotent; a second run takes about a second). Prints `export` lines on stdout, which
# the callers eval; everything else goes to stderr.
#
#   Debian packages  mingw-w64 (Windows C toolchains, dlltool, objdump), wine64 (runs the Windows tests),
#                    qemu-user + gcc-aarch64-linux-gnu + libc6-dev-arm64-cross (aarch64 tests), musl-tools,
#                    llvm (llvm-dlltool: the MSVC import library; llvm-strip), binutils
#   rustup targets   x86_64/i686-pc-windows-gnu, aarch64-unknown-linux-gnu, x86_64-unknown-linux-musl
#   PyPI, in a venv  ziglang (the glibc-2.17 and musl linker), cargo-zigbuild, maturin, auditwheel
#
# Downloads are cached: apt's archive (/var/cache/apt/archives), pip's cache, and the venv itself under
# $CLICKAIRTIME_TOOLS (default ~/.cache/clickairtime/dist-tools), so a fresh clone on the same machine reuses
# them. Tool versions are pinned here; see shared notes CROSS.md for what each was measured with.
#
#   DIST_TOOLS_SKIP_APT=1    do not install Debian packages (you provide them)
#   DIST_TOOLS_NO_RUNNERS=1  skip wine and qemu (dist.sh alone builds everything without them)
set -euo pipefail
cd "$(dirname "$0")/.."

ZIGLANG_VERSION=0.17.0
CARGO_ZIGBUILD_VERSION=0.24.0
MATURIN_VERSION=1.16.0
AUDITWHEEL_VERSION=6.8.2
RUST_TARGETS=(x86_64-pc-windows-gnu i686-pc-windows-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl)

TOOLS="${CLICKAIRTIME_TOOLS:-$HOME/.cache/clickairtime/dist-tools}"
log() { printf 'install-cross-tools: %s\n' "$*" >&2; }

# --- Debian packages ----------------------------------------------------------------------------------------
if [[ "${DIST_TOOLS_SKIP_APT:-0}" != 1 ]]; then
    want=()
    have() { command -v "$1" >/dev/null 2>&1; }
    have x86_64-w64-mingw32-gcc && have i686-w64-mingw32-gcc || want+=(mingw-w64)
    have musl-gcc || want+=(musl-tools)
    have llvm-dlltool || have llvm-dlltool-14 || want+=(llvm)
    have objdump && have readelf || want+=(binutils)
    have python3 || want+=(python3)
    python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || want+=(python3-venv)
    if [[ "${DIST_TOOLS_NO_RUNNERS:-0}" != 1 ]]; then
        have wine64 || [[ -x /usr/lib/wine/wine64 ]] || want+=(wine64)
        have qemu-aarch64 || want+=(qemu-user)
        have aarch64-linux-gnu-gcc || want+=(gcc-aarch64-linux-gnu)
        [[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]] || want+=(libc6-dev-arm64-cross)
    fi
    if ((${#want[@]})); then
        SUDO=""; [[ $(id -u) == 0 ]] || SUDO=sudo
        log "apt-get install ${want[*]}"
        t0=$SECONDS
        # one apt at a time (the lock file of scripts/lib.sh's apt_get): the test scripts may be installing theirs
        lock="${TMPDIR:-/tmp}/clickairtime-apt.lock"
        flock "$lock" $SUDO apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive flock "$lock" $SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
        log "apt done in $((SECONDS - t0)) s"
    fi
fi

# --- Rust targets ---------------------------------------------------------------------------------------------
if ! command -v rustup >/dev/null 2>&1 && [[ -x "$HOME/.cargo/bin/rustup" ]]; then export PATH="$HOME/.cargo/bin:$PATH"; fi
installed=$(rustup target list --installed 2>/dev/null || true)
missing=()
for t in "${RUST_TARGETS[@]}"; do grep -qx "$t" <<<"$installed" || missing+=("$t"); done
if ((${#missing[@]})); then
    log "rustup target add ${missing[*]}"
    rustup target add "${missing[@]}" >&2
fi

# --- zig, cargo-zigbuild, maturin, auditwheel (PyPI, one venv) ----------------------------------------------
VENV="$TOOLS/venv"
stamp="$VENV/.versions"
want_stamp="ziglang==$ZIGLANG_VERSION cargo-zigbuild==$CARGO_ZIGBUILD_VERSION maturin==$MATURIN_VERSION auditwheel==$AUDITWHEEL_VERSION"
if [[ ! -x "$VENV/bin/python" ]] || [[ "$(cat "$stamp" 2>/dev/null)" != "$want_stamp" ]]; then
    log "pip install $want_stamp into $VENV"
    mkdir -p "$TOOLS"
    python3 -m venv --clear "$VENV" >&2
    # shellcheck disable=SC2086
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check $want_stamp >&2
    echo "$want_stamp" > "$stamp"
fi
# cargo-zigbuild finds zig through `python -m ziglang` when no `zig` is on PATH; a tiny wrapper makes `zig`
# itself available too (zig cc for the C test programs).
if [[ ! -x "$VENV/bin/zig" ]]; then
    printf '#!/bin/sh\nexec "%s" -m ziglang "$@"\n' "$VENV/bin/python" > "$VENV/bin/zig"
    chmod +x "$VENV/bin/zig"
fi

# What the callers need in their environment.
echo "export PATH=\"$VENV/bin:\$PATH\""
DLLTOOL=$(command -v llvm-dlltool || command -v llvm-dlltool-14 || true)
STRIP=$(command -v llvm-strip || command -v llvm-strip-14 || true)
echo "export LLVM_DLLTOOL=\"$DLLTOOL\""
echo "export LLVM_STRIP=\"$STRIP\""
