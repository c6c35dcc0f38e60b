// `inspect` on the large-session formats (compress, chunked), made by the package's own middleware
// and read by the built binary, as a user runs it.
import { randomBytes } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import { cli, cookieHeader, setCookies, type Run } from './helpers/cli.js'

const KEYS = ['Zm9yLXRoZS1jbGktdGVzdHMtb25seS1rZXktMA==', 'b2xkZXIta2V5LWZvci10aGUtY2xpLXRlc3RzLTE=']
const env = { SESSION_KEYS: KEYS.join(',') }
const json = (run: Run): any => JSON.parse(run.stdout)
const cart = { cart: Array.from({ length: 40 }, (_, i) => ({ sku: `SKU-${i % 5}`, qty: 1, price: 9.99 })) }
/** Random text barely compresses: `length` characters take about 4/3 as many in base64. */
const blob = (length: number): { blob: string } => ({ blob: randomBytes(length / 2).toString('hex') })
/** The value of cookie `name` in a Cookie header. */
const valueIn = (cookie: string, name: string): string => (new RegExp(`(?:^|; )${name.replace('.', '\\.')}=([^;]*)`).exec(cookie) as RegExpExecArray)[1] as string
/** A Cookie header with cookie `name`'s value replaced, or the cookie left out (`undefined`). */
const withCookie = (cookie: string, name: string, value: string | undefined): string =>
  cookie.split('; ').flatMap((pair) => pair.startsWith(name + '=') ? (value === undefined ? [] : [`${name}=${value}`]) : [pair]).join('; ')

describe('inspect: compressed cookies', () => {
  it('inflates the value, and shows its compressed and inflated sizes', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS, compress: true }, cart))
    const value = valueIn(cookie, 'session')
    expect(value.startsWith('.')).toBe(true)
    const run = await cli(['inspect', cookie], { env })
    expect([run.code, run.stderr]).toEqual([0, ''])
    const inflated = Buffer.byteLength(JSON.stringify(cart))
    expect(run.stdout).toContain([
      'Cookie session',
      '  format: signed, compressed (raw DEFLATE in base64url, signature in session.sig)',
      '  signature: verified with key #0 (current)',
      '  re-issue: no',
      '',
      'Compression',
      `  raw DEFLATE in base64url: ${value.length} bytes, inflated to ${inflated} bytes of JSON (the middleware stops at 65536)`,
      '',
      'Session data',
      '  {',
      '    "cart": ['
    ].join('\n'))
    const report = json(await cli(['inspect', cookie, '--json'], { env }))
    expect([report.status, report.data, report.chunks]).toEqual(['verified', cart, null])
    expect(report.compression).toEqual({ compressed: true, bytes: value.length, inflatedBytes: inflated, inflateLimit: 65536 })
  })

  it('says a plain cookie is not compressed', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS, compress: true }, { user: 'ann' }))
    const report = json(await cli(['inspect', cookie, '--json'], { env }))
    expect(report.compression).toEqual({ compressed: false, bytes: null, inflatedBytes: null, inflateLimit: 65536 })
    expect((await cli(['inspect', cookie], { env })).stdout).not.toContain('Compression')
  })

  it('inflates inside an encrypted cookie', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS, encrypt: true, compress: 'i-understand-compression-leaks-secrets' }, cart))
    const run = await cli(['inspect', cookie], { env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('  format: encrypted (e2: AES-256-GCM, no .sig cookie), compressed inside\n  encryption: decrypted with key #0 (current)\n')
    expect(json(await cli(['inspect', cookie, '--json'], { env })).data).toEqual(cart)
  })

  it('exits 3 for an authentic value that inflates past the limit (a DEFLATE bomb)', async () => {
    const bomb = '.' + deflateRawSync(Buffer.from(`{"a":"${'0'.repeat(100_000)}"}`)).toString('base64url')
    const cookie = `session=${bomb}; session.sig=${new Keygrip(KEYS).sign('session=' + bomb)}`
    const run = await cli(['inspect', cookie], { env })
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('  signature: verified with key #0 (current)\n')
    expect(run.stdout).toContain(`  NOT INFLATED: ${bomb.length} bytes that are not raw DEFLATE in base64url, or inflate past 65536 bytes; the middleware would start a new session\n`)
    expect(run.stdout).not.toContain('Session data')
    expect(run.stderr).toBe('signed-cookie-session: the compressed value of session does not inflate\n')
    const report = json(await cli(['inspect', cookie, '--json'], { env }))
    expect([report.status, report.exitCode, report.compression.inflatedBytes, report.data]).toEqual(['not-inflated', 3, null, null])
  })

  it('without keys, inflates and says it is not verified', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS, compress: true }, cart))
    const report = json(await cli(['inspect', cookie, '--json']))
    expect([report.status, report.exitCode, report.data]).toEqual(['unverified', 0, cart])
  })
})

