// The session's JSON text: written (refusing what JSON cannot hold or what would be refused on
// reading) and read back (refusing anything but a plain object, and prototype pollution). The
// cookie value around it is cookie-session 2.x's standard base64 of the UTF-8 text, encoded by the
// platform (platform/types.ts). Pure: strings in, strings out.
import { SessionSerializeError } from '../errors.js'
import { isPolluting } from './json.js'

export { parse, type SessionData } from './json.js'

/**
 * JSON text of the session; throws `SessionSerializeError` for what JSON cannot encode, and for
 * a `__proto__` or `constructor.prototype` key, which `parse` would refuse on the next request.
 */
export function stringify (data: object): string {
  let json: string
  try {
    json = JSON.stringify(data)
  } catch (err) {
    throw new SessionSerializeError(err, unserializable(data))
  }
  if ((json.includes('"__proto__"') || json.includes('"prototype"')) && isPolluting(JSON.parse(json) as object)) {
    throw new SessionSerializeError(new Error('a key named "__proto__", or "constructor" holding "prototype", is refused on reading, so it is not stored'))
  }
  return json
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/** Where JSON.stringify fails in `root`, as a property path: `session.cart.total is a BigInt`. */
function unserializable (root: object): string | undefined {
  const ancestors = new Set<object>()
  const visit = (value: unknown, path: string): string | undefined => {
    if (typeof value === 'bigint') return `${path} is a BigInt`
    if (value === null || typeof value !== 'object') return undefined
    const toJSON = (value as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') {
      try {
        value = toJSON.call(value)
      } catch {
        return `${path}.toJSON() threw`
      }
      if (value === null || typeof value !== 'object') return visit(value, path)
    }
    if (ancestors.has(value as object)) return `${path} refers back to an object that contains it`
    ancestors.add(value as object)
    for (const key of Object.keys(value as object)) {
      const step = Array.isArray(value) ? `[${key}]` : IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
      const found = visit((value as Record<string, unknown>)[key], path + step)
      if (found !== undefined) return found
    }
    ancestors.delete(value as object)
    return undefined
  }
  return visit(root, 'session')
}
