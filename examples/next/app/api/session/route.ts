// GET /api/session: the session as JSON. Route handlers read and save like Server Actions.
import { cookies } from 'next/headers'
import { getSession } from 'signed-cookie-session/next'
import { sessionOptions } from '@/lib/session'

export async function GET () {
  const session = await getSession(await cookies(), sessionOptions)
  return Response.json({ user: session.user ?? null, count: session.count ?? null, visits: session.visits ?? null })
}
