'use strict'
// Every error the package throws for user input is a ClickAirtimeError with a stable code and the field named
// as Node spells it; no raw napi conversion error ("rust type `i64`", StringExpected, "Missing field") escapes.
const test = require('node:test')
const assert = require('node:assert/strict')
const express = require('express')
const { ca, setup, rejects } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

const GH = { phoneNumber: '+233541112259', networkId: 42, amount: '5', currency: 'GHS' }

/** Expect `fn` to throw or reject INVALID_INPUT naming `field`; return the error. */
async function invalid(fn, field) {
  const e = await rejects(fn, 'INVALID_INPUT')
  assert.equal(e.field, field, e.message)
  assert.match(e.message, new RegExp(`^invalid input: ${field.replace('.', '\\.')}: `))
  assert.doesNotMatch(e.message, /rust type|Expected|napi|Missing field|none of these types/)
  return e
}

test('client options: missing, wrong types and out-of-range numbers name the option', async () => {
  const saved = process.env.CLICKAIRTIME_API_KEY
  delete process.env.CLICKAIRTIME_API_KEY
  try {
    let e = await invalid(() => new ca.V2Client({}), 'apiKey')
    assert.match(e.message, /CLICKAIRTIME_API_KEY/)
    await invalid(() => new ca.V2Client(), 'apiKey')
    await invalid(() => new ca.V2Client({ baseUrl: env.sb.baseUrl }), 'apiKey')
  } finally {
    if (saved !== undefined) process.env.CLICKAIRTIME_API_KEY = saved
  }
  await invalid(() => new ca.V2Client({ apiKey: 5 }), 'apiKey')
  await invalid(() => new ca.V2Client({ apiKey: 'k', timeoutMs: '1000' }), 'timeoutMs')
  await invalid(() => new ca.V2Client({ apiKey: 'k', timeoutMs: -1 }), 'timeoutMs')
  await invalid(() => new ca.V2Client({ apiKey: 'k', maxRetries: 2.5 }), 'maxRetries')
  await invalid(() => new ca.V2Client({ apiKey: 'k', proxyFromEnv: 'yes' }), 'proxyFromEnv')
  await invalid(() => new ca.V2Client({ apiKey: 'k', journal: {} }), 'journal')
  await invalid(() => new ca.V2Client('ce_live_key'), 'options')
  const e = await invalid(() => new ca.V1Client({ email: 'a@b.c' }), 'token')
  assert.match(e.message, /CLICKAIRTIME_V1_TOKEN/)
  await invalid(() => new ca.V1Client({ token: 't', email: ['a@b.c'] }), 'email')
  // core rules name the option as Node spells it too
  await invalid(() => new ca.V2Client({ apiKey: 'k', sendDeadlineMs: 0 }), 'sendDeadlineMs')
  await invalid(() => new ca.V1Client({ email: 'a@b.c', token: 't', topupPath: '/x' }), 'topupPath')
})

test('orders: wrong types name the field (rust types never show), before anything is sent', async () => {
  const posts = env.sb.stats().v2.posts
  const cases = [
    [{ ...GH, networkId: '42' }, 'networkId'],
    [{ ...GH, networkId: 4.2 }, 'networkId'],
    [{ ...GH, phoneNumber: 233541112259 }, 'phoneNumber'],
    [{ ...GH, phoneNumber: undefined }, 'phoneNumber'],
    [{ ...GH, amount: { value: 5 } }, 'amount'],
    [{ ...GH, amount: undefined, productId: { id: 1 } }, 'productId'],
    [{ ...GH, sms: 'yes' }, 'sms'],
    [{ ...GH, sms: { message: 42 } }, 'sms.message'],
    [{ ...GH, metadata: 'x' }, 'metadata'],
    [{ ...GH, metadata: [1, 2] }, 'metadata'],
    [{ ...GH, reference: 7 }, 'reference'],
    [{ ...GH, networkId: 0 }, 'networkId'],
    [{ ...GH, callbackUrl: 'http://example.com/x' }, 'callbackUrl'],
    [{ ...GH, idempotencyKey: 'a\nb' }, 'idempotencyKey'],
  ]
  for (const [order, field] of cases) {
    await invalid(() => env.v2.topups.create(order), field)
    await invalid(() => env.v2.topups.createSync(order), field)
    await invalid(() => env.v2.topups.prepare(order), field)
  }
  await invalid(() => env.v2.topups.create(), 'order')
  await invalid(() => env.v2.topups.create('+233541112259'), 'order')
  await invalid(() => env.v1.sendTopup({ msisdn: 233541112259, amount: '5' }), 'msisdn')
  await invalid(() => env.v1.sendTopup({ msisdn: '233541112259', productId: '4201' }), 'productId')
  await invalid(() => env.v1.sendTopup({ msisdn: '233541112259', amount: '5', sendSms: 'no' }), 'sendSms')
  await invalid(() => env.v1.sendTopup({ msisdn: '233541112259', amount: '5', processingMode: 'LATER' }), 'processingMode')
  assert.equal(env.sb.stats().v2.posts, posts)
})

