'use strict'
// client.bulk / bulkSync (the core's bulk engine as a library call) and the `rateLimit` client option, against
// the sandbox: every row sent exactly once under injected faults; a rerun with the same journal writes nothing;
// an abort mid-run stops taking rows and leaves none unknown; progress arrives on the JS thread in order, all of
// it before the Promise settles; the whole input is validated first (one INVALID_INPUT listing every bad row).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { ca, setup, rejects, tmpJournal } = require('./helpers')

/** The scaled-up limits: the client's and the sandbox's are the same. */
const PER_MINUTE = 3000

/** One temporary directory for this file's journals, CSV files and reports (removed at exit). */
const DIR = path.dirname(tmpJournal())
let files = 0
const tmp = (name) => path.join(DIR, `${++files}-${name}`)

let env
test.before(async () => {
  env = await setup({ rateLimitPerMinute: PER_MINUTE })
})
test.after(async () => {
  await env.sb.close()
})

/** A client of the sandbox with its own journal and the scaled-up rate limit. */
function client(extra = {}) {
  return new ca.V2Client({
    apiKey: env.sb.apiKey,
    baseUrl: env.sb.baseUrl,
    journal: tmp('sales.journal'),
    rateLimit: { perMinute: PER_MINUTE, perHour: 100000 },
    convergenceBoundMs: 2000,
    timeoutMs: 10000,
    ...extra,
  })
}

let batch = 0
/** `n` rows of distinct phones (outside the sandbox's duplicate window); every other one without a reference. */
function rows(n, { network = true } = {}) {
  batch += 1
  return Array.from({ length: n }, (_, i) => ({
    phone: `+23354${String(3000000 + batch * 1000 + i).padStart(7, '0')}`,
    amount: String(1 + (i % 5)),
    currency: 'GHS',
    ...(network && i % 10 !== 3 ? { networkId: 42 } : {}),
    ...(i % 2 === 0 ? { reference: `bulk-test-${process.pid}-${batch}-${i}` } : {}),
    department: `dept-${i % 3}`,
  }))
}

/** The sandbox's V2 transactions of these references. */
function committed(references) {
  const set = new Set(references)
  return env.sb.transactions().v2.filter((t) => set.has(t.reference))
}

const post = (f) => ({ method: 'POST', path: '/v2/topups', ...f })

test('every row is sent exactly once under injected faults; a rerun with the same journal writes nothing', { timeout: 120000 }, async () => {
  const c = client()
  const input = rows(60)
  env.sb.inject(post({ fault: 'drop_after_commit', skip: 5, count: 2 }))
  env.sb.inject(post({ fault: 'server_error', skip: 12, count: 2 }))
  env.sb.inject(post({ fault: 'rate_limit', retryAfter: 1, skip: 20, count: 2 }))
  env.sb.inject(post({ fault: 'slow', delayMs: 1200, skip: 28, count: 2 }))
  env.sb.inject({ fault: 'rate_limit', retryAfter: 1, method: 'GET', path: '/v2/catalog/lookup', skip: 1, count: 1 })
  const r = await c.bulk(input, { name: 'faults.csv', concurrency: 8 })
  assert.equal(r.counts.total, 60)
  assert.deepEqual(r.rows.filter((x) => x.outcome !== 'sent').map((x) => `${x.index}: ${x.outcome} ${x.errorCode} ${x.error}`), [])
  assert.equal(r.counts.sent, 60)
  assert.equal(r.stopped, false)
  assert.deepEqual(r.rows.map((x) => x.index), [...Array(60).keys()], 'input order')
  assert.ok(r.rows.some((x) => x.origin === 'recovered'), 'a dropped answer was recovered')
  assert.ok(r.rows.every((x) => x.id && x.amount && x.amount.endsWith(' GHS') && x.cost))
  assert.ok(r.rows.filter((x) => x.index % 2 === 1).every((x) => /^bulk-[0-9a-f]{24}$/.test(x.reference)), 'derived references')
  const references = r.rows.map((x) => x.reference)
  const txs = committed(references)
  assert.equal(txs.length, 60, 'one transaction per row')
  assert.equal(new Set(txs.map((t) => t.reference)).size, 60, 'no reference twice')
  assert.deepEqual(new Set(txs.map((t) => t.id)), new Set(r.rows.map((x) => x.id)))
  assert.equal(txs.find((t) => t.reference === input[0].reference).metadata.department, 'dept-0', 'other columns are metadata')
  assert.equal((await c.pending()).length, 0, 'nothing open in the journal')
  const stats = env.sb.stats()
  assert.ok(stats.v2.maxRequestsPerMinute <= PER_MINUTE, `${stats.v2.maxRequestsPerMinute} requests in a minute`)

  // the same rows again, on the same journal: everything comes from the journal, nothing is written
  const posts = env.sb.stats().v2.posts
  const again = await c.bulk(input, { name: 'faults.csv', concurrency: 8 })
  assert.equal(again.counts.sent, 60)
  assert.ok(again.rows.every((x) => x.origin === 'journal'), 'every row from the journal')
  assert.deepEqual(again.rows.map((x) => x.reference), references, 'the same derived references')
  assert.equal(env.sb.stats().v2.posts, posts, 'no write on the rerun')
  assert.equal(committed(references).length, 60)
})

