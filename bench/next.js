'use strict'
// In-process benchmark of the Next entry against iron-session on the same data, the way a Server
// Action or a server component uses them: `getSession(cookieStore, options)` against
// `getIronSession(cookieStore, options)`, each on a fake cookie store shaped as Next's
// `await cookies()` (get gives { name, value }, set records the cookie). Build first:
//   npm run build && node bench/next.js [--rounds N] [--quick]
//
// Operations, per library: **read** a request with a valid cookie, the code reads one field;
// **save** the same request, the code changes a counter and awaits session.save(). Ours signed
// (the default) and ours with `encrypt: true` (iron-session always encrypts) against iron-session 8
// and 9 on the same session. Every operation's answer is checked first. Web Crypto calls hop to
// libuv's thread pool, so the numbers move with the machine's load: the contenders take turns,
// round after round, and the report is each one's best and median round, and ops/s at the median.
const fs = require('node:fs')
const path = require('node:path')
const { KEYS, SMALL } = require('./scenarios.js')

const ENTRY = path.resolve(__dirname, '..', 'dist', 'next.js')
const PASSWORD = 'bench-iron-password-at-least-32-characters-long'
const quick = process.argv.includes('--quick')
const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || (quick ? 3 : 15)
const PER_ROUND = quick ? 200 : 1000
const WARMUP = quick ? 50 : 200

/** A cookie store as Next's `await cookies()`: the request's cookies, and what set() wrote. */
function store (cookies) {
  const map = new Map(cookies)
  return {
    get: (name) => map.has(name) ? { name, value: map.get(name) } : undefined,
    set: (name, value) => { map.set(name, value) },
    cookies: map
  }
}

/** The cookies a store holds after `write` ran on an empty one (what a previous save wrote). */
async function written (write) {
  const s = store([])
  await write(s)
  return [...s.cookies]
}

async function main () {
  if (!fs.existsSync(ENTRY)) throw new Error(`${path.relative(process.cwd(), ENTRY)} not found: run npm run build`)
  const { getSession } = require(ENTRY)
  const iron8 = require('iron-session')
  const iron9 = await import('iron-session9')

  const ours = { keys: [...KEYS] }
  const oursEncrypted = { keys: [...KEYS], encrypt: true }
  const ironOptions = { cookieName: 'session', password: PASSWORD }

  const libraries = {
    'ours, signed': { get: (s) => getSession(s, ours) },
    'ours, encrypt: true': { get: (s) => getSession(s, oursEncrypted) },
    'iron-session 8': { get: (s) => iron8.getIronSession(s, ironOptions) },
    'iron-session 9': { get: (s) => iron9.getIronSession(s, ironOptions) }
  }
  // Each library's cookies for the same session, written by the library itself.
  for (const library of Object.values(libraries)) {
    library.cookies = await written(async (s) => {
      const session = await library.get(s)
      Object.assign(session, SMALL)
      await session.save()
    })
  }

  const contenders = {}
  for (const [name, library] of Object.entries(libraries)) {
    contenders[`read  ${name}`] = async () => (await library.get(store(library.cookies))).user
    contenders[`save  ${name}`] = async () => {
      const s = store(library.cookies)
      const session = await library.get(s)
      session.n += 1
      await session.save()
      return s.cookies.size
    }
  }
  // The floor of a read or save of a signed session on this runtime: one Web Crypto HMAC, which is
  // all the crypto ours does (iron-session's read is a PBKDF2 key import, two derivations, an HMAC
  // and an AES-CBC decryption; its save as many again, and random salts).
  const hmacKey = await globalThis.crypto.subtle.importKey('raw', Buffer.from(KEYS[0]), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign'])
  const signed = Buffer.from('session=eyJ1c2VyIjoiYWxpY2UiLCJuIjowfQ')
  contenders['floor: one Web Crypto HMAC'] = async () => (await globalThis.crypto.subtle.sign('HMAC', hmacKey, signed)).byteLength
  // Every answer checked before anything is measured.
  for (const [name, run] of Object.entries(contenders)) {
    const got = await run()
    const expected = name.startsWith('floor') ? 20 : name.startsWith('read') ? SMALL.user : name.includes('ours, signed') ? 2 : 1
    if (got !== expected) throw new Error(`${name} gave ${JSON.stringify(got)}, not ${JSON.stringify(expected)}`)
  }

  const times = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(contenders)) {
      for (let i = 0; i < WARMUP; i++) await run()
      const start = process.hrtime.bigint()
      for (let i = 0; i < PER_ROUND; i++) await run()
      times[name].push(Number(process.hrtime.bigint() - start) / 1000 / PER_ROUND)
    }
  }

  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]
  const best = (list) => Math.min(...list)
  const format = (us) => (us < 10 ? us.toFixed(2) : us.toFixed(1)).padStart(8)
  console.log(`getSession against getIronSession, ${JSON.stringify(SMALL).length}-byte session, Node ${process.version}, ${ROUNDS} rounds of ${PER_ROUND} (interleaved):`)
  console.log(`${'µs per operation'.padEnd(30)} ${'best'.padStart(8)} ${'median'.padStart(8)} ${'ops/s'.padStart(9)}`)
  for (const [name, list] of Object.entries(times)) {
    console.log(`${name.padEnd(30)} ${format(best(list))} ${format(median(list))} ${String(Math.round(1e6 / median(list))).padStart(9)}`)
  }
  console.log('\nthroughput, ours ÷ iron-session (medians):')
  for (const op of ['read', 'save']) {
    for (const mine of ['ours, signed', 'ours, encrypt: true']) {
      const ratios = ['iron-session 8', 'iron-session 9'].map((iron) => `${(median(times[`${op}  ${iron}`]) / median(times[`${op}  ${mine}`])).toFixed(1)}× ${iron}`)
      console.log(`${op}  ${mine.padEnd(22)} ${ratios.join(', ')}`)
    }
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
