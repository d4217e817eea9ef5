'use strict'
// Mirrors core/src/error.rs: every error code reaches JS as a ClickAirtimeError with its context, from real
// exchanges with the sandbox or a deliberately misbehaving local server.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const https = require('node:https')
const path = require('node:path')
const { ca, setup, rejects, server, ref, tmpJournal } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

const covered = new Set()
const hit = (e) => { covered.add(e.code); return e }
const body = { networkId: 42, amount: '5', currency: 'GHS' }

test('ClickAirtimeError is an Error subclass with a stable shape', async () => {
  const e = hit(await rejects(() => env.v2.topups.create({ ...body, phoneNumber: 'nope' }), 'INVALID_INPUT'))
  assert.ok(e instanceof Error)
  assert.ok(e instanceof ca.ClickAirtimeError)
  assert.equal(e.name, 'ClickAirtimeError')
  assert.equal(e.field, 'phoneNumber')
  assert.match(e.message, /^invalid input: phoneNumber/)
  assert.match(String(e), /^ClickAirtimeError: invalid input/)
  assert.equal(typeof e.stack, 'string')
  assert.equal(e.httpStatus, undefined)
  // synchronous throws are the same class
  try { new ca.V2Client({ apiKey: 'k', baseUrl: 'http://example.com' }) } catch (x) {
    assert.ok(x instanceof ca.ClickAirtimeError)
    assert.equal(x.code, 'INVALID_INPUT')
    assert.equal(x.field, 'baseUrl')
  }
})

test('AUTHENTICATION (V2 and V1)', async () => {
  const bad = new ca.V2Client({ apiKey: 'ce_live_' + 'a'.repeat(32), baseUrl: env.sb.baseUrl })
  const e = hit(await rejects(() => bad.balance.list(), 'AUTHENTICATION'))
  assert.equal(e.httpStatus, 401)
  assert.equal(e.apiCode, 'INVALID_API_KEY')
  assert.match(e.requestId, /^req_/)
  const v1 = new ca.V1Client({ email: env.sb.v1Email, token: 'wrong-token', baseUrl: env.sb.baseUrl })
  assert.equal((await rejects(() => v1.balances(), 'AUTHENTICATION')).httpStatus, 401)
})

test('PERMISSION_DENIED (403 IP_NOT_ALLOWED from a local server)', async () => {
  const s = await server(() => ({ status: 403, body: { success: false, error: { code: 'IP_NOT_ALLOWED', message: 'ip not allowed' }, meta: { request_id: 'req_perm00000000' } } }))
  try {
    const e = hit(await rejects(() => new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: s.url }).balance.list(), 'PERMISSION_DENIED'))
    assert.equal(e.httpStatus, 403)
    assert.equal(e.apiCode, 'IP_NOT_ALLOWED')
    assert.equal(e.requestId, 'req_perm00000000')
  } finally { await s.close() }
})

test('INSUFFICIENT_BALANCE in every documented shape, with the send reference', async () => {
  const reference = ref('low')
  const a = hit(await rejects(() => env.v2.topups.create({ ...body, phoneNumber: '+233555000001', reference }), 'INSUFFICIENT_BALANCE'))
  assert.equal(a.httpStatus, 400)
  assert.equal(a.reference, reference)
  assert.equal(a.idempotencyKey, ca.idempotencyKeyFor(reference))
  const b = await rejects(() => env.v2.topups.create({ ...body, phoneNumber: '+233555000011' }), 'INSUFFICIENT_BALANCE')
  assert.equal(b.httpStatus, 402)
  const c = await rejects(() => env.v1.sendTopup({ msisdn: '233555000001', amount: '5', extRefId: reference }), 'INSUFFICIENT_BALANCE')
  assert.equal(c.httpStatus, 403)
  assert.equal(c.apiCode, '20')
  assert.equal(c.reference, reference)
  const d = await rejects(() => env.v1.sendTopup({ msisdn: '233555000011', amount: '5' }), 'INSUFFICIENT_BALANCE')
  assert.equal(d.httpStatus, 200)
})

test('INVALID_RECIPIENT (V2 and V1)', async () => {
  assert.equal(hit(await rejects(() => env.v2.topups.create({ ...body, phoneNumber: '+233555000002' }), 'INVALID_RECIPIENT')).apiCode, 'INVALID_PHONE_NUMBER')
  assert.equal((await rejects(() => env.v1.sendTopup({ msisdn: '233555000002', amount: '5' }), 'INVALID_RECIPIENT')).apiCode, '30')
})

test('NOT_FOUND', async () => {
  hit(await rejects(() => env.v2.topups.get('no-such-topup'), 'NOT_FOUND'))
})