test('progress arrives on the JS thread in order, done counting up to total, all of it before the Promise settles', { timeout: 60000 }, async () => {
  const c = client()
  const input = rows(25)
  const seen = []
  let settled = false
  const p = c.bulk(input, {
    name: 'progress.csv',
    concurrency: 8,
    onProgress(result, done, total) {
      assert.equal(settled, false, 'a progress call after the Promise settled')
      seen.push({ reference: result.reference, outcome: result.outcome, done, total })
    },
  })
  const r = await p.finally(() => { settled = true })
  assert.deepEqual(seen.map((s) => s.done), [...Array(25).keys()].map((i) => i + 1))
  assert.ok(seen.every((s) => s.total === 25))
  assert.deepEqual(new Set(seen.map((s) => s.reference)), new Set(r.rows.map((x) => x.reference)), 'each row reported once')
  assert.equal(new Set(seen.map((s) => s.reference)).size, 25)
  assert.ok(seen.every((s) => s.outcome === 'sent'))
})

test('an abort mid-run stops taking rows; sends under way settle; no row is unknown; a rerun finishes', { timeout: 120000 }, async () => {
  const c = client()
  const input = rows(40)
  env.sb.inject(post({ fault: 'slow', delayMs: 150, count: 40 })) // every write of this test (one per row)
  const stop = new AbortController()
  let calls = 0
  const r = await c.bulk(input, {
    name: 'abort.csv',
    concurrency: 3,
    signal: stop.signal,
    onProgress() {
      calls += 1
      if (calls === 6) stop.abort(new Error('operator stopped it'))
    },
  })
  assert.equal(r.stopped, true)
  assert.equal(r.counts.total, 40)
  assert.equal(r.counts.unknown, 0, 'no unknown rows')
  assert.equal(r.counts.notSent + r.counts.refused, 0)
  assert.ok(r.counts.sent >= 6, `${r.counts.sent} sent`)
  assert.ok(r.counts.skipped > 0, 'rows not started are skipped')
  assert.equal(r.counts.sent + r.counts.skipped, 40)
  assert.equal(calls, r.counts.sent + r.rows.filter((x) => x.outcome === 'skipped' && x.errorCode === 'CANCELLED').length, 'one call per row that was taken')
  assert.equal(committed(r.rows.map((x) => x.reference)).length, r.counts.sent, 'exactly the sent rows were committed')
  assert.equal((await c.pending()).length, 0, 'nothing left open in the journal')
  assert.match(r.toCsv(), /,skipped,/)

  const rest = await c.bulk(input, { name: 'abort.csv', concurrency: 8 })
  assert.equal(rest.counts.sent, 40)
  assert.equal(rest.rows.filter((x) => x.origin === 'journal').length, r.counts.sent, 'sent rows from the journal')
  const txs = committed(rest.rows.map((x) => x.reference))
  assert.equal(txs.length, 40)
  assert.equal(new Set(txs.map((t) => t.reference)).size, 40)
})

test('a signal aborted before the call: CANCELLED, nothing sent', async () => {
  const c = client()
  const posts = env.sb.stats().v2.posts
  const e = await rejects(() => c.bulk(rows(3), { name: 'pre.csv', signal: AbortSignal.abort('no') }), 'CANCELLED')
  assert.equal(e.cause, 'no')
  assert.ok(ca.isDefinitelyNotSent(e.code))
  assert.equal(env.sb.stats().v2.posts, posts)
})

