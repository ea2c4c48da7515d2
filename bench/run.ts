// `npm run bench`: the mock (as `npm start` runs it: bundled, file world, --quiet), the mock with
// its request log on, Prism (-v error, its fastest honest setting) and a bare node:http ceiling,
// side by side in one run on 127.0.0.1, for the same operations. Prints req/s, p50/p99, RSS, the
// ratios, start-to-ready, the cost of a new sandbox and the growth table; writes it all as JSON
// (data/bench/last.json) and compares the ratios with the previous run. Bounded: a few seconds
// per cell (BENCH_SECONDS, default 5; BENCH_CONNECTIONS, default 50; BENCH_ONLY, a pattern of the
// parts to run, e.g. "search|growth"). BENCH_BEFORE=<bundle>: an older build of the mock (its
// dist/main.mjs, e.g. from a worktree of an earlier commit) measured in the same run beside this
// one, so a change is judged before/after on the same machine under the same conditions.
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startPrism } from '../scripts/prism-process.ts'
import { measureGrowth } from './growth.ts'
import type { GrowthRow } from './growth.ts'
import { SPARE_THREADS, START_THREADS, loadCell, operations } from './operations.ts'
import type { Cell } from './operations.ts'
import { measureSandboxes } from './sandboxes.ts'
import type { SandboxCost } from './sandboxes.ts'
import { rssMb, spawnServer, startUp, waitOk } from './servers.ts'
import type { Server } from './servers.ts'
import { benchWorld, writeWorldFile } from './world.ts'

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5)
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 50)
/** Only the operations (and parts: "growth", "sandbox", "start") whose name matches. */
const ONLY = new RegExp(process.env['BENCH_ONLY'] ?? '', 'i')
const BEFORE = process.env['BENCH_BEFORE']
const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))
const RESULTS = root('data/bench')

interface Row {
  operation: string
  write: boolean
  mock: Cell
  mockLogged: Cell
  prism: Cell
  bare: Cell
  /** The BENCH_BEFORE build, when given. */
  before?: Cell
}

/** The BENCH_BEFORE build's figures, beside this build's. */
interface BeforeResults {
  bundle: string
  startMs: number
  rssAfterLoadMb: number
  sandbox: SandboxCost
  growth: GrowthRow[]
}

interface Results {
  date: string
  seconds: number
  connections: number
  start: { mockMs: number; mockCpuMs: number; prismMs: number; bareMs: number }
  rows: Row[]
  rssAfterLoadMb: number
  sandbox: SandboxCost
  growth: GrowthRow[]
  before?: BeforeResults
}

const mockArgs = (db: string, quiet = true, bundle = root('dist/main.mjs')) => [
  bundle,
  '--port',
  '0',
  '--db',
  db,
  ...(quiet ? ['--quiet'] : []),
]
const health = (url: string) => waitOk(`${url}/mock/health`)

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cols: string[]) =>
    cols.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
  return [line(header), ...rows.map(line)].join('\n')
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b)
const x = (n: number) => `${n.toFixed(1)}×`
const pct = (n: number) => `${Math.round(100 * n)}%`

const growthTable = (growth: GrowthRow[]) =>
  table(
    ['operation', 'default', 'full page', 'grown', 'grown/default', 'grown/full page'],
    growth.map((g) => [
      g.operation,
      g.defaultMs.toFixed(2),
      g.fullPageMs.toFixed(2),
      g.grownMs.toFixed(2),
      x(g.ratio),
      x(g.fullPageRatio),
    ])
  )

