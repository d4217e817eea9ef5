'use strict'
// Calls run off the event loop: many at once from one client, and timers keep firing during a slow call.
const test = require('node:test')
const assert = require('node:assert/strict')
const { ca, setup, FAST } = require('./helpers')

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

test('a burst as wide as the SDK pool reuses its connections (one idle connection kept per SDK thread)', async () => {
  // a server that holds every answer 60 ms, so that a burst of 64 calls is 64 exchanges in flight at once,
  // and counts the TCP connections it accepts
  const http = require('node:http')
  let connections = 0
  const srv = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => setTimeout(() => {
      const id = req.url.split('/').pop()
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ success: true, data: { id, status: 'completed' }, meta: { request_id: `req-${id}` } }))
    }, 60))
  })
  srv.on('connection', () => { connections++ })
  await new Promise((r) => srv.listen(0, '127.0.0.1', r))
  try {
    const c = new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: `http://127.0.0.1:${srv.address().port}` })
    const burst = async (round) => {
      const got = await Promise.all(Array.from({ length: 64 }, (_, i) => c.topups.get(`t-${round}-${i}`)))
      assert.deepEqual(got.map((t) => t.id), Array.from({ length: 64 }, (_, i) => `t-${round}-${i}`))
    }
    await burst(1)
    const first = connections
    assert.ok(first >= 32, `the first burst ran ${first} exchanges at once`)
    await burst(2)
    await burst(3)
    // with core's default of 16 idle connections, bursts 2 and 3 opened 96 new ones (48 each)
    assert.ok(connections - first <= 4, `${connections - first} new connections after the first burst of ${first}`)
  } finally {
    srv.closeAllConnections()
    await new Promise((r) => srv.close(r))
  }
})