test('an onProgress that throws stops the run and rejects with its error once the sends under way settled', { timeout: 60000 }, async () => {
  const c = client()
  const input = rows(20)
  const boom = new TypeError('the progress bar broke')
  await assert.rejects(c.bulk(input, { name: 'throws.csv', concurrency: 2, onProgress(_, done) { if (done === 2) throw boom } }), (e) => e === boom)
  assert.equal((await c.pending()).length, 0)
  const sent = committed(input.filter((x) => x.reference).map((x) => x.reference)).length
  assert.ok(sent < 10, `${sent} of the referenced rows sent after the stop`)
  // an async onProgress that rejects does the same
  await assert.rejects(c.bulk(rows(10), { name: 'rejects.csv', concurrency: 1, async onProgress() { throw boom } }), (e) => e === boom)
})

test('the whole file is validated first: one INVALID_INPUT lists every bad line, nothing is sent', async () => {
  const c = client({ journal: undefined })
  const file = path.join(DIR, 'bad.csv')
  fs.writeFileSync(file, [
    'amount,phone,currency,reference,department',
    '50,+233541112259,GHS,a-1,sales',
    '12.345,+233541112259,GHS,a-2,',
    '5,+233201234567,GHS,,',
    '5,0541112259,GHS,,',
    ',+233541112259,,a-4,',
    '7,+233 54 111 2259,GHS,a-1,',
  ].join('\n'))
  const report = path.join(DIR, 'bad.report.csv')
  const posts = env.sb.stats().v2.posts
  const e = await rejects(() => c.bulk(file, { report }), 'INVALID_INPUT')
  assert.match(e.message, /4 bad row\(s\), nothing was sent/)
  for (const line of [3, 5, 6, 7]) assert.match(e.message, new RegExp(`line ${line}: `))
  assert.deepEqual(e.rowErrors.map((x) => [x.line, x.index, x.field]), [[3, 1, 'amount'], [5, 3, 'phone'], [6, 4, 'amount'], [7, 5, 'reference']])
  assert.equal(e.field, 'amount')
  assert.equal(env.sb.stats().v2.posts, posts, 'nothing sent')
  assert.equal(fs.existsSync(report), false, 'no report for a file that was not run')
  // rows given as objects name their index
  const r = await rejects(() => c.bulk([{ phone: 'x', amount: 5, currency: 'GHS', reference: 'z-1' }, { phone: '+233541112259', amount: 5, reference: 'z-2' }]), 'INVALID_INPUT')
  assert.match(r.message, /rows\[0\]: phone: "x" is not an international number/)
  assert.match(r.message, /rows\[1\]: currency: required with amount/)
  assert.deepEqual(r.rowErrors.map((x) => x.index), [0, 1])
  // and a header without a phone column
  const h = await rejects(() => c.bulk(Buffer.from('amount,currency\n5,GHS\n'), { name: 'h.csv' }), 'INVALID_INPUT')
  assert.deepEqual(h.rowErrors.map((x) => [x.line, x.index, x.field]), [[1, undefined, 'header']])
  assert.equal(env.sb.stats().v2.posts, posts, 'nothing sent')
})

