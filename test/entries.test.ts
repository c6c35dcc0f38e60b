// The source entry points (src/index.ts, src/index.mts), loaded in-process so coverage counts them;
// test/package.test.ts checks the same surface on the built package, the way consumers load it.
import { describe, expect, it } from 'vitest'
import cjs from '../src/index.js'
import * as esm from '../src/index.mjs'
import * as errors from '../src/errors.js'
import * as fastify from '../src/fastify.js'
import * as next from '../src/next.js'

const ERROR_CLASSES = ['SessionError', 'SessionTooLargeError', 'SessionSerializeError', 'InsecureConnectionError', 'SessionOptionError', 'SessionWriteError', 'SessionStoreError', 'SessionCacheableError', 'SessionStoreConflictError'] as const

describe('src/index.ts (the CommonJS entry)', () => {
  it('is the factory, with .cookieSession and a non-enumerable .default that are the same function', () => {
    expect(cjs.cookieSession).toBe(cjs)
    expect((cjs as unknown as { default: unknown }).default).toBe(cjs)
    expect(Object.keys(cjs)).not.toContain('default')
  })

  it('has every error class from src/errors.ts, and DEFAULT_MAX_SIZE', () => {
    for (const name of ERROR_CLASSES) expect(cjs[name], name).toBe(errors[name])
    expect(cjs.DEFAULT_MAX_SIZE).toBe(4093)
  })

  it('makes a (req, res, next) middleware from options or a bare list of keys', () => {
    expect(cjs({ keys: ['k'] })).toHaveLength(3)
    expect(cjs(['a', 'b'])).toHaveLength(3)
  })

  it('throws a SessionOptionError naming the option', () => {
    expect(() => cjs({ keys: ['k'], maxAge: -1 })).toThrow(new errors.SessionOptionError('option "maxAge" must be a non-negative finite number of milliseconds, got -1'))
  })
})

describe('src/index.mts (the ES module entry)', () => {
  it('exports the CommonJS entry\'s objects as default and named exports', () => {
    expect(Object.keys(esm).sort()).toEqual([...ERROR_CLASSES, 'DEFAULT_MAX_SIZE', 'cookieSession', 'default'].sort())
    expect(esm.default).toBe(cjs)
    expect(esm.cookieSession).toBe(cjs)
    for (const name of ERROR_CLASSES) expect(esm[name], name).toBe(errors[name])
    expect(esm.DEFAULT_MAX_SIZE).toBe(4093)
  })
})

describe('src/fastify.ts (the ./fastify entry)', () => {
  it('exports the plugin alone, marked for Fastify: not encapsulated, named, for Fastify 5', () => {
    expect(Object.keys(fastify)).toEqual(['fastifySession'])
    const plugin = fastify.fastifySession as unknown as Record<symbol, unknown>
    expect(plugin[Symbol.for('skip-override')]).toBe(true)
    expect(plugin[Symbol.for('fastify.display-name')]).toBe('signed-cookie-session')
    expect(plugin[Symbol.for('plugin-meta')]).toEqual({ name: 'signed-cookie-session', fastify: '5.x' })
  })
})

describe('src/next.ts (the ./next entry)', () => {
  it('exports getSession, proxyCookies and the error classes, which are the other entries\'', () => {
    expect(Object.keys(next).sort()).toEqual([...ERROR_CLASSES, 'getSession', 'proxyCookies'].sort())
    for (const name of ERROR_CLASSES) expect(next[name], name).toBe(errors[name])
  })
})
