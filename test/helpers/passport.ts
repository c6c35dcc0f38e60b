// A passport instance with a local strategy over `users`: any of them logs in with the password
// 'secret', and the session keeps only the user's id (as most apps do).
import passport from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'

export function localPassport (users: Readonly<Record<string, { id: string }>>): passport.Authenticator {
  const auth = new passport.Passport()
  auth.use(new LocalStrategy((username, password, done) => done(null, password === 'secret' ? users[username] ?? false : false)))
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id))
  auth.deserializeUser((id: string, done) => done(null, users[id] ?? false))
  return auth
}
