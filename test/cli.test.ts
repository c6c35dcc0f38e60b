// The command line (`npx signed-cookie-session`), run as a user runs it: the built binary in a
// child process, keys in its environment, cookies made by the package's own middleware.
import { createCipheriv, hkdfSync } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cli, cookieHeader, setCookies, type Run } from './helpers/cli.js'

const KEYS = ['Zm9yLXRoZS1jbGktdGVzdHMtb25seS1rZXktMA==', 'b2xkZXIta2V5LWZvci10aGUtY2xpLXRlc3RzLTE=']
const env = { SESSION_KEYS: KEYS.join(',') }
const base64Of = (json: string): string => Buffer.from(json).toString('base64')
const json = (run: Run): any => JSON.parse(run.stdout)

describe('keygen', () => {
  it('prints one key of 32 random bytes in base64 by default', async () => {
    const run = await cli(['keygen'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^[A-Za-z0-9+/]{43}=\n$/)
    expect(Buffer.from(run.stdout.trim(), 'base64')).toHaveLength(32)
  })

  it('prints --count different keys of --bytes bytes, one a line', async () => {
    const run = await cli(['keygen', '--count', '5', '--bytes', '48'])
    const keys = run.stdout.split('\n')
    expect(keys.pop()).toBe('')
    expect(keys).toHaveLength(5)
    for (const key of keys) {
      const bytes = Buffer.from(key, 'base64')
      expect(bytes).toHaveLength(48)
      expect(bytes.toString('base64')).toBe(key)
    }
    expect(new Set(keys).size).toBe(5)
  })

  it('prints {"keys": [...]} with --json', async () => {
    const { keys } = json(await cli(['keygen', '--count', '2', '--json']))
    expect(keys.map((key: string) => Buffer.from(key, 'base64').length)).toEqual([32, 32])
  })

  it('makes keys the middleware takes from SESSION_KEYS, and inspect verifies with them', async () => {
    const keys = (await cli(['keygen', '--count', '2'])).stdout.trim().split('\n')
    const cookie = cookieHeader(await setCookies({ keys }))
    const report = json(await cli(['inspect', cookie, '--json'], { env: { SESSION_KEYS: keys.join(',') } }))
    expect([report.status, report.keyIndex, report.data]).toEqual(['verified', 0, { user: 'ann' }])
  })

  it('refuses fewer bytes than the middleware calls strong, or a count of 0, as usage errors', async () => {
    const few = await cli(['keygen', '--bytes', '16'])
    expect([few.code, few.stdout]).toEqual([1, ''])
    expect(few.stderr).toContain('--bytes must be a whole number from 32 to 64, got "16"')
    expect((await cli(['keygen', '--count', '0'])).stderr).toContain('--count must be a whole number from 1 to 100, got "0"')
  })
})

describe('inspect: signed cookies', () => {
  it('shows the data of a cookie signed with the current key, and its size', async () => {
    const lines = await setCookies({ keys: KEYS }, { user: 'ann', cart: [1, 2] })
    const cookie = cookieHeader(lines)
    const value = cookie.split(/[=;]/)[1] as string
    const run = await cli(['inspect', cookie], { env })
    expect([run.code, run.stderr]).toEqual([0, ''])
    expect(run.stdout).toBe([
      'Cookie session',
      '  format: signed (base64 JSON, signature in session.sig)',
      '  signature: verified with key #0 (current)',
      '  re-issue: no',
      '',
      'Session data',
      '  {',
      '    "user": "ann",',
      '    "cart": [',
      '      1,',
      '      2',
      '    ]',
      '  }',
      '',
      'Expiry',
      '  stamps: none (written without absoluteTimeout, idleTimeout or renew)',
      '',
      'Size',
      `  ${8 + value.length} bytes, session=value only (give the Set-Cookie line to count its attributes)`,
      `  maxSize 4093: fits, ${4093 - 8 - value.length} to spare`,
      ''
    ].join('\n'))
  })

  it('says an old-key cookie verifies with key #1 and would be re-issued', async () => {
    const cookie = cookieHeader(await setCookies({ keys: [KEYS[1]] }))
    const run = await cli(['inspect', cookie], { env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('  signature: verified with key #1 (older): would be re-issued with keys[0]\n  re-issue: yes\n')
  })

  it('says a cookie whose value was changed does not verify, and exits 3', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS }))
    const tampered = cookie.replace(/^session=[^;]*/, 'session=' + base64Of('{"user":"admin"}'))
    const run = await cli(['inspect', tampered], { env })
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('  signature: NOT VERIFIED: signature does not match any of the 2 keys; the middleware would start a new session\n')
    expect(run.stdout).toContain('Session data (NOT VERIFIED: anyone could have written it)\n  {\n    "user": "admin"\n  }\n')
    expect(run.stderr).toBe('signed-cookie-session: signature of session does not match any of the 2 keys\n')
  })

  it('exits 3 when keys are given but the .sig cookie is missing', async () => {
    const run = await cli(['inspect', 'session=' + base64Of('{"user":"ann"}')], { env })
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('  signature: NOT VERIFIED: no session.sig cookie in the input; the middleware would reject the session\n')
  })

  it('decodes without keys and says it is not verified', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS }))
    const run = await cli(['inspect', cookie])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('  signature: NOT VERIFIED: no keys given (set SESSION_KEYS to verify)\n')
    expect(json(await cli(['inspect', cookie, '--json'])).data).toEqual({ user: 'ann' })
  })

  it('reads the keys from the variable --keys-env names, and --name picks the cookie', async () => {
    const cookie = cookieHeader(await setCookies({ name: 'app', keys: ['only'] }))
    const report = json(await cli(['inspect', '--name', 'app', '--keys-env', 'APP_KEYS', '--json', cookie], { env: { APP_KEYS: 'only' } }))
    expect([report.name, report.status, report.keyCount]).toEqual(['app', 'verified', 1])
  })

  it('exits 2 for a missing cookie, naming the cookies it found', async () => {
    const run = await cli(['inspect', 'a=1; b=2'], { env })
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('Cookie session\n  NOT FOUND: no non-empty cookie named session in the input\n  cookies given: a, b\n')
    expect(run.stderr).toBe('signed-cookie-session: no cookie named session in the input\n')
  })

  it('exits 2 for a value that is not a session', async () => {
    const run = await cli(['inspect', 'session=' + base64Of('[1,2]')])
    expect(run.code).toBe(2)
    expect(run.stdout).toContain('NOT A SESSION')
  })
})

