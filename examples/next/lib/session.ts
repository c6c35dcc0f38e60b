// The app's session options, one object for every getSession call. They are checked at the first
// request, so `next build` runs without SESSION_KEYS.
import type { NextSessionOptions } from 'signed-cookie-session/next'

export const sessionOptions = {
  keys: process.env.SESSION_KEYS?.split(','), // newest first; make one with: openssl rand -base64 32
  maxAge: 24 * 60 * 60 * 1000,
  sameSite: 'lax',
  // Moving from iron-session: its cookie becomes the session, and ours replaces it.
  ironSession: process.env.IRON_PASSWORD ? { cookieName: 'iron-session', password: process.env.IRON_PASSWORD } : undefined
} satisfies NextSessionOptions
