'use strict'
// Mirrors core/src/v2/balance.rs.
const test = require('node:test')
const assert = require('node:assert/strict')
const { setup, rejects, FAST } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

test('list wallets with exact decimal balances', async () => {
  const r = await env.v2.balance.list()
  assert.equal(r.availableBalance.currency, 'USD')
  assert.match(r.availableBalance.amount, /^\d+(\.\d+)?$/)
  const global = r.wallets.find((w) => w.walletType === 'global')
  assert.equal(global.currency, 'USD')
  assert.equal(global.status, 'active')
  assert.deepEqual(global.allowedCountries, ['All Countries'])
  assert.ok(r.wallets.some((w) => w.walletType === 'local' && w.currency === 'GHS'))
  for (const w of r.wallets) assert.equal(typeof w.balance, 'string')
})

test('get one wallet; unknown wallet is NOT_FOUND', async () => {
  const list = env.v2.balance.listSync()
  const ghs = list.wallets.find((w) => w.currency === 'GHS')
  const one = await env.v2.balance.get(ghs.id)
  assert.equal(one.id, ghs.id)
  assert.equal(one.balance, ghs.balance)
  assert.equal(env.v2.balance.getSync(ghs.id).currency, 'GHS')
  const e = await rejects(() => env.v2.balance.get('wal_nope_999'), 'NOT_FOUND')
  assert.equal(e.apiCode, 'WALLET_NOT_FOUND')
  await rejects(() => env.v2.balance.get('bad/id'), 'INVALID_INPUT')
})

test('a completed top-up debits the GHS wallet by exactly its amount', async () => {
  const before = (await env.v2.balance.list()).wallets.find((w) => w.currency === 'GHS').balance
  const t = await env.v2.topups.create({ phoneNumber: '+233541112259', networkId: 42, amount: '7.25', currency: 'GHS' })
  await env.v2.topups.wait(t.id, FAST)
  const after = (await env.v2.balance.list()).wallets.find((w) => w.currency === 'GHS').balance
  // exact decimal arithmetic in cents, no floats
  const cents = (s) => { const [i, f = ''] = s.split('.'); return BigInt(i) * 100n + BigInt((f + '00').slice(0, 2)) }
  assert.equal(cents(before) - cents(after), 725n)
})
