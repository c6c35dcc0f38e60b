// Reading iron-session's cookies: what the real iron-session 8 and 9 seal comes back as the same
// data, and anything else (tampered, truncated, expired, another password) is no session, never
// an exception.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createContext, runInContext } from 'node:vm'
import { ESLint } from 'eslint'
import fc from 'fast-check'
import { sealData as sealData8, unsealData as unsealData8 } from 'iron-session'
import { getIronSession as getIronSession9, sealData as sealData9, type CookieJar } from 'iron-session9'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { readIronCookie, unsealIron, type IronPasswords } from '../src/wire/iron.js'
import { sealIronForTest } from './helpers/iron-seal.js'

const subtle = globalThis.crypto.subtle
const A = 'first password, 32 characters ok'
const B = 'second password, longer than 32 characters'
const DATA = { user: { id: 230, admin: true, name: 'Zoë 🍪' }, cart: [1, 'two', null, { n: 3.5 }], flag: false }
const SKEW = 60_000
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

type Seal = (data: unknown, options: { password: IronPasswords, ttl?: number }) => Promise<string>
const versions: Array<[string, Seal]> = [['iron-session 8', sealData8], ['iron-session 9', sealData9]]

const read = async (seal: string, passwords: IronPasswords, now?: number): Promise<unknown> => await unsealIron(seal, passwords, subtle, now)
const expiryOf = (seal: string): string => seal.split('*')[5] as string

describe.each(versions)('a seal from %s', (_name, seal) => {
  it('reads back as the data it sealed, with a string password', async () => {
    expect(await read(await seal(DATA, { password: A }), A)).toEqual(DATA)
  })

  it('reads with the id it was sealed with, the highest of the map, and with no other', async () => {
    const sealed = await seal(DATA, { password: { 1: A, 2: B } })
    expect(await read(sealed, { 1: A, 2: B })).toEqual(DATA)
    expect(await read(sealed, { 2: B })).toEqual(DATA)
    expect(await read(sealed, { 1: A })).toBeUndefined()
    expect(await read(sealed, { 1: B })).toBeUndefined()
    expect(await read(sealed, B)).toBeUndefined()
  })

  it('reads a string-password seal as id 1, as iron-session does', async () => {
    const sealed = await seal(DATA, { password: A })
    expect(await read(sealed, { 1: A, 2: B })).toEqual(DATA)
    expect(await read(sealed, { 2: A })).toBeUndefined()
  })

  it('is no session under another password for the same id, or an unknown id with the same password', async () => {
    expect(await read(await seal(DATA, { password: A }), B)).toBeUndefined()
    const byId3 = await seal(DATA, { password: { 3: A } })
    expect(await read(byId3, { 1: A, 2: A })).toBeUndefined()
    expect(await read(byId3, A)).toBeUndefined()
  })

  it('expires at its ttl plus the 60 seconds of clock skew iron-session allows', async () => {
    const before = Date.now()
    const sealed = await seal(DATA, { password: A, ttl: 30 })
    const expiry = Number(expiryOf(sealed))
    expect(expiry).toBeGreaterThanOrEqual(before + 30_000)
    expect(expiry).toBeLessThanOrEqual(Date.now() + 30_000)
    expect(await read(sealed, A, expiry + SKEW - 1)).toEqual(DATA)
    expect(await read(sealed, A, expiry + SKEW)).toBeUndefined()
  })

  it('lasts 14 days by default, and for ever with ttl 0', async () => {
    const before = Date.now()
    const sealed = await seal(DATA, { password: A })
    expect(Number(expiryOf(sealed)) - before).toBeGreaterThanOrEqual(14 * 86_400_000)
    expect(await read(sealed, A, before + 14 * 86_400_000 + SKEW + 1000)).toBeUndefined()
    const forever = await seal(DATA, { password: A, ttl: 0 })
    expect(expiryOf(forever)).toBe('')
    expect(await read(forever, A, Date.now() + 100 * 365 * 86_400_000)).toEqual(DATA)
  })

  it('reads an empty session as {}', async () => {
    expect(await read(await seal({}, { password: A }), A)).toEqual({})
  })

  it.each(['text', 42, null, true])('is no session when the sealed value is not an object: %j', async (value) => {
    const sealed = await seal(value, { password: A })
    expect(await read(sealed, A)).toBeUndefined()
  })
})

