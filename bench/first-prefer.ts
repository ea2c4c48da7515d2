// The first request with a `Prefer` header on a fresh mock (as `npm start` runs it: the bundle,
// --quiet, a throw-away world): how long it takes sent at once when the mock says it is ready, and
// sent after 2 s idle, with the readiness probe's latency and start-to-ready beside them. With
// `--baseline DIR` (a checkout of another commit with its node_modules) both run side by side,
// alternating, and the ratios are printed. Bounded: ROUNDS fresh processes per checkout and case.
//
//   node --import tsx bench/first-prefer.ts [--baseline DIR] [--rounds N]
import { execFileSync, spawn } from 'node:child_process'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { timedGet } from './timed-get.ts'

const { values } = parseArgs({
  options: { baseline: { type: 'string' }, rounds: { type: 'string', default: '5' } },
})
const ROUNDS = Number(values.rounds)
const CALLS = '/api/messenger/threads/92316158-d218-4b23-b90b-a708fb354685/calls'
const PREFER = { Authorization: 'Bearer john', Accept: 'application/json', Prefer: 'code=200' }

interface Sample {
  readyMs: number
  healthMs: number
  preferMs: number
}

function start(root: string): Promise<{ url: string; readyMs: number; stop: () => void }> {
  const began = performance.now()
  const child = spawn(
    process.execPath,
    ['dist/main.mjs', '--port', '0', '--quiet', '--db', ':memory:'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }
  )
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1]
      if (url !== undefined) {
        child.stdout.removeAllListeners('data')
        child.stdout.resume()
        resolve({ url, readyMs: performance.now() - began, stop: () => child.kill('SIGTERM') })
      }
    })
    child.once('exit', (code) => {
      reject(new Error(`the mock exited with ${String(code)}: ${out}`))
    })
  })
}

async function sample(root: string, idleMs: number): Promise<Sample> {
  const mock = await start(root)
  await new Promise((resolve) => setTimeout(resolve, idleMs))
  const healthMs = await timedGet(`${mock.url}/mock/health`, {})
  const preferMs = await timedGet(`${mock.url}${CALLS}`, PREFER)
  mock.stop()
  return { readyMs: mock.readyMs, healthMs, preferMs }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

const current = fileURLToPath(new URL('..', import.meta.url))
const roots: [string, string][] = [['current', current]]
if (values.baseline !== undefined) {
  roots.unshift(['baseline', values.baseline])
}
for (const [, root] of roots) {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
}

const results = new Map<string, Sample[]>()
for (let round = 0; round < ROUNDS; round++) {
  for (const idleMs of [0, 2000]) {
    for (const [name, root] of roots) {
      const key = `${name}|${idleMs}`
      results.set(key, [...(results.get(key) ?? []), await sample(root, idleMs)])
    }
  }
}

console.log(`first Prefer request on a fresh mock, median of ${ROUNDS} processes each (ms)`)
console.log('checkout   sent        start→ready  /mock/health  first Prefer')
for (const idleMs of [0, 2000]) {
  for (const [name] of roots) {
    const samples = results.get(`${name}|${idleMs}`) ?? []
    const row = (pick: (s: Sample) => number) => median(samples.map(pick)).toFixed(0).padStart(12)
    const when = idleMs === 0 ? 'at ready' : `${idleMs / 1000} s later`
    console.log(
      `${name.padEnd(10)} ${when.padEnd(10)} ${row((s) => s.readyMs)} ${row((s) => s.healthMs)} ${row((s) => s.preferMs)}`
    )
  }
  if (roots.length === 2) {
    const prefer = (name: string) =>
      median((results.get(`${name}|${idleMs}`) ?? []).map((s) => s.preferMs))
    console.log(
      `  ratio current/baseline, first Prefer: ${(prefer('current') / prefer('baseline')).toFixed(2)}`
    )
  }
}
