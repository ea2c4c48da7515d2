// End to end, as a team adds the mock to its own project: packs this package, installs the
// tarball as a devDependency of a new project (a real install: better-sqlite3 compiles, which takes
// minutes), then runs `npx messenger-mock` and `npx messenger-conformance` against it. Prints the
// figures: tarball size and files, install time, node_modules size and package count.
// `npm run try:main-package [-- --offline]` (offline: only the npm cache).
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const offline = process.argv.includes('--offline')
const work = mkdtempSync(join(tmpdir(), 'try-main-package-'))
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })

const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root)) as {
  filename: string
  size: number
  unpackedSize: number
  entryCount: number
}[]
if (!packed) {
  throw new Error('npm pack wrote no tarball')
}
console.log(
  `tarball: ${packed.filename}, ${(packed.size / 1024).toFixed(1)} kB, ${String(packed.entryCount)} files ` +
    `(${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked)`
)

const project = join(work, 'team-app')
execFileSync('mkdir', [project])
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify({
    name: 'team-app',
    private: true,
    scripts: { mock: 'messenger-mock --port 0 --db :memory:' },
  })
)
const started = Date.now()
const installed = run(
  'npm',
  [
    'install',
    '--save-dev',
    '--no-audit',
    '--no-fund',
    ...(offline ? ['--offline'] : ['--prefer-offline']),
    join(work, packed.filename),
  ],
  project
)
const seconds = (Date.now() - started) / 1000
const size = run('du', ['-sk', 'node_modules'], project).split('\t')[0] ?? '?'
const packages = readdirSync(join(project, 'node_modules'), { recursive: true }).filter((p) =>
  String(p).endsWith('package.json')
).length
console.log(`install: ${seconds.toFixed(1)} s, node_modules ${(Number(size) / 1024).toFixed(1)} MB`)
console.log(`npm: ${installed.trim().split('\n').at(-1) ?? ''}`)
console.log(`package.json files under node_modules: ${String(packages)}`)

// `npm run mock` is the one script line a team adds.
const mock = spawn('npm', ['run', '--silent', 'mock'], { cwd: project, detached: true })
const url = await new Promise<string>((resolve, reject) => {
  let output = ''
  const onData = (chunk: Buffer) => {
    output += chunk.toString()
    const found = /listening on (http:\/\/\S+)/.exec(output)?.[1]
    if (found) {
      resolve(found)
    }
  }
  mock.stdout.on('data', onData)
  mock.stderr.on('data', onData)
  mock.once('exit', (code) => {
    reject(new Error(`npm run mock exited with ${String(code)}:\n${output}`))
  })
})
console.log(`npx messenger-mock: listening on ${url}`)
let code = 0
try {
  const summary = run(
    'npx',
    ['--no-install', 'messenger-conformance', '--base-url', url, '--reporter', 'console'],
    project
  )
  console.log(`npx messenger-conformance: ${summary.trim().split('\n').at(-1) ?? ''}`)
} catch (error) {
  console.error(`npx messenger-conformance failed: ${String(error)}`)
  code = 1
}
if (mock.pid !== undefined) {
  process.kill(-mock.pid, 'SIGTERM')
}
rmSync(work, { recursive: true, force: true })
process.exitCode = code
