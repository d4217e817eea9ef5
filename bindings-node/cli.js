#!/usr/bin/env node
'use strict'
// The `clickairtime` command of the npm package (`npx clickairtime …`, the package's bin). Not a
// re-implementation: it runs the Rust crate clickairtime-cli — the same code as the cargo-installed binary and
// the Python wheel's entry point — inside the native addon, on a thread the SDK owns (never libuv's pool),
// and makes its exit code this process's. The command writes to stdout/stderr itself; Ctrl-C and SIGTERM reach
// its own handler (bulk stops taking new rows and lets sends under way settle; a second Ctrl-C exits 130).
// `clickairtime --help` lists the subcommands, the exit codes and the configuration.
let cliMain
try {
  ;({ cliMain } = require('./clickairtime.js'))
} catch (err) {
  // no native addon for this platform: the loader's message says which and what to do
  process.stderr.write(`${err && err.message ? err.message : err}\n`)
  process.exit(1)
}

cliMain(['clickairtime', ...process.argv.slice(2)]).then(
  (code) => {
    process.exitCode = code
  },
  (err) => {
    process.stderr.write(`clickairtime: ${err && err.message ? err.message : err}\n`)
    process.exitCode = 1
  },
)
