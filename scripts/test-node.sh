#!/usr/bin/env bash
# Node package: install the JS tools, build the napi-rs addon, check the generated bindings are committed, run
# the node:test suite (which also runs every code block of bindings-node/README.md and every example in
# examples/node as CommonJS and as an ES module against a fresh sandbox, and type-checks the TypeScript ones
# with tsc --strict: test/docs.test.js), type-check the TypeScript example with the examples' own tsconfig,
# then `npm pack` the package, install the tarball into a fresh project and run the examples from there
# (CommonJS, ESM, compiled TypeScript) and the `clickairtime` command (`npx clickairtime`, the package's bin:
# the Rust CLI inside the addon) against its own `sandbox --port 0`, with its documented exit codes.
# Called from the repo root by scripts/test-all.sh.
#
#   NODE_PROFILE=release   build the addon with the release profile (default: debug, faster)
#   NODE_TEST_ARGS="..."   extra `node --test` arguments
source "$(dirname "$0")/lib.sh"
need_cargo
cd "$ROOT"

# Node >= 20 and npm: the floor of the project (README.md) and of this package (bindings-node/README.md).
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt_get update -qq && apt_get install -y -qq nodejs npm >/dev/null
    fi
fi
if ! command -v npm >/dev/null 2>&1 || [ "$(node_major)" -lt 20 ]; then
    echo "test-node: Node.js >= 20 with npm is required (found $(node --version 2>/dev/null || echo none))" >&2
    exit 1
fi
echo "test-node: node $(node --version), npm $(npm --version 2>/dev/null)"

cd bindings-node
# `npm ci` rejects @napi-rs/cli's lockfile on this registry (TOOLCHAIN pitfall 14): npm install, from the lock.
npm install --no-audit --no-fund --loglevel=error

# Build the addon; napi regenerates index.js / index.d.ts, which are committed: they must not change.
GEN_BEFORE=$(mktemp -d)
trap 'rm -rf "$GEN_BEFORE"' EXIT
for f in index.js index.d.ts; do [ -f "$f" ] && cp "$f" "$GEN_BEFORE/$f"; done
build_args=(build --platform)
[ "${NODE_PROFILE:-debug}" = release ] && build_args+=(--release)
npx --no-install napi "${build_args[@]}"
for f in index.js index.d.ts; do
    if [ -f "$GEN_BEFORE/$f" ] && ! cmp -s "$GEN_BEFORE/$f" "$f"; then
        diff -u "$GEN_BEFORE/$f" "$f" | head -40 || true
        echo "test-node: bindings-node/$f changed when regenerated; commit the new version" >&2
        exit 1
    fi
done

# The test suite (every test file under test/, against the in-process sandbox; crash.test.js SIGKILLs child
# node processes mid-send, panic.test.js arms the addon's test-only panic hook, starvation.test.js keeps more
# waits pending than libuv has threads, docs.test.js runs the README's code blocks and the examples).
mkdir -p "$ROOT/target"
LOG="$ROOT/target/node-test.log"
status=0
# shellcheck disable=SC2086
node --test ${NODE_TEST_ARGS:-} test/ >"$LOG" 2>&1 || status=$?
grep -E '^# (tests|pass|fail|cancelled|skipped|todo|duration_ms) ' "$LOG" | tr '\n' ' '; echo
if [ "$status" -ne 0 ]; then
    grep -E -A30 '^not ok' "$LOG" | head -120
    echo "test-node: node --test failed (full log: target/node-test.log)" >&2
    exit 1
fi

# The TypeScript example against the generated types.
npx --no-install tsc --noEmit --strict -p ../examples/node/tsconfig.json
echo "test-node: tsc --noEmit --strict examples/node/quickstart.ts: ok"

