#!/usr/bin/env bash
# Benchmarks, side by side, in one run: this SDK vs the HTTP client each language already has (C: libcurl;
# Python: requests, httpx, urllib3; Node: fetch), plus the raw floor and the Rust core, against the same two
# local servers (the canned responder and the sandbox). Writes bench/results/*.json and bench/RESULTS.md.
#
#   bench/run.sh            full run: release builds, 7 interleaved rounds per language, 50,000-call memory
#                           runs, callgrind instruction counts (~10 min on 2 cores)
#   bench/run.sh --smoke    a few dozen calls per side, debug builds, sides whose binding isn't built are
#                           skipped; results in target/bench-smoke/ (used by scripts/bench-smoke.sh)
#
# The sides of one language (SDK, baselines, diagnostics) run in alternating rounds, the order rotated every
# round; the report gives medians of the per-round medians and each ratio as the median of the per-round
# ratios with its min–max. Then valgrind/callgrind counts the client's instructions per call (noise-free).
#
# Knobs (environment): BENCH_ROUNDS, BENCH_SANDBOX_ROUNDS, BENCH_N (sequential calls per op and round),
# BENCH_WARMUP (per round), BENCH_CONC_CALLS (per concurrent phase and round), BENCH_SANDBOX_N,
# BENCH_SANDBOX_CONC_CALLS, BENCH_RSS_CALLS, BENCH_MAX_SECONDS (cap of one phase), BENCH_PIN=0 (don't pin
# servers to CPU 0 and clients to CPU 1). Exit status: non-zero only if a side crashed or returned wrong data
# (or a build failed in a full run) — never because of a time.
source "$(dirname "$0")/../scripts/lib.sh"
need_cargo
cd "$ROOT"
T0=$SECONDS

MODE=full
[ "${1:-}" = "--smoke" ] && MODE=smoke
# Per round, per side: WARM_R warm-up + N_R measured calls per op, then CONC_R calls per concurrent phase;
# ROUNDS rounds on the canned responder, SB_ROUNDS on the sandbox (with SB_N_R / SB_CONC_R).
if [ "$MODE" = smoke ]; then
  PROFILE=debug; RES="$CARGO_TARGET_DIR/bench-smoke/results"; REPORT="$CARGO_TARGET_DIR/bench-smoke/RESULTS.md"
  ROUNDS=${BENCH_ROUNDS:-2}; SB_ROUNDS=${BENCH_SANDBOX_ROUNDS:-1}
  N_R=${BENCH_N:-15}; WARM_R=${BENCH_WARMUP:-3}; CONC_R=${BENCH_CONC_CALLS:-32}; SB_N_R=${BENCH_SANDBOX_N:-10}
  SB_CONC_R=${BENCH_SANDBOX_CONC_CALLS:-16}; WARM=5
  RSS_CALLS=${BENCH_RSS_CALLS:-200}; MAXS=${BENCH_MAX_SECONDS:-10}; IMPORT_RUNS=1
else
  PROFILE=release; RES="$ROOT/bench/results"; REPORT="$ROOT/bench/RESULTS.md"
  ROUNDS=${BENCH_ROUNDS:-7}; SB_ROUNDS=${BENCH_SANDBOX_ROUNDS:-5}
  N_R=${BENCH_N:-400}; WARM_R=${BENCH_WARMUP:-100}; CONC_R=${BENCH_CONC_CALLS:-1500}; SB_N_R=${BENCH_SANDBOX_N:-200}
  SB_CONC_R=${BENCH_SANDBOX_CONC_CALLS:-500}; WARM=300
  RSS_CALLS=${BENCH_RSS_CALLS:-50000}; MAXS=${BENCH_MAX_SECONDS:-60}; IMPORT_RUNS=7
