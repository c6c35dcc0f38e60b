// The Koa adapter's payload reader (koa-expiry.ts) takes koa-session's fields off the end of the
// JSON text without parsing it, for speed. It must read every payload as JSON.parse would: the
// same data and fields for a valid one, and nothing a parser would refuse (a parser differential
// is a cookie that one side reads and the other does not).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { unwrapKoa, wrapKoa } from '../src/adapters/koa-expiry.js'
import { parse } from '../src/wire/codec.js'

type Outcome = 'invalid' | { data: unknown, expire: unknown, maxAge: unknown, stamp: unknown }

/** Session data as text again (a number too large for a double is null there), so both readings compare. */
const asText = (data: object): unknown => JSON.parse(JSON.stringify(data))

/** What a payload means, read the slow and plain way: parsed as the core parses session JSON, then the fields taken out. */
function reference (payload: string): Outcome {
  const data = parse(payload)
  if (data === undefined) return 'invalid'
  const { _expire: expire, _maxAge: maxAge, _session: browser, _stamp: stamp, ...rest } = data
  const lifetime = typeof maxAge === 'number' && Number.isFinite(maxAge) && maxAge >= 0 ? maxAge : undefined
  const safe = Array.isArray(stamp) && Number.isSafeInteger(stamp[0]) && Number.isSafeInteger(stamp[1])
  return {
    data: asText(rest),
    expire: typeof expire === 'number' ? expire : undefined,
    maxAge: browser !== undefined ? 'session' : lifetime,
    stamp: safe ? [stamp[0], stamp[1]] : undefined
  }
}

function outcome (payload: string): Outcome {
  const read = unwrapKoa(payload)
  if (read === undefined) return 'invalid'
  const data = parse(read.json)
  if (data === undefined) return 'invalid'
  return { data: asText(data), expire: read.expire, maxAge: read.maxAge, stamp: read.stamp }
}

const number = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 53 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.stringMatching(/^-?[0-9]{1,20}(\.[0-9]{0,3})?([eE][+-]?[0-9]{0,3})?$/)
)
const tail = fc.oneof(
  fc.tuple(number, number).map(([expire, maxAge]) => `"_expire":${expire},"_maxAge":${maxAge}`),
  fc.constant('"_session":true')
).chain((fields) => fc.option(fc.tuple(number, number)).map((stamp) => stamp === null ? fields : `${fields},"_stamp":[${stamp[0]},${stamp[1]}]`))
const data = fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('_expire', '_maxAge', '_session', '_stamp')), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
  .map((object) => JSON.stringify(object))
const payload = fc.tuple(data, tail).map(([json, fields]) => json.length === 2 ? `{${fields}}` : `${json.slice(0, -1)},${fields}}`)
/** A payload with one character dropped, doubled or changed: most are not JSON. */
const damaged = fc.tuple(payload, fc.nat(), fc.constantFrom('drop', 'double', ',', '0', '}', '"', '\\', ' ')).map(([text, at, how]) => {
  const i = at % text.length
  if (how === 'drop') return text.slice(0, i) + text.slice(i + 1)
  if (how === 'double') return text.slice(0, i + 1) + text.slice(i)
  return text.slice(0, i) + how + text.slice(i + 1)
})

describe('koa-session payloads', () => {
  it('are read as JSON.parse reads them', () => {
    fc.assert(fc.property(payload, (text) => { expect(outcome(text)).toEqual(reference(text)) }), { numRuns: 2000 })
  })

  it('damaged, are read as JSON.parse reads them, or refused', () => {
    fc.assert(fc.property(damaged, (text) => { expect(outcome(text)).toEqual(reference(text)) }), { numRuns: 4000 })
  })

  it.each([
    ['a number with a leading zero', '{"a":1,"_expire":01,"_maxAge":2}'],
    ['a leading zero in the lifetime', '{"_expire":1,"_maxAge":007}'],
    ['a stamp with a leading zero', '{"_session":true,"_stamp":[01,2]}'],
    ['a trailing comma before the fields', '{"a":1,,"_expire":1,"_maxAge":2}'],
    ['an unclosed object before them', '{"a":{"_expire":1,"_maxAge":2}'],
    ['a plus sign', '{"_expire":+1,"_maxAge":2}'],
    ['a bare dot', '{"_expire":1.,"_maxAge":2}']
  ])('refuses %s, as JSON.parse does', (_name, text) => {
    expect(reference(text)).toBe('invalid')
    expect(outcome(text)).toBe('invalid')
  })

  it('reads back what it writes', () => {
    const json = '{"user":"ann"}'
    expect(unwrapKoa(wrapKoa(json, 5000, [1, 2], 10))).toMatchObject({ json, expire: 5010, maxAge: 5000, stamp: [1, 2] })
    expect(unwrapKoa(wrapKoa('{}', 'session', undefined, 10))).toMatchObject({ json: '{}', expire: undefined, maxAge: 'session', stamp: undefined })
  })
})
