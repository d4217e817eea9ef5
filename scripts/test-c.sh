#!/usr/bin/env bash
# C ABI tests: header drift, header compiles as C99 and C++, C test programs against the static and the shared
# library (natively and under valgrind) — the API, money safety (the five ends of a send), generated misuse,
# crash safety (children SIGKILLed mid-send, recovered from the journal), cancellation, bulk payouts, the one
# result shape (every C getter of docs/shapes.json declared and exported), configuration from the environment
# and phone numbers — every C and C++ block of ffi-c/README.md compiled (programs run against a fresh sandbox),
# `make install` + pkg-config, the C / C++ examples (their journal, start-up recovery, the message of each
# end, Ctrl-C during a wait, a bulk file paid twice with nothing paid twice), and every sh block of
# ffi-c/README.md run as written (a fence of any other language fails).
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
# the tests choose their own credentials: none from the caller's environment
unset CLICKAIRTIME_API_KEY CLICKAIRTIME_BASE_URL CLICKAIRTIME_V1_EMAIL CLICKAIRTIME_V1_TOKEN

# apt-get, one at a time (the lock of scripts/lib.sh's apt_get: cross-build tools may be installing beside us)
apt_get() { local s=""; [ "$(id -u)" = 0 ] || s=sudo; DEBIAN_FRONTEND=noninteractive flock "${TMPDIR:-/tmp}/clickairtime-apt.lock" $s apt-get "$@"; }
# --- tools (a fresh Debian needs these) -------------------------------------------------------------------------
need=()
for tool in gcc g++ make python3 pkg-config; do command -v "$tool" >/dev/null || need+=("$tool"); done
[[ "${SKIP_VALGRIND:-0}" == 1 ]] || command -v valgrind >/dev/null || need+=(valgrind)
if ((${#need[@]})); then
    pkgs=()
    for tool in "${need[@]}"; do case $tool in gcc) pkgs+=(gcc libc6-dev);; g++) pkgs+=(g++);; *) pkgs+=("$tool");; esac; done
    apt_get update -qq && apt_get install -y -qq "${pkgs[@]}" >/dev/null
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
# every C getter named in docs/shapes.json (the one result shape) is declared in the header and exported
python3 tests/c/gen_shapes_check.py docs/shapes.json include/clickairtime.h > "$T/test_shapes.c"
CFLAGS=(-std=c99 -g -Wall -Wextra -Werror -pthread -Iinclude -Itests/c)
tests=(test_api test_money test_misuse test_crash test_cancel test_bulk test_shape test_shapes)
# a test program is tests/c/<name>.c (or the generated target/c/<name>.c) plus, when it is several files, those
# listed one per line in tests/c/<name>.sources (paths from the repository root; scripts/test-dist.sh reads them too)
for t in "${tests[@]}"; do
    srcs=("tests/c/$t.c"); [[ $t == test_misuse || $t == test_shapes ]] && srcs=("$T/$t.c")
    if [[ -f tests/c/$t.sources ]]; then mapfile -t more < "tests/c/$t.sources"; srcs+=("${more[@]}"); fi
    gcc "${CFLAGS[@]}" "${srcs[@]}" "$D/libclickairtime.a" -lpthread -ldl -lm -o "$T/$t-static"
    gcc "${CFLAGS[@]}" "${srcs[@]}" -L"$D" -lclickairtime -Wl,-rpath,"$D" -lm -o "$T/$t-shared"
done
# the shared binaries really use the shared library
# (ldd's output to a file first: `ldd | grep -q` dies of SIGPIPE under pipefail when grep exits early)
ldd "$T/test_api-shared" > "$T/ldd.txt"
grep -q "libclickairtime.so" "$T/ldd.txt" || { echo "test_api-shared is not linked to libclickairtime.so" >&2; exit 1; }

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

# --- the documentation: every C and C++ block of ffi-c/README.md ------------------------------------------------
step "docs: every C / C++ block of ffi-c/README.md compiled; the programs run against a fresh sandbox"
gcc "${CFLAGS[@]}" tests/c/with_sandbox.c "$D/libclickairtime.a" -lpthread -ldl -lm -o "$T/with_sandbox"
rm -rf "$T/docs"
# a fence doc_blocks.py neither compiles nor runs (another language, none, never closed) is a failure
if python3 tests/c/doc_blocks.py "$T/docs" ffi-c/README.md > "$T/docs.manifest" 2> "$T/docs.manifest.log"; then
    passed=$((passed + 1)); printf '  ok    %-32s %s\n' "docs fences" "every block is c, cpp or sh"
else
    failed=$((failed + 1)); printf '  FAIL  docs fences: blocks nothing checks (log: %s)\n' "$T/docs.manifest.log"
    sed 's/^/        /' "$T/docs.manifest.log"
