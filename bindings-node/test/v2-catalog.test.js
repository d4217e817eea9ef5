'use strict'
// Mirrors core/src/v2/catalog.rs: lookup, countries, networks, products.
const test = require('node:test')
const assert = require('node:assert/strict')
const { setup, rejects } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

test('lookup by phone finds the network, rate and products', async () => {
  const r = await env.v2.catalog.lookup({ phoneNumber: '+233541112259' })
  assert.equal(r.phoneNumber, '+233541112259')
  assert.equal(r.network.id, 42)
  assert.equal(r.network.name, 'MTN Ghana')
  assert.equal(r.network.currency, 'GHS')
  assert.equal(typeof r.exchangeRate.rate, 'string')
  assert.equal(r.exchangeRate.rate, '12.35')
  assert.equal(r.products.customAirtime.available, true)
  assert.equal(r.products.fixedBundles.length, 2)
  for (const b of r.products.fixedBundles) {
    assert.match(b.id, /^\d+$/)
    assert.ok(['DATA', 'AIRTIME'].includes(b.bundleType))
    assert.match(b.priceUsd, /^\d+(\.\d+)?$/)
  }
  assert.equal(r.meta.httpStatus, 200)
  assert.match(r.meta.requestId, /^req_[a-z0-9]{12}$/)
  assert.equal(r.meta.rateLimit.limit, 600)
})

test('lookup by network id only, and the sync twin agrees', async () => {
  const a = await env.v2.catalog.lookup({ networkId: 71 })
  const b = env.v2.catalog.lookupSync({ networkId: 71 })
  assert.equal(a.network.name, 'Safaricom')
  assert.equal(a.phoneNumber, undefined)
  assert.deepEqual(a.network, b.network)
  assert.deepEqual(a.products, b.products)
})

test('lookup validates before any network call and maps API errors', async () => {
  const e = await rejects(() => env.v2.catalog.lookup({}), 'INVALID_INPUT')
  assert.equal(e.field, 'phoneNumber')
  await rejects(() => env.v2.catalog.lookup({ phoneNumber: '0541112259' }), 'INVALID_INPUT')
  const hlr = await rejects(() => env.v2.catalog.lookup({ phoneNumber: '+999123456789' }), 'API_ERROR')
  assert.equal(hlr.apiCode, 'HLR_LOOKUP_FAILED')
  assert.equal(hlr.httpStatus, 400)
  const nf = await rejects(() => env.v2.catalog.lookup({ networkId: 999 }), 'NOT_FOUND')
  assert.equal(nf.apiCode, 'NETWORK_NOT_FOUND')
  assert.match(nf.requestId, /^req_/)
})

test('countries and networks', async () => {
  const c = await env.v2.catalog.countries()
  assert.ok(c.length >= 5)
  assert.ok(c.some((x) => x.countryCode === 'GH' || (x.networks || []).some((n) => n.countryCode === 'GH')))
  const all = await env.v2.catalog.networks()
  assert.equal(all.length, 7)
  const gh = await env.v2.catalog.networks('GH')
  assert.deepEqual(gh.map((n) => n.id).sort(), [23, 24, 42])
  assert.deepEqual(env.v2.catalog.networksSync('gh').map((n) => n.id).sort(), [23, 24, 42])
  await rejects(() => env.v2.catalog.networks('GHA'), 'INVALID_INPUT')
})

test('products of a network', async () => {
  const p = await env.v2.catalog.products(61)
  assert.equal(p.network.currency, 'NGN')
  assert.equal(p.products.fixedBundles.length, 2)
  assert.equal(env.v2.catalog.productsSync(61).network.id, 61)
  await rejects(() => env.v2.catalog.products(0), 'INVALID_INPUT')
  await rejects(() => env.v2.catalog.products(12345), 'NOT_FOUND')
})
