'use strict'
// The Node sides: this SDK's Promise API vs the global fetch (Node's built-in undici, keep-alive by default).
//
// Both do the same work: GET a top-up and decode it into JS objects, POST a top-up (Bearer key, a fresh
// UUID Idempotency-Key, a JSON body) and decode the answer. Sequential latency after a warm-up (one call in
// flight), then a concurrent phase with --conc calls in flight, then (optionally) a memory run. Same options
// and result file as every other side (see bench/README.md).
//
//   node bench.js --client clickairtime|fetch --url URL [--n N] [--conc 64] ... --out FILE
//   node bench.js --import-time PATH    # prints the seconds one require() of PATH takes
// The SDK is loaded from $CLICKAIRTIME_NODE_PKG (default: ../../bindings-node).

const fs = require('node:fs')
const path = require('node:path')
const crypto = require('node:crypto')

const PHONE = '+233541112259'

function parseArgs(argv) {
  const o = {
    client: 'clickairtime', url: '', key: 'ce_live_bench000000000000000000000000000', server: 'canned',
    id: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890', amount: '50', n: 2000, warmup: 200, conc: 0, concCalls: 0,
    rssCalls: 0, maxSeconds: 60, out: '', tag: 'bench', ops: '',
  }
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase())
    if (!argv[i].startsWith('--') || !(name in o)) {
      console.error(`bench: unknown argument ${argv[i]}`)
      process.exit(2)
    }
    o[name] = typeof o[name] === 'number' ? Number(argv[i + 1]) : String(argv[i + 1] ?? '')
  }
  if (!o.url) {
    console.error('bench: --url is required')
    process.exit(2)
  }
  return o
}

function statusKb(field) {
  const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(field))
  return line ? Number(line.split(/\s+/)[1]) : 0
}

function summary(op, mode, concurrency, lat, wall) {
  lat.sort((a, b) => a - b)
  const n = lat.length
  const pct = (p) => (n ? lat[Math.min(Math.max(Math.ceil(p * n), 1), n) - 1] / 1000 : 0)
  const sum = lat.reduce((a, b) => a + b, 0)
  return {
    op, mode, concurrency, calls: n, seconds: wall, median_us: pct(0.5), p99_us: pct(0.99),
    mean_us: n ? sum / n / 1000 : 0, rps: wall > 0 ? n / wall : 0,
  }
}

function check(id, amount, wantId, wantAmount, what) {
  if ((wantId !== null && id !== wantId) || Number(amount) !== wantAmount) {
    throw new Error(`${what}: wrong data: id ${id} amount ${amount}`)
  }
}

// Each factory returns { get(), post(reference) }: Promises that reject on any failure or wrong data.
function makeClickairtime(o) {
  const pkg = process.env.CLICKAIRTIME_NODE_PKG || path.join(__dirname, '..', '..', 'bindings-node')
  const { V2Client, toE164 } = require(pkg)
  toE164('+233541112259') // libphonenumber's rules loaded before the client exists (see rust_client.rs)
  const client = new V2Client({ apiKey: o.key, baseUrl: o.url })
  const topups = client.topups
  const want = Number(o.amount)
  return {
    async get() {
      const r = await topups.get(o.id)
      check(r.id, r.amount && r.amount.value, o.id, want, 'GET')
    },
    async post(reference) {
      const r = await topups.create({ phoneNumber: PHONE, networkId: 42, amount: o.amount, currency: 'GHS', reference })
      if (!r.id) throw new Error('POST: no id')
      check(r.id, r.amount && r.amount.value, null, want, 'POST')
    },
  }
}

function makeFetch(o) {
  const getUrl = `${o.url}/v2/topups/${o.id}`
  const postUrl = `${o.url}/v2/topups`
  const auth = `Bearer ${o.key}`
  const want = Number(o.amount)
  return {
    async get() {
      const r = await fetch(getUrl, { headers: { Authorization: auth, Accept: 'application/json' } })
      if (r.status !== 200) throw new Error(`GET: HTTP ${r.status}`)
      const d = (await r.json()).data
      check(d.id, d.amount.value, o.id, want, 'GET')
    },
    async post(reference) {
      const body = JSON.stringify({
        phone_number: PHONE, network_id: 42, amount: { value: want, currency: 'GHS' }, reference,
      })
      const r = await fetch(postUrl, {
        method: 'POST', body,
        headers: {
          Authorization: auth, Accept: 'application/json', 'Content-Type': 'application/json',
          'Idempotency-Key': crypto.randomUUID(),
        },
      })
      if (r.status !== 201) throw new Error(`POST: HTTP ${r.status}: ${(await r.text()).slice(0, 200)}`)
      const d = (await r.json()).data
      if (!d.id) throw new Error('POST: no id')
      check(d.id, d.amount.value, null, want, 'POST')
    },
  }
}

