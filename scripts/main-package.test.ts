// The main package as `npm pack` makes it (prepack bundles the mock and the suite): a sane file
// list, bins that run from the unpacked tarball (the mock serves its world, specs and docs; the
// suite passes against it), and every package the bundles import declared in `dependencies`.
// The dependencies are linked from this checkout rather than installed: a real install compiles
// better-sqlite3 (minutes); `npm run try:main-package` does that one end to end.
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMock } from '../conformance/testing/mock-process.ts'
import type { RunningMock } from '../conformance/testing/mock-process.ts'

const root = fileURLToPath(new URL('../', import.meta.url))
const exec = promisify(execFile)
const LEFT_OUT = ['node_modules', '.git', 'dist', 'data', 'reports', 'coverage']

interface Packed {
  filename: string
  size: number
  files: { path: string }[]
}

/** The bare package names a bundle imports (statically or dynamically, or resolves). */
function importedPackages(bundle: string): string[] {
  const specifiers = [
    ...bundle.matchAll(/^import\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"/gm),
    ...bundle.matchAll(/\bimport\("([^"]+)"\)|\.resolve\("([^"]+)"\)/g),
  ].map((match) => match[1] ?? match[2] ?? '')
  return [
    ...new Set(
      specifiers
        .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s))
        .map((s) =>
          s
            .split('/')
            .slice(0, s.startsWith('@') ? 2 : 1)
            .join('/')
        )
    ),
  ].sort()
}

describe('the main package tarball', () => {
  let work = ''
  let packed: Packed = { filename: '', size: 0, files: [] }
  let unpacked = ''
  let mock: RunningMock | undefined

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'main-package-'))
    // Packed from a copy of the working tree, so prepack's bundles never race this checkout's dist/.
    const stage = join(work, 'stage')
    cpSync(root, stage, {
      recursive: true,
      filter: (source) => !LEFT_OUT.includes(relative(root, source).split('/')[0] ?? ''),
    })
    symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir')
    const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: stage,
    })
    packed = (JSON.parse(stdout) as Packed[])[0] ?? packed
    await exec('tar', ['xzf', join(work, packed.filename), '-C', work])
    unpacked = join(work, 'package')
    symlinkSync(join(root, 'node_modules'), join(unpacked, 'node_modules'), 'dir')
    mock = await startMock([], [join(unpacked, 'src/bin.js')])
  }, 120_000)

  afterAll(async () => {
    await mock?.stop()
    rmSync(work, { recursive: true, force: true })
  })

  it('holds the bundles, bins and run-time data, and no sources, tests or dev-only files', () => {
    const files = packed.files.map((file) => file.path).sort()
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/main.mjs',
        'dist/conformance.mjs',
        'src/bin.js',
        'conformance/bin.js',
        'src/db/migrations/0001_init.sql',
        'openapi/openapi.yaml',
        'openapi/mock-control.yaml',
        // The contract as JSON, read on the first Prefer request or /openapi.json.
        'src/generated/openapi.json',
        'src/generated/mock-control.json',
        'fixtures/worlds/default.json',
        'fixtures/documented-pairs.json',
        'fixtures/images/avatar.png',
        'package.json',
        'README.md',
      ])
    )
    expect(
      files.filter((file) => /\.(ts|tsx)$|\.test\.|^(bench|scripts|packages)\//.test(file))
    ).toEqual([])
    expect(files.filter((file) => file.startsWith('fixtures/source-documents/'))).toEqual([])
  })

  it('declares every package the bundles import as a dependency', () => {
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    const imported = ['dist/main.mjs', 'dist/conformance.mjs'].flatMap((file) =>
      importedPackages(readFileSync(join(unpacked, file), 'utf8'))
    )
    expect(imported).toContain('better-sqlite3')
    expect(imported).toContain('swagger-ui-dist')
    expect(imported.filter((name) => !(name in manifest.dependencies))).toEqual([])
  })

  it('keeps out of the mock bundle what V8 would parse at every start for nothing', () => {
    const bundle = readFileSync(join(unpacked, 'dist/main.mjs'), 'utf8')
    // esbuild names each bundled module in a comment: zod's English stays, its translations do not.
    expect(bundle).toMatch(/\/\/ \S*node_modules\/zod\/v4\/locales\/en\.js\n/)
    expect(bundle).not.toMatch(/\/\/ \S*node_modules\/zod\/v4\/locales\/(?!en\.js)/)
    expect(bundle).not.toMatch(/\/\/ \S*node_modules\/(json-schema-faker|ws|yaml)\//)
    // One character beyond Latin-1 would make V8 hold the whole source at two bytes a character.
    expect(bundle.match(/[\u0100-\u{10ffff}]/gu) ?? []).toEqual([])
  })

  it('runs the mock from its bin: the world, the specs and the docs page with its assets', async () => {
    const url = mock?.url ?? ''
    const info = await fetch(`${url}/api/messenger`, {
      headers: { Authorization: 'Bearer john', Accept: 'application/json' },
    })
    expect(info.status).toBe(200)
    expect((await fetch(`${url}/openapi.yaml`)).status).toBe(200)
    const forced = await fetch(`${url}/api/messenger`, {
      headers: { Authorization: 'Bearer john', Accept: 'application/json', Prefer: 'code=401' },
    })
    expect([forced.status, await forced.json()]).toEqual([401, { message: 'Unauthenticated.' }])
    const docs = await fetch(`${url}/docs`)
    expect(await docs.text()).toContain('/docs/assets/swagger-ui-bundle.js')
    expect((await fetch(`${url}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200)
    // The page's own script (the sandbox box) is inside the bundle, not a file beside it.
    expect(await (await fetch(`${url}/docs/page.js`)).text()).toContain('X-Mock-Sandbox')
  })

  it('runs the conformance suite from its bin against that mock (an avatar upload included)', async () => {
    const { stdout } = await exec(
      process.execPath,
      [
        join(unpacked, 'conformance/bin.js'),
        '--base-url',
        mock?.url ?? '',
        '--reporter',
        'console',
        '--only',
        'account: info, settings and avatar',
      ],
      { cwd: work }
    )
    expect(stdout).toMatch(/\n[1-9]\d* passed, 0 failed, 0 skipped\n?$/)
  })
})
