import { currentSession } from '@/lib/session'

export default async function Home () {
  const session = await currentSession()
  if (!session?.user) {
    return (
      <form method='post' action='/api/login'>
        <p>You are not logged in.</p>
        <input name='name' aria-label='Name' required /> <button>Log in</button>
      </form>
    )
  }
  return (
    <main>
      <p>{`Hello, ${session.user}. Counter: ${session.count}. Visits: ${session.visits}.`}</p>
      <form method='post' action='/api/counter'><button>Count</button></form>
      <form method='post' action='/api/logout'><button>Log out</button></form>
    </main>
  )
}