function print(results: Results, previous: Results | undefined): void {
  const { start } = results
  console.log(
    `\nBenchmark: ${results.connections} connections, ${results.seconds} s per cell, autocannon on 127.0.0.1`
  )
  console.log(
    `start to ready (spawn → first 200, median of 5): mock ${start.mockMs} ms (${start.mockCpuMs} ms CPU), ` +
      `prism ${start.prismMs} ms, bare node:http ${start.bareMs} ms\n`
  )
  const before = new Map(previous?.rows.map((row) => [row.operation, row]))
  const rows = results.rows.map((row) => {
    const last = before.get(row.operation)
    const vsBare = ratio(row.mock.rps, row.bare.rps)
    return [
      row.operation,
      String(row.mock.rps),
      String(row.prism.rps),
      String(row.bare.rps),
      x(ratio(row.mock.rps, row.prism.rps)),
      pct(vsBare),
      String(row.mock.p99),
      String(row.mock.cpuUs),
      pct(ratio(row.mockLogged.cpuUs, row.mock.cpuUs) - 1),
      [row.mock, row.mockLogged, row.prism, row.bare]
        .map((cell) => cell.non2xx + cell.errors)
        .join('/'),
      last ? pct(ratio(last.mock.rps, last.bare.rps)) : '—',
      ...(row.before
        ? [String(row.before.rps), x(ratio(row.mock.rps, row.before.rps)), String(row.before.cpuUs)]
        : []),
    ]
  })
  console.log(
    table(
      [
        'operation',
        'mock req/s',
        'Prism',
        'bare',
        'mock/Prism',
        'mock/bare',
        'mock p99 ms',
        'mock CPU µs/req',
        'log cost (CPU)',
        'failed m/log/P/b',
        'last mock/bare',
        ...(results.before ? ['before req/s', 'now/before', 'before CPU µs/req'] : []),
      ],
      rows
    )
  )
  console.log(`\nmock RSS after load: ${results.rssAfterLoadMb} MB`)
  const s = results.sandbox
  console.log(
    `new sandbox: ${s.medianMs} ms median, ${s.p95Ms} ms p95 (first request minus a warm one), ` +
      `${s.mbEach.toFixed(2)} MB each (RSS over ${s.count} sandboxes)`
  )
  console.log(
    '\ngrowth (1 connection, p50 ms): the default world; a full page (50 calls in the thread); ' +
      '20,000 calls and 5,000 more users'
  )
  console.log(growthTable(results.growth))
  const old = results.before
  if (old) {
    console.log(`\nbefore (${old.bundle}), measured in this run:`)
    console.log(
      `start to ready ${old.startMs} ms; RSS after load ${old.rssAfterLoadMb} MB; new sandbox ` +
        `${old.sandbox.medianMs} ms median, ${old.sandbox.mbEach.toFixed(2)} MB each`
    )
    console.log(growthTable(old.growth))
  }
}

