'use strict'
// Calls run off the event loop: many at once from one client, and timers keep firing during a slow call.
const test = require('node:test')
const assert = require('node:assert/strict')
const { setup, FAST } = require('./helpers')

let env
test.before(async () => { env = await setup({ slowDelayMs: 800 }) })
test.after(() => env.sb.close())

test('50 concurrent calls from one client all succeed', async () => {
  const creates = Array.from({ length: 25 }, (_, i) => env.v2.topups.create({ phoneNumber: `+2335411100${String(i).padStart(2, '0')}`, networkId: 42, amount: String(i + 1), currency: 'GHS' }))
  const reads = Array.from({ length: 25 }, (_, i) => (i % 2 ? env.v2.catalog.lookup({ phoneNumber: '+233541112259' }) : env.v2.balance.list()))
  const results = await Promise.all([...creates, ...reads])
  assert.equal(results.length, 50)
  const ids = new Set(results.slice(0, 25).map((r) => r.id))
  assert.equal(ids.size, 25)
  for (const r of results) assert.ok(r.meta.httpStatus === 200 || r.meta.httpStatus === 201)
  assert.equal(env.sb.transactions().v2.length, 25)
  const done = await Promise.all([...ids].map((id) => env.v2.topups.wait(id, FAST)))
  assert.ok(done.every((d) => d.status === 'completed'))
})

test('a timer keeps firing while a slow call is in flight', async () => {
  let ticks = 0
  const timer = setInterval(() => { ticks++ }, 10)
  try {
    const started = Date.now()
    const r = await env.v2.topups.create({ phoneNumber: '+233555000009', networkId: 42, amount: '2', currency: 'GHS' })
    const elapsed = Date.now() - started
    assert.equal(r.meta.httpStatus, 201)
    assert.ok(elapsed >= 700, `the slow answer took ${elapsed} ms`)
    // ~80 ticks if the loop is free; a blocked loop would give at most 1
    assert.ok(ticks >= 20, `only ${ticks} ticks in ${elapsed} ms`)
  } finally {
    clearInterval(timer)
  }
})

test('the sync twin does block the event loop (as documented)', () => {
  let ticks = 0
  const timer = setInterval(() => { ticks++ }, 5)
  try {
    env.v1.sendTopupSync({ msisdn: '233555000009', amount: '2' })
    assert.equal(ticks, 0)
  } finally {
    clearInterval(timer)
  }
})
