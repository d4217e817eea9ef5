'use strict'
// Docs that run: every code block of bindings-node/README.md and every example in examples/node is executed
// or type-checked here, so a snippet cannot rot.
//  - JavaScript runs as CommonJS and as an ES module: a block written with require() is also run with its
//    requires turned into imports; a block written with import is also run with its imports turned into
//    requires and its body in an async function (top-level await). Each run gets a fresh sandbox, with
//    CLICKAIRTIME_API_KEY / _V1_EMAIL / _V1_TOKEN / _BASE_URL pointing at it, in an empty working directory
//    where `clickairtime` (and `express`) resolve to this package; it must exit 0.
//  - TypeScript blocks and examples pass `tsc --strict` against the package's index.d.ts.
//  - Shell blocks pass `bash -n` and may only be the two install commands scripts/test-node.sh performs itself
//    (npm pack + install of the tarball into a fresh project; npm install + napi build in bindings-node) and
//    `npx clickairtime …` lines, which run here — the package's bin, in a fresh workspace holding a small
//    `staff-bonus.csv`, against a fresh sandbox — and must exit 0 (`sandbox` is stopped with Ctrl-C once it has
//    printed its URL). scripts/test-node.sh runs `npx clickairtime` itself from the installed tarball.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn, spawnSync } = require('node:child_process')
const { ca } = require('./helpers')

const PKG = path.join(__dirname, '..')
const EXAMPLES = path.join(PKG, '..', 'examples', 'node')

/** The fenced code blocks of a Markdown file: { lang, code, line }. */
function blocks(file) {
  const text = fs.readFileSync(file, 'utf8')
  const out = []
  for (const m of text.matchAll(/^```(\w*)[^\n]*\n([\s\S]*?)^```\s*$/gm)) {
    out.push({ lang: m[1], code: m[2], line: text.slice(0, m.index).split('\n').length })
  }
  return out
}

const isEsm = (code) => /^import\s/m.test(code)
const isCjs = (code) => /\brequire\(/.test(code)

/** CommonJS → ES module: top-level `const x = require('m')` / `const { a, b } = require('m')` become imports. */
function toEsm(code) {
  const out = code
    .replace(/^'use strict'\s*$/m, '')
    .replace(/^const (\{[^}]*\}|\w+) = require\(('[^']+')\)(\s*\/\/.*)?$/gm, (_, what, mod, comment) => `import ${what} from ${mod}${comment || ''}`)
  assert.doesNotMatch(out, /\brequire\(/, 'a require() the ES module form cannot express')
  return out
}

/** ES module → CommonJS: imports become requires, the rest runs in an async function (top-level await). */
function toCjs(code) {
  const requires = []
  const body = code.replace(/^import\s+(type\s+)?(.+?)\s+from\s+('[^']+')\s*;?\s*$/gm, (_, type, what, mod) => {
    if (type) return ''
    const m = what.match(/^(\w+)?\s*,?\s*(\{[^}]*\})?$/)
    assert.ok(m, `an import the CommonJS form cannot express: ${what}`)
    if (m[1]) requires.push(`const ${m[1]} = require(${mod})`)
    if (m[2]) requires.push(`const ${m[2]} = require(${mod})`)
    return ''
  })
  assert.doesNotMatch(body, /^\s*(import|export)\s/m, 'an import or export the CommonJS form cannot express')
  return `'use strict'\n${requires.join('\n')}\n;(async () => {\n${body}\n})().catch((err) => { console.error(err); process.exitCode = 1 })\n`
}

/** An empty directory where `clickairtime` and `express` resolve to this package and its dependency. */
function workspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-docs-'))
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  fs.mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true })
  fs.symlinkSync(PKG, path.join(dir, 'node_modules', 'clickairtime'), 'dir')
  fs.symlinkSync(path.join(PKG, 'node_modules', 'express'), path.join(dir, 'node_modules', 'express'), 'dir')
  for (const t of ['node', 'express']) {
    const from = path.join(PKG, 'node_modules', '@types', t)
    if (fs.existsSync(from)) fs.symlinkSync(from, path.join(dir, 'node_modules', '@types', t), 'dir')
  }
  return dir
}

