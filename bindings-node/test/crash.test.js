'use strict'
// Crash safety, from Node: a till process sending through a journaled client is killed with SIGKILL mid-send,
//  (a) after the sandbox received and committed the POST (magic number 09: the answer is delayed), and
//  (b) after its write left but before any API received it (the POST went into a server that never answers).
// A fresh client on the same journal then finds both open, and recover() settles them without writing: (a)
// `sent` with its id, exactly one transaction; (b) `not_sent` once the convergence bound has passed, then sold
// again exactly once. Re-selling either reference afterwards writes nothing.
const test = require('node:test')
const assert = require('node:assert/strict')
const net = require('node:net')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { ca, setup, ref, tmpJournal, until, rejects } = require('./helpers')

let env
test.before(async () => { env = await setup({ slowDelayMs: 5000 }) })
test.after(() => env.sb.close())

function till(order) {
  const p = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'crash-child.js')], {
    env: { ...process.env, CA_CRASH_CHILD: '1', CA_CRASH_ORDER: JSON.stringify(order) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  p.stdout.on('data', (d) => { out += d })
  p.stderr.on('data', (d) => { out += d })
  const exited = new Promise((resolve) => p.on('exit', (code, signal) => resolve({ code, signal })))
  return { p, out: () => out, exited }
}

/** A TCP server that reads requests and never answers: the write left, no API received it. */
function blackhole() {
  const seen = []
  const sockets = new Set()
  const srv = net.createServer((s) => {
    sockets.add(s)
    s.on('data', (d) => seen.push(d.toString('utf8')))
    s.on('error', () => {})
    s.on('close', () => sockets.delete(s))
  })
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${srv.address().port}`,
    received: () => seen.join(''),
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); srv.close(r) }),
  })))
}

test('kill -9 mid-send, after and before the API received the POST; a fresh client recovers both', { timeout: 120000 }, async () => {
  const journal = tmpJournal()
  const hole = await blackhole()
  const after = { reference: ref('crash-after'), phoneNumber: '+233555000009', amount: '7' }
  const before = { reference: ref('crash-before'), phoneNumber: '+233541112401', amount: '8' }
  const common = { journal, apiKey: env.sb.apiKey }
  const posts0 = env.sb.stats().v2.posts
  try {
    const a = till({ ...common, ...after, baseUrl: env.sb.baseUrl })
    const b = till({ ...common, ...before, baseUrl: hole.url })
    // (a) the sandbox committed it (its answer is delayed 5 s): the power goes now
    await until(() => env.sb.transactions().v2.some((t) => t.reference === after.reference), 15000, 10, 'the commit of (a)')
    a.p.kill('SIGKILL')
    // (b) the request left the till (journaled first) and reached only the black hole
    await until(() => hole.received().includes(before.reference), 15000, 10, 'the write of (b)')
    b.p.kill('SIGKILL')
    for (const t of [a, b]) {
      const { signal } = await t.exited
      assert.equal(signal, 'SIGKILL', t.out())
      assert.doesNotMatch(t.out(), /send returned/)
    }
  } finally {
    await hole.close()
  }
  assert.equal(env.sb.stats().v2.posts - posts0, 1, 'the API received one write')

  // restart: a fresh client on the same journal finds both open, as the dead till left them
  const client = new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: env.sb.baseUrl, journal, convergenceBoundMs: 500, sendDeadlineMs: 5000 })
  const open = await client.pending()
  assert.deepEqual(open.map((e) => e.reference).sort(), [after.reference, before.reference].sort())
  for (const e of open) {
    assert.equal(e.state, 'in_flight', JSON.stringify(e))
    assert.equal(e.writes, 1)
    assert.equal(typeof e.lastWriteAt, 'number')
    assert.equal(e.transactionId, undefined)
  }

  // recover() at start-up, again until both are settled (an entry may stay open while a lease or the
  // convergence bound runs); it never writes
  const seen = {}
  await until(async () => {
    for (const r of await client.recover()) seen[r.entry.reference] = r
    const a = seen[after.reference]
    const b = seen[before.reference]
    return a && a.entry.state === 'sent' && b && b.entry.state === 'not_sent'
  }, 60000, 500, 'the recovery')
  assert.equal(env.sb.stats().v2.posts - posts0, 1, 'recovery wrote nothing')
  const committed = env.sb.transactions().v2.filter((t) => t.reference === after.reference)
  assert.equal(committed.length, 1, 'exactly one transaction for (a)')
  const ra = seen[after.reference]
  assert.equal(ra.entry.transactionId, committed[0].id)
  assert.equal(ra.entry.record.id, committed[0].id)
  assert.equal(ra.record.id, committed[0].id)
  assert.equal(ra.record.meta.origin, 'recovered')
  const rb = seen[before.reference]
  assert.equal(rb.record, undefined)
  assert.equal(env.sb.transactions().v2.filter((t) => t.reference === before.reference).length, 0)
  assert.deepEqual(await client.pending(), [])
  const ea = await client.journalEntry(after.reference)
  assert.equal(ea.state, 'sent')
  assert.equal(ea.transactionId, committed[0].id)

  const order = (o) => ({ phoneNumber: o.phoneNumber, networkId: 42, amount: o.amount, currency: 'GHS', reference: o.reference })
  // (b) proven never created: sold again, exactly once; (a) is not written again
  const resold = await client.topups.create(order(before))
  assert.equal(resold.meta.origin, 'created')
  assert.equal(resold.meta.idempotencyKey, ca.idempotencyKeyFor(before.reference))
  assert.equal((await client.topups.create(order(before))).meta.origin, 'journal')
  const again = await client.topups.create(order(after))
  assert.equal(again.meta.origin, 'journal')
  assert.equal(again.id, committed[0].id)
  assert.equal(env.sb.stats().v2.posts - posts0, 2)
  assert.equal(env.sb.transactions().v2.filter((t) => t.reference === after.reference).length, 1)
  assert.equal(env.sb.transactions().v2.filter((t) => t.reference === before.reference).length, 1)
  assert.equal((await client.journalEntry(before.reference)).state, 'sent')
})