test('every other argument: ids, filters, wait options, lookups, sandbox options', async () => {
  await invalid(() => env.v2.topups.get(5), 'id')
  await invalid(() => env.v2.topups.getSync(), 'id')
  await invalid(() => env.v2.topups.list({ perPage: '10' }), 'perPage')
  await invalid(() => env.v2.topups.list({ perPage: 0 }), 'perPage')
  await invalid(() => env.v2.topups.list('completed'), 'filter')
  await invalid(() => env.v2.topups.listAll({ page: -1 }), 'page')
  await invalid(() => env.v2.topups.wait('x', { deadlineMs: '10' }), 'deadlineMs')
  await invalid(() => env.v2.topups.wait('x', { deadlineMs: 0 }), 'deadlineMs')
  await invalid(() => env.v2.topups.waitSync('x', 5), 'options')
  await invalid(() => env.v2.topups.reconcile(null), 'reference')
  await invalid(() => env.v2.catalog.lookup({ networkId: 'x' }), 'networkId')
  await invalid(() => env.v2.catalog.lookup({}), 'phoneNumber')
  await invalid(() => env.v2.catalog.products('42'), 'networkId')
  await invalid(() => env.v2.catalog.networks(44), 'countryCode')
  await invalid(() => env.v2.balance.get({}), 'walletId')
  await invalid(() => env.v2.journalEntry(1), 'reference')
  await invalid(() => env.v1.transactions({}), 'transactionId')
  await invalid(() => env.v1.transactions({ extRefId: 9 }), 'extRefId')
  await invalid(() => env.v1.products('42'), 'serviceId')
  await invalid(() => env.v1.product(1.5), 'productId')
  await invalid(() => env.v1.wait(7), 'extRefId')
  await invalid(() => ca.parseAmount(true), 'amount')
  await invalid(() => ca.toE164(541112259), 'phoneNumber')
  await invalid(() => ca.toE164('0541112259', 'Ghana'), 'country')
  await invalid(() => ca.idempotencyKeyFor(), 'reference')
  await invalid(() => ca.isDefinitelyNotSent('NOPE'), 'code')
  await invalid(() => new ca.Sandbox({ port: 'x' }), 'port')
  await invalid(() => new ca.Sandbox({ port: 70000 }), 'port')
  await invalid(() => ca.Sandbox.start({ duplicateMode: 'maybe' }), 'duplicateMode')
  await invalid(() => env.sb.inject({ fault: 'meteor' }), 'fault')
  await invalid(() => env.sb.inject({}), 'fault')
  await invalid(() => env.sb.configure({ idempotencyMode: 'twice' }), 'idempotencyMode')
})

