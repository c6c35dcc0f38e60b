// The adapter for Fastify 5: a plugin giving every request `request.session` and
// `request.sessionOptions`, with the same options, cookies, limits and errors as the Express
// middleware. The request is decorated with getters, so a route that never reads the session costs
// no cookie parsing; the cookies are added in an onSend hook, merged with the Set-Cookie lines the
// route or another plugin (@fastify/cookie) set. With a store, the session is loaded in onRequest
// and the store is written in onSend, before the response goes out; a store failure is thrown into
// Fastify's error handling.
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify'
import { RequestSession } from '../core/request.js'
import { SessionOptionError, SessionWriteError, type SessionWriteFailure } from '../errors.js'
import { settingsFrom, type BaseOptions, type SessionOptions, type Settings } from '../options/settings.js'
import { nodePlatform } from '../platform/node.js'
import { report } from '../report.js'
import type { DefaultSessionData, SessionInput } from '../types.js'
import { FASTIFY_SESSION_API, type FastifySession, type FastifySessionBase } from './fastify-session.js'
import { asFastifyPlugin } from './fastify-plugin.js'
import { isHttps } from './shared.js'
import { guardCaches, routeName, type ResponseHeaders } from './shared/cache-headers.js'

export type { FastifySession }

/**
 * Options of the Fastify plugin: those of `cookieSession`, with the hooks and onError taking the
 * request (and reply). `Data` is the session data type the hooks see; options typed with one are
 * accepted by the plugin too (`request.session` itself is typed by declaring `SessionData`, since
 * Fastify's request type is global).
 */
export type FastifySessionOptions<Data extends object = DefaultSessionData> = BaseOptions<FastifyRequest, [request: FastifyRequest, reply: FastifyReply], Data>

/** Called when the session cookie cannot be written; the response goes out without it. */
export type FastifyErrorHandler = (err: SessionWriteFailure, request: FastifyRequest, reply: FastifyReply) => void

declare module 'fastify' {
  interface FastifyRequest {
    /** The session; set to `null` to destroy it, or to an object to replace it. */
    get session (): FastifySession | null
    set session (value: SessionInput<DefaultSessionData, FastifySessionBase> | null | undefined)
    /** This request's cookie options: a copy of the plugin's, changeable per response. */
    sessionOptions: SessionOptions
  }
}

class FastifyRequestSession extends RequestSession {
  protected override readonly adapterApi = FASTIFY_SESSION_API
  private readonly fastifyRequest: FastifyRequest
  /** The request's reply, known from onRequest (store mode) or onSend. */
  private reply: FastifyReply | undefined
  /** Failures reported before the reply was known (a validate hook's rejected promise), handed on in onSend. */
  private early: unknown[] | undefined
  /** The Set-Cookie lines the last commit added, so a response sent again (after an error) gets them once. */
  private added: readonly string[] | undefined

  constructor (settings: Settings, request: FastifyRequest) {
    super(settings, request, request.raw)
    this.fastifyRequest = request
  }

  isSecure (): boolean {
    // request.protocol honours Fastify's own trustProxy; X-Forwarded-Proto is believed with ours.
    return isHttps(this.fastifyRequest.protocol === 'https', this.settings, this.fastifyRequest.raw.headers['x-forwarded-proto'])
  }

  reportError (err: unknown): void {
    if (this.reply === undefined) (this.early ??= []).push(err)
    else report(this.settings, err, this.fastifyRequest, this.reply)
  }

  /** The reply is known: failures reported before it are handed on now. */
  replyIs (reply: FastifyReply): void {
    this.reply = reply
    const { early } = this
    if (early === undefined) return
    this.early = undefined
    for (const err of early) this.reportError(err)
  }

  /**
   * Adds the session's cookies to the reply's Set-Cookie lines, or tells onError why they cannot be;
   * then the caching headers (cache-headers.ts), while the headers can still change.
   */
  commit (reply: FastifyReply): void {
    let setsCookie = false
    try {
      const added = this.added
      const previous = setCookiesOf(reply).filter((line) => added === undefined || !added.includes(line))
      const lines = this.setCookiesNow(previous)
      if (lines !== undefined) {
        if (reply.raw.headersSent) throw new SessionWriteError('the response headers were already sent (reply.raw written directly, or a hijacked reply)')
        this.added = lines.filter((line) => !previous.includes(line))
        // reply.header() appends to Set-Cookie: the merged lines replace what was there.
        reply.removeHeader('set-cookie')
        reply.header('set-cookie', lines)
        setsCookie = true
      }
    } catch (err) {
      this.reportError(err)
    }
    if (!reply.raw.headersSent) guardCaches(this, headersOf(reply), setsCookie, () => routeName(this.fastifyRequest.method, this.fastifyRequest.url))
  }
}

