#!/usr/bin/env bash
# Benchmarks, side by side, in one run: this SDK vs the HTTP client each language already has (C: libcurl;
# Python: requests, httpx, urllib3; Node: fetch), plus the raw floor and the Rust core, against the same two
# local servers (the canned responder and the sandbox). Writes bench/results/*.json and bench/RESULTS.md.
#
#   bench/run.sh            full run: release builds, thousands of calls, 100,000-call memory runs (~10 min)
#   bench/run.sh --smoke    a few dozen calls per side, debug builds, sides whose binding isn't built are
#                           skipped; results in target/bench-smoke/ (used by scripts/bench-smoke.sh)
#
# Knobs (environment): BENCH_N (sequential calls per op), BENCH_WARMUP, BENCH_CONC_CALLS, BENCH_SANDBOX_N,
# BENCH_RSS_CALLS, BENCH_MAX_SECONDS (cap of one phase), BENCH_PIN=0 (don't pin servers to CPU 0 and clients
# to CPU 1). Exit status: non-zero only if a side crashed or returned wrong data (or a build failed in a
# full run) — never because of a time.
source "$(dirname "$0")/../scripts/lib.sh"
need_cargo
cd "$ROOT"
T0=$SECONDS

MODE=full
[ "${1:-}" = "--smoke" ] && MODE=smoke
if [ "$MODE" = smoke ]; then
  PROFILE=debug; RES="$CARGO_TARGET_DIR/bench-smoke/results"; REPORT="$CARGO_TARGET_DIR/bench-smoke/RESULTS.md"
  N=${BENCH_N:-30}; WARM=${BENCH_WARMUP:-5}; CONC_CALLS=${BENCH_CONC_CALLS:-48}; SB_N=${BENCH_SANDBOX_N:-20}
  RSS_CALLS=${BENCH_RSS_CALLS:-200}; MAXS=${BENCH_MAX_SECONDS:-10}; IMPORT_RUNS=1
else
  PROFILE=release; RES="$ROOT/bench/results"; REPORT="$ROOT/bench/RESULTS.md"
  N=${BENCH_N:-3000}; WARM=${BENCH_WARMUP:-300}; CONC_CALLS=${BENCH_CONC_CALLS:-4000}; SB_N=${BENCH_SANDBOX_N:-1000}
  RSS_CALLS=${BENCH_RSS_CALLS:-100000}; MAXS=${BENCH_MAX_SECONDS:-60}; IMPORT_RUNS=7
