'use strict'
// Mirrors core/src/v2/webhooks.rs: sign, verify (constant-time, tolerance), parse, construct; and real signed
// deliveries from the sandbox received by an Express app with express.raw().
const test = require('node:test')
const assert = require('node:assert/strict')
const express = require('express')
const { ca, setup, rejects, FAST } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

const KEY = 'ce_live_0123456789abcdefghijABCDEFGHIJ01'
const now = () => String(Math.floor(Date.now() / 1000))
const BODY = '{"event":"topup.completed","data":{"id":"tx-1","status":"completed","amount":{"value":"50.00","currency":"GHS"},"reference":"inv-1"}}'

test('sign → verify round trip with Buffer and string bodies', () => {
  const ts = now()
  const sig = ca.signWebhook(BODY, ts, KEY)
  assert.match(sig, /^[0-9a-f]{64}$/)
  assert.equal(ca.signWebhook(Buffer.from(BODY), ts, KEY), sig)
  assert.equal(ca.verifyWebhook(BODY, sig, ts, KEY), undefined)
  assert.equal(ca.verifyWebhook(Buffer.from(BODY), sig, ts, KEY, { toleranceSec: 10 }), undefined)
  assert.equal(ca.verifyWebhook(BODY, `sha256=${sig}`, ts, KEY), undefined)
})

test('tampered body, wrong key, bad hex and old timestamps are INVALID_SIGNATURE', async () => {
  const ts = now()
  const sig = ca.signWebhook(BODY, ts, KEY)
  const bad = [
    () => ca.verifyWebhook(BODY.replace('50.00', '500.00'), sig, ts, KEY),
    () => ca.verifyWebhook(BODY, sig, ts, KEY.replace('0', '1')),
    () => ca.verifyWebhook(BODY, 'zz', ts, KEY),
    () => ca.verifyWebhook(BODY, sig.slice(0, 63), ts, KEY),
    () => ca.verifyWebhook(BODY, sig, 'yesterday', KEY),
  ]
  for (const f of bad) await rejects(f, 'INVALID_SIGNATURE')
  const old = String(Math.floor(Date.now() / 1000) - 301)
  const oldSig = ca.signWebhook(BODY, old, KEY)
  const e = await rejects(() => ca.verifyWebhook(BODY, oldSig, old, KEY), 'INVALID_SIGNATURE')
  assert.match(e.message, /tolerance/)
  assert.equal(ca.verifyWebhook(BODY, oldSig, old, KEY, { toleranceSec: 400 }), undefined)
  assert.equal(ca.verifyWebhook(BODY, oldSig, old, KEY, { checkTimestamp: false }), undefined)
  await rejects(() => ca.verifyWebhook(BODY, oldSig, old, ''), 'INVALID_INPUT')
})

test('parse into a typed event; constructWebhookEvent verifies first', async () => {
  const ev = ca.parseWebhook(BODY)
  assert.equal(ev.eventType, 'topup.completed')
  assert.equal(ev.topup.id, 'tx-1')
  assert.equal(ev.topup.amount.value, '50.00')
  assert.equal(ev.topup.reference, 'inv-1')
  assert.equal(ev.data.id, 'tx-1')
  const guide = ca.parseWebhook(Buffer.from('{"id":"evt_1","type":"transaction.completed","timestamp":"2025-01-15T10:30:02.500Z","data":{"transactionId":"txn_1"}}'))
  assert.equal(guide.eventType, 'transaction.completed')
  assert.equal(guide.id, 'evt_1')
  assert.equal(guide.topup, undefined)
  assert.deepEqual(guide.data, { transactionId: 'txn_1' })
  await rejects(() => ca.parseWebhook('not json'), 'UNEXPECTED_RESPONSE')
  const ts = now()
  const sig = ca.signWebhook(BODY, ts, KEY)
  assert.equal(ca.constructWebhookEvent(BODY, sig, ts, KEY).topup.status, 'completed')
  await rejects(() => ca.constructWebhookEvent(BODY, sig, ts, 'other'), 'INVALID_SIGNATURE')
})

test('sandbox deliveries reach an express.raw() endpoint and verify with the client key', async () => {
  const received = []
  const app = express()
  app.post('/hooks/clickairtime', express.raw({ type: 'application/json' }), (req, res) => {
    try {
      const ev = env.v2.verifyWebhook(req.body, req.get('X-Webhook-Signature'), req.get('X-Webhook-Timestamp'))
      ca.verifyWebhook(req.body, req.get('X-Webhook-Signature'), req.get('X-Webhook-Timestamp'), env.sb.apiKey, { toleranceSec: 60 })
      received.push({ header: req.get('X-Webhook-Event'), ev })
      res.sendStatus(200)
    } catch (e) {
      received.push({ error: e })
      res.sendStatus(400)
    }
  })
  const srv = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)) })
  try {
    const url = `http://127.0.0.1:${srv.address().port}/hooks/clickairtime`
    const t = await env.v2.topups.create({ phoneNumber: '+233541112266', networkId: 42, amount: '8', currency: 'GHS', callbackUrl: url })
    await env.v2.topups.wait(t.id, FAST)
    const f = await env.v2.topups.create({ phoneNumber: '+233555000003', networkId: 42, amount: '8', currency: 'GHS', callbackUrl: url })
    await env.v2.topups.wait(f.id, FAST)
    const deadline = Date.now() + 5000
    while (received.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
    assert.deepEqual(received.filter((r) => r.error), [])
    const events = received.map((r) => `${r.ev.topup.id === t.id ? 'ok' : 'fail'}:${r.ev.eventType}`).sort()
    assert.deepEqual(events, ['fail:topup.failed', 'fail:topup.processing', 'ok:topup.completed', 'ok:topup.processing'])
    for (const r of received) assert.equal(r.header, r.ev.eventType)
    const deliveries = env.sb.webhookDeliveries().filter((d) => d.url === url)
    assert.equal(deliveries.length, 4)
    for (const d of deliveries) {
      assert.equal(d.outcome, 'delivered')
      assert.equal(d.httpStatus, 200)
      // the recorded signature verifies against the recorded body
      assert.equal(ca.verifyWebhook(d.body, d.signature, d.signatureTimestamp, env.sb.apiKey), undefined)
    }
  } finally {
    srv.closeAllConnections()
    await new Promise((r) => srv.close(r))
  }
})
