// Runs before the page renders (Next 16's proxy.ts, formerly middleware.ts): counts the user's visits,
// and hands the new cookie to this render too, not only to the browser.
import { NextResponse, type NextRequest } from 'next/server'
import { cookieHeaderWith, sessions } from '@/lib/session'

export async function proxy (request: NextRequest) {
  const { session, commit } = await sessions(request)
  if (session?.user) session.visits = (session.visits ?? 0) + 1
  const setCookies = (await commit(new Headers())).getSetCookie()
  if (setCookies.length === 0) return NextResponse.next()
  const headers = new Headers(request.headers)
  headers.set('cookie', cookieHeaderWith(request.headers.get('cookie'), setCookies))
  const response = NextResponse.next({ request: { headers } }) // what cookies() reads in this render
  for (const line of setCookies) response.headers.append('set-cookie', line)
  return response
}

export const config = { matcher: '/' }
