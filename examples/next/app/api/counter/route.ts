import { sessions } from '@/lib/session'

export async function POST (request: Request) {
  const { session, commit } = await sessions(request)
  if (!session?.user) return new Response('log in first\n', { status: 401 })
  session.count += 1
  return await commit(new Response(null, { status: 303, headers: { location: '/' } }))
}
