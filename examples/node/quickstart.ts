// Quickstart (TypeScript): a till with types. A journal, recovery at start-up, the order's reference fixed
// before sending, and one true sentence for the cashier for every end of a sale.
//   tsc -p . && node dist/quickstart.js     (or run quickstart.js directly)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { V2Client, Sandbox, ClickAirtimeError, verifyWebhook, signWebhook } from 'clickairtime'
import type { TopUp, TopUpResponse, ErrorCode, PreparedTopUp, SendOrigin, TopUpRecovery } from 'clickairtime'

/** How one sale ended, as the till needs to know it. */
type Sale =
  | { end: 'finished'; topup: TopUp; origin: SendOrigin }
  | { end: 'on its way'; transactionId: string; status: string }
  | { end: 'sent'; transactionId: string }
  | { end: 'unknown'; reference: string }
  | { end: 'refused'; code: ErrorCode; other?: string }
  | { end: 'not sent'; code: ErrorCode }

async function sell(client: V2Client, order: PreparedTopUp): Promise<Sale> {
  let sent: TopUpResponse
  try {
    sent = await client.topups.create(order)
  } catch (err) {
    if (!(err instanceof ClickAirtimeError)) throw err
    switch (err.code) {
      case 'OUTCOME_UNKNOWN':
        return { end: 'unknown', reference: err.reference ?? order.reference }
      case 'DUPLICATE_SALE':
      case 'REFERENCE_CONFLICT':
        return { end: 'refused', code: err.code, other: err.existingReference ?? err.transactionId }
      default:
        return { end: 'not sent', code: err.code }
    }
  }
  try {
    const done = await client.topups.wait(sent.id, { initialIntervalMs: 100 })
    return { end: 'finished', topup: done, origin: sent.meta.origin ?? 'created' }
  } catch (err) {
    // the top-up exists: a wait that ends early never means "not sent"
    if (err instanceof ClickAirtimeError && err.code === 'STILL_PENDING') {
      return { end: 'on its way', transactionId: sent.id, status: err.status ?? sent.status }
    }
    return { end: 'sent', transactionId: sent.id }
  }
}

/** The sentence the cashier reads aloud. */
function say(s: Sale): string {
  switch (s.end) {
    case 'finished':
      return s.topup.status === 'completed'
        ? `Delivered: ${s.topup.amount?.value} ${s.topup.amount?.currency} (receipt ${s.topup.id}).`
        : `The network reports this top-up ${s.topup.status} (${s.topup.failureReason ?? 'no reason given'}), receipt ${s.topup.id}.`
    case 'on its way':
      return `Sent, still on its way (${s.status}). Tell the customer it is coming; do not sell it again.`
    case 'sent':
      return `Sent (receipt ${s.transactionId}); its final status could not be read yet. Do not sell it again.`
    case 'unknown':
      return `We cannot tell yet whether it went through. Do NOT sell it again and do not refund (reference ${s.reference}).`
    case 'refused':
      return `Refused (${s.code}): the API holds another sale (${s.other ?? 'unnamed'}). Nothing was sold for this one.`
    case 'not sent':
      return `Nothing was sold (${s.code}). You may sell it again.`
  }
}

function report(r: TopUpRecovery): string {
  return `${r.entry.reference}: ${r.entry.state}${r.record ? ` (${r.record.id})` : ''}`
}

async function main(): Promise<void> {
  const sandbox = await Sandbox.start()
  const dir = mkdtempSync(join(tmpdir(), 'clickairtime-till-'))
  try {
    const client = new V2Client({ apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl, journal: join(dir, 'sales.journal') })
    const recovered: TopUpRecovery[] = await client.recover()
    console.log(`recovered at start-up: ${recovered.length} ${recovered.map(report).join(', ')}`)

    const phoneNumber = '+233201234567'
    const found = await client.catalog.lookup({ phoneNumber })
    const order: PreparedTopUp = client.topups.prepare({
      phoneNumber,
      networkId: found.network.id,
      amount: '25.50',
      currency: found.network.currency ?? 'GHS',
    })
    const sale = await sell(client, order)
    if (sale.end === 'finished') {
      const status: string = sale.topup.status
      console.log(`${sale.topup.id}: ${status}, ${sale.topup.amount?.value} ${sale.topup.amount?.currency}`)
    }
    console.log(`cashier: ${say(sale)}`)

    const entry = await client.journalEntry(order.reference)
    console.log(`journal: ${entry?.state}, written ${entry ? new Date(entry.createdAt).toISOString() : '-'}`)

    const bad = await sell(client, client.topups.prepare({ phoneNumber: '+233555000002', networkId: 42, amount: '5', currency: 'GHS' }))
    const code: ErrorCode | undefined = bad.end === 'not sent' ? bad.code : undefined
    console.log(`bad recipient: ${code}`)
    console.log(`cashier: ${say(bad)}`)

    const balance = await client.balance.list()
    for (const w of balance.wallets) console.log(`wallet ${w.id}: ${w.balance} ${w.currency} (${w.walletType})`)

    // Webhooks: verify the raw body (e.g. express.raw()) before trusting it.
    const body = Buffer.from(JSON.stringify({ event: 'topup.completed', data: { id: order.reference, status: 'completed' } }))
    const ts = String(Math.floor(Date.now() / 1000))
    verifyWebhook(body, signWebhook(body, ts, sandbox.apiKey), ts, sandbox.apiKey, { toleranceSec: 300 })
    const event = client.verifyWebhook(body, signWebhook(body, ts, sandbox.apiKey), ts)
    console.log(`webhook ${event.eventType} for ${event.topup?.id}`)
  } finally {
    await sandbox.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
