// `npm run bench:profile -- [operation pattern]`: the bundled mock under one benchmark operation
// with V8's CPU profiler on, then the functions and packages that took the most CPU (self time).
// The .cpuprofile stays in data/bench/profiles/ for Chrome DevTools. BENCH_SECONDS (default 5);
// BENCH_MOCK: another bundle to profile (an older build, to compare).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SPARE_THREADS, START_THREADS, loadCell, operations } from './operations.ts'
import { spawnServer, waitOk } from './servers.ts'
import { benchWorld, writeWorldFile } from './world.ts'

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5)
const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))
const PROFILES = root('data/bench/profiles')

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** Self time by function and by package (or our own file), largest first. */
export function summarize(profile: Profile, top = 15): string {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const byFunction = new Map<string, number>()
  const byModule = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0
    const frame = nodes.get(id)?.callFrame
    if (!frame) {
      return
    }
    total += dt
    const url = frame.url
      .replace(/^.*node_modules\//, '')
      .replace(/^file:\/\/.*\/(dist|src)\//, '$1/')
    const fn = `${frame.functionName || '(anonymous)'} ${url}${url ? `:${frame.lineNumber + 1}` : ''}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt)
    const parts = url.split('/')
    const module = url ? parts.slice(0, url.startsWith('@') ? 2 : 1).join('/') : fn
    byModule.set(module, (byModule.get(module) ?? 0) + dt)
  })
  const list = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n')
  return `self time, ${Math.round(total / 1000)} ms sampled\n\nby function:\n${list(byFunction)}\n\nby package or file:\n${list(byModule)}`
}

async function main() {
  const pattern = new RegExp(process.argv[2] ?? 'call show', 'i')
  const entry = process.env['BENCH_MOCK'] ?? root('dist/main.mjs')
  if (process.env['BENCH_MOCK'] === undefined) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root(''), stdio: 'inherit' })
  }
  const db = join(mkdtempSync(join(tmpdir(), 'bench-')), 'profile.db')
  writeWorldFile(
    db,
    benchWorld({ joiners: 50, startThreads: START_THREADS + SPARE_THREADS, users: 0, calls: 0 })
  )
  mkdirSync(PROFILES, { recursive: true })
  const started = Date.now()
  const mock = await spawnServer(
    'mock',
    ['--cpu-prof', `--cpu-prof-dir=${PROFILES}`, entry, '--port', '0', '--db', db, '--quiet'],
    { ready: (url) => waitOk(`${url}/mock/health`) }
  )
  const ops = await operations(mock.url)
  for (const op of ops.list.filter((o) => pattern.test(o.name))) {
    const cell = await loadCell(mock, op, { seconds: SECONDS, connections: 50 })
    console.log(`${op.name}: ${cell.rps} req/s, p99 ${cell.p99} ms`)
  }
  await mock.stop()
  // Worker threads (the WAL checkpoint thread) write profiles of their own; the main thread's is
  // the one that ran the whole time, so the largest.
  const file = readdirSync(PROFILES)
    .map((name) => join(PROFILES, name))
    .filter((path) => path.endsWith('.cpuprofile') && statSync(path).mtimeMs >= started)
    .sort((a, b) => statSync(a).size - statSync(b).size)
    .at(-1)
  if (file === undefined) {
    throw new Error('The mock wrote no profile')
  }
  console.log(`\n${summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile)}\n\n${file}`)
}

await main()
