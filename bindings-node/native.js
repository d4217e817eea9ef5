'use strict'
// Loads the native addon through the napi-rs loader (index.js, generated), which picks the file or the
// per-platform package (`clickairtime-<platform>`, an optional dependency) that fits this process. When none
// fits, the error says which platform this is, which ones are published, and what to do.

const PUBLISHED = ['linux-x64-gnu', 'linux-arm64-gnu', 'linux-x64-musl', 'win32-x64-msvc']

function libc() {
  if (process.platform !== 'linux') return ''
  try {
    const report = process.report && typeof process.report.getReport === 'function' ? process.report.getReport() : null
    if (report && report.header && report.header.glibcVersionRuntime) return '-gnu'
    if (report && Array.isArray(report.sharedObjects) && report.sharedObjects.some((f) => /ld-musl-|libc\.musl-/.test(f))) {
      return '-musl'
    }
  } catch {
    // fall through: unknown libc
  }
  return '-gnu'
}

function platformKey() {
  const abi = process.platform === 'win32' ? '-msvc' : libc()
  return `${process.platform}-${process.arch}${abi}`
}

function platformError(cause) {
  const key = platformKey()
  const published = PUBLISHED.includes(key)
  const lines = [
    `clickairtime: no native addon could be loaded for this platform, ${key} (Node ${process.version}).`,
    `Published platforms: ${PUBLISHED.join(', ')}.`,
  ]
  if (published) {
    lines.push(
      `Its package, clickairtime-${key}, is missing or does not load: npm skips optional dependencies with ` +
        `--omit=optional / --no-optional, and a lockfile written on another platform can leave it out. ` +
        `Reinstall with \`npm install clickairtime\` (after removing node_modules and package-lock.json if needed).`,
    )
    if (key.startsWith('linux-') && key.endsWith('-gnu')) {
      lines.push('The Linux gnu builds need glibc 2.17 or newer.')
    }
  } else {
    lines.push(
      'This platform has no prebuilt addon. Build one from the source repository (needs Rust): ' +
        '`cd bindings-node && npm install && npx napi build --platform --release`.',
    )
  }
  const error = new Error(lines.join('\n'))
  error.code = 'ERR_CLICKAIRTIME_NO_NATIVE_ADDON'
  error.platform = key
  error.cause = cause
  return error
}

let binding
try {
  binding = require('./index.js')
} catch (e) {
  throw platformError(e)
}
module.exports = binding
