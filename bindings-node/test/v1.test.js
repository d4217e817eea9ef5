'use strict'
// Mirrors core/src/v1: topup (SYNC/ASYNC, wait, reconcile), transactions, products, balances.
const test = require('node:test')
const assert = require('node:assert/strict')
const { ca, setup, rejects, FAST, ref } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

test('SYNC send returns a terminal SUCCESS record with the extRefId', async () => {
  const extRefId = ref('v1')
  const r = await env.v1.sendTopup({ msisdn: '233541112259', amount: '5.50', extRefId, sendSms: true })
  assert.equal(r.state, 'SUCCESS')
  assert.equal(r.code, 1)
  assert.equal(r.extRefId, extRefId)
  assert.equal(r.meta.reference, extRefId)
  assert.equal(r.meta.attempts, 1)
  assert.equal(Number(r.amount), 5.5)
  assert.equal(typeof r.effectiveAmount, 'string')
  assert.equal(r.currency, 'GHS')
  assert.match(r.transactionId, /^[0-9a-f-]{36}$/)
  assert.equal(env.sb.transactions().v1.filter((t) => t.extRefId === extRefId).length, 1)
})

test('generated extRefId, product sends, and the sync twin', async () => {
  const r = env.v1.sendTopupSync({ msisdn: '233201112299', productId: 2302 })
  assert.match(r.meta.reference, /^ca-[0-9a-f-]{36}$/)
  assert.equal(r.meta.origin, 'created')
  assert.equal(r.extRefId, r.meta.reference)
  assert.equal(r.state, 'SUCCESS')
})

test('ASYNC send is PENDING (code 232) and wait() reaches SUCCESS', async () => {
  const extRefId = ref('v1async')
  const r = await env.v1.sendTopup({ msisdn: '233241112233', amount: 3, extRefId, processingMode: 'ASYNC' })
  assert.equal(r.state, 'PENDING')
  assert.equal(r.code, 232)
  const done = await env.v1.wait(extRefId, FAST)
  assert.equal(done.state, 'SUCCESS')
  assert.equal(env.v1.waitSync(extRefId, FAST).transactionId, r.transactionId)
})

test('provider failures are records with a terminal state, not errors', async () => {
  const failed = await env.v1.sendTopup({ msisdn: '233555000003', amount: '2' })
  assert.equal(failed.state, 'FAILED')
  for (const [msisdn, state] of [['233555000004', 'TIMEOUT'], ['233555000005', 'UNDERLIVERED'], ['233555000006', 'CANCELED']]) {
    const s = await env.v1.sendTopup({ msisdn, amount: '2', processingMode: 'ASYNC' })
    const w = await env.v1.wait(s.meta.reference, FAST)
    assert.equal(w.state, state)
  }
})

test('a pending SYNC answer (code 10) is waited on', async () => {
  const s = await env.v1.sendTopup({ msisdn: '233555000012', amount: '2' })
  assert.equal(s.state, 'PENDING')
  assert.equal((await env.v1.wait(s.meta.reference, FAST)).state, 'SUCCESS')
})

test('a wait past its deadline is STILL_PENDING carrying the reference (never TIMEOUT)', async () => {
  const s = await env.v1.sendTopup({ msisdn: '233555000010', amount: '2', processingMode: 'ASYNC' })
  const e = await rejects(() => env.v1.wait(s.meta.reference, { deadlineMs: 250, initialIntervalMs: 40 }), 'STILL_PENDING')
  assert.equal(e.reference, s.meta.reference)
})

test('transactions by extRefId, msisdn, transaction id (AND); none matched is empty', async () => {
  const extRefId = ref('v1tx')
  const s = await env.v1.sendTopup({ msisdn: '233501112211', amount: '4', extRefId })
  const byRef = await env.v1.transactions({ extRefId })
  assert.equal(byRef.length, 1)
  assert.equal(byRef[0].transactionId, s.transactionId)
  assert.equal(byRef[0].state, 'SUCCESS')
  const byId = env.v1.transactionsSync({ transactionId: s.transactionId })
  assert.equal(byId[0].extRefId, extRefId)
  const both = await env.v1.transactions({ msisdn: '233501112211', extRefId })
  assert.equal(both.length, 1)
  assert.deepEqual((await env.v1.transactions({ extRefId: ref('none') })), [])
  const e = await rejects(() => env.v1.transactions({}), 'INVALID_INPUT')
  assert.equal(e.field, 'transactionId')
  await rejects(() => env.v1.transactions({ msisdn: '+233501112211' }), 'INVALID_INPUT')
})

test('reconcile finds by extRefId or returns null', async () => {
  const extRefId = ref('v1rec')
  await env.v1.sendTopup({ msisdn: '233541112244', amount: '1', extRefId })
  assert.equal((await env.v1.reconcile(extRefId)).extRefId, extRefId)
  assert.equal(await env.v1.reconcile(ref('v1none')), null)
  assert.equal(env.v1.reconcileSync(ref('v1none')), null)
})

test('product catalog, products and one product', async () => {
  const cat = await env.v1.productCatalog()
  assert.ok(cat.some((s) => s.serviceId === 42 && s.providerName === 'MTN_Ghana'))
  assert.equal(env.v1.productCatalogSync().length, cat.length)
  const prods = await env.v1.products(42)
  assert.deepEqual(prods.map((p) => p.id).sort(), [4201, 4202])
  assert.ok(prods.some((p) => p.productType === 'OPEN_PRODUCT'))
  const fixed = prods.find((p) => p.productType === 'FIXED_PRODUCT')
  assert.match(fixed.amount, /^\d+(\.\d+)?$/)
  assert.equal((await env.v1.product(4202)).id, 4202)
  assert.equal(env.v1.productSync(4201).productType, 'OPEN_PRODUCT')
  assert.equal(env.v1.productsSync(61).length, 2)
  await rejects(() => env.v1.products(0), 'INVALID_INPUT')
  await rejects(() => env.v1.product(-1), 'INVALID_INPUT')
})

test('balances go down with a successful send', async () => {
  const list = await env.v1.balances()
  const ghs = list.find((b) => b.currency === 'GHS')
  assert.equal(typeof ghs.balance, 'string')
  const one = await env.v1.balance(ghs.accountId)
  assert.equal(one.balance, ghs.balance)
  await env.v1.sendTopup({ msisdn: '233541112277', amount: '10' })
  const after = env.v1.balanceSync(ghs.accountId).balance
  assert.equal(Number(ghs.balance) - Number(after), 10)
  assert.equal(env.v1.balancesSync().length, list.length)
})

test('V1 input is validated before any call', async () => {
  const n = env.sb.transactions().v1.length
  assert.equal((await rejects(() => env.v1.sendTopup({ msisdn: '2335411', amount: '1' }), 'INVALID_INPUT')).field, 'msisdn')
  assert.equal((await rejects(() => env.v1.sendTopup({ msisdn: '233541112259' }), 'INVALID_INPUT')).field, 'amount')
  assert.equal((await rejects(() => env.v1.sendTopup({ msisdn: '233541112259', amount: '1', processingMode: 'LATER' }), 'INVALID_INPUT')).field, 'processingMode')
  assert.throws(() => env.v1.sendTopupSync({ msisdn: '233541112259', amount: '0' }), (e) => e instanceof ca.ClickAirtimeError && e.field === 'amount')
  assert.equal(env.sb.transactions().v1.length, n)
})
