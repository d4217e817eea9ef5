'use strict'
// The five ends of a send (issue 10), from Node, against the sandbox: success only for a record verified to be
// this sale (meta.origin says how it was obtained); DUPLICATE_SALE / REFERENCE_CONFLICT naming the other sale;
// OUTCOME_UNKNOWN (reference, key, causeKind) once a write may have been received and nothing settled it;
// STILL_PENDING from waits; any other code only when nothing was created. Every test counts what the sandbox
// holds afterwards.
const test = require('node:test')
const assert = require('node:assert/strict')
const { ca, setup, rejects, ref, FAST } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

const v2With = (reference) => env.sb.transactions().v2.filter((t) => t.reference === reference)
const v1With = (extRefId) => env.sb.transactions().v1.filter((t) => t.extRefId === extRefId)
const v2Client = (o = {}) => new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: env.sb.baseUrl, ...o })
const v1Client = (o = {}) => new ca.V1Client({ email: env.sb.v1Email, token: env.sb.v1Token, baseUrl: env.sb.baseUrl, ...o })

// ---------------------------------------------------------------- success: created / recovered / replayed

test('V2 created: origin "created", the handles in meta', async () => {
  const reference = ref('v2created')
  const r = await env.v2.topups.create({ phoneNumber: '+233541112201', networkId: 42, amount: '5', currency: 'GHS', reference })
  assert.equal(r.meta.origin, 'created')
  assert.equal(r.meta.replayed, false)
  assert.equal(r.meta.reference, reference)
  assert.equal(r.meta.idempotencyKey, ca.idempotencyKeyFor(reference))
  assert.equal(v2With(reference).length, 1)
})

test('V2, answer dropped after commit (magic 07): our record is found, origin "recovered", not re-sent', async () => {
  const reference = ref('v2drop')
  const r = await env.v2.topups.create({ phoneNumber: '+233555000007', networkId: 42, amount: '5', currency: 'GHS', reference })
  const found = v2With(reference)
  assert.equal(found.length, 1)
  assert.equal(r.id, found[0].id)
  assert.equal(r.meta.origin, 'recovered')
  assert.equal(r.meta.replayed, true)
  assert.equal(r.meta.reference, reference)
  assert.equal(r.meta.attempts, 1)
})

test('V2, late commit (no answer, commits after the client gave up): found by the lookups, origin "recovered"', async () => {
  const reference = ref('v2late')
  const before = env.sb.stats().v2.posts
  env.sb.inject({ fault: 'late_commit', method: 'POST', path: '/v2/topups', delayMs: 700 })
  const c = v2Client({ timeoutMs: 300, readTimeoutMs: 300, sendDeadlineMs: 8000, retryBaseDelayMs: 50, maxRetryDelayMs: 200 })
  const r = await c.topups.create({ phoneNumber: '+233541112202', networkId: 42, amount: '5', currency: 'GHS', reference })
  assert.equal(r.meta.origin, 'recovered')
  assert.equal(r.meta.attempts, 1)
  assert.equal(env.sb.stats().v2.posts - before, 1, 'written once')
  const found = v2With(reference)
  assert.equal(found.length, 1)
  assert.equal(r.id, found[0].id)
})

test('V1, answer dropped after commit: found by extRefId, origin "recovered"', async () => {
  const extRefId = ref('v1drop')
  const r = await env.v1.sendTopup({ msisdn: '233555000007', amount: '5', extRefId })
  const found = v1With(extRefId)
  assert.equal(found.length, 1)
  assert.equal(r.transactionId, found[0].transactionId)
  assert.equal(r.meta.origin, 'recovered')
  assert.equal(r.meta.reference, extRefId)
  assert.equal(r.meta.attempts, 1)
})

test('V2, the same order sent twice (same reference, so the same key): origin "replayed", one top-up', async () => {
  const reference = ref('v2again')
  const order = { phoneNumber: '+233541112203', networkId: 42, amount: '6', currency: 'GHS', reference }
  const a = await env.v2.topups.create(order)
  const b = env.v2.topups.createSync(order)
  assert.equal(b.id, a.id)
  assert.equal(b.meta.origin, 'replayed')
  assert.equal(b.meta.replayed, true)
  assert.equal(v2With(reference).length, 1)
})

// ---------------------------------------------------------------- refused for another sale

