// Server-side expiry, and when an unchanged session is written again. When timeouts or `renew` are
// on, the payload carries when the session was created and when its cookie was last written, in
// milliseconds, around the session's JSON:
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

/**
 * When the session was created, for its stamp: replacing the contents (req.session = {...}) keeps
 * its age; only regenerate() or destroying (`restarted`) starts a new one, so absoluteTimeout
 * cannot be dodged.
 */
export function createdAt (stamp: Stamp | undefined, restarted: boolean, now: number): number {
  return stamp !== undefined && !restarted ? stamp[0] : now
}

/** What a read of the session found that decides whether an unchanged one is written again. */
export interface ResendFacts {
  readonly stamp: Stamp | undefined
  /** Read with an older key or format, or from before encryption: written again in the current one. */
  readonly reissue: boolean
}

/**
 * Whether an unchanged session is written again: touched (`resend`), in need of re-issue, rolling,
 * or due for renewal (more than half of maxAge since it was last written).
 */
export function mustResend (settings: RenewSettings, { attributes }: { readonly attributes: { readonly maxAge: number | undefined } },
  facts: ResendFacts, resend: boolean): boolean {
  if (resend || facts.reissue || settings.rolling) return true
  if (!settings.renew || attributes.maxAge === undefined) return false
  return facts.stamp === undefined || Date.now() - facts.stamp[1] > attributes.maxAge / 2
}

/** The settings that decide re-sending. */
export interface RenewSettings {
  readonly rolling: boolean
  readonly renew: boolean
}
