'use strict'
// Mirrors core/src/v2/topups.rs: create (amount, product), get, list + filters, listAll (async iterator),
// reconcile, wait; idempotency and the duplicate window.
const test = require('node:test')
const assert = require('node:assert/strict')
const { ca, setup, rejects, FAST, ref } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

const GH = '+233541112259'

test('create a custom-amount top-up: 201, pending, exact amounts, handles returned', async () => {
  const reference = ref('amount')
  const r = await env.v2.topups.create({
    phoneNumber: GH, networkId: 42, amount: '12.50', currency: 'GHS', reference,
    sms: { message: 'enjoy' }, metadata: { order: 'A-1', lines: [1, 2], paid: true },
  })
  assert.equal(r.meta.httpStatus, 201)
  assert.equal(r.meta.replayed, false)
  assert.equal(r.meta.attempts, 1)
  assert.equal(r.meta.reference, reference)
  assert.equal(r.meta.origin, 'created')
  assert.equal(r.meta.idempotencyKey, ca.idempotencyKeyFor(reference))
  assert.equal(r.status, 'pending')
  assert.equal(r.reference, reference)
  assert.equal(r.phoneNumber, GH)
  assert.equal(r.network.id, 42)
  assert.equal(r.amount.currency, 'GHS')
  assert.equal(Number(r.amount.value), 12.5)
  assert.equal(typeof r.cost.value, 'string')
  assert.equal(r.cost.currency, 'USD')
  assert.deepEqual(r.sms, { enabled: true, message: 'enjoy' })
  assert.deepEqual(r.metadata, { order: 'A-1', lines: [1, 2], paid: true })
  assert.match(r.createdAt, /^\d{4}-\d\d-\d\dT/)
  // the sandbox saw exactly this one
  const seen = env.sb.transactions().v2.filter((t) => t.reference === reference)
  assert.equal(seen.length, 1)
  assert.equal(seen[0].id, r.id)
})

test('generated reference and idempotency key when none is given; number amounts are read exactly', async () => {
  const r = await env.v2.topups.create({ phoneNumber: '+233241112200', networkId: 42, amount: 0.1 + 0.2 > 0.3 ? 3.3 : 3, currency: 'GHS' })
  assert.match(r.meta.reference, /^ca-[0-9a-f-]{36}$/)
  assert.equal(r.reference, r.meta.reference)
  assert.equal(r.amount.value, '3.3')
})

test('create a bundle top-up by product id (number or string)', async () => {
  const cat = await env.v2.catalog.products(23)
  const bundle = cat.products.fixedBundles[0]
  const a = await env.v2.topups.create({ phoneNumber: '+233201112233', networkId: 23, productId: Number(bundle.id) })
  assert.equal(a.productId, bundle.id)
  const b = env.v2.topups.createSync({ phoneNumber: '+233501112233', networkId: 23, productId: bundle.id })
  assert.equal(b.productId, bundle.id)
  assert.equal(b.meta.httpStatus, 201)
})

test('invalid requests are rejected before any network call, naming the field', async () => {
  const before = env.sb.transactions().v2.length
  const cases = [
    [{ phoneNumber: '233541112259', networkId: 42, amount: '5', currency: 'GHS' }, 'phoneNumber'],
    [{ phoneNumber: GH, networkId: 0, amount: '5', currency: 'GHS' }, 'networkId'],
    [{ phoneNumber: GH, networkId: 42, amount: '-5', currency: 'GHS' }, 'amount'],
    [{ phoneNumber: GH, networkId: 42, amount: 'abc', currency: 'GHS' }, 'amount'],
    [{ phoneNumber: GH, networkId: 42, amount: Number.NaN, currency: 'GHS' }, 'amount'],
    [{ phoneNumber: GH, networkId: 42, amount: '1.23456', currency: 'GHS' }, 'amount'],
    [{ phoneNumber: GH, networkId: 42, amount: '5' }, 'currency'],
    [{ phoneNumber: GH, networkId: 42, amount: '5', currency: 'ghs' }, 'currency'],
    [{ phoneNumber: GH, networkId: 42 }, 'amount'],
    [{ phoneNumber: GH, networkId: 42, amount: '5', currency: 'GHS', productId: '101' }, 'amount'],
    [{ phoneNumber: GH, networkId: 42, amount: '5', currency: 'GHS', callbackUrl: 'http://example.com/x' }, 'callbackUrl'],
  ]
  for (const [opts, field] of cases) {
    const e = await rejects(() => env.v2.topups.create(opts), 'INVALID_INPUT')
    assert.equal(e.field, field, JSON.stringify(opts))
    assert.throws(() => env.v2.topups.createSync(opts), (x) => x.code === 'INVALID_INPUT' && x.field === field)
  }
  assert.equal(env.sb.transactions().v2.length, before)
})

