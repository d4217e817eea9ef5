// `import` works, and shares classes with `require` (one addon, one error class).
import test from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import ca, { V2Client, V1Client, Sandbox, ClickAirtimeError, verifyWebhook, parseWebhook, errorCodes } from 'clickairtime'

const require = createRequire(import.meta.url)

test('ESM named and default exports equal the CommonJS ones', () => {
  const cjs = require('clickairtime')
  assert.deepEqual(Object.keys(ca).sort(), Object.keys(cjs).sort())
  assert.equal(V2Client, cjs.V2Client)
  assert.equal(V1Client, cjs.V1Client)
  assert.equal(ClickAirtimeError, cjs.ClickAirtimeError)
  assert.equal(typeof verifyWebhook, 'function')
  assert.equal(typeof parseWebhook, 'function')
  assert.ok(errorCodes().includes('OUTCOME_UNKNOWN'))
})

test('an ESM caller gets typed errors and results', async () => {
  const sb = await Sandbox.start()
  try {
    const c = new V2Client({ apiKey: sb.apiKey, baseUrl: sb.baseUrl })
    const r = await c.catalog.lookup({ phoneNumber: '+233201234567' })
    assert.equal(r.network.name, 'Vodafone Ghana')
    await assert.rejects(() => c.topups.get('missing'), (e) => e instanceof ClickAirtimeError && e.code === 'NOT_FOUND')
  } finally {
    await sb.close()
  }
})
