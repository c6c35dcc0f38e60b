// `express4` is an npm alias of express@4; the tests use only what both majors' types share.
declare module 'express4' {
  import express = require('express')
  export = express
}
