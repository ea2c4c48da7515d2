// The benchmarked operations and one load cell: autocannon against one server for one operation.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { LoadPlan, LoadResult } from './load-process.ts'
import { cpuMs, rssMb } from './servers.ts'
import { BENCH_CALL, BENCH_GROUP, JOHN_JAIRO, SHOW_CALL, startThreadId } from './world.ts'

export interface Target {
  url: string
  pid: number
}

export interface Cell {
  rps: number
  p50: number
  p99: number
  non2xx: number
  /** Connection errors and timeouts. */
  errors: number
  rss: number
  /** The server's CPU time (user + system, all its threads) per request, in µs. */
  cpuUs: number
}

interface Step {
  /** What the bare server answers: the mock's own body for this step. */
  key: string
  method: 'GET' | 'POST' | 'PUT'
  /** The path, or one made per request (start: a new thread each time). */
  path: string | ((n: number) => string)
  body?: string
}

export interface Operation {
  name: string
  write: boolean
  /** Requests each connection sends in turn (join, leave, join, …). */
  steps: Step[]
  /** Each connection logs in as its own user (join/leave: one user per connection). */
  tokenPerConnection?: (n: number) => string
  /** A fixed number of requests instead of a duration (start: one per prepared thread). */
  amount?: number
}

const LOAD_PROCESS = fileURLToPath(new URL('./load-process.ts', import.meta.url))

const json = { 'Content-Type': 'application/json', Accept: 'application/json' }

/** Start calls are one per thread: each server's cell starts this many. */
export const START_THREADS = 4000
/**
 * Threads kept beyond those: autocannon prepares one request per connection that it never sends,
 * and the last thread gives the sample body.
 */
export const SPARE_THREADS = 200

async function sample(url: string, step: Step, token: string): Promise<string> {
  const path =
    typeof step.path === 'string' ? step.path : step.path(START_THREADS + SPARE_THREADS - 1)
  const res = await fetch(`${url}${path}`, {
    method: step.method,
    headers: { ...json, Authorization: `Bearer ${token}` },
    ...(step.body ? { body: step.body } : {}),
  })
  if (!res.ok) {
    throw new Error(`${step.method} ${path}: ${res.status} ${await res.text()}`)
  }
  return res.text()
}

/** The operations, with the mock's answer to each step (for the bare ceiling). */
export async function operations(mockUrl: string) {
  const calls = `/api/messenger/threads/${JOHN_JAIRO}/calls`
  const benchCall = `/api/messenger/threads/${BENCH_GROUP}/calls/${BENCH_CALL}`
  const settings =
    '{"call_ringtone_sound":true,"message_popups":true,"message_sound":true,"notify_sound":true,"dark_mode":false,"online_status":1}'
  const list: Operation[] = [
    {
      name: 'GET call show',
      write: false,
      steps: [{ key: 'show', method: 'GET', path: `${calls}/${SHOW_CALL}` }],
    },
    {
      name: 'GET calls index',
      write: false,
      steps: [{ key: 'index', method: 'GET', path: calls }],
    },
    {
      name: 'GET calls page',
      write: false,
      steps: [{ key: 'page', method: 'GET', path: `${calls}/page/${SHOW_CALL}` }],
    },
    {
      name: 'GET search',
      write: false,
      steps: [{ key: 'search', method: 'GET', path: '/api/messenger/search/jane' }],
    },
    {
      name: 'POST heartbeat',
      write: true,
      steps: [
        {
          key: 'heartbeat',
          method: 'POST',
          path: '/api/messenger/heartbeat',
          body: '{"away":false}',
        },
      ],
    },
    {
      name: 'PUT settings',
      write: true,
      steps: [{ key: 'settings', method: 'PUT', path: '/api/messenger/settings', body: settings }],
    },
    {
      name: 'POST join + leave call',
      write: true,
      steps: [
        { key: 'join', method: 'POST', path: `${benchCall}/join`, body: '{}' },
        { key: 'leave', method: 'POST', path: `${benchCall}/leave`, body: '{}' },
      ],
      tokenPerConnection: (n) => `bench-${n}`,
    },
    {
      name: 'POST start call',
      write: true,
      steps: [
        {
          key: 'start',
          method: 'POST',
          path: (n) => `/api/messenger/threads/${startThreadId(n)}/calls`,
          body: '{}',
        },
      ],
      amount: START_THREADS,
    },
  ]
  const bodies: Record<string, string> = {}
  for (const op of list) {
    for (const step of op.steps) {
      bodies[step.key] = await sample(mockUrl, step, op.tokenPerConnection?.(0) ?? 'john')
    }
  }
  return { list, bodies }
}

/** Runs bench/load-process.ts with `plan` on its stdin; resolves with its stdout. */
function runLoad(plan: LoadPlan): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', LOAD_PROCESS], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  child.stdin.end(JSON.stringify(plan))
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code === 0) {
        resolve(out)
      } else {
        reject(new Error(`the load generator exited with ${String(code)}`))
      }
    })
  })
}

/** One cell: autocannon in a process of its own (bench/load-process.ts) against one server. */
export async function loadCell(
  target: Target,
  op: Operation,
  options: { seconds: number; connections: number }
): Promise<Cell> {
  const first = op.steps[0]
  const paths =
    op.amount !== undefined && first && typeof first.path !== 'string'
      ? Array.from({ length: op.amount }, (_, n) => (first.path as (n: number) => string)(n))
      : undefined
  const plan: LoadPlan = {
    url: target.url,
    connections: options.connections,
    seconds: options.seconds,
    headers: { ...json, Authorization: 'Bearer john' },
    requests: op.steps.map((step) => ({
      method: step.method,
      path: typeof step.path === 'string' ? step.path : '/',
      ...(step.body ? { body: step.body } : {}),
      headers: { 'X-Bench-Op': step.key },
    })),
    ...(op.tokenPerConnection
      ? {
          tokens: Array.from({ length: options.connections }, (_, n) =>
            (op.tokenPerConnection as (n: number) => string)(n)
          ),
        }
      : {}),
    ...(paths ? { paths } : {}),
  }
  const cpuBefore = cpuMs(target.pid)
  const out = await runLoad(plan)
  const cpuAfter = cpuMs(target.pid)
  const result = JSON.parse(out) as LoadResult
  return {
    rps: Math.round(result.requests / Math.max(result.duration, 0.001)),
    p50: result.p50,
    p99: result.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    rss: rssMb(target.pid),
    cpuUs: Math.round((1000 * (cpuAfter - cpuBefore)) / Math.max(result.requests, 1)),
  }
}
