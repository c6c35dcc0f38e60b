// Everything the command line takes from the library, in one module, so that moving the
// library's files changes only these imports.
export { decodeText, parse, type SessionData } from '../wire/codec.js'
export { createSigner, type Signer } from '../wire/signer.js'
export { createCipher, isSealed, type Cipher } from '../wire/cipher.js'
export { decompress, INFLATE_LIMIT, isCompressed } from '../wire/compression.js'
export { chunkCount, chunkName, isChunked, unchunked } from '../wire/chunks.js'
export { readChunks } from '../core/chunking.js'
export { Jar } from '../core/jar.js'
export { isExpired, unstamp, type Stamp } from '../core/expiry.js'
export { DEFAULT_MAX_SIZE, DEFAULT_MAX_TOTAL_SIZE } from '../options/settings.js'
export { isCookieName } from '../options/cookie.js'
