// The public types of a session, at the bottom of the house so that the options (whose hooks take
// a session) and the core (which makes it) both depend on them, not on each other. Types only, so
// always imported with `import type` (an import-alias below would otherwise be run).
import type { SessionWriteFailure } from './errors.js'

declare global {
  // The one declaration that every copy of these types shares (the CommonJS build and the ES module
  // build of ./fetch are two copies): augmenting `SessionData` through the package's main entry
  // reaches this interface, so it types the sessions of every entry and build alike. (TypeScript
  // merges augmentations that reach it through two different re-exports, e.g. from a .cts and an
  // .mts file, only once; augmenting this global interface itself has no such limit.)
  namespace SignedCookieSession {
    // Empty on purpose: the app declares its keys by augmenting it (see SessionData below).
    interface SessionData {}
  }
}

/**
 * The data your sessions hold, for you to declare (as with express-session's `SessionData`):
 * `declare module 'signed-cookie-session' { interface SessionData { userId: string; views?: number } }`.
 * Once it has keys, `req.session` (and `ctx.session`, `request.session`, a Fetch scope's `session`)
 * has exactly those keys, each of its declared type, and a value that would not survive the
 * cookie's JSON (a `Date`, `Map`, function, ...) or a key named like a flag or method (`save`,
 * `isNew`, ...) is a type error that says so. Undeclared, every key is `any`, as in cookie-session.
 */
export import SessionData = SignedCookieSession.SessionData

/** The data of a session when no `SessionData` is declared: any key, any value, as in cookie-session. */
export type UntypedSessionData = Record<string, any>

/** The data type sessions have by default: the declared `SessionData`, or any key and value when it has no keys. */
export type DefaultSessionData = keyof SessionData extends never ? UntypedSessionData : SessionData

/** The flags and methods every session has, besides its data; none of them are ever stored. */
export interface SessionBase extends SessionMethods {
  /** True when the request brought no valid session (or it was replaced this request). */
  readonly isNew: boolean
  /** True when the contents differ from what the request brought (always for a new session). */
  readonly isChanged: boolean
  /** True when the session holds any data. */
  readonly isPopulated: boolean
  /** Bytes the session cookie's Set-Cookie string would take if written now (see `maxSize`). */
  readonly encodedSize: number
  /** How many cookies the session would take if written now: 1, or more with `chunked: true`. */
  readonly encodedChunks: number
}

/** A session whose data is not declared: the flags and methods, and any other key holding any value. */
export interface UntypedSession extends SessionBase {
  [key: string]: any
}

/**
 * The session object: your data, plus read-only flags and express-session's methods (for passport
 * and friends), none of which are ever stored. `Data` is the declared `SessionData` by default; with
 * none declared, any key holds any value. Data that cannot be a session's (a key named like a flag
 * or method, a value JSON cannot carry) makes this type a string saying what is wrong, so that using
 * the session fails to compile with that message.
 * @typeParam Data - the session data type; by default the declared `SessionData` (any key and value when none is declared)
 */
export type Session<Data extends object = DefaultSessionData> = SessionOf<Data, SessionBase, UntypedSession>

/**
 * What may be assigned to a session (`req.session = value`), besides `null` and `undefined`: an
 * object of the declared shape, or any object when the data is not declared.
 */
export type SessionInput<Data extends object = DefaultSessionData, Base = SessionBase> =
  IsUntyped<Data> extends true ? object : SessionProblems<Data, Base> extends infer Problem
    ? [Problem] extends [never] ? Data : `${Problem & string}`
    : never

/**
 * The constraint of the adapters' `Data` type parameter: `Data` itself when it can be a session's
 * data; otherwise each bad key's type is the message saying why, so that the call fails with it.
 * (The default, the declared `SessionData`, is not checked here: the sessions it types are.)
 */
export type SessionDataConstraint<Data, Base = SessionBase> = [Data] extends [DefaultSessionData]
  ? [DefaultSessionData] extends [Data] ? object : CheckedData<Data, Base>
  : CheckedData<Data, Base>

/** `Base & Data` when `Data` can be a session's data, `Untyped` for undeclared data, else the problems. */
export type SessionOf<Data extends object, Base extends object, Untyped> =
  IsUntyped<Data> extends true ? Untyped
    : SessionProblems<Data, Base> extends infer Problem
      ? [Problem] extends [never] ? Base & Data : `${Problem & string}` // (a template, so errors show the messages, not this type's name)
      : never

// What follows finds what is wrong with a data type, as messages (string literal types) naming the
// key, e.g. 'SessionData.user.createdAt is a Date, ...'. Each check is written once, relative to the
// value it looks at, so TypeScript computes it once per type (a recursive type costs no more than its
// depth), and the path is put in front on the way back up.

type IsAny<T> = 0 extends 1 & T ? true : false

/** Undeclared data: a string index signature of `any` (what `UntypedSessionData` is). */
type IsUntyped<Data> = string extends keyof Data ? IsAny<Data[keyof Data & string]> : false

/** How a key reads after the name of what holds it: `.userId`, `[string]` for an index signature. */
type KeyPath<K> = K extends string ? string extends K ? '[string]' : `.${K}`
  : K extends number ? number extends K ? '[number]' : `.${K}` : '[symbol]'