fi
SB_CONC_CALLS=$(( CONC_CALLS / 4 > 16 ? CONC_CALLS / 4 : 16 ))
OUTDIR="$CARGO_TARGET_DIR/$TRIPLE/$PROFILE"
BT="$CARGO_TARGET_DIR/bench"          # bench build products (C programs, node package, wheels)
VENV="$CARGO_TARGET_DIR/bench-venv"
mkdir -p "$RES" "$BT"
rm -f "$RES"/*.json
SKIPPED=(); FAILED=()
log() { echo "bench: $*" >&2; }
skip() { SKIPPED+=("$1"); log "skipped $1"; }

# ---------------------------------------------------------------------------------------------- CPU pinning
PIN_SERVER=(); PIN_CLIENT=(); PINNING="none"
if [ "${BENCH_PIN:-1}" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  PIN_SERVER=(taskset -c 0); PIN_CLIENT=(taskset -c 1)
  PINNING="servers on CPU 0, the measured client on CPU 1"
fi

# ---------------------------------------------------------------------------------------------- tools
if ! [ -f /usr/include/x86_64-linux-gnu/curl/curl.h ] && ! [ -f /usr/include/curl/curl.h ] || ! [ -f /usr/include/jansson.h ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing libcurl4-openssl-dev and libjansson-dev"
    (apt-get install -y -qq libcurl4-openssl-dev libjansson-dev >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq libcurl4-openssl-dev libjansson-dev >/dev/null 2>&1; }) ||
      log "could not install libcurl/jansson headers"
  fi
fi
if ! [ -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import requests, httpx, urllib3' 2>/dev/null; then
  log "creating $VENV (requests, httpx, urllib3)"
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check requests httpx urllib3 ||
    log "could not set up the Python baselines' venv"
fi

# ---------------------------------------------------------------------------------------------- builds
B0=$SECONDS
CARGO_PROFILE=(); [ "$PROFILE" = release ] && CARGO_PROFILE=(--release)
cargo build -q "${CARGO_PROFILE[@]}" -p clickairtime-bench -p clickairtime-sandbox
HAVE_FFI=0; HAVE_NODE=0; HAVE_PY=0
if [ "$MODE" = full ]; then
  cargo build -q --release -p clickairtime-ffi && HAVE_FFI=1 || { log "libclickairtime build failed"; FAILED+=("build:c"); }
  cargo build -q --release -p clickairtime-node && HAVE_NODE=1 || { log "node addon build failed"; FAILED+=("build:node"); }
  if [ "$HAVE_NODE" = 1 ]; then
    # the npm package as users get it: the binding's JS files + the release addon
    rm -rf "$BT/node-pkg" && mkdir -p "$BT/node-pkg"
    cp bindings-node/package.json bindings-node/*.js bindings-node/*.d.ts "$BT/node-pkg/" 2>/dev/null || true
    cp bindings-node/*.mjs "$BT/node-pkg/" 2>/dev/null || true
    cp "$OUTDIR/libclickairtime_node.so" "$BT/node-pkg/clickairtime.linux-x64-gnu.node"
    NODE_PKG="$BT/node-pkg"
  fi
  if "$VENV/bin/pip" install -q --disable-pip-version-check 'maturin==1.16.0' &&
     rm -rf "$BT/wheels" && "$VENV/bin/maturin" build --release -q -m bindings-python/Cargo.toml \
       -i "$VENV/bin/python" --out "$BT/wheels" >/dev/null &&
     "$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$BT"/wheels/*.whl; then
    HAVE_PY=1
  else
    log "Python wheel build failed"; FAILED+=("build:python")
  fi
else
  # smoke: use whatever the bindings' own scripts built (debug is fine), build nothing of theirs
  [ -f "$OUTDIR/libclickairtime.so" ] && [ -f include/clickairtime.h ] && HAVE_FFI=1
  if ls bindings-node/*.node >/dev/null 2>&1 && [ -f bindings-node/index.js ]; then HAVE_NODE=1; NODE_PKG="$ROOT/bindings-node"; fi
  WHEEL=$(ls -t "$CARGO_TARGET_DIR"/wheels/clickairtime-*.whl 2>/dev/null | head -1 || true)
  if [ -n "$WHEEL" ] && [ -x "$VENV/bin/pip" ]; then
    "$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEEL" >/dev/null 2>&1 || true
  fi
  [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import clickairtime' 2>/dev/null && HAVE_PY=1
fi
HAVE_CURL=0
CFLAGS=(-O2 -Wall -Wextra -Werror -Ibench/c)
if gcc "${CFLAGS[@]}" bench/c/bench_curl.c -o "$BT/bench_curl" -lcurl -ljansson -lpthread; then HAVE_CURL=1; else log "libcurl side did not build"; fi
if [ "$HAVE_FFI" = 1 ]; then
  gcc "${CFLAGS[@]}" -Iinclude bench/c/bench_sdk.c -o "$BT/bench_sdk" -L"$OUTDIR" -lclickairtime \
    -Wl,-rpath,"$OUTDIR" -lpthread || { HAVE_FFI=0; log "C SDK side did not compile"; FAILED+=("build:c-side"); }
fi
HAVE_BASE=0; [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import requests, httpx, urllib3' 2>/dev/null && HAVE_BASE=1
BUILD_SECONDS=$((SECONDS - B0))

# ---------------------------------------------------------------------------------------------- servers
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
start_server() { # file cmd... → waits for its first line
  local file="$1"; shift
  "${PIN_SERVER[@]}" "$@" >"$file" 2>"$file.err" &
  PIDS+=($!)
  for _ in $(seq 1 100); do grep -q '=http' "$file" 2>/dev/null && return 0; sleep 0.1; done
  log "server did not start: $*"; cat "$file.err" >&2; exit 1
}
start_server "$BT/responder.out" "$OUTDIR/responder" --max-seconds 1800
CANNED_URL=$(sed -n 's/^RESPONDER_URL=//p' "$BT/responder.out")
start_server "$BT/sandbox.out" "$OUTDIR/clickairtime-sandbox" --rate-limit 1000000000 --duplicate-window-ms 0
SB_URL=$(sed -n 's/^CLICKAIRTIME_SANDBOX_URL=//p' "$BT/sandbox.out")
SB_KEY=$(sed -n 's/^CLICKAIRTIME_API_KEY=//p' "$BT/sandbox.out")
log "canned responder $CANNED_URL, sandbox $SB_URL"

get_json() { python3 -c 'import json,sys,urllib.request as u; print(json.dumps(json.load(u.urlopen(sys.argv[1]))))' "$1" 2>/dev/null; }
# a fresh sandbox (balances restored) and one top-up of 1 GHS to GET
sandbox_prepare() {
  python3 - "$SB_URL" "$SB_KEY" <<'EOF'
import json, sys, urllib.request as u
url, key = sys.argv[1], sys.argv[2]
u.urlopen(u.Request(url + "/_sandbox/reset", data=b"", method="POST")).read()
body = json.dumps({"phone_number": "+233541112259", "network_id": 42, "amount": {"value": 1, "currency": "GHS"},
                   "reference": "bench-get-target"}).encode()
r = u.urlopen(u.Request(url + "/v2/topups", data=body, method="POST", headers={
    "Authorization": "Bearer " + key, "Content-Type": "application/json"}))
print(json.load(r)["data"]["id"])
EOF
}

# side SERVER LANG CLIENT CONC cmd... : run one side, keep its JSON, note a crash or wrong data
side() {
  local server="$1" lang="$2" client="$3" conc="$4"; shift 4
  local out="$RES/${SIDE_PREFIX:-$server}-$lang-$client.json" url key id amount n conc_calls stats0=""
  if [ "$server" = canned ]; then
    url="$CANNED_URL"; key="ce_live_bench0000000000000000000000000000"; id="a1b2c3d4-e5f6-7890-abcd-ef1234567890"
    amount=50; n=$N; conc_calls=$CONC_CALLS; stats0=$(get_json "$url/_bench/stats" || true)
  else
    url="$SB_URL"; key="$SB_KEY"; amount=1; n=$SB_N; conc_calls=$SB_CONC_CALLS
    id=$(sandbox_prepare) || { log "sandbox preparation failed"; FAILED+=("$server/$lang/$client"); return 0; }
  fi
  log "$server $lang/$client"
  local rc=0
  timeout $((MAXS * 6 + 30)) "${PIN_CLIENT[@]}" "$@" --url "$url" --key "$key" --server "$server" --id "$id" \
    --amount "$amount" --n "$n" --warmup "$WARM" --conc "$conc" --conc-calls "$conc_calls" \
    --max-seconds "$MAXS" --tag "$lang-$client-$$" --out "$out" || rc=$?
  if [ "$rc" -ne 0 ] || ! [ -s "$out" ]; then
    log "FAILED: $server $lang/$client (exit $rc)"; FAILED+=("$server/$lang/$client"); return 0
  fi
  if [ -n "$stats0" ]; then
    python3 - "$out" "$stats0" "$(get_json "$url/_bench/stats")" <<'EOF'
import json, sys
p, a, b = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
d = json.load(open(p))
d["server_stats"] = {k: b[k] - a[k] for k in a}
d["server_stats"]["connections"] -= 1  # the stats request itself
json.dump(d, open(p, "w"), indent=2)
EOF
  fi
}

memory_run() { # LANG cmd...
  local lang="$1"; shift
  log "memory: $lang ($RSS_CALLS GETs)"
  local rc=0
  timeout $((MAXS * 6 + 30)) "${PIN_CLIENT[@]}" "$@" --url "$CANNED_URL" --server canned --n 0 --warmup "$WARM" \
    --rss-calls "$RSS_CALLS" --max-seconds "$MAXS" --tag "rss-$lang-$$" --out "$RES/rss-$lang-clickairtime.json" || rc=$?
  [ "$rc" -eq 0 ] || { log "FAILED: memory $lang (exit $rc)"; FAILED+=("memory/$lang"); }
}

PY="$VENV/bin/python"
for server in canned sandbox; do
  side "$server" rust floor 8 "$OUTDIR/floor"
  side "$server" rust clickairtime 8 "$OUTDIR/rust_client"
  if [ "$HAVE_FFI" = 1 ]; then side "$server" c clickairtime 8 "$BT/bench_sdk"; else skip "$server/c/clickairtime"; fi
  if [ "$HAVE_CURL" = 1 ]; then side "$server" c libcurl 8 "$BT/bench_curl"; else skip "$server/c/libcurl"; fi
  if [ "$HAVE_PY" = 1 ]; then side "$server" python clickairtime 8 "$PY" bench/python/bench.py --client clickairtime
  else skip "$server/python/clickairtime"; fi
  for c in requests httpx urllib3; do
    if [ "$HAVE_BASE" = 1 ]; then side "$server" python "$c" 8 "$PY" bench/python/bench.py --client "$c"; else skip "$server/python/$c"; fi
  done
  if [ "$HAVE_NODE" = 1 ]; then
    CLICKAIRTIME_NODE_PKG="$NODE_PKG" side "$server" node clickairtime 64 node bench/node/bench.js --client clickairtime
  else skip "$server/node/clickairtime"; fi
  side "$server" node fetch 64 node bench/node/bench.js --client fetch
done

# diagnostics (canned only): where the time goes
export SIDE_PREFIX=diag
side canned rust ureq_probe 8 "$OUTDIR/ureq_probe"
if [ "$HAVE_PY" = 1 ]; then
  side canned python clickairtime-native 8 "$PY" bench/python/bench.py --client clickairtime-native
  side canned python clickairtime-nolog 8 "$PY" bench/python/bench.py --client clickairtime-nolog
fi
[ "$HAVE_NODE" = 1 ] && CLICKAIRTIME_NODE_PKG="$NODE_PKG" side canned node clickairtime-sync 0 node bench/node/bench.js --client clickairtime-sync
[ "$HAVE_NODE" = 1 ] && CLICKAIRTIME_NODE_PKG="$NODE_PKG" UV_THREADPOOL_SIZE=64 side canned node clickairtime-uv64 64 node bench/node/bench.js --client clickairtime
unset SIDE_PREFIX

memory_run rust "$OUTDIR/rust_client"
[ "$HAVE_FFI" = 1 ] && memory_run c "$BT/bench_sdk"
[ "$HAVE_PY" = 1 ] && memory_run python "$PY" bench/python/bench.py --client clickairtime
[ "$HAVE_NODE" = 1 ] && CLICKAIRTIME_NODE_PKG="$NODE_PKG" memory_run node node bench/node/bench.js --client clickairtime

# ---------------------------------------------------------------------------------------------- import times
median_of() { # n cmd... → median of the printed seconds
  local n="$1"; shift
  for _ in $(seq 1 "$n"); do "$@" 2>/dev/null || echo nan; done | sort -g | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : "nan")}'
}
{
  echo "{"
  sep=""
  if [ "$HAVE_PY" = 1 ] || [ "$HAVE_BASE" = 1 ]; then
    for m in clickairtime requests httpx urllib3; do
      v=$(median_of "$IMPORT_RUNS" "${PIN_CLIENT[@]}" "$PY" bench/python/bench.py --import-time "$m")
      [ "$v" = nan ] && v=null
      printf '%s"python:%s": %s' "$sep" "$m" "$v"; sep=$',\n'
    done
  fi
  if [ "$HAVE_NODE" = 1 ]; then
    v=$(median_of "$IMPORT_RUNS" "${PIN_CLIENT[@]}" node bench/node/bench.js --import-time "$NODE_PKG")
    [ "$v" = nan ] && v=null
    printf '%s"node:clickairtime": %s' "$sep" "$v"; sep=$',\n'
    printf '%s"node:fetch (built in)": 0' "$sep"
  fi
  echo; echo "}"
} >"$RES/imports.json"

# ---------------------------------------------------------------------------------------------- sizes
size_entry() { # name file
  [ -f "$2" ] || return 0
  local tmp="$BT/strip.tmp"; cp "$2" "$tmp"; strip -s "$tmp" 2>/dev/null || true
  printf '%s"%s": {"bytes": %s, "stripped_bytes": %s}' "$sep" "$1" "$(stat -c %s "$2")" "$(stat -c %s "$tmp")"
  sep=$',\n'; rm -f "$tmp"
}
{
  echo "{"; sep=""
  [ "$HAVE_FFI" = 1 ] && size_entry "libclickairtime.so ($PROFILE)" "$OUTDIR/libclickairtime.so"
  [ "$HAVE_FFI" = 1 ] && [ -f "$OUTDIR/libclickairtime.a" ] && size_entry "libclickairtime.a ($PROFILE)" "$OUTDIR/libclickairtime.a"
  if [ "$MODE" = full ] && [ "$HAVE_PY" = 1 ]; then
    WHL=$(ls "$BT"/wheels/*.whl | head -1)
    printf '%s"%s": {"bytes": %s}' "$sep" "wheel $(basename "$WHL")" "$(stat -c %s "$WHL")"; sep=$',\n'
    rm -rf "$BT/wheel-x" && mkdir -p "$BT/wheel-x" && python3 -m zipfile -e "$WHL" "$BT/wheel-x"
    size_entry "_native .so inside the wheel" "$(find "$BT/wheel-x" -name '_native*.so' | head -1)"
  fi
  [ "$HAVE_NODE" = 1 ] && size_entry "clickairtime.linux-x64-gnu.node ($([ "$MODE" = full ] && echo release || echo as found))" \
    "$(ls "$NODE_PKG"/*.node | head -1)"
  echo; echo "}"
} >"$RES/sizes.json"

# ---------------------------------------------------------------------------------------------- report
WALL=$((SECONDS - T0))
python3 - "$RES/run.json" <<EOF
import json, sys, datetime, platform, os
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
json.dump({
  "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
  "mode": "$MODE", "wall_seconds": $WALL, "build_seconds": $BUILD_SECONDS,
  "machine": f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}",
  "pinning": "$PINNING",
  "counts": "canned: $WARM warm-up + $N measured calls per op, $CONC_CALLS calls per concurrent phase; sandbox: $SB_N / $SB_CONC_CALLS; memory: $RSS_CALLS GETs",
  "skipped": "${SKIPPED[*]:-}".split(), "failed": "${FAILED[*]:-}".split(),
}, open(sys.argv[1], "w"), indent=2)
EOF
python3 bench/report.py "$RES" "$REPORT" bench/NOTES.md
log "wrote $REPORT in ${WALL}s"
if [ "${#FAILED[@]}" -gt 0 ]; then
  log "failed: ${FAILED[*]}"
  exit 1
fi