test('get and wait: pending → completed; failed with a reason', async () => {
  const t = await env.v2.topups.create({ phoneNumber: '+233541110001', networkId: 42, amount: '2', currency: 'GHS' })
  const got = await env.v2.topups.get(t.id)
  assert.equal(got.id, t.id)
  assert.ok(['pending', 'processing', 'completed'].includes(got.status))
  const done = await env.v2.topups.wait(t.id, FAST)
  assert.equal(done.status, 'completed')
  assert.match(done.completedAt, /^\d{4}-/)
  assert.equal(env.v2.topups.getSync(t.id).status, 'completed')

  const f = await env.v2.topups.create({ phoneNumber: '+233555000003', networkId: 42, amount: '2', currency: 'GHS' })
  const failed = env.v2.topups.waitSync(f.id, FAST)
  assert.equal(failed.status, 'failed')
  assert.equal(failed.failureReason, 'delivery_failed')
  for (const [num, reason] of [['+233555000004', 'timeout'], ['+233555000005', 'underdelivered'], ['+233555000006', 'cancelled']]) {
    const x = await env.v2.topups.create({ phoneNumber: num, networkId: 42, amount: '2', currency: 'GHS' })
    const w = await env.v2.topups.wait(x.id, FAST)
    assert.equal(w.status, 'failed')
    assert.equal(w.failureReason, reason)
  }
  const nf = await rejects(() => env.v2.topups.get('00000000-0000-4000-8000-000000000000'), 'NOT_FOUND')
  assert.equal(nf.apiCode, 'TRANSACTION_NOT_FOUND')
})

test('a wait past its deadline is STILL_PENDING carrying the transaction id (never TIMEOUT)', async () => {
  const t = await env.v2.topups.create({ phoneNumber: '+233555000010', networkId: 42, amount: '2', currency: 'GHS' })
  const started = Date.now()
  const e = await rejects(() => env.v2.topups.wait(t.id, { deadlineMs: 300, initialIntervalMs: 50 }), 'STILL_PENDING')
  assert.equal(e.transactionId, t.id)
  assert.ok(Date.now() - started < 3000)
})

test('reconcile finds by reference, or returns null', async () => {
  const reference = ref('rec')
  const t = await env.v2.topups.create({ phoneNumber: '+233541110002', networkId: 42, amount: '2', currency: 'GHS', reference })
  const found = await env.v2.topups.reconcile(reference)
  assert.equal(found.id, t.id)
  assert.equal(found.meta.reference, reference)
  assert.equal(await env.v2.topups.reconcile(ref('never-sent')), null)
  assert.equal(env.v2.topups.reconcileSync(ref('never-sent')), null)
  assert.equal(env.v2.topups.reconcileSync(reference).id, t.id)
})

test('the same idempotency key twice returns the existing top-up (replayed), not a second one', async () => {
  const key = `idem-${Date.now()}`
  const reference = ref('idem')
  const a = await env.v2.topups.create({ phoneNumber: '+233541110003', networkId: 42, amount: '3', currency: 'GHS', idempotencyKey: key, reference })
  const b = await env.v2.topups.create({ phoneNumber: '+233541110003', networkId: 42, amount: '3', currency: 'GHS', idempotencyKey: key, reference })
  assert.equal(b.id, a.id)
  assert.equal(b.meta.replayed, true)
  assert.equal(b.meta.origin, 'replayed')
  assert.equal(b.meta.idempotencyKey, key)
  assert.equal(env.sb.transactions().v2.filter((t) => t.reference === reference).length, 1)
})

