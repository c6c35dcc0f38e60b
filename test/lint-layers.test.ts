// The lint rule that keeps src/'s layers apart (eslint.config.mjs), run on code placed where the
// layout puts it: adapters import only core, wire and adapters/shared; core never imports an
// adapter; wire imports neither core nor an adapter.
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

describe('the portable files (src/wire/iron.ts, json.ts)', () => {
  it.each(['node:crypto', 'crypto', 'iron-webcrypto', './codec.js', '../errors.js'])('may not import %s', async (specifier) => {
    const messages = await restricted('src/wire/iron.ts', specifier)
    expect(messages).toHaveLength(2)
    expect(messages.at(-1)).toContain('must run on every runtime')
  })

  it.each([['src/wire/iron.ts', './json.js'], ['src/wire/json.ts', './iron.js']])('%s may import %s', async (path, specifier) => {
    expect(await restricted(path, specifier)).toEqual([])
  })

  it('may use no Node global, nor the global crypto: SubtleCrypto comes in as a parameter', async () => {
    const code = 'export const a = Buffer.from(\'x\')\nexport const b = process.env\nexport const c = crypto.subtle\nexport const d = globalThis.crypto.subtle\nexport const e = new TextEncoder()\n'
    const [result] = await eslint.lintText(code, { filePath: join(root, 'src/wire/iron.ts') })
    const lines = (result?.messages ?? []).filter((m) => m.message.includes('must run on every runtime')).map((m) => m.line)
    expect(lines).toEqual([1, 2, 3, 4])
  })

  it('leaves the other wire files on Node', async () => {
    expect(await restricted('src/wire/cipher.ts', 'node:crypto')).toEqual([])
  })
})

it('leaves the entry points free to import the adapters', async () => {
  expect(await restricted('src/koa.ts', './adapters/koa.js')).toEqual([])
})
