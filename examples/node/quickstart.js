// Quickstart (CommonJS): look a number up, send a top-up safely, wait for it, handle errors, list history.
// Runs against the built-in sandbox, so it needs no account:  node quickstart.js
'use strict'
const { V2Client, V1Client, Sandbox, ClickAirtimeError } = require('clickairtime')

async function main() {
  const sandbox = await Sandbox.start()
  try {
    const client = new V2Client({ apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl, timeoutMs: 30000 })

    // 1. Which network is this number on, and what can it receive?
    const { data: found } = await client.catalog.lookup({ phoneNumber: '+233241234567' })
    console.log(`network: ${found.network.name} (${found.network.id}), currency ${found.network.currency}`)

    // 2. Send 10.00 GHS. The reference is yours (unique per sale); amounts are exact decimal strings.
    const sent = await client.topups.create({
      phoneNumber: '+233241234567',
      networkId: found.network.id,
      amount: '10.00',
      currency: 'GHS',
      reference: `sale-${Date.now()}`,
    })
    console.log(`sent ${sent.data.id}: ${sent.data.status}, cost ${sent.data.cost?.value} ${sent.data.cost?.currency}`)

    // 3. Wait until it is completed or failed.
    const done = await client.topups.wait(sent.data.id, { initialIntervalMs: 100 })
    console.log(`final status: ${done.data.status}`)

    // 4. Errors carry a stable code; OUTCOME_UNKNOWN is never "failed": reconcile by reference later.
    try {
      await client.topups.create({ phoneNumber: '+233555000001', networkId: 42, amount: '5', currency: 'GHS' })
    } catch (err) {
      if (!(err instanceof ClickAirtimeError)) throw err
      console.log(`declined: ${err.code} (http ${err.httpStatus}, reference ${err.reference})`)
    }

    // 5. Every top-up, page after page.
    let count = 0
    for await (const t of client.topups.listAll({ perPage: 50 })) {
      if (t.status === 'completed') count++
    }
    console.log(`completed top-ups: ${count}`)

    // The legacy V1 API works the same way.
    const v1 = new V1Client({ email: sandbox.v1Email, token: sandbox.v1Token, baseUrl: sandbox.baseUrl })
    const legacy = await v1.sendTopup({ msisdn: '233241234567', amount: '5' })
    console.log(`v1: ${legacy.data.state} (extRefId ${legacy.meta.reference})`)
  } finally {
    await sandbox.close()
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
