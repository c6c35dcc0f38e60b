import { cookies } from 'next/headers'
import { getSession } from 'signed-cookie-session/next'
import { sessionOptions } from '@/lib/session'
import { count, logIn, logOut } from './actions'

export default async function Home () {
  const session = await getSession(await cookies(), sessionOptions) // read-only here: save in an action
  if (!session.user) {
    return (
      <form action={logIn}>
        <p>You are not logged in.</p>
        <input name='name' aria-label='Name' required /> <button>Log in</button>
      </form>
    )
  }
  return (
    <main>
      <p>{`Hello, ${session.user}. Counter: ${session.count}. Visits: ${session.visits}.`}</p>
      <form action={count}><button>Count</button></form>
      <form action={logOut}><button>Log out</button></form>
    </main>
  )
}
