#!/usr/bin/env bash
# Node package: install the JS tools, build the napi-rs addon, check the generated bindings are committed, run
# the node:test suite (which also runs every code block of bindings-node/README.md and every example in
# examples/node as CommonJS and as an ES module against a fresh sandbox, and type-checks the TypeScript ones
# with tsc --strict: test/docs.test.js), type-check the TypeScript example with the examples' own tsconfig,
# then `npm pack` the package, install the tarball into a fresh project and run the examples from there
# (CommonJS, ESM, compiled TypeScript).
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
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
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
for f in package/clickairtime.js package/clickairtime.mjs package/index.js package/index.d.ts package/README.md \
         package/clickairtime.linux-x64-gnu.node; do
    grep -qx "$f" <<<"$CONTENTS" || { echo "test-node: $f missing from the tarball" >&2; exit 1; }
done
if grep -E '^package/(src|test|node_modules)/' <<<"$CONTENTS" >/dev/null; then
    echo "test-node: the tarball ships sources or tests" >&2; exit 1
fi
APP="$PACK_DIR/app"
mkdir -p "$APP"
cp ../examples/node/quickstart.js ../examples/node/quickstart.ts ../examples/node/cancel.mjs "$APP/"
(
    cd "$APP"
    echo '{ "name": "clickairtime-pack-test", "version": "1.0.0", "private": true }' > package.json
    npm install --no-audit --no-fund --loglevel=error "$TARBALL"
    out=$(node quickstart.js)
    echo "$out" | sed 's/^/  quickstart.js | /'
    echo "$out" | grep -q '^open sales after recovery: 0$'
    echo "$out" | grep -q '^final status: completed$'
    echo "$out" | grep -q '^same sale again: journal, '
    echo "$out" | grep -q '^declined: INSUFFICIENT_BALANCE'
    echo "$out" | grep -q '^refused: DUPLICATE_SALE$'
    out=$(node cancel.mjs)
    echo "$out" | sed 's/^/  cancel.mjs | /'
    echo "$out" | grep -q 'the 10 ms timer fired freely$'
    echo "$out" | grep -q '^waits cancelled: 10, last status processing'
    echo "$out" | grep -q '^aborted send: CANCELLED, definitely not sent: true$'
    echo "$out" | grep -q '^late abort: the sale went through (created, '
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
    out=$(node dist/quickstart.js)
    echo "$out" | sed 's/^/  quickstart.ts | /'
    echo "$out" | grep -q ': completed, 25.5'
    echo "$out" | grep -q '^journal: sent, '
    echo "$out" | grep -q '^bad recipient: INVALID_RECIPIENT$'
)
echo "test-node: packed tarball installs and runs (CommonJS, ESM, TypeScript): ok"