test('inputs: a path (with a report file), a Buffer, rows with any spelling of the columns; the report and toCsv()', { timeout: 60000 }, async () => {
  const c = client()
  const file = path.join(DIR, 'staff-bonus.csv')
  fs.writeFileSync(file, 'phone,amount,currency,reference,department\n+233541112259,50,GHS,file-1-' + process.pid + ',sales\n+233 20 123 4567,20,GHS,,field\n+233555000001,5,GHS,,x\n')
  const report = path.join(DIR, 'out.csv')
  const r = await c.bulk(file, { report })
  assert.deepEqual(r.rows.map((x) => [x.line, x.outcome, x.errorCode]), [[2, 'sent', undefined], [3, 'sent', undefined], [4, 'not_sent', 'INSUFFICIENT_BALANCE']])
  assert.deepEqual(r.counts, { total: 3, sent: 2, notSent: 1, refused: 0, unknown: 0, skipped: 0 })
  assert.equal(r.rows[0].amount, '50 GHS')
  const csv = r.toCsv()
  assert.equal(fs.readFileSync(report, 'utf8'), csv)
  assert.equal(csv.split('\n')[0], 'row,reference,outcome,origin,id,status,amount,cost,error_kind,error')
  assert.match(csv.split('\n')[3], /^4,bulk-[0-9a-f]{24},not_sent,,,,5 GHS,,INSUFFICIENT_BALANCE,/)
  assert.equal(Object.keys(r).includes('toCsv'), false, 'toCsv is not enumerable')
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(r))).sort(), ['counts', 'rows', 'stopped'])
  // the derived reference depends on the file's name, not its folder: the same name elsewhere is the same sale
  const moved = path.join(DIR, 'elsewhere', 'staff-bonus.csv')
  fs.mkdirSync(path.dirname(moved))
  fs.copyFileSync(file, moved)
  const again = await c.bulk(moved)
  assert.deepEqual(again.rows.map((x) => x.reference), r.rows.map((x) => x.reference))
  assert.deepEqual(again.rows.map((x) => x.origin), ['journal', 'journal', undefined])
  // a Buffer needs a name; with the same name it is the same batch
  await rejects(() => c.bulk(fs.readFileSync(file)), 'INVALID_INPUT').then((e) => assert.equal(e.field, 'name'))
  const buf = await c.bulk(new Uint8Array(fs.readFileSync(file)), { name: 'staff-bonus.csv' })
  assert.deepEqual(buf.rows.map((x) => x.reference), r.rows.map((x) => x.reference))
  // rows: phoneNumber / msisdn / networkId / productId spellings mix; a bundle by product id
  const mixed = await c.bulk([
    { phoneNumber: '+233541112259', amount: 3, currency: 'ghs', networkId: 42, reference: `mix-a-${process.pid}` },
    { msisdn: '+233201234567', productId: 101, network_id: 42, reference: `mix-b-${process.pid}`, sms: 'Enjoy' },
  ])
  assert.deepEqual(mixed.rows.map((x) => x.outcome), ['sent', 'sent'], JSON.stringify(mixed.rows))
  const txs = committed([`mix-a-${process.pid}`, `mix-b-${process.pid}`])
  assert.equal(txs.length, 2)
  // a refused row names the other sale
  const taken = await c.topups.create({ phoneNumber: '+233201234567', networkId: 42, amount: '9', currency: 'GHS', reference: `taken-${process.pid}` })
  const refused = await c.bulk([{ phone: '+233541112259', amount: '11', currency: 'GHS', networkId: 42, reference: `taken-${process.pid}` }])
  assert.equal(refused.rows[0].outcome, 'refused')
  assert.equal(refused.rows[0].errorCode, 'REFERENCE_CONFLICT')
  assert.equal(refused.rows[0].id, taken.id)
})

test('bulkSync: onProgress on the calling thread, in order; an exception from it stops the run and is rethrown', { timeout: 60000 }, () => {
  const c = client()
  const seen = []
  const r = c.bulkSync(rows(12), { name: 'sync.csv', concurrency: 4, onProgress: (x, done, total) => seen.push([done, total, x.outcome]) })
  assert.deepEqual(seen.map((s) => s[0]), [...Array(12).keys()].map((i) => i + 1))
  assert.ok(seen.every((s) => s[1] === 12 && s[2] === 'sent'))
  assert.equal(r.counts.sent, 12)
  assert.equal(typeof r.toCsv, 'function')
  const boom = new RangeError('stop')
  assert.throws(() => c.bulkSync(rows(10), { name: 'sync2.csv', concurrency: 1, onProgress() { throw boom } }), (e) => e === boom)
  assert.throws(() => c.bulkSync(rows(1), { name: 'x', signal: AbortSignal.abort() }), (e) => e instanceof ca.ClickAirtimeError && e.field === 'signal')
  assert.throws(() => c.bulkSync(rows(1), { name: 'x', onProgress: 5 }), (e) => e instanceof ca.ClickAirtimeError && e.field === 'onProgress')
})

test('V1: bulk through the V1 client and its journal; a rerun writes nothing', { timeout: 60000 }, async () => {
  const v1 = new ca.V1Client({ email: env.sb.v1Email, token: env.sb.v1Token, baseUrl: env.sb.baseUrl, journal: tmp('v1.journal'), rateLimit: 'documented' })
  const input = [
    { msisdn: '233541112259', amount: 5, reference: `v1-a-${process.pid}` },
    { phone: '+233 20 123 4567', amount: '2.5', reference: `v1-b-${process.pid}`, sms: true },
    { phone: '+233541112259', product: 4202, reference: `v1-c-${process.pid}`, sms: false },
  ]
  const done = []
  const r = await v1.bulk(input, { onProgress: (_, n) => done.push(n) })
  assert.deepEqual(done, [1, 2, 3])
  assert.deepEqual(r.rows.map((x) => x.outcome), ['sent', 'sent', 'sent'], JSON.stringify(r.rows))
  assert.ok(r.rows.every((x) => x.status === 'SUCCESS' && x.origin === 'created'))
  const posts = env.sb.stats().v1.posts
  const again = await v1.bulk(input)
  assert.ok(again.rows.every((x) => x.origin === 'journal'))
  assert.equal(env.sb.stats().v1.posts, posts)
  await rejects(() => v1.bulk([{ msisdn: '233541112259', amount: 5, reference: 'v1-x', sms: 'yes' }]), 'INVALID_INPUT').then((e) => assert.equal(e.field, 'rows[0].sms'))
})