it('is no session when iron-session 8 sealed an array', async () => {
  expect(await read(await sealData8([1, 2], { password: A }), A)).toBeUndefined()
})

describe('a seal that is not what iron-session wrote', () => {
  it('is refused after a change to any one of its fields, each still well formed', async () => {
    // Both ids hold the same password: only the MAC can tell a changed id.
    const passwords = { 1: A, 2: A }
    const sealed = await sealData9(DATA, { password: { 1: A } })
    expect(await read(sealed, passwords)).toEqual(DATA)
    const fields = sealed.slice(0, -2).split('*')
    const changes: Array<[number, (field: string) => string]> = [
      [0, () => 'Fe26.1'], [1, () => '2'],
      [2, (f) => f.slice(0, -1) + (f.endsWith('a') ? 'b' : 'a')], [2, (f) => (f.startsWith('a') ? 'b' : 'a') + f.slice(1)],
      [3, (f) => (f.startsWith('A') ? 'B' : 'A') + f.slice(1)], [4, (f) => (f.startsWith('A') ? 'B' : 'A') + f.slice(1)],
      [4, (f) => f.slice(0, -1) + (f.endsWith('A') ? 'Q' : 'A')], [5, (f) => String(Number(f) + 1)],
      [6, (f) => f.slice(0, -1) + (f.endsWith('a') ? 'b' : 'a')], [7, (f) => (f.startsWith('A') ? 'B' : 'A') + f.slice(1)],
      [7, (f) => f.slice(0, -1) + (f.endsWith('A') ? 'Q' : 'A')]
    ]
    for (const [index, change] of changes) {
      const changed = fields.map((field, i) => (i === index ? change(field) : field)).join('*') + '~2'
      expect(changed, `field ${index}`).not.toBe(sealed)
      expect(await read(changed, passwords), `field ${index}`).toBeUndefined()
    }
  })

  it('is refused when truncated anywhere', async () => {
    const sealed = await sealData9(DATA, { password: A })
    for (let length = 0; length < sealed.length; length++) {
      expect(await read(sealed.slice(0, length), A)).toBeUndefined()
      expect(await read(sealed.slice(sealed.length - length), A)).toBeUndefined()
    }
  })

  it('is refused with a field too many or too few, or any version marker but ~2', async () => {
    const sealed = await sealData8(DATA, { password: A })
    const bare = sealed.slice(0, -2)
    const fields = bare.split('*')
    expect(await read(sealed, A)).toEqual(DATA)
    for (const value of [bare, `${bare}~1`, `${bare}~3`, `${bare}~02`, `${sealed}~2`, `${sealed} `, ` ${sealed}`, `${bare}*~2`,
      `${bare}*x~2`, `*${sealed}`, `${fields.slice(0, 7).join('*')}~2`, `${fields.slice(1).join('*')}~2`, sealed.toLowerCase(),
      `${sealed}%`, sealed.replace('~2', '%7E2')]) {
      expect(await read(value, A), value).toBeUndefined()
    }
  })

  it('is refused when an unsigned base64url spelling differs from the signed one', async () => {
    const sealed = await sealData9(DATA, { password: A })
    const mac = sealed.slice(0, -2).split('*')[7] as string
    // 43 digits hold 258 bits for a 256-bit MAC: the last digit's two low bits are unused, zero.
    const digit = BASE64URL.indexOf(mac.slice(-1))
    expect(digit % 4).toBe(0)
    const sameBits = sealed.slice(0, -3) + (BASE64URL[digit + 1] as string) + '~2'
    expect(await read(sameBits, A)).toBeUndefined()
  })

  it('is never a session, and never an exception, for hostile text', async () => {
    for (const value of ['', '~2', '*******~2', 'Fe26.2********~2', 'Fe26.2*1*' + '\u0000'.repeat(5000), '\ud800~2', 'Fe26.2*__proto__*~2', 'x'.repeat(100_000)]) {
      expect(await read(value, A)).toBeUndefined()
    }
  })

  it('never rejects, even when the platform crypto fails', async () => {
    const sealed = await sealData9(DATA, { password: A })
    const failing = new Proxy(subtle, { get: () => async () => await Promise.reject(new Error('no crypto')) })
    expect(await unsealIron(sealed, A, failing)).toBeUndefined()
    const throwing = new Proxy(subtle, { get: () => () => { throw new Error('no crypto') } })
    expect(await unsealIron(sealed, A, throwing)).toBeUndefined()
  })

  it('becomes no session under random edits, and only the unchanged seal reads', async () => {
    const sealed = await sealData9(DATA, { password: A })
    const edit = fc.oneof(
      fc.tuple(fc.nat(sealed.length - 1), fc.constantFrom(...'AQfz09-_*~.% '.split(''), 'é', '\u0000')).map(([at, c]) => sealed.slice(0, at) + c + sealed.slice(at + 1)),
      fc.nat(sealed.length - 1).map((at) => sealed.slice(0, at) + sealed.slice(at + 1)),
      fc.tuple(fc.nat(sealed.length), fc.string({ minLength: 1, maxLength: 3 })).map(([at, s]) => sealed.slice(0, at) + s + sealed.slice(at)),
      // A stretch repeated; an empty stretch leaves the seal unchanged, which must still read.
      fc.tuple(fc.nat(sealed.length), fc.nat(sealed.length)).map(([a, b]) => {
        const [from, to] = a < b ? [a, b] : [b, a]
        return sealed.slice(0, to) + sealed.slice(from, to) + sealed.slice(to)
      })
    )
    await fc.assert(fc.asyncProperty(edit, async (value) => {
      const got = await read(value, A)
      if (value === sealed) expect(got).toEqual(DATA)
      else expect(got).toBeUndefined()
    }), { numRuns: 300 })
  })
})

