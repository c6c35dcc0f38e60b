// Without onError, a failure becomes one process warning per error code
// that says so and says how to see every occurrence, names where in the session the bad value is,
// and carries no raw control characters. Each test loads the library afresh, since the
// once-per-code memory lives in the module.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { serve, type Req } from './helpers/apps.js'

// 32 bytes and more: a shorter key would add its own warning (ERR_SESSION_WEAK_KEY) to those observed here.
const keys = ['a-key-of-at-least-32-bytes-for-tests']
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** The warnings emitted while `route` runs on a freshly loaded middleware without onError. */
async function warningsFor (route: (req: Req) => void): Promise<string[]> {
  vi.resetModules()
  const { cookieSession } = await import('../src/index.js')
  const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
  const res = await serve(cookieSession({ keys }), (req) => { route(req); return 'ok' }).get()
  expect(res.body).toBe('ok')
  return warn.mock.calls.map(([message]) => String(message))
}

describe('the default warning', () => {
  afterEach(() => { vi.restoreAllMocks() })

  it('says it is shown once per error code and how to see every occurrence', async () => {
    const [warning] = await warningsFor((req) => { req.session!.n = 1n })
    expect(warning).toContain('shown once per error code')
    expect(warning).toContain('"onError"')
    expect(warning).toContain('NODE_DEBUG=signed-cookie-session')
  })

  it('names the path of a BigInt', async () => {
    const [warning] = await warningsFor((req) => { req.session!.cart = { total: 10n } })
    expect(warning).toContain('session.cart.total is a BigInt')
  })

  it('names the path of a circular reference', async () => {
    const [warning] = await warningsFor((req) => {
      const cart: Record<string, unknown> = { items: {} }
      ;(cart.items as Record<string, unknown>).owner = cart
      req.session!.cart = cart
    })
    expect(warning).toContain('session.cart.items.owner refers back to an object that contains it')
  })

  it('escapes the line breaks and C1 controls of an error it quotes', async () => {
    const [warning] = await warningsFor((req) => {
      req.session!.bad = { toJSON () { throw new Error('a\r\nb\u2028c\u0085d\u009be') } }
    })
    expect(warning).toContain('a\\r\\nb\\u2028c\\u0085d\\u009be')
    expect(warning).not.toMatch(RAW_CONTROL)
  })
})
