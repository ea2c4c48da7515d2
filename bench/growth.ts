// The growth table: one client's latency for calls index, calls page and search on the default
// world and on a world grown to 20,000 calls (in one thread) and 5,000 more users.
import { join } from 'node:path'
import { spawnServer, waitOk } from './servers.ts'
import { timedGet } from './timed-get.ts'
import { JOHN_JAIRO, SHOW_CALL, benchWorld, grownCallId, writeWorldFile } from './world.ts'

export const GROWN = { users: 5000, calls: 20_000 }

export interface GrowthRow {
  operation: string
  defaultMs: number
  grownMs: number
  ratio: number
}

const calls = `/api/messenger/threads/${JOHN_JAIRO}/calls`
const auth = { Authorization: 'Bearer john', Accept: 'application/json' }

/** Median latency of sequential GETs of `path` for about `seconds`. */
async function medianLatency(url: string, path: string, seconds: number): Promise<number> {
  const times: number[] = []
  const until = performance.now() + seconds * 1000
  while (performance.now() < until || times.length < 20) {
    times.push(await timedGet(`${url}${path}`, auth))
  }
  times.sort((a, b) => a - b)
  return times[times.length >> 1] ?? 0
}

async function latencies(
  db: string,
  args: (db: string) => string[],
  pageFrom: (url: string) => Promise<string>,
  seconds: number
) {
  const mock = await spawnServer('mock', args(db), {
    ready: (url) => waitOk(`${url}/mock/health`),
  })
  try {
    const page = `${calls}/page/${await pageFrom(mock.url)}`
    const result = new Map<string, number>()
    for (const [name, path] of [
      ['GET calls index', calls],
      ['GET calls page', page],
      ['GET search', '/api/messenger/search/jane'],
    ] as const) {
      await medianLatency(mock.url, path, 0.3) // warm-up
      result.set(name, await medianLatency(mock.url, path, seconds))
    }
    return result
  } finally {
    await mock.stop()
  }
}

export async function measureGrowth(options: {
  dir: string
  args: (db: string) => string[]
  seconds: number
}): Promise<GrowthRow[]> {
  const small = join(options.dir, 'default.db')
  const grown = join(options.dir, 'grown.db')
  writeWorldFile(small, benchWorld({ joiners: 0, startThreads: 0, users: 0, calls: 0 }))
  writeWorldFile(grown, benchWorld({ joiners: 0, startThreads: 0, ...GROWN }))
  // Default world: the page after the thread's newest call; grown: from the middle.
  const before = await latencies(
    small,
    options.args,
    () => Promise.resolve(SHOW_CALL),
    options.seconds
  )
  const after = await latencies(
    grown,
    options.args,
    () => Promise.resolve(grownCallId(GROWN.calls / 2)),
    options.seconds
  )
  return [...before].map(([operation, defaultMs]) => {
    const grownMs = after.get(operation) ?? 0
    return { operation, defaultMs, grownMs, ratio: grownMs / defaultMs }
  })
}