test('DUPLICATE: a 409 that names no transaction is not "failed": OUTCOME_UNKNOWN with causeKind DUPLICATE', async () => {
  const s = await server((req) => req.method === 'POST'
    ? { status: 409, body: { success: false, error: { code: 'DUPLICATE_TRANSACTION', message: 'duplicate', details: {} }, meta: { request_id: 'req_dup000000000' } } }
    : { status: 200, body: { success: true, data: [], meta: { request_id: 'req_lst000000000', pagination: { page: 1, per_page: 100, total: 0, total_pages: 0, has_next: false, has_prev: false } } } })
  try {
    const c = new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: s.url, sendDeadlineMs: 1000, retryBaseDelayMs: 20 })
    const e = hit(await rejects(() => c.topups.create({ ...body, phoneNumber: '+233541112259', reference: 'dup-1' }), 'OUTCOME_UNKNOWN'))
    assert.equal(e.causeKind, 'DUPLICATE')
    covered.add(e.causeKind) // kept for stability: sends now report it only as the cause of an open outcome
    assert.equal(e.httpStatus, 409)
    assert.equal(e.apiCode, 'DUPLICATE_TRANSACTION')
    assert.equal(e.reference, 'dup-1')
    assert.equal(s.seen.filter((r) => r.method === 'POST').length, 1, 'never re-sent')
  } finally { await s.close() }
})

test('DELIVERY_FAILED (V2 500 DELIVERY_FAILED, V1 403 code 5), nothing committed', async () => {
  const n = env.sb.transactions()
  hit(await rejects(() => env.v2.topups.create({ ...body, phoneNumber: '+233555000013' }), 'DELIVERY_FAILED'))
  await rejects(() => env.v1.sendTopup({ msisdn: '233555000013', amount: '5' }), 'DELIVERY_FAILED')
  const after = env.sb.transactions()
  assert.equal(after.v2.length, n.v2.length)
  assert.equal(after.v1.length, n.v1.length)
})

test('RATE_LIMITED with retryAfterMs (send and read)', async () => {
  const c = new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: env.sb.baseUrl, maxRetryAfterMs: 10, maxRetries: 0 })
  const e = hit(await rejects(() => c.topups.create({ ...body, phoneNumber: '+233555000014' }), 'RATE_LIMITED'))
  assert.equal(e.httpStatus, 429)
  assert.equal(e.retryAfterMs, 1000)
  assert.ok(e.reference)
  env.sb.inject({ fault: 'rate_limit', method: 'GET', retryAfter: 30, count: 3 })
  const g = await rejects(() => c.balance.list(), 'RATE_LIMITED')
  assert.equal(g.retryAfterMs, 30000)
  env.sb.reset()
  const v1 = new ca.V1Client({ email: env.sb.v1Email, token: env.sb.v1Token, baseUrl: env.sb.baseUrl, maxRetryAfterMs: 10 })
  const started = Date.now()
  assert.equal((await rejects(() => v1.sendTopup({ msisdn: '233555000014', amount: '5' }), 'RATE_LIMITED')).httpStatus, 429)
  assert.ok(Date.now() - started < 5000)
})

test('API_ERROR keeps the API code, message and request id', async () => {
  const e = hit(await rejects(() => env.v2.topups.create({ ...body, phoneNumber: '+233541112259', amount: '6000' }), 'API_ERROR'))
  assert.equal(e.apiCode, 'INVALID_AMOUNT')
  assert.equal(e.httpStatus, 400)
  assert.match(e.body, /INVALID_AMOUNT/)
})

test('TIMEOUT of a slow answer', async () => {
  env.sb.inject({ fault: 'slow', method: 'GET', delayMs: 1500, count: 1 })
  const c = new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: env.sb.baseUrl, timeoutMs: 200, readTimeoutMs: 200, maxRetries: 0 })
  hit(await rejects(() => c.balance.list(), 'TIMEOUT'))
  env.sb.reset()
})

test('CONNECTION when nothing listens', async () => {
  const s = await server(() => ({ status: 200 }))
  const url = s.url
  await s.close()
  const c = new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: url, maxRetries: 0 })
  hit(await rejects(() => c.balance.list(), 'CONNECTION'))
})

