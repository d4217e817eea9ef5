'use strict'
// Cancellation with AbortSignal (`{ signal }`, the last argument of every asynchronous call):
//  - a send aborted before its first write rejects CANCELLED and sends nothing; a send already written runs on
//    to its real outcome (never abandoned);
//  - a wait stops polling: CANCELLED with the transaction id and the last status; the sale stands;
//  - reads and journal calls reject CANCELLED at once; a listing stops;
//  - the …Sync twins cannot be cancelled and say so.
const test = require('node:test')
const assert = require('node:assert/strict')
const { getEventListeners } = require('node:events')
const { ca, setup, rejects, ref, tmpJournal, FAST } = require('./helpers')

let env
test.before(async () => { env = await setup({ slowDelayMs: 800 }) })
test.after(() => env.sb.close())

const v2With = (reference) => env.sb.transactions().v2.filter((t) => t.reference === reference)
const v1With = (extRefId) => env.sb.transactions().v1.filter((t) => t.extRefId === extRefId)
const order = (o = {}) => ({ phoneNumber: '+233541113001', networkId: 42, amount: '3', currency: 'GHS', reference: ref('cancel'), ...o })
const tick = (ms) => new Promise((r) => setTimeout(r, ms))

test('a send aborted before it starts: CANCELLED with its reference, nothing written, not even to the journal', async () => {
  const posts = env.sb.stats().v2.posts
  const client = new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: env.sb.baseUrl, journal: tmpJournal() })
  const o = order()
  const reason = new Error('customer walked away')
  const e = await rejects(() => client.topups.create(o, { signal: AbortSignal.abort(reason) }), 'CANCELLED')
  assert.equal(e.reference, o.reference)
  assert.equal(e.idempotencyKey, ca.idempotencyKeyFor(o.reference))
  assert.equal(e.cause, reason)
  assert.match(e.message, /nothing was sent/)
  assert.equal(ca.isDefinitelyNotSent(e.code), true)
  assert.equal(env.sb.stats().v2.posts, posts)
  assert.equal(await client.journalEntry(o.reference), null)
  // the same sale, not cancelled, goes through once
  assert.equal((await client.topups.create(o)).meta.origin, 'created')
  assert.equal(v2With(o.reference).length, 1)

  const extRefId = ref('v1cancel')
  const v1e = await rejects(() => env.v1.sendTopup({ msisdn: '233541113001', amount: '3', extRefId }, { signal: AbortSignal.abort() }), 'CANCELLED')
  assert.equal(v1e.reference, extRefId)
  assert.equal(v1With(extRefId).length, 0)
})

test('a send aborted while it cannot have been received (nothing listens, backing off): CANCELLED, nothing sent', async () => {
  const c = new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: 'http://127.0.0.1:9', sendDeadlineMs: 20000, retryBaseDelayMs: 300, maxRetryDelayMs: 1000 })
  const controller = new AbortController()
  const p = c.topups.create(order(), { signal: controller.signal })
  await tick(300)
  controller.abort()
  const e = await rejects(() => p, 'CANCELLED')
  assert.match(e.message, /nothing was sent/)
})

test('a send already written is never abandoned: aborting it after the POST left settles with the real outcome', async () => {
  const o = order({ phoneNumber: '+233555000009' }) // the answer comes 800 ms after the commit
  const before = env.sb.stats().v2.posts
  const controller = new AbortController()
  const p = env.v2.topups.create(o, { signal: controller.signal })
  while (env.sb.stats().v2.posts === before) await tick(5)
  controller.abort()
  const r = await p
  assert.equal(r.meta.origin, 'created')
  assert.equal(r.reference, o.reference)
  assert.equal(v2With(o.reference).length, 1)
  assert.deepEqual(getEventListeners(controller.signal, 'abort'), [])

  const extRefId = ref('v1written')
  const v1before = env.sb.stats().v1.posts
  const c1 = new AbortController()
  const q = env.v1.sendTopup({ msisdn: '233555000009', amount: '4', extRefId }, { signal: c1.signal })
  while (env.sb.stats().v1.posts === v1before) await tick(5)
  c1.abort()
  assert.equal((await q).extRefId, extRefId)
  assert.equal(v1With(extRefId).length, 1)
})

