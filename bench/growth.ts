// The growth table: one client's latency for calls index, calls page and search on the default
// world and on a world grown to 20,000 calls (in one thread) and 5,000 more users. Between them, a
// world with a full page of calls (50 in the thread): the default world's thread holds one call,
// so its index shows one call and its page none, where the grown world's show 25 each. Against the
// full page, the grown world's figures are growth alone; against the default, growth plus the
// cost of presenting 25 calls instead of one or none. The three worlds run at once, each in its
// own mock, and are asked in turn, a short block each: on a shared machine a burst of load then
// slows all three alike instead of whichever was being measured, so the ratios hold.
import { join } from 'node:path'
import { spawnServer, waitOk } from './servers.ts'
import type { Server } from './servers.ts'
import { timedGet } from './timed-get.ts'
import { JOHN_JAIRO, SHOW_CALL, benchWorld, grownCallId, writeWorldFile } from './world.ts'

export const GROWN = { users: 5000, calls: 20_000 }
/** Calls in the thread of the full-page world: two pages' worth, so index and page are full. */
export const FULL_PAGE_CALLS = 50

export interface GrowthRow {
  operation: string
  defaultMs: number
  /** The world with a full page of calls and no more users. */
  fullPageMs: number
  grownMs: number
  /** grown / default */
  ratio: number
  /** grown / full page */
  fullPageRatio: number
}

const calls = `/api/messenger/threads/${JOHN_JAIRO}/calls`
const auth = { Authorization: 'Bearer john', Accept: 'application/json' }

const median = (times: number[]) => [...times].sort((a, b) => a - b)[times.length >> 1] ?? 0

/** Requests in a row to one world before the next one's turn; the first few are not counted. */
const BLOCK = 40
const REWARM = 5

/**
 * Median latency of each of `urls`, asked in turn, a block of GETs each (so the mock asked is
 * running, as it would under steady use), for about `seconds` and at least 5 blocks each.
 */
async function medianLatencies(urls: readonly string[], seconds: number): Promise<number[]> {
  const times = urls.map((): number[] => [])
  const until = performance.now() + seconds * 1000
  for (let round = 0; performance.now() < until || round < 5; round += 1) {
    for (const [i, url] of urls.entries()) {
      for (let n = 0; n < BLOCK; n += 1) {
        const ms = await timedGet(url, auth)
        if (n >= REWARM) {
          times[i]?.push(ms)
        }
      }
    }
  }
  return times.map(median)
}

interface GrowthWorld {
  db: string
  /** The call the page is asked after. */
  pageId: string
}

export async function measureGrowth(options: {
  dir: string
  args: (db: string) => string[]
  seconds: number
}): Promise<GrowthRow[]> {
  const world = (name: string, size: { users: number; calls: number }, pageId: string) => {
    const db = join(options.dir, `${name}.db`)
    writeWorldFile(db, benchWorld({ joiners: 0, startThreads: 0, ...size }))
    return { db, pageId }
  }
  // Default world: the page after the thread's newest call; the others: from the middle.
  const worlds: GrowthWorld[] = [
    world('default', { users: 0, calls: 0 }, SHOW_CALL),
    world('full-page', { users: 0, calls: FULL_PAGE_CALLS }, grownCallId(FULL_PAGE_CALLS / 2)),
    world('grown', GROWN, grownCallId(GROWN.calls / 2)),
  ]
  const mocks: Server[] = []
  try {
    for (const { db } of worlds) {
      mocks.push(
        await spawnServer('mock', options.args(db), {
          ready: (url) => waitOk(`${url}/mock/health`),
        })
      )
    }
    const rows: GrowthRow[] = []
    for (const [operation, path] of [
      ['GET calls index', () => calls],
      ['GET calls page', (w: GrowthWorld) => `${calls}/page/${w.pageId}`],
      ['GET search', () => '/api/messenger/search/jane'],
    ] as const) {
      const urls = worlds.map((w, i) => `${mocks[i]?.url ?? ''}${path(w)}`)
      await medianLatencies(urls, 0.3) // warm-up
      const [defaultMs = 0, fullPageMs = 0, grownMs = 0] = await medianLatencies(
        urls,
        options.seconds
      )
      rows.push({
        operation,
        defaultMs,
        fullPageMs,
        grownMs,
        ratio: grownMs / defaultMs,
        fullPageRatio: grownMs / fullPageMs,
      })
    }
    return rows
  } finally {
    await Promise.all(mocks.map((mock) => mock.stop()))
  }
}
