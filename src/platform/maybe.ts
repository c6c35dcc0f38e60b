// Values that may have to wait. The core is written once for every platform: a step that waits
// where the platform's crypto or a store does returns a promise, and the same step on Node returns
// its value at once. `after()` goes on without a promise (and without a tick) when it need not
// wait. (It is not called `then`: a module that exports `then` is a thenable, and awaiting its
// import would call it.)

/** A value, or a promise of it: synchronous on Node, asynchronous where the platform's crypto is. */
export type MaybePromise<T> = T | Promise<T>

/** Runs `next` on `value` now when it is a value, or once it settles when it is a promise. */
export function after<T, U> (value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value)
}

/**
 * The value of a step that must not wait here (on a synchronous platform, or in a synchronous
 * callback such as the headers hook); a promise means the library was wired wrongly.
 */
export function settled<T> (value: MaybePromise<T>, what: string): T {
  if (value instanceof Promise) {
    value.catch(() => {})
    throw new Error(`signed-cookie-session: ${what} had to wait, where only a synchronous platform can be used`)
  }
  return value
}
