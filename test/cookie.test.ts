import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readCookie } from '../src/cookie.js'

/** The pattern the `cookies` module (and so cookie-session) reads a cookie with. */
function readLikeCookies (header: string, name: string): string | undefined {
  const match = new RegExp('(?:^|;) *' + name.replace(/[\^$\\.*+?()[\]{}|]/g, '\\$&') + '=([^;]*)').exec(header)
  if (match === null) return undefined
  const value = match[1] as string
  return value[0] === '"' ? value.slice(1, -1) : value
}

describe('readCookie', () => {
  it('finds exactly what the cookies module finds, on any header made of tricky pieces (property)', () => {
    const piece = fc.constantFrom('session', 'session.sig', 'xsession', 'sessions', 'Session', '=', ';', ' ', '"', 'v', 'a=b', '==')
    const header = fc.array(piece, { maxLength: 14 }).map((parts) => parts.join(''))
    fc.assert(fc.property(header, fc.constantFrom('session', 'session.sig'), (text, name) => {
      expect(readCookie(text, name)).toBe(readLikeCookies(text, name))
    }), { numRuns: 3000 })
  })

  it.each([
    ['session=a; session=b', 'a'],
    ['  session=a', 'a'],
    ['x=1;session="q"', 'q'],
    ['xsession=1; session=2', '2'],
    ['session.sig=s; session=v', 'v'],
    ['x=session=1', undefined],
    ['session=', '']
  ])('reads %j as %j', (header, expected) => {
    expect(readCookie(header, 'session')).toBe(expected)
  })
})