// Diagnostic: the blocking `…Sync` twins (no libuv thread-pool hop), to measure what the hop costs.
function makeClickairtimeSync(o) {
  const pkg = process.env.CLICKAIRTIME_NODE_PKG || path.join(__dirname, '..', '..', 'bindings-node')
  const { V2Client, toE164 } = require(pkg)
  toE164('+233541112259') // see makeClickairtime
  const topups = new V2Client({ apiKey: o.key, baseUrl: o.url }).topups
  const want = Number(o.amount)
  return {
    async get() {
      const r = topups.getSync(o.id)
      check(r.id, r.amount && r.amount.value, o.id, want, 'GET')
    },
    async post(reference) {
      const r = topups.createSync({ phoneNumber: PHONE, networkId: 42, amount: o.amount, currency: 'GHS', reference })
      check(r.id, r.amount && r.amount.value, null, want, 'POST')
    },
  }
}

const FACTORIES = { clickairtime: makeClickairtime, fetch: makeFetch, 'clickairtime-sync': makeClickairtimeSync }
const now = () => Number(process.hrtime.bigint())

async function sequential(op, o, call, errors) {
  if (o.ops && !o.ops.split(',').includes(op)) return summary(op, 'seq', 1, [], 0) // --ops get|post
  const t0 = performance.now()
  for (let i = 0; i < o.warmup; i++) {
    try {
      await call(i)
    } catch (e) {
      errors.push(`${op} warm-up: ${e}`)
      break
    }
    if (performance.now() - t0 > o.maxSeconds * 1000) break
  }
  const lat = []
  const start = performance.now()
  for (let i = 0; i < o.n; i++) {
    const t = now()
    try {
      await call(o.warmup + i)
    } catch (e) {
      errors.push(`${op}: ${e}`)
      if (errors.length > 5) break
    }
    lat.push(now() - t)
    if (performance.now() - start > o.maxSeconds * 1000) break
  }
  return summary(op, 'seq', 1, lat, (performance.now() - start) / 1000)
}

// `conc` async loops share `concCalls` calls: `conc` calls in flight at any time.
async function concurrent(op, o, call, errors) {
  const workers = Math.max(o.conc, 1)
  const per = Math.ceil(o.concCalls / workers)
  const warm = Math.max(Math.floor(o.warmup / workers), 2)
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; i < warm; i++) await call(w * 1000000 + i).catch((e) => errors.push(`${op} conc warm-up: ${e}`))
  }))
  const lat = []
  const start = performance.now()
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; i < per; i++) {
      const t = now()
      try {
        await call(w * 1000000 + warm + i)
      } catch (e) {
        errors.push(`${op} conc: ${e}`)
        break
      }
      lat.push(now() - t)
      if (performance.now() - start > o.maxSeconds * 1000) break
    }
  }))
  return summary(op, 'conc', workers, lat, (performance.now() - start) / 1000)
}

async function rssRun(o, call, errors) {
  const total = o.rssCalls
  const step = Math.max(Math.floor(total / 10), 1)
  const samples = [[0, statusKb('VmRSS:')]]
  const start = performance.now()
  let done = 0
  for (let i = 0; i < total; i++) {
    try {
      await call(i)
    } catch (e) {
      errors.push(`rss: ${e}`)
      break
    }
    done = i + 1
    if (done % step === 0) samples.push([done, statusKb('VmRSS:')])
    if (performance.now() - start > o.maxSeconds * 3000) break
  }
  return { calls: done, seconds: (performance.now() - start) / 1000, samples, peak_rss_kb: statusKb('VmHWM:') }
}

async function main(argv) {
  if (argv[0] === '--import-time') {
    const t = performance.now()
    require(argv[1])
    console.log(((performance.now() - t) / 1000).toFixed(6))
    return 0
  }
  const o = parseArgs(argv)
  const c = FACTORIES[o.client](o)
  const errors = []
  const results = []
  results.push(await sequential('get', o, () => c.get(), errors))
  const fixed = process.env.BENCH_REFERENCE // bench/run.sh: nginx answers every POST with this reference
  results.push(await sequential('post', o, (i) => c.post(fixed || `${o.tag}-${i}`), errors))
  if (o.conc > 0 && o.concCalls > 0) {
    results.push(await concurrent('get', o, () => c.get(), errors))
    results.push(await concurrent('post', o, (i) => c.post(fixed || `${o.tag}-c-${i}`), errors))
  }
  const rss = o.rssCalls > 0 ? await rssRun(o, () => c.get(), errors) : null
  const doc = {
    lang: 'node', client: o.client, server: o.server, results, rss, peak_rss_kb: statusKb('VmHWM:'),
    errors: errors.length, first_errors: errors.slice(0, 5),
  }
  const text = JSON.stringify(doc, null, 2)
  if (o.out) fs.writeFileSync(o.out, text)
  else console.log(text)
  for (const e of errors.slice(0, 5)) console.error(`bench node/${o.client}: ${e}`)
  return errors.length ? 1 : 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`bench: ${e && e.stack ? e.stack : e}`)
    process.exit(1)
  },
)
