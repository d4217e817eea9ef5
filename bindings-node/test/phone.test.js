'use strict'
// Phone numbers as people type them (the core's libphonenumber port): toE164(number, country?), sends that
// accept formatted numbers (and send them normalised), and errors that quote what the user typed.
const test = require('node:test')
const assert = require('node:assert/strict')
const { ca, setup, rejects, ref } = require('./helpers')

let env
test.before(async () => { env = await setup() })
test.after(() => env.sb.close())

test('toE164: formatting, 00, national numbers with a country', () => {
  for (const typed of ['+233541112259', '+233 54 111 2259', '+233-54-111-2259', '+233 (54) 111.2259', '00233 54 111 2259', '233541112259']) {
    assert.equal(ca.toE164(typed), '+233541112259', typed)
  }
  assert.equal(ca.toE164('0541112259', 'GH'), '+233541112259')
  assert.equal(ca.toE164('054 111 2259', 'gh'), '+233541112259')
  assert.equal(ca.toE164('+233541112259', 'KE'), '+233541112259', 'an international number ignores the country')
  assert.equal(ca.toE164('0712 345678', 'KE'), '+254712345678')
  assert.equal(ca.toMsisdn('+233 54 111 2259'), '233541112259')
})

test('errors quote what was typed, never a number the user did not type', async () => {
  const e = await rejects(() => ca.toE164('0541112259'), 'INVALID_INPUT')
  assert.equal(e.field, 'phoneNumber')
  assert.match(e.message, /"0541112259"/)
  assert.doesNotMatch(e.message, /\+0541112259/)
  assert.match(e.message, /toE164\(number, country\)/)
  const short = await rejects(() => ca.toE164('+233 54 111'), 'INVALID_INPUT')
  assert.match(short.message, /"\+233 54 111"/)
  const country = await rejects(() => ca.toE164('0541112259', 'XX'), 'INVALID_INPUT')
  assert.equal(country.field, 'country')
  assert.match(country.message, /"XX"/)
  const send = await rejects(() => env.v2.topups.create({ phoneNumber: '054 111 2259', networkId: 42, amount: '1', currency: 'GHS' }), 'INVALID_INPUT')
  assert.equal(send.field, 'phoneNumber')
  assert.match(send.message, /"054 111 2259"/)
})

test('sends accept formatted numbers and send them normalised (V2 and V1)', async () => {
  const reference = ref('formatted')
  const order = env.v2.topups.prepare({ phoneNumber: '+233 (54) 111-2259', networkId: 42, amount: '2', currency: 'GHS', reference })
  assert.equal(order.phoneNumber, '+233541112259')
  const t = await env.v2.topups.create({ phoneNumber: '00233 54 111 2259', networkId: 42, amount: '2.5', currency: 'GHS', reference })
  assert.equal(t.phoneNumber, '+233541112259')
  assert.equal(env.sb.transactions().v2.find((x) => x.reference === reference).phoneNumber, '+233541112259')
  // a lookup takes strict E.164 (the core checks it as such): normalise the number first
  const lookup = await env.v2.catalog.lookup({ phoneNumber: ca.toE164('+233 24 123 4567') })
  assert.equal(lookup.phoneNumber, '+233241234567')
  const extRefId = ref('v1formatted')
  const v1 = await env.v1.sendTopup({ msisdn: '+233 54 111 2259', amount: '2', extRefId })
  assert.equal(v1.extRefId, extRefId)
  assert.equal(env.sb.transactions().v1.find((x) => x.extRefId === extRefId).msisdn, '233541112259')
  // a national number: convert it with its country first
  const national = await env.v2.topups.create({ phoneNumber: ca.toE164('0201112299', 'GH'), networkId: 23, amount: '3', currency: 'GHS' })
  assert.equal(national.phoneNumber, '+233201112299')
})
