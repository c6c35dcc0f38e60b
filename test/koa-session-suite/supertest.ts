// @eggjs/supertest's shape over supertest: koa-session's tests import `{ request }` from it.
import request from 'supertest'

export { request }
export default request
