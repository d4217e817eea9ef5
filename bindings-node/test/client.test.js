'use strict'
// Mirrors core/src/config.rs, phone.rs, money.rs and secret handling; and the Sandbox lifecycle.
const test = require('node:test')
const assert = require('node:assert/strict')
const util = require('node:util')
const { ca, setup, rejects, server } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

test('options are applied: baseUrl normalised, user agent suffix, extra headers never leak the key', async () => {
  const s = await server(() => ({ status: 200, body: { success: true, data: { wallets: [] }, meta: { request_id: 'req_opts00000000' } }, headers: { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '9', 'x-ratelimit-reset': '1700000000' } }))
  try {
    const c = new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: `${s.url}/v2/`, userAgentSuffix: 'shop-pos/2.1', timeoutMs: 5000, connectTimeoutMs: 1000, readTimeoutMs: 2000, maxRetries: 2, proxyFromEnv: false, maxIdleConnectionsPerHost: 2 })
    assert.equal(c.baseUrl, s.url)
    assert.equal(c.lastRateLimit, null)
    await c.balance.list()
    assert.deepEqual(c.lastRateLimit, { limit: 10, remaining: 9, reset: 1700000000 })
    const h = s.seen[0].headers
    assert.equal(h.authorization, `Bearer ${env.sb.apiKey}`)
    assert.match(h['user-agent'], /shop-pos\/2\.1$/)
    assert.equal(s.seen[0].url, '/v2/balance')
  } finally { await s.close() }
})

test('V1 headers and the topupPath option', async () => {
  const s = await server(() => ({ status: 200, body: { message: 'Success', statusCode: 200, code: 1, data: { transactionId: 't-1', state: 'SUCCESS', extRefId: 'e-1', amount: 5 } } }))
  try {
    const c = new ca.V1Client({ email: 'pos@example.com', token: 'tok-123', baseUrl: s.url, topupPath: '/adp/topup' })
    const r = await c.sendTopup({ msisdn: '233541112259', amount: '5', extRefId: 'e-1' })
    assert.equal(r.state, 'SUCCESS')
    assert.equal(s.seen[0].url, '/adp/topup')
    assert.equal(s.seen[0].headers['x-click-airtime-email'], 'pos@example.com')
    assert.equal(s.seen[0].headers['x-click-airtime-token'], 'tok-123')
    assert.deepEqual(JSON.parse(s.seen[0].body), { msisdn: '233541112259', amount: 5, extRefId: 'e-1', processingMode: 'SYNC', sendSMS: false })
  } finally { await s.close() }
})

test('bad settings throw INVALID_INPUT naming the setting', () => {
  const cases = [
    [{ apiKey: 'k', baseUrl: 'http://api.example.com' }, 'baseUrl'],
    [{ apiKey: 'k', timeoutMs: 0 }, 'timeoutMs'],
    [{ apiKey: 'k', maxRetries: 11 }, 'maxRetries'],
    [{ apiKey: 'k', proxy: 'not a url at all' }, 'proxy'],
    [{ apiKey: 'bad\nkey' }, 'apiKey'],
  ]
  for (const [o, field] of cases) assert.throws(() => new ca.V2Client(o), (e) => e instanceof ca.ClickAirtimeError && e.code === 'INVALID_INPUT' && e.field === field, field)
  assert.throws(() => new ca.V1Client({ email: 'nobody', token: 't' }), (e) => e.field === 'email')
  assert.throws(() => new ca.V1Client({ email: 'a@b.c', token: 't', topupPath: '/x' }), (e) => e.field === 'topupPath')
})

test('secrets never appear in errors, inspection or serialisation', async () => {
  const key = 'ce_live_' + 'S'.repeat(32)
  const token = 'tok-SECRET-0000-1111'
  const v2 = new ca.V2Client({ apiKey: key, baseUrl: env.sb.baseUrl, maxRetries: 0 })
  const v1 = new ca.V1Client({ email: env.sb.v1Email, token, baseUrl: env.sb.baseUrl, maxRetries: 0 })
  const errs = [
    await rejects(() => v2.balance.list(), 'AUTHENTICATION'),
    await rejects(() => v1.balances(), 'AUTHENTICATION'),
    await rejects(() => new ca.V2Client({ apiKey: key, baseUrl: 'http://127.0.0.1:9', maxRetries: 0 }).topups.create({ phoneNumber: '+233541112259', networkId: 42, amount: '1', currency: 'GHS' }), 'CONNECTION'),
  ]
  try { new ca.V2Client({ apiKey: key, baseUrl: 'http://example.com' }) } catch (e) { errs.push(e) }
  for (const e of errs) {
    const all = `${e.message} ${e.stack} ${util.inspect(e)} ${JSON.stringify(e)} ${e.body || ''}`
    assert.ok(!all.includes(key) && !all.includes('S'.repeat(32)), all)
    assert.ok(!all.includes(token), all)
  }
  for (const c of [v2, v1]) {
    const shown = `${util.inspect(c, { showHidden: true, depth: 5 })} ${JSON.stringify(c)} ${String(c)}`
    assert.ok(!shown.includes(key) && !shown.includes(token), shown)
  }
})