fi
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
# The canned server is Debian's nginx (bench/nginx/nginx.conf.in: the docs' bodies from memory), so every ratio
# is measured against a server nobody wrote for this project; the repo's own responder stands in only where
# nginx cannot be installed (the report says which ran). nginx answers every POST with the docs' reference,
# so all sides post that one reference there (BENCH_REFERENCE; the SDKs verify the record against the sale).
CANNED_SERVER=responder
CANNED_REFERENCE=""   # the reference every side posts to the canned server (nginx: the docs' one); empty: unique
NGINX=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
if [ -z "$NGINX" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  log "installing nginx (Debian's package) for the canned server"
  apt_get install -y -qq --no-install-recommends nginx >/dev/null 2>&1 ||
    { apt_get update -qq >/dev/null 2>&1 && apt_get install -y -qq --no-install-recommends nginx >/dev/null 2>&1; } ||
    log "could not install nginx: the repo's responder is the canned server"
  NGINX=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
fi
if [ -n "$NGINX" ]; then
  ND="$BT/nginx"; rm -rf "$ND"; mkdir -p "$ND"
  NPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  compact() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), separators=(",", ":")))' "$1"; }
  GET_BODY=$(compact tests/fixtures/v2_topup_status_200.json) POST_BODY=$(compact tests/fixtures/seed_v2_topup_create_201.json) \
    DIR="$ND" PORT="$NPORT" python3 -c '
import os, sys
s = open(sys.argv[1]).read()
for k in ("GET_BODY", "POST_BODY", "DIR", "PORT"):
    s = s.replace("@%s@" % k, os.environ[k])
open(sys.argv[2], "w").write(s)' bench/nginx/nginx.conf.in "$ND/nginx.conf"
  "${PIN_SERVER[@]}" timeout 3600 "$NGINX" -p "$ND" -c "$ND/nginx.conf" -e "$ND/error.log" >"$ND/out" 2>&1 &
  PIDS+=($!)
  CANNED_URL="http://127.0.0.1:$NPORT"
  nginx_up() { python3 -c 'import sys,urllib.request as u; u.urlopen(sys.argv[1], timeout=2).read()' "$CANNED_URL/_bench/nginx" 2>/dev/null; }
  for _ in $(seq 1 100); do nginx_up && break; sleep 0.1; done
  if nginx_up; then
    CANNED_SERVER="nginx $("$NGINX" -v 2>&1 | sed 's#.*nginx/##')"
    CANNED_REFERENCE=invoice-12345
  else
    log "nginx did not start ($(tail -n 3 "$ND/error.log" "$ND/out" 2>/dev/null | tr '\n' ' ')): the repo's responder is the canned server"
  fi
fi
if [ "$CANNED_SERVER" = responder ]; then
  start_server "$BT/responder.out" "$OUTDIR/responder" --max-seconds 1800
  CANNED_URL=$(sed -n 's/^RESPONDER_URL=//p' "$BT/responder.out")
fi
start_server "$BT/sandbox.out" "$OUTDIR/clickairtime-sandbox" --rate-limit 1000000000 --duplicate-window-ms 0
SB_URL=$(sed -n 's/^CLICKAIRTIME_SANDBOX_URL=//p' "$BT/sandbox.out")
SB_KEY=$(sed -n 's/^CLICKAIRTIME_API_KEY=//p' "$BT/sandbox.out")
log "canned server ($CANNED_SERVER) $CANNED_URL, sandbox $SB_URL"

get_json() { python3 -c 'import json,sys,urllib.request as u; print(json.dumps(json.load(u.urlopen(sys.argv[1]))))' "$1" 2>/dev/null; }
# the canned server's counters as {"connections": N, "requests": N} (nginx: stub_status; the responder: its own)
canned_stats() {
  if [ "$CANNED_SERVER" = responder ]; then
    get_json "$CANNED_URL/_bench/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"connections": d["connections"], "requests": d["get"] + d["post"] + d["other"]}))'
  else
    python3 -c 'import json,sys,urllib.request as u; n=u.urlopen(sys.argv[1]).read().decode().split("\n")[2].split(); print(json.dumps({"connections": int(n[0]), "requests": int(n[2])}))' "$CANNED_URL/_bench/nginx"
  fi
}
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

