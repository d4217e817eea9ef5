// Async behaviour and cancellation (an ES module): the SDK never blocks the event loop nor takes libuv's threads,
// waits sleep on JS timers between polls, and every asynchronous call takes an AbortSignal.
// Runs against the built-in sandbox, so it needs no account:  node cancel.mjs
import { readFile } from 'node:fs/promises'
import { V2Client, Sandbox, ClickAirtimeError, isDefinitelyNotSent } from 'clickairtime'

const sandbox = await Sandbox.start()
// configuration from the environment: what a deployed till would set
process.env.CLICKAIRTIME_API_KEY = sandbox.apiKey
process.env.CLICKAIRTIME_BASE_URL = sandbox.baseUrl
const client = new V2Client()

try {
  // 1. Ten top-ups that stay `processing` for a long time, and a wait on each: none holds a thread.
  const sales = await Promise.all(Array.from({ length: 10 }, (_, i) =>
    client.topups.create({ phoneNumber: '+233555000010', networkId: 42, amount: String(1 + i), currency: 'GHS' })))
  const stop = new AbortController()
  const waits = sales.map((t) => client.topups.wait(t.id, { initialIntervalMs: 50, signal: stop.signal }).catch((err) => err))
  let ticks = 0
  const timer = setInterval(() => { ticks++ }, 10)
  const me = await readFile(process.argv[1], 'utf8') // libuv's pool is free for fs and dns
  await new Promise((resolve) => setTimeout(resolve, 300))
  clearInterval(timer)
  console.log(`while 10 waits were pending: read ${me.length} bytes, the 10 ms timer fired ${ticks > 10 ? 'freely' : `only ${ticks} times`}`)

  // 2. The customer leaves: stop watching. The sales stand; each wait says where it got to.
  stop.abort()
  const ended = await Promise.all(waits)
  const cancelled = ended.filter((e) => e instanceof ClickAirtimeError && e.code === 'CANCELLED')
  console.log(`waits cancelled: ${cancelled.length}, last status ${cancelled[0]?.status} (the top-ups go on)`)

  // 3. A send aborted before its first write sends nothing, and says so.
  try {
    await client.topups.create({ phoneNumber: '+233541112259', networkId: 42, amount: '5', currency: 'GHS' }, { signal: AbortSignal.abort() })
  } catch (err) {
    if (!(err instanceof ClickAirtimeError)) throw err
    console.log(`aborted send: ${err.code}, definitely not sent: ${isDefinitelyNotSent(err.code)}`)
  }

  // 4. A send already written is never abandoned: aborting it late still reports its real outcome.
  const late = new AbortController()
  const posts = sandbox.stats().v2.posts
  const pending = client.topups.create({ phoneNumber: '+233555000009', networkId: 42, amount: '7', currency: 'GHS' }, { signal: late.signal })
  // the slow number answers after 3 s; abort once the sandbox has the POST (a till cannot see this: here it
  // only makes sure the abort comes after the write)
  while (sandbox.stats().v2.posts === posts) await new Promise((resolve) => setTimeout(resolve, 5))
  late.abort()
  const sent = await pending
  console.log(`late abort: the sale went through (${sent.meta.origin}, ${sent.status})`)

  // 5. A per-call deadline on a read.
  const found = await client.catalog.lookup({ phoneNumber: '+233241234567' }, { signal: AbortSignal.timeout(5000) })
  console.log(`lookup within its deadline: ${found.network.name}`)
} finally {
  await sandbox.close()
}
