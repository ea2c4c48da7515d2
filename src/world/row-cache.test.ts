// The read model keeps rows between reads, drops them all on a write through its statements, keeps
// nothing read inside a transaction, and stays bounded.
import { describe, expect, it } from 'vitest'
import { openDb } from '../db/open.ts'
import { createRowCache } from './row-cache.ts'

function world() {
  const db = openDb(':memory:')
  db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, v INTEGER); INSERT INTO t VALUES ('a', 1)")
  const select = db.prepare<[string], { id: string; v: number }>('SELECT * FROM t WHERE id = ?')
  const reads: string[] = []
  const read = (id: string) => () => {
    reads.push(id)
    return select.get(id)
  }
  return { db, read, reads }
}

describe('createRowCache', () => {
  it('reads a row once until a write through its statements, then reads the new row', () => {
    const { db, read, reads } = world()
    const rows = createRowCache(db)
    const set = rows.writes(db.prepare<[number, string]>('UPDATE t SET v = ? WHERE id = ?'))
    expect(rows.get('a', read('a'))).toEqual({ id: 'a', v: 1 })
    expect(rows.get('a', read('a'))).toEqual({ id: 'a', v: 1 })
    expect(reads).toEqual(['a'])
    set.run(2, 'a')
    expect(rows.get('a', read('a'))).toEqual({ id: 'a', v: 2 })
    expect(reads).toEqual(['a', 'a'])
  })

  it('keeps an absent row as absent, and forget() drops it', () => {
    const { db, read, reads } = world()
    const rows = createRowCache(db)
    expect(rows.get('b', read('b'))).toBeUndefined()
    expect(rows.get('b', read('b'))).toBeUndefined()
    db.exec("INSERT INTO t VALUES ('b', 5)")
    rows.forget()
    expect(rows.get('b', read('b'))).toEqual({ id: 'b', v: 5 })
    expect(reads).toEqual(['b', 'b'])
  })

  it('keeps nothing read inside a transaction, which may still roll back', () => {
    const { db, read } = world()
    const rows = createRowCache(db)
    const set = rows.writes(db.prepare<[number, string]>('UPDATE t SET v = ? WHERE id = ?'))
    expect(() => {
      db.transaction(() => {
        set.run(9, 'a')
        expect(rows.get('a', read('a'))).toEqual({ id: 'a', v: 9 })
        throw new Error('roll back')
      })()
    }).toThrow('roll back')
    expect(rows.get('a', read('a'))).toEqual({ id: 'a', v: 1 })
  })

  it('hands out frozen rows, so no request can change what the next one reads', () => {
    const { db, read } = world()
    const rows = createRowCache(db)
    const row = rows.get('a', read('a'))
    expect(Object.isFrozen(row)).toBe(true)
    const list = rows.get('list', () => [{ id: 'x' }])
    expect(Object.isFrozen(list) && Object.isFrozen(list[0])).toBe(true)
  })

  it('starts over past its bound', () => {
    const { db, read, reads } = world()
    const rows = createRowCache(db, 2)
    rows.get('a', read('a'))
    rows.get('x', read('x'))
    rows.get('y', read('y'))
    rows.get('a', read('a'))
    expect(reads).toEqual(['a', 'x', 'y', 'a'])
  })
})
