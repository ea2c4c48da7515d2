// The checkpointer: the main connection stops checkpointing, a worker copies the WAL into the
// database file on its timer, stopping it closes its connection, and a worker that fails hands
// checkpointing back to the main connection.
import { existsSync, openSync, readSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../testing/temp-dir.ts'
import { startCheckpointer } from './checkpointer.ts'
import { openDb } from './open.ts'

/** The page count in the database file's own header: what checkpoints have copied so far. */
function pagesInFile(file: string): number {
  const header = Buffer.alloc(4)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, header, 0, 4, 28)
  } finally {
    closeSync(fd)
  }
  return header.readUInt32BE(0)
}

const until = async (done: () => boolean) => {
  while (!done()) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

function grow(db: ReturnType<typeof openDb>) {
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)')
  const insert = db.prepare<[string]>('INSERT INTO t (v) VALUES (?)')
  for (let i = 0; i < 200; i += 1) {
    insert.run('x'.repeat(1000))
  }
}

describe('startCheckpointer', () => {
  const dir = useTempDir('checkpointer-')

  it('turns off the automatic checkpoint and copies the WAL into the file from its worker', async () => {
    const file = join(dir(), 'world.db')
    const db = openDb(file)
    const checkpointer = startCheckpointer(
      file,
      db,
      (error) => {
        throw error
      },
      20
    )
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
    grow(db)
    // 200 rows of 1 KB: about 50 pages, all in the WAL until someone checkpoints.
    await until(() => pagesInFile(file) > 50)
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 200 })
    await checkpointer.stop()
    db.close()
    // The worker's connection is closed: the main one was the last, and removed the WAL.
    expect(existsSync(`${file}-wal`)).toBe(false)
  })

  it('leaves the file alone without a worker (the test above is not passing on its own)', async () => {
    const file = join(dir(), 'world.db')
    const db = openDb(file)
    db.pragma('wal_autocheckpoint = 0')
    grow(db)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(pagesInFile(file)).toBeLessThan(10)
    db.close()
  })

  it('hands checkpointing back to the main connection when its worker fails', async () => {
    const file = join(dir(), 'world.db')
    const db = openDb(file)
    const errors: Error[] = []
    // The worker cannot open a file in a directory that does not exist.
    const checkpointer = startCheckpointer(join(dir(), 'missing', 'world.db'), db, (error) => {
      errors.push(error)
    })
    await until(() => errors.length > 0)
    expect(errors[0]?.message).toMatch(/directory does not exist|unable to open/i)
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
    await checkpointer.stop()
    db.close()
  })
})
