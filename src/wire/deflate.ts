// Raw DEFLATE (RFC 1951) in plain JavaScript, for the Web platform: Vercel's Edge runtime has no
// CompressionStream or DecompressionStream (and the others disagree on the bytes they write), so
// reading a compressed cookie must not depend on them. `inflateRaw` reads every valid stream,
// with zlib's checks (so it refuses what Node's zlib refuses), bounded by an output limit;
// `deflateRaw` writes one block with the fixed codes (RFC 1951 §3.2.6) after LZ77 matching — less
// tight than zlib, but valid for any reader. Pure: bytes in, bytes out; never throws on input.

/** Base lengths of length codes 257..285 and their extra bits (RFC 1951 §3.2.5). */
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
/** Base distances of distance codes 0..29 and their extra bits. */
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
/** The order in which code length code lengths are sent (§3.2.7). */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
const MAX_BITS = 15

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  readonly counts: Uint16Array
  readonly symbols: Uint16Array
}

/** Thrown inside inflate only, and caught there: the input is not a valid stream. */
class Invalid extends Error {}

/**
 * The code for `lengths` (0: symbol unused). Refuses an over-subscribed set, and an incomplete one
 * unless it is a single code of one bit (never for the code length code), as zlib does; a set with
 * no code at all is accepted, and fails only if a symbol is read from it.
 */
function huffman (lengths: ArrayLike<number>, singleAllowed = true): Huffman {
  const counts = new Uint16Array(MAX_BITS + 1)
  for (let i = 0; i < lengths.length; i++) {
    const len = lengths[i] as number
    counts[len] = (counts[len] as number) + 1
  }
  counts[0] = 0
  let left = 1
  let max = 0
  for (let len = 1; len <= MAX_BITS; len++) {
    left <<= 1
    left -= counts[len] as number
    if (left < 0) throw new Invalid('over-subscribed code')
    if ((counts[len] as number) > 0) max = len
  }
  if (left > 0 && max !== 0 && (max !== 1 || !singleAllowed)) throw new Invalid('incomplete code')
  const offsets = new Uint16Array(MAX_BITS + 2)
  for (let len = 1; len <= MAX_BITS; len++) offsets[len + 1] = (offsets[len] as number) + (counts[len] as number)
  const symbols = new Uint16Array(lengths.length)
  for (let symbol = 0; symbol < lengths.length; symbol++) {
    const len = lengths[symbol] as number
    if (len !== 0) symbols[(offsets[len] as number)++] = symbol
  }
  return { counts, symbols }
}

const FIXED_LENGTHS = new Uint8Array(288).map((_, symbol) => symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8)
let fixed: { lengths: Huffman, distances: Huffman } | undefined

/** Reads a DEFLATE stream bit by bit (least significant bit first, §3.1.1). */
class Reader {
  private position = 0
  private bitBuffer = 0
  private bitCount = 0
  constructor (private readonly input: Uint8Array) {}

  bits (count: number): number {
    let value = this.bitBuffer
    while (this.bitCount < count) {
      if (this.position >= this.input.length) throw new Invalid('unexpected end of input')
      value |= (this.input[this.position++] as number) << this.bitCount
      this.bitCount += 8
    }
    this.bitBuffer = value >>> count
    this.bitCount -= count
    return value & ((1 << count) - 1)
  }

  /** The next symbol of `code` (codes are sent most significant bit first). */
  decode ({ counts, symbols }: Huffman): number {
    let code = 0
    let first = 0
    let index = 0
    for (let len = 1; len <= MAX_BITS; len++) {
      code |= this.bits(1)
      const count = counts[len] as number
      if (code - count < first) return symbols[index + (code - first)] as number
      index += count
      first += count
      first <<= 1
      code <<= 1
    }
    throw new Invalid('invalid code')
  }

  /** Drops the bits left in the current byte (a stored block starts on a byte boundary). */
  align (): void {
    this.bitBuffer = 0
    this.bitCount = 0
  }

  byte (): number {
    if (this.position >= this.input.length) throw new Invalid('unexpected end of input')
    return this.input[this.position++] as number
  }
}

/** Output that refuses to grow past `limit` bytes. */
class Output {
  bytes: Uint8Array
  length = 0
  constructor (private readonly limit: number) {
    this.bytes = new Uint8Array(Math.min(limit, 1024))
  }

