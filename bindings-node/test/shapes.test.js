'use strict'
// One shape in every language: docs/shapes.json (generated from the core by scripts/gen_shapes.py) names every
// field of every model in Rust, Python, Node and C. For every model Node returns, each `node` path must exist on
// real objects from the sandbox, or, for optional fields the sandbox leaves out, be declared in index.d.ts.
// Every path must be declared in index.d.ts in any case. Results are the record itself with `meta` attached.
// And no more: each real object's own fields are the table's (plus documented helpers: isTerminal/isSuccess,
// the non-enumerable `meta`), nested groups included.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { ca, setup, ref, tmpJournal, FAST, rejects } = require('./helpers')

const SHAPES = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'shapes.json'), 'utf8'))
const DTS = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')

/** `export interface X { a?: T … }` blocks of index.d.ts → Map(name → Map(prop → type)). */
function interfaces(dts) {
  const out = new Map()
  const code = dts.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
  for (const m of code.matchAll(/export interface (\w+)(?: extends [^{]+)? \{([\s\S]*?)\n\}/g)) {
    const props = new Map()
    for (const p of m[2].matchAll(/^\s+(\w+)(\??):\s*(.+)$/gm)) props.set(p[1], { optional: p[2] === '?', type: p[3].trim() })
    out.set(m[1], props)
  }
  return out
}
const IFACES = interfaces(DTS)

/** The interfaces a model of shapes.json is declared as in Node. */
const DECLARED_AS = {
  JournalEntry: ['TopUpJournalEntry', 'TransactionJournalEntry'],
}

/** Whether `path` (a.b.c) is declared on interface `name`, following property types to nested interfaces. */
function declared(name, dotted) {
  let cur = name
  for (const part of dotted.split('.')) {
    const props = IFACES.get(cur)
    if (!props || !props.has(part)) return false
    cur = props.get(part).type.replace(/\s*\|\s*(undefined|null)/g, '').replace(/\[\]$/, '').replace(/^Array<(.+)>$/, '$1')
  }
  return true
}

const get = (obj, dotted) => dotted.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj)
const optional = (row) => /^Option</.test(row.type)

let env
const samples = {}
const add = (model, ...objs) => { (samples[model] ||= []).push(...objs.filter((o) => o !== undefined && o !== null)) }

test.before(async () => {
  env = await setup()
  const { sb, v1 } = env
  const journal = tmpJournal()
  const v2 = new ca.V2Client({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, journal })
  const v1j = new ca.V1Client({ email: sb.v1Email, token: sb.v1Token, baseUrl: sb.baseUrl, journal })

  // V2 catalog
  const lookup = await v2.catalog.lookup({ phoneNumber: '+233541112259' })
  const products = await v2.catalog.products(23)
  add('Catalog', lookup, products)
  add('Network', lookup.network, products.network, ...(await v2.catalog.networks()))
  add('Bundle', ...lookup.products.fixedBundles, ...products.products.fixedBundles)
  const countries = await v2.catalog.countries()
  add('Country', ...countries)
  add('Network', ...countries.flatMap((c) => c.networks))

  // V2 top-ups: an amount with SMS, metadata and a webhook; a bundle; a failed one
  const hooks = 'http://127.0.0.1:9/hooks'
  const sent = await v2.topups.create({
    phoneNumber: '+233 54 111 2259', networkId: 42, amount: '12.50', currency: 'GHS', reference: ref('shape'),
    sms: { message: 'enjoy' }, metadata: { order: 'A-1' }, callbackUrl: hooks,
  })
  const bundle = await v2.topups.create({ phoneNumber: '+233201112233', networkId: 23, productId: products.products.fixedBundles[0].id })
  const failed = await v2.topups.create({ phoneNumber: '+233555000003', networkId: 42, amount: '2', currency: 'GHS' })
  const done = await v2.topups.wait(sent.id, FAST)
  const doneBundle = await v2.topups.wait(bundle.id, FAST)
  const doneFailed = await v2.topups.wait(failed.id, FAST)
  const page = await v2.topups.list({ perPage: 2 })
  add('TopUp', sent, bundle, done, doneBundle, doneFailed, ...page)
  add('Meta', sent.meta, done.meta, page.meta, lookup.meta)

  // V2 balance
  const balance = await v2.balance.list()
  add('Balance', balance)
  add('Wallet', ...balance.wallets, await v2.balance.get(balance.wallets[0].id))

  // the journal: a sent sale and one refused for insufficient balance
  const low = ref('shape-low')
  await rejects(() => v2.topups.create({ phoneNumber: '+233555000001', networkId: 42, amount: '2', currency: 'GHS', reference: low }), 'INSUFFICIENT_BALANCE')
  add('JournalEntry', await v2.journalEntry(sent.reference), await v2.journalEntry(low))

  // V1
  const tx = await v1j.sendTopup({ msisdn: '233541112259', amount: '5', sendSms: true })
  const asyncTx = await v1.sendTopup({ msisdn: '233241112233', amount: '3', processingMode: 'ASYNC' })
  add('Transaction', tx, asyncTx, await v1.wait(asyncTx.meta.reference, FAST), ...(await v1.transactions({ extRefId: tx.extRefId })))
  add('Meta', tx.meta)
  add('JournalEntry', await v1j.journalEntry(tx.extRefId))
  add('Service', ...(await v1.productCatalog()))
  add('Product', ...(await v1.products(42)), await v1.product(4201))
  add('AccountBalance', ...(await v1.balances()))

  // a webhook as the sandbox delivered it (to a URL that does not answer: the body is recorded all the same)
  const deadline = Date.now() + 5000
  let deliveries = []
  while (deliveries.length === 0 && Date.now() < deadline) {
    deliveries = sb.webhookDeliveries().filter((d) => d.url === hooks)
    await new Promise((r) => setTimeout(r, 25))
  }
  add('WebhookEvent', ...deliveries.map((d) => ca.parseWebhook(d.body)))
  add('WebhookEvent', ca.parseWebhook('{"id":"evt_1","type":"topup.completed","timestamp":"2025-01-15T10:30:02Z","data":{"id":"t-1","status":"completed"}}'))
})
test.after(() => env.sb.close())

