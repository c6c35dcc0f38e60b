// Everything the command line takes from the library, in one module, so that moving the
// library's files changes only these imports.
export { parse, type SessionData } from '../wire/codec.js'
export type { Cipher, Signer } from '../platform/types.js'
export { isSealed } from '../wire/sealed.js'
export { INFLATE_LIMIT, isCompressed } from '../wire/compression.js'
export { chunkCount, chunkName, isChunked, unchunked } from '../wire/chunks.js'
export { signedText } from '../wire/signature.js'
export { maxChunks, readChunks } from '../core/chunked-cookies.js'
export { isExpired, unstamp, type Stamp } from '../core/expiry.js'
export { DEFAULT_MAX_SIZE, DEFAULT_MAX_TOTAL_SIZE } from '../options/settings.js'
export { isCookieName } from '../options/cookie.js'
export { nodePlatform } from '../platform/node.js'
export { NodeJar as Jar } from '../platform/node-jar.js'