/** Run `code` as `file` (.cjs / .mjs) against a fresh sandbox; resolve { code, out }. */
async function run(file, code) {
  const dir = workspace()
  fs.writeFileSync(path.join(dir, file), code)
  const sb = await ca.Sandbox.start({ processingAfterMs: 50, completeAfterMs: 200 })
  try {
    return await new Promise((resolve) => {
      const p = spawn(process.execPath, [file], {
        cwd: dir,
        env: {
          ...process.env,
          CLICKAIRTIME_API_KEY: sb.apiKey,
          CLICKAIRTIME_BASE_URL: sb.baseUrl,
          CLICKAIRTIME_V1_EMAIL: sb.v1Email,
          CLICKAIRTIME_V1_TOKEN: sb.v1Token,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      p.stdout.on('data', (d) => { out += d })
      p.stderr.on('data', (d) => { out += d })
      const timer = setTimeout(() => p.kill('SIGKILL'), 60000)
      p.on('exit', (status, signal) => { clearTimeout(timer); resolve({ status, signal, out }) })
    })
  } finally {
    await sb.close()
  }
}

async function runs(label, file, code) {
  const r = await run(file, code)
  assert.equal(r.status, 0, `${label} (${file}) exited ${r.status ?? r.signal}:\n${r.out}\n--- source:\n${code}`)
  assert.doesNotMatch(r.out, /Error:|at .*\(.*:\d+:\d+\)/, `${label} printed an error:\n${r.out}`)
  if (process.env.DOCS_VERBOSE) process.stdout.write(`# ${label} (${file}):\n${r.out.replace(/^/gm, '#   ')}\n`)
  return r.out
}

const README = path.join(PKG, 'README.md')
const docs = blocks(README).map((b) => ({ ...b, where: `README.md:${b.line}` }))
const examples = fs.readdirSync(EXAMPLES)
  .filter((f) => /\.(c?js|mjs|ts)$/.test(f))
  .map((f) => {
    const ext = path.extname(f)
    const lang = ext === '.ts' ? 'ts' : 'js'
    return { lang, code: fs.readFileSync(path.join(EXAMPLES, f), 'utf8'), where: `examples/node/${f}` }
  })

test('the README has code blocks of every kind, and only known kinds', () => {
  const kinds = new Set(docs.map((b) => b.lang))
  for (const k of ['js', 'ts', 'sh']) assert.ok(kinds.has(k), k)
  assert.deepEqual([...kinds].filter((k) => !['js', 'ts', 'sh'].includes(k)), [])
  assert.doesNotMatch(fs.readFileSync(README, 'utf8'), /Node 18/)
})

for (const b of [...docs, ...examples].filter((x) => x.lang === 'js')) {
  const esm = isEsm(b.code)
  const cjs = isCjs(b.code)
  test(`${b.where} runs as CommonJS`, { timeout: 90000 }, async () => {
    await runs(b.where, 'block.cjs', esm ? toCjs(b.code) : b.code)
  })
  test(`${b.where} runs as an ES module`, { timeout: 90000 }, async () => {
    await runs(b.where, 'block.mjs', cjs && !esm ? toEsm(b.code) : b.code)
  })
}

test('TypeScript blocks and examples pass tsc --strict', { timeout: 120000 }, () => {
  const ts = [...docs, ...examples].filter((b) => b.lang === 'ts')
  assert.ok(ts.length >= 2)
  const dir = workspace()
  const files = ts.map((b, i) => {
    const f = `block${i}.ts`
    fs.writeFileSync(path.join(dir, f), b.code)
    return f
  })
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
      types: ['node'], skipLibCheck: false,
    },
    files,
  }))
  const tsc = path.join(PKG, 'node_modules', 'typescript', 'bin', 'tsc')
  const r = spawnSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8' })
  const where = (out) => out.replace(/block(\d+)\.ts/g, (_, i) => ts[Number(i)].where)
  assert.equal(r.status, 0, where(`${r.stdout}${r.stderr}`))
})

