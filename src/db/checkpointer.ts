// Checkpoints of the main world's WAL on a thread of their own. SQLite's automatic checkpoint runs
// inside the commit that crosses 1,000 WAL pages, on the main thread: it copies the pages into the
// database file and fsyncs it, which stalls that request, and every request queued behind it.
// bench/wal-checkpoint.ts (20,000 transactions of 2 updates, idle machine): 138-147 µs a
// transaction with the automatic checkpoint, 70-75 µs without; stalls of 15-26 ms (p99.9, max)
// against under 2.5 ms; under load they reached 70 ms. Here the main connection never checkpoints;
// a worker's connection to the same file runs a PASSIVE checkpoint on a timer, which copies what
// it can without waiting for (or blocking) the main thread's readers and writers. Durability is
// unchanged: a commit is safe once it is in the WAL (synchronous=NORMAL), whoever copies it later.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Db } from './open.ts'

/** How often the worker checkpoints. */
export const CHECKPOINT_INTERVAL_MS = 250

/** SQLite's default, restored on the main connection if the worker fails. */
const AUTOCHECKPOINT_PAGES = 1000

// CommonJS, evaluated as the worker's whole program (the bundle has no file to point a worker at).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file, { timeout: 5000 })
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch (error) {
    // Another connection is checkpointing (the main one, closing): the next turn catches up.
    if (error.code !== 'SQLITE_BUSY' && error.code !== 'SQLITE_LOCKED') throw error
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  checkpoint()
  db.close()
  parentPort.close()
})
`

export interface Checkpointer {
  /** Stops the worker after a last checkpoint; resolves when it has closed its connection. */
  stop(): Promise<void>
}

/**
 * Moves the checkpoints of `db` (a WAL database opened from `file`) to a worker. If the worker
 * fails, the main connection checkpoints automatically again and `onError` is told why.
 */
export function startCheckpointer(
  file: string,
  db: Db,
  onError: (error: Error) => void,
  intervalMs = CHECKPOINT_INTERVAL_MS
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { driver, file, intervalMs },
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1, stackSizeMb: 1 },
  })
  db.pragma('wal_autocheckpoint = 0')
  let stopped = false
  // A worker gone before it was stopped: the main connection checkpoints itself again.
  const fallBack = () => {
    if (!stopped && db.open) {
      db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`)
    }
  }
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      fallBack()
      resolve()
    })
  })
  worker.once('error', (error) => {
    fallBack()
    onError(error)
  })
  // The worker alone must not keep the process alive.
  worker.unref()
  return {
    stop() {
      if (!stopped) {
        stopped = true
        worker.postMessage('stop')
      }
      return exited
    },
  }
}
