// koa-session's store options, for the Koa adapter's store mode: `ContextStore` (a store class
// made for each request from its ctx), `genid(ctx)` and `prefix` (how new keys are made), and the
// keys koa-session made (UUIDs, with the prefix), which are read as ours are, so that switching
// from koa-session with a store keeps everyone logged in.
import { SessionOptionError } from '../errors.js'
import type { KeyCarrier, StoreLike } from '../options/store.js'
import type { Platform } from '../platform/types.js'

/** What a ContextStore instance has: koa-session's promise store methods. */
export interface ContextStoreLike {
  get (key: string, maxAge: number | undefined, options: { rolling: boolean, ctx: any }): unknown
  set (key: string, session: any, maxAge: number, options: { rolling: boolean, changed: boolean, ctx: any }): unknown
  destroy (key: string, options: { ctx: any }): unknown
}

/** koa-session's ContextStore option: a class it makes a store of for each request, from the ctx. */
export type ContextStoreClass<Ctx> = new (ctx: Ctx) => ContextStoreLike

/** A promise store that hands each call to the ContextStore instance of the call's ctx (one per request). */
export function contextStore (ContextStore: ContextStoreClass<any>): StoreLike {
  const stores = new WeakMap<object, ContextStoreLike>()
  const of = (ctx: object): ContextStoreLike => {
    let store = stores.get(ctx)
    if (store === undefined) {
      store = new ContextStore(ctx)
      stores.set(ctx, store)
    }
    return store
  }
  return {
    get: (key: string, maxAge: number | undefined, options: { rolling: boolean, ctx: object }) => of(options.ctx).get(key, maxAge, options),
    set: (key: string, session: unknown, maxAge: number, options: { rolling: boolean, changed: boolean, ctx: object }) => of(options.ctx).set(key, session, maxAge, options),
    destroy: (key: string, options: { ctx: object }) => of(options.ctx).destroy(key, options)
  }
}

/** Our ids (32 random bytes, base64url) and koa-session's default ones (randomUUID()). */
const OURS = /^[A-Za-z0-9_-]{43}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface KoaKeys {
  readonly newKey: ((ctx: unknown) => string) | undefined
  readonly isKey: (text: string) => boolean
}

/**
 * How keys are made and recognised: by `genid(ctx)` (then any key is one: the app makes them), or
 * ours with `prefix` before them; koa-session's UUIDs are recognised too, with or without it.
 */
export function koaKeys (genid: ((ctx: any) => unknown) | undefined, prefix: string | undefined, platform: Platform): KoaKeys {
  if (genid !== undefined) {
    return {
      newKey (ctx) {
        const key = genid(ctx)
        if (typeof key !== 'string' || key === '') throw new SessionOptionError('option "genid" must return a non-empty string, the new session\'s key')
        return key
      },
      isKey: (text) => text !== ''
    }
  }
  const looks = (text: string): boolean => OURS.test(text) || UUID.test(text)
  if (prefix === undefined || prefix === '') return { newKey: undefined, isKey: looks }
  return {
    newKey: () => prefix + platform.newId(),
    isKey: (text) => looks(text) || (text.startsWith(prefix) && looks(text.slice(prefix.length)))
  }
}

/** koa-session's externalKey option: `get(ctx)` finds the key, `set(ctx, key)` sends it. */
export interface ExternalKey<Ctx> {
  get (ctx: Ctx): string | undefined | null
  set (ctx: Ctx, key: string): void
}

export function carrierOf (externalKey: ExternalKey<any>): KeyCarrier {
  return { get: (ctx) => externalKey.get(ctx), set: (ctx, key) => { externalKey.set(ctx, key) } }
}
