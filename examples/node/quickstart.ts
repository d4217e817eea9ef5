// Quickstart (TypeScript): the same flow with types (import syntax; compiles to CommonJS or ESM).
//   tsc -p . && node dist/quickstart.js     (or run quickstart.js directly)
import { V2Client, Sandbox, ClickAirtimeError, verifyWebhook, signWebhook } from 'clickairtime'
import type { TopUp, TopUpResponse, ErrorCode, CreateTopUpOptions } from 'clickairtime'

async function sell(client: V2Client, phoneNumber: string, amount: string): Promise<TopUp> {
  const { data: found } = await client.catalog.lookup({ phoneNumber })
  const request: CreateTopUpOptions = {
    phoneNumber,
    networkId: found.network.id,
    amount,
    currency: found.network.currency ?? 'GHS',
    reference: `sale-${Date.now()}`,
  }
  try {
    const sent: TopUpResponse = await client.topups.create(request)
    return (await client.topups.wait(sent.data.id, { initialIntervalMs: 100 })).data
  } catch (err) {
    if (err instanceof ClickAirtimeError && err.code === 'OUTCOME_UNKNOWN') {
      // The top-up may exist: find it by reference instead of sending it again.
      const again = await client.topups.reconcile(err.reference ?? request.reference!)
      if (again) return again.data
    }
    throw err
  }
}

async function main(): Promise<void> {
  const sandbox = await Sandbox.start()
  try {
    const client = new V2Client({ apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl })
    const topup = await sell(client, '+233201234567', '25.50')
    const status: string = topup.status
    console.log(`${topup.id}: ${status}, ${topup.amount?.value} ${topup.amount?.currency}`)

    const code: ErrorCode | undefined = await client.topups
      .create({ phoneNumber: '+233555000002', networkId: 42, amount: '5', currency: 'GHS' })
      .then(() => undefined, (e: unknown) => (e instanceof ClickAirtimeError ? e.code : undefined))
    console.log(`bad recipient: ${code}`)

    const balance = await client.balance.list()
    for (const w of balance.data.wallets) console.log(`wallet ${w.id}: ${w.balance} ${w.currency} (${w.type})`)

    // Webhooks: verify the raw body (e.g. express.raw()) before trusting it.
    const body = Buffer.from(JSON.stringify({ event: 'topup.completed', data: { id: topup.id, status: 'completed' } }))
    const ts = String(Math.floor(Date.now() / 1000))
    verifyWebhook(body, signWebhook(body, ts, sandbox.apiKey), ts, sandbox.apiKey, { toleranceSec: 300 })
    const event = client.verifyWebhook(body, signWebhook(body, ts, sandbox.apiKey), ts)
    console.log(`webhook ${event.eventType} for ${event.topup?.id}`)
  } finally {
    await sandbox.close()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
