// Text echoed from the input (cookie names, session data, arguments) may carry control
// characters that would rewrite a terminal or a log line. C0 and C1 controls, DEL, U+2028/2029
// and the bidirectional overrides (U+202A-202E, U+2066-2069) are shown as \uXXXX escapes.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
// The same minus line feed, for JSON text: JSON.stringify already escapes C0 inside strings, and
// its own line feeds are indentation.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const escape = (char: string): string => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0')

export function safeText (text: string): string {
  return text.replace(UNSAFE, escape)
}

/** JSON.stringify whose output holds no raw control characters (still valid JSON). */
export function safeJson (value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, escape)
}
