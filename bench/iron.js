'use strict'
// Micro benchmark of reading one iron-session cookie: our reader (dist/wire/iron.js, Web Crypto)
// against iron-session 8's and 9's own unsealData on the same seal, and what a cookie that is no
// session costs ours. Build first:  npm run build && node bench/iron.js [--rounds N]
//
// Each unseal is a chain of Web Crypto calls, each a hop to the libuv thread pool, so the time is
// mostly scheduling and moves with the machine's load. The contenders therefore take turns, round
// after round, and the report is each one's best and median round: a fixed order (one contender's
// whole run, then the next) lets a change of load pass for a difference between them.
const fs = require('node:fs')
const path = require('node:path')
const { SMALL } = require('./scenarios.js')

const READER = path.resolve(__dirname, '..', 'dist', 'wire', 'iron.js')
const PASSWORD = 'bench-iron-password-at-least-32-characters-long'
const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 15
const PER_ROUND = 500
const WARMUP = 100

async function main () {
  if (!fs.existsSync(READER)) throw new Error(`${path.relative(process.cwd(), READER)} not found: run npm run build`)
  const { unsealIron } = require(READER)
  const iron8 = require('iron-session')
  const iron9 = await import('iron-session9')
  const subtle = globalThis.crypto.subtle

  const seal = await iron8.sealData(SMALL, { password: PASSWORD })
  // The MAC's first digit changed: the key derivation and HMAC still run, the decryption does not.
  const forged = seal.replace(/\*([A-Za-z0-9_-])([A-Za-z0-9_-]{42})~2$/, (_, first, rest) => `*${first === 'A' ? 'B' : 'A'}${rest}~2`)
  const contenders = {
    'ours (unsealIron)': { run: () => unsealIron(seal, PASSWORD, subtle), expect: SMALL },
    'iron-session 8 unsealData': { run: () => iron8.unsealData(seal, { password: PASSWORD }), expect: SMALL },
    'iron-session 9 unsealData': { run: () => iron9.unsealData(seal, { password: PASSWORD }), expect: SMALL },
    'ours, forged MAC': { run: () => unsealIron(forged, PASSWORD, subtle), expect: undefined },
    'ours, unknown password id': { run: () => unsealIron(seal, { 2: PASSWORD }, subtle), expect: undefined },
    'ours, malformed': { run: () => unsealIron(seal.slice(1), PASSWORD, subtle), expect: undefined }
  }
  for (const [name, { run, expect }] of Object.entries(contenders)) {
    const got = await run()
    if (JSON.stringify(got) !== JSON.stringify(expect)) throw new Error(`${name} gave ${JSON.stringify(got)}, not ${JSON.stringify(expect)}`)
  }

  const times = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, { run }] of Object.entries(contenders)) {
      for (let i = 0; i < WARMUP; i++) await run()
      const start = process.hrtime.bigint()
      for (let i = 0; i < PER_ROUND; i++) await run()
      times[name].push(Number(process.hrtime.bigint() - start) / 1000 / PER_ROUND)
    }
  }

  console.log(`One ${seal.length}-character iron-session cookie (${JSON.stringify(SMALL).length}-byte session), Node ${process.version}, ${ROUNDS} rounds of ${PER_ROUND}:`)
  console.log(`${'µs per unseal'.padEnd(28)} ${'best'.padStart(8)} ${'median'.padStart(8)}`)
  for (const [name, list] of Object.entries(times)) {
    list.sort((a, b) => a - b)
    const format = (us) => (us < 10 ? us.toFixed(2) : us.toFixed(0)).padStart(8)
    console.log(`${name.padEnd(28)} ${format(list[0])} ${format(list[Math.floor(list.length / 2)])}`)
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