test('phone helpers', async () => {
  assert.equal(ca.toE164('233541112259'), '+233541112259')
  assert.equal(ca.toE164('00233 54 111 2259'), '+233541112259')
  assert.equal(ca.toMsisdn('+233541112259'), '233541112259')
  assert.equal(ca.validateE164('+233541112259'), undefined)
  assert.equal(ca.validateMsisdn('233541112259'), undefined)
  assert.equal((await rejects(() => ca.validateE164('233541112259'), 'INVALID_INPUT')).field, 'phoneNumber')
  assert.equal((await rejects(() => ca.validateMsisdn('+233541112259'), 'INVALID_INPUT')).field, 'msisdn')
  await rejects(() => ca.toE164('12'), 'INVALID_INPUT')
  await rejects(() => ca.toMsisdn('abc'), 'INVALID_INPUT')
})

test('money helper: exact decimals, floats in shortest form, bad amounts rejected', async () => {
  assert.equal(ca.parseAmount('12.50'), '12.50')
  assert.equal(ca.parseAmount(0.1), '0.1')
  assert.equal(ca.parseAmount(19.99), '19.99')
  assert.equal(ca.parseAmount(' 5 '), '5')
  for (const bad of ['0', '-1', 'abc', '1.23456', Number.POSITIVE_INFINITY, Number.NaN, '1e12']) {
    await rejects(() => ca.parseAmount(bad), 'INVALID_INPUT')
  }
})

test('errorCodes and version', () => {
  const codes = ca.errorCodes()
  assert.equal(codes.length, new Set(codes).size)
  for (const c of ['INSUFFICIENT_BALANCE', 'OUTCOME_UNKNOWN', 'INVALID_INPUT', 'RATE_LIMITED']) assert.ok(codes.includes(c))
  assert.match(ca.version(), /^\d+\.\d+\.\d+/)
  assert.equal(ca.version(), require('../package.json').version)
})

test('Sandbox lifecycle: sync and async start, credentials, reset, close', async () => {
  const a = new ca.Sandbox({ apiKey: 'ce_live_' + 'b'.repeat(32), v1Email: 'me@shop.test', v1Token: 'tok-abc' })
  assert.match(a.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
  assert.equal(a.baseUrl, `http://127.0.0.1:${a.port}`)
  assert.equal(a.apiKey, 'ce_live_' + 'b'.repeat(32))
  assert.equal(a.v1Email, 'me@shop.test')
  assert.equal(a.v1Token, 'tok-abc')
  const c = new ca.V2Client({ apiKey: a.apiKey, baseUrl: a.baseUrl })
  await c.topups.create({ phoneNumber: '+233541112259', networkId: 42, amount: '1', currency: 'GHS' })
  assert.equal(a.transactions().v2.length, 1)
  a.reset()
  assert.deepEqual(a.transactions(), { v1: [], v2: [] })
  assert.equal(a.closed, false)
  await a.close()
  assert.equal(a.closed, true)
  await a.close()
  assert.throws(() => a.transactions(), /closed/)
  await rejects(() => new ca.V2Client({ apiKey: a.apiKey, baseUrl: a.baseUrl, maxRetries: 0 }).balance.list(), 'CONNECTION')

  const b = await ca.Sandbox.start()
  assert.match(b.apiKey, /^ce_live_[A-Za-z0-9]{32}$/)
  assert.notEqual(b.port, a.port)
  b.closeSync()
  assert.equal(b.closed, true)
  assert.throws(() => new ca.Sandbox({ apiKey: 'short' }), /sandbox did not start/)
  await assert.rejects(() => ca.Sandbox.start({ apiKey: 'short' }), /sandbox did not start/)
  assert.throws(() => env.sb.inject({ fault: 'meteor' }), /unknown fault/)
})