test('the duplicate window never returns the other sale as this one: DUPLICATE_SALE naming it', async () => {
  const a = await env.v2.topups.create({ phoneNumber: '+233541110004', networkId: 42, amount: '4', currency: 'GHS' })
  const e = await rejects(() => env.v2.topups.create({ phoneNumber: '+233541110004', networkId: 42, amount: '4', currency: 'GHS' }), 'DUPLICATE_SALE')
  assert.equal(e.transactionId, a.id)
  assert.equal(e.existingReference, a.reference)
  assert.notEqual(e.reference, a.reference)
  assert.equal(env.sb.transactions().v2.filter((t) => t.reference === e.reference).length, 0)
})

test('list with filters, sort and pagination meta', async () => {
  const phone = '+233271234500'
  const ids = []
  for (let i = 1; i <= 5; i++) {
    ids.push((await env.v2.topups.create({ phoneNumber: phone, networkId: 24, amount: String(i), currency: 'GHS' })).id)
  }
  const page = await env.v2.topups.list({ phoneNumber: phone, perPage: 2, page: 1, sort: 'created_at' })
  assert.equal(page.length, 2)
  assert.deepEqual(page.map((t) => t.id), ids.slice(0, 2))
  assert.deepEqual(page.meta.pagination, { page: 1, perPage: 2, total: 5, totalPages: 3, hasNext: true, hasPrev: false })
  const last = env.v2.topups.listSync({ phoneNumber: phone, perPage: 2, page: 3, sort: 'created_at' })
  assert.deepEqual(last.map((t) => t.id), ids.slice(4))
  assert.equal(last.meta.pagination.hasNext, false)
  const byRef = await env.v2.topups.list({ reference: page[0].reference })
  assert.equal(byRef.length, 1)
  const today = new Date().toISOString().slice(0, 10)
  const ranged = await env.v2.topups.list({ phoneNumber: phone, from: today, perPage: 100 })
  assert.equal(ranged.length, 5)
  await rejects(() => env.v2.topups.list({ perPage: 101 }), 'INVALID_INPUT')
  await rejects(() => env.v2.topups.list({ sort: 'amount' }), 'INVALID_INPUT')
  await rejects(() => env.v2.topups.list({ from: 'yesterday' }), 'INVALID_INPUT')
})

test('listAll walks every page with for await; listAllSync returns them all', async () => {
  const phone = '+233261234599'
  const ids = new Set()
  for (let i = 1; i <= 7; i++) {
    ids.add((await env.v2.topups.create({ phoneNumber: phone, networkId: 24, amount: String(10 + i), currency: 'GHS' })).id)
  }
  const seen = []
  for await (const t of env.v2.topups.listAll({ phoneNumber: phone, perPage: 3 })) seen.push(t.id)
  assert.equal(seen.length, 7)
  assert.deepEqual(new Set(seen), ids)
  const all = env.v2.topups.listAllSync({ phoneNumber: phone, perPage: 2 })
  assert.deepEqual(new Set(all.map((t) => t.id)), ids)
  // manual iteration, then exhaustion
  const it = env.v2.topups.listAll({ phoneNumber: phone, perPage: 5 })
  let n = 0
  for (let r = await it.next(); !r.done; r = await it.next()) n++
  assert.equal(n, 7)
  assert.deepEqual(await it.next(), { done: true })
  assert.throws(() => env.v2.topups.listAll({ perPage: 0 }), (e) => e.code === 'INVALID_INPUT' && e.field === 'perPage')
})

test('an error while paging rejects next() once and ends the iteration', async () => {
  const phone = '+233261234588'
  for (let i = 1; i <= 3; i++) await env.v2.topups.create({ phoneNumber: phone, networkId: 24, amount: String(20 + i), currency: 'GHS' })
  const it = env.v2.topups.listAll({ phoneNumber: phone, perPage: 2 })
  assert.equal((await it.next()).done, false)
  assert.equal((await it.next()).done, false)
  env.sb.inject({ fault: 'garbage', method: 'GET', path: '/v2/topups', count: 10 })
  await rejects(() => it.next(), 'UNEXPECTED_RESPONSE')
  assert.deepEqual(await it.next(), { done: true })
  env.sb.reset()
})
