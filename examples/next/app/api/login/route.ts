import { sessions } from '@/lib/session'

export async function POST (request: Request) {
  const name = String((await request.formData()).get('name') ?? '').trim()
  if (!name) return new Response('a name is needed\n', { status: 400 })
  const scope = await sessions(request)
  scope.session = { user: name, count: 0 } // a new session: nothing from before the login survives
  return await scope.commit(new Response(null, { status: 303, headers: { location: '/' } }))
}
