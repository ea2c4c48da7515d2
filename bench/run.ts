// `npm run bench`: the mock, Prism (-v error, its fastest honest setting) and a bare node:http
// ceiling, side by side in one run on 127.0.0.1, for the same operations. Prints req/s, p50/p99
// latency, RSS after load, start-to-ready time, and the ratios. Bounded: a few seconds per cell.
import { execFileSync, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { startPrism } from '../scripts/prism-process.ts'

const DURATION_S = Number(process.env['BENCH_SECONDS'] ?? 5)
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 50)
const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

interface Server {
  name: string
  url: string
  pid: number
  readyMs: number
  stop(): Promise<void>
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

/** Spawns a server process and waits for its "listening on URL" line. */
function spawnServer(
  name: string,
  args: string[],
  ready: (url: string) => Promise<void>
): Promise<Server> {
  const started = performance.now()
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1]
      if (url) {
        child.stdout?.removeAllListeners('data')
        void ready(url).then(() => {
          resolve({
            name,
            url,
            pid: child.pid ?? 0,
            readyMs: Math.round(performance.now() - started),
            stop: () =>
              new Promise<void>((done) => {
                child.once('exit', () => {
                  done()
                })
                child.kill('SIGTERM')
              }),
          })
        }, reject)
      }
    })
    child.once('exit', (code) => {
      reject(new Error(`${name} exited with ${String(code)}: ${out}`))
    })
  })
}

async function waitOk(url: string): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(url)).ok) {
        return
      }
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 5))
  }
}

interface Operation {
  name: string
  method: 'GET' | 'POST'
  path: string
  body?: string
  write?: boolean
}

interface Cell {
  rps: number
  p50: number
  p99: number
  non2xx: number
  rss: number
}

async function load(server: Server, op: Operation): Promise<Cell> {
  const result = await autocannon({
    url: `${server.url}${op.path}`,
    method: op.method,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: {
      Authorization: 'Bearer john',
      Accept: 'application/json',
      ...(op.body ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(op.body ? { body: op.body } : {}),
  })
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    rss: rssMb(server.pid),
  }
}

async function main() {
  const data = mkdtempSync(join(tmpdir(), 'bench-'))
  // The mock as `npm start` runs it: the bundled dist/main.mjs, built first.
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root(''), stdio: 'inherit' })
  const mock = await spawnServer(
    'mock',
    [root('dist/main.mjs'), '--port', '0', '--db', join(data, 'bench.db'), '--quiet'],
    (url) => waitOk(`${url}/mock/health`)
  )
  // A world without the search rate limit, so search can be loaded like any other read.
  const world = (await (await fetch(`${mock.url}/mock/world`)).json()) as {
    config?: Record<string, unknown>
  }
  await fetch(`${mock.url}/mock/world`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...world, config: { ...world.config, search_rate_limit: 0 } }),
  })
  const auth = { Authorization: 'Bearer john', 'Content-Type': 'application/json' }
  const thread = '92316158-d218-4b23-b90b-a708fb354685'
  const call = (await (
    await fetch(`${mock.url}/api/messenger/threads/${thread}/calls`, {
      method: 'POST',
      headers: auth,
      body: '{}',
    })
  ).json()) as { id: string }
  const ops: Operation[] = [
    {
      name: 'GET call show',
      method: 'GET',
      path: `/api/messenger/threads/${thread}/calls/${call.id}`,
    },
    { name: 'GET calls index', method: 'GET', path: `/api/messenger/threads/${thread}/calls` },
    { name: 'GET search', method: 'GET', path: '/api/messenger/search/jane' },
    {
      name: 'POST heartbeat',
      method: 'POST',
      path: '/api/messenger/heartbeat',
      body: '{"away":false}',
      write: true,
    },
  ]
  const bodies: Record<string, string> = {}
  for (const op of ops) {
    const res = await fetch(`${mock.url}${op.path}`, {
      method: op.method,
      headers: auth,
      ...(op.body ? { body: op.body } : {}),
    })
    bodies[`${op.method} ${op.path}`] = await res.text()
  }
  const bare = await spawnServer(
    'bare node:http',
    ['--import', 'tsx', root('bench/baseline-server.ts'), JSON.stringify(bodies)],
    () => Promise.resolve()
  )
  const prismStarted = performance.now()
  const prismProcess = await startPrism({
    mode: 'mock',
    spec: root('openapi/openapi.yaml'),
    logLevel: 'error',
  })
  const prism: Server = {
    name: 'prism 5.14 -v error',
    url: prismProcess.url,
    pid: prismProcess.pid,
    readyMs: Math.round(performance.now() - prismStarted),
    stop: () => prismProcess.stop(),
  }
  const servers = [mock, prism, bare]
  console.log(
    `Benchmark: ${CONNECTIONS} connections, ${DURATION_S} s per cell, client autocannon on 127.0.0.1`
  )
  console.log(`start to ready: ${servers.map((s) => `${s.name} ${s.readyMs} ms`).join(', ')}\n`)
  const header = ['operation', 'server', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'RSS MB']
  const rows: string[][] = []
  const ratios: string[] = []
  for (const op of ops) {
    const cells = new Map<string, Cell>()
    for (const server of servers) {
      const cell = await load(server, op)
      cells.set(server.name, cell)
      rows.push([
        op.name,
        server.name,
        String(cell.rps),
        String(cell.p50),
        String(cell.p99),
        String(cell.non2xx),
        String(cell.rss),
      ])
    }
    const m = cells.get(mock.name)
    const p = cells.get(prism.name)
    const b = cells.get(bare.name)
    if (m && p && b) {
      ratios.push(
        `${op.name}: mock/prism ${(m.rps / p.rps).toFixed(2)}x, mock/bare ${((100 * m.rps) / b.rps).toFixed(0)}%, mock p99 ${m.p99} ms`
      )
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cols: string[]) => cols.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')
  console.log(line(header))
  for (const row of rows) {
    console.log(line(row))
  }
  console.log('\nratios (same run):')
  for (const ratio of ratios) {
    console.log(`  ${ratio}`)
  }
  await Promise.all(servers.map((s) => s.stop()))
}

await main()
