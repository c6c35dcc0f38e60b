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

/**
 * The platform enters at one door (src/platform/types.ts): code that runs on every runtime imports
 * no Node module, no Node-only package and no platform's own implementation.
 */
const portableRules = [
  ['^node:', 'Portable code must not import node: modules: take what you need from the platform (src/platform/types.ts).'],
  ['^(cookies|keygrip|on-headers)$', 'Portable code must not import Node-only packages: the Node platform (src/platform/node.ts) uses them.'],
  [`${into('platform')}node`, 'Portable code must not import a platform\'s implementation: it is handed the platform (settings.platform).'],
  ['^\\./node', 'Portable code must not import a platform\'s implementation: it is handed the platform (settings.platform).']
]

/** Node's globals, which Workers and the edge runtimes do not have. */
const portableGlobals = {
  name: 'layers/portable-globals',
  files: ['src/core/**/*.ts', 'src/wire/**/*.ts', 'src/options/**/*.ts', 'src/store/**/*.ts', 'src/platform/types.ts', 'src/platform/maybe.ts', 'src/platform/web*.ts', 'src/report.ts', 'src/errors.ts', 'src/adapters/shared.ts', 'src/adapters/shared/cache-headers.ts'],
  rules: {
    'no-restricted-globals': ['error',
      ...['Buffer', 'process', 'setImmediate', 'require', '__dirname', '__filename', 'global'].map((name) => ({
        name, message: `Portable code must not use Node's ${name}: take what you need from the platform (src/platform/types.ts).`
      }))]
  }
}

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
  ...['node', 'koa', 'fetch', 'fastify', 'next'].map((adapter) => restrict(`adapters/${adapter}`, [`src/adapters/${adapter}.ts`, `src/adapters/${adapter}-*.ts`], [
    [`^\\./(?!shared(?:/|\\.js$|$))(?!${adapter}-[\\w-]+\\.js$)`, 'An adapter must not import another adapter; move what they share to src/adapters/shared.'],
    [`${into('adapters')}(?!shared(?:/|\\.js$|$))`, 'An adapter must not import another adapter; move what they share to src/adapters/shared.']
  ])),
  restrict('adapters/shared', ['src/adapters/shared.ts'], [
    ['^\\./(?!shared(?:/|\\.js$|$))', 'src/adapters/shared must not import an adapter: the adapters depend on it.']
  ]),
  // Inside src/adapters/shared/, `./` is a sibling in the shared layer and `../` is where the adapters are.
  restrict('adapters/shared/', ['src/adapters/shared/**/*.ts'], [
    ['^\\.\\./(?!shared(?:/|\\.js$|$))(?!\\.\\./)', 'src/adapters/shared must not import an adapter: the adapters depend on it.']
  ]),
  // The caching-header rules are the Fetch adapter's too, which runs on every runtime.
  restrict('adapters/shared/portable', ['src/adapters/shared/cache-headers.ts'], [
    ['^\\.\\./(?!shared(?:/|\\.js$|$))(?!\\.\\./)', 'src/adapters/shared must not import an adapter: the adapters depend on it.'],
    ...portableRules
  ]),
  restrict('core', ['src/core/**/*.{ts,mts,cts}'], [adapterRule, ...portableRules]),
  restrict('wire', ['src/wire/**/*.{ts,mts,cts}'], [
    adapterRule,
    [into('core'), 'src/wire must not import src/core: the chunk, seal and signature formats are pure and know no session.'],
    ...portableRules
  ]),
  restrict('portable', ['src/options/**/*.ts', 'src/platform/types.ts', 'src/platform/maybe.ts', 'src/platform/web*.ts', 'src/report.ts', 'src/errors.ts'], portableRules),
  // The store drivers run on Cloudflare Workers too, and know nothing of the layers above them.
  restrict('store', ['src/store/**/*.{ts,mts,cts}'], [
    ...portableRules,
    [`${into('(?:core|adapters|options|wire|cli)')}`, 'src/store imports only ../errors.js and its own files: the core calls the drivers, not the other way round.']
  ]),
  portableGlobals,
  {
    // The formats, the core and the options take their crypto from the platform; only platform/web*.ts use the global one.
    name: 'layers/no-global-crypto',
    files: ['src/core/**/*.ts', 'src/wire/**/*.ts', 'src/options/**/*.ts', 'src/store/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error',
        ...['Buffer', 'process', 'setImmediate', 'require', '__dirname', '__filename', 'global'].map((name) => ({
          name, message: `Portable code must not use Node's ${name}: take what you need from the platform (src/platform/types.ts).`
        })),
        { name: 'crypto', message: 'Portable code must not use the global crypto: take it from the platform (settings.platform), or as a parameter.' }]
    }
  }
]