test('TLS: an unknown issuer is refused; the extra CA option makes it trusted', async () => {
  const dir = path.join(__dirname, 'fixtures')
  const srv = https.createServer({ key: fs.readFileSync(path.join(dir, 'server-key.pem')), cert: fs.readFileSync(path.join(dir, 'server-cert.pem')) }, (q, r) => {
    r.writeHead(200, { 'content-type': 'application/json' })
    r.end(JSON.stringify({ success: true, data: { wallets: [] }, meta: { request_id: 'req_tls000000000' } }))
  })
  await new Promise((r) => srv.listen(0, '127.0.0.1', r))
  try {
    const url = `https://127.0.0.1:${srv.address().port}`
    const err = await new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: url, maxRetries: 0 }).balance.list().then(
      () => assert.fail('an unknown issuer was trusted'),
      (x) => x,
    )
    assert.ok(err instanceof ca.ClickAirtimeError)
    assert.equal(err.code, 'TLS')
    assert.match(err.message, /certificate/)
    covered.add('TLS')
    const ok = await new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: url, maxRetries: 0, caCertificatesPem: fs.readFileSync(path.join(dir, 'test-ca.pem'), 'utf8') }).balance.list()
    assert.equal(ok.meta.requestId, 'req_tls000000000')
    assert.throws(() => new ca.V2Client({ apiKey: 'k', caCertificatesPem: 'not a pem' }), (x) => x.code === 'INVALID_INPUT' && x.field === 'caCertificatesPem')
  } finally {
    srv.closeAllConnections()
    await new Promise((r) => srv.close(r))
  }
})

test('OUTCOME_UNKNOWN carries the reference that finds the top-up later', async () => {
  env.sb.inject({ fault: 'drop_before_commit', method: 'GET', path: '/v2/topups', count: 1000 })
  const c = new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: env.sb.baseUrl, sendDeadlineMs: 700, maxRetries: 1, retryBaseDelayMs: 10 })
  const reference = ref('unknown')
  const e = hit(await rejects(() => c.topups.create({ ...body, phoneNumber: '+233555000007', reference }), 'OUTCOME_UNKNOWN'))
  assert.equal(e.reference, reference)
  assert.match(e.message, /reconcile/)
  env.sb.reset()
})

test('DUPLICATE_SALE names the other sale (the duplicate window)', async () => {
  const sale = { ...body, phoneNumber: '+233541119901', amount: '3' }
  const a = await env.v2.topups.create({ ...sale, reference: ref('ds-a') })
  const reference = ref('ds-b')
  const e = hit(await rejects(() => env.v2.topups.create({ ...sale, reference }), 'DUPLICATE_SALE'))
  assert.equal(e.transactionId, a.id)
  assert.equal(e.existingReference, a.reference)
  assert.equal(e.reference, reference)
})

test('REFERENCE_CONFLICT names the sale that holds the reference', async () => {
  const reference = ref('rc')
  const a = await env.v2.topups.create({ ...body, phoneNumber: '+233541119902', reference })
  const e = hit(await rejects(() => env.v2.topups.create({ ...body, phoneNumber: '+233541119903', reference }), 'REFERENCE_CONFLICT'))
  assert.equal(e.transactionId, a.id)
  assert.equal(e.existingReference, reference)
})

test('STILL_PENDING carries the transaction id and its last status', async () => {
  const t = await env.v2.topups.create({ ...body, phoneNumber: '+233555000010' })
  const e = hit(await rejects(() => env.v2.topups.wait(t.id, { deadlineMs: 150, initialIntervalMs: 30 }), 'STILL_PENDING'))
  assert.equal(e.transactionId, t.id)
  assert.equal(typeof e.status, 'string')
})

test('JOURNAL: a journal that cannot be opened, before anything is sent', () => {
  try {
    new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: env.sb.baseUrl, journal: `${tmpJournal()}.d/missing/j.sqlite` })
  } catch (e) {
    hit(e)
    assert.equal(e.code, 'JOURNAL')
    return
  }
  assert.fail('no error')
})

test('UNEXPECTED_RESPONSE keeps the body', async () => {
  env.sb.inject({ fault: 'garbage', method: 'GET', count: 10 })
  const c = new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: env.sb.baseUrl, maxRetries: 0 })
  const e = hit(await rejects(() => c.balance.list(), 'UNEXPECTED_RESPONSE'))
  assert.equal(e.httpStatus, 200)
  assert.equal(typeof e.body, 'string')
  env.sb.reset()
})

test('INVALID_SIGNATURE', () => {
  try { ca.verifyWebhook('{}', '00', '1700000000', env.sb.apiKey) } catch (e) { hit(e); assert.equal(e.code, 'INVALID_SIGNATURE'); return }
  assert.fail('no error')
})

test('CANCELLED: a call whose AbortSignal aborted (a send: before anything was written)', async () => {
  const reference = ref('cancelled')
  const e = hit(await rejects(() => env.v2.topups.create({ ...body, phoneNumber: '+233541112259', reference }, { signal: AbortSignal.abort() }), 'CANCELLED'))
  assert.equal(e.reference, reference)
  assert.equal(e.cause.name, 'AbortError')
})

test('every error code of the core is exercised', () => {
  const missing = ca.errorCodes().filter((c) => !covered.has(c))
  assert.deepEqual(missing, [])
})
