'use strict'
// A panic in Rust must never abort the Node process: every …Sync function, every exported function and every
// asynchronous task runs inside one guard that turns a panic into a ClickAirtimeError (API_ERROR; for a send,
// OUTCOME_UNKNOWN with its reference: the write may have left). The core no longer panics on the hostile
// webhook timestamp that used to do it, so the guard is exercised through a test-only hook of the addon
// (`__armPanicForTests(count, skip)`, refused unless CLICKAIRTIME_TEST_HOOKS=1) that makes the next guarded
// call panic inside the guard.
const test = require('node:test')
const assert = require('node:assert/strict')
const native = require('../index.js')
const { ca, setup, rejects, ref } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

const arm = (count, skip = 0) => native.__armPanicForTests(count, skip)

test('the hook is off unless CLICKAIRTIME_TEST_HOOKS=1', () => {
  delete process.env.CLICKAIRTIME_TEST_HOOKS
  assert.throws(() => arm(1), (e) => e instanceof ca.ClickAirtimeError && e.code === 'INVALID_INPUT')
  process.env.CLICKAIRTIME_TEST_HOOKS = '1'
  arm(0)
})

test('the hostile webhook timestamp (-9223372036854775808) is INVALID_SIGNATURE, not a panic', () => {
  const key = env.sb.apiKey
  for (const ts of ['-9223372036854775808', '9223372036854775807', '18446744073709551616', '-1', '0']) {
    const sig = ca.signWebhook('{}', ts, key)
    assert.throws(() => ca.verifyWebhook('{}', sig, ts, key), (e) => e.code === 'INVALID_SIGNATURE', ts)
    assert.throws(() => ca.constructWebhookEvent('{}', sig, ts, key), (e) => e.code === 'INVALID_SIGNATURE', ts)
    assert.throws(() => env.v2.verifyWebhook('{}', sig, ts), (e) => e.code === 'INVALID_SIGNATURE', ts)
  }
})

test('a panic in an exported function is a ClickAirtimeError, and the process goes on', () => {
  process.env.CLICKAIRTIME_TEST_HOOKS = '1'
  for (const call of [
    () => ca.verifyWebhook('{}', '00', '-9223372036854775808', env.sb.apiKey),
    () => ca.toE164('+233541112259'),
    () => ca.parseAmount('1'),
    () => ca.newReference(),
    () => ca.errorCodes(),
    () => ca.version(),
    () => new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: env.sb.baseUrl }),
  ]) {
    arm(1)
    assert.throws(call, (e) => e instanceof ca.ClickAirtimeError && e.code === 'API_ERROR' && /panicked/.test(e.message))
  }
  assert.equal(ca.toE164('233541112259'), '+233541112259', 'disarmed after one')
})

test('a panic in a …Sync method or a sandbox call is a ClickAirtimeError', () => {
  arm(1)
  assert.throws(() => env.v2.balance.listSync(), (e) => e instanceof ca.ClickAirtimeError && e.code === 'API_ERROR')
  arm(1)
  assert.throws(() => env.v2.topups.getSync('x'), (e) => e.code === 'API_ERROR')
  arm(1)
  assert.throws(() => env.v1.pendingSync(), (e) => e.code === 'API_ERROR')
  arm(1)
  assert.throws(() => env.sb.transactions(), (e) => e.code === 'API_ERROR')
  assert.ok(Array.isArray(env.sb.transactions().v2))
})

test('a panic in every …Sync method of every exported class (found by reflection) is a ClickAirtimeError', async () => {
  process.env.CLICKAIRTIME_TEST_HOOKS = '1'
  const spare = await ca.Sandbox.start() // its closeSync may run for real if the guard were missing
  const instances = new Map([
    [ca.V2Client, env.v2], [ca.V1Client, env.v1], [ca.V2Catalog, env.v2.catalog], [ca.V2Topups, env.v2.topups],
    [ca.V2Balance, env.v2.balance], [ca.TopUpIterator, env.v2.topups.listAll()], [ca.Sandbox, spare],
  ])
  const syncNames = (cls) => Object.getOwnPropertyNames(cls.prototype).filter((n) => n.endsWith('Sync') && typeof cls.prototype[n] === 'function')
  const classes = Object.values(ca).filter((v) => typeof v === 'function' && v.prototype && syncNames(v).length > 0)
  assert.deepEqual(classes.filter((c) => !instances.has(c)).map((c) => c.name), [], 'an exported class with …Sync methods has no instance here')
  const called = []
  try {
    for (const [cls, obj] of instances) {
      for (const name of syncNames(cls)) {
        arm(1)
        // no arguments: were the guard skipped, the call would fail on its input (nothing sent, nothing waited for)
        assert.throws(() => obj[name](), (e) => e instanceof ca.ClickAirtimeError && e.code === 'API_ERROR' && /panicked/.test(e.message), `${cls.name}.${name}`)
        called.push(`${cls.name}.${name}`)
      }
    }
  } finally {
    arm(0)
    await spare.close()
  }
  for (const expected of ['V2Topups.createSync', 'V2Topups.waitSync', 'V1Client.sendTopupSync', 'V2Client.bulkSync', 'TopUpIterator.nextSync', 'Sandbox.closeSync']) {
    assert.ok(called.includes(expected), `${expected} not among ${called.join(', ')}`)
  }
  // disarmed: the process goes on and the SDK answers
  assert.equal(env.v2.balance.listSync().meta.httpStatus, 200)
})

test('a panic in an asynchronous call rejects its Promise with a ClickAirtimeError', async () => {
  arm(1)
  await rejects(() => env.v2.balance.list(), 'API_ERROR')
  arm(1)
  await rejects(() => env.v1.balances(), 'API_ERROR')
  assert.ok((await env.v2.balance.list()).wallets.length > 0)
})

test('a panic during a send is OUTCOME_UNKNOWN with the reference and key, never "not sent"', async () => {
  const reference = ref('panic')
  const order = { phoneNumber: '+233541112501', networkId: 42, amount: '5', currency: 'GHS', reference }
  arm(1, 1) // let the order's preparation through, panic in the send itself
  const e = await rejects(() => Promise.resolve().then(() => env.v2.topups.createSync(order)), 'OUTCOME_UNKNOWN')
  assert.equal(e.reference, reference)
  assert.equal(e.idempotencyKey, ca.idempotencyKeyFor(reference))
  assert.equal(e.causeKind, 'API_ERROR')
  assert.match(e.message, /panicked/)
  arm(1, 1)
  const a = await rejects(() => env.v2.topups.create(order), 'OUTCOME_UNKNOWN')
  assert.equal(a.reference, reference)
  const extRefId = ref('panic1')
  arm(1, 1)
  const v1e = await rejects(() => env.v1.sendTopup({ msisdn: '233541112501', amount: '5', extRefId }), 'OUTCOME_UNKNOWN')
  assert.equal(v1e.reference, extRefId)
  // the armed panics fired before the core was called: nothing was written, and selling it now works once
  assert.equal(env.sb.transactions().v2.filter((t) => t.reference === reference).length, 0)
  assert.equal((await env.v2.topups.create(order)).meta.origin, 'created')
})
