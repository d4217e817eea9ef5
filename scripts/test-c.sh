#!/usr/bin/env bash
# C ABI tests: header drift, header compiles as C99 and C++, C test programs against the static and the shared
# library (natively and under valgrind), `make install` + pkg-config, and the C / C++ examples.
# Run from the repository root (scripts/test-all.sh does). Exits non-zero on any failure.
# Switches: SKIP_VALGRIND=1 skips the valgrind runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
D=$ROOT/target/x86_64-unknown-linux-gnu/debug
T=$ROOT/target/c
mkdir -p "$T"
export RUST_BACKTRACE=0          # the panic test prints the caught panic's message, not a backtrace
export NO_PROXY=127.0.0.1,localhost

# --- tools (a fresh Debian needs these) -------------------------------------------------------------------------
need=()
for tool in gcc g++ make python3 pkg-config; do command -v "$tool" >/dev/null || need+=("$tool"); done
[[ "${SKIP_VALGRIND:-0}" == 1 ]] || command -v valgrind >/dev/null || need+=(valgrind)
if ((${#need[@]})); then
    pkgs=()
    for tool in "${need[@]}"; do case $tool in gcc) pkgs+=(gcc libc6-dev);; g++) pkgs+=(g++);; *) pkgs+=("$tool");; esac; done
    SUDO=""; [[ $(id -u) == 0 ]] || SUDO=sudo
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi
scripts/install-cbindgen.sh

step() { printf '\n== %s\n' "$*"; }

# --- library and its Rust unit tests --------------------------------------------------------------------------
step "cargo build + test -p clickairtime-ffi"
cargo build -p clickairtime-ffi
cargo test -q -p clickairtime-ffi 2>&1 | tail -n 3

# --- header drift --------------------------------------------------------------------------------------------------
step "header drift check (cbindgen 0.29.4)"
target/tools/bin/cbindgen --config ffi-c/cbindgen.toml --crate clickairtime-ffi --output "$T/clickairtime.h" ffi-c 2>/dev/null
if ! diff -u include/clickairtime.h "$T/clickairtime.h"; then
    echo "include/clickairtime.h is out of date: run 'make -C ffi-c header' and commit it" >&2
    exit 1
fi

step "header compiles as C99, C11 and C++ with -Wall -Wextra -Werror"
printf '#include "clickairtime.h"\nint main(void) { return ca_version() == 0; }\n' > "$T/header_check.c"
cp "$T/header_check.c" "$T/header_check.cpp"
gcc -std=c99 -pedantic -Wall -Wextra -Werror -Iinclude -c "$T/header_check.c" -o "$T/header_c99.o"
gcc -std=c11 -pedantic -Wall -Wextra -Werror -Iinclude -c "$T/header_check.c" -o "$T/header_c11.o"
g++ -std=c++11 -pedantic -Wall -Wextra -Werror -Iinclude -c "$T/header_check.cpp" -o "$T/header_cxx11.o"
g++ -std=c++17 -pedantic -Wall -Wextra -Werror -Iinclude -c "$T/header_check.cpp" -o "$T/header_cxx17.o"

# --- test programs, static and shared ---------------------------------------------------------------------------
step "build C tests (static and shared)"
python3 tests/c/gen_misuse.py include/clickairtime.h > "$T/test_misuse.c"
CFLAGS=(-std=c99 -g -Wall -Wextra -Werror -pthread -Iinclude -Itests/c)
tests=(test_api test_money test_misuse)
for t in "${tests[@]}"; do
    src=tests/c/$t.c; [[ $t == test_misuse ]] && src=$T/test_misuse.c
    gcc "${CFLAGS[@]}" "$src" "$D/libclickairtime.a" -lpthread -ldl -lm -o "$T/$t-static"
    gcc "${CFLAGS[@]}" "$src" -L"$D" -lclickairtime -Wl,-rpath,"$D" -lm -o "$T/$t-shared"
done
# the shared binaries really use the shared library
ldd "$T/test_api-shared" | grep -q "libclickairtime.so" || { echo "test_api-shared is not linked to libclickairtime.so" >&2; exit 1; }

passed=0; failed=0
run() {  # name, command...
    local name=$1; shift
    if "$@" > "$T/$name.log" 2>&1; then
        passed=$((passed + 1)); printf '  ok    %-32s %s\n' "$name" "$(grep -E '^test_[a-z]+:' "$T/$name.log" | tail -n1)"
    else
        failed=$((failed + 1)); printf '  FAIL  %s (log: %s)\n' "$name" "$T/$name.log"; tail -n 30 "$T/$name.log" | sed 's/^/        /'
    fi
}
step "run C tests"
for t in "${tests[@]}"; do run "$t-static" "$T/$t-static"; run "$t-shared" "$T/$t-shared"; done

if [[ "${SKIP_VALGRIND:-0}" != 1 ]]; then
    step "valgrind (errors and definitely/indirectly lost bytes fail)"
    VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99)
    for t in "${tests[@]}"; do run "valgrind-$t-static" "${VG[@]}" "$T/$t-static"; done
    run "valgrind-test_api-shared" "${VG[@]}" "$T/test_api-shared"
fi

# --- install + pkg-config + examples -----------------------------------------------------------------------------
step "make install PREFIX=target/c/prefix, then build the examples with pkg-config"
rm -rf "$T/prefix"
make -s -C ffi-c install PROFILE=debug PREFIX="$T/prefix" >/dev/null
export PKG_CONFIG_PATH="$T/prefix/lib/pkgconfig"
pkg-config --exists clickairtime
[[ -f $T/prefix/include/clickairtime.h && -f $T/prefix/lib/libclickairtime.a && -f $T/prefix/lib/libclickairtime.so ]]
make -s -C examples/c OUT="$T/examples" PKG_CONFIG=1 CFLAGS="-std=c99 -Wall -Wextra -Werror" >/dev/null
make -s -C examples/cpp OUT="$T/examples" PKG_CONFIG=1 CXXFLAGS="-std=c++17 -Wall -Werror" >/dev/null
run "example-c" "$T/examples/pos-c" +233541112259 25 R-TEST-1
grep -q "AIRTIME RECEIPT" "$T/example-c.log" || { echo "example-c printed no receipt" >&2; failed=$((failed + 1)); }
run "example-cpp" "$T/examples/pos-cpp" +233555000007 25 R-TEST-2
grep -q "Status       completed" "$T/example-cpp.log" || { echo "example-cpp did not complete" >&2; failed=$((failed + 1)); }
# a refused sale is explained and exits non-zero
if "$T/examples/pos-c" +233555000001 25 R-TEST-3 > "$T/example-c-refused.log" 2>&1; then
    echo "example-c accepted a sale the sandbox refuses" >&2; failed=$((failed + 1))
else
    grep -q "float too low" "$T/example-c-refused.log" && passed=$((passed + 1)) || { echo "example-c did not explain the refusal" >&2; failed=$((failed + 1)); }
fi

printf '\nC ABI tests: %d passed, %d failed\n' "$passed" "$failed"
[[ $failed == 0 ]]