const shellLines = (b) => b.code.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
const isCli = (line) => /^npx clickairtime( |$)/.test(line)

test('shell blocks are valid and are what scripts/test-node.sh performs itself, or npx clickairtime', () => {
  const performed = [
    'npm install clickairtime', // npm pack + npm install of the tarball into a fresh project
    'cd bindings-node && npm install && npx napi build --platform --release', // NODE_PROFILE=release
  ]
  for (const b of docs.filter((x) => x.lang === 'sh')) {
    const r = spawnSync('bash', ['-n'], { input: b.code, encoding: 'utf8' })
    assert.equal(r.status, 0, `${b.where}: ${r.stderr}`)
    for (const line of shellLines(b)) {
      assert.ok(performed.includes(line) || isCli(line), `${b.where}: ${line} is not a command scripts/test-node.sh performs`)
    }
  }
})

/** Run one `npx clickairtime …` line as the package's bin (`npx` is the bin here; bash splits the words). */
function cliLine(line, cwd, env) {
  const bin = path.join(PKG, require('../package.json').bin.clickairtime)
  const shim = `npx() { [ "$1" = clickairtime ] || return 127; shift; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} "$@"; }\n`
  return new Promise((resolve) => {
    const p = spawn('bash', ['-c', `${shim}${line}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    p.stdout.on('data', (d) => {
      out += d
      // the foreground sandbox: stop it with Ctrl-C once it has printed its URL
      if (/ sandbox( |$)/.test(line) && /^CLICKAIRTIME_SANDBOX_URL=http/m.test(out) && !p.stopping) {
        p.stopping = true
        p.kill('SIGINT')
      }
    })
    p.stderr.on('data', (d) => { out += d })
    const timer = setTimeout(() => p.kill('SIGKILL'), 60000)
    p.on('exit', (status, signal) => { clearTimeout(timer); resolve({ status, signal, out }) })
  })
}

test('the npx clickairtime lines run against a fresh sandbox and exit 0', { timeout: 120000 }, async () => {
  const lines = docs.filter((x) => x.lang === 'sh').flatMap((b) => shellLines(b).filter(isCli).map((line) => ({ line, where: b.where })))
  assert.ok(lines.length >= 4, 'the README shows the command')
  const dir = workspace()
  fs.writeFileSync(path.join(dir, 'staff-bonus.csv'), 'phone,amount,currency,reference\n+233541112259,50,GHS,bonus-1\n+233201234567,20,GHS,\n')
  const sb = await ca.Sandbox.start({ processingAfterMs: 50, completeAfterMs: 200 })
  const env = {
    ...process.env,
    CLICKAIRTIME_API_KEY: sb.apiKey,
    CLICKAIRTIME_BASE_URL: sb.baseUrl,
    CLICKAIRTIME_V1_EMAIL: sb.v1Email,
    CLICKAIRTIME_V1_TOKEN: sb.v1Token,
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_STATE_HOME: path.join(dir, 'state'),
  }
  try {
    for (const { line, where } of lines) {
      const r = await cliLine(line, dir, env)
      assert.equal(r.status, 0, `${where}: ${line} exited ${r.status ?? r.signal}:\n${r.out}`)
      if (process.env.DOCS_VERBOSE) process.stdout.write(`# ${line}:\n${r.out.replace(/^/gm, '#   ')}\n`)
    }
  } finally {
    await sb.close()
  }
})

test('the module-system conversions keep a block\'s meaning', () => {
  assert.equal(toEsm("const { V2Client, toE164 } = require('clickairtime') // comment\nconst fs = require('node:fs')\n").trim(),
    "import { V2Client, toE164 } from 'clickairtime' // comment\nimport fs from 'node:fs'")
  const cjs = toCjs("import ca, { V2Client } from 'clickairtime'\nimport type { TopUp } from 'clickairtime'\nawait 1\n")
  assert.match(cjs, /const ca = require\('clickairtime'\)\nconst \{ V2Client \} = require\('clickairtime'\)/)
  assert.match(cjs, /\(async \(\) => \{\n\n\nawait 1/)
})