async function main() {
  const data = mkdtempSync(join(tmpdir(), 'bench-'))
  // The mock as `npm start` runs it: the bundled dist/main.mjs, built first.
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root(''), stdio: 'inherit' })
  const size = {
    joiners: CONNECTIONS,
    startThreads: START_THREADS + SPARE_THREADS,
    users: 0,
    calls: 0,
  }
  const quietDb = join(data, 'quiet.db')
  const loggedDb = join(data, 'logged.db')
  const beforeDb = join(data, 'before.db')
  writeWorldFile(quietDb, benchWorld(size))
  writeWorldFile(loggedDb, benchWorld(size))
  if (BEFORE !== undefined) {
    writeWorldFile(beforeDb, benchWorld(size))
  }

  const started = ONLY.test('start')
    ? await startUp(mockArgs(quietDb), health, 5)
    : { wallMs: 0, cpuMs: 0 }
  const beforeStart =
    BEFORE !== undefined && ONLY.test('start')
      ? await startUp(mockArgs(quietDb, true, BEFORE), health, 5)
      : { wallMs: 0, cpuMs: 0 }
  const mock = await spawnServer('mock', mockArgs(quietDb), { ready: health })
  const before =
    BEFORE === undefined
      ? undefined
      : await spawnServer('before', mockArgs(beforeDb, true, BEFORE), { ready: health })
  const mockLogged = await spawnServer('mock, log on', mockArgs(loggedDb, false), { ready: health })
  const ops = await operations(mock.url)
  const bare = await spawnServer(
    'bare node:http',
    ['--import', 'tsx', root('bench/baseline-server.ts'), JSON.stringify(ops.bodies)],
    { ready: () => Promise.resolve() }
  )
  const prismStarted = performance.now()
  const prismProcess = await startPrism({
    mode: 'mock',
    spec: root('openapi/openapi.yaml'),
    logLevel: 'error',
  })
  const prism: Server = {
    name: 'prism',
    url: prismProcess.url,
    pid: prismProcess.pid,
    readyMs: Math.round(performance.now() - prismStarted),
    readyCpuMs: 0,
    stop: () => prismProcess.stop(),
  }
  const load = (server: Server, op: Parameters<typeof loadCell>[1]) =>
    loadCell(server, op, { seconds: SECONDS, connections: CONNECTIONS })

  const rows: Row[] = []
  for (const op of ops.list.filter((o) => ONLY.test(o.name))) {
    process.stdout.write(`${op.name}: `)
    const cells: Cell[] = []
    for (const server of [mock, mockLogged, prism, bare, ...(before ? [before] : [])]) {
      cells.push(await load(server, op))
      process.stdout.write('.')
    }
    const [m, ml, p, b, old] = cells as [Cell, Cell, Cell, Cell, Cell | undefined]
    rows.push({
      operation: op.name,
      write: op.write,
      mock: m,
      mockLogged: ml,
      prism: p,
      bare: b,
      ...(old ? { before: old } : {}),
    })
    console.log(` ${m.rps} req/s`)
  }
  const rssAfterLoadMb = rssMb(mock.pid)
  const beforeRss = before ? rssMb(before.pid) : 0
  const noSandbox: SandboxCost = { count: 0, medianMs: 0, p95Ms: 0, mbEach: 0 }
  const sandbox = ONLY.test('sandbox') ? await measureSandboxes(mock.url, mock.pid) : noSandbox
  const beforeSandbox =
    before && ONLY.test('sandbox') ? await measureSandboxes(before.url, before.pid) : noSandbox
  await Promise.all(
    [mock, mockLogged, prism, bare, ...(before ? [before] : [])].map((s) => s.stop())
  )

  const growth = ONLY.test('growth')
    ? await measureGrowth({
        dir: data,
        args: (db) => mockArgs(db),
        seconds: Math.max(1, Math.min(SECONDS, 3)),
      })
    : []
  const beforeGrowth =
    BEFORE !== undefined && ONLY.test('growth')
      ? await measureGrowth({
          dir: data,
          args: (db) => mockArgs(db, true, BEFORE),
          seconds: Math.max(1, Math.min(SECONDS, 3)),
        })
      : []

  const results: Results = {
    date: new Date().toISOString(),
    seconds: SECONDS,
    connections: CONNECTIONS,
    start: {
      mockMs: started.wallMs,
      mockCpuMs: started.cpuMs,
      prismMs: prism.readyMs,
      bareMs: bare.readyMs,
    },
    rows,
    rssAfterLoadMb,
    sandbox,
    growth,
    ...(BEFORE === undefined
      ? {}
      : {
          before: {
            bundle: BEFORE,
            startMs: beforeStart.wallMs,
            rssAfterLoadMb: beforeRss,
            sandbox: beforeSandbox,
            growth: beforeGrowth,
          },
        }),
  }
  mkdirSync(RESULTS, { recursive: true })
  const lastFile = join(RESULTS, 'last.json')
  const previous = existsSync(lastFile)
    ? (JSON.parse(readFileSync(lastFile, 'utf8')) as Results)
    : undefined
  print(results, previous)
  if (previous) {
    renameSync(lastFile, join(RESULTS, 'previous.json'))
  }
  writeFileSync(lastFile, `${JSON.stringify(results, null, 2)}\n`)
  console.log(
    `\nwritten: data/bench/last.json${previous ? ' (the run before: previous.json)' : ''}`
  )
}

await main()
