'use strict'
// The package's `clickairtime` bin (cli.js → cliMain → the Rust crate clickairtime-cli, the same code as the
// cargo binary), run as a user runs it: a child process. Its own `sandbox --port 0` (the URL and credentials read
// from what it prints, stopped with Ctrl-C), then `balance`, `send` and its documented exit codes, `bulk` (dry
// run, bad rows, a real run and its rerun, Ctrl-C mid-run), `lookup`, `status`, `list` (JSON, CSV), `wait`
// (4: still pending), an unknown outcome (3: a late commit past the send's deadline) and `recover`, and
// `webhooks verify`, against it. scripts/test-node.sh runs the same kind
// of checks again from the packed and installed package (`npx clickairtime`).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { ca, tmpJournal, until } = require('./helpers')

const PKG = path.join(__dirname, '..')
const pkg = require('../package.json')
const BIN = path.join(PKG, pkg.bin.clickairtime)
const DIR = path.dirname(tmpJournal())

/** The environment of every run: no user configuration or state, the journal in the test's directory. */
const BASE_ENV = {
  ...process.env,
  XDG_CONFIG_HOME: path.join(DIR, 'config'),
  XDG_STATE_HOME: path.join(DIR, 'state'),
  CLICKAIRTIME_JOURNAL: path.join(DIR, 'cli.journal'),
  CLICKAIRTIME_API_KEY: '',
  CLICKAIRTIME_BASE_URL: '',
  CLICKAIRTIME_V1_EMAIL: '',
  CLICKAIRTIME_V1_TOKEN: '',
  NO_COLOR: '1',
}

/** Start `clickairtime …args`; the child, and a Promise of { code, signal, stdout, stderr } when it exits. */
function start(args, env = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: DIR, env: { ...BASE_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const out = { stdout: '', stderr: '' }
  child.stdout.on('data', (d) => { out.stdout += d })
  child.stderr.on('data', (d) => { out.stderr += d })
  const exited = new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 90000)
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, ...out }) })
  })
  return { child, out, exited }
}

/** Run `clickairtime …args` to its end. */
const run = (args, env) => start(args, env).exited

let sandbox
let sbEnv
test.before(async () => {
  sandbox = start(['sandbox', '--port', '0', '--complete-after-ms', '150'])
  await until(() => /^CLICKAIRTIME_V1_TOKEN=/m.test(sandbox.out.stdout), 30000, 20, 'the sandbox printed its credentials')
  sbEnv = Object.fromEntries(sandbox.out.stdout.trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)))
})
test.after(async () => {
  if (sandbox.child.exitCode === null) sandbox.child.kill('SIGKILL')
})

