'use strict'
// Configuration from the environment when not passed: CLICKAIRTIME_API_KEY, CLICKAIRTIME_V1_EMAIL,
// CLICKAIRTIME_V1_TOKEN, CLICKAIRTIME_BASE_URL (read from process.env when the client is built; what is passed
// wins; an empty variable counts as unset).
const test = require('node:test')
const assert = require('node:assert/strict')
const { ca, setup, rejects } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

const VARS = ['CLICKAIRTIME_API_KEY', 'CLICKAIRTIME_V1_EMAIL', 'CLICKAIRTIME_V1_TOKEN', 'CLICKAIRTIME_BASE_URL']

/** Run `fn` with exactly `vars` set among the four. */
async function withEnv(vars, fn) {
  const saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]))
  for (const k of VARS) delete process.env[k]
  Object.assign(process.env, vars)
  try {
    return await fn()
  } finally {
    for (const k of VARS) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  }
}

test('new V2Client() and new V1Client() read their settings from the environment', async () => {
  await withEnv({
    CLICKAIRTIME_API_KEY: env.sb.apiKey, CLICKAIRTIME_BASE_URL: env.sb.baseUrl,
    CLICKAIRTIME_V1_EMAIL: env.sb.v1Email, CLICKAIRTIME_V1_TOKEN: env.sb.v1Token,
  }, async () => {
    const v2 = new ca.V2Client()
    assert.equal(v2.baseUrl, env.sb.baseUrl)
    assert.ok((await v2.balance.list()).wallets.length > 0)
    const v2opts = new ca.V2Client({ timeoutMs: 5000 })
    assert.equal((await v2opts.catalog.lookup({ networkId: 42 })).network.id, 42)
    const v1 = new ca.V1Client()
    assert.ok((await v1.balances()).length > 0)
  })
})

test('what is passed wins over the environment; empty variables are unset', async () => {
  await withEnv({ CLICKAIRTIME_API_KEY: 'ce_live_' + 'x'.repeat(32), CLICKAIRTIME_BASE_URL: 'http://127.0.0.1:9' }, async () => {
    const c = new ca.V2Client({ apiKey: env.sb.apiKey, baseUrl: env.sb.baseUrl })
    assert.ok((await c.balance.list()).wallets.length > 0)
    // the key from the environment, the URL passed: the sandbox refuses the key
    await rejects(() => new ca.V2Client({ baseUrl: env.sb.baseUrl }).balance.list(), 'AUTHENTICATION')
  })
  await withEnv({ CLICKAIRTIME_API_KEY: '' }, async () => {
    const e = await rejects(() => new ca.V2Client(), 'INVALID_INPUT')
    assert.equal(e.field, 'apiKey')
  })
  await withEnv({}, async () => {
    assert.equal(new ca.V2Client({ apiKey: 'k' }).baseUrl, 'https://api.clickairtime.com')
    assert.equal((await rejects(() => new ca.V1Client({ token: 't' }), 'INVALID_INPUT')).field, 'email')
    assert.equal((await rejects(() => new ca.V1Client({ email: 'a@b.c' }), 'INVALID_INPUT')).field, 'token')
  })
  // a bad URL from the environment is named as the option it stands for
  await withEnv({ CLICKAIRTIME_API_KEY: 'k', CLICKAIRTIME_BASE_URL: 'http://api.example.com' }, async () => {
    assert.equal((await rejects(() => new ca.V2Client(), 'INVALID_INPUT')).field, 'baseUrl')
  })
})