test('a signal in the wrong object is INVALID_INPUT naming `signal`, the call, and where it goes', async () => {
  const { signal } = new AbortController()
  const posts = env.sb.stats().v2.posts
  for (const [call, name, usage] of [
    [() => env.v2.topups.list({ signal }), 'client.topups.list', 'client.topups.list(filter, { signal })'],
    [() => env.v2.topups.listAll({ signal }), 'client.topups.listAll', 'client.topups.listAll(filter, { signal })'],
    [() => env.v2.topups.create({ ...GH, signal }), 'client.topups.create', 'client.topups.create(order, { signal })'],
    [() => env.v2.catalog.lookup({ phoneNumber: '+233541112259', signal }), 'client.catalog.lookup', 'client.catalog.lookup(options, { signal })'],
    [() => env.v1.sendTopup({ msisdn: '233541112259', amount: '5', signal }), 'client.sendTopup', 'client.sendTopup(order, { signal })'],
    [() => ca.Sandbox.start({ signal }), 'Sandbox.start', 'Sandbox.start(options, { signal })'],
  ]) {
    const e = await invalid(call, 'signal')
    assert.ok(e.message.includes(`is not an option of ${name} `), e.message)
    assert.ok(e.message.includes(`pass { signal } as the last argument: ${usage}`), e.message)
  }
  // a …Sync twin points to its Promise form; a call that cannot be cancelled says so
  const sync = await invalid(() => env.v2.topups.listSync({ signal }), 'signal')
  assert.match(sync.message, /client\.topups\.listSync .*cannot be cancelled.*client\.topups\.list\(filter, \{ signal \}\)/)
  assert.match((await invalid(() => env.v2.topups.prepare({ ...GH, signal }), 'signal')).message, /client\.topups\.prepare cannot be cancelled/)
  assert.equal(env.sb.stats().v2.posts, posts, 'nothing was sent')
  // in its place, the same signal is taken
  const sent = await env.v2.topups.create({ ...GH, phoneNumber: '+233541112290' }, { signal })
  assert.equal(sent.meta.origin, 'created')
  assert.equal(env.sb.stats().v2.posts, posts + 1)
  assert.equal((await env.v2.topups.list({ reference: sent.reference }, { signal }))[0].id, sent.id)
  assert.equal((await env.v2.topups.listAll({ reference: sent.reference }, { signal }).next()).value.id, sent.id)
  assert.equal((await env.v2.catalog.lookup({ phoneNumber: '+233541112259' }, { signal })).network.id, 42)
})

test('any other unknown key: INVALID_INPUT naming the key (its path when nested), the call and its options', async () => {
  const cases = [
    [() => new ca.V2Client({ apiKey: 'k', baseURL: env.sb.baseUrl }), 'baseURL', 'new V2Client', /its options are: apiKey, baseUrl, /],
    [() => new ca.V1Client({ email: 'a@b.c', token: 't', topupPth: '/adp' }), 'topupPth', 'new V1Client', /topupPath/],
    [() => new ca.V2Client({ apiKey: 'k', rateLimit: { perMinute: 5, perDay: 100 } }), 'rateLimit.perDay', 'new V2Client', /perMinute, perHour/],
    [() => env.v2.topups.create({ ...GH, sms: { msg: 'hi' } }), 'sms.msg', 'client.topups.create', /enabled, message/],
    [() => env.v2.topups.createSync({ ...GH, phone: '+233541112259' }), 'phone', 'client.topups.createSync', /phoneNumber/],
    [() => env.v2.topups.wait('x', { deadline: 5 }), 'deadline', 'client.topups.wait', /deadlineMs/],
    [() => env.v1.transactions({ extRefID: 'x' }), 'extRefID', 'client.transactions', /extRefId/],
    [() => env.v2.topups.get('x', { signal: undefined, timeoutMs: 5 }), 'timeoutMs', 'client.topups.get', /takes only \{ signal \}/],
    [() => env.v2.bulk([], { concurency: 2 }), 'concurency', 'client.bulk', /concurrency/],
    [() => ca.verifyWebhook('{}', 's', '1', 'k', { tolerance: 5 }), 'tolerance', 'verifyWebhook', /toleranceSec/],
    [() => new ca.Sandbox({ prot: 0 }), 'prot', 'new Sandbox', /port/],
    [() => env.sb.inject({ fault: 'slow', delay: 5 }), 'delay', 'sandbox.inject', /delayMs/],
  ]
  for (const [call, field, name, options] of cases) {
    const e = await invalid(call, field)
    assert.ok(e.message.includes(`is not an option of ${name} `), e.message)
    assert.match(e.message, options)
  }
  // inherited and symbol keys are not options, and are not refused
  const order = Object.assign(Object.create({ inherited: 1 }), GH, { [Symbol('tag')]: 1 })
  assert.equal(env.v2.topups.prepare(order).phoneNumber, GH.phoneNumber)
})

