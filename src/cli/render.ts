// The human-readable form of an inspect report: sections with "label: value" lines. Everything
// taken from the input goes through safeText/safeJson.
import { duration, relative } from './duration.js'
import { safeJson, safeText } from './escape.js'
import type { Compression, Expiry, Report, Size } from './inspect.js'
import type { Chunks } from './cookie-sizes.js'

const keyName = (index: number): string => `key #${index} (${index === 0 ? 'current' : 'older'})`

function authenticity (report: Report, keysEnv: string): string {
  const { name, keyCount } = report
  const keys = keyCount === 1 ? 'the key (1 given)' : `any of the ${keyCount} keys`
  switch (report.status) {
    case 'unverified': return `NOT VERIFIED: no keys given (set ${keysEnv} to verify)`
    case 'missing-signature': return `NOT VERIFIED: no ${name}.sig cookie in the input; the middleware would reject the session`
    case 'bad-signature': return `NOT VERIFIED: signature does not match ${keys}${report.chunks === null ? '' : ' (or a chunk was altered, reordered or left from another write)'}; the middleware would start a new session`
    case 'not-decrypted': return keyCount === 0 && report.format === 'encrypted'
      ? `NOT DECRYPTED: no keys given (set ${keysEnv} or use --encryption-keys-env)`
      : 'NOT DECRYPTED: no key opens it (tampered, truncated, or sealed with another key or cookie name)'
    case 'bad-chunks': return 'NOT CHECKED: the chunks do not add up'
    case 'not-inflated': if (!report.verified) return `NOT VERIFIED: no keys given (set ${keysEnv} to verify)`
  }
  const verb = report.format === 'encrypted' ? 'decrypted' : 'verified'
  const index = report.keyIndex as number
  if (report.reissueReason === 'older-key') return `${verb} with ${keyName(index)}: would be re-issued with keys[0]`
  if (report.reissueReason === 'encrypt') return `${verb} with ${keyName(index)}: would be re-issued encrypted`
  return `${verb} with ${keyName(index)}`
}

function stampLines (expiry: Expiry, now: number): string[] {
  if (expiry.created === null || expiry.written === null) {
    const verdict = expiry.expired === true ? ': the middleware with these timeouts would end the session' : ''
    return [`stamps: none (written without absoluteTimeout, idleTimeout or renew)${verdict}`]
  }
  const lines = [
    `created: ${expiry.created} (${relative(Date.parse(expiry.created), now)})`,
    `written: ${expiry.written} (${relative(Date.parse(expiry.written), now)})`
  ]
  const limit = (label: string, timeout: number | null, at: string | null, option: string) => {
    if (timeout === null || at === null) return `${label}: not checked (give --${option} MS)`
    const when = Date.parse(at)
    return `${label} (${duration(timeout)}): ${when < now ? 'EXPIRED' : 'expires'} ${at} (${when < now ? 'expired ' : ''}${relative(when, now)})`
  }
  lines.push(limit('absolute timeout', expiry.absoluteTimeout, expiry.absoluteExpiresAt, 'absolute-timeout'))
  lines.push(limit('idle timeout', expiry.idleTimeout, expiry.idleExpiresAt, 'idle-timeout'))
  return lines
}

/** What is wrong with chunks that do not add up, for people. */
export function chunkProblem ({ chunks, size }: Pick<Report, 'chunks' | 'size'>): string {
  const { count, missing, extra, problem } = chunks as Chunks
  const names = (list: readonly string[]): string => list.map(safeText).join(', ')
  switch (problem) {
    case 'bad-header': return 'the first cookie\'s ~N~ count is malformed'
    case 'missing': return `${names(missing)} missing: ~${count}~ announces ${count} cookies`
    case 'extra': return `${names(extra)} past the ${count} cookies ~${count}~ announces`
    default: return `together longer than maxTotalSize ${size?.maxTotalSize ?? 'Infinity'}`
  }
}

function chunkLine (report: Report, chunks: Chunks): string {
  if (chunks.problem !== null) return `chunks: DO NOT ADD UP: ${chunkProblem(report)}; the middleware would start a new session`
  const names = chunks.cookies.map((cookie) => safeText(cookie.name)).join(', ')
  const proof = report.format === 'encrypted' ? 'the seal' : 'the signature'
  return `chunks: ${chunks.count} (${names}), read as one value: ${proof} covers them joined`
}

