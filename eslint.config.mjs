// ESLint flat config: neostandard (the `standard` style, with TypeScript), plus the rule that keeps
// the layers of src/ apart. `npm run lint` runs it; `npm test` runs that first.
import neostandard, { resolveIgnoresFromGitignore } from 'neostandard'

/** An import specifier that climbs out of the current folder (any number of `../`) into `folder`. */
const into = (folder) => `^(?:\\.\\./)+${folder}(?:/|\\.js$|$)`

/** Restricts imports in `files` to those matching none of `rules` ([regex, message] pairs). */
const restrict = (name, files, rules) => ({
  name: `layers/${name}`,
  files,
  rules: {
    'no-restricted-imports': ['error', {
      patterns: rules.map(([regex, message]) => ({ regex, message }))
    }]
  }
})

const adapterRule = [into('adapters'), 'src/core and src/wire must not import src/adapters: the adapters depend on them, not the other way round.']
const wireRules = [
  adapterRule,
  [into('core'), 'src/wire must not import src/core: the codec, signer and cipher are pure and know no session.']
]

/** The files that must run on every runtime; they may import only each other. */
const portable = ['src/wire/iron.ts', 'src/wire/json.ts']
/** Any import but `./<another portable file>.js`. */
const portableImports = `^(?!\\./(?:${portable.map((file) => file.slice('src/wire/'.length, -'.ts'.length)).join('|')})\\.js$)`
const nodeGlobals = ['Buffer', 'process', 'require', 'global', 'setImmediate', '__dirname', '__filename', 'crypto']
const portableMessage = `${portable.join(' and ')} must run on every runtime: no node: module, no package, no Node global; take the platform (e.g. SubtleCrypto) as a parameter, and import only each other.`

export default [
  ...neostandard({
    ts: true,
    noJsx: true,
    files: ['**/*.mts', '**/*.cts'],
    filesTs: ['**/*.mts', '**/*.cts'],
    ignores: resolveIgnoresFromGitignore()
  }),
  {
    // TypeScript itself rejects a real redeclaration; this rule only flags the deliberate pairing of
    // a value and a type of the same name (the error classes in src/index.mts).
    name: 'ts/declaration-merging',
    files: ['**/*.{ts,mts,cts}'],
    rules: { '@typescript-eslint/no-redeclare': 'off' }
  },
  // The layout of src/ (see CONTRIBUTING.md): adapters -> core -> wire, never backwards, and no
  // adapter reaches into another one; what they share lives in src/adapters/shared. An adapter may
  // be split into parts named after it (node.ts and node-store.ts); only it imports them.
  ...['node', 'koa', 'fetch'].map((adapter) => restrict(`adapters/${adapter}`, [`src/adapters/${adapter}.ts`, `src/adapters/${adapter}-*.ts`], [
    [`^\\./(?!shared(?:/|\\.js$|$))(?!${adapter}-[\\w-]+\\.js$)`, 'An adapter must not import another adapter; move what they share to src/adapters/shared.'],
    [`${into('adapters')}(?!shared(?:/|\\.js$|$))`, 'An adapter must not import another adapter; move what they share to src/adapters/shared.']
  ])),
  restrict('adapters/shared', ['src/adapters/shared.ts', 'src/adapters/shared/**/*.ts'], [
    ['^\\./(?!shared(?:/|\\.js$|$))', 'src/adapters/shared must not import an adapter: the adapters depend on it.']
  ]),
  restrict('core', ['src/core/**/*.{ts,mts,cts}'], [adapterRule]),
  restrict('wire', ['src/wire/**/*.{ts,mts,cts}'], wireRules),
  // The portable files run on every runtime (workerd, Vercel Edge, Deno, Bun, Node): what they need
  // from the platform (Web Crypto's SubtleCrypto) comes in as a parameter, so they import no node:
  // module and no package, only each other, and use no Node global, nor the global crypto.
  restrict('wire/portable', portable, [...wireRules, [portableImports, portableMessage]]),
  {
    name: 'layers/wire/portable-globals',
    files: portable,
    rules: {
      'no-restricted-globals': ['error', ...nodeGlobals.map((name) => ({ name, message: portableMessage }))],
      'no-restricted-properties': ['error', { object: 'globalThis', property: 'crypto', message: portableMessage }]
    }
  }
]
