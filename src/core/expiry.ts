// Server-side expiry: when timeouts or `renew` are on, the payload carries when the session was
// created and when its cookie was last written, in milliseconds, around the session's JSON:
//   [created,written,{...data}]
// Session data is always a JSON object, so an array can only be a stamp this library wrote: no
// stored data can pose as a stamp or break one. A cookie stolen and replayed stops working once
// either timeout has passed, whatever the browser does with `expires`.

import type { Timeouts } from '../options/settings.js'

/** [created, written], in Unix milliseconds. */
export type Stamp = readonly [number, number]

/** A stamped payload as this library writes it: two whole numbers, then the session's JSON object. */
const STAMPED = /^\[(\d{1,16}),(\d{1,16}),(?=\{)/

/** The stamp and the session's JSON text inside a stamped payload, or undefined for anything else. */
export function unstamp (json: string): { readonly stamp: Stamp, readonly json: string } | undefined {
  const match = STAMPED.exec(json)
  if (match === null || !json.endsWith(']')) return undefined
  const created = Number(match[1])
  const written = Number(match[2])
  if (!Number.isSafeInteger(created) || !Number.isSafeInteger(written)) return undefined
  return { stamp: [created, written], json: json.slice(match[0].length, -1) }
}

/** The payload for a session's JSON text with this stamp. */
export function withStamp (json: string, stamp: Stamp): string {
  return '[' + stamp[0] + ',' + stamp[1] + ',' + json + ']'
}

/** Whether a session with this stamp (or none, from before timeouts were turned on) has expired. */
export function isExpired (stamp: Stamp | undefined, timeouts: Timeouts, now: number): boolean {
  const { absoluteTimeout, idleTimeout } = timeouts
  if (absoluteTimeout === undefined && idleTimeout === undefined) return false
  if (stamp === undefined) return true
  const [created, written] = stamp
  return (absoluteTimeout !== undefined && now - created > absoluteTimeout) ||
    (idleTimeout !== undefined && now - written > idleTimeout)
}
