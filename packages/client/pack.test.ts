// The published client as a frontend project gets it: `npm run pack:client` writes the tarball, an
// empty project installs it offline, and the README's example is type-checked under strict NodeNext
// and bundler resolution, run in Node against a real mock, and bundled for the browser.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMock } from '../../conformance/testing/mock-process.ts'
import type { RunningMock } from '../../conformance/testing/mock-process.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const tsc = join(root, 'node_modules/typescript/bin/tsc')
const README_URL = 'http://127.0.0.1:8000'
const README_SANDBOX = "'my-feature'"

interface Run {
  code: number
  stdout: string
  stderr: string
}

async function run(file: string, args: string[], cwd: string): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' }
  }
}

/** The README's "The typed client" example, verbatim. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## The typed client'))
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1]
  if (block === undefined) {
    throw new Error('README: no ```ts block under "The typed client"')
  }
  return block
}

/**
 * The consumer's lockfile pins openapi-fetch (and its helper types) to the entries of this
 * repository's lockfile, so an offline install finds them in the npm cache the root `npm ci` filled.
 */
function consumerLock(dependencies: Record<string, string>, tarball: string) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; dependencies?: Record<string, string> }>
  }
  const packages: Record<string, object> = {
    '': { name: 'consumer', dependencies: { '@messenger-contract/client': `file:${tarball}` } },
    'node_modules/@messenger-contract/client': {
      version: '0.1.0',
      resolved: `file:${tarball}`,
      dependencies,
    },
  }
  const pending = Object.keys(dependencies)
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const entry = lock.packages[`node_modules/${name}`]
    if (!entry) {
      throw new Error(`${name} is not in package-lock.json; add it to the root project first`)
    }
    const { dev: _dev, ...pinned } = entry
    packages[`node_modules/${name}`] = pinned
    pending.push(...Object.keys(entry.dependencies ?? {}))
  }
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages }
}

/** The example aimed at the test's mock and a sandbox of its own (a fresh world per run). */
function aimed(example: string, url: string, sandbox: string): string {
  expect(example).toContain(README_URL)
  expect(example).toContain(README_SANDBOX)
  return example.replace(README_URL, url.replace(/\/$/, '')).replace(README_SANDBOX, `'${sandbox}'`)
}

const EXAMPLE_OUTPUT = /^started call [0-9a-f-]{36}\nrejected: The image must be an image\.\n$/

const strict = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: false,
  target: 'ES2022',
}

