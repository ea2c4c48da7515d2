// @ts-check
// `npm run build`: the mock as one ES module, dist/main.mjs, so it starts without compiling
// TypeScript. V8 parses the whole bundle at every start (the largest single cost of start-up), so
// what a run may never use stays out of it: the packages below are loaded from node_modules, most of
// them on first use, and zod's translations of its messages (40 languages, a third of the bundle; the
// mock answers in English) are left out. Plain JavaScript, so the build needs no TypeScript loader.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'

const EXTERNAL = [
  'better-sqlite3', // a native addon
  'sharp', // images, on the first avatar upload
  'yaml', // a spec edited since `npm run generate`, on first use
  'swagger-ui-dist', // the /docs assets, read as files
  'ws', // the first socket
  'json-schema-faker', // the first Prefer: dynamic=true
]

/**
 * zod's `locales` namespace with English only (which zod itself sets as the default). Nothing here
 * calls `z.config(z.locales.xx())`.
 * @type {import('esbuild').Plugin}
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(bundle) {
    bundle.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), '../locales/en.js'), namespace: 'zod-locales' }
        : undefined
    )
    bundle.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)}`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }))
  },
}

const result = await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  plugins: [zodEnglishOnly],
  write: false,
  outfile: 'dist/main.mjs',
  logLevel: 'warning',
})

// esbuild escapes what is beyond ASCII in code but keeps comments as they are; one character beyond
// Latin-1 ("→" in a comment) makes V8 hold the whole source as two bytes a character: twice the
// memory and a slower parse. In a comment line, an escape reads the same.
const COMMENT_LINE = /^\s*(?:\/\/|\/\*|\*).*$/gm
for (const file of result.outputFiles) {
  const text = file.text.replace(COMMENT_LINE, (line) =>
    line.replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  )
  mkdirSync(dirname(file.path), { recursive: true })
  writeFileSync(file.path, text)
}
