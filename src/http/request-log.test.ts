// The batched request log writes every line, in order, to a real file; a reader that falls behind
// costs dropped lines (counted), never unbounded memory.
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { batchedLog } from './request-log.ts'

function logFile() {
  const path = join(mkdtempSync(join(tmpdir(), 'log-')), 'out.log')
  const fd = openSync(path, 'w')
  return {
    fd,
    read: () => readFileSync(path, 'utf8'),
    close: () => {
      closeSync(fd)
    },
  }
}

describe('batchedLog', () => {
  it('writes every line in order, across several batches', async () => {
    const file = logFile()
    const log = batchedLog(file.fd)
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}`)
    for (const [i, line] of lines.entries()) {
      log.write(line)
      // A new turn of the event loop now and then, so the lines go out in more than one write.
      if (i % 500 === 0) {
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    await vi.waitFor(() => {
      expect(file.read()).toBe(`${lines.join('\n')}\n`)
    })
    file.close()
  })

  it('writes nothing during the call, and the queued lines at flush()', () => {
    const file = logFile()
    const log = batchedLog(file.fd)
    log.write('first')
    log.write('second')
    expect(file.read()).toBe('')
    log.flush()
    expect(file.read()).toBe('first\nsecond\n')
    file.close()
  })

  it('keeps at most maxPending lines queued and reports how many it dropped', () => {
    const file = logFile()
    const log = batchedLog(file.fd, 3)
    for (let i = 0; i < 10; i += 1) {
      log.write(`line ${i}`)
    }
    log.flush()
    expect(file.read()).toBe(
      'line 0\nline 1\nline 2\n(7 log lines dropped: the log output was not being read fast enough)\n'
    )
    file.close()
  })
})