test('V2 duplicate window (200 + the other sale): DUPLICATE_SALE naming it; this sale was not created', async () => {
  const first = ref('dupA')
  const second = ref('dupB')
  const sale = { phoneNumber: '+233541112204', networkId: 42, amount: '7', currency: 'GHS' }
  const a = await env.v2.topups.create({ ...sale, reference: first })
  const e = await rejects(() => env.v2.topups.create({ ...sale, reference: second }), 'DUPLICATE_SALE')
  assert.equal(e.transactionId, a.id)
  assert.equal(e.existingReference, first)
  assert.equal(e.reference, second)
  assert.equal(e.idempotencyKey, ca.idempotencyKeyFor(second))
  assert.match(e.message, /duplicate/)
  assert.equal(ca.isDefinitelyNotSent(e.code), true)
  assert.equal(v2With(second).length, 0)
  assert.equal(v2With(first).length, 1)
})

test('V2 duplicate window read as a 409 (duplicate_mode conflict): DUPLICATE_SALE naming the other sale', async () => {
  env.sb.configure({ duplicateMode: 'conflict' })
  try {
    const first = ref('dup409A')
    const second = ref('dup409B')
    const sale = { phoneNumber: '+233541112205', networkId: 42, amount: '8', currency: 'GHS' }
    const a = await env.v2.topups.create({ ...sale, reference: first })
    const e = await rejects(() => env.v2.topups.create({ ...sale, reference: second }), 'DUPLICATE_SALE')
    assert.equal(e.httpStatus, 409)
    assert.equal(e.transactionId, a.id)
    assert.equal(e.existingReference, first)
    assert.equal(v2With(second).length, 0)
  } finally {
    env.sb.configure({ duplicateMode: 'existing' })
  }
})

test('V1 near-duplicate (code 50): DUPLICATE_SALE naming the other sale; nothing created for this one', async () => {
  env.sb.configure({ v1DuplicateWindowMs: 5000 })
  try {
    const first = ref('v1dupA')
    const second = ref('v1dupB')
    const a = await env.v1.sendTopup({ msisdn: '233541112206', amount: '9', extRefId: first })
    const e = await rejects(() => env.v1.sendTopup({ msisdn: '233541112206', amount: '9', extRefId: second }), 'DUPLICATE_SALE')
    assert.equal(e.apiCode, '50')
    assert.equal(e.reference, second)
    assert.equal(e.transactionId, a.transactionId)
    assert.equal(e.existingReference, first)
    assert.equal(v1With(second).length, 0)
  } finally {
    env.sb.configure({ v1DuplicateWindowMs: 0 })
  }
})

test('V2 reference reused for another sale: REFERENCE_CONFLICT naming the sale that holds it', async () => {
  const reference = ref('v2conflict')
  const a = await env.v2.topups.create({ phoneNumber: '+233541112207', networkId: 42, amount: '10', currency: 'GHS', reference })
  const e = await rejects(() => env.v2.topups.create({ phoneNumber: '+233241112207', networkId: 42, amount: '11', currency: 'GHS', reference }), 'REFERENCE_CONFLICT')
  assert.equal(e.transactionId, a.id)
  assert.equal(e.existingReference, reference)
  assert.equal(e.reference, reference)
  assert.match(e.message, /new reference/)
  assert.equal(v2With(reference).length, 1)
})

test('V1 extRefId reused for another sale (code 90): REFERENCE_CONFLICT naming it; never its success', async () => {
  const extRefId = ref('v1conflict')
  const a = await env.v1.sendTopup({ msisdn: '233541112208', amount: '12', extRefId })
  const e = await rejects(() => env.v1.sendTopup({ msisdn: '233241112208', amount: '13', extRefId }), 'REFERENCE_CONFLICT')
  assert.equal(e.transactionId, a.transactionId)
  assert.equal(e.existingReference, extRefId)
  assert.equal(v1With(extRefId).length, 1)
})

test('a lookup that answers another sale under our reference is never success', async () => {
  const reference = ref('foreign')
  env.sb.inject({ fault: 'foreign_record', method: 'GET', path: '/v2/topups', count: 1000 })
  try {
    const c = v2Client({ sendDeadlineMs: 800, retryBaseDelayMs: 20, maxRetryDelayMs: 100 })
    const e = await rejects(() => c.topups.create({ phoneNumber: '+233555000007', networkId: 42, amount: '14', currency: 'GHS', reference }), 'OUTCOME_UNKNOWN')
    assert.equal(e.reference, reference)
    assert.equal(e.causeKind, 'REFERENCE_CONFLICT')
  } finally {
    await fetch(`${env.sb.baseUrl}/_sandbox/faults`, { method: 'DELETE' })
  }
  // the real record is ours and is found once the lookups are honest again
  assert.equal((await env.v2.topups.reconcile(reference)).id, v2With(reference)[0].id)
})