test('argument mistakes are ClickAirtimeErrors naming the option', async () => {
  const c = client()
  const bad = async (f, field) => {
    const e = await rejects(f, 'INVALID_INPUT')
    assert.equal(e.field, field, e.message)
  }
  await bad(() => c.bulk(), 'input')
  await bad(() => c.bulk(5), 'input')
  await bad(() => c.bulk(''), 'input')
  await bad(() => c.bulk([]), 'rows')
  await bad(() => c.bulk([5]), 'rows[0]')
  await bad(() => c.bulk([{ phone: '+233541112259', amount: {} }]), 'rows[0].amount')
  await bad(() => c.bulk([{ phone: '+233541112259', phoneNumber: '+233541112259', amount: 1, currency: 'GHS', reference: 'r' }]), 'rows[0].phoneNumber')
  await bad(() => c.bulk([{ phone: '+233541112259', amount: 1, currency: 'GHS' }]), 'name')
  await bad(() => c.bulk('x.csv', 5), 'options')
  await bad(() => c.bulk('x.csv', { concurrency: 0 }), 'concurrency')
  await bad(() => c.bulk('x.csv', { concurrency: 65 }), 'concurrency')
  await bad(() => c.bulk('x.csv', { onProgress: 'yes' }), 'onProgress')
  await bad(() => c.bulk('x.csv', { signal: {} }), 'signal')
  await bad(() => c.bulk(path.join(DIR, 'missing.csv')), 'input')
  const file = path.join(DIR, 'ok.csv')
  fs.writeFileSync(file, 'phone,amount,currency,reference\n+233541112259,1,GHS,never-sent\n')
  const posts = env.sb.stats().v2.posts
  await bad(() => c.bulk(file, { report: path.join(DIR, 'no', 'such', 'dir', 'r.csv') }), 'report')
  await bad(() => c.bulk(file, { report: file }), 'report')
  assert.match(fs.readFileSync(file, 'utf8'), /never-sent/, 'the input is left as it was')
  assert.equal(env.sb.stats().v2.posts, posts, 'a report that cannot be written is found before anything is sent')
})

test('rateLimit: documented tiers or explicit limits, checked; a send that cannot get a slot in time is not sent', async () => {
  const opts = { apiKey: env.sb.apiKey, baseUrl: env.sb.baseUrl }
  assert.ok(new ca.V2Client({ ...opts, rateLimit: 'documented' }))
  assert.ok(new ca.V1Client({ email: 'a@b.c', token: 't', rateLimit: { perHour: 500 } }))
  for (const [rateLimit, field] of [['fast', 'rateLimit'], [5, 'rateLimit'], [{ perMinute: 0 }, 'rateLimit'], [{ perHour: 'x' }, 'rateLimit.perHour']]) {
    assert.throws(() => new ca.V2Client({ ...opts, rateLimit }), (e) => e instanceof ca.ClickAirtimeError && e.code === 'INVALID_INPUT' && e.field === field, JSON.stringify(rateLimit))
  }
  // two requests a minute: the third send cannot get a slot within its deadline, and never leaves
  const c = new ca.V2Client({ ...opts, rateLimit: { perMinute: 2 }, sendDeadlineMs: 1500 })
  const order = (i) => ({ phoneNumber: `+23324${String(5550000 + i)}`, networkId: 42, amount: '1', currency: 'GHS', reference: `rl-${process.pid}-${i}` })
  await c.topups.create(order(1))
  await c.topups.create(order(2))
  const posts = env.sb.stats().v2.posts
  const t0 = Date.now()
  const e = await rejects(() => c.topups.create(order(3)), 'RATE_LIMITED')
  assert.ok(Date.now() - t0 < 5000, 'failed within the send deadline')
  assert.ok(e.retryAfterMs > 30000, `next slot in ${e.retryAfterMs} ms`)
  assert.ok(ca.isDefinitelyNotSent(e.code))
  assert.equal(env.sb.stats().v2.posts, posts, 'not sent')
})