# side SERVER LANG CLIENT CONC cmd... : run one side for one round ($ROUND), keep its JSON in $ROUNDS_DIR,
# note a crash or wrong data
side() {
  local server="$1" lang="$2" client="$3" conc="$4"; shift 4
  local out="$ROUNDS_DIR/${SIDE_PREFIX:-$server}-$lang-$client.r$ROUND.json" url key id amount n conc_calls stats0=""
  if [ "$server" = canned ]; then
    url="$CANNED_URL"; key="ce_live_bench0000000000000000000000000000"; id="a1b2c3d4-e5f6-7890-abcd-ef1234567890"
    amount=50; n=$N_R; conc_calls=$CONC_R; stats0=$(canned_stats || true)
  else
    url="$SB_URL"; key="$SB_KEY"; amount=1; n=$SB_N_R; conc_calls=$SB_CONC_R
    id=$(sandbox_prepare) || { log "sandbox preparation failed"; FAILED+=("$server/$lang/$client"); return 0; }
  fi
  local rc=0 ref=""
  [ "$server" = canned ] && ref="$CANNED_REFERENCE"
  BENCH_REFERENCE="$ref" timeout $((MAXS * 6 + 30)) "${PIN_CLIENT[@]}" "$@" --url "$url" --key "$key" --server "$server" --id "$id" \
    --amount "$amount" --n "$n" --warmup "$WARM_R" --conc "$conc" --conc-calls "$conc_calls" \
    --max-seconds "$MAXS" --tag "$lang-$client-$$-r$ROUND" --out "$out" || rc=$?
  if [ "$rc" -ne 0 ] || ! [ -s "$out" ]; then
    log "FAILED: $server $lang/$client round $ROUND (exit $rc)"; FAILED+=("$server/$lang/$client"); return 0
  fi
  if [ -n "$stats0" ]; then
    python3 - "$out" "$stats0" "$(canned_stats)" <<'PYEOF'
import json, sys
p, a, b = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
d = json.load(open(p))
d["server_stats"] = {k: b[k] - a[k] for k in a}
d["server_stats"]["connections"] -= 1  # the stats request itself
d["server_stats"]["requests"] -= 1
json.dump(d, open(p, "w"), indent=2)
PYEOF
  fi
}

