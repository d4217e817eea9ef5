'use strict'
// The generated index.d.ts is precise and in step with the runtime.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const ca = require('..')

const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')

test('no any, and unknown nowhere', () => {
  // (comments, string literal types such as the journal state 'unknown', and the bulk count named unknown aside)
  const code = dts.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/'[^'\n]*'/g, "''")
    .replace(/^ {2}unknown: number$/m, '')
  assert.doesNotMatch(code, /\bany\b/)
  assert.doesNotMatch(code, /\bunknown\b/)
})

test('the ErrorCode union lists exactly the runtime error codes', () => {
  const m = dts.match(/export type ErrorCode =([\s\S]*?)\n\/\*\*/)
  assert.ok(m, 'ErrorCode union found')
  const listed = [...m[1].matchAll(/'([A-Z_]+)'/g)].map((x) => x[1])
  assert.deepEqual(listed, ca.errorCodes())
})

test('every runtime export is declared', () => {
  for (const name of Object.keys(ca)) {
    assert.match(dts, new RegExp(`export declare (class|function) ${name}\\b`), name)
  }
})

test('every async method has a Sync twin, declared and present', () => {
  const clients = {
    V2Catalog: ['lookup', 'countries', 'networks', 'products'],
    V2Client: ['pending', 'recover', 'journalEntry', 'bulk'],
    V2Topups: ['create', 'get', 'list', 'listAll', 'reconcile', 'wait'],
    V2Balance: ['list', 'get'],
    V1Client: ['sendTopup', 'transactions', 'reconcile', 'wait', 'productCatalog', 'products', 'product', 'balances', 'balance', 'pending', 'recover', 'journalEntry', 'bulk'],
    Sandbox: ['close'],
    TopUpIterator: ['next'],
  }
  for (const [cls, methods] of Object.entries(clients)) {
    for (const m of methods) {
      assert.equal(typeof ca[cls].prototype[m], 'function', `${cls}.${m}`)
      assert.equal(typeof ca[cls].prototype[`${m}Sync`], 'function', `${cls}.${m}Sync`)
      assert.match(dts, new RegExp(`\\n  ${m}Sync\\(`), `${cls}.${m}Sync declared`)
    }
  }
})

test('the new unions are declared exactly', () => {
  const union = (name) => {
    const m = dts.match(new RegExp(`export type ${name} = ([^\\n]*)`))
    assert.ok(m, name)
    return [...m[1].matchAll(/'([a-z_]+)'/g)].map((x) => x[1])
  }
  assert.deepEqual(union('SendOrigin'), ['created', 'recovered', 'replayed', 'journal'])
  assert.deepEqual(union('SendState'), ['in_flight', 'sent', 'not_sent', 'refused', 'unknown'])
  for (const field of ['causeKind?: ErrorCode', 'status?: string', 'existingReference?: string', 'transactionId?: string']) {
    assert.ok(dts.includes(`readonly ${field}`), field)
  }
  assert.match(dts, /origin\?: SendOrigin/)
  assert.match(dts, /state: SendState/)
  assert.match(dts, /record\?: TopUp\n/)
  assert.match(dts, /record\?: Transaction\n/)
})

test('every asynchronous method takes { signal } (CallOptions) and the results are records with meta', () => {
  assert.match(dts, /export interface CallOptions \{[\s\S]*?signal\?: AbortSignal/)
  const asyncSigs = [...dts.matchAll(/\n  (\w+)\(([^)]*)\): Promise</g)]
  assert.ok(asyncSigs.length >= 28, `only ${asyncSigs.length} async methods found`)
  for (const [, name, args] of asyncSigs) {
    if (name === 'next' || name === 'step') continue
    assert.match(args, /(call\?: CallOptions|options\?: (Wait|Bulk)Options & CallOptions)/, name)
  }
  assert.match(dts, /export type WithMeta<T> = T & \{ meta: Meta \}/)
  assert.match(dts, /export type TopUpResponse = WithMeta<TopUp>/)
  assert.match(dts, /export type TopUpListResponse = WithMeta<TopUp\[\]>/)
  assert.doesNotMatch(dts, /export interface TopUpResponse/)
  assert.match(dts, /function start\(options\?: SandboxOptions, call\?: CallOptions\): Promise<Sandbox>/)
  assert.match(dts, /export declare function toE164\(number: string, country\?: string\): string/)
  assert.match(dts, /apiKey\?: string/)
})

test('bulk, rateLimit and cliMain are typed', () => {
  const m = dts.match(/export type BulkOutcome = ([^\n]*)/)
  assert.ok(m, 'BulkOutcome')
  assert.deepEqual([...m[1].matchAll(/'([a-z_]+)'/g)].map((x) => x[1]), ['sent', 'not_sent', 'refused', 'unknown', 'skipped'])
  assert.equal((dts.match(/\n  rateLimit\?: 'documented' \| RateLimitPolicy\n/g) || []).length, 2, 'both clients')
  assert.equal((dts.match(/\n  bulk\(input: BulkInput, options\?: BulkOptions & CallOptions\): Promise<BulkReport>/g) || []).length, 2)
  assert.equal((dts.match(/\n  bulkSync\(input: BulkInput, options\?: BulkSyncOptions\): BulkReport/g) || []).length, 2)
  assert.match(dts, /onProgress\?: \(result: BulkRowResult, done: number, total: number\) => void \| Promise<void>/)
  assert.match(dts, /toCsv\(\): string/)
  assert.match(dts, /outcome: BulkOutcome/)
  assert.match(dts, /readonly rowErrors\?: BulkRowError\[\]/)
  assert.match(dts, /export declare function cliMain\(args: string\[\]\): Promise<number>/)
})
