// The command line's input forms, output formats, usage errors and packaging; see cli.test.ts
// for what inspect says about cookies.
import { execFile } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { bin, cli, cookieHeader, root, setCookies, type Run } from './helpers/cli.js'

const KEYS = ['Y2xpLWlvLXRlc3RzLWN1cnJlbnQta2V5', 'Y2xpLWlvLXRlc3RzLW9sZGVyLWtleQ==']
const env = { SESSION_KEYS: KEYS.join(',') }
const json = (run: Run): any => JSON.parse(run.stdout)

describe('inspect: input', () => {
  it('reads a whole "Cookie:" header line from stdin, with - or with no argument', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS }))
    for (const args of [['inspect', '-', '--json'], ['inspect', '--json']]) {
      const report = json(await cli(args, { env, input: `Cookie: theme=dark; ${cookie}\r\n` }))
      expect([report.status, report.data, report.cookieNames]).toEqual(['verified', { user: 'ann' }, ['theme', 'session', 'session.sig']])
    }
  })

  it('reads name=value pairs one a line', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS }))
    const run = await cli(['inspect', '--json'], { env, input: cookie.replace('; ', '\n') + '\n' })
    expect(json(run).status).toBe('verified')
  })

  it('reads Set-Cookie lines, with or without "Set-Cookie:", and counts the whole line for the size', async () => {
    const lines = await setCookies({ keys: KEYS, maxAge: 60_000, sameSite: 'lax' })
    const line = lines[0] as string
    for (const input of [lines.map((l) => 'Set-Cookie: ' + l).join('\n'), lines.join('\n')]) {
      const report = json(await cli(['inspect', '--json'], { env, input }))
      expect([report.status, report.cookieNames]).toEqual(['verified', ['session', 'session.sig']])
      expect(report.size).toEqual({ bytes: line.length, maxSize: 4093, fits: true, counted: 'set-cookie', maxTotalSize: null, fitsTotal: null })
    }
  })

  it('skips other header lines and curl prefixes, so curl output can be piped in', async () => {
    const lines = await setCookies({ keys: KEYS })
    const response = ['HTTP/1.1 200 OK', 'Content-Type: text/plain; charset=utf-8', ...lines.map((l) => 'Set-Cookie: ' + l), 'Date: Wed, 25 Nov 2026 00:00:00 GMT', '']
    const verbose = ['> GET / HTTP/1.1', '> Cookie: ' + cookieHeader(lines), '< HTTP/1.1 200 OK', '< X-Id: a=b; c=d']
    for (const input of [response.join('\r\n'), verbose.join('\n')]) {
      const report = json(await cli(['inspect', '--json'], { env, input }))
      expect([report.status, report.cookieNames]).toEqual(['verified', ['session', 'session.sig']])
    }
  })

  it('says a cookie over --max-size would not be sent', async () => {
    const lines = await setCookies({ keys: KEYS }, { notes: 'x'.repeat(300) })
    const line = lines[0] as string
    const run = await cli(['inspect', '--max-size', '200'], { env, input: lines.join('\n') })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`Size\n  ${line.length} bytes, the Set-Cookie line\n  maxSize 200: TOO LARGE, the middleware would not send it\n`)
    expect(json(await cli(['inspect', '--max-size', 'Infinity', '--json'], { env, input: line })).size.maxSize).toBe(null)
  })

  it('treats an empty value (a Set-Cookie line that deletes it) as no cookie', async () => {
    const run = await cli(['inspect', 'Set-Cookie: session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly'], { env })
    expect(run.code).toBe(2)
  })

  it('reads the first of two cookies of the same name, as the middleware does, and says so', async () => {
    const cookie = cookieHeader(await setCookies({ keys: KEYS }))
    const report = json(await cli(['inspect', '--json', `${cookie}; session=e30=`], { env }))
    expect(report.data).toEqual({ user: 'ann' })
    expect(report.warnings).toEqual(['the input has 2 cookies named session; the middleware reads the first'])
  })
})

describe('inspect --json', () => {
  it('prints one object with every field', async () => {
    const cookie = cookieHeader(await setCookies({ keys: [KEYS[1]] }))
    const run = await cli(['inspect', cookie, '--json'], { env })
    expect(run.code).toBe(0)
    expect(json(run)).toEqual({
      status: 'verified',
      exitCode: 0,
      name: 'session',
      format: 'signed',
      sealed: null,
      verified: true,
      keyCount: 2,
      keyIndex: 1,
      reissue: true,
      reissueReason: 'older-key',
      data: { user: 'ann' },
      expiry: { created: null, written: null, absoluteTimeout: null, idleTimeout: null, absoluteExpiresAt: null, idleExpiresAt: null, expired: null },
      compression: { compressed: false, bytes: null, inflatedBytes: null, inflateLimit: 65536 },
      chunks: null,
      size: { bytes: cookie.indexOf(';'), maxSize: 4093, fits: true, counted: 'name=value', maxTotalSize: null, fitsTotal: null },
      cookieNames: ['session', 'session.sig'],
      warnings: []
    })
  })
})