test('an aborted wait stops polling: CANCELLED with the transaction id and last status, the top-up stands', async () => {
  const t = await env.v2.topups.create(order({ phoneNumber: '+233555000010' }))
  const controller = new AbortController()
  const p = env.v2.topups.wait(t.id, { initialIntervalMs: 30, signal: controller.signal })
  await tick(200)
  const requests = env.sb.stats().v2.requests
  controller.abort('stop')
  const e = await rejects(() => p, 'CANCELLED')
  assert.equal(e.transactionId, t.id)
  assert.equal(e.status, 'processing')
  assert.equal(e.cause, 'stop')
  assert.match(e.message, /stands/)
  assert.equal(ca.isDefinitelyNotSent(e.code), true) // of a wait: it says nothing about the sale, which exists
  await tick(150)
  assert.ok(env.sb.stats().v2.requests - requests <= 1, 'no polling after the abort (one poll may have been in flight)')
  assert.equal((await env.v2.topups.get(t.id)).status, 'processing')

  // a timeout signal, and a signal aborted before the wait starts (no poll at all)
  const x = await rejects(() => env.v2.topups.wait(t.id, { signal: AbortSignal.timeout(100), initialIntervalMs: 20 }), 'CANCELLED')
  assert.equal(x.transactionId, t.id)
  assert.equal(x.cause.name, 'TimeoutError')
  const before = env.sb.stats().v2.requests
  const y = await rejects(() => env.v2.topups.wait(t.id, { signal: AbortSignal.abort() }), 'CANCELLED')
  assert.equal(y.transactionId, t.id)
  assert.equal(env.sb.stats().v2.requests, before, 'nothing polled')
})

test('a wait whose signal never aborts ends as before, and leaves no listener behind', async () => {
  const t = await env.v2.topups.create(order({ amount: '5' }))
  const controller = new AbortController()
  const done = await env.v2.topups.wait(t.id, { ...FAST, signal: controller.signal })
  assert.equal(done.status, 'completed')
  assert.equal(done.isTerminal, true)
  assert.deepEqual(getEventListeners(controller.signal, 'abort'), [])
  const stuck = await env.v2.topups.create(order({ phoneNumber: '+233555000010', amount: '6' }))
  const e = await rejects(() => env.v2.topups.wait(stuck.id, { deadlineMs: 200, initialIntervalMs: 30, signal: controller.signal }), 'STILL_PENDING')
  assert.equal(e.transactionId, stuck.id)
  assert.deepEqual(getEventListeners(controller.signal, 'abort'), [])
})

test('V1 wait: aborted, CANCELLED with the reference, last state and the transaction id seen', async () => {
  const s = await env.v1.sendTopup({ msisdn: '233555000010', amount: '2', processingMode: 'ASYNC' })
  const controller = new AbortController()
  const p = env.v1.wait(s.meta.reference, { initialIntervalMs: 30, signal: controller.signal })
  await tick(150)
  controller.abort()
  const e = await rejects(() => p, 'CANCELLED')
  assert.equal(e.reference, s.meta.reference)
  assert.equal(e.status, 'PROCESSING')
  assert.equal(e.transactionId, s.transactionId)
})

