// Checking option values, shared by every option parser: a short description of the value for the
// message, and the TypeError (SessionOptionError) that names the option and what was expected.
import { SessionOptionError } from '../errors.js'
import type { Key } from '../platform/types.js'

/** A short, human description of a value for error messages: `"lax "`, `-1`, `an array`. */
export function describe (value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'bigint') return `${value}n`
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' ? 'a function' : String(value)
  }
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()})`
  const ctor = (value as { constructor?: { name?: unknown } }).constructor
  return typeof ctor?.name === 'string' && ctor.name !== 'Object' ? `a ${ctor.name}` : 'an object'
}

/** The byte length of any Uint8Array, read from the intrinsic getter: a subclass could override `length`. */
const byteLengthOf = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'length')?.get as (this: Uint8Array) => number

/**
 * A value given where a secret belongs, described by its type and length alone, so that a mistake
 * never puts a key into a crash log: `a string of 24 characters`. Nothing the value chose is shown —
 * not a symbol's description, a function's or class's name, its toString, nor a bigint's or a Date's
 * value — since any of them may be the secret itself. Only a Node Buffer is named as such.
 */
export function describeSecret (value: unknown): string {
  switch (typeof value) {
    case 'string': return `a string of ${value.length} characters`
    case 'undefined': return 'undefined'
    case 'object': break
    default: return `a ${typeof value}`
  }
  if (value === null) return 'null'
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (value instanceof Uint8Array) {
    // Only compared with, never shown: any other class name is said as Uint8Array.
    const kind = value.constructor.name === 'Buffer' ? 'Buffer' : 'Uint8Array'
    return `a ${kind} of ${byteLengthOf.call(value)} bytes`
  }
  return value instanceof Date ? 'a Date' : 'an object'
}

/** Throws `option "<option>" must be <expected>, got <value>`. */
export function fail (option: string, expected: string, got: unknown): never {
  throw new SessionOptionError(`option "${option}" must be ${expected}, got ${describe(got)}`)
}

/** `fail` for an option that holds secrets: the value is described, never shown. */
export function failSecret (option: string, expected: string, got: unknown): never {
  throw new SessionOptionError(`option "${option}" must be ${expected}, got ${describeSecret(got)}`)
}

/** A boolean option: `fallback` when unset (undefined or null). */
export function flag<T extends boolean | undefined> (value: unknown, option: string, fallback: T): boolean | T {
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'boolean') fail(option, 'a boolean', value)
  return value
}

/** A secret: a non-empty string or Buffer. */
export function checkKey (key: unknown, option: string): Key {
  if ((typeof key === 'string' || key instanceof Uint8Array) && key.length > 0) return key
  failSecret(option, 'a non-empty string or Buffer', key)
}