const MODELS = [...new Set(SHAPES.map((r) => r.model))]

for (const model of MODELS) {
  test(`${model}: every node path of docs/shapes.json is on real objects (or declared, if optional)`, () => {
    const objs = samples[model] || []
    assert.ok(objs.length > 0, `no ${model} sampled from the sandbox`)
    const names = DECLARED_AS[model] || [model]
    const problems = []
    for (const row of SHAPES.filter((r) => r.model === model)) {
      for (const name of names) {
        if (!declared(name, row.node)) problems.push(`${row.node} is not declared on ${name} in index.d.ts`)
      }
      const parent = row.node.includes('.') ? row.node.slice(0, row.node.lastIndexOf('.')) : null
      const holders = objs.filter((o) => parent === null || (get(o, parent) !== undefined && get(o, parent) !== null))
      const present = holders.filter((o) => get(o, row.node) !== undefined)
      if (!optional(row)) {
        // a required field: on every object that holds its parent
        if (present.length !== holders.length) problems.push(`${row.node} (${row.type}) missing on ${holders.length - present.length} of ${holders.length} real objects`)
      } else if (present.length === 0 && !names.some((n) => declared(n, row.node))) {
        problems.push(`${row.node} is on no real object and not declared`)
      }
    }
    assert.deepEqual(problems, [])
  })
}

/**
 * What Node puts on a model besides the fields of docs/shapes.json, each documented: the core's verdicts
 * (declared on the interface in index.d.ts) and `meta`, the answer's metadata on a result (not enumerable:
 * `WithMeta<T>` in index.d.ts).
 */
const HELPERS = { TopUp: ['isTerminal', 'isSuccess'], Transaction: ['isTerminal', 'isSuccess'] }
const parentOf = (p) => (p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '')
const leaf = (p) => p.slice(p.lastIndexOf('.') + 1)