PY="$VENV/bin/python"
NODE_PKG="${NODE_PKG:-}"
# launch SERVER KEY: one side of a group ("lang/client", "diag:lang/client" for a diagnostic side, canned only)
launch() {
  local server="$1" key="$2" prefix="$1"
  case "$key" in diag:*) prefix=diag; key="${key#diag:}";; esac
  local lang="${key%%/*}" client="${key#*/}" conc=8 ok=1
  local -a cmd=()
  case "$key" in
    rust/floor) cmd=("$OUTDIR/floor");;
    rust/floor-split) cmd=(env BENCH_FLOOR_SPLIT_POST=1 "$OUTDIR/floor");;
    rust/clickairtime) cmd=("$OUTDIR/rust_client");;
    rust/ureq_probe) cmd=("$OUTDIR/ureq_probe");;
    c/clickairtime) ok=$HAVE_FFI; cmd=("$BT/bench_sdk");;
    c/libcurl) ok=$HAVE_CURL; cmd=("$BT/bench_curl");;
    python/requests|python/httpx|python/urllib3) ok=$HAVE_BASE; cmd=("$PY" bench/python/bench.py --client "$client");;
    python/*) ok=$HAVE_PY; cmd=("$PY" bench/python/bench.py --client "$client");;
    node/fetch) conc=64; cmd=(node bench/node/bench.js --client fetch);;
    node/clickairtime) ok=$HAVE_NODE; conc=64
      cmd=(env CLICKAIRTIME_NODE_PKG="$NODE_PKG" node bench/node/bench.js --client clickairtime);;
    node/clickairtime-sync) ok=$HAVE_NODE; conc=0
      cmd=(env CLICKAIRTIME_NODE_PKG="$NODE_PKG" node bench/node/bench.js --client clickairtime-sync);;
    node/clickairtime-uv64) ok=$HAVE_NODE; conc=64
      cmd=(env CLICKAIRTIME_NODE_PKG="$NODE_PKG" UV_THREADPOOL_SIZE=64 node bench/node/bench.js --client clickairtime);;
    *) log "unknown side $key"; exit 2;;
  esac
  if [ "$ok" != 1 ]; then [ "$ROUND" = 1 ] && skip "$prefix/$lang/$client"; return 0; fi
  SIDE_PREFIX="$prefix" side "$server" "$lang" "$client" "$conc" "${cmd[@]}"
}

# group SERVER ROUNDS KEY...: the sides of one language in alternating rounds, the order rotated each round, so
# that a noisy stretch of the machine hits every side of the group about equally; the report compares sides
# round by round (median of the per-round ratios) and the per-side numbers are medians of the round medians
group() {
  local server="$1" rounds="$2"; shift 2
  local -a g=()
  for k in "$@"; do [ "$server" = sandbox ] && [[ "$k" == diag:* ]] && continue; g+=("$k"); done
  local k=${#g[@]}
  log "$server: ${g[*]} ($rounds rounds)"
  for r in $(seq 1 "$rounds"); do
    for j in $(seq 0 $((k - 1))); do
      local key="${g[$(((j + r - 1) % k))]}"
      # smoke: diagnostic sides in the first round only (the smoke run checks that they work, < 60 s in all)
      [ "$MODE" = smoke ] && [ "$r" -gt 1 ] && [[ "$key" == diag:* ]] && continue
      ROUND=$r launch "$server" "$key"
    done
  done
}

ROUNDS_DIR="$BT/rounds-$MODE"
rm -rf "$ROUNDS_DIR" && mkdir -p "$ROUNDS_DIR"
R0=$SECONDS
for server in canned sandbox; do
  rounds=$ROUNDS; [ "$server" = sandbox ] && rounds=$SB_ROUNDS
  group "$server" "$rounds" rust/floor rust/clickairtime diag:rust/floor-split diag:rust/ureq_probe
  group "$server" "$rounds" c/clickairtime c/libcurl
  group "$server" "$rounds" python/clickairtime python/requests python/httpx python/urllib3 \
    diag:python/clickairtime-native diag:python/clickairtime-nolog
  group "$server" "$rounds" node/clickairtime node/fetch diag:node/clickairtime-sync diag:node/clickairtime-uv64
done
ROUNDS_SECONDS=$((SECONDS - R0))
python3 bench/report.py --merge "$ROUNDS_DIR" "$RES"

memory_run() { # LANG cmd...
  local lang="$1"; shift
  log "memory: $lang ($RSS_CALLS GETs)"
  local rc=0
  BENCH_REFERENCE="$CANNED_REFERENCE" timeout $((MAXS * 6 + 30)) "${PIN_CLIENT[@]}" "$@" --url "$CANNED_URL" --server canned --n 0 --warmup "$WARM" \
    --rss-calls "$RSS_CALLS" --max-seconds "$MAXS" --tag "rss-$lang-$$" --out "$RES/rss-$lang-clickairtime.json" || rc=$?
  [ "$rc" -eq 0 ] || { log "FAILED: memory $lang (exit $rc)"; FAILED+=("memory/$lang"); }
}
M0=$SECONDS
memory_run rust "$OUTDIR/rust_client"
[ "$HAVE_FFI" = 1 ] && memory_run c "$BT/bench_sdk"
[ "$HAVE_PY" = 1 ] && memory_run python "$PY" bench/python/bench.py --client clickairtime
[ "$HAVE_NODE" = 1 ] && CLICKAIRTIME_NODE_PKG="$NODE_PKG" memory_run node node bench/node/bench.js --client clickairtime
MEMORY_SECONDS=$((SECONDS - M0))

# ---------------------------------------------------------------------------------------------- instruction counts
# Client CPU cost without the noise: valgrind's callgrind counts the instructions the client process executes
# in user space (all its threads; not the kernel's share of a syscall, not the server). Each client runs one
# operation per process (--ops) twice, with CG_N1 and CG_N2 measured calls after the same warm-up; the
# difference divided by CG_N2 - CG_N1 is the cost of one call, start-up and warm-up cancelled out.
CG0=$SECONDS
cg_total() { # cmd... → total instructions (Ir) of the process, or "null"
  local f="$BT/callgrind.out"
  rm -f "$f"
  if BENCH_REFERENCE="$CANNED_REFERENCE" timeout 600 valgrind --tool=callgrind --callgrind-out-file="$f" "$@" >/dev/null 2>"$BT/callgrind.err" &&
     [ -s "$f" ]; then
    awk '/^(summary|totals):/ {print $2; exit}' "$f"
  else
    log "callgrind failed: $* (see $BT/callgrind.err)"; echo null
  fi
}
cg_side() { # NAME WARMUP N1 N2 cmd...  → one JSON member: "NAME": {"get": Ir/call, "post": Ir/call, ...}
  local name="$1" w="$2" n1="$3" n2="$4"; shift 4
  local common=(--url "$CANNED_URL" --server canned --warmup "$w" --conc 0 --max-seconds 3000)
  local -a parts=()
  for op in get post; do
    local a b
    a=$(cg_total "$@" "${common[@]}" --ops "$op" --n "$n1" --tag "cg-$op-a" --out "$BT/cg-side.json")
    b=$(cg_total "$@" "${common[@]}" --ops "$op" --n "$n2" --tag "cg-$op-b" --out "$BT/cg-side.json")
    if [ "$a" = null ] || [ "$b" = null ]; then parts+=("\"$op\": null"); FAILED+=("callgrind/$name/$op")
    else parts+=("\"$op\": $(( (b - a) / (n2 - n1) ))"); fi
  done
  printf '%s"%s": {%s, %s, "warmup": %s, "n": [%s, %s]}' "$CG_SEP" "$name" "${parts[0]}" "${parts[1]}" "$w" "$n1" "$n2"
  CG_SEP=$',\n'
}
if command -v valgrind >/dev/null; then
  log "instruction counts (callgrind)"
  CG_SEP=""
  {
    echo "{"
    if [ "$MODE" = smoke ]; then
      cg_side "rust:floor" 2 2 6 "$OUTDIR/floor"
    else
      cg_side "rust:floor" 50 50 250 "$OUTDIR/floor"
      cg_side "rust:clickairtime" 50 50 250 "$OUTDIR/rust_client"
      [ "$HAVE_FFI" = 1 ] && cg_side "c:clickairtime" 50 50 250 "$BT/bench_sdk"
      [ "$HAVE_CURL" = 1 ] && cg_side "c:libcurl" 50 50 250 "$BT/bench_curl"
      [ "$HAVE_PY" = 1 ] && cg_side "python:clickairtime" 20 20 100 "$PY" bench/python/bench.py --client clickairtime
      [ "$HAVE_BASE" = 1 ] && cg_side "python:urllib3" 20 20 100 "$PY" bench/python/bench.py --client urllib3
      [ "$HAVE_BASE" = 1 ] && cg_side "python:requests" 20 20 100 "$PY" bench/python/bench.py --client requests
    fi
    echo; echo "}"
  } >"$RES/callgrind.json"
else
  log "valgrind not found: no instruction counts"; rm -f "$RES/callgrind.json"
fi
CG_SECONDS=$((SECONDS - CG0))
# ---------------------------------------------------------------------------------------------- bulk throughput
# 150 payout rows through core's bulk engine at the documented tiers against a sandbox enforcing 60 a minute
# (about two minutes: the limit is the point). Full mode only.
BULK_SECONDS=0
if [ "$MODE" = full ]; then
  B0=$SECONDS
  log "bulk throughput at the documented rate limit (150 rows, ~2 min)"
  if ! timeout 600 "$OUTDIR/bulk_rate" 150 "$RES/bulk-rate.json" >"$BT/bulk-rate.out" 2>&1; then
    log "bulk_rate failed (see $BT/bulk-rate.out)"; FAILED+=("bulk-rate"); rm -f "$RES/bulk-rate.json"
  else
    python3 - "$RES/bulk-rate.json" <<'PY'
import datetime, json, sys
d = json.load(open(sys.argv[1]))
d["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
json.dump(d, open(sys.argv[1], "w"), indent=2)
PY
  fi
  BULK_SECONDS=$((SECONDS - B0))
fi
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
  "canned_server": "$CANNED_SERVER",
  "counts": "canned: $ROUNDS interleaved rounds x ($WARM_R warm-up + $N_R measured calls per op, $CONC_R calls per concurrent phase); sandbox: $SB_ROUNDS rounds x ($SB_N_R / $SB_CONC_R); memory: $RSS_CALLS GETs",
  "phase_seconds": {"rounds": $ROUNDS_SECONDS, "memory": $MEMORY_SECONDS, "callgrind": $CG_SECONDS, "bulk": $BULK_SECONDS},
  "skipped": "${SKIPPED[*]:-}".split(), "failed": "${FAILED[*]:-}".split(),
}, open(sys.argv[1], "w"), indent=2)
EOF
python3 bench/report.py "$RES" "$REPORT" bench/NOTES.md
log "wrote $REPORT in ${WALL}s"
if [ "${#FAILED[@]}" -gt 0 ]; then
  log "failed: ${FAILED[*]}"
  exit 1
fi