fi
while read -r kind lang src origin; do
    [[ $kind == script ]] && continue   # the sh blocks run after `make install` (below)
    bin=${src%.*}
    name="docs ${origin}"
    if [[ $lang == c ]]; then
        cc=(gcc -std=c99 -Wall -Wextra -Werror -pthread -Iinclude)
    else
        cc=(g++ -std=c++17 -Wall -Wextra -Werror -pthread -Iinclude)
    fi
    if ! "${cc[@]}" "$src" "$D/libclickairtime.a" -lpthread -ldl -lm -o "$bin" > "$bin.build.log" 2>&1; then
        failed=$((failed + 1)); printf '  FAIL  %s: %s does not compile (log: %s)
' "$name" "$kind" "$bin.build.log"
        sed 's/^/        /' "$bin.build.log" | head -n 20
        continue
    fi
    if [[ $kind == fragment ]]; then
        passed=$((passed + 1)); printf '  ok    %-32s %s
' "$name" "fragment compiles ($lang)"
        continue
    fi
    # a program runs in a directory of its own (its journal files stay there), configured by the environment
    mkdir -p "$bin.run"
    if (cd "$bin.run" && "$T/with_sandbox" "$bin") > "$bin.log" 2>&1; then
        passed=$((passed + 1)); printf '  ok    %-32s %s
' "$name" "program compiles and runs ($lang)"
    else
        failed=$((failed + 1)); printf '  FAIL  %s: the program failed (log: %s)
' "$name" "$bin.log"
        tail -n 20 "$bin.log" | sed 's/^/        /'
    fi
done < "$T/docs.manifest"

# --- install + pkg-config + examples -----------------------------------------------------------------------------
step "make install PREFIX=target/c/prefix, then build the examples with pkg-config"
rm -rf "$T/prefix"
make -s -C ffi-c install PROFILE=debug PREFIX="$T/prefix" >/dev/null
export PKG_CONFIG_PATH="$T/prefix/lib/pkgconfig"
pkg-config --exists clickairtime
[[ -f $T/prefix/include/clickairtime.h && -f $T/prefix/lib/libclickairtime.a && -f $T/prefix/lib/libclickairtime.so ]]
make -s -C examples/c OUT="$T/examples" PKG_CONFIG=1 CFLAGS="-std=c99 -Wall -Wextra -Werror" >/dev/null
make -s -C examples/cpp OUT="$T/examples" PKG_CONFIG=1 CXXFLAGS="-std=c++17 -Wall -Werror" >/dev/null
# every example run below uses a fresh journal of its own (POS_JOURNAL), except where one run follows another
rm -rf "$T"/pos-*.journal*
expect() {  # name, pattern, absent-pattern (or ""), expected exit status ("" = 0), command...
    local name=$1 pattern=$2 absent=$3 want=${4:-0}; shift 4
    local rc=0
    "$@" > "$T/$name.log" 2>&1 || rc=$?
    if [[ $rc != "$want" ]]; then
        failed=$((failed + 1)); printf '  FAIL  %s: exit %s, expected %s (log: %s)\n' "$name" "$rc" "$want" "$T/$name.log"
    elif ! grep -q -- "$pattern" "$T/$name.log"; then
        failed=$((failed + 1)); printf '  FAIL  %s: no "%s" (log: %s)\n' "$name" "$pattern" "$T/$name.log"
    elif [[ -n $absent ]] && grep -q -- "$absent" "$T/$name.log"; then
        failed=$((failed + 1)); printf '  FAIL  %s: says "%s" (log: %s)\n' "$name" "$absent" "$T/$name.log"
    else
        passed=$((passed + 1)); printf '  ok    %-32s %s\n' "$name" "$pattern"
    fi
}
J=$T/pos-c.journal
expect example-c "AIRTIME RECEIPT" "" 0 env POS_JOURNAL="$J" "$T/examples/pos-c" +233541112259 25 R-TEST-1
# the same receipt again: recognised from the journal, nothing new sold
expect example-c-again "already sold earlier" "" 0 env POS_JOURNAL="$J" "$T/examples/pos-c" +233541112259 25 R-TEST-1
expect example-cpp "Status       completed" "" 0 env POS_JOURNAL="$T/pos-cpp.journal" "$T/examples/pos-cpp" +233555000007 25 R-TEST-2
# a refused sale is explained and exits non-zero
expect example-c-refused "float too low" "SOLD:" 3 env POS_JOURNAL="$T/pos-c3.journal" "$T/examples/pos-c" +233555000001 25 R-TEST-3
# a wait past its deadline: created, on its way — never "nothing was sold"
expect example-c-pending "on its way" "Nothing was sold" 0 env POS_JOURNAL="$T/pos-c4.journal" POS_WAIT_MS=300 "$T/examples/pos-c" +233555000010 25 R-TEST-4
expect example-cpp-pending "on its way" "Nothing was sold" 0 env POS_JOURNAL="$T/pos-cpp4.journal" POS_WAIT_MS=300 "$T/examples/pos-cpp" +233555000010 25 R-TEST-4
# a 5xx that nothing settles within the send deadline: unknown, do not sell again; reported at the next start
J5=$T/pos-c5.journal
expect example-c-unknown "Do NOT sell it again" "Nothing was sold" 6 env POS_JOURNAL="$J5" POS_SEND_DEADLINE_MS=1500 "$T/examples/pos-c" +233555000008 25 R-TEST-5
expect example-c-startup "Earlier sale R-TEST-5: still UNKNOWN" "" 0 env POS_JOURNAL="$J5" "$T/examples/pos-c" +233541112259 26 R-TEST-6
expect example-cpp-unknown "Do NOT sell it again" "Nothing was sold" 6 env POS_JOURNAL="$T/pos-cpp5.journal" POS_SEND_DEADLINE_MS=1500 "$T/examples/pos-cpp" +233555000008 25 R-TEST-5
# a national number, as the customer says it, in the till's country
expect example-c-national "Number       +233541112259" "" 0 env POS_JOURNAL="$T/pos-c7.journal" POS_WAIT_MS=300 "$T/examples/pos-c" "054 111 2259" 25 R-TEST-7
expect example-c-bad-number "Nothing was sold: check the phone_number" "SOLD:" 2 env POS_JOURNAL="$T/pos-c8.journal" "$T/examples/pos-c" "054 111" 25 R-TEST-8
# Ctrl-C while waiting for a sale that stays processing: the wait stops (a cancel token fired by the SIGINT
# handler), the sale stands and the cashier is told so
expect example-c-interrupted "we stopped watching it" "Nothing was sold" 0 env POS_JOURNAL="$T/pos-c9.journal" POS_WAIT_MS=600000 timeout --preserve-status -s INT 3 "$T/examples/pos-c" +233555000010 25 R-TEST-9
expect example-cpp-interrupted "we stopped watching it" "Nothing was sold" 0 env POS_JOURNAL="$T/pos-cpp9.journal" POS_WAIT_MS=600000 timeout --preserve-status -s INT 3 "$T/examples/pos-cpp" +233555000010 25 R-TEST-9
rm -rf "$T"/pos-*.journal*
# a bulk payout: every row paid; the same file again pays nobody twice; a bad file is refused whole
rm -rf "$T"/bulk-*.journal*
BJ=$T/bulk-c.journal
expect example-bulk "6 rows: 6 paid (0 of them" "" 0 env BULK_JOURNAL="$BJ" "$T/examples/bulk-c" examples/c/payouts.csv
expect example-bulk-again "6 rows: 6 paid (6 of them paid by an earlier run" "" 0 env BULK_JOURNAL="$BJ" "$T/examples/bulk-c" examples/c/payouts.csv "$T/bulk-report.csv"
printf 'phone,amount,currency\n+233541112259,5,GHS\n+233541112259,0,GHS\n0541112259,5,GHS\n' > "$T/bulk-bad.csv"
expect example-bulk-bad-file "line 4: phone" "paid (" 2 env BULK_JOURNAL="$T/bulk-c2.journal" "$T/examples/bulk-c" "$T/bulk-bad.csv"
expect example-bulk-bad-file-lines "line 3: amount" "" 2 env BULK_JOURNAL="$T/bulk-c2.journal" "$T/examples/bulk-c" "$T/bulk-bad.csv"
rm -rf "$T"/bulk-*.journal* "$T/bulk-bad.csv"

