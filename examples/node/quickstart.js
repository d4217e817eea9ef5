// Quickstart (CommonJS): a till. It keeps a crash-safe journal, settles at start-up whatever a crash left open,
// fixes each sale's reference before sending it, and tells the cashier only what is true for every outcome.
// Runs against the built-in sandbox, so it needs no account:  node quickstart.js
'use strict'
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { V2Client, V1Client, Sandbox, ClickAirtimeError } = require('clickairtime')

/** What the cashier reads aloud when a sale ends in an error. Each sentence is true for its code. */
function sayError(err) {
  if (!(err instanceof ClickAirtimeError)) throw err
  switch (err.code) {
    case 'OUTCOME_UNKNOWN':
      return `We cannot tell yet whether this top-up went through. Do NOT sell it again and do not refund: ` +
        `reference ${err.reference} is in the journal and will be checked.`
    case 'STILL_PENDING':
      return `The top-up was sent and is still on its way (${err.status}). Tell the customer it is coming; ` +
        `check transaction ${err.transactionId} later. Do not sell it again.`
    case 'DUPLICATE_SALE':
      return `Refused: the same top-up was just sold to this number (sale ${err.existingReference}). ` +
        'Nothing was sold for this one.'
    case 'REFERENCE_CONFLICT':
      return `Refused: this sale's reference already belongs to another sale (${err.transactionId ?? 'unknown id'}). ` +
        'Nothing was sold for this one; start a new sale.'
    case 'JOURNAL':
      return 'The till cannot write its sales journal, so nothing was sent. Fix the disk, then sell again.'
    case 'INSUFFICIENT_BALANCE':
      return 'Nothing was sold: the wallet balance is too low.'
    case 'INVALID_RECIPIENT':
      return 'Nothing was sold: the API refused this phone number.'
    case 'INVALID_INPUT':
      return `Nothing was sold: ${err.field ?? 'the order'} is not valid. Correct it and sell again.`
    default:
      // every other code is definite: no top-up was created
      return `Nothing was sold (${err.code}). You may sell it again.`
  }
}

/** What the cashier reads aloud for a finished top-up. */
function sayTopUp(t) {
  if (t.status === 'completed') return `Delivered: ${t.amount?.value} ${t.amount?.currency} to ${t.phoneNumber} (receipt ${t.id}).`
  if (t.status === 'failed') return `The network reports this top-up failed (${t.failureReason ?? 'no reason given'}), receipt ${t.id}.`
  return `Sent; status ${t.status} (receipt ${t.id}).`
}

async function main() {
  const sandbox = await Sandbox.start()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clickairtime-till-'))
  try {
    // The journal: every send is written down before it leaves. Keep it on the till's disk.
    const client = new V2Client({ apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl, journal: path.join(dir, 'sales.journal') })

    // 0. At start-up: settle what a crash or a lost connection left open.
    for (const { entry, record } of await client.recover()) {
      if (entry.state === 'sent') console.log(`recovered ${entry.reference}: it was sold (${record?.status})`)
      else if (entry.state === 'not_sent') console.log(`recovered ${entry.reference}: it was never created; it may be sold again`)
      else console.log(`recovered ${entry.reference}: still ${entry.state}; do not sell it again, check later`)
    }
    console.log(`open sales after recovery: ${(await client.pending()).length}`)

    // 1. Which network is this number on, and what can it receive?
    const found = await client.catalog.lookup({ phoneNumber: '+233241234567' })
    console.log(`network: ${found.network.name} (${found.network.id}), currency ${found.network.currency}`)

    // 2. Fix the sale's reference (and idempotency key) before sending: a till writes `order` down with the
    //    sale, so after a crash the same sale is recognised and never sold twice.
    const order = client.topups.prepare({ phoneNumber: '+233241234567', networkId: found.network.id, amount: '10.00', currency: 'GHS' })
    console.log(`sale ${order.reference} (key ${order.idempotencyKey})`)
    try {
      const sent = await client.topups.create(order)
      console.log(`sent ${sent.id} (${sent.meta.origin}): ${sent.status}, cost ${sent.cost?.value} ${sent.cost?.currency}`)
      // 3. Wait until it is completed or failed.
      const done = await client.topups.wait(sent.id, { initialIntervalMs: 100 })
      console.log(`final status: ${done.status}`)
      console.log(`cashier: ${sayTopUp(done)}`)
    } catch (err) {
      console.log(`cashier: ${sayError(err)}`)
    }

    // 4. Pressing "sell" again for the same sale: the journal answers, nothing is written again.
    const again = await client.topups.create(order)
    console.log(`same sale again: ${again.meta.origin}, ${again.id}`)

    // 5. Every other end has a true message. A declined sale:
    try {
      await client.topups.create({ phoneNumber: '+233555000001', networkId: 42, amount: '5', currency: 'GHS' })
    } catch (err) {
      console.log(`declined: ${err.code} (http ${err.httpStatus}, reference ${err.reference})`)
      console.log(`cashier: ${sayError(err)}`)
    }
    // … and the same amount to the same number again within the API's duplicate window (another sale):
    try {
      await client.topups.create({ phoneNumber: '+233241234567', networkId: found.network.id, amount: '10.00', currency: 'GHS' })
    } catch (err) {
      console.log(`refused: ${err.code}`)
      console.log(`cashier: ${sayError(err)}`)
    }

    // 6. Every top-up, page after page.
    let count = 0
    for await (const t of client.topups.listAll({ perPage: 50 })) {
      if (t.status === 'completed') count++
    }
    console.log(`completed top-ups: ${count}`)

    // The legacy V1 API works the same way (its own journal entries, keyed by extRefId).
    const v1 = new V1Client({ email: sandbox.v1Email, token: sandbox.v1Token, baseUrl: sandbox.baseUrl, journal: path.join(dir, 'sales.journal') })
    await v1.recover()
    const legacy = await v1.sendTopup(v1.prepareTopup({ msisdn: '233241234567', amount: '5' }))
    console.log(`v1: ${legacy.state} (extRefId ${legacy.meta.reference}, ${legacy.meta.origin})`)
  } finally {
    await sandbox.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