describe('inspect: chunked cookies', () => {
  it('joins the chunks, verifies them as one value, and sizes each against maxSize and all against maxTotalSize', async () => {
    const data = blob(3300)
    const lines = await setCookies({ keys: KEYS, chunked: true }, data)
    const cookie = cookieHeader(lines)
    expect(cookie).toMatch(/^session=~2~[^;]+; session\.1=[^;]+; session\.sig=/)
    const sizes = ['session', 'session.1'].map((name) => name.length + 1 + valueIn(cookie, name).length)
    const total = (sizes[0] as number) + (sizes[1] as number)
    const run = await cli(['inspect', cookie], { env })
    expect([run.code, run.stderr]).toEqual([0, ''])
    expect(run.stdout).toContain([
      'Cookie session',
      '  format: signed (base64 JSON, signature in session.sig)',
      '  chunks: 2 (session, session.1), read as one value: the signature covers them joined',
      '  signature: verified with key #0 (current)',
      '  re-issue: no'
    ].join('\n'))
    expect(run.stdout).toContain([
      'Size',
      `  session: ${sizes[0]} bytes, maxSize 4093: fits, ${4093 - (sizes[0] as number)} to spare`,
      `  session.1: ${sizes[1]} bytes, maxSize 4093: fits, ${4093 - (sizes[1] as number)} to spare`,
      `  total: ${total} bytes in 2 cookies, name=value only (give the Set-Cookie lines to count their attributes)`,
      `  maxTotalSize 6144: fits, ${6144 - total} to spare`,
      ''
    ].join('\n'))
    const report = json(await cli(['inspect', cookie, '--json'], { env }))
    expect([report.status, report.data]).toEqual(['verified', data])
    expect(report.chunks).toEqual({
      count: 2,
      cookies: [
        { name: 'session', bytes: sizes[0], fits: true, counted: 'name=value' },
        { name: 'session.1', bytes: sizes[1], fits: true, counted: 'name=value' }
      ],
      missing: [],
      extra: [],
      problem: null
    })
    expect(report.size).toEqual({ bytes: total, maxSize: 4093, fits: true, counted: 'name=value', maxTotalSize: 6144, fitsTotal: true })
  })

  it('counts the whole Set-Cookie lines when given them, as the middleware counts maxTotalSize', async () => {
    const lines = await setCookies({ keys: KEYS, chunked: true }, blob(3300))
    const valueLines = lines.filter((line) => /^session(\.1)?=/.test(line))
    const total = valueLines.reduce((sum, line) => sum + line.length, 0)
    const report = json(await cli(['inspect', '--json', '-'], { env, input: lines.map((line) => 'Set-Cookie: ' + line).join('\n') }))
    expect(report.chunks.cookies.map((cookie: any) => [cookie.bytes, cookie.counted])).toEqual(valueLines.map((line) => [line.length, 'set-cookie']))
    expect([report.size.bytes, report.size.counted]).toEqual([total, 'set-cookie'])
    expect(valueLines.every((line) => line.length <= 4093)).toBe(true)
  })

  it('compares the total with --max-total-size, which must be at least --max-size', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS, chunked: true }, blob(3300)))
    const total = json(await cli(['inspect', cookie, '--json'], { env })).size.bytes as number
    // Over the limit for writing; the joined value (names and "=" left out) still reads.
    const run = await cli(['inspect', cookie, '--max-total-size', String(total - 1)], { env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`  maxTotalSize ${total - 1}: TOO LARGE, the middleware would not send it\n`)
    const small = await cli(['inspect', cookie, '--max-total-size', '4000'], { env })
    expect([small.code, small.stdout]).toEqual([1, ''])
    expect(small.stderr).toContain('--max-total-size must be at least --max-size (4093), got "4000"')
    expect(json(await cli(['inspect', cookie, '--json', '--max-total-size', 'Infinity'], { env })).size.maxTotalSize).toBe(null)
  })

  it('reads compressed and encrypted values across chunks', async () => {
    const compressed = cookieHeader(await setCookies({ keys: KEYS, chunked: true, compress: true }, blob(6000)))
    const report = json(await cli(['inspect', compressed, '--json'], { env }))
    expect([report.status, report.compression.compressed, report.chunks.count]).toEqual(['verified', true, 2])
    const sealed = cookieHeader(await setCookies({ keys: KEYS, chunked: true, encrypt: true }, blob(3300)))
    const run = await cli(['inspect', sealed], { env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('  chunks: 2 (session, session.1), read as one value: the seal covers them joined\n  encryption: decrypted with key #0 (current)\n')
  })

  it('exits 3 naming a missing chunk', async () => {
    const cookie = withCookie(cookieHeader(await setCookies({ keys: KEYS, chunked: true, maxSize: 2000 }, blob(3000))), 'session.1', undefined)
    const run = await cli(['inspect', cookie, '--max-size', '2000'], { env })
    expect(run.code).toBe(3)
    expect(run.stdout).toContain([
      '  chunks: DO NOT ADD UP: session.1 missing: ~3~ announces 3 cookies; the middleware would start a new session',
      '  signature: NOT CHECKED: the chunks do not add up'
    ].join('\n'))
    expect(run.stdout).not.toContain('Session data')
    expect(run.stderr).toBe('signed-cookie-session: the chunks of session do not add up (session.1 missing: ~3~ announces 3 cookies)\n')
    const report = json(await cli(['inspect', cookie, '--json', '--max-size', '2000'], { env }))
    expect([report.status, report.exitCode, report.chunks.missing, report.chunks.problem]).toEqual(['bad-chunks', 3, ['session.1'], 'missing'])
    expect(report.chunks.cookies.map((c: any) => c.name)).toEqual(['session', 'session.2'])
  })

  it('exits 3 for a chunk past the count, left from an earlier, longer write', async () => {
    const long = cookieHeader(await setCookies({ keys: KEYS, chunked: true, maxSize: 2000 }, blob(3000)))
    const short = cookieHeader(await setCookies({ keys: KEYS, chunked: true, maxSize: 2000 }, blob(2000)))
    expect(short).toMatch(/^session=~2~/)
    const cookie = `${short}; session.2=${valueIn(long, 'session.2')}`
    const run = await cli(['inspect', cookie, '--max-size', '2000'], { env })
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('  chunks: DO NOT ADD UP: session.2 past the 2 cookies ~2~ announces; the middleware would start a new session\n')
    expect(run.stdout).toMatch(/\n {2}session\.2: \d+ bytes, EXTRA \(not counted\)\n/)
    const report = json(await cli(['inspect', cookie, '--json', '--max-size', '2000'], { env }))
    expect([report.status, report.chunks.extra, report.chunks.problem]).toEqual(['bad-chunks', ['session.2'], 'extra'])
  })

  it('exits 3 when chunks are swapped: the signature covers their order', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS, chunked: true, maxSize: 2000 }, blob(3000)))
    const [one, two] = [valueIn(cookie, 'session.1'), valueIn(cookie, 'session.2')]
    const swapped = withCookie(withCookie(cookie, 'session.1', two), 'session.2', one)
    const run = await cli(['inspect', swapped, '--max-size', '2000'], { env })
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('  signature: NOT VERIFIED: signature does not match any of the 2 keys (or a chunk was altered, reordered or left from another write); the middleware would start a new session\n')
    expect(json(await cli(['inspect', swapped, '--json', '--max-size', '2000'], { env })).status).toBe('bad-signature')
  })

  it('exits 3 for a malformed ~N~ count', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS, chunked: true }, blob(3300))).replace('session=~2~', 'session=~1~')
    const report = json(await cli(['inspect', cookie, '--json'], { env }))
    expect([report.status, report.exitCode, report.chunks.count, report.chunks.problem]).toEqual(['bad-chunks', 3, null, 'bad-header'])
  })

  it('notes chunk cookies beside a session that is not chunked', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS, chunked: true }, { user: 'ann' }))
    const report = json(await cli(['inspect', `${cookie}; session.1=stale`, '--json'], { env }))
    expect([report.status, report.chunks]).toEqual(['verified', null])
    expect(report.warnings).toEqual(['the input has 1 session.N chunk cookie, but session is not chunked: the middleware reads session alone (and, with chunked: true, expires them on its next write)'])
  })
})
