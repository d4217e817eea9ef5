// Bulk payout (CommonJS): a back office pays a CSV of staff bonuses. The whole file is checked before anything
// is sent; every send goes through a crash-safe journal and a client-side rate limit; Ctrl-C stops taking new
// rows while the sends under way settle; running it again with the same file and journal pays nobody twice.
//   node payout.js [FILE.csv]      (without a file: a demo file, against the built-in sandbox)
// The `clickairtime bulk FILE.csv` command does the same from a shell (`npx clickairtime bulk --help`).
'use strict'
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { V2Client, Sandbox, ClickAirtimeError } = require('clickairtime')

/** Pay every row of `file`; returns the report. */
async function pay(client, file, signal) {
  const report = await client.bulk(file, {
    concurrency: 4,
    report: file.replace(/\.csv$/, '') + '.report.csv',
    signal,
    onProgress: (row, done, total) => {
      const what = row.outcome === 'sent' ? `${row.amount} (${row.origin}, ${row.id})` : `${row.errorCode}: ${row.error}`
      console.log(`[${done}/${total}] line ${row.line} ${row.reference}: ${row.outcome} ${what}`)
    },
  })
  const { total, sent, notSent, refused, unknown, skipped } = report.counts
  console.log(`${sent} of ${total} sent; not sent ${notSent}, refused ${refused}, unknown ${unknown}, skipped ${skipped}`)
  if (unknown > 0) console.log('some rows may have been received: do NOT pay them by other means; run this again later')
  if (report.stopped) console.log('stopped: run the same command again to finish (nobody is paid twice)')
  return report
}

async function main() {
  // credentials from the environment (CLICKAIRTIME_API_KEY, CLICKAIRTIME_BASE_URL), else a local sandbox
  const sandbox = process.env.CLICKAIRTIME_API_KEY ? null : await Sandbox.start()
  let file = process.argv[2]
  if (!file) {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'payout-')), 'staff-bonus-2026-05.csv')
    fs.writeFileSync(file, [
      'phone,amount,currency,reference,department',
      '+233541112259,50,GHS,bonus-2026-05-001,sales',
      '+233 20 123 4567,20,GHS,,field', // no reference: derived from the file's name, the line and the sale
      '+233241234567,35.50,GHS,,support',
    ].join('\n') + '\n')
  }
  const client = new V2Client({
    ...(sandbox ? { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl } : {}),
    journal: file.replace(/\.csv$/, '') + '.journal', // keep it with the file: a rerun resumes from it
    rateLimit: 'documented', // 60 requests a minute, 1,000 an hour, and the server's Retry-After
  })
  const stop = new AbortController()
  const onInterrupt = () => {
    console.log('stopping: no new rows; the sends under way settle')
    stop.abort()
  }
  process.once('SIGINT', onInterrupt)
  try {
    const first = await pay(client, file, stop.signal)
    // the same file again (as after a crash or Ctrl-C): rows already paid come from the journal, unwritten
    const again = await pay(client, file, stop.signal)
    const fromJournal = again.rows.filter((r) => r.origin === 'journal').length
    console.log(`rerun: ${fromJournal} of ${first.counts.sent} paid rows from the journal, nothing sent twice`)
    process.exitCode = again.counts.sent === again.counts.total ? 0 : 7
  } catch (err) {
    if (!(err instanceof ClickAirtimeError) || err.code !== 'INVALID_INPUT') throw err
    console.log(err.message) // every bad row with its line; nothing was sent
    process.exitCode = 2
  } finally {
    process.removeListener('SIGINT', onInterrupt)
    if (sandbox) await sandbox.close()
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