test('a parsed body given to webhook verification: INVALID_INPUT telling to use the raw body (express.raw)', async () => {
  const key = env.sb.apiKey
  const body = '{"event":"topup.completed","data":{"id":"t-1","status":"completed"}}'
  const ts = String(Math.floor(Date.now() / 1000))
  const sig = ca.signWebhook(body, ts, key)
  for (const call of [
    () => ca.verifyWebhook(JSON.parse(body), sig, ts, key),
    () => ca.constructWebhookEvent(JSON.parse(body), sig, ts, key),
    () => ca.parseWebhook(JSON.parse(body)),
    () => env.v2.verifyWebhook(JSON.parse(body), sig, ts),
  ]) {
    const e = await invalid(call, 'body')
    assert.match(e.message, /raw body/)
    assert.match(e.message, /express\.raw\(/)
  }
  const none = await invalid(() => ca.verifyWebhook(undefined, sig, ts, key), 'body')
  assert.match(none.message, /express\.raw/)
  await invalid(() => ca.verifyWebhook(body, sig, ts, 5), 'apiKey')
  await invalid(() => ca.verifyWebhook(body, sig, ts, key, { toleranceSec: '300' }), 'toleranceSec')
  // a missing signature or timestamp header cannot verify: INVALID_SIGNATURE (answer 400/401), not a crash
  for (const [s, t, field] of [[undefined, ts, 'signature'], [sig, undefined, 'timestamp']]) {
    const e = await rejects(() => ca.verifyWebhook(body, s, t, key), 'INVALID_SIGNATURE')
    assert.equal(e.field, field)
  }
  // Uint8Array and Buffer bodies verify alike
  assert.equal(ca.verifyWebhook(new TextEncoder().encode(body), sig, ts, key), undefined)

  // the classic mistake, end to end: express.json() in front of the handler
  const app = express()
  let seen
  app.post('/hook', express.json(), (req, res) => {
    try {
      env.v2.verifyWebhook(req.body, req.get('X-Webhook-Signature'), req.get('X-Webhook-Timestamp'))
      res.sendStatus(200)
    } catch (e) {
      seen = e
      res.sendStatus(400)
    }
  })
  const srv = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)) })
  try {
    const r = await fetch(`http://127.0.0.1:${srv.address().port}/hook`, {
      method: 'POST', body, headers: { 'content-type': 'application/json', 'X-Webhook-Signature': sig, 'X-Webhook-Timestamp': ts },
    })
    assert.equal(r.status, 400)
    assert.ok(seen instanceof ca.ClickAirtimeError)
    assert.equal(seen.code, 'INVALID_INPUT')
    assert.equal(seen.field, 'body')
    assert.match(seen.message, /express\.raw/)
  } finally {
    srv.closeAllConnections()
    await new Promise((r) => srv.close(r))
  }
})