# --- the documentation: every sh block of ffi-c/README.md, as written ----------------------------------------------
# Run after `make install` above: a block's `make -C ffi-c PROFILE=debug` then finds the debug pkg-config file
# already written for target/c/prefix (on a fresh tree it would write one for /usr/local, which that install
# would then copy). From the repository root, with bash -euo pipefail, each within 20 minutes; PROFILE=debug in
# the environment (the Makefile's `PROFILE ?= release`) makes the block's release build reuse the tests' debug
# build instead of compiling the crate a second time; the examples' journals go to a folder of the block's own,
# not the source tree.
step "docs: every sh block of ffi-c/README.md runs as written, from the repository root"
while read -r kind lang src origin; do
    [[ $kind == script ]] || continue
    name="docs ${origin}"
    run_dir=${src%.*}.run
    rm -rf "$run_dir" && mkdir -p "$run_dir"
    if timeout 1200 env PROFILE=debug POS_JOURNAL="$run_dir/pos-journal.sqlite" BULK_JOURNAL="$run_dir/bulk-journal.sqlite" \
        bash -euo pipefail "$src" > "${src%.*}.log" 2>&1; then
        passed=$((passed + 1)); printf '  ok    %-32s %s\n' "$name" "runs as written (sh)"
    else
        failed=$((failed + 1)); printf '  FAIL  %s: the block failed (log: %s)\n' "$name" "${src%.*}.log"
        tail -n 20 "${src%.*}.log" | sed 's/^/        /'
    fi
done < "$T/docs.manifest"

printf '\nC ABI tests: %d passed, %d failed\n' "$passed" "$failed"
[[ $failed == 0 ]]
