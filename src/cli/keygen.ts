// `keygen`: new random keys, base64, one a line, ready for SESSION_KEYS (newest first).
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { parsed, UsageError, wholeNumber } from './args.js'

export function keygen (args: readonly string[]): string {
  const { values, positionals } = parsed(() => parseArgs({
    args: [...args],
    options: { count: { type: 'string' }, bytes: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true
  }))
  if (positionals.length > 0) throw new UsageError(`keygen takes no arguments, got ${JSON.stringify(positionals[0])}`)
  const count = wholeNumber(values.count, 'count', 1, 1, 100)
  // Fewer than 32 bytes the middleware warns about (and refuses to encrypt with); HMAC-SHA1 gains nothing past 64.
  const bytes = wholeNumber(values.bytes, 'bytes', 32, 32, 64)
  const keys = Array.from({ length: count }, () => randomBytes(bytes).toString('base64'))
  return values.json === true ? JSON.stringify({ keys }) + '\n' : keys.join('\n') + '\n'
}