test('no raw napi error escapes: every public call given garbage throws or rejects a ClickAirtimeError', async () => {
  const garbage = [undefined, null, 0, -1, 1.5, Number.NaN, 'x', '', true, {}, [], [1], () => 1, Symbol('s'), 10n, new Date(0), Buffer.from('x')]
  const targets = []
  const methods = (obj, proto) => Object.entries(Object.getOwnPropertyDescriptors(proto)).filter(([n, d]) => n !== 'constructor' && typeof d.value === 'function').map(([n]) => [obj, n])
  targets.push(...methods(env.v2, ca.V2Client.prototype), ...methods(env.v2.catalog, ca.V2Catalog.prototype))
  targets.push(...methods(env.v2.topups, ca.V2Topups.prototype), ...methods(env.v2.balance, ca.V2Balance.prototype))
  targets.push(...methods(env.v1, ca.V1Client.prototype))
  const fns = ['verifyWebhook', 'parseWebhook', 'constructWebhookEvent', 'signWebhook', 'toE164', 'toMsisdn', 'validateE164', 'validateMsisdn', 'parseAmount', 'idempotencyKeyFor', 'isDefinitelyNotSent']
  const raw = []
  const run = async (label, f) => {
    try {
      const r = f()
      if (r && typeof r.then === 'function') await r
    } catch (e) {
      if (!(e instanceof ca.ClickAirtimeError)) raw.push(`${label}: ${e && e.constructor && e.constructor.name}: ${e && e.message}`)
    }
  }
  for (const g of garbage) {
    for (const [obj, name] of targets) {
      // only arguments that cannot start a real send or a long wait
      if (/^(create|sendTopup)/.test(name) && (g === undefined || g === null)) continue
      await run(`${name}(${String(typeof g)})`, () => obj[name](g, g, g))
    }
    for (const name of fns) await run(`${name}(${typeof g})`, () => ca[name](g, g, g, g, g))
    await run(`new V2Client(${typeof g})`, () => new ca.V2Client(g))
    await run(`new V1Client(${typeof g})`, () => new ca.V1Client(g))
    await run(`sandbox.inject(${typeof g})`, () => env.sb.inject(g))
    await run(`sandbox.configure(${typeof g})`, () => env.sb.configure(g))
  }
  // the sandbox and the command's entry point: no options (undefined, null, {}, a Date: no keys) start a sandbox,
  // which is closed; anything else throws or rejects a ClickAirtimeError
  const noOptions = (g) => g === undefined || g === null || (typeof g === 'object' && !Array.isArray(g) && Object.keys(g).length === 0)
  const strict = async (label, f, mayWork) => {
    try {
      const r = await f()
      if (!mayWork) raw.push(`${label}: no error`)
      if (r instanceof ca.Sandbox) await r.close()
      else if (mayWork) raw.push(`${label}: ${String(r)}`)
    } catch (e) {
      if (!(e instanceof ca.ClickAirtimeError)) raw.push(`${label}: ${e && e.constructor && e.constructor.name}: ${e && e.message}`)
    }
  }
  for (const g of garbage) {
    await strict(`new Sandbox(${typeof g})`, () => new ca.Sandbox(g), noOptions(g))
    await strict(`Sandbox.start(${typeof g})`, () => ca.Sandbox.start(g), noOptions(g))
    await strict(`Sandbox.start({}, ${typeof g})`, () => ca.Sandbox.start({}, g), noOptions(g))
    await strict(`cliMain(${typeof g})`, () => ca.cliMain(g), false)
  }
  // methods and getters used detached from their object
  for (const [obj, name] of targets) await run(`detached ${name}`, () => obj[name].call(undefined, 'x'))
  for (const cls of [ca.V2Client, ca.V1Client, ca.Sandbox]) {
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(cls.prototype))) {
      if (d.get) await run(`detached getter ${name}`, () => d.get.call({}))
    }
  }
  assert.deepEqual(raw, [])
  const e = await rejects(() => env.v2.topups.get.call(undefined, 'x'), 'INVALID_INPUT')
  assert.equal(e.field, 'this')
})

test('a method on the wrong object says which: detached only when it is', async () => {
  const detached = await rejects(() => env.v2.topups.get.call(undefined, 'x'), 'INVALID_INPUT')
  assert.match(detached.message, /^invalid input: this: get must be used on its object \(client\.topups\.get\(…\)\), not detached/)
  const get = env.v1.pendingSync
  assert.match((await rejects(() => get(), 'INVALID_INPUT')).message, /not detached/)
  for (const [call, other] of [
    [() => env.v2.topups.get.call(env.v2.balance, 'x'), /on a V2Balance$/],
    [() => env.v2.topups.getSync.call(env.v1, 'x'), /on a V1Client$/],
    [() => env.v2.bulkSync.call({}, []), /on an object$/],
    [() => env.v2.topups.getSync.call(Object.create(ca.V2Topups.prototype), 'x'), /only inherits from V2Topups\.prototype$/],
  ]) {
    const w = await rejects(call, 'INVALID_INPUT')
    assert.equal(w.field, 'this')
    assert.match(w.message, / must be called on a V2(Topups|Client) made by the SDK /)
    assert.match(w.message, other)
    assert.doesNotMatch(w.message, /detached/)
  }
})
