'use strict'
// Async that cannot starve the host. libuv's thread pool (4 threads by default, UV_THREADPOOL_SIZE) serves
// fs, dns.lookup, zlib and crypto for the whole process; the SDK never uses it. Blocking work runs on the SDK's
// own threads and waits sleep on JS timers between single exchanges, so with more waits (and more slow calls)
// pending than libuv has threads, file and DNS work still completes and timers keep firing first; and with more
// waits pending than the SDK's own pool has threads, a new call of the SDK still runs: a pending wait holds none.
// Ordering assertions, not timing ones: "X happened before any wait settled".
const test = require('node:test')
const assert = require('node:assert/strict')
const dns = require('node:dns')
const fs = require('node:fs')
const path = require('node:path')
const { getEventListeners } = require('node:events')
const native = require('../index.js')
const { ca, setup, ref } = require('./helpers')

let env
// no duplicate window (the waits' top-ups are the same sale to one number) and no 429 for the waits' polls
test.before(async () => { env = await setup({ duplicateWindowMs: 0, rateLimitPerMinute: 1000000 }) })
test.after(() => env.sb.close())

const POOL = Number(process.env.UV_THREADPOOL_SIZE || 4)
// The most threads the SDK's own pool runs at once (MAX_THREADS in src/pool.rs, read from the source so this
// follows it). More jobs than that queue for a thread; so if a pending wait held a thread, with more pending
// waits than this no other call of the SDK could run until one settled. Each wait here stays pending until it
// is aborted (STUCK), so a new call that completes meanwhile proves the waits hold none.
const SDK_MAX = Number(/const MAX_THREADS: usize = (\d+);/.exec(fs.readFileSync(path.join(__dirname, '..', 'src', 'pool.rs'), 'utf8'))[1])
const STUCK = '+233555000010' // stays `processing` for 30 minutes

/** Resolve when `cond()` holds, checking on a timer (never blocking the loop). */
const until = (cond, what, ms = 20000) => new Promise((resolve, reject) => {
  const end = Date.now() + ms
  const t = setInterval(() => {
    if (cond()) { clearInterval(t); resolve() } else if (Date.now() > end) { clearInterval(t); reject(new Error(`not reached: ${what}`)) }
  }, 5)
})

test(`with more waits pending than the SDK's pool has threads (${SDK_MAX} + 8), fs.readFile, dns.lookup, a new SDK call and a 10 ms interval all complete before any wait settles`, { timeout: 120000 }, async () => {
  const n = SDK_MAX + 8
  assert.ok(n > POOL, 'more waits than libuv has threads too')
  const created = await Promise.all(Array.from({ length: n }, () =>
    env.v2.topups.create({ phoneNumber: STUCK, networkId: 42, amount: '2', currency: 'GHS', reference: ref('stuck') })))
  assert.equal(new Set(created.map((t) => t.id)).size, n, 'one top-up per wait')
  const events = []
  const controller = new AbortController()
  const before = env.sb.stats().v2.requests
  // every wait polls (one exchange on the SDK's threads) every 50-200 ms, all the time
  const waits = created.map((t) => env.v2.topups.wait(t.id, { initialIntervalMs: 50, maxIntervalMs: 200, signal: controller.signal })
    .then(() => events.push('wait resolved'), (e) => { events.push(`wait ${e.code}`); return e }))
  let ticks = 0
  const interval = setInterval(() => { ticks++; if (ticks <= 5) events.push('tick') }, 10)
  try {
    // every wait under way (at least two polls each on average) before asking libuv or the SDK for anything
    await until(() => env.sb.stats().v2.requests - before >= 2 * n, `${2 * n} polls`)
    const file = fs.promises.readFile(__filename, 'utf8').then((s) => { events.push('readFile'); return s })
    const lookup = dns.promises.lookup('localhost').then((a) => { events.push('dns.lookup'); return a })
    // a wait that held a thread while pending would leave none of the SDK's for this call: it would queue
    // until a wait settled (never, before the abort below)
    const call = env.v2.balance.list().then((b) => { events.push('sdk call'); return b })
    const [text, addr, balance] = await Promise.all([file, lookup, call])
    assert.match(text, /cannot starve/)
    assert.ok(addr.address)
    assert.equal(balance.meta.httpStatus, 200)
    await until(() => ticks >= 5, 'five ticks')
    assert.ok(!events.some((e) => e.startsWith('wait')), `a wait settled first: ${events.join(', ')}`)
    assert.deepEqual(events.filter((e) => e !== 'tick').sort(), ['dns.lookup', 'readFile', 'sdk call'])
    assert.equal(events.filter((e) => e === 'tick').length, 5)
    assert.ok(native.__sdkThreadsForTests() <= SDK_MAX, `${native.__sdkThreadsForTests()} SDK threads`)
  } finally {
    clearInterval(interval)
    controller.abort()
  }
  // then cancel: every wait ends CANCELLED with its transaction and last status; the top-ups stand
  const ended = await Promise.all(waits)
  for (const [i, e] of ended.entries()) {
    assert.ok(e instanceof ca.ClickAirtimeError, String(e))
    assert.equal(e.code, 'CANCELLED')
    assert.equal(e.transactionId, created[i].id)
    assert.equal(e.status, 'processing')
  }
  assert.equal(events.filter((e) => e === 'wait CANCELLED').length, n)
  assert.deepEqual(getEventListeners(controller.signal, 'abort'), [], 'no listener left on the signal')
  const now = await Promise.all(created.map((t) => env.v2.topups.get(t.id)))
  assert.ok(now.every((t) => t.status === 'processing'))
})

