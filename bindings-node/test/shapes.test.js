'use strict'
// One shape in every language: docs/shapes.json (generated from the core by scripts/gen_shapes.py) names every
// field of every model in Rust, Python, Node and C. For every model Node returns, each `node` path must exist on
// real objects from the sandbox, or, for optional fields the sandbox leaves out, be declared in index.d.ts.
// Every path must be declared in index.d.ts in any case. Results are the record itself with `meta` attached.
// And no more: each real object's own fields are the table's (plus the table's helpers Node has: isTerminal,
// isSuccess; and the non-enumerable `meta`), nested groups included. The table's `helpers` are on every real
// object (or, where it says Node has none, not there under the rules' name), and its `errors` (the core's
// Error accessors) are properties of real ClickAirtimeErrors thrown through the sandbox (NOT_FOUND,
// INVALID_INPUT, RATE_LIMITED, OUTCOME_UNKNOWN, REFERENCE_CONFLICT, STILL_PENDING) and declared on the class in
// index.d.ts, with nothing else on them but Error's own `stack`, the class's `name`, `cause` and `rowErrors`.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { ca, setup, ref, tmpJournal, FAST, rejects } = require('./helpers')

const DATA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'shapes.json'), 'utf8'))
const SHAPES = DATA.fields
const HELPER_ROWS = DATA.helpers
const ERROR_ROWS = DATA.errors
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

/** The properties of `export declare class name … { readonly p?: T … }` in index.d.ts → Map(prop → type). */
function classProps(dts, name) {
  const code = dts.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
  const m = code.match(new RegExp(`export declare class ${name}(?: extends [^{]+)? \\{([\\s\\S]*?)\\n\\}`))
  const props = new Map()
  if (m) for (const p of m[1].matchAll(/^\s+(?:readonly\s+)?(\w+)(\??):\s*(.+)$/gm)) props.set(p[1], p[3].trim())
  return props
}
const ERROR_PROPS = classProps(DTS, 'ClickAirtimeError')
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

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
  await gatherErrors()
})

