'use strict'
// Micro benchmarks (mitata) of the pure parts of a session cookie round trip, ours against the
// floor (bare node:crypto, Buffer, JSON) and against keygrip / iron-session. Also the whole
// middleware in-process (fake req/res, no HTTP), ours against cookie-session.
//   node bench/micro.js [--filter regex]       (npm run bench:micro)
// Writes bench/micro.json, which bench/run.js reads for the encrypted-mode target.
const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const Keygrip = require('keygrip')
const { KEYS, NAME, SMALL, BIG, ENCRYPTED_TARGET } = require('./scenarios.js')
const { floorSession } = require('./floor.js')

const DIST = path.resolve(__dirname, '..', 'dist')
const IRON_PASSWORD = 'bench-iron-password-at-least-32-characters-long'

function requireDist (file) {
  const full = path.join(DIST, file)
  if (!fs.existsSync(full)) throw new Error(`${path.relative(process.cwd(), full)} not found: run npm run build`)
  return require(full)
}

// ---------------------------------------------------------------------------------------------
// Our encryption codec, if dist/ has one. Its API is not settled yet, so look for a module that
// exports a seal/open (or unseal, encrypt/decrypt) pair, directly or from a factory taking the
// keys (dist/encryption.js: createCipher(keys).seal(json, name) / .open(value, name)), and accept
// it only if a round trip gives back the data.

const PAIRS = [['seal', 'open'], ['seal', 'unseal'], ['encrypt', 'decrypt'], ['sealData', 'unsealData'], ['encode', 'decode']]

async function roundTrips (seal, unseal, text) {
  try {
    const sealed = await seal(text)
    if (typeof sealed !== 'string' || sealed === text || sealed.includes('alice')) return false
    const opened = await unseal(sealed)
    if (opened === text) return true
    if (opened === null || typeof opened !== 'object') return false
    return opened.json === text || opened.data === text || JSON.stringify(opened) === text
  } catch {
    return false
  }
}

