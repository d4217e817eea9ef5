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
  assert.equal(r.data.state, 'SUCCESS')
  assert.equal(r.data.code, 1)
  assert.equal(r.data.extRefId, extRefId)
  assert.equal(r.meta.reference, extRefId)
  assert.equal(r.meta.attempts, 1)
  assert.equal(Number(r.data.amount), 5.5)
  assert.equal(typeof r.data.effectiveAmount, 'string')
  assert.equal(r.data.currency, 'GHS')
  assert.match(r.data.transactionId, /^[0-9a-f-]{36}$/)
  assert.equal(env.sb.transactions().v1.filter((t) => t.extRefId === extRefId).length, 1)
})

test('generated extRefId, product sends, and the sync twin', async () => {
  const r = env.v1.sendTopupSync({ msisdn: '233201112299', productId: 2302 })
  assert.match(r.meta.reference, /^ca-[0-9a-f-]{36}$/)
  assert.equal(r.meta.origin, 'created')
  assert.equal(r.data.extRefId, r.meta.reference)
  assert.equal(r.data.state, 'SUCCESS')
})

test('ASYNC send is PENDING (code 232) and wait() reaches SUCCESS', async () => {
  const extRefId = ref('v1async')
  const r = await env.v1.sendTopup({ msisdn: '233241112233', amount: 3, extRefId, processingMode: 'ASYNC' })
  assert.equal(r.data.state, 'PENDING')
  assert.equal(r.data.code, 232)
  const done = await env.v1.wait(extRefId, FAST)
  assert.equal(done.data.state, 'SUCCESS')
  assert.equal(env.v1.waitSync(extRefId, FAST).data.transactionId, r.data.transactionId)
})

test('provider failures are records with a terminal state, not errors', async () => {
  const failed = await env.v1.sendTopup({ msisdn: '233555000003', amount: '2' })
  assert.equal(failed.data.state, 'FAILED')
  for (const [msisdn, state] of [['233555000004', 'TIMEOUT'], ['233555000005', 'UNDERLIVERED'], ['233555000006', 'CANCELED']]) {
    const s = await env.v1.sendTopup({ msisdn, amount: '2', processingMode: 'ASYNC' })
    const w = await env.v1.wait(s.meta.reference, FAST)
    assert.equal(w.data.state, state)
  }
})

test('a pending SYNC answer (code 10) is waited on', async () => {
  const s = await env.v1.sendTopup({ msisdn: '233555000012', amount: '2' })
  assert.equal(s.data.state, 'PENDING')
  assert.equal((await env.v1.wait(s.meta.reference, FAST)).data.state, 'SUCCESS')
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
  assert.equal(byRef.data.length, 1)
  assert.equal(byRef.data[0].transactionId, s.data.transactionId)
  assert.equal(byRef.data[0].state, 'SUCCESS')
  const byId = env.v1.transactionsSync({ transactionId: s.data.transactionId })
  assert.equal(byId.data[0].extRefId, extRefId)
  const both = await env.v1.transactions({ msisdn: '233501112211', extRefId })
  assert.equal(both.data.length, 1)
  assert.deepEqual((await env.v1.transactions({ extRefId: ref('none') })).data, [])
  const e = await rejects(() => env.v1.transactions({}), 'INVALID_INPUT')
  assert.equal(e.field, 'transaction_id')
  await rejects(() => env.v1.transactions({ msisdn: '+233501112211' }), 'INVALID_INPUT')
})

test('reconcile finds by extRefId or returns null', async () => {
  const extRefId = ref('v1rec')
  await env.v1.sendTopup({ msisdn: '233541112244', amount: '1', extRefId })
  assert.equal((await env.v1.reconcile(extRefId)).data.extRefId, extRefId)
  assert.equal(await env.v1.reconcile(ref('v1none')), null)
  assert.equal(env.v1.reconcileSync(ref('v1none')), null)
})

test('product catalog, products and one product', async () => {
  const cat = await env.v1.productCatalog()
  assert.ok(cat.data.some((s) => s.serviceId === 42 && s.providerName === 'MTN_Ghana'))
  assert.equal(env.v1.productCatalogSync().data.length, cat.data.length)
  const prods = await env.v1.products(42)
  assert.deepEqual(prods.data.map((p) => p.id).sort(), [4201, 4202])
  assert.ok(prods.data.some((p) => p.type === 'OPEN_PRODUCT'))
  const fixed = prods.data.find((p) => p.type === 'FIXED_PRODUCT')
  assert.match(fixed.amount, /^\d+(\.\d+)?$/)
  assert.equal((await env.v1.product(4202)).data.id, 4202)
  assert.equal(env.v1.productSync(4201).data.type, 'OPEN_PRODUCT')
  assert.equal(env.v1.productsSync(61).data.length, 2)
  await rejects(() => env.v1.products(0), 'INVALID_INPUT')
  await rejects(() => env.v1.product(-1), 'INVALID_INPUT')
})

test('balances go down with a successful send', async () => {
  const list = await env.v1.balances()
  const ghs = list.data.find((b) => b.currency === 'GHS')
  assert.equal(typeof ghs.balance, 'string')
  const one = await env.v1.balance(ghs.accountId)
  assert.equal(one.data.balance, ghs.balance)
  await env.v1.sendTopup({ msisdn: '233541112277', amount: '10' })
  const after = env.v1.balanceSync(ghs.accountId).data.balance
  assert.equal(Number(ghs.balance) - Number(after), 10)
  assert.equal(env.v1.balancesSync().data.length, list.data.length)
})

test('V1 input is validated before any call', async () => {
  const n = env.sb.transactions().v1.length
  assert.equal((await rejects(() => env.v1.sendTopup({ msisdn: '2335411', amount: '1' }), 'INVALID_INPUT')).field, 'msisdn')
  assert.equal((await rejects(() => env.v1.sendTopup({ msisdn: '233541112259' }), 'INVALID_INPUT')).field, 'amount')
  assert.equal((await rejects(() => env.v1.sendTopup({ msisdn: '233541112259', amount: '1', processingMode: 'LATER' }), 'INVALID_INPUT')).field, 'processing_mode')
  assert.throws(() => env.v1.sendTopupSync({ msisdn: '233541112259', amount: '0' }), (e) => e instanceof ca.ClickAirtimeError && e.field === 'amount')
  assert.equal(env.sb.transactions().v1.length, n)
})
