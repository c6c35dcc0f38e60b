// One request as a browser would send it, and what the suite compares of the answer.
import { readFileSync } from 'node:fs'

export interface Reply {
  status: number
  /** The body as JSON (the session, or null once destroyed), or as text when it is not JSON. */
  body: unknown
  setCookies: string[]
  /** What onError got: "<name> <code>", from the x-session-error header. */
  error: string | null
  /** The headers that keep shared caches from mixing up sessions: [Vary, Cache-Control]. */
  caching: [string | null, string | null]
}

export async function get (base: string, path: string, cookie = ''): Promise<Reply> {
  const res = await fetch(base + path, { headers: cookie === '' ? {} : { cookie } })
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {}
  return {
    status: res.status,
    body,
    setCookies: res.headers.getSetCookie(),
    error: res.headers.get('x-session-error'),
    caching: [res.headers.get('vary'), res.headers.get('cache-control')]
  }
}

/** `get`, with the runtime's output in the error when the request cannot be made (the process died). */
export async function getFrom (runtime: string, base: string, logFile: string, path: string, cookie = ''): Promise<Reply> {
  try {
    return await get(base, path, cookie)
  } catch (err) {
    throw new Error(`${runtime} did not answer ${path}: ${String((err as Error).cause ?? err)}; its output:\n${readFileSync(logFile, 'utf8')}`)
  }
}

/** The names of the cookies the lines set, in order. */
export const names = (setCookies: string[]): string[] => setCookies.map((line) => line.slice(0, line.indexOf('=')))

/**
 * The Cookie header a browser sends after storing `setCookies` on top of `cookie`: a line replaces
 * its cookie, one that expires in the past removes it.
 */
export function cookieAfter (cookie: string, setCookies: string[]): string {
  const jar = new Map<string, string>()
  for (const pair of cookie.split('; ').filter(Boolean)) jar.set(pair.slice(0, pair.indexOf('=')), pair)
  for (const line of setCookies) {
    const pair = line.split(';', 1)[0] ?? ''
    const name = pair.slice(0, pair.indexOf('='))
    const expires = /; expires=([^;]+)/i.exec(line)?.[1]
    if (expires !== undefined && Date.parse(expires) <= Date.now()) jar.delete(name)
    else jar.set(name, pair)
  }
  return [...jar.values()].join('; ')
}