function compressionLines (compression: Compression): string[] {
  const { bytes, inflatedBytes, inflateLimit } = compression
  if (inflatedBytes === null) {
    return [`NOT INFLATED: ${bytes} bytes that are not raw DEFLATE in base64url, or inflate past ${inflateLimit} bytes; the middleware would start a new session`]
  }
  return [`raw DEFLATE in base64url: ${bytes} bytes, inflated to ${inflatedBytes} bytes of JSON (the middleware stops at ${inflateLimit})`]
}

function limitText (label: string, limit: number | null, bytes: number, fits: boolean): string {
  if (limit === null) return `no ${label}`
  return `${label} ${limit}: ${fits ? `fits, ${limit - bytes} to spare` : 'TOO LARGE, the middleware would not send it'}`
}

function sizeLines ({ bytes, maxSize, fits, counted, maxTotalSize, fitsTotal }: Size, chunks: Chunks | null, name: string): string[] {
  if (chunks === null) {
    const what = counted === 'set-cookie' ? 'the Set-Cookie line' : `${name}=value only (give the Set-Cookie line to count its attributes)`
    return [`${bytes} bytes, ${what}`, limitText('maxSize', maxSize, bytes, fits)]
  }
  const lines = chunks.cookies.map((cookie) => chunks.extra.includes(cookie.name)
    ? `${safeText(cookie.name)}: ${cookie.bytes} bytes, EXTRA (not counted)`
    : `${safeText(cookie.name)}: ${cookie.bytes} bytes, ${limitText('maxSize', maxSize, cookie.bytes, cookie.fits)}`)
  const what = counted === 'set-cookie' ? 'the Set-Cookie lines' : 'name=value only (give the Set-Cookie lines to count their attributes)'
  const cookies = chunks.cookies.length - chunks.extra.length
  lines.push(`total: ${bytes} bytes in ${cookies} cookie${cookies === 1 ? '' : 's'}, ${what}`)
  lines.push(limitText('maxTotalSize', maxTotalSize, bytes, fitsTotal === true))
  return lines
}

function section (title: string, lines: readonly string[]): string {
  return title + '\n' + lines.map((line) => '  ' + line).join('\n') + '\n'
}

export function render (report: Report, keysEnv: string, now: number): string {
  const name = safeText(report.name)
  if (report.status === 'not-found') {
    const names = report.cookieNames.map((cookie) => safeText(cookie)).join(', ')
    return section(`Cookie ${name}`, [`NOT FOUND: no non-empty cookie named ${name} in the input`,
      `cookies given: ${names === '' ? 'none' : names}`]) + notes(report)
  }
  const compressed = report.compression?.compressed === true
  const format = report.status === 'bad-chunks'
    ? `${report.format ?? 'signed'} (not read: its chunks do not add up)`
    : report.format === 'encrypted'
      ? `encrypted (${report.sealed ?? 'e2'}: AES-256-GCM, no .sig cookie)${compressed ? ', compressed inside' : ''}`
      : compressed ? `signed, compressed (raw DEFLATE in base64url, signature in ${name}.sig)` : `signed (base64 JSON, signature in ${name}.sig)`
  const check = report.format === 'encrypted' ? 'encryption' : 'signature'
  const lines = [`format: ${format}`]
  if (report.chunks !== null) lines.push(chunkLine(report, report.chunks))
  lines.push(`${check}: ${authenticity(report, keysEnv)}`, `re-issue: ${report.reissue ? 'yes' : 'no'}`)
  const out = [section(`Cookie ${name}`, lines)]
  if (compressed) out.push(section('Compression', compressionLines(report.compression as Compression)))
  if (report.status === 'not-a-session') {
    out.push(section('Session data', ['NOT A SESSION: the value is not base64 of a JSON object (or is refused, e.g. a __proto__ key)']))
  } else if (report.data !== null) {
    const title = report.verified ? 'Session data' : 'Session data (NOT VERIFIED: anyone could have written it)'
    out.push(section(title, safeJson(report.data, 2).split('\n')))
  }
  if (report.expiry !== null) out.push(section('Expiry', stampLines(report.expiry, now)))
  if (report.size !== null) out.push(section('Size', sizeLines(report.size, report.chunks, name)))
  return out.join('\n') + notes(report)
}

function notes (report: Report): string {
  return report.warnings.length === 0 ? '' : '\n' + section('Notes', report.warnings.map(safeText))
}
