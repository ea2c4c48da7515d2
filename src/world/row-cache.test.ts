// The read model keeps rows between reads, drops those read from a table on a write to it through
// its statements (and only those), keeps nothing read inside a transaction, and stays bounded.
import { describe, expect, it } from 'vitest'
import { openDb } from '../db/open.ts'
import { createRowCache, writtenTable } from './row-cache.ts'

function world() {
  const db = openDb(':memory:')
  db.exec(`CREATE TABLE users (id TEXT PRIMARY KEY, v INTEGER);
    INSERT INTO users VALUES ('a', 1);
    CREATE TABLE calls (id TEXT PRIMARY KEY, v INTEGER)`)
  const select = db.prepare<[string], { id: string; v: number }>('SELECT * FROM users WHERE id = ?')
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
    const user = rows.lookup(['users'], (id) => read(id)())
    const set = rows.writes(db.prepare<[number, string]>('UPDATE users SET v = ? WHERE id = ?'))
    expect(user('a')).toEqual({ id: 'a', v: 1 })
    expect(user('a')).toEqual({ id: 'a', v: 1 })
    expect(reads).toEqual(['a'])
    set.run(2, 'a')
    expect(user('a')).toEqual({ id: 'a', v: 2 })
    expect(reads).toEqual(['a', 'a'])
  })

  it('keeps an absent row as absent, and forget() drops it', () => {
    const { db, read, reads } = world()
    const rows = createRowCache(db)
    const user = rows.lookup(['users'], (id) => read(id)())
    expect(user('b')).toBeUndefined()
    expect(user('b')).toBeUndefined()
    db.exec("INSERT INTO users VALUES ('b', 5)")
    rows.forget()
    expect(user('b')).toEqual({ id: 'b', v: 5 })
    expect(reads).toEqual(['b', 'b'])
  })

  it('keeps nothing read inside a transaction, which may still roll back', () => {
    const { db, read, reads } = world()
    const rows = createRowCache(db)
    const user = rows.lookup(['users'], (id) => read(id)())
    const set = rows.writes(db.prepare<[number, string]>('UPDATE users SET v = ? WHERE id = ?'))
    expect(() => {
      db.transaction(() => {
        set.run(9, 'a')
        expect(user('a')).toEqual({ id: 'a', v: 9 })
        throw new Error('roll back')
      })()
    }).toThrow('roll back')
    expect(user('a')).toEqual({ id: 'a', v: 1 })
    expect(reads).toEqual(['a', 'a'])
  })

  it('hands out frozen rows, so no request can change what the next one reads', () => {
    const { db, read } = world()
    const rows = createRowCache(db)
    const user = rows.lookup(['users'], (id) => read(id)())
    const row = user('a')
    expect(Object.isFrozen(row)).toBe(true)
    const list = rows.lookup(['users'], () => [{ id: 'x' }])('list')
    expect(Object.isFrozen(list) && Object.isFrozen(list[0])).toBe(true)
  })

  it('starts over past its bound', () => {
    const { db, read, reads } = world()
    const rows = createRowCache(db, 2)
    const user = rows.lookup(['users'], (id) => read(id)())
    user('a')
    user('x')
    user('y')
    user('a')
    expect(reads).toEqual(['a', 'x', 'y', 'a'])
  })

  it('keeps lookups by one or two ids, absent rows too, until a write to a table they read', () => {
    const { db, read, reads } = world()
    const rows = createRowCache(db)
    const user = rows.lookup(['users'], (id) => read(id)())
    const values = db.prepare<[string], { v: number }>('SELECT v FROM users WHERE id = ?')
    const pair = rows.lookup2(['users', 'calls'], (a, b) => {
      reads.push(`${a}+${b}`)
      return [values.get(a)?.v, values.get(b)?.v]
    })
    const setUser = rows.writes(db.prepare<[number, string]>('UPDATE users SET v = ? WHERE id = ?'))
    const addCall = rows.writes(db.prepare<[string]>('INSERT INTO calls (id, v) VALUES (?, 0)'))
    expect(user('a')).toEqual({ id: 'a', v: 1 })
    expect(user('a')).toEqual({ id: 'a', v: 1 })
    expect(user('zz')).toBeUndefined()
    expect(user('zz')).toBeUndefined()
    expect(pair('a', 'zz')).toEqual([1, undefined])
    expect(pair('a', 'zz')).toEqual([1, undefined])
    expect(Object.isFrozen(user('a')) && Object.isFrozen(pair('a', 'zz'))).toBe(true)
    expect(reads).toEqual(['a', 'zz', 'a+zz'])
    // A write to `calls` drops the pair (it reads calls) but not the user.
    addCall.run('c1')
    expect(user('a')).toEqual({ id: 'a', v: 1 })
    expect(pair('a', 'zz')).toEqual([1, undefined])
    expect(reads).toEqual(['a', 'zz', 'a+zz', 'a+zz'])
    setUser.run(4, 'a')
    expect(user('a')).toEqual({ id: 'a', v: 4 })
    expect(pair('a', 'zz')).toEqual([4, undefined])
    expect(reads).toEqual(['a', 'zz', 'a+zz', 'a+zz', 'a', 'a+zz'])
  })

  it('counts the values of every lookup together against its bound, and starts over past it', () => {
    const { db, read, reads } = world()
    const rows = createRowCache(db, 3)
    const user = rows.lookup(['users'], (id) => read(id)())
    const pair = rows.lookup2(['users'], (a, b) => {
      reads.push(`${a}+${b}`)
      return a + b
    })
    pair('t', '1')
    pair('t', '2')
    user('a')
    // The fourth value starts over: every kept value is read again.
    pair('t', '3')
    pair('t', '1')
    user('a')
    expect(reads).toEqual(['t+1', 't+2', 'a', 't+3', 't+1', 'a'])
    // The lookup that made room still keeps what it read after (its map was emptied, not lost).
    pair('t', '3')
    expect(reads).toEqual(['t+1', 't+2', 'a', 't+3', 't+1', 'a'])
  })

  it('keeps what was read from other tables across a write', () => {
    const { db, read, reads } = world()
    const rows = createRowCache(db)
    const user = rows.lookup(['users'], (id) => read(id)())
    const other = rows.writes(db.prepare<[string]>('INSERT INTO calls (id, v) VALUES (?, 0)'))
    const set = rows.writes(db.prepare<[number, string]>('UPDATE users SET v = ? WHERE id = ?'))
    user('a')
    other.run('c1')
    expect(user('a')).toEqual({ id: 'a', v: 1 })
    expect(reads).toEqual(['a'])
    // A value read from two tables goes with a write to either.
    let counted = 0
    const count = () => {
      counted += 1
      return counted
    }
    const both = rows.lookup(['users', 'calls'], count)
    expect(both('both')).toBe(1)
    other.run('c2')
    expect(both('both')).toBe(2)
    set.run(3, 'a')
    expect(both('both')).toBe(3)
    expect(user('a')).toEqual({ id: 'a', v: 3 })
  })

  it('tells the table of every kind of write statement, and refuses what it cannot tell', () => {
    expect(writtenTable('INSERT INTO calls (id) VALUES (?)')).toBe('calls')
    expect(writtenTable('  insert or replace into "users" VALUES (?)')).toBe('users')
    expect(writtenTable('UPDATE call_participants\n SET x = 1')).toBe('call_participants')
    expect(writtenTable('DELETE FROM avatars WHERE user_id = ?')).toBe('avatars')
    expect(() => writtenTable('SELECT * FROM users')).toThrow(/not a single-table write/)
  })
})
