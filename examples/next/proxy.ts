// Runs before the page renders (Next 16's proxy.ts, formerly middleware.ts): counts the pages the
// user loads. What it saves on the response, this request's render reads too.
import { NextResponse, type NextRequest } from 'next/server'
import { getSession, proxyCookies } from 'signed-cookie-session/next'
import { sessionOptions } from '@/lib/session'

export async function proxy (request: NextRequest) {
  const response = NextResponse.next()
  // Page loads only: not a form posting to a Server Action, nor a fetch (Sec-Fetch-Dest: empty) by
  // React's router or by Next itself, which renders an action's redirect with the action's headers
  // and never hands that response's cookies to the browser.
  if (request.method !== 'GET' || request.headers.get('sec-fetch-dest') === 'empty') return response
  const session = await getSession(proxyCookies(request, response), sessionOptions)
  if (session.user) {
    session.visits = (session.visits ?? 0) + 1
    await session.save()
  }
  return response
}

export const config = { matcher: '/' }
