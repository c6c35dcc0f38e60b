// The Web platform's own raw DEFLATE (src/wire/deflate.ts) against Node's zlib: it reads every
// stream zlib writes, zlib reads every stream it writes, and on damaged input it refuses exactly
// what zlib refuses (so a compressed cookie means the same on every runtime), never throwing.
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { deflateRaw, inflateRaw } from '../src/wire/deflate.js'

const LIMIT = 64 * 1024

/** What Node's zlib makes of `input` with the same limit: the bytes, or undefined where it throws. */
function zlibInflate (input: Uint8Array, limit = LIMIT): Uint8Array | undefined {
  try {
    return new Uint8Array(inflateRawSync(input, { maxOutputLength: limit }))
  } catch {
    return undefined
  }
}

/** Session-like JSON: repetitive keys and values, as cookies hold. */
const json = fc.array(fc.record({ id: fc.nat(), sku: fc.string({ maxLength: 12 }), qty: fc.integer({ min: 0, max: 9 }), note: fc.string() }), { maxLength: 40 })
  .map((items) => new TextEncoder().encode(JSON.stringify({ user: 'alice', items })))

describe('inflateRaw', () => {
  it('reads what zlib writes, at every level and strategy', () => {
    fc.assert(fc.property(fc.oneof(json, fc.uint8Array({ maxLength: 3000 })), fc.integer({ min: 0, max: 9 }), fc.constantFrom(0, 1, 2, 3, 4), (input, level, strategy) => {
      const packed = new Uint8Array(deflateRawSync(input, { level, strategy }))
      expect(inflateRaw(packed, LIMIT)).toEqual(input)
    }), { numRuns: 300 })
  })

  it('refuses exactly what zlib refuses when a stream is damaged, and never throws', () => {
    fc.assert(fc.property(json, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(), (input, flips, cut) => {
      const damaged = new Uint8Array(deflateRawSync(input))
      for (const [at, mask] of flips) damaged[at % damaged.length] = (damaged[at % damaged.length] as number) ^ mask
      const truncated = damaged.subarray(0, damaged.length - (cut % 3))
      for (const candidate of [damaged, truncated]) {
        const ours = inflateRaw(candidate, LIMIT)
        const theirs = zlibInflate(candidate)
        expect(ours === undefined, 'refused by one and not the other').toBe(theirs === undefined)
        if (ours !== undefined) expect(ours).toEqual(theirs)
      }
    }), { numRuns: 2000 })
  })

  it('refuses random bytes as zlib does', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      expect(inflateRaw(bytes, LIMIT) === undefined).toBe(zlibInflate(bytes) === undefined)
    }), { numRuns: 3000 })
  })

  it('stops at the output limit: a bomb of 1000:1 is refused, not inflated', () => {
    const bomb = new Uint8Array(deflateRawSync(new Uint8Array(LIMIT + 1)))
    expect(bomb.length).toBeLessThan(200)
    expect(inflateRaw(bomb, LIMIT)).toBeUndefined()
    expect(zlibInflate(bomb)).toBeUndefined()
    expect(inflateRaw(new Uint8Array(deflateRawSync(new Uint8Array(LIMIT))), LIMIT)).toHaveLength(LIMIT)
  })
})

describe('deflateRaw', () => {
  it('writes streams zlib reads back', () => {
    fc.assert(fc.property(fc.oneof(json, fc.uint8Array({ maxLength: 5000 })), (input) => {
      expect(new Uint8Array(inflateRawSync(deflateRaw(input)))).toEqual(input)
    }), { numRuns: 300 })
  })

  it('makes session JSON shorter: under a third of it, within half again of zlib (fixed codes only)', () => {
    const cart = new TextEncoder().encode(JSON.stringify({
      user: 'alice',
      cart: Array.from({ length: 30 }, (_, i) => ({ id: 1000 + i, sku: 'SKU-' + (77770 + i), qty: (i % 4) + 1, title: 'Item number ' + i }))
    }))
    const ours = deflateRaw(cart).length
    const zlib = deflateRawSync(cart).length
    expect(ours).toBeLessThan(cart.length / 3)
    expect(ours).toBeLessThan(zlib * 1.5)
  })

  it('handles empty input, runs longer than a match, and input past the window', () => {
    for (const input of [new Uint8Array(0), new Uint8Array(1000).fill(7), new Uint8Array(70_000).map((_, i) => (i * 31) % 251)]) {
      expect(new Uint8Array(inflateRawSync(deflateRaw(input)))).toEqual(input)
    }
  })
})
