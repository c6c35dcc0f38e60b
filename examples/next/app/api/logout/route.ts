import { sessions } from '@/lib/session'

export async function POST (request: Request) {
  const scope = await sessions(request)
  scope.session = null
  return await scope.commit(new Response(null, { status: 303, headers: { location: '/' } }))
}
