// Command-line arguments: node:util's parseArgs, with its errors turned into usage errors, and
// number options checked here so that every message names the option.

/** A mistake in how the tool was called: exit code 1, with a message and a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** Options someone might try for a key: keys never come from arguments (they would show in `ps` and shell history). */
const KEY_OPTIONS = /^Unknown option '(--(?:keys?|secrets?|encryption-keys?))'/

/** Runs a parseArgs call, turning its errors (unknown option, missing value) into usage errors. */
export function parsed<T> (parse: () => T): T {
  try {
    return parse()
  } catch (err) {
    if (!String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw err
    const keyOption = KEY_OPTIONS.exec((err as Error).message)?.[1]
    if (keyOption !== undefined) {
      throw new UsageError(`${keyOption} is not an option: keys are read from environment variables only (SESSION_KEYS, or the one --keys-env names), ` +
        'never from arguments, where ps and the shell history would show them: SESSION_KEYS="$(cat keyfile)" signed-cookie-session inspect ...')
    }
    throw new UsageError((err as Error).message)
  }
}

/** A whole number option within [min, max]; `fallback` when not given. */
export function wholeNumber (value: string | undefined, option: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  const number = /^\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError(`--${option} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`)
  }
  return number
}
