// Entry point of the `clickairtime` package for `import`. Re-exports the CommonJS entry, so both module
// systems share one addon, one ClickAirtimeError class and the same classes (instanceof works across them).
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const ca = require('./clickairtime.js')

export const {
  ClickAirtimeError,
  V2Client,
  V1Client,
  V2Catalog,
  V2Topups,
  V2Balance,
  TopUpIterator,
  Sandbox,
  verifyWebhook,
  parseWebhook,
  constructWebhookEvent,
  signWebhook,
  toE164,
  toMsisdn,
  validateE164,
  validateMsisdn,
  parseAmount,
  newReference,
  idempotencyKeyFor,
  isDefinitelyNotSent,
  errorCodes,
  version,
  cliMain,
} = ca
export default ca
