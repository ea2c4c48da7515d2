// Tests for openDb: pragmas, and that a file database keeps its data across close and reopen.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../testing/temp-dir.ts'
import { openDb, openDbFromImage } from './open.ts'

const tempDir = useTempDir('messenger-open-')

describe('openDb', () => {
  it('opens a file database in WAL mode with synchronous=NORMAL and foreign keys on', () => {
    const db = openDb(join(tempDir(), 'world.db'))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    // 1 = NORMAL
    expect(db.pragma('synchronous', { simple: true })).toBe(1)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0)
    db.close()
  })

  it('opens an in-memory database with foreign keys on', () => {
    const db = openDb(':memory:')
    expect(db.memory).toBe(true)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()
  })

  it('keeps committed data in a file after close and reopen', () => {
    const file = join(tempDir(), 'world.db')
    const first = openDb(file)
    first.exec('CREATE TABLE t (v TEXT) STRICT')
    first.prepare('INSERT INTO t (v) VALUES (?)').run('kept')
    first.close()
    const second = openDb(file)
    expect(second.prepare('SELECT v FROM t').pluck().all()).toEqual(['kept'])
    second.close()
  })
})

describe('openDbFromImage', () => {
  it('opens a writable copy of a serialized database with foreign keys on', () => {
    const source = openDb(':memory:')
    source.exec('CREATE TABLE t (v TEXT) STRICT')
    source.prepare('INSERT INTO t (v) VALUES (?)').run('copied')
    const copy = openDbFromImage(source.serialize())
    copy.prepare('INSERT INTO t (v) VALUES (?)').run('only in copy')
    expect(copy.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([
      'copied',
      'only in copy',
    ])
    expect(source.prepare('SELECT v FROM t').pluck().all()).toEqual(['copied'])
    expect(copy.pragma('foreign_keys', { simple: true })).toBe(1)
    source.close()
    copy.close()
  })
})