test('reads and journal calls reject CANCELLED at once, while their exchange is still in flight', async () => {
  env.sb.inject({ fault: 'slow', method: 'GET', path: '/v2/balance', delayMs: 1500, count: 1 })
  try {
    const controller = new AbortController()
    const started = Date.now()
    const p = env.v2.balance.list({ signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    const e = await rejects(() => p, 'CANCELLED')
    assert.ok(Date.now() - started < 1000, 'rejected before the slow answer came')
    assert.ok(e.cause instanceof Error && e.cause.name === 'AbortError')
  } finally {
    env.sb.reset()
  }
  const off = { signal: AbortSignal.abort() }
  const calls = [
    () => env.v2.topups.get('x', off), () => env.v2.topups.list({}, off), () => env.v2.topups.reconcile('r', off),
    () => env.v2.catalog.lookup({ phoneNumber: '+233541112259' }, off), () => env.v2.catalog.countries(off),
    () => env.v2.catalog.networks('GH', off), () => env.v2.catalog.products(42, off), () => env.v2.balance.list(off),
    () => env.v2.balance.get('wal_ghs_001', off), () => env.v2.pending(off), () => env.v2.recover(off),
    () => env.v2.journalEntry('r', off), () => env.v1.transactions({ extRefId: 'r' }, off), () => env.v1.reconcile('r', off),
    () => env.v1.productCatalog(off), () => env.v1.products(42, off), () => env.v1.product(4201, off),
    () => env.v1.balances(off), () => env.v1.balance('acc', off), () => env.v1.pending(off), () => env.v1.recover(off),
    () => env.v1.journalEntry('r', off), () => ca.Sandbox.start({}, off),
  ]
  for (const call of calls) await rejects(call, 'CANCELLED')
  // not aborted: the same calls work with a signal
  const live = { signal: new AbortController().signal }
  assert.equal((await env.v2.catalog.products(42, live)).network.id, 42)
  assert.ok((await env.v1.balances(live)).length > 0)
})

test('listAll stops when its signal aborts: next() rejects CANCELLED once, then the iteration is done', async () => {
  const phone = '+233261234577'
  for (let i = 1; i <= 4; i++) await env.v2.topups.create({ phoneNumber: phone, networkId: 24, amount: String(30 + i), currency: 'GHS' })
  const controller = new AbortController()
  const seen = []
  let err
  try {
    for await (const t of env.v2.topups.listAll({ phoneNumber: phone, perPage: 1 }, { signal: controller.signal })) {
      seen.push(t.id)
      if (seen.length === 2) controller.abort()
    }
  } catch (e) {
    err = e
  }
  assert.equal(seen.length, 2)
  assert.ok(err instanceof ca.ClickAirtimeError)
  assert.equal(err.code, 'CANCELLED')
  const it = env.v2.topups.listAll({ phoneNumber: phone }, { signal: AbortSignal.abort() })
  await rejects(() => it.next(), 'CANCELLED')
  assert.deepEqual(await it.next(), { done: true })
  // break out of a for await: the iterator is finished and its listener removed
  const c2 = new AbortController()
  const all = env.v2.topups.listAll({ phoneNumber: phone, perPage: 2 }, { signal: c2.signal })
  for await (const t of all) { assert.ok(t.id); break }
  assert.deepEqual(getEventListeners(c2.signal, 'abort'), [])
  assert.deepEqual(await all.next(), { done: true })
})

test('a signal that is not an AbortSignal, and signals on …Sync twins, are INVALID_INPUT naming signal', async () => {
  for (const bad of [{ signal: 'stop' }, { signal: { aborted: false } }, { signal: 5 }]) {
    const e = await rejects(() => env.v2.topups.get('x', bad), 'INVALID_INPUT')
    assert.equal(e.field, 'signal')
    assert.equal((await rejects(() => env.v2.topups.create(order(), bad), 'INVALID_INPUT')).field, 'signal')
    assert.equal((await rejects(() => env.v2.topups.wait('x', bad), 'INVALID_INPUT')).field, 'signal')
    assert.throws(() => env.v2.topups.listAll({}, bad), (x) => x instanceof ca.ClickAirtimeError && x.field === 'signal')
  }
  assert.equal((await rejects(() => env.v2.topups.get('x', 'fast'), 'INVALID_INPUT')).field, 'options')
  const signal = new AbortController().signal
  assert.throws(() => env.v2.topups.waitSync('x', { signal }), (e) => e instanceof ca.ClickAirtimeError && e.code === 'INVALID_INPUT' && e.field === 'signal' && /cannot be cancelled/.test(e.message))
  assert.throws(() => env.v1.waitSync('x', { signal }), (e) => e.code === 'INVALID_INPUT' && e.field === 'signal')
})
