import { sessions } from '@/lib/session'

export function POST (request: Request) {
  const scope = sessions(request)
  scope.session = null
  return scope.commit(new Response(null, { status: 303, headers: { location: '/' } }))
}