# Pack, install the tarball into a fresh project, and run the examples from there.
PACK_DIR="$ROOT/target/node-pack"
rm -rf "$PACK_DIR" && mkdir -p "$PACK_DIR"
TARBALL="$PACK_DIR/$(npm pack --silent --pack-destination "$PACK_DIR" | tail -1)"
echo "test-node: packed $(basename "$TARBALL") ($(du -h "$TARBALL" | cut -f1))"
CONTENTS=$(tar -tzf "$TARBALL")
for f in package/clickairtime.js package/clickairtime.mjs package/cli.js package/index.js package/index.d.ts \
         package/README.md package/clickairtime.linux-x64-gnu.node; do
    grep -qx "$f" <<<"$CONTENTS" || { echo "test-node: $f missing from the tarball" >&2; exit 1; }
done
if grep -E '^package/(src|test|node_modules)/' <<<"$CONTENTS" >/dev/null; then
    echo "test-node: the tarball ships sources or tests" >&2; exit 1
fi
APP="$PACK_DIR/app"
mkdir -p "$APP"
cp ../examples/node/quickstart.js ../examples/node/quickstart.ts ../examples/node/cancel.mjs ../examples/node/payout.js "$APP/"
(
    cd "$APP"
    echo '{ "name": "clickairtime-pack-test", "version": "1.0.0", "private": true }' > package.json
    npm install --no-audit --no-fund --loglevel=error "$TARBALL"
    # `run NAME CMD…`: run an example, show what it printed (stderr too), fail with its exit code;
    # `has PATTERN`: the last run printed a line matching PATTERN (a here-string, no pipe to break early).
    run() {
        local name=$1 rc=0
        shift
        out=$("$@" 2>&1) || rc=$?
        sed "s/^/  $name | /" <<<"$out"
        if [ "$rc" != 0 ]; then echo "test-node: $name exited with $rc" >&2; exit 1; fi
        last=$name
    }
    has() { grep -q -- "$1" <<<"$out" || { echo "test-node: $last printed no line matching '$1'" >&2; exit 1; }; }
    run quickstart.js node quickstart.js
    has '^open sales after recovery: 0$'
    has '^final status: completed$'
    has '^same sale again: journal, '
    has '^declined: INSUFFICIENT_BALANCE'
    has '^refused: DUPLICATE_SALE$'
    run cancel.mjs node cancel.mjs
    has 'the 10 ms timer fired freely$'
    has '^waits cancelled: 10, last status processing'
    has '^aborted send: CANCELLED, definitely not sent: true$'
    has '^late abort: the sale went through (created, '
    run payout.js node payout.js
    has '^3 of 3 sent; not sent 0, refused 0, unknown 0, skipped 0$'
    has '^rerun: 3 of 3 paid rows from the journal, nothing sent twice$'
    node --input-type=module -e "
        import ca, { V2Client, ClickAirtimeError, Sandbox } from 'clickairtime'
        const sb = await Sandbox.start()
        const c = new V2Client({ apiKey: sb.apiKey, baseUrl: sb.baseUrl })
        const r = await c.topups.get('nope').catch((e) => e)
        const b = await c.balance.list({ signal: AbortSignal.timeout(5000) })
        await sb.close()
        if (!(r instanceof ClickAirtimeError) || r.code !== 'NOT_FOUND' || ca.V2Client !== V2Client) process.exit(1)
        if (typeof b.availableBalance.amount !== 'string' || b.meta.httpStatus !== 200) process.exit(1)
        console.log('  esm import | ok')"
    cat > tsconfig.json <<JSON
{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true,
  "outDir": "dist", "types": ["node"], "typeRoots": ["$ROOT/bindings-node/node_modules/@types"] },
  "files": ["quickstart.ts"] }
