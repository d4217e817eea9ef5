'use strict'
// The crash-safe journal and the handles before the write, from Node: `journal` / `convergenceBoundMs` client
// options, `topups.prepare` / `prepareTopup`, `newReference`, `idempotencyKeyFor`, `pending()`, `recover()`,
// `journalEntry()` (Promise and Sync twins), against the sandbox, counting the writes it received.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { ca, setup, rejects, ref, tmpJournal, until } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

const v2With = (reference) => env.sb.transactions().v2.filter((t) => t.reference === reference)
const v1With = (extRefId) => env.sb.transactions().v1.filter((t) => t.extRefId === extRefId)
const posts = () => env.sb.stats()
const v2 = (o = {}) => new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: env.sb.baseUrl, timeoutMs: 10000, ...o })
const v1 = (o = {}) => new ca.V1Client({ email: env.sb.v1Email, token: env.sb.v1Token, baseUrl: env.sb.baseUrl, timeoutMs: 10000, ...o })

test('newReference, idempotencyKeyFor: fresh references, a key derived from the reference alone', () => {
  const a = ca.newReference()
  const b = ca.newReference()
  assert.match(a, /^ca-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  assert.notEqual(a, b)
  assert.equal(ca.idempotencyKeyFor('sale-1'), ca.idempotencyKeyFor('sale-1'))
  assert.notEqual(ca.idempotencyKeyFor('sale-1'), ca.idempotencyKeyFor('sale-2'))
  assert.match(ca.idempotencyKeyFor('sale-1'), /^ca2-[0-9a-f]{40}$/)
  assert.throws(() => ca.idempotencyKeyFor(''), (e) => e instanceof ca.ClickAirtimeError && e.code === 'INVALID_INPUT' && e.field === 'reference')
})

test('topups.prepare fixes the reference and key before anything is sent; create(prepared) uses them', async () => {
  const before = posts().v2.posts
  const p = env.v2.topups.prepare({ phoneNumber: '+233541112301', networkId: 42, amount: 5.5, currency: 'GHS', metadata: { till: 3 } })
  assert.equal(posts().v2.posts, before, 'prepare sends nothing')
  assert.match(p.reference, /^ca-/)
  assert.equal(p.idempotencyKey, ca.idempotencyKeyFor(p.reference))
  assert.equal(p.amount, '5.5')
  assert.deepEqual(p.metadata, { till: 3 })
  // what a till writes down and reads back after a restart
  const stored = JSON.parse(JSON.stringify(p))
  const r = await env.v2.topups.create(stored)
  assert.equal(r.meta.reference, p.reference)
  assert.equal(r.meta.idempotencyKey, p.idempotencyKey)
  assert.equal(r.reference, p.reference)
  // yours are kept
  const mine = env.v2.topups.prepare({ phoneNumber: '+233541112301', networkId: 42, productId: 101, reference: 'sale-77', idempotencyKey: 'key-77' })
  assert.equal(mine.reference, 'sale-77')
  assert.equal(mine.idempotencyKey, 'key-77')
  assert.equal(mine.productId, '101')
  // and invalid orders are refused before they could be written down
  assert.throws(() => env.v2.topups.prepare({ phoneNumber: '+233541112301', networkId: 42, amount: '5.123', currency: 'GHS' }), (e) => e.code === 'INVALID_INPUT' && e.field === 'amount')
})

test('V1 prepareTopup fixes the extRefId', async () => {
  const p = env.v1.prepareTopup({ msisdn: '233541112302', amount: '3' })
  assert.match(p.extRefId, /^ca-/)
  assert.equal(p.processingMode, 'SYNC')
  assert.equal(p.sendSms, false)
  const r = await env.v1.sendTopup(p)
  assert.equal(r.meta.reference, p.extRefId)
  assert.equal(v1With(p.extRefId).length, 1)
  // a number as people type it is normalised to the V1 form; a number that cannot exist is refused
  assert.equal(env.v1.prepareTopup({ msisdn: '+233 54 111 2302', amount: '3' }).msisdn, '233541112302')
  assert.throws(() => env.v1.prepareTopup({ msisdn: '2335411', amount: '3' }), (e) => e.code === 'INVALID_INPUT' && e.field === 'msisdn')
})

test('V2 journal: a second create of the same reference does not write again (origin "journal")', async () => {
  const journal = tmpJournal()
  const c = v2({ journal })
  const reference = ref('j2')
  const order = { phoneNumber: '+233541112303', networkId: 42, amount: '4', currency: 'GHS', reference }
  const before = posts().v2.posts
  const a = await c.topups.create(order)
  assert.equal(a.meta.origin, 'created')
  const b = await c.topups.create(order)
  assert.equal(b.meta.origin, 'journal')
  assert.equal(b.meta.replayed, true)
  assert.equal(b.meta.attempts, 0)
  assert.equal(b.id, a.id)
  // a fresh client (a restart) on the same file, and the sync twin
  const again = v2({ journal }).topups.createSync(order)
  assert.equal(again.meta.origin, 'journal')
  assert.equal(again.id, a.id)
  assert.equal(posts().v2.posts - before, 1, 'one write reached the API')
  assert.equal(v2With(reference).length, 1)

  const e = await c.journalEntry(reference)
  assert.equal(e.api, 'v2')
  assert.equal(e.reference, reference)
  assert.equal(e.idempotencyKey, ca.idempotencyKeyFor(reference))
  assert.equal(e.state, 'sent')
  assert.equal(e.writes, 1)
  assert.equal(e.transactionId, a.id)
  assert.equal(e.record.id, a.id)
  assert.equal(e.record.amount.value, a.amount.value)
  assert.equal(JSON.parse(e.request).reference, reference)
  for (const t of [e.createdAt, e.updatedAt, e.lastWriteAt]) {
    assert.equal(typeof t, 'number')
    assert.ok(Math.abs(Date.now() - t) < 60000)
  }
  assert.deepEqual(c.journalEntrySync(reference), e)
  assert.equal(await c.journalEntry(ref('never')), null)
  assert.deepEqual(await c.pending(), [])
  assert.deepEqual(c.pendingSync(), [])
})

test('V1 journal: a second send of the same extRefId does not write again', async () => {
  const journal = tmpJournal()
  const c = v1({ journal })
  const extRefId = ref('j1')
  const before = posts().v1.posts
  const a = await c.sendTopup({ msisdn: '233541112304', amount: '4', extRefId })
  const b = c.sendTopupSync({ msisdn: '233541112304', amount: '4', extRefId })
  assert.equal(a.meta.origin, 'created')
  assert.equal(b.meta.origin, 'journal')
  assert.equal(b.transactionId, a.transactionId)
  assert.equal(posts().v1.posts - before, 1)
  assert.equal(v1With(extRefId).length, 1)
  const e = c.journalEntrySync(extRefId)
  assert.equal(e.api, 'v1')
  assert.equal(e.state, 'sent')
  assert.equal(e.transactionId, a.transactionId)
  assert.equal(e.record.transactionId, a.transactionId)
  assert.equal(e.idempotencyKey, undefined)
})

test('the journal refuses a different sale under a reference it holds: REFERENCE_CONFLICT, nothing written', async () => {
  const c = v2({ journal: tmpJournal() })
  const reference = ref('jconflict')
  await c.topups.create({ phoneNumber: '+233541112305', networkId: 42, amount: '4', currency: 'GHS', reference })
  const before = posts().v2.posts
  const e = await rejects(() => c.topups.create({ phoneNumber: '+233541112305', networkId: 42, amount: '40', currency: 'GHS', reference }), 'REFERENCE_CONFLICT')
  assert.equal(e.reference, reference)
  assert.equal(e.existingReference, reference)
  assert.equal(posts().v2.posts, before)
})

test('two clients on one journal: a reference being sent is not written by the other (OUTCOME_UNKNOWN)', async () => {
  const journal = tmpJournal()
  const a = v2({ journal })
  const b = v2({ journal })
  const reference = ref('jbusy')
  const order = { phoneNumber: '+233555000009', networkId: 42, amount: '4', currency: 'GHS', reference } // answer delayed
  const before = posts().v2.posts
  const first = a.topups.create(order)
  await until(() => posts().v2.posts > before, 5000, 10, 'the first write')
  const e = await rejects(() => b.topups.create(order), 'OUTCOME_UNKNOWN')
  assert.match(e.message, /another process or thread/)
  assert.equal(e.reference, reference)
  const r = await first
  assert.equal(r.meta.origin, 'created')
  assert.equal((await b.topups.create(order)).meta.origin, 'journal')
  assert.equal(posts().v2.posts - before, 1)
  assert.equal(v2With(reference).length, 1)
})

test('an unknown outcome is journaled; pending() lists it; recover() settles it as sent with its record', async () => {
  const journal = tmpJournal()
  const c = v2({ journal, sendDeadlineMs: 600, maxRetries: 0, retryBaseDelayMs: 10 })
  const reference = ref('junknown')
  const order = { phoneNumber: '+233555000007', networkId: 42, amount: '4', currency: 'GHS', reference }
  env.sb.inject({ fault: 'drop_before_commit', method: 'GET', path: '/v2/topups', count: 1000 })
  let e
  try {
    e = await rejects(() => c.topups.create(order), 'OUTCOME_UNKNOWN')
  } finally {
    await fetch(`${env.sb.baseUrl}/_sandbox/faults`, { method: 'DELETE' })
  }
  assert.equal(e.reference, reference)
  const [p, ...rest] = await c.pending()
  assert.deepEqual(rest, [])
  assert.equal(p.reference, reference)
  assert.equal(p.state, 'unknown')
  assert.equal(p.errorKind, 'OUTCOME_UNKNOWN')
  assert.equal(p.writes, 1)
  assert.equal(p.record, undefined)

  const before = posts().v2.posts
  const recovered = await c.recover()
  assert.equal(recovered.length, 1)
  const { entry, record } = recovered[0]
  const committed = v2With(reference)
  assert.equal(committed.length, 1)
  assert.equal(entry.state, 'sent')
  assert.equal(entry.transactionId, committed[0].id)
  assert.equal(entry.record.id, committed[0].id)
  assert.equal(record.id, committed[0].id)
  assert.equal(record.meta.origin, 'recovered')
  assert.equal(record.meta.reference, reference)
  assert.deepEqual(c.pendingSync(), [])
  assert.deepEqual(c.recoverSync(), [])
  // selling it again returns the recorded outcome, never a second top-up
  assert.equal((await c.topups.create(order)).meta.origin, 'journal')
  assert.equal(posts().v2.posts, before, 'recover() and the re-sell wrote nothing')
})

test('a journal that cannot be opened is a JOURNAL error before anything is sent', () => {
  const missing = path.join(path.dirname(tmpJournal()), 'no', 'such', 'dir', 'j.sqlite')
  for (const make of [
    () => v2({ journal: missing }),
    () => v1({ journal: missing }),
  ]) {
    assert.throws(make, (e) => e instanceof ca.ClickAirtimeError && e.code === 'JOURNAL' && /journal/.test(e.message))
  }
  const notSqlite = tmpJournal('notes.txt')
  fs.writeFileSync(notSqlite, 'this is not an SQLite database, it is a shopping list: milk, eggs, airtime '.repeat(20))
  assert.throws(() => v2({ journal: notSqlite }), (e) => e.code === 'JOURNAL')
})

test('without a journal: pending() is empty, journalEntry() null, recover() INVALID_INPUT naming journal', async () => {
  assert.deepEqual(await env.v2.pending(), [])
  assert.equal(env.v2.journalEntrySync('x'), null)
  assert.deepEqual(env.v1.pendingSync(), [])
  const e = await rejects(() => env.v2.recover(), 'INVALID_INPUT')
  assert.equal(e.field, 'journal')
  await rejects(() => env.v1.recoverSync(), 'INVALID_INPUT')
})
