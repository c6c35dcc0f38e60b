// `inspect` as a command: its options, the keys from the environment, the input from the
// argument or stdin, and the report as text or JSON.
import { parseArgs } from 'node:util'
import { parsed, UsageError, wholeNumber } from './args.js'
import { safeJson, safeText } from './escape.js'
import { readInput } from './input.js'
import { inspect, type Report } from './inspect.js'
import { DEFAULT_KEYS_ENV, keysFromEnv } from './keys.js'
import { DEFAULT_MAX_SIZE, DEFAULT_MAX_TOTAL_SIZE, isCookieName } from './library.js'
import { chunkProblem, render } from './render.js'

/** Far more than any Cookie header a server accepts (Node's limit for all headers is 16 KB). */
const MAX_INPUT_BYTES = 1024 * 1024

const ONE_HUNDRED_YEARS = 100 * 365 * 86_400_000

async function readStdin (stdin: NodeJS.ReadStream): Promise<string> {
  if (stdin.isTTY === true) throw new UsageError('give the cookies as an argument, or pipe them on stdin')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stdin) {
    size += (chunk as Buffer).length
    if (size > MAX_INPUT_BYTES) throw new UsageError('the input on stdin is over 1 MB')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function maxSizeOf (value: string | undefined): number {
  if (value === 'Infinity') return Infinity
  return wholeNumber(value, 'max-size', DEFAULT_MAX_SIZE, 1, Number.MAX_SAFE_INTEGER)
}

/** As the middleware defaults and checks maxTotalSize: at least maxSize. */
function maxTotalSizeOf (value: string | undefined, maxSize: number): number {
  if (value === undefined) return Math.max(DEFAULT_MAX_TOTAL_SIZE, maxSize)
  const total = value === 'Infinity' ? Infinity : wholeNumber(value, 'max-total-size', 0, 1, Number.MAX_SAFE_INTEGER)
  if (total < maxSize) throw new UsageError(`--max-total-size must be at least --max-size (${maxSize}), got ${JSON.stringify(value)}`)
  return total
}

function timeout (value: string | undefined, option: string): number | undefined {
  return value === undefined ? undefined : wholeNumber(value, option, 0, 1, ONE_HUNDRED_YEARS)
}

function summary (report: Report): string | undefined {
  const name = safeText(report.name)
  switch (report.status) {
    case 'not-found': return `no cookie named ${name} in the input`
    case 'not-a-session': return `cookie ${name} is not a session`
    case 'missing-signature': return `cookie ${name} has no ${name}.sig signature`
    case 'bad-signature': return `signature of ${name} does not match ${report.keyCount === 1 ? 'the key' : `any of the ${report.keyCount} keys`}`
    case 'not-decrypted': return report.keyCount === 0 && report.format === 'encrypted' ? `cookie ${name} is encrypted and no keys were given` : `cookie ${name} could not be decrypted`
    case 'not-inflated': return `the compressed value of ${name} does not inflate`
    case 'bad-chunks': return `the chunks of ${name} do not add up (${chunkProblem(report)})`
    case 'expired': return `the session in cookie ${name} has expired`
    default: return undefined
  }
}

export async function inspectCommand (args: readonly string[], env: NodeJS.ProcessEnv, stdin: NodeJS.ReadStream): Promise<{ stdout: string, stderr?: string, code: number }> {
  const { values, positionals } = parsed(() => parseArgs({
    args: [...args],
    options: {
      name: { type: 'string' },
      'keys-env': { type: 'string' },
      'encryption-keys-env': { type: 'string' },
      encrypt: { type: 'boolean' },
      'max-size': { type: 'string' },
      'max-total-size': { type: 'string' },
      'absolute-timeout': { type: 'string' },
      'idle-timeout': { type: 'string' },
      json: { type: 'boolean' }
    },
    allowPositionals: true
  }))
  if (positionals.length > 1) throw new UsageError('inspect takes one argument (the cookies); quote it')
  const name = values.name ?? 'session'
  if (!isCookieName(name)) throw new UsageError(`--name must be a cookie name (RFC 6265 token characters), got ${JSON.stringify(name)}`)
  const keysEnv = values['keys-env'] ?? DEFAULT_KEYS_ENV
  const signing = keysFromEnv(env, keysEnv, values['keys-env'] !== undefined)
  const encryption = values['encryption-keys-env'] === undefined
    ? { keys: undefined, warnings: [] }
    : keysFromEnv(env, values['encryption-keys-env'], true)
  const maxSize = maxSizeOf(values['max-size'])
  const options = {
    name,
    keys: signing.keys,
    encryptionKeys: encryption.keys,
    encrypt: values.encrypt === true || encryption.keys !== undefined,
    maxSize,
    maxTotalSize: maxTotalSizeOf(values['max-total-size'], maxSize),
    absoluteTimeout: timeout(values['absolute-timeout'], 'absolute-timeout'),
    idleTimeout: timeout(values['idle-timeout'], 'idle-timeout'),
    now: Date.now()
  }
  const source = positionals[0]
  const text = source === undefined || source === '-' ? await readStdin(stdin) : source
  if (text.trim() === '') throw new UsageError('the input is empty: give a Cookie header, name=value pairs or Set-Cookie lines')
  const report = inspect(readInput(text), options, [...signing.warnings, ...encryption.warnings])
  const stdout = values.json === true ? safeJson(report, 2) + '\n' : render(report, keysEnv, options.now)
  const problem = summary(report)
  return { stdout, code: report.exitCode, ...(problem === undefined ? {} : { stderr: `signed-cookie-session: ${problem}\n` }) }
}
