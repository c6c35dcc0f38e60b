// Everything the command line takes from the library, in one module, so that moving the
// library's files changes only these imports.
export { decodeText, parse, type SessionData } from '../codec.js'
export { createSigner, type Signer } from '../signer.js'
export { createCipher, isSealed, type Cipher } from '../encryption.js'
export { isExpired, readStamp, STAMP_KEY, type Stamp } from '../expiry.js'
export { DEFAULT_MAX_SIZE } from '../options.js'
