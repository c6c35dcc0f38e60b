// The reference implementation, cookie-session@2.1.1, ships no types; tests only call its factory.
declare module 'cookie-session' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  function cookieSession (options?: object): (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void
  export = cookieSession
}
