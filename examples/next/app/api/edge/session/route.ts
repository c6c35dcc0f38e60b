// GET /api/edge/session: getSession on Next's Edge runtime.
import { cookies } from 'next/headers'
import { getSession } from 'signed-cookie-session/next'
import { sessionOptions } from '@/lib/session'

export const runtime = 'edge'

export async function GET () {
  const session = await getSession(await cookies(), sessionOptions)
  return Response.json({ user: session.user ?? null, count: session.count ?? null, visits: session.visits ?? null })
}
