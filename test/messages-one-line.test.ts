// What reaches onError (and so a log) never carries a raw line break or terminal
// control, even when it quotes an app's own error or a value from the app.
import { describe, expect, it } from 'vitest'
import { adapters } from './helpers/adapters.js'

const keys = ['k']
// CR, LF, TAB, C0, DEL, C1 (NEL U+0085, CSI U+009B) and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

function collect () {
  const errors: Error[] = []
  return { errors, onError: (err: Error) => { errors.push(err) } }
}

describe.each(adapters)('messages handed to onError ($name)', (adapter) => {
  it('escape the line breaks and C1 controls of an error thrown by a session value\'s toJSON', async () => {
    const { errors, onError } = collect()
    await adapter.serve({ keys, onError }, (s) => {
      s.session.bad = { toJSON () { throw new Error('a\r\nb\u2028c\u2029d\u0085e\u009bf') } }
      return 'ok'
    }).get()
    expect(errors).toHaveLength(1)
    const { message } = errors[0] as Error
    expect(message).toContain('a\\r\\nb\\u2028c\\u2029d\\u0085e\\u009bf')
    expect(message).not.toMatch(RAW_CONTROL)
  })

  it('escape a newline in the constructor name of a bad value in req.sessionOptions', async () => {
    const { errors, onError } = collect()
    const forged = { constructor: { name: 'Evil\r\nSet-Cookie: admin=1' } }
    await adapter.serve({ keys, onError }, (s) => {
      s.sessionOptions.domain = forged
      s.session.user = 'ann'
      return 'ok'
    }).get()
    expect(errors).toHaveLength(1)
    const { message } = errors[0] as Error
    expect(message).toContain('option "domain"')
    expect(message).toContain('Evil\\r\\nSet-Cookie: admin=1')
    expect(message).not.toMatch(RAW_CONTROL)
  })
})