/** Levels a value is looked into, at most; deeper than that, it is taken as it is. */
type Deeper = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]

/** What is wrong with a value of type `T`, as ' is a Date, ...' or '.nested.key is a Date, ...'; never when JSON carries it. */
type ValueProblem<T, Depth extends number> =
  IsAny<T> extends true ? never
    : unknown extends T ? never
      : [T] extends [never] ? never
          : [T] extends [undefined | void] ? ' is only ever undefined, which JSON leaves out; declare it optional, or null'
              : Depth extends 10 ? never
                : MemberProblem<Exclude<T, undefined | void>, Depth>

/** The problem with each member of a union (`string | Date`). */
type MemberProblem<T, Depth extends number> =
  T extends string | number | boolean | null ? never
    : T extends bigint ? ' is a bigint, which JSON.stringify cannot write; store it as a string'
      : T extends symbol ? ' is a symbol, which JSON leaves out'
        : T extends (...args: any[]) => unknown ? ' is a function, which JSON leaves out'
          : T extends Date ? ' is a Date, which comes back from the cookie as a string; store date.getTime() or date.toISOString()'
            : T extends ReadonlyMap<unknown, unknown> ? ' is a Map, which JSON turns into {}; store Object.fromEntries(map) or [...map]'
              : T extends ReadonlySet<unknown> ? ' is a Set, which JSON turns into {}; store [...set]'
                : T extends Uint8Array ? ' is a Uint8Array or Buffer, which does not come back from JSON as one; store it as a base64 string'
                  : T extends readonly unknown[] ? ElementProblem<T, Depth>
                    : T extends object ? ObjectProblem<T, Depth>
                      : never

type ElementProblem<T extends readonly unknown[], Depth extends number> =
  ValueProblem<T[number], Deeper[Depth]> extends infer Problem extends string ? `[number]${Problem}` : never

/** The keys of `T` whose values are functions (methods). */
type MethodKeys<T> = { [K in keyof T]-?: IsAny<T[K]> extends true ? never : T[K] extends (...args: any[]) => unknown ? K : never }[keyof T]

type ObjectProblem<T, Depth extends number> =
  [MethodKeys<T>] extends [never]
    ? { [K in keyof T]-?: K extends symbol ? ' has a symbol key, which JSON leaves out' : KeyProblem<T[K], K, Deeper[Depth]> }[keyof T]
    : ' has methods (is it a class instance?), which do not come back from JSON; store plain data'

type KeyProblem<T, K, Depth extends number> = ValueProblem<T, Depth> extends infer Problem extends string ? `${KeyPath<K>}${Problem}` : never

/** The problems of a session data type, each a message naming its key. */
export type SessionProblems<Data, Base> = {
  [K in keyof Data]-?: K extends keyof Base ? Collision<K, Base>
    : K extends symbol ? 'SessionData has a symbol key, which JSON leaves out'
      : KeyProblem<Data[K], K, 0> extends infer Problem extends string ? `SessionData${Problem}` : never
}[keyof Data]

/** The message for a data key named like one of the session's flags or methods. */
type Collision<K extends keyof Base, Base> = Base[K] extends (...args: any[]) => unknown
  ? `SessionData key '${K & string}' collides with the session method ${K & string}(); rename it`
  : `SessionData key '${K & string}' collides with the session property ${K & string}; rename it`

/** `Data` with each bad key's type replaced by the message saying what is wrong with it. */
type CheckedData<Data, Base> = object & {
  [K in keyof Data]: K extends keyof Base ? Collision<K, Base>
    : K extends symbol ? 'SessionData has a symbol key, which JSON leaves out'
      : KeyProblem<Data[K], K, 0> extends infer Problem extends string
        ? [Problem] extends [never] ? Data[K] : `SessionData${Problem}`
        : Data[K]
}

export type SessionCallback = (err: SessionWriteFailure | null) => void

/**
 * express-session's methods, as they work on a cookie session. With a callback, it is called
 * asynchronously, once, with `null` or the error; without one, the method returns a promise.
 */
export interface SessionMethods {
  /** Replaces the contents with a new empty session (what passport does at login against session fixation). */
  regenerate (callback: SessionCallback): void
  regenerate (): Promise<void>
  /**
   * Checks now that the session can be written (size, JSON); the callback gets that error or `null`. The cookie is still written when the headers go out.
   * With the `store` option: writes the store now (the callback runs once it holds the session).
   */
  save (callback: SessionCallback): void
  save (): Promise<void>
  /** Same as `req.session = null`; with the `store` option, the record is deleted before the callback runs. */
  destroy (callback: SessionCallback): void
  destroy (): Promise<void>
  /**
   * Logs the user out everywhere: ends every session whose `userKey` (an option, e.g.
   * `'passport.user'`) holds this session's user, this one included. Needs the `store` option and a
   * store that can find them (connect-redis, express-mysql-session, or one with `all()`).
   */
  destroyAll (callback: SessionCallback): void
  destroyAll (): Promise<void>
  /** Reads the session from the request's cookie again, dropping this request's changes. */
  reload (callback: SessionCallback): void
  reload (): Promise<void>
  /** Sends the cookie with this response even if unchanged, so its `maxAge` starts again. */
  touch (): void
}