describe('@messenger-contract/client from its tarball', () => {
  let project = ''
  let tarball = ''
  let packOutput = ''
  let install: Run = { code: -1, stdout: '', stderr: '' }
  let mock: RunningMock | undefined

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'client-consumer-'))
    const packing = run('npm', ['run', '--silent', 'pack:client', '--', '--out-dir', project], root)
    mock = await startMock()
    const packed = await packing
    packOutput = packed.stdout + packed.stderr
    tarball = packed.stdout.trim().split('\n').at(-1) ?? ''
    const manifest = JSON.parse(
      readFileSync(join(root, 'packages/client/package.json'), 'utf8')
    ) as { dependencies: Record<string, string> }
    const name = tarball.slice(project.length + 1)
    writeFileSync(
      join(project, 'package-lock.json'),
      JSON.stringify(consumerLock(manifest.dependencies, name))
    )
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        type: 'module',
        dependencies: { '@messenger-contract/client': `file:${name}` },
      })
    )
    install = await run(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'],
      project
    )
    writeFileSync(join(project, 'example.ts'), readmeExample())
    writeFileSync(join(project, 'node-run.ts'), aimed(readmeExample(), mock.url, 'node-run'))
    writeFileSync(join(project, 'browser.ts'), aimed(readmeExample(), mock.url, 'browser'))
  }, 120_000)

  afterAll(async () => {
    await mock?.stop()
    rmSync(project, { recursive: true, force: true })
  })

  it('is packed by `npm run pack:client`, whose last line is the tarball path', () => {
    expect(tarball, packOutput).toMatch(/messenger-contract-client-\d+\.\d+\.\d+\.tgz$/)
    expect(statSync(tarball).isFile()).toBe(true)
  })

  it('installs offline into an empty project, pulling openapi-fetch and nothing native', () => {
    expect(install.code, install.stderr).toBe(0)
    const modules = join(project, 'node_modules')
    const installed = readdirSync(modules)
      .filter((name) => !name.startsWith('.'))
      .flatMap((name) =>
        name.startsWith('@') ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`) : [name]
      )
      .sort()
    expect(installed).toEqual([
      '@messenger-contract/client',
      'openapi-fetch',
      'openapi-typescript-helpers',
    ])
    const shipped = readdirSync(join(modules, '@messenger-contract/client'), { recursive: true })
    expect(
      shipped.filter((file) => String(file).endsWith('.ts') && !String(file).endsWith('.d.ts'))
    ).toEqual([])
  })

  it('type-checks the README example under strict NodeNext, declarations included', async () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          ...strict,
          // The package's own .d.ts files are checked too (the libraries' globals are not).
          skipLibCheck: false,
          skipDefaultLibCheck: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM'],
          types: [],
          outDir: 'out',
        },
        // node-run.ts: the same example aimed at the test's mock, compiled for the next test.
        files: ['example.ts', 'node-run.ts'],
      })
    )
    const checked = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], project)
    expect(checked.code, checked.stdout).toBe(0)
  })

  it('runs the compiled example in Node against the mock', async () => {
    const ran = await run(process.execPath, ['out/node-run.js'], project)
    expect(ran.code, ran.stderr).toBe(0)
    expect(ran.stdout).toMatch(EXAMPLE_OUTPUT)
  })

  it('type-checks it under moduleResolution bundler (DOM types), and reports wrong calls', async () => {
    // One compiler run for both: the example must check clean, and wrong.ts (a string for a
    // file, a 422 field read on a 403) must fail exactly where it is wrong.
    writeFileSync(
      join(project, 'wrong.ts'),
      [
        "import { createMessengerClient } from '@messenger-contract/client'",
        "const api = createMessengerClient({ baseUrl: 'http://localhost' })",
        "const upload = await api.POST('/api/messenger/avatar', { body: { image: 'me.png' } })",
        'if (upload.status === 403) {',
        '  console.log(upload.error.errors)',
        '}',
      ].join('\n')
    )
    writeFileSync(
      join(project, 'tsconfig.bundler.json'),
      JSON.stringify({
        compilerOptions: {
          ...strict,
          module: 'ESNext',
          moduleResolution: 'bundler',
          skipLibCheck: true,
          lib: ['ES2022', 'DOM'],
          types: [],
          noEmit: true,
        },
        files: ['example.ts', 'wrong.ts'],
      })
    )
    const checked = await run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], project)
    const errors = checked.stdout.split('\n').filter((line) => /^\S+\(\d+,\d+\): error/.test(line))
    expect(errors, checked.stdout).toHaveLength(2)
    // (openapi-fetch's Writable<> spells the Blob out member by member.)
    expect(errors[0]).toMatch(
      /^wrong\.ts\(3,\d+\): error TS2322: Type 'string' is not assignable to type '\{ readonly size: number; readonly type: string;/
    )
    expect(errors[1]).toMatch(/^wrong\.ts\(5,\d+\): error TS2339: Property 'errors' does not exist/)
  })

  it('bundles for the browser (nothing from Node), and the bundle runs', async () => {
    const bundled = await build({
      absWorkingDir: project,
      entryPoints: ['browser.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    })
    const code = bundled.outputFiles[0]?.text ?? ''
    expect(code).toContain('X-Mock-Sandbox')
    expect(code).not.toMatch(/from\s*["']node:|require\(/)
    writeFileSync(join(project, 'bundle.mjs'), code)
    const ran = await run(process.execPath, ['bundle.mjs'], project)
    expect(ran.code, ran.stderr).toBe(0)
    expect(ran.stdout).toMatch(EXAMPLE_OUTPUT)
  })

  it('is free of side effects: an unused import bundles to nothing', async () => {
    const bundled = await build({
      absWorkingDir: project,
      stdin: {
        contents: "import { createMessengerClient } from '@messenger-contract/client'\n",
        resolveDir: project,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    })
    expect(bundled.outputFiles[0]?.text.trim()).toBe('')
  })

  it('ships the contract as @messenger-contract/client/openapi.yaml', async () => {
    const resolved = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "console.log(import.meta.resolve('@messenger-contract/client/openapi.yaml'))",
      ],
      project
    )
    expect(resolved.code, resolved.stderr).toBe(0)
    const file = fileURLToPath(resolved.stdout.trim())
    expect(readFileSync(file, 'utf8')).toBe(
      readFileSync(join(root, 'openapi/openapi.yaml'), 'utf8')
    )
  })
})