test('with 2×pool slow exchanges in flight at once, fs and dns are not queued behind them', { timeout: 60000 }, async () => {
  const n = POOL * 2
  env.sb.inject({ fault: 'slow', method: 'GET', path: '/v2/balance', delayMs: 1500, count: n })
  const events = []
  try {
    const reads = Array.from({ length: n }, () => env.v2.balance.list().then(() => events.push('read')))
    const v1 = Array.from({ length: n }, () => env.v1.sendTopup({ msisdn: '233555000009', amount: '2' }).then(() => events.push('send')))
    await new Promise((r) => setTimeout(r, 100))
    await Promise.all([
      fs.promises.readFile(__filename).then(() => events.push('readFile')),
      dns.promises.lookup('localhost').then(() => events.push('dns.lookup')),
    ])
    assert.deepEqual(events.sort(), ['dns.lookup', 'readFile'], 'libuv work finished before any slow call')
    await Promise.all([...reads, ...v1])
    assert.equal(events.filter((e) => e === 'read').length, n)
    assert.equal(events.filter((e) => e === 'send').length, n)
  } finally {
    env.sb.reset()
  }
  // the work ran on the SDK's own threads (they exit when idle; libuv's pool is never asked)
  assert.ok(native.__sdkThreadsForTests() >= n, `only ${native.__sdkThreadsForTests()} SDK threads`)
})

test('a V1 wait holds no thread either: 2×pool V1 waits pending, file work completes first', { timeout: 60000 }, async () => {
  const n = POOL * 2
  const sent = await Promise.all(Array.from({ length: n }, () =>
    env.v1.sendTopup({ msisdn: '233555000010', amount: '2', processingMode: 'ASYNC' })))
  const controller = new AbortController()
  const events = []
  const waits = sent.map((s) => env.v1.wait(s.meta.reference, { initialIntervalMs: 20, maxIntervalMs: 50, signal: controller.signal })
    .then(() => events.push('wait resolved'), (e) => { events.push('wait'); return e }))
  await new Promise((r) => setTimeout(r, 100))
  await fs.promises.readFile(__filename).then(() => events.push('readFile'))
  assert.deepEqual(events, ['readFile'])
  controller.abort()
  for (const [i, e] of (await Promise.all(waits)).entries()) {
    assert.equal(e.code, 'CANCELLED')
    assert.equal(e.reference, sent[i].meta.reference)
    assert.equal(e.status, 'PROCESSING')
  }
})
