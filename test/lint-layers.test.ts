// The lint rules that keep src/'s layers apart (eslint.config.mjs), run on code placed where the
// layout puts it: adapters import only core, wire and adapters/shared; core never imports an
// adapter; wire imports neither core nor an adapter; and the platform enters at one door: core,
// wire, options and the other portable modules import no node: module, no Node-only package, no
// platform implementation, and use none of Node's globals.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const eslint = new ESLint({ cwd: root })

/** The no-restricted-imports messages ESLint gives `specifier` imported from the file at `path`. */
async function restricted (path: string, specifier: string): Promise<string[]> {
  const code = `import { thing } from '${specifier}'\nexport type { Other } from '${specifier}'\nexport const value = thing\n`
  const [result] = await eslint.lintText(code, { filePath: join(root, path) })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('src/adapters', () => {
  it.each(['./node.js', './fetch.js', '../adapters/koa.js', './node/headers.js'])('may not import another adapter: %s', async (specifier) => {
    const messages = await restricted('src/adapters/koa.ts', specifier)
    expect(messages).toHaveLength(2)
    expect(messages[0]).toContain('An adapter must not import another adapter; move what they share to src/adapters/shared.')
  })

  it.each(['./shared.js', './shared/cookies.js', '../adapters/shared.js', '../core/context.js', '../wire/codec.js', '../errors.js'])('may import %s', async (specifier) => {
    expect(await restricted('src/adapters/koa.ts', specifier)).toEqual([])
  })

  it.each([
    ['src/adapters/fastify.ts', './node.js'],
    ['src/adapters/fastify.ts', './koa-session.js'],
    ['src/adapters/fastify-session.ts', '../adapters/fetch.js'],
    ['src/adapters/node.ts', './fastify.js'],
    ['src/adapters/koa.ts', './fastify-session.js']
  ])('keeps the Fastify adapter and the others apart: %s may not import %s', async (path, specifier) => {
    const messages = await restricted(path, specifier)
    expect(messages).toHaveLength(2)
    expect(messages[0]).toContain('An adapter must not import another adapter')
  })

  it.each(['./fastify-session.js', './fastify-plugin.js', './shared.js', '../core/request.js'])('lets the Fastify adapter import its own parts and the shared layer: %s', async (specifier) => {
    expect(await restricted('src/adapters/fastify.ts', specifier)).toEqual([])
  })

  it.each([
    ['src/adapters/next.ts', './fetch.js'],
    ['src/adapters/next-cookie-store.ts', '../adapters/node.js'],
    ['src/adapters/next-proxy.ts', './fastify-session.js'],
    ['src/adapters/fetch.ts', './next-session.js']
  ])('keeps the Next adapter and the others apart: %s may not import %s', async (path, specifier) => {
    const messages = await restricted(path, specifier)
    expect(messages).toHaveLength(2)
    expect(messages[0]).toContain('An adapter must not import another adapter')
  })

  it.each(['./next-cookie-store.js', './next-session.js', './next-proxy.js', './shared.js', '../platform/web.js'])('lets the Next adapter import its own parts and the shared layer: %s', async (specifier) => {
    expect(await restricted('src/adapters/next.ts', specifier)).toEqual([])
  })
})

describe('src/adapters/shared/', () => {
  it.each([
    ['src/adapters/shared/node-response.ts', '../node.js'],
    ['src/adapters/shared/cache-headers.ts', '../fetch.js'],
    ['src/adapters/shared/cache-headers.ts', '../fastify-session.js']
  ])('%s may not import an adapter: %s', async (path, specifier) => {
    const messages = await restricted(path, specifier)
    expect(messages).toHaveLength(2)
    expect(messages[0]).toContain('src/adapters/shared must not import an adapter')
  })

  it.each(['./cache-headers.js', '../shared.js', '../../core/request.js', '../../errors.js', 'node:http'])('node-response.ts may import %s', async (specifier) => {
    expect(await restricted('src/adapters/shared/node-response.ts', specifier)).toEqual([])
  })

  it.each(['node:http', 'on-headers', '../../platform/node.js'])('keeps cache-headers.ts portable for the Fetch adapter: no %s', async (specifier) => {
    const messages = await restricted('src/adapters/shared/cache-headers.ts', specifier)
    expect(messages).toHaveLength(2)
    expect(messages[0]).toContain('Portable code must not import')
  })
})

describe('src/core', () => {
  it.each(['../adapters/node.js', '../adapters/shared.js', '../adapters', '../../adapters/koa.js'])('may not import an adapter: %s', async (specifier) => {
    const messages = await restricted('src/core/context.ts', specifier)
    expect(messages).toHaveLength(2)
    expect(messages[0]).toContain('src/core and src/wire must not import src/adapters')
  })

  it.each(['./session.js', '../wire/codec.js', '../options/index.js', '../errors.js'])('may import %s', async (specifier) => {
    expect(await restricted('src/core/context.ts', specifier)).toEqual([])
  })
})

describe('src/wire', () => {
  it.each(['../core/session.js', '../core', '../../core/expiry.js'])('may not import core: %s', async (specifier) => {
    const messages = await restricted('src/wire/codec.ts', specifier)
    expect(messages).toHaveLength(2)
    expect(messages[0]).toContain('src/wire must not import src/core')
  })

  it('may not import an adapter', async () => {
    expect(await restricted('src/wire/cipher.ts', '../adapters/shared.js')).toHaveLength(2)
  })

  it.each(['./signer.js', '../errors.js'])('may import %s', async (specifier) => {
    expect(await restricted('src/wire/codec.ts', specifier)).toEqual([])
  })
})

describe('the platform door', () => {
  it.each([
    ['src/core/request.ts', 'node:crypto'],
    ['src/core/session.ts', 'node:util'],
    ['src/wire/sealed.ts', 'node:crypto'],
    ['src/options/settings.ts', 'node:crypto'],
    ['src/core/envelope.ts', 'cookies'],
    ['src/wire/signature.ts', 'keygrip'],
    ['src/core/request.ts', '../platform/node.js'],
    ['src/core/request.ts', '../platform/node-jar.js'],
    ['src/platform/types.ts', './node-cipher.js'],
    ['src/report.ts', 'on-headers']
  ])('keeps %s portable: no %s', async (path, specifier) => {
    const messages = await restricted(path, specifier)
    expect(messages).toHaveLength(2)
    expect(messages[0]).toContain('Portable code must not import')
  })

  it.each(['../platform/types.js', '../platform/maybe.js'])('lets the core import the door itself: %s', async (specifier) => {
    expect(await restricted('src/core/request.ts', specifier)).toEqual([])
  })

  it.each(['node:crypto', 'cookies', './node-jar.js'])('lets the Node platform import %s', async (specifier) => {
    expect(await restricted('src/platform/node.ts', specifier)).toEqual([])
  })

  it.each([['src/core/request.ts', 'Buffer.from("x")'], ['src/wire/codec.ts', 'process.nextTick(f)'], ['src/options/check.ts', 'setImmediate(f)']])(
    'keeps Node\'s globals out of %s: %s', async (path, code) => {
      const [result] = await eslint.lintText(`export const f = () => {}\nexport const x = ${code}\n`, { filePath: join(root, path) })
      const messages = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-globals').map((m) => m.message)
      expect(messages).toHaveLength(1)
      expect(messages[0]).toContain('Portable code must not use Node\'s ')
    })
})

describe('the iron-session reader (src/wire/iron.ts)', () => {
  it.each(['node:crypto'])('may not import %s', async (specifier) => {
    const messages = await restricted('src/wire/iron.ts', specifier)
    expect(messages).toHaveLength(2)
    expect(messages[0]).toContain('Portable code must not import')
  })

  it('may not use the global crypto: its SubtleCrypto comes in as a parameter, from the platform', async () => {
    const [result] = await eslint.lintText('export const c = crypto.subtle\n', { filePath: join(root, 'src/wire/iron.ts') })
    expect((result?.messages ?? []).map((m) => m.message)).toEqual([expect.stringContaining('Portable code must not use the global crypto')])
  })
})

it('leaves the entry points free to import the adapters', async () => {
  expect(await restricted('src/koa.ts', './adapters/koa.js')).toEqual([])
})

describe('src/store', () => {
  it.each(['node:crypto', 'node:timers', '../core/store.js', '../adapters/node.js', '../options/store.js', '../wire/codec.js'])('may not import %s', async (specifier) => {
    const messages = await restricted('src/store/generic.ts', specifier)
    expect(messages).toHaveLength(2)
    expect(messages[0]).toMatch(/Portable code must not import node: modules|src\/store imports only \.\.\/errors\.js/)
  })

  it.each(['./calls.js', '../errors.js'])('may import %s', async (specifier) => {
    expect(await restricted('src/store/generic.ts', specifier)).toEqual([])
  })

  it.each(['Buffer.from("x")', 'process.nextTick(() => {})', 'setImmediate(() => {})'])('may not use Node-only globals: %s', async (code) => {
    const [result] = await eslint.lintText(`export const value = ${code}\n`, { filePath: join(root, 'src/store/generic.ts') })
    expect((result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-globals').map((m) => m.message)).toEqual([
      expect.stringContaining('Portable code must not use Node\'s')
    ])
  })
})
