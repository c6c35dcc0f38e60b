// The app's declaration of its session data, as in docs/typescript.md; every file of this program sees it.
import type {} from 'signed-cookie-session'

declare module 'signed-cookie-session' {
  interface SessionData {
    userId: string
    views?: number
    cart?: { items: Array<{ sku: string, qty: number }>, coupon?: string | null }
  }
}