// ---------------------------------------------------------------- outcome unknown

test('V2, connection dropped before commit: OUTCOME_UNKNOWN with reference, key and causeKind; nothing created', async () => {
  const reference = ref('v2nocommit')
  env.sb.inject({ fault: 'drop_before_commit', method: 'POST', path: '/v2/topups' })
  const c = v2Client({ sendDeadlineMs: 1200, retryBaseDelayMs: 50, maxRetryDelayMs: 200 })
  const started = Date.now()
  const e = await rejects(() => c.topups.create({ phoneNumber: '+233541112209', networkId: 42, amount: '15', currency: 'GHS', reference }), 'OUTCOME_UNKNOWN')
  assert.ok(Date.now() - started < 5000, 'sendDeadlineMs bounds the send')
  assert.equal(e.reference, reference)
  assert.equal(e.idempotencyKey, ca.idempotencyKeyFor(reference))
  assert.equal(e.causeKind, 'CONNECTION')
  assert.match(e.message, /Do not sell it again/)
  assert.equal(ca.isDefinitelyNotSent(e.code), false)
  assert.equal(v2With(reference).length, 0)
})

test('V2, 500 before commit (magic 08): OUTCOME_UNKNOWN (causeKind API_ERROR) until absence is proven', async () => {
  const reference = ref('v2-500')
  const c = v2Client({ sendDeadlineMs: 800, retryBaseDelayMs: 20, maxRetryDelayMs: 100 })
  const e = await rejects(() => c.topups.create({ phoneNumber: '+233555000008', networkId: 42, amount: '16', currency: 'GHS', reference }), 'OUTCOME_UNKNOWN')
  assert.equal(e.causeKind, 'API_ERROR')
  assert.equal(e.httpStatus, 500)
  assert.equal(e.reference, reference)
  assert.equal(v2With(reference).length, 0)
})

test('V2, 500 before commit, convergence bound passed: absence proven, re-sent once with the same key', async () => {
  const reference = ref('v2-500-resend')
  const c = v2Client({ convergenceBoundMs: 200, sendDeadlineMs: 5000, retryBaseDelayMs: 20, maxRetryDelayMs: 100 })
  const r = await c.topups.create({ phoneNumber: '+233555000008', networkId: 42, amount: '17', currency: 'GHS', reference })
  assert.equal(r.meta.origin, 'created')
  assert.equal(r.meta.attempts, 2)
  const found = v2With(reference)
  assert.equal(found.length, 1)
  assert.equal(r.id, found[0].id)
})

test('V1, 500 before commit: OUTCOME_UNKNOWN, then (bound passed) re-sent once, exactly one transaction', async () => {
  const unknown = ref('v1-500')
  const e = await rejects(() => v1Client({ sendDeadlineMs: 800, retryBaseDelayMs: 20 }).sendTopup({ msisdn: '233555000008', amount: '5', extRefId: unknown }), 'OUTCOME_UNKNOWN')
  assert.equal(e.reference, unknown)
  assert.equal(e.causeKind, 'API_ERROR')
  assert.equal(v1With(unknown).length, 0)
  const extRefId = ref('v1-500-resend')
  const r = v1Client({ convergenceBoundMs: 200, sendDeadlineMs: 5000, retryBaseDelayMs: 20 }).sendTopupSync({ msisdn: '233555000008', amount: '5', extRefId })
  const found = v1With(extRefId)
  assert.equal(found.length, 1)
  assert.equal(r.transactionId, found[0].transactionId)
  assert.equal(r.meta.attempts, 2)
})

