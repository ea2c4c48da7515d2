// One log line per request: method (as sent), path, status, duration, the logged-in user and the
// sandbox, if any. Lines are written in batches off the request path (see batchedLog), so logging
// costs little throughput.
import { write as fsWrite, writeSync } from 'node:fs'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './env.ts'
import { sentMethod } from './sent-method.ts'

export function requestLog(write: (line: string) => void): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now()
    const method = sentMethod(c.req.raw)
    await next()
    const ms = (performance.now() - started).toFixed(1)
    const sandbox = c.req.header('X-Mock-Sandbox')
    const user = c.get('viewer')
    write(
      `${method} ${c.req.path} ${c.res.status} ${ms} ms${user === undefined ? '' : ` as ${user.token}`}${sandbox === undefined ? '' : ` [${sandbox}]`}`
    )
  }
}

/** Lines kept while the output is busy; beyond this, lines are dropped and counted. */
export const MAX_PENDING_LINES = 10_000

export interface BatchedLog {
  /** Queues one line; it is written with the others queued in the same turn of the event loop. */
  readonly write: (line: string) => void
  /** Writes what is still queued, synchronously (at exit). */
  readonly flush: () => void
}

/**
 * A log writer for a file descriptor (1 for stdout). A synchronous write per line blocked the
 * event loop for every request (stdout is synchronous for files and pipes on Linux), and a reader
 * that stops reading would stall the server. Here the lines of one event-loop turn go out in one
 * asynchronous write, one write at a time so lines keep their order; when the reader falls
 * behind by more than `maxPending` lines, further lines are dropped and the number is reported.
 */
export function batchedLog(fd: number, maxPending = MAX_PENDING_LINES): BatchedLog {
  let pending: string[] = []
  let dropped = 0
  let scheduled = false
  let writing = false

  const take = (): string => {
    const lines = pending
    pending = []
    if (dropped > 0) {
      lines.push(`(${dropped} log lines dropped: the log output was not being read fast enough)`)
      dropped = 0
    }
    return `${lines.join('\n')}\n`
  }

  const writeOut = (data: Buffer, offset: number): void => {
    writing = true
    fsWrite(fd, data, offset, data.length - offset, null, (error, written) => {
      if (error) {
        // The output is non-blocking and full: try again shortly. Any other error (closed
        // output) ends logging quietly; the server keeps answering.
        if (error.code === 'EAGAIN') {
          setTimeout(() => {
            writeOut(data, offset)
          }, 5)
          return
        }
        writing = false
        pending = []
        return
      }
      if (offset + written < data.length) {
        writeOut(data, offset + written)
        return
      }
      writing = false
      drain()
    })
  }

  const drain = (): void => {
    scheduled = false
    if (writing || (pending.length === 0 && dropped === 0)) {
      return
    }
    writeOut(Buffer.from(take()), 0)
  }

  return {
    write: (line) => {
      if (pending.length >= maxPending) {
        dropped += 1
        return
      }
      pending.push(line)
      if (!scheduled) {
        scheduled = true
        setImmediate(drain)
      }
    },
    flush: () => {
      if (pending.length > 0 || dropped > 0) {
        try {
          writeSync(fd, take())
        } catch {
          // Exiting anyway: an output that is full or closed loses the last lines.
        }
      }
    },
  }
}