describe('inspect: encrypted cookies', () => {
  it('decrypts with the keys and shows the data', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS, encrypt: true }, { user: 'ann', role: 'admin' }))
    expect(cookie).toMatch(/^session=e2\.[\w-]+$/)
    const run = await cli(['inspect', cookie], { env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('  format: encrypted (e2: AES-256-GCM, no .sig cookie)\n  encryption: decrypted with key #0 (current)\n')
    expect(run.stdout).toContain('Session data\n  {\n    "user": "ann",\n    "role": "admin"\n  }\n')
  })

  it('names the format a cookie was sealed in: e1 (no key id) as well as e2', async () => {
    const key = Buffer.from(hkdfSync('sha256', KEYS[0] as string, 'signed-cookie-session', 'aes-256-gcm session cookie v1', 32))
    const iv = Buffer.alloc(12, 7)
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from('session'))
    const body = Buffer.concat([cipher.update('{"user":"ann"}', 'utf8'), cipher.final()])
    const e1 = 'session=e1.' + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')
    const run = await cli(['inspect', e1], { env })
    expect(run.stdout).toContain('  format: encrypted (e1: AES-256-GCM, no .sig cookie)\n')
    expect(json(await cli(['inspect', e1, '--json'], { env })).sealed).toBe('e1')
  })

  it('says an old-key encrypted cookie would be re-issued', async () => {
    const cookie = cookieHeader(await setCookies({ keys: [KEYS[1]], encrypt: true }))
    const report = json(await cli(['inspect', cookie, '--json'], { env }))
    expect([report.keyIndex, report.reissue, report.reissueReason]).toEqual([1, true, 'older-key'])
  })

  it('uses the variable --encryption-keys-env names for encryptionKeys', async () => {
    const cookie = cookieHeader(await setCookies({ encrypt: true, encryptionKeys: ['sealing-key-of-at-least-32-bytes-0'] }))
    expect((await cli(['inspect', cookie], { env })).code).toBe(3)
    const run = await cli(['inspect', cookie, '--encryption-keys-env', 'SEAL'], { env: { ...env, SEAL: 'sealing-key-of-at-least-32-bytes-0' } })
    expect(run.code).toBe(0)
    expect(json(await cli(['inspect', cookie, '--encryption-keys-env', 'SEAL', '--json'], { env: { SEAL: 'sealing-key-of-at-least-32-bytes-0' } })).data).toEqual({ user: 'ann' })
  })

  it('without keys, shows no data and exits 3', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS, encrypt: true }))
    const run = await cli(['inspect', cookie])
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('  encryption: NOT DECRYPTED: no keys given (set SESSION_KEYS or use --encryption-keys-env)\n')
    expect(run.stdout).not.toContain('Session data')
    expect(run.stderr).toBe('signed-cookie-session: cookie session is encrypted and no keys were given\n')
  })

  it('exits 3 when no key opens it', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS, encrypt: true }))
    const run = await cli(['inspect', cookie], { env: { SESSION_KEYS: 'another' } })
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('NOT DECRYPTED: no key opens it')
  })

  it('says a signed cookie would be re-issued encrypted when the app has --encrypt', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS }))
    const run = await cli(['inspect', cookie, '--encrypt'], { env })
    expect(run.stdout).toContain('  signature: verified with key #0 (current): would be re-issued encrypted\n  re-issue: yes\n')
  })
})