/** The Set-Cookie lines the reply holds so far (set by the route, @fastify/cookie, or on reply.raw). */
function setCookiesOf (reply: FastifyReply): string[] {
  const value: unknown = reply.getHeader('set-cookie')
  return value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]
}

/** The reply's headers as the cache-header rules read them (a list joined, as it goes out). */
function headersOf (reply: FastifyReply): ResponseHeaders {
  return {
    get (name) {
      const value: unknown = reply.getHeader(name)
      return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value)
    },
    set (name, value) { reply.header(name, value) }
  }
}

/** Gives `fastify`'s requests the session of `settings`, with the hooks that load and write it. */
function install (fastify: FastifyInstance, settings: Settings): void {
  for (const name of ['session', 'sessionOptions']) {
    if (fastify.hasRequestDecorator(name)) {
      throw new SessionOptionError(`request.${name} is already defined in this Fastify context (by another session plugin, or this one ` +
        'registered twice): register one session plugin, once, at the root')
    }
  }
  // One symbol per registration, so two registrations (in sibling contexts) keep their own state.
  // (The check above is what the other adapters' one-instance-per-cookie-name claim does: in one
  // Fastify context chain, a second session plugin cannot be registered at all.)
  const kContext = Symbol('signed-cookie-session fastify')
  type Carrier = FastifyRequest & { [kContext]: FastifyRequestSession | null | undefined }

  // Made when the session is first read (or, with a store, in onRequest): a request that never
  // touches its session costs nothing but the onSend check.
  const contextOf = (request: Carrier): FastifyRequestSession => {
    let context = request[kContext]
    if (context === null || context === undefined) {
      context = new FastifyRequestSession(settings, request)
      request[kContext] = context
    }
    return context
  }

  // A slot in every request's shape, so storing the context changes no hidden class.
  fastify.decorateRequest(kContext, null)
  fastify.decorateRequest('session', {
    getter (this: FastifyRequest) { return contextOf(this as Carrier).session as FastifySession | null },
    setter (this: FastifyRequest, value: object | null | undefined) { contextOf(this as Carrier).session = value }
  })
  fastify.decorateRequest('sessionOptions', {
    getter (this: FastifyRequest) { return contextOf(this as Carrier).sessionOptions },
    setter (this: FastifyRequest, value: SessionOptions) { contextOf(this as Carrier).sessionOptions = value }
  })

  if (settings.store === undefined) {
    if (settings.iron !== undefined) {
      // An iron-session cookie (the ironSession option) is unsealed with Web Crypto: the route waits
      // for it, and only when the request has one and no valid cookie of ours.
      fastify.addHook('onRequest', function readIronSession (request, _reply, done) {
        const loading = contextOf(request as Carrier).load()
        if (loading === undefined) done()
        else loading.then(() => done(), done)
      })
    }
    // Nothing else to wait for: the cookie is read when the session is first read, written here.
    fastify.addHook('onSend', function writeSessionCookie (request, reply, _payload, done) {
      const context = (request as Carrier)[kContext]
      if (context !== null && context !== undefined) {
        context.replyIs(reply)
        if (context.accessed) context.commit(reply)
      }
      done()
    })
    return
  }

  // A store: the record is read before the route runs, and written before the response goes out.
  // A store failure is thrown, so Fastify's error handler answers.
  fastify.addHook('onRequest', async function loadSession (request, reply) {
    const context = contextOf(request as Carrier)
    context.replyIs(reply)
    await context.load()
  })
  fastify.addHook('onSend', async function saveSession (request, reply) {
    const context = (request as Carrier)[kContext]
    if (context === null || context === undefined) return
    context.replyIs(reply)
    if (context.accessed) await context.save()
    context.commit(reply)
  })
}

/**
 * The Fastify plugin: `await app.register(fastifySession, { keys })` gives every route
 * `request.session` and `request.sessionOptions`. Same options as `cookieSession`; registering
 * throws a `SessionOptionError` naming any invalid option. Register it at the root, before the
 * routes and plugins that use the session: it is not encapsulated (as with fastify-plugin), so its
 * hooks and decorators reach every route registered after it in that context and below.
 * @example
 * await app.register(fastifySession, { keys: process.env.SESSION_KEYS.split(','), maxAge: 24 * 60 * 60 * 1000 })
 */
export const fastifySession: FastifyPluginCallback<FastifySessionOptions> = asFastifyPlugin(
  function fastifySession (fastify: FastifyInstance, options: FastifySessionOptions, done: (err?: Error) => void): void {
    try {
      install(fastify, settingsFrom(options, nodePlatform))
    } catch (err) {
      done(err as Error)
      return
    }
    done()
  },
  { name: 'signed-cookie-session', fastify: '5.x' }
)