  private room (extra: number): void {
    const needed = this.length + extra
    if (needed > this.limit) throw new Invalid('output over the limit')
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.min(this.limit, Math.max(needed, this.bytes.length * 2)))
      grown.set(this.bytes.subarray(0, this.length))
      this.bytes = grown
    }
  }

  push (byte: number): void {
    this.room(1)
    this.bytes[this.length++] = byte
  }

  copy (distance: number, length: number): void {
    if (distance > this.length) throw new Invalid('distance too far back')
    this.room(length)
    for (let i = 0; i < length; i++, this.length++) this.bytes[this.length] = this.bytes[this.length - distance] as number
  }
}

function storedBlock (reader: Reader, out: Output): void {
  reader.align()
  const length = reader.byte() | (reader.byte() << 8)
  const complement = reader.byte() | (reader.byte() << 8)
  if (length !== (~complement & 0xffff)) throw new Invalid('invalid stored block lengths')
  for (let i = 0; i < length; i++) out.push(reader.byte())
}

function dynamicCodes (reader: Reader): { lengths: Huffman, distances: Huffman } {
  const literals = reader.bits(5) + 257
  const distances = reader.bits(5) + 1
  const codeLengthCount = reader.bits(4) + 4
  if (literals > 286 || distances > 30) throw new Invalid('too many length or distance symbols')
  const codeLengths = new Uint8Array(19)
  for (let i = 0; i < codeLengthCount; i++) codeLengths[CODE_LENGTH_ORDER[i] as number] = reader.bits(3)
  const lengthCode = huffman(codeLengths, false)
  const lengths = new Uint8Array(literals + distances)
  for (let i = 0; i < lengths.length;) {
    const symbol = reader.decode(lengthCode)
    if (symbol < 16) {
      lengths[i++] = symbol
      continue
    }
    let value = 0
    let repeat: number
    if (symbol === 16) {
      if (i === 0) throw new Invalid('invalid bit length repeat')
      value = lengths[i - 1] as number
      repeat = 3 + reader.bits(2)
    } else {
      repeat = symbol === 17 ? 3 + reader.bits(3) : 11 + reader.bits(7)
    }
    if (i + repeat > lengths.length) throw new Invalid('invalid bit length repeat')
    while (repeat-- > 0) lengths[i++] = value
  }
  if (lengths[256] === 0) throw new Invalid('missing end-of-block code')
  return { lengths: huffman(lengths.subarray(0, literals)), distances: huffman(lengths.subarray(literals)) }
}

function huffmanBlock (reader: Reader, out: Output, codes: { lengths: Huffman, distances: Huffman }): void {
  for (;;) {
    const symbol = reader.decode(codes.lengths)
    if (symbol < 256) {
      out.push(symbol)
    } else if (symbol === 256) {
      return
    } else {
      const index = symbol - 257
      if (index >= 29) throw new Invalid('invalid literal/length code')
      const length = (LENGTH_BASE[index] as number) + reader.bits(LENGTH_EXTRA[index] as number)
      const code = reader.decode(codes.distances)
      if (code >= 30) throw new Invalid('invalid distance code')
      out.copy((DIST_BASE[code] as number) + reader.bits(DIST_EXTRA[code] as number), length)
    }
  }
}

/** The bytes a raw DEFLATE stream holds; undefined when it is not a valid stream or holds more than `limit` bytes. */
export function inflateRaw (input: Uint8Array, limit: number): Uint8Array | undefined {
  const reader = new Reader(input)
  const out = new Output(limit)
  try {
    let last = 0
    while (last === 0) {
      last = reader.bits(1)
      const type = reader.bits(2)
      if (type === 0) storedBlock(reader, out)
      else if (type === 1) huffmanBlock(reader, out, fixed ??= { lengths: huffman(FIXED_LENGTHS), distances: huffman(new Uint8Array(32).fill(5)) })
      else if (type === 2) huffmanBlock(reader, out, dynamicCodes(reader))
      else throw new Invalid('invalid block type')
    }
  } catch (err) {
    if (err instanceof Invalid) return undefined
    throw err
  }
  return out.bytes.slice(0, out.length)
}