describe('a seal made with the password, holding something iron-session would not seal', () => {
  it('is read by iron-session itself, so these seals are real ones', async () => {
    expect(await unsealData8(sealIronForTest(JSON.stringify(DATA), A), { password: A })).toEqual(DATA)
    expect(await read(sealIronForTest(JSON.stringify(DATA), A), A)).toEqual(DATA)
  })

  it.each(['{"a":', '', 'undefined', '[1]', '"text"', '{"__proto__":{"admin":true}}', '{"a":{"constructor":{"prototype":{}}}}'])('is no session when it holds %j', async (text) => {
    expect(await read(sealIronForTest(text, A), A)).toBeUndefined()
  })

  it('is no session when its padding is wrong under a valid MAC', async () => {
    // A random block decrypts to a wrong padding 255 times in 256; keep one the platform refuses.
    let block = Buffer.alloc(16)
    while (await decrypts(block)) {
      block = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16)))
    }
    expect(await read(sealIronForTest('', A, { ciphertext: block }), A)).toBeUndefined()
  })

  it('reads an empty id as "default", as iron does, and never takes an id from Object.prototype', async () => {
    expect(await read(sealIronForTest('{"a":1}', A, { id: '' }), { default: A })).toEqual({ a: 1 })
    expect(await read(sealIronForTest('{"a":1}', A, { id: '' }), { 1: A })).toBeUndefined()
    for (const id of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(await read(sealIronForTest('{"a":1}', A, { id }), { 1: A })).toBeUndefined()
    }
    expect(await read(sealIronForTest('{"a":1}', A, { id: 'constructor' }), { constructor: A })).toEqual({ a: 1 })
  })

  it('is refused with an expiry iron-session never writes (a leading zero)', async () => {
    const expiry = String(Date.now() + 60_000)
    expect(await read(sealIronForTest('{}', A, { expiry }), A)).toEqual({})
    expect(await read(sealIronForTest('{}', A, { expiry: '0' + expiry }), A)).toBeUndefined()
  })
})