describe('inspect: expiry stamps', () => {
  afterEach(() => { vi.useRealTimers() })

  const HOUR = 3_600_000
  const stampedTwoHoursAgo = async (): Promise<{ cookie: string, written: string }> => {
    const written = new Date(Math.floor(Date.now() / 1000) * 1000 - 2 * HOUR)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(written)
    const cookie = cookieHeader(await setCookies({ keys: KEYS, idleTimeout: HOUR, absoluteTimeout: 24 * HOUR }))
    vi.useRealTimers()
    return { cookie, written: written.toISOString() }
  }

  it('shows the stamps and exits 4 once the idle timeout has passed', async () => {
    const { cookie, written } = await stampedTwoHoursAgo()
    const run = await cli(['inspect', cookie, '--idle-timeout', String(HOUR), '--absolute-timeout', String(24 * HOUR)], { env })
    expect(run.code).toBe(4)
    expect(run.stdout).toMatch(new RegExp([
      'Expiry',
      `  created: ${written} \\(2 hours ago\\)`,
      `  written: ${written} \\(2 hours ago\\)`,
      `  absolute timeout \\(1 day\\): expires ${new Date(Date.parse(written) + 24 * HOUR).toISOString()} \\(in 21 hours 59 minutes\\)`,
      `  idle timeout \\(1 hour\\): EXPIRED ${new Date(Date.parse(written) + HOUR).toISOString()} \\(expired 1 hour ago\\)`
    ].join('\n')))
    expect(run.stdout).toContain('  re-issue: no\n')
    expect(run.stdout).not.toContain('$t')
    expect(run.stderr).toBe('signed-cookie-session: the session in cookie session has expired\n')
  })

  it('reports the stamps as ISO dates in --json, and exit 0 while the session is valid', async () => {
    const { cookie, written } = await stampedTwoHoursAgo()
    const run = await cli(['inspect', cookie, '--json', '--absolute-timeout', String(24 * HOUR)], { env })
    expect(run.code).toBe(0)
    expect(json(run).expiry).toEqual({
      created: written,
      written,
      absoluteTimeout: 24 * HOUR,
      idleTimeout: null,
      absoluteExpiresAt: new Date(Date.parse(written) + 24 * HOUR).toISOString(),
      idleExpiresAt: null,
      expired: false
    })
  })

  it('says a cookie without stamps would be ended when timeouts are on', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS }))
    const run = await cli(['inspect', cookie, '--idle-timeout', '60000'], { env })
    expect(run.code).toBe(4)
    expect(run.stdout).toContain('  stamps: none (written without absoluteTimeout, idleTimeout or renew): the middleware with these timeouts would end the session\n')
  })
})