/** Writes bits least significant first; Huffman codes are reversed into that order. */
class Writer {
  private bytes = new Uint8Array(256)
  private length = 0
  private bitBuffer = 0
  private bitCount = 0

  bits (value: number, count: number): void {
    this.bitBuffer |= value << this.bitCount
    this.bitCount += count
    while (this.bitCount >= 8) {
      if (this.length === this.bytes.length) {
        const grown = new Uint8Array(this.bytes.length * 2)
        grown.set(this.bytes)
        this.bytes = grown
      }
      this.bytes[this.length++] = this.bitBuffer & 0xff
      this.bitBuffer >>>= 8
      this.bitCount -= 8
    }
  }

  /** A Huffman code of `count` bits, most significant bit first. */
  code (code: number, count: number): void {
    let reversed = 0
    for (let i = 0; i < count; i++) reversed |= ((code >> i) & 1) << (count - 1 - i)
    this.bits(reversed, count)
  }

  finish (): Uint8Array {
    if (this.bitCount > 0) this.bits(0, 8 - this.bitCount)
    return this.bytes.slice(0, this.length)
  }
}

/** The fixed code of a literal/length symbol (§3.2.6). */
function fixedLiteral (writer: Writer, symbol: number): void {
  if (symbol < 144) writer.code(0x30 + symbol, 8)
  else if (symbol < 256) writer.code(0x190 + symbol - 144, 9)
  else if (symbol < 280) writer.code(symbol - 256, 7)
  else writer.code(0xc0 + symbol - 280, 8)
}

/** Index of the largest base in `bases` not above `value`. */
function baseIndex (bases: readonly number[], value: number): number {
  let index = bases.length - 1
  while ((bases[index] as number) > value) index--
  return index
}

const WINDOW = 32768
const MIN_MATCH = 3
const MAX_MATCH = 258
/** How many earlier positions with the same 3-byte hash are tried for a match. */
const CHAIN = 32

/** `input` as one final fixed-code DEFLATE block, with greedy LZ77 matching over a 32 KiB window. */
export function deflateRaw (input: Uint8Array): Uint8Array {
  const writer = new Writer()
  writer.bits(1, 1) // BFINAL
  writer.bits(1, 2) // BTYPE 01: fixed codes
  const head = new Int32Array(1 << 15).fill(-1)
  const previous = new Int32Array(input.length)
  const hash = (at: number): number => (((input[at] as number) << 10) ^ ((input[at + 1] as number) << 5) ^ (input[at + 2] as number)) & 0x7fff
  let at = 0
  while (at < input.length) {
    let bestLength = 0
    let bestDistance = 0
    if (at + MIN_MATCH <= input.length) {
      const h = hash(at)
      let candidate = head[h] as number
      for (let tries = 0; candidate >= 0 && at - candidate <= WINDOW && tries < CHAIN; tries++) {
        let length = 0
        const most = Math.min(MAX_MATCH, input.length - at)
        while (length < most && input[candidate + length] === input[at + length]) length++
        if (length > bestLength) {
          bestLength = length
          bestDistance = at - candidate
          if (length === most) break
        }
        candidate = previous[candidate] as number
      }
      previous[at] = head[h] as number
      head[h] = at
    }
    if (bestLength >= MIN_MATCH) {
      const lengthIndex = baseIndex(LENGTH_BASE, bestLength)
      fixedLiteral(writer, 257 + lengthIndex)
      writer.bits(bestLength - (LENGTH_BASE[lengthIndex] as number), LENGTH_EXTRA[lengthIndex] as number)
      const distIndex = baseIndex(DIST_BASE, bestDistance)
      writer.code(distIndex, 5)
      writer.bits(bestDistance - (DIST_BASE[distIndex] as number), DIST_EXTRA[distIndex] as number)
      // The positions inside the match go into the hash chains too, so later text can refer to them.
      for (let i = 1; i < bestLength && at + i + MIN_MATCH <= input.length; i++) {
        const h = hash(at + i)
        previous[at + i] = head[h] as number
        head[h] = at + i
      }
      at += bestLength
    } else {
      fixedLiteral(writer, input[at] as number)
      at++
    }
  }
  fixedLiteral(writer, 256)
  return writer.finish()
}