JSON
    "$ROOT/bindings-node/node_modules/.bin/tsc" -p .
    run quickstart.ts node dist/quickstart.js
    has ': completed, 25.5'
    has '^journal: sent, '
    has '^bad recipient: INVALID_RECIPIENT$'

    # The command from the installed package: `npx clickairtime` and the bin npm linked. No user config or state.
    export XDG_CONFIG_HOME="$APP/config" XDG_STATE_HOME="$APP/state" CLICKAIRTIME_JOURNAL="$APP/cli.journal"
    unset CLICKAIRTIME_API_KEY CLICKAIRTIME_BASE_URL CLICKAIRTIME_V1_EMAIL CLICKAIRTIME_V1_TOKEN CLICKAIRTIME_CONFIG
    [ -x node_modules/.bin/clickairtime ] || { echo "test-node: the package's bin is not linked" >&2; exit 1; }
    # `expect CODE clickairtime-args…`: run through npx, check the exit code (output in cli.out / cli.err)
    expect_exit() {
        local want=$1 got=0
        shift
        npx --no-install clickairtime "$@" >cli.out 2>cli.err || got=$?
        if [ "$got" != "$want" ]; then
            echo "test-node: npx clickairtime $*: exit $got, expected $want" >&2
            cat cli.out cli.err >&2
            exit 1
        fi
        echo "  npx clickairtime $* | exit $got"
    }
    expect_exit 0 --help
    grep -q '^Usage: clickairtime' cli.out
    expect_exit 2 send
    # the sandbox in the foreground, through the linked bin (so Ctrl-C reaches it directly); its credentials
    # are the KEY=value lines it prints
    node_modules/.bin/clickairtime sandbox --port 0 >sandbox.out 2>sandbox.err &
    SB=$!
    trap 'kill -KILL $SB 2>/dev/null || true' EXIT
    for _ in $(seq 300); do grep -q '^CLICKAIRTIME_V1_TOKEN=' sandbox.out && break; sleep 0.1; done
    grep -q '^CLICKAIRTIME_V1_TOKEN=' sandbox.out || { cat sandbox.err >&2; exit 1; }
    while IFS='=' read -r k v; do case "$k" in CLICKAIRTIME_*) export "$k=$v" ;; esac; done <sandbox.out
    echo "  clickairtime sandbox --port 0 | $CLICKAIRTIME_SANDBOX_URL"
    expect_exit 0 balance --json
    grep -q '"ok":true' cli.out
    expect_exit 6 balance --below 1000000000
    expect_exit 0 send +233541112259 --amount 5 --currency GHS --reference pack-sale-1
    grep -q '^sent: top-up ' cli.out
    expect_exit 0 send +233541112259 --amount 5 --currency GHS --reference pack-sale-1 --json
    grep -q '"origin":"journal"' cli.out
    expect_exit 5 send +233541112259 --amount 5 --currency GHS --reference pack-sale-2   # a duplicate sale: refused
    expect_exit 1 send +233555000001 --amount 5 --currency GHS                           # declined: not sent
    printf 'phone,amount,currency,reference\n+233541112259,50,GHS,pack-bulk-1\n+233 20 123 4567,7.5,GHS,\n' >pay.csv
    expect_exit 0 bulk pay.csv --dry-run
    grep -q 'dry run, nothing was sent' cli.out
    grep -q '^total: 57.5 GHS$' cli.out
    printf 'phone,amount,currency\nxx,5,GHS\n' >bad.csv
    expect_exit 2 bulk bad.csv
    expect_exit 0 bulk pay.csv --no-progress-bar
    expect_exit 0 pending --json
    grep -q '"entries":\[\]' cli.out
    kill -INT "$SB"
    sb_status=0
    wait "$SB" || sb_status=$?
    trap - EXIT
    [ "$sb_status" = 0 ] || { echo "test-node: the sandbox exited $sb_status on Ctrl-C" >&2; cat sandbox.err >&2; exit 1; }
    echo "  clickairtime sandbox | Ctrl-C: exit 0"
)
echo "test-node: packed tarball installs and runs (CommonJS, ESM, TypeScript, npx clickairtime): ok"
