// koa-session's tests are written for mocha: `describe` and `it` are vitest's globals too
// (`globals: true`); mocha's `before` and `after` are vitest's `beforeAll` and `afterAll`.
import { afterAll, beforeAll } from 'vitest'

Object.assign(globalThis, { before: beforeAll, after: afterAll })
