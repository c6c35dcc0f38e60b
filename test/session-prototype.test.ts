// req.session has a prototype of its own holding express-session's methods, so
// code that inspects or patches it works without touching Object.prototype, and the methods
// return promises that never become unhandled rejections.
import { describe, expect, it } from 'vitest'
import { SessionTooLargeError } from '../src/index.js'
import { adapters } from './helpers/adapters.js'
import { settle, watchUnhandledRejections } from './helpers/settle.js'

const keys = ['k']
const unhandled = watchUnhandledRejections()

describe.each(adapters)('the session prototype ($name)', (adapter) => {
  it('is an object of its own, whose parent is Object.prototype, holding the methods', async () => {
    const res = await adapter.serve({ keys }, (s) => {
      const proto = Object.getPrototypeOf(s.session)
      return {
        own: proto !== Object.prototype,
        parent: Object.getPrototypeOf(proto) === Object.prototype,
        lengths: ['save', 'regenerate', 'destroy', 'reload'].map((name) => proto[name]?.length),
        touch: typeof proto.touch,
        save: typeof s.session.save === 'function' && proto.save.length
      }
    }).get()
    expect(res.body).toEqual({ own: true, parent: true, lengths: [1, 1, 1, 1], touch: 'function', save: 1 })
  })

  it('can be patched without adding anything to other objects', async () => {
    const res = await adapter.serve({ keys }, (s) => {
      const proto = Object.getPrototypeOf(s.session)
      const original = proto.regenerate
      proto.regenerate = function patched () {}
      try {
        return { plain: ({} as any).regenerate === undefined, objectPrototype: Object.hasOwn(Object.prototype, 'regenerate') }
      } finally {
        proto.regenerate = original
      }
    }).get()
    expect(res.body).toEqual({ plain: true, objectPrototype: false })
  })

  it('shows only data to JSON.stringify, spread, Object.keys and in', async () => {
    const res = await adapter.serve({ keys }, (s) => {
      s.session.user = 'ann'
      return {
        json: JSON.stringify(s.session),
        spread: { ...s.session },
        keys: Object.keys(s.session),
        in: ['user', 'save', 'regenerate', 'touch', 'isNew'].filter((name) => name in s.session)
      }
    }).get()
    expect(res.body).toEqual({ json: '{"user":"ann"}', spread: { user: 'ann' }, keys: ['user'], in: ['user'] })
  })
})

describe.each(adapters)('session methods without a callback ($name)', (adapter) => {
  it('return a promise that save() resolves when the session fits', async () => {
    const res = await adapter.serve({ keys }, async (s) => {
      s.session.user = 'ann'
      const saved = s.session.save()
      return { promise: saved instanceof Promise, value: await saved ?? 'undefined' }
    }).get()
    expect(res.body).toEqual({ promise: true, value: 'undefined' })
  })

  it('reject with a SessionTooLargeError when the session is too big', async () => {
    const res = await adapter.serve({ keys, maxSize: 200, onError () {} }, async (s) => {
      s.session.big = 'x'.repeat(500)
      try {
        await s.session.save()
        return 'resolved'
      } catch (err) {
        return { tooLarge: err instanceof SessionTooLargeError, code: (err as { code: string }).code }
      }
    }).get()
    expect(res.body).toEqual({ tooLarge: true, code: 'ERR_SESSION_TOO_LARGE' })
    expect(res.setCookie).toEqual([])
  })

  it('cause no unhandled rejection when a failing save() is not awaited', async () => {
    const res = await adapter.serve({ keys, maxSize: 200, onError () {} }, (s) => {
      s.session.big = 'x'.repeat(500)
      s.session.save()
      return 'ok'
    }).get()
    await settle()
    expect(res.body).toBe('ok')
    expect(unhandled).toEqual([])
  })
})
