'use strict'
// Shared test helpers: one in-process sandbox per test file, clients bound to it, and a tiny controllable HTTP
// server (127.0.0.1 only) for answers the sandbox does not produce.
const fs = require('node:fs')
const http = require('node:http')
const os = require('node:os')
const path = require('node:path')
const ca = require('..')

/** Start a sandbox with fast state transitions; returns { sb, v2, v1 }. */
async function setup(options = {}) {
  const sb = await ca.Sandbox.start({ processingAfterMs: 30, completeAfterMs: 120, slowDelayMs: 600, ...options })
  const v2 = new ca.V2Client({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, timeoutMs: 10000 })
  const v1 = new ca.V1Client({ email: sb.v1Email, token: sb.v1Token, baseUrl: sb.baseUrl, timeoutMs: 10000 })
  return { sb, v2, v1 }
}

/** Fast polling for waits in tests. */
const FAST = { initialIntervalMs: 20, maxIntervalMs: 50, deadlineMs: 10000 }

/** Run `fn`, expect it to reject (or throw) a ClickAirtimeError with `code`; return the error. */
async function rejects(fn, code) {
  let err
  try {
    await fn()
  } catch (e) {
    err = e
  }
  if (!err) throw new Error(`expected ${code}, got success`)
  if (!(err instanceof ca.ClickAirtimeError)) throw new Error(`expected ClickAirtimeError, got ${err && err.stack}`)
  if (err.code !== code) throw new Error(`expected ${code}, got ${err.code}: ${err.message}`)
  return err
}

/**
 * A local server answering each request with `handler(req, body)` → { status, headers?, body? } (body: object
 * → JSON). Resolves to { url, seen, close }.
 */
function server(handler) {
  const seen = []
  const srv = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      seen.push({ method: req.method, url: req.url, headers: req.headers, body })
      const a = handler(req, body) || { status: 500 }
      const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {})
      res.writeHead(a.status, { 'content-type': 'application/json', ...(a.headers || {}) })
      res.end(text)
    })
  })
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${srv.address().port}`
      resolve({ url, seen, close: () => new Promise((r) => { srv.closeAllConnections(); srv.close(r) }) })
    })
  })
}

let n = 0
/** A unique reference for this run. */
function ref(prefix = 'node') {
  n += 1
  return `${prefix}-${process.pid}-${Date.now()}-${n}`
}

/** A fresh journal path in a new temporary directory (removed at exit). */
function tmpJournal(name = 'sales.journal') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-node-journal-'))
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  return path.join(dir, name)
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Poll `fn` every `everyMs` until it returns a truthy value (returned) or `withinMs` passes (throws). */
async function until(fn, withinMs, everyMs = 50, what = 'condition') {
  const end = Date.now() + withinMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`${what}: not reached within ${withinMs} ms`)
    await sleep(everyMs)
  }
}

module.exports = { ca, setup, FAST, rejects, server, ref, tmpJournal, sleep, until }
