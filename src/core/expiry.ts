// Server-side expiry: when timeouts or `renew` are on, the payload carries when the session was
// created and when its cookie was last written, under a name that is never session data:
//   {"$t":[created, written], ...data}   (Unix seconds)
// A cookie stolen and replayed stops working once either timeout has passed, whatever the
// browser does with `expires`.

export const STAMP_KEY = '$t'
const PREFIX = '{"$t":['

/** [created, written], in Unix seconds. */
export type Stamp = readonly [number, number]

export interface Timeouts {
  /** Longest a session may live after it was created, in ms. */
  readonly absoluteTimeout: number | undefined
  /** Longest a session may go without its cookie being written, in ms. */
  readonly idleTimeout: number | undefined
}

export function nowSeconds (now = Date.now()): number {
  return Math.floor(now / 1000)
}

export function readStamp (data: Record<string, unknown>): Stamp | undefined {
  const stamp = data[STAMP_KEY]
  if (!Array.isArray(stamp) || stamp.length !== 2) return undefined
  const [created, written] = stamp as unknown[]
  return Number.isSafeInteger(created) && Number.isSafeInteger(written) ? [created as number, written as number] : undefined
}

/** Whether a session with this stamp (or none, from before timeouts were turned on) has expired. */
export function isExpired (stamp: Stamp | undefined, timeouts: Timeouts, now: number): boolean {
  const { absoluteTimeout, idleTimeout } = timeouts
  if (absoluteTimeout === undefined && idleTimeout === undefined) return false
  if (stamp === undefined) return true
  const [created, written] = stamp
  return (absoluteTimeout !== undefined && now - created * 1000 > absoluteTimeout) ||
    (idleTimeout !== undefined && now - written * 1000 > idleTimeout)
}

/** The session JSON with `stamp` as its first member, replacing any stamp it had. */
export function withStamp (json: string, stamp: Stamp): string {
  const head = PREFIX + stamp[0] + ',' + stamp[1] + ']'
  // The usual case: the stamp this library wrote first; what follows its "]" is "," or "}".
  if (json.startsWith(PREFIX)) return head + json.slice(json.indexOf(']') + 1)
  const body = json.includes('"$t":') ? withoutStamp(json) : json
  return body === '{}' ? head + '}' : head + ',' + body.slice(1)
}

/** A top-level stamp elsewhere than first (a hand-made cookie): drop it. */
function withoutStamp (json: string): string {
  const { [STAMP_KEY]: _, ...rest } = JSON.parse(json) as Record<string, unknown>
  return JSON.stringify(rest)
}