const control = async (route, body) => {
  const r = await fetch(`${sbEnv.CLICKAIRTIME_SANDBOX_URL}/_sandbox/${route}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) })
  return r.json()
}

test('the bin is the package\'s cli.js, shipped, with a node shebang', () => {
  assert.deepEqual(pkg.bin, { clickairtime: 'cli.js' })
  assert.ok(pkg.files.includes('cli.js'))
  assert.match(fs.readFileSync(BIN, 'utf8'), /^#!\/usr\/bin\/env node\n/)
  assert.equal(typeof ca.cliMain, 'function')
})

test('clickairtime --help / --version exit 0; a usage error exits 2', async () => {
  const help = await run(['--help'])
  assert.equal(help.code, 0, help.stderr)
  assert.match(help.stdout, /Usage: clickairtime/)
  for (const sub of ['balance', 'lookup', 'send', 'status', 'list', 'wait', 'pending', 'recover', 'bulk', 'sandbox', 'webhooks']) {
    assert.match(help.stdout, new RegExp(`\\n  ${sub} `), sub)
  }
  const version = await run(['--version'])
  assert.equal(version.code, 0)
  assert.equal(version.stdout.trim(), `clickairtime ${pkg.version}`)
  const usage = await run(['send'])
  assert.equal(usage.code, 2)
  assert.match(usage.stderr, /Usage:/)
  const noKey = await run(['balance', '--json'])
  assert.equal(noKey.code, 2, 'no credentials is a usage error')
  assert.equal(JSON.parse(noKey.stdout).ok, false)
})

test('sandbox --port 0 prints its URL and credentials, and answers', async () => {
  assert.match(sbEnv.CLICKAIRTIME_SANDBOX_URL, /^http:\/\/127\.0\.0\.1:\d+$/)
  assert.equal(sbEnv.CLICKAIRTIME_BASE_URL, sbEnv.CLICKAIRTIME_SANDBOX_URL)
  assert.match(sbEnv.CLICKAIRTIME_API_KEY, /^ce_live_/)
  assert.deepEqual(await control('health'), { ok: true })
})

test('balance, send and their documented exit codes against it', { timeout: 60000 }, async () => {
  const balance = await run(['balance', '--json'], sbEnv)
  assert.equal(balance.code, 0, balance.stderr)
  const b = JSON.parse(balance.stdout)
  assert.equal(b.ok, true)
  assert.ok(b.wallets.length >= 1)
  assert.doesNotMatch(balance.stdout + balance.stderr, new RegExp(sbEnv.CLICKAIRTIME_API_KEY), 'the key is never printed')
  assert.equal((await run(['balance', '--below', '1000000000'], sbEnv)).code, 6, 'below the threshold')

  const ref = `cli-${process.pid}`
  const send = await run(['send', '+233541112259', '--amount', '5', '--currency', 'GHS', '--network-id', '42', '--reference', ref], sbEnv)
  assert.equal(send.code, 0, send.stderr)
  assert.match(send.stdout, /^sent: top-up /m)
  const again = await run(['send', '+233541112259', '--amount', '5', '--currency', 'GHS', '--network-id', '42', '--reference', ref, '--json'], sbEnv)
  assert.equal(again.code, 0, again.stderr)
  assert.equal(JSON.parse(again.stdout).origin, 'journal', 'the same sale again comes from the journal')
  const dup = await run(['send', '+233541112259', '--amount', '5', '--currency', 'GHS', '--network-id', '42', '--reference', `${ref}-2`, '--json'], sbEnv)
  assert.equal(dup.code, 5, `refused as a duplicate sale: ${dup.stdout}${dup.stderr}`)
  assert.equal(JSON.parse(dup.stdout).exit_code, 5)
  const declined = await run(['send', '+233555000001', '--amount', '5', '--currency', 'GHS', '--network-id', '42'], sbEnv)
  assert.equal(declined.code, 1, 'not sent')
  assert.match(declined.stderr, /not sent/)
  const pending = await run(['pending', '--json'], sbEnv)
  assert.equal(pending.code, 0, pending.stderr)
  assert.equal(JSON.parse(pending.stdout).entries.length, 0)
  const txs = (await control('transactions')).v2.filter((t) => t.reference.startsWith(ref))
  assert.equal(txs.length, 1, 'one sale')
})

test('bulk: --dry-run sends nothing, bad rows exit 2, a run and its rerun send every row once', { timeout: 60000 }, async () => {
  const file = path.join(DIR, 'bonus.csv')
  fs.writeFileSync(file, `phone,amount,currency,reference,department\n+233541112259,50,GHS,bonus-${process.pid}-1,sales\n+233 20 123 4567,7.5,GHS,,field\n`)
  const posts = (await control('stats')).v2.posts
  const dry = await run(['bulk', file, '--dry-run'], sbEnv)
  assert.equal(dry.code, 0, dry.stderr)
  assert.match(dry.stdout, /2 valid row\(s\); dry run, nothing was sent/)
  assert.match(dry.stdout, /total: 57\.5 GHS/)
  assert.equal((await control('stats')).v2.posts, posts, 'a dry run sends nothing')

  const bad = path.join(DIR, 'bad.csv')
  fs.writeFileSync(bad, 'phone,amount,currency\nxx,5,GHS\n+233541112259,12.345,GHS\n')
  const refused = await run(['bulk', bad], sbEnv)
  assert.equal(refused.code, 2)
  assert.match(refused.stderr, /line 2: phone/)
  assert.match(refused.stderr, /line 3: amount/)

  const sent = await run(['bulk', file, '--no-progress-bar'], sbEnv)
  assert.equal(sent.code, 0, sent.stderr)
  const report = fs.readFileSync(path.join(DIR, 'bonus.report.csv'), 'utf8').trim().split('\n')
  assert.equal(report.length, 3)
  assert.ok(report.slice(1).every((l) => l.includes(',sent,')))
  const rerun = await run(['bulk', file, '--json'], sbEnv)
  assert.equal(rerun.code, 0, rerun.stderr)
  assert.equal((await control('stats')).v2.posts, posts + 2, 'two writes in all')
})

test('Ctrl-C reaches the command: bulk stops taking rows, sends under way settle, exit 7 with a report', { timeout: 60000 }, async () => {
  const file = path.join(DIR, 'slow.csv')
  const lines = ['phone,amount,currency,network_id']
  for (let i = 0; i < 30; i += 1) lines.push(`+23354${4000000 + i},1,GHS,42`)
  fs.writeFileSync(file, `${lines.join('\n')}\n`)
  await control('faults', { fault: 'slow', delay_ms: 300, count: 30, method: 'POST', path: '/v2/topups' })
  const bulk = start(['bulk', file, '--concurrency', '2', '--no-progress-bar'], sbEnv)
  await until(() => (bulk.out.stderr.match(/^\[\d+\/30\]/gm) || []).length >= 3, 30000, 20, 'three rows done')
  bulk.child.kill('SIGINT')
  const r = await bulk.exited
  await fetch(`${sbEnv.CLICKAIRTIME_SANDBOX_URL}/_sandbox/faults`, { method: 'DELETE' })
  assert.equal(r.code, 7, `${r.stdout}\n${r.stderr}`)
  const report = fs.readFileSync(path.join(DIR, 'slow.report.csv'), 'utf8').trim().split('\n').slice(1)
  assert.equal(report.length, 30)
  const outcomes = report.map((l) => l.split(',')[2])
  assert.ok(outcomes.includes('skipped'))
  assert.ok(!outcomes.includes('unknown'), 'no row unknown')
  const pending = await run(['pending', '--json'], sbEnv)
  assert.equal(JSON.parse(pending.stdout).entries.length, 0, 'nothing left open')
  const rest = await run(['bulk', file], sbEnv)
  assert.equal(rest.code, 0, rest.stderr)
})

test('the command runs on the SDK\'s threads: it finishes while libuv\'s pool is saturated', { timeout: 60000 }, async () => {
  const script = `
    const crypto = require('node:crypto')
    const { cliMain } = require(${JSON.stringify(PKG)})
    const size = Number(process.env.UV_THREADPOOL_SIZE || 4)
    let busy = size
    const t0 = Date.now()
    for (let i = 0; i < size; i += 1) crypto.pbkdf2('x', 'y', 6e5, 32, 'sha512', () => { busy -= 1 })
    cliMain(['clickairtime', 'webhooks', 'verify', '--help']).then((code) => {
      process.stderr.write('cli ' + code + ' with ' + busy + ' of ' + size + ' libuv threads still busy after ' + (Date.now() - t0) + ' ms\\n')
      process.exitCode = busy > 0 && code === 0 ? 0 : 1
    })`
  const r = await new Promise((resolve) => {
    const p = spawn(process.execPath, ['-e', script], { env: { ...BASE_ENV, UV_THREADPOOL_SIZE: '2' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    p.stderr.on('data', (d) => { err += d })
    p.stdout.resume()
    p.on('exit', (code) => resolve({ code, err }))
  })
  assert.equal(r.code, 0, r.err)
})

/** Run `clickairtime …args --json` against the sandbox: { code, json, stdout, stderr }. */
const runJson = async (args) => {
  const r = await run([...args, '--json'], sbEnv)
  let json
  try {
    json = JSON.parse(r.stdout)
  } catch {
    assert.fail(`clickairtime ${args.join(' ')} --json printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`)
  }
  return { ...r, json }
}

test('lookup, status (by id and by reference), list (JSON and CSV) and wait, with their exit codes', { timeout: 60000 }, async () => {
  const lookup = await run(['lookup', '+233541112259'], sbEnv)
  assert.equal(lookup.code, 0, lookup.stderr)
  assert.match(lookup.stdout, /^\+233541112259: MTN Ghana \(network 42, Ghana, GHS\)$/m)
  const lj = await runJson(['lookup', '+233541112259'])
  assert.equal(lj.code, 0)
  assert.equal(lj.json.lookup.network.id, 42)
  assert.ok(lj.json.lookup.products.fixed_bundles.length > 0)

  const reference = `cli-st-${process.pid}`
  const sent = await runJson(['send', '+233541113001', '--amount', '5', '--currency', 'GHS', '--reference', reference])
  assert.equal(sent.code, 0, sent.stderr)
  const id = sent.json.topup.id
  // wait by id: completed (the sandbox completes it after 150 ms) → 0
  const waited = await runJson(['wait', id, '--timeout', '20'])
  assert.equal(waited.code, 0, waited.stderr)
  assert.equal(waited.json.status, 'completed')
  const byId = await runJson(['status', id])
  assert.equal(byId.code, 0)
  assert.equal(byId.json.topup.reference, reference)
  const byRef = await run(['status', '--reference', reference], sbEnv)
  assert.equal(byRef.code, 0, byRef.stderr)
  assert.match(byRef.stdout, new RegExp(`^delivered: top-up ${id} completed: 5 GHS to \\+233541113001`))
  const nobody = await runJson(['status', '--reference', `${reference}-none`])
  assert.equal(nobody.code, 1, 'not found')
  assert.equal(nobody.json.outcome, 'not_found')

  const list = await runJson(['list', '--reference', reference])
  assert.equal(list.code, 0, list.stderr)
  assert.equal(list.json.count, 1)
  assert.equal(list.json.topups[0].id, id)
  const csv = await run(['list', '--format', 'csv', '--since', '1h'], sbEnv)
  assert.equal(csv.code, 0, csv.stderr)
  const [header, ...rows] = csv.stdout.trim().split('\n')
  assert.match(header, /^id,status,phone_number,/)
  const txs = (await control('transactions')).v2
  assert.equal(rows.length, txs.length, 'one CSV line per top-up of the sandbox')
  assert.ok(rows.some((l) => l.startsWith(`${id},completed,+233541113001,`) && l.includes(`,${reference},`)), csv.stdout)
})

test('wait ID --timeout: a top-up still processing at the deadline exits 4 (still pending)', { timeout: 60000 }, async () => {
  // +233555000010 stays `processing` for 30 minutes in the sandbox
  const sent = await runJson(['send', '+233555000010', '--amount', '5', '--currency', 'GHS'])
  assert.equal(sent.code, 0, sent.stderr)
  const id = sent.json.topup.id
  const t0 = Date.now()
  const w = await runJson(['wait', id, '--timeout', '1'])
  assert.equal(w.code, 4, w.stdout + w.stderr)
  assert.equal(w.json.outcome, 'still_pending')
  assert.equal(w.json.error.kind, 'STILL_PENDING')
  assert.equal(w.json.error.transaction_id, id)
  assert.ok(Date.now() - t0 < 30000, 'it stopped at its deadline')
  assert.equal((await run(['status', id], sbEnv)).code, 4, 'not final yet')
})

test('an unknown outcome exits 3 (send, status --reference, recover); recover settles it once it lands: 0', { timeout: 90000 }, async () => {
  // the write is received, but committed (and answered) only 10 s later, after the send's 1 s deadline
  const reference = `cli-late-${process.pid}`
  await control('faults', { fault: 'late_commit', delay_ms: 10000, count: 1, method: 'POST', path: '/v2/topups' })
  try {
    const send = await run(['--send-deadline', '1', 'send', '+233541112262', '--amount', '5', '--currency', 'GHS', '--reference', reference], sbEnv)
    assert.equal(send.code, 3, `${send.stdout}\n${send.stderr}`)
    assert.match(send.stderr, /OUTCOME UNKNOWN/)
    assert.match(send.stderr, /Do NOT send it again/)
    assert.doesNotMatch(send.stderr, /not sent/)
    const status = await runJson(['status', '--reference', reference])
    assert.equal(status.code, 3, 'the API shows none yet; the journal holds it open')
    assert.equal(status.json.journal_state, 'unknown')
    const early = await runJson(['recover'])
    assert.equal(early.code, 3, 'still unknown: run it again later')
    assert.deepEqual(early.json.recovered.map((e) => [e.reference, e.state]), [[reference, 'unknown']])
  } finally {
    await until(async () => (await control('transactions')).v2.some((t) => t.reference === reference), 30000, 100, 'the late commit landed')
  }
  const late = await runJson(['recover'])
  assert.equal(late.code, 0, late.stdout + late.stderr)
  assert.deepEqual(late.json.recovered.map((e) => [e.reference, e.state]), [[reference, 'sent']])
  assert.equal((await runJson(['pending'])).json.entries.length, 0, 'nothing left open')
  assert.equal((await control('transactions')).v2.filter((t) => t.reference === reference).length, 1, 'one sale')
  const again = await runJson(['recover'])
  assert.equal(again.code, 0)
  assert.deepEqual(again.json.recovered, [])
})

test('webhooks verify: a correctly signed body exits 0, a tampered one 1', { timeout: 60000 }, async () => {
  const body = `{"event":"topup.completed","data":{"id":"t-${process.pid}","status":"completed","reference":"r-9"}}`
  const ts = String(Math.floor(Date.now() / 1000))
  const signature = ca.signWebhook(body, ts, sbEnv.CLICKAIRTIME_API_KEY)
  const file = path.join(DIR, 'event.json')
  fs.writeFileSync(file, body)
  const ok = await runJson(['webhooks', 'verify', '--signature', signature, '--timestamp', ts, file])
  assert.equal(ok.code, 0, ok.stdout + ok.stderr)
  assert.equal(ok.json.verified, true)
  assert.equal(ok.json.event.event_type, 'topup.completed')
  const text = await run(['webhooks', 'verify', '--signature', signature, '--timestamp', ts, file], sbEnv)
  assert.equal(text.code, 0)
  assert.match(text.stdout, new RegExp(`verified: topup\\.completed top-up t-${process.pid}`))
  const tampered = path.join(DIR, 'tampered.json')
  const altered = body.replace('"status":"completed"', '"status":"failed"')
  assert.notEqual(altered, body)
  fs.writeFileSync(tampered, altered)
  const bad = await runJson(['webhooks', 'verify', '--signature', signature, '--timestamp', ts, tampered])
  assert.equal(bad.code, 1, bad.stdout + bad.stderr)
  assert.equal(bad.json.verified, false)
  assert.equal(bad.json.error.kind, 'INVALID_SIGNATURE')
  assert.doesNotMatch(bad.stdout + bad.stderr, new RegExp(sbEnv.CLICKAIRTIME_API_KEY), 'the key is never printed')
})

test('Ctrl-C stops the sandbox: exit 0', async () => {
  sandbox.child.kill('SIGINT')
  const r = await sandbox.exited
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stderr, /sandbox stopped/)
})