for (const model of MODELS) {
  test(`${model}: real objects have no field docs/shapes.json does not list for Node (documented helpers aside)`, () => {
    const rows = SHAPES.filter((r) => r.model === model)
    const helpers = HELPERS[model] || []
    for (const h of helpers) for (const name of DECLARED_AS[model] || [model]) assert.ok(declared(name, h), `${model}.${h} is not declared on ${name}`)
    const extra = new Set()
    // an object at `parent` ('' for the model itself, else a group row's path): each of its own properties
    // (enumerable or not) is a row under `parent`, a helper, or a result's non-enumerable `meta`; groups are
    // checked the same way, all the way down
    const check = (obj, parent) => {
      const allowed = new Set(rows.filter((r) => parentOf(r.node) === parent).map((r) => leaf(r.node)))
      if (parent === '') for (const h of helpers) allowed.add(h)
      for (const k of Object.getOwnPropertyNames(obj)) {
        if (Array.isArray(obj) && (k === 'length' || /^\d+$/.test(k))) continue
        if (k === 'meta' && parent === '' && !Object.getOwnPropertyDescriptor(obj, k).enumerable) continue
        if (!allowed.has(k)) extra.add(parent ? `${parent}.${k}` : k)
      }
      for (const r of rows.filter((x) => x.group && parentOf(x.node) === parent)) {
        const v = obj[leaf(r.node)]
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) check(v, r.node)
      }
    }
    const objs = samples[model] || []
    assert.ok(objs.length > 0, `no ${model} sampled from the sandbox`)
    for (const o of objs) check(o, '')
    assert.deepEqual([...extra], [], `${model}: fields not in docs/shapes.json`)
  })
}

test('the sandbox fills the fields the docs lean on (not only declared): a coverage floor', () => {
  const seen = (model, p) => (samples[model] || []).some((o) => get(o, p) !== undefined)
  for (const [model, p] of [
    ['TopUp', 'completedAt'], ['TopUp', 'failureReason'], ['TopUp', 'productName'], ['TopUp', 'sms.message'],
    ['TopUp', 'cost.value'], ['Catalog', 'exchangeRate.rate'], ['Catalog', 'products.customAirtime.maxAmountLocal'],
    ['Bundle', 'bundleType'], ['Wallet', 'walletType'], ['Balance', 'availableBalance.amount'],
    ['Product', 'productType'], ['Transaction', 'wallet.amount'], ['Meta', 'pagination.hasPrev'], ['Meta', 'origin'],
    ['Meta', 'idempotencyKey'], ['JournalEntry', 'record'], ['JournalEntry', 'errorKind'], ['JournalEntry', 'lastWriteAt'],
    ['WebhookEvent', 'topup'],
  ]) assert.ok(seen(model, p), `${model}.${p} never seen on a real object`)
})

test('results are the record itself with meta attached (not { data, meta }); meta is not enumerable', async () => {
  const t = samples.TopUp[0]
  assert.equal(t.data, undefined)
  assert.equal(typeof t.id, 'string')
  assert.equal(typeof t.meta.httpStatus, 'number')
  assert.ok(!Object.keys(t).includes('meta'))
  assert.equal(JSON.parse(JSON.stringify(t)).meta, undefined)
  const list = await env.v2.topups.list({ perPage: 1 })
  assert.ok(Array.isArray(list))
  assert.equal(list.meta.pagination.perPage, 1)
  assert.deepEqual([...list], JSON.parse(JSON.stringify(list)))
  const sync = env.v2.balance.listSync()
  assert.equal(sync.meta.httpStatus, 200)
  assert.match(sync.availableBalance.amount, /^\d+(\.\d+)?$/)
  assert.equal(sync.availableBalance.value, undefined)
  assert.equal(sync.wallets[0].type, undefined)
})

test('isTerminal / isSuccess on top-ups and transactions are the core\'s verdicts', () => {
  const states = samples.TopUp.map((t) => [t.status, t.isTerminal, t.isSuccess])
  assert.ok(states.some(([s, term, ok]) => s === 'completed' && term && ok))
  assert.ok(states.some(([s, term, ok]) => s === 'failed' && term && !ok))
  assert.ok(states.some(([s, term, ok]) => s === 'pending' && !term && !ok))
  const tx = samples.Transaction.map((t) => [t.state, t.isTerminal, t.isSuccess])
  assert.ok(tx.some(([s, term, ok]) => s === 'SUCCESS' && term && ok))
  assert.ok(tx.some(([s, term, ok]) => s === 'PENDING' && !term && !ok))
  for (const iface of ['TopUp', 'Transaction']) {
    assert.equal(IFACES.get(iface).get('isTerminal').type, 'boolean')
    assert.equal(IFACES.get(iface).get('isSuccess').type, 'boolean')
  }
})
