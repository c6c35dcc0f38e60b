// express-mysql-session ships no types; the tests use its factory, constructor, onReady and close.
declare module 'express-mysql-session' {
  import type { Store } from 'express-session'

  interface MySQLStoreOptions {
    host?: string
    port?: number
    user?: string
    password?: string
    database?: string
    clearExpired?: boolean
    createDatabaseTable?: boolean
    connectionLimit?: number
    [option: string]: unknown
  }
  interface MySQLStore extends Store {
    onReady (): Promise<void>
    close (): Promise<void>
  }
  function factory (session: { Store: typeof Store }): new (options: MySQLStoreOptions, connection?: unknown) => MySQLStore
  export = factory
}
