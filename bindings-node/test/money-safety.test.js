'use strict'
// Issue 6, from Node: under "dropped connection after commit" (+233555000007) and "5xx before commit"
// (+233555000008), V1 and V2, exactly one transaction exists afterwards and the call returned it (or
// OUTCOME_UNKNOWN with the reference that finds it).
const test = require('node:test')
const assert = require('node:assert/strict')
const { ca, setup, rejects, ref } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

const v2Count = (reference) => env.sb.transactions().v2.filter((t) => t.reference === reference)
const v1Count = (extRefId) => env.sb.transactions().v1.filter((t) => t.extRefId === extRefId)

test('V2, answer dropped after commit: the committed top-up is found and returned, not re-sent', async () => {
  const reference = ref('v2drop')
  const r = await env.v2.topups.create({ phoneNumber: '+233555000007', networkId: 42, amount: '5', currency: 'GHS', reference })
  const found = v2Count(reference)
  assert.equal(found.length, 1)
  assert.equal(r.data.id, found[0].id)
  assert.equal(r.meta.reference, reference)
  assert.equal(r.meta.replayed, true)
  assert.equal(r.meta.attempts, 1)
})

test('V2, 500 before commit: looked up, not found, re-sent once with the same key', async () => {
  const reference = ref('v2-500')
  const r = await env.v2.topups.create({ phoneNumber: '+233555000008', networkId: 42, amount: '5', currency: 'GHS', reference })
  const found = v2Count(reference)
  assert.equal(found.length, 1)
  assert.equal(r.data.id, found[0].id)
  assert.equal(r.meta.attempts, 2)
  assert.equal(r.data.reference, reference)
})

test('V1, answer dropped after commit: found by extRefId and returned', async () => {
  const extRefId = ref('v1drop')
  const r = await env.v1.sendTopup({ msisdn: '233555000007', amount: '5', extRefId })
  const found = v1Count(extRefId)
  assert.equal(found.length, 1)
  assert.equal(r.data.transactionId, found[0].transactionId)
  assert.equal(r.meta.reference, extRefId)
  assert.equal(r.meta.attempts, 1)
})

test('V1, 500 before commit: re-sent once, exactly one transaction', async () => {
  const extRefId = ref('v1-500')
  const r = env.v1.sendTopupSync({ msisdn: '233555000008', amount: '5', extRefId })
  const found = v1Count(extRefId)
  assert.equal(found.length, 1)
  assert.equal(r.data.transactionId, found[0].transactionId)
  assert.equal(r.meta.attempts, 2)
})

for (const version of ['v2', 'v1']) {
  test(`${version}: dropped after commit with lookups failing is OUTCOME_UNKNOWN, and its reference finds exactly one later`, async () => {
    const reference = ref(`${version}-unknown`)
    const path = version === 'v2' ? '/v2/topups' : '/adp/transactions'
    env.sb.inject({ fault: 'drop_before_commit', method: 'GET', path, count: 40 })
    const opts = { baseUrl: env.sb.baseUrl, sendDeadlineMs: 500, maxRetries: 0, retryBaseDelayMs: 5 }
    const v2 = new ca.V2Client({ apiKey: env.sb.apiKey, ...opts })
    const v1 = new ca.V1Client({ email: env.sb.v1Email, token: env.sb.v1Token, ...opts })
    const send = version === 'v2'
      ? () => v2.topups.create({ phoneNumber: '+233555000007', networkId: 42, amount: '6', currency: 'GHS', reference })
      : () => v1.sendTopup({ msisdn: '233555000007', amount: '5', extRefId: reference })
    const e = await rejects(send, 'OUTCOME_UNKNOWN')
    assert.equal(e.reference, reference)
    // the network heals: use up the remaining injected faults, then reconcile with the reference
    const reconcile = version === 'v2' ? () => v2.topups.reconcile(reference) : () => v1.reconcile(reference)
    let found = null
    for (let i = 0; i < 41 && !found; i++) found = await reconcile().catch(() => null)
    assert.ok(found, 'reconcile found it')
    const committed = version === 'v2' ? v2Count(reference) : v1Count(reference)
    assert.equal(committed.length, 1)
    if (version === 'v2') assert.equal(found.data.id, committed[0].id)
    else assert.equal(found.data.transactionId, committed[0].transactionId)
  })
}