for (const version of ['v2', 'v1']) {
  test(`${version}: dropped after commit with lookups failing is OUTCOME_UNKNOWN, and its reference finds exactly one later`, async () => {
    const reference = ref(`${version}-unknown`)
    const path = version === 'v2' ? '/v2/topups' : '/adp/transactions'
    env.sb.inject({ fault: 'drop_before_commit', method: 'GET', path, count: 40 })
    const opts = { sendDeadlineMs: 500, maxRetries: 0, retryBaseDelayMs: 5 }
    const v2 = v2Client(opts)
    const v1 = v1Client(opts)
    const send = version === 'v2'
      ? () => v2.topups.create({ phoneNumber: '+233555000007', networkId: 42, amount: '6', currency: 'GHS', reference })
      : () => v1.sendTopup({ msisdn: '233555000007', amount: '5', extRefId: reference })
    const e = await rejects(send, 'OUTCOME_UNKNOWN')
    assert.equal(e.reference, reference)
    assert.ok(e.causeKind)
    // the network heals: use up the remaining injected faults, then reconcile with the reference
    const reconcile = version === 'v2' ? () => v2.topups.reconcile(reference) : () => v1.reconcile(reference)
    let found = null
    for (let i = 0; i < 41 && !found; i++) found = await reconcile().catch(() => null)
    assert.ok(found, 'reconcile found it')
    const committed = version === 'v2' ? v2With(reference) : v1With(reference)
    assert.equal(committed.length, 1)
    if (version === 'v2') assert.equal(found.id, committed[0].id)
    else assert.equal(found.transactionId, committed[0].transactionId)
  })
}

test('V1, a proxy\'s HTML 404 to the lookups is not "no such transaction": never re-sent, OUTCOME_UNKNOWN', async () => {
  const extRefId = ref('v1html')
  const before = env.sb.stats().v1.posts
  env.sb.inject({ fault: 'html_404', method: 'GET', path: '/adp/transactions', count: 1000 })
  try {
    // even with absence provable after 100 ms, an HTML 404 proves nothing
    const c = v1Client({ convergenceBoundMs: 100, sendDeadlineMs: 1000, retryBaseDelayMs: 20 })
    const e = await rejects(() => c.sendTopup({ msisdn: '233555000007', amount: '6', extRefId }), 'OUTCOME_UNKNOWN')
    assert.equal(e.reference, extRefId)
  } finally {
    await fetch(`${env.sb.baseUrl}/_sandbox/faults`, { method: 'DELETE' })
  }
  assert.equal(env.sb.stats().v1.posts - before, 1, 'written once')
  assert.equal(v1With(extRefId).length, 1)
})

// ---------------------------------------------------------------- not sent

test('nothing listening: CONNECTION, definitely not sent', async () => {
  const c = new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: 'http://127.0.0.1:9', maxRetries: 0, retryBaseDelayMs: 5 })
  const e = await rejects(() => c.topups.create({ phoneNumber: '+233541112210', networkId: 42, amount: '5', currency: 'GHS' }), 'CONNECTION')
  assert.equal(ca.isDefinitelyNotSent(e.code), true)
  assert.match(e.reference, /^ca-/)
})

// ---------------------------------------------------------------- still pending

test('V2 wait past its deadline: STILL_PENDING with the transaction id and last status (it exists)', async () => {
  const t = await env.v2.topups.create({ phoneNumber: '+233555000010', networkId: 42, amount: '2', currency: 'GHS' })
  const started = Date.now()
  const e = await rejects(() => env.v2.topups.wait(t.id, { deadlineMs: 300, initialIntervalMs: 50 }), 'STILL_PENDING')
  assert.equal(e.transactionId, t.id)
  assert.equal(typeof e.status, 'string') // the last status seen (see the note in the report: may read 'unknown (TIMEOUT)')
  assert.ok(Date.now() - started < 3000)
  assert.equal(ca.isDefinitelyNotSent(e.code), false)
  const s = await rejects(() => env.v2.topups.waitSync(t.id, { deadlineMs: 200, initialIntervalMs: 50 }), 'STILL_PENDING')
  assert.equal(s.transactionId, t.id)
})

test('V1 wait past its deadline: STILL_PENDING with the reference, transaction id and last state', async () => {
  const s = await env.v1.sendTopup({ msisdn: '233555000010', amount: '2', processingMode: 'ASYNC' })
  const e = await rejects(() => env.v1.wait(s.meta.reference, { deadlineMs: 250, initialIntervalMs: 40 }), 'STILL_PENDING')
  assert.equal(e.reference, s.meta.reference)
  assert.equal(e.transactionId, s.transactionId)
  assert.equal(typeof e.status, 'string')
})

test('a normal wait still completes', async () => {
  const t = await env.v2.topups.create({ phoneNumber: '+233541112211', networkId: 42, amount: '2', currency: 'GHS' })
  assert.equal((await env.v2.topups.wait(t.id, FAST)).status, 'completed')
})
