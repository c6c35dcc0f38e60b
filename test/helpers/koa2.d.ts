// `koa2` is an npm alias of koa@2; the tests use only what @types/koa (Koa 3's) says both majors share.
declare module 'koa2' {
  import Koa = require('koa')
  export = Koa
}
