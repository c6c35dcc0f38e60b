// Reading session JSON: what counts as session data (a plain JSON object that cannot pollute a
// prototype). Portable (no Buffer, no node: module), so every reader of a cookie format, ours or
// iron-session's (iron.ts), accepts exactly the same data.

export type SessionData = Record<string, unknown>

/**
 * Parses the JSON text of a session. Anything but a plain JSON object, and any object that could
 * be used for prototype pollution (a `__proto__` key, or `constructor.prototype`, at any depth),
 * gives `undefined`: the request gets a new empty session. Never throws.
 */
export function parse (json: string): SessionData | undefined {
  let data: unknown
  try {
    data = JSON.parse(json)
  } catch {
    return undefined
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined
  // Cheap filter first: only texts that could spell a dangerous key (maybe through \u escapes) are walked.
  if ((json.includes('proto') || json.includes('constructor') || json.includes('\\u')) && isPolluting(data)) {
    return undefined
  }
  return data as SessionData
}

/** True if `root` has a `__proto__` key, or `constructor` holding `prototype`, at any depth. */
export function isPolluting (root: object): boolean {
  const stack: object[] = [root]
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown>
    for (const key of Object.keys(node)) {
      const value = node[key]
      if (key === '__proto__') return true
      if (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype')) {
        return true
      }
      if (value !== null && typeof value === 'object') stack.push(value)
    }
  }
  return false
}