describe('keys and hostile input', () => {
  it('never prints a key, in reports, warnings or errors', async () => {
    const signed = cookieHeader(await setCookies({ keys: KEYS }))
    const sealed = cookieHeader(await setCookies({ keys: KEYS, encrypt: true }))
    const runs = await Promise.all([
      cli(['inspect', signed], { env }),
      cli(['inspect', signed, '--json'], { env }),
      cli(['inspect', signed.replace('session=', 'session=x')], { env }),
      cli(['inspect', sealed], { env: { SESSION_KEYS: `${KEYS[0]},${KEYS[1]} ` } }),
      cli(['inspect', signed], { env: { SESSION_KEYS: `${KEYS[0]},,${KEYS[1]}` } }),
      cli(['inspect', signed, '--keys-env', 'NOPE'], { env })
    ])
    expect(runs.map((run) => run.code)).toEqual([0, 0, 3, 0, 1, 1])
    expect(runs[3]?.stdout).toContain('SESSION_KEYS entry #1 has leading or trailing whitespace; it is used as is, as the app would')
    expect(runs[4]?.stderr).toBe('signed-cookie-session: SESSION_KEYS entry #1 is empty (keys are separated by ",", newest first)\nTry "signed-cookie-session --help".\n')
    expect(runs[5]?.stderr).toContain('environment variable NOPE is not set')
    for (const run of runs) {
      for (const key of KEYS) expect(run.stdout + run.stderr).not.toContain(key)
    }
  })

  it('escapes control characters from the input, in text and in JSON', async () => {
    const data = { note: 'red\u001b[31m\u0085line\u2028sep\u202eabc' }
    const cookie = `x\u0007y=1; session=${Buffer.from(JSON.stringify(data)).toString('base64')}`
    const text = await cli(['inspect', cookie])
    const report = await cli(['inspect', cookie, '--json'])
    // eslint-disable-next-line no-control-regex -- the test looks for raw control characters
    for (const run of [text, report]) expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202e]/)
    expect(text.stdout).toContain('"note": "red\\u001b[31m\\u0085line\\u2028sep\\u202eabc"')
    expect(json(report).data).toEqual(data)
    const missing = await cli(['inspect', 'x\u001b[2Jy\u0007=1'])
    expect(missing.stdout).toContain('cookies given: x\\u001b[2Jy\\u0007\n')
  })
})

describe('usage', () => {
  it('--help lists the commands and exit codes', async () => {
    const run = await cli(['--help'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Usage: signed-cookie-session <command>/)
    for (const line of ['  keygen ', '  inspect ', '  0  ok', '  1  usage error', '  2  cookie not found', '  3  signature', '  4  verified, but expired']) {
      expect(run.stdout).toContain(line)
    }
  })

  it('inspect --help and keygen --help describe their options', async () => {
    const inspect = await cli(['inspect', '--help'])
    expect(inspect.code).toBe(0)
    for (const option of ['SESSION_KEYS', '--keys-env', '--encryption-keys-env', '--name', '--max-size', '--max-total-size', '--idle-timeout', '--absolute-timeout', '--json']) {
      expect(inspect.stdout).toContain(option)
    }
    expect((await cli(['keygen', '--help'])).stdout).toContain('--count N')
  })

  it('exits 1 with a message for an unknown command or option, a bad number, or no input', async () => {
    const runs = await Promise.all([
      cli([]),
      cli(['sign']),
      cli(['inspect', '--keys', 'secret', 'session=e30=']),
      cli(['inspect', '--idle-timeout', '1h', 'session=e30=']),
      cli(['inspect', '--name', 'a;b', 'session=e30=']),
      cli(['inspect']),
      cli(['inspect', 'a=1', 'b=2'])
    ])
    expect(runs.map((run) => [run.code, run.stdout])).toEqual(runs.map(() => [1, '']))
    expect(runs[0]?.stderr).toContain('Usage: signed-cookie-session')
    expect(runs[1]?.stderr).toContain('unknown command "sign"')
    // A key on the command line would show in `ps` and the shell history: the message says where keys go instead.
    expect(runs[2]?.stderr).toContain('--keys is not an option: keys are read from environment variables only (SESSION_KEYS, or the one --keys-env names), never from arguments')
    expect(runs[2]?.stderr).not.toContain('secret')
    expect(runs[3]?.stderr).toContain('--idle-timeout must be a whole number from 1 to')
    expect(runs[4]?.stderr).toContain('--name must be a cookie name (RFC 6265 token characters), got "a;b"')
    expect(runs[5]?.stderr).toContain('the input is empty')
    expect(runs[6]?.stderr).toContain('inspect takes one argument (the cookies); quote it')
  })
})

describe('the package binary', () => {
  it('is dist/cli/main.js, executable, with a node shebang, and runs without `node`', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    expect(join(root, pkg.bin['signed-cookie-session'])).toBe(bin)
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node')
    expect(statSync(bin).mode & 0o111).toBe(0o111)
    const { stdout } = await promisify(execFile)(bin, ['--version'])
    expect(stdout).toBe(pkg.version + '\n')
  })

  it('is in the packed tarball, executable', async () => {
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: root })
    const files = JSON.parse(stdout)[0].files as Array<{ path: string, mode: number }>
    expect(files.find((file) => file.path === 'dist/cli/main.js')?.mode).toBe(0o755)
  })
})
