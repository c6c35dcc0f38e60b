// Failures that koa-session lets fail the request, where every other failure of writing a session
// goes to onError: the app's own encode throwing, decode throwing anything but a SyntaxError (the
// cookie is cleared first), and no keys to sign with (neither "keys" nor app.keys). Marked where
// they arise, thrown by the Koa adapter where it would otherwise report them.

const failing = new WeakSet<object>()
const clearing = new WeakSet<object>()

/** Marks `err` as failing the request (and, with `clearCookie`, clearing the session cookie); returns it. */
export function failRequest<T> (err: T, clearCookie = false): T {
  if (typeof err === 'object' && err !== null) {
    failing.add(err)
    if (clearCookie) clearing.add(err)
  }
  return err
}

export function failsRequest (err: unknown): boolean {
  return typeof err === 'object' && err !== null && failing.has(err)
}

export function clearsCookie (err: unknown): boolean {
  return typeof err === 'object' && err !== null && clearing.has(err)
}
