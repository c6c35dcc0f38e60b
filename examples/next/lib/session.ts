// The app's sessions, and the glue that server components and proxy.ts need.
import { cookies } from 'next/headers'
import { fetchSession } from 'signed-cookie-session/fetch'

export const sessions = fetchSession({
  keys: process.env.SESSION_KEYS?.split(','), // newest first; make one with: openssl rand -base64 32
  maxAge: 24 * 60 * 60 * 1000,
  sameSite: 'lax'
})

/** The session of the request being rendered, for server components (read-only: they cannot set cookies). */
export async function currentSession () {
  const cookie = (await cookies()).getAll().map(({ name, value }) => `${name}=${value}`).join('; ')
  return (await sessions(new Request('http://localhost/', { headers: { cookie } }))).session // reading needs only the cookies
}

/** A Cookie header as the browser will send it once it has stored `setCookies`. */
export function cookieHeaderWith (cookie: string | null, setCookies: string[]): string {
  const jar = new Map<string, string>()
  for (const pair of (cookie ?? '').split(';').map((p) => p.trim()).filter(Boolean)) {
    jar.set(pair.split('=', 1)[0], pair)
  }
  for (const line of setCookies) {
    const pair = line.split(';', 1)[0]
    const name = pair.split('=', 1)[0]
    // A cleared cookie is written with an expiry in 1970: the browser drops it.
    if (/; expires=Thu, 01 Jan 1970 /i.test(line)) jar.delete(name)
    else jar.set(name, pair)
  }
  return [...jar.values()].join('; ')
}
