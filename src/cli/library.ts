// Everything the command line takes from the library, in one module, so that moving the
// library's files changes only these imports.
export { decodeText, parse, type SessionData } from '../wire/codec.js'
export { createSigner, type Signer } from '../wire/signer.js'
export { createCipher, isSealed, type Cipher } from '../wire/cipher.js'
export { isExpired, unstamp, type Stamp } from '../core/expiry.js'
export { DEFAULT_MAX_SIZE } from '../options/settings.js'
