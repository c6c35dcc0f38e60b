'use server'
// Server Actions: the forms of app/page.tsx post to them, with JavaScript or without.
import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { getSession } from 'signed-cookie-session/next'
import { sessionOptions } from '@/lib/session'

export async function logIn (form: FormData) {
  const name = String(form.get('name') ?? '').trim()
  if (!name) return
  const session = await getSession(await cookies(), sessionOptions)
  Object.assign(session, { user: name, count: 0, visits: 0 })
  await session.save()
  redirect('/')
}

export async function count () {
  const session = await getSession(await cookies(), sessionOptions)
  if (!session.user) return
  session.count += 1
  await session.save()
  redirect('/')
}

export async function logOut () {
  const session = await getSession(await cookies(), sessionOptions)
  await session.destroy()
  redirect('/')
}
