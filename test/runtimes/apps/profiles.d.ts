// Types of profiles.js, for the suite's TypeScript (the apps themselves are plain JavaScript so
// that every runtime, Node 20 included, runs them as they are).
export declare const KEYS: Readonly<{ first: string, second: string, sealed: string }>
export declare const PROFILES: Readonly<Record<'signed' | 'rotation' | 'encrypted' | 'compressed' | 'chunked', Record<string, unknown>>>
export type Profile = keyof typeof PROFILES
export declare const ACTIONS: readonly string[]
export declare function act<S extends Record<string, unknown>> (action: string, session: S, params: URLSearchParams): S | null
export declare function filler (length: number, kind: 'random' | 'repeat'): string