// one real error of each kind a cashier's program must tell apart (after the samples: the rate-limit fault is
// injected for one request only)
const errors = {}
const expected = {}
async function gatherErrors() {
  const { sb, v2 } = env
  const catchCode = async (code, fn) => { errors[code] = await rejects(fn, code) }
  await catchCode('NOT_FOUND', () => v2.topups.get('missing-id'))
  await catchCode('INVALID_INPUT', () => v2.topups.create({ phoneNumber: 'nope', networkId: 42, amount: '1', currency: 'GHS' }))
  sb.inject({ fault: 'rate_limit', method: 'GET', path: '/v2/balance', retryAfter: 120, count: 1 })
  const once = new ca.V2Client({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, maxRetries: 0 })
  await catchCode('RATE_LIMITED', () => once.balance.list())
  // a 5xx before the commit (magic 08), unsettled within the send deadline
  const lost = new ca.V2Client({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, sendDeadlineMs: 800, retryBaseDelayMs: 20, maxRetryDelayMs: 100 })
  const unknown = ref('shape-unknown')
  await catchCode('OUTCOME_UNKNOWN', () => lost.topups.create({ phoneNumber: '+233555000008', networkId: 42, amount: '16', currency: 'GHS', reference: unknown }))
  const held = ref('shape-rc')
  await v2.topups.create({ phoneNumber: '+233541119902', networkId: 42, amount: '5', currency: 'GHS', reference: held })
  await catchCode('REFERENCE_CONFLICT', () => v2.topups.create({ phoneNumber: '+233541119903', networkId: 42, amount: '5', currency: 'GHS', reference: held }))
  const pending = await v2.topups.create({ phoneNumber: '+233555000010', networkId: 42, amount: '2', currency: 'GHS' })
  await catchCode('STILL_PENDING', () => v2.topups.wait(pending.id, { deadlineMs: 150, initialIntervalMs: 30 }))
  Object.assign(expected, { unknown, held, pending: pending.id })
}
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
 * What Node puts on a model besides the fields of docs/shapes.json, each documented: the table's helpers with a
 * Node name (the core's verdicts, declared on the interface in index.d.ts) and `meta`, the answer's metadata on
 * a result (not enumerable: `WithMeta<T>` in index.d.ts).
 */
const HELPERS = {}
for (const h of HELPER_ROWS) if (h.node) (HELPERS[h.model] ||= []).push(h.node)
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

for (const h of HELPER_ROWS) {
  test(`helper ${h.model}.${h.helper}: ${h.node ? `${h.node} on every real object` : 'none in Node, as the table says'}`, () => {
    const objs = samples[h.model] || []
    assert.ok(objs.length > 0, `no ${h.model} sampled from the sandbox`)
    const names = DECLARED_AS[h.model] || [h.model]
    if (h.node === null) {
      // not under the rules' name either (nor declared): results are plain objects, serialised by JSON.stringify
      const rule = camel(h.helper)
      for (const o of objs) assert.equal(o[rule], undefined, `${h.model}.${rule} exists; update the table`)
      for (const n of names) assert.ok(!declared(n, rule), `${h.model}.${rule} is declared on ${n}; update the table`)
      if (h.kind === 'serialisation') {
        for (const o of objs) {
          assert.equal(Object.getPrototypeOf(o), Object.prototype, `${h.model} is not a plain object`)
          assert.deepEqual(JSON.parse(JSON.stringify(o)), JSON.parse(JSON.stringify({ ...o })))
        }
      }
      return
    }
    for (const n of names) assert.ok(declared(n, h.node), `${h.model}.${h.node} is not declared on ${n}`)
    for (const o of objs) {
      assert.notEqual(o[h.node], undefined, `${h.model}.${h.node} missing on a real object`)
      if (h.type === 'bool') assert.equal(typeof o[h.node], 'boolean')
      if (h.node === 'isSuccess') assert.ok(!o.isSuccess || o.isTerminal, `${h.model}: a success that is not terminal`)
    }
    if (h.type === 'bool' && ['is_terminal', 'is_success'].includes(h.helper)) {
      assert.deepEqual(new Set(objs.map((o) => o[h.node])), new Set([true, false]))
    }
  })
}

const accessor = (row) => row.rust.slice(row.rust.lastIndexOf('.') + 1).replace(/\(\)$/, '')

for (const row of ERROR_ROWS) {
  test(`error ${row.rust}: ${row.node ?? 'none in Node'} ${row.on === 'module' ? '(a function of the package)' : 'on real ClickAirtimeErrors'}`, () => {
    const real = Object.entries(errors)
    assert.ok(real.length >= 6)
    for (const [code, e] of real) assert.ok(e instanceof ca.ClickAirtimeError, code)
    if (row.on === 'module') {
      assert.equal(typeof ca[row.node], 'function', `ca.${row.node}`)
      if (row.node === 'isDefinitelyNotSent') {
        const got = Object.fromEntries(real.map(([code, e]) => [code, ca.isDefinitelyNotSent(e.code)]))
        assert.deepEqual(got, { NOT_FOUND: true, INVALID_INPUT: true, RATE_LIMITED: true, OUTCOME_UNKNOWN: false, REFERENCE_CONFLICT: true, STILL_PENDING: false })
      }
      return
    }
    if (row.node === null) {
      const rule = camel(accessor(row))
      for (const [code, e] of real) assert.equal(e[rule], undefined, `${code}.${rule} exists; update the table`)
      assert.ok(!ERROR_PROPS.has(rule), `ClickAirtimeError.${rule} is declared; update the table`)
      return
    }
    assert.ok(ERROR_PROPS.has(row.node) || row.node === 'message', `ClickAirtimeError.${row.node} is not declared in index.d.ts`)
    const present = real.filter(([, e]) => e[row.node] !== undefined)
    if (!/^Option</.test(row.type)) assert.equal(present.length, real.length, `${row.node} missing on some real errors`)
    assert.ok(present.length > 0, `${row.node} is on no real error`)
  })
}

test('the five ends read from the table\'s error fields, and ClickAirtimeErrors carry nothing else', () => {
  const { OUTCOME_UNKNOWN: u, REFERENCE_CONFLICT: rc, STILL_PENDING: sp, RATE_LIMITED: rl } = errors
  const expect = expected
  assert.equal(u.reference, expect.unknown)
  assert.equal(u.idempotencyKey, ca.idempotencyKeyFor(expect.unknown))
  assert.equal(u.causeKind, 'API_ERROR')
  assert.equal(rc.existingReference, expect.held)
  assert.equal(typeof rc.transactionId, 'string')
  assert.equal(sp.transactionId, expect.pending)
  assert.equal(typeof sp.status, 'string')
  assert.equal(rl.retryAfterMs, 120000)
  const table = new Set(ERROR_ROWS.filter((r) => r.on === 'error' && r.node).map((r) => r.node))
  // besides the table: Error's own `stack`, the class's `name`, `cause` (CANCELLED by a signal: its reason) and
  // `rowErrors` (INVALID_INPUT of a bulk file), all declared in index.d.ts
  for (const extra of ['name', 'rowErrors']) assert.ok(ERROR_PROPS.has(extra), extra)
  const allowed = new Set([...table, 'stack', 'name', 'cause', 'rowErrors'])
  for (const [code, e] of Object.entries(errors)) {
    const extra = Object.getOwnPropertyNames(e).filter((k) => !allowed.has(k))
    assert.deepEqual(extra, [], `${code}: properties not in docs/shapes.json`)
  }
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