/** Whether AES-256-CBC under some key decrypts `block` without a padding error. */
async function decrypts (block: Buffer): Promise<boolean> {
  const key = await subtle.importKey('raw', new Uint8Array(32), 'AES-CBC', false, ['decrypt'])
  return await subtle.decrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, key, block).then(() => true, () => false)
}

describe('readIronCookie', () => {
  /** A cookie jar as iron-session 9 takes it, over a Map. */
  function jar (cookies = new Map<string, string>()): CookieJar & { cookies: Map<string, string> } {
    return {
      cookies,
      read: (name) => cookies.get(name),
      write: (name, value) => { if (value === '') cookies.delete(name); else cookies.set(name, value) }
    }
  }
  const options = { cookieName: 'app', password: A, chunk: true }

  it('joins the cookies iron-session 9 splits a large seal into, as iron-session 9 reads them', async () => {
    const cookies = jar()
    const session = await getIronSession9<Record<string, unknown>>(cookies, options)
    const big = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(4500))).toString('base64')
    session.big = big
    await session.save()
    expect([...cookies.cookies.keys()]).toEqual(['app.0', 'app.1', 'app.2'])
    const value = readIronCookie('app', cookies.read) as string
    expect(await read(value, A)).toEqual({ big })
    expect({ ...await getIronSession9(cookies, options) }).toEqual({ big })
  })

  it('takes the whole cookie first, stops at the first missing part, and reads at most four', () => {
    const cookies = new Map([['app.0', 'a'], ['app.1', 'b'], ['app.3', 'd']])
    expect(readIronCookie('app', (name) => cookies.get(name))).toBe('ab')
    cookies.set('app.2', 'c').set('app.4', 'e')
    expect(readIronCookie('app', (name) => cookies.get(name))).toBe('abcd')
    cookies.set('app', 'whole')
    expect(readIronCookie('app', (name) => cookies.get(name))).toBe('whole')
    expect(readIronCookie('other', (name) => cookies.get(name))).toBeUndefined()
  })
})

it('runs with Web globals only: no require, Buffer, process or global crypto', async () => {
  // The reader and what it imports, compiled and run in a realm that has the language's own
  // globals and TextEncoder/TextDecoder, and a require that knows only the portable files.
  const realm = createContext({ TextEncoder, TextDecoder })
  const modules = new Map<string, Record<string, unknown>>()
  const load = (file: string): Record<string, unknown> => {
    const known = modules.get(file)
    if (known !== undefined) return known
    const source = readFileSync(join(import.meta.dirname, '..', 'src', 'wire', file.replace(/\.js$/, '.ts')), 'utf8')
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } })
    const exports: Record<string, unknown> = {}
    modules.set(file, exports)
    const require = (specifier: string): Record<string, unknown> => {
      if (!/^\.\/(iron|json)\.js$/.test(specifier)) throw new Error(`${file} requires ${specifier}`)
      return load(specifier.slice(2))
    }
    ;(runInContext(`(function (exports, require) {${outputText}\n})`, realm) as (e: object, r: typeof require) => void)(exports, require)
    return exports
  }
  expect(runInContext('[typeof Buffer, typeof process, typeof require, typeof crypto]', realm)).toEqual(['undefined', 'undefined', 'undefined', 'undefined'])
  const portable = load('iron.js') as { unsealIron: typeof unsealIron }
  const got = await portable.unsealIron(await sealData9(DATA, { password: A }), A, subtle)
  expect(JSON.parse(JSON.stringify(got))).toEqual(DATA)
})

it('keeps src/wire/iron.ts and what it imports portable: the lint rules for them pass', async () => {
  const root = join(import.meta.dirname, '..')
  const results = await new ESLint({ cwd: root }).lintFiles(['src/wire/iron.ts', 'src/wire/json.ts'])
  expect(results.map((r) => r.filePath.slice(root.length + 1))).toEqual(['src/wire/iron.ts', 'src/wire/json.ts'])
  expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.ruleId ?? ''} ${m.message}`))).toEqual([])
})