async function findEncryptionCodec () {
  if (!fs.existsSync(DIST)) return undefined
  const text = JSON.stringify(SMALL)
  // The codec lived in dist/wire/, and Node's cipher now in dist/platform/ (dist/ itself is searched too, for older builds).
  const files = ['', 'wire', 'platform'].filter((dir) => fs.existsSync(path.join(DIST, dir)))
    .flatMap((dir) => fs.readdirSync(path.join(DIST, dir)).map((f) => path.posix.join(dir, f)))
    .filter((f) => f.endsWith('.js') && /crypt|seal|cipher|aead/i.test(path.basename(f)))
  for (const file of files.sort()) {
    let mod
    try { mod = require(path.join(DIST, file)) } catch { continue }
    const targets = [[mod, `dist/${file}`]]
    for (const [name, fn] of Object.entries(mod)) {
      if (typeof fn !== 'function' || !/^(create|make|new)/i.test(name)) continue
      for (const make of [(k) => fn(k), (k) => new fn(k), (k) => fn({ keys: k })]) { // eslint-disable-line new-cap
        try {
          const obj = make(KEYS)
          if (obj && typeof obj === 'object') targets.push([obj, `dist/${file} ${name}(keys)`])
        } catch {}
      }
    }
    for (const [target, where] of targets) {
      for (const [s, u] of PAIRS) {
        if (typeof target[s] !== 'function' || typeof target[u] !== 'function') continue
        const shapes = [
          [(t) => target[s](t, NAME), (c) => target[u](c, NAME), ', name'],
          [(t) => target[s](t), (c) => target[u](c), ''],
          [(t) => target[s](t, KEYS), (c) => target[u](c, KEYS), ', keys'],
          [(t) => target[s](t, KEYS[0]), (c) => target[u](c, KEYS), ', key']
        ]
        for (const [seal, unseal, args] of shapes) {
          if (await roundTrips(seal, unseal, text)) {
            const async = seal(text) instanceof Promise
            return { seal, unseal, async, name: `${where}: ${s}/${u}(data${args})${async ? ' (async)' : ''}` }
          }
        }
      }
    }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// The middleware in-process: a request carrying `cookie`, the route, then writeHead.

function fakeExchange (middleware, cookie, route) {
  const req = { headers: cookie ? { cookie } : {}, socket: { encrypted: false }, connection: { encrypted: false }, url: '/', method: 'GET' }
  const headers = {}
  const res = {
    statusCode: 200,
    writeHead () { return this },
    getHeader: (name) => headers[name.toLowerCase()],
    setHeader: (name, value) => { headers[name.toLowerCase()] = value },
    removeHeader: (name) => { delete headers[name.toLowerCase()] }
  }
  middleware(req, res, () => {})
  route(req)
  res.writeHead(200)
  return headers['set-cookie']
}

async function cookieFrom (middleware, data) {
  const lines = fakeExchange(middleware, '', (req) => { Object.assign(req.session, data) })
  return lines.map((line) => line.split(';')[0]).join('; ')
}

// ---------------------------------------------------------------------------------------------

async function main () {
  const argv = process.argv.slice(2)
  const filterAt = argv.indexOf('--filter')
  const filter = filterAt >= 0 ? new RegExp(argv[filterAt + 1]) : undefined
  const { bench, group, summary, run, do_not_optimize: keep } = await import('mitata')
  const { sealData, unsealData } = await import('iron-session')

  // JSON in wire/codec.js; base64 and the signer are the Node platform's since the platform door.
  const { nodePlatform } = requireDist('platform/node.js')
  const codec = { ...requireDist('wire/codec.js'), encode: nodePlatform.encodeBase64, decodeText: nodePlatform.decodeBase64 }
  const { createSigner } = nodePlatform
  const ours = requireDist('index.js')
  const theirs = require('cookie-session')

  const signer = createSigner(KEYS)
  const keygrip = new Keygrip(KEYS)
  const json = JSON.stringify(SMALL)
  const value = Buffer.from(json).toString('base64')
  const data = NAME + '=' + value
  const sig0 = new Keygrip([KEYS[0]]).sign(data)
  const sig1 = new Keygrip([KEYS[1]]).sign(data)
  const sig0Buf = Buffer.from(sig0)
  if (signer.index(data, sig0) !== 0 || signer.index(data, sig1) !== 1 || keygrip.index(data, sig1) !== 1) {
    throw new Error('signatures do not verify as expected')
  }
  const bigValue = Buffer.from(JSON.stringify(BIG)).toString('base64')
  if (codec.parse(codec.decodeText(value)).user !== 'alice') throw new Error('decode does not give the session back')

  const ironSealed = await sealData(SMALL, { password: IRON_PASSWORD })
  const encryption = await findEncryptionCodec()
  let encryptedMiddleware
  try {
    const mw = ours({ keys: KEYS, encrypt: true })
    const cookie = await cookieFrom(mw, SMALL)
    if (!cookie.includes(value)) encryptedMiddleware = { mw, cookie }
  } catch {}

  group('encode: session → cookie value', () => {
    summary(() => {
      bench('ours: codec.encode(codec.stringify(session))', () => keep(codec.encode(codec.stringify(SMALL))))
      bench('floor: JSON.stringify', () => keep(JSON.stringify(SMALL)))
      bench('floor: Buffer base64 encode', () => keep(Buffer.from(json, 'utf8').toString('base64')))
    })
  })

  group('sign: session=value', () => {
    summary(() => {
      bench('ours: signer.sign', () => keep(signer.sign(data)))
      bench('keygrip.sign', () => keep(keygrip.sign(data)))
      bench('floor: createHmac(sha1) base64url', () => keep(crypto.createHmac('sha1', KEYS[0]).update(data).digest('base64url')))
    })
  })

  group('verify: .sig against the keys', () => {
    summary(() => {
      bench('ours: signer.index, first key', () => keep(signer.index(data, sig0)))
      bench('ours: signer.index, second key', () => keep(signer.index(data, sig1)))
      bench('ours: signer.index, bad signature', () => keep(signer.index(data, 'A' + sig0.slice(1))))
      bench('keygrip.index, first key', () => keep(keygrip.index(data, sig0)))
      bench('keygrip.index, second key', () => keep(keygrip.index(data, sig1)))
      bench('floor: one createHmac(sha1) + timingSafeEqual', () => {
        const mac = Buffer.from(crypto.createHmac('sha1', KEYS[0]).update(data).digest('base64url'))
        keep(crypto.timingSafeEqual(mac, sig0Buf))
      })
      bench('floor: crypto.timingSafeEqual (27 bytes)', () => keep(crypto.timingSafeEqual(sig0Buf, sig0Buf)))
    })
  })

  group('decode: cookie value → session', () => {
    summary(() => {
      bench('ours: codec.parse(codec.decodeText(value))', () => keep(codec.parse(codec.decodeText(value))))
      bench('ours: codec.parse(codec.decodeText(value)), 3 KB', () => keep(codec.parse(codec.decodeText(bigValue))))
      bench('floor: Buffer base64 decode', () => keep(Buffer.from(value, 'base64').toString('utf8')))
      bench('floor: JSON.parse', () => keep(JSON.parse(json)))
    })
  })

  group('encrypted mode: seal / unseal the same small session', () => {
    summary(() => {
      bench('iron-session sealData', async () => keep(await sealData(SMALL, { password: IRON_PASSWORD })))
      bench('iron-session unsealData', async () => keep(await unsealData(ironSealed, { password: IRON_PASSWORD })))
      if (encryption) {
        if (encryption.async) {
          bench('ours: seal', async () => keep(await encryption.seal(json)))
          bench('ours: open', async () => keep(await encryption.unseal(encryption.sealed)))
        } else {
          bench('ours: seal', () => keep(encryption.seal(json)))
          bench('ours: open', () => keep(encryption.unseal(encryption.sealed)))
        }
      }
      if (encryptedMiddleware) {
        const { mw, cookie } = encryptedMiddleware
        let n = 0
        bench('ours middleware, encrypt: true, read', () => keep(fakeExchange(mw, cookie, (req) => keep(req.session.user))))
        bench('ours middleware, encrypt: true, write', () => keep(fakeExchange(mw, cookie, (req) => { req.session.n = ++n })))
      }
    })
  })
  if (encryption) encryption.sealed = await encryption.seal(json)

  const mwOurs = ours({ keys: KEYS })
  const mwTheirs = theirs({ keys: KEYS })
  const mwFloor = floorSession({ name: NAME, keys: KEYS })
  const cookie = await cookieFrom(mwOurs, SMALL)
  if (cookie !== await cookieFrom(mwTheirs, SMALL)) throw new Error('the libraries write different cookies')
  if (cookie !== await cookieFrom(mwFloor, SMALL)) throw new Error('the floor writes a different cookie')
  const oldCookie = await cookieFrom(ours({ keys: [KEYS[1]] }), SMALL)
  // The same five exchanges for each: ours, cookie-session, and the floor (bench/floor.js, the least
  // a middleware on cookies + keygrip + on-headers does), so the gap to the floor is seen without HTTP.
  const exchanges = {
    read: [cookie, (req) => keep(req.session.user)],
    write: [cookie, (req) => { req.session.n = ++counter }],
    new: ['', (req) => { req.session.user = 'x' }],
    rotation: [oldCookie, (req) => keep(req.session.user)],
    untouched: [cookie, () => {}]
  }
  let counter = 0
  group('whole middleware in-process (fake req/res, no HTTP)', () => {
    summary(() => {
      for (const [scenario, [sent, route]] of Object.entries(exchanges)) {
        for (const [label, mw] of [['ours', mwOurs], ['cookie-session', mwTheirs], ['floor', mwFloor]]) {
          bench(`${label}: ${scenario}`, () => keep(fakeExchange(mw, sent, route)))
        }
      }
    })
  })

  console.log(encryption
    ? `our encryption codec: ${encryption.name}`
    : 'our encryption codec: none found in dist/ (no dist/*crypt*|*seal*|*cipher*.js exporting a seal/unseal pair); skipped')
  if (!encryptedMiddleware) console.log('encrypt: true: not supported by dist/index.js yet; skipped')

  const { benchmarks } = await run({ filter })
  const avg = {}
  for (const trial of benchmarks) {
    const stats = trial.runs[0] && trial.runs[0].stats
    if (stats) avg[trial.alias] = stats.avg
  }

  const ironNs = avg['iron-session sealData'] + avg['iron-session unsealData']
  const oursNs = encryption
    ? avg['ours: seal'] + avg['ours: open']
    : avg['ours middleware, encrypt: true, read'] + avg['ours middleware, encrypt: true, write']
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    avgNs: avg,
    encryption: Number.isFinite(ironNs) && Number.isFinite(oursNs)
      ? {
          measured: encryption ? `codec ${encryption.name}` : 'middleware read + write (encrypt: true), in-process',
          oursOpsPerSec: 1e9 / oursNs,
          ironOpsPerSec: 1e9 / ironNs,
          ratio: ironNs / oursNs,
          target: ENCRYPTED_TARGET
        }
      : null
  }
  if (filter === undefined) fs.writeFileSync(path.join(__dirname, 'micro.json'), JSON.stringify(result, null, 2) + '\n')

  const e = result.encryption
  console.log('\nencrypted mode vs iron-session (seal + unseal of the same small session):')
  if (e) {
    console.log(`  ours (${e.measured}): ${Math.round(e.oursOpsPerSec).toLocaleString('en-US')} round trips/s; ` +
      `iron-session: ${Math.round(e.ironOpsPerSec).toLocaleString('en-US')}/s → ${e.ratio.toFixed(1)}× ` +
      `(target ≥ ${ENCRYPTED_TARGET}×: ${e.ratio >= ENCRYPTED_TARGET ? 'PASS' : 'FAIL'})`)
  } else {
    console.log(`  iron-session: ${Number.isFinite(ironNs) ? Math.round(1e9 / ironNs).toLocaleString('en-US') + ' round trips/s' : 'not measured'}; ` +
      'ours: no encryption in dist/ yet (n/a)')
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
