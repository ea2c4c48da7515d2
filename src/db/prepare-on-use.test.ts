// The database view the stores get: statements compile on first use, then behave as prepared ones.
import { describe, expect, it } from 'vitest'
import { openDb } from './open.ts'
import { preparingOnUse } from './prepare-on-use.ts'

function counted() {
  const db = openDb(':memory:')
  db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, v INTEGER); INSERT INTO t VALUES ('a', 1)")
  const compiled: string[] = []
  const prepare = db.prepare.bind(db)
  db.prepare = (sql: string) => {
    compiled.push(sql)
    return prepare(sql)
  }
  return { db, compiled }
}

describe('preparingOnUse', () => {
  it('compiles a statement on its first use only, and tells its SQL without compiling it', () => {
    const { db, compiled } = counted()
    const view = preparingOnUse(db)
    const select = view.prepare<[string], { id: string; v: number }>('SELECT * FROM t WHERE id = ?')
    const never = view.prepare('SELECT v FROM t')
    expect(select.source).toBe('SELECT * FROM t WHERE id = ?')
    expect(compiled).toEqual([])
    expect(select.get('a')).toEqual({ id: 'a', v: 1 })
    expect(select.get('b')).toBeUndefined()
    expect(select.all('a')).toEqual([{ id: 'a', v: 1 }])
    expect(compiled).toEqual(['SELECT * FROM t WHERE id = ?'])
    expect(never.source).toBe('SELECT v FROM t')
  })

  it('runs writes, plucks, and transactions through the real database', () => {
    const { db } = counted()
    const view = preparingOnUse(db)
    const insert = view.prepare<[string, number]>('INSERT INTO t VALUES (?, ?)')
    const count = view.prepare<[], number>('SELECT count(*) FROM t').pluck()
    expect(() => {
      view.transaction(() => {
        insert.run('b', 2)
        expect(view.inTransaction).toBe(true)
        expect(count.get()).toBe(2)
        throw new Error('roll back')
      })()
    }).toThrow('roll back')
    expect(count.get()).toBe(1)
    expect(insert.run('c', 3).changes).toBe(1)
    expect(count.get()).toBe(2)
  })

  it('makes a transaction when it is first run, in any of its kinds', () => {
    const { db } = counted()
    const view = preparingOnUse(db)
    const insert = view.prepare<[string, number]>('INSERT INTO t VALUES (?, ?)')
    const add = view.transaction((id: string) => insert.run(id, 2).changes)
    expect(add('b')).toBe(1)
    expect(add.immediate('c')).toBe(1)
    expect(add.deferred('d')).toBe(1)
    expect(add.exclusive('e')).toBe(1)
    expect(view.prepare('SELECT count(*) FROM t').pluck().get()).toBe(5)
    expect(() => {
      view
        .transaction(() => {
          insert.run('f', 2)
          throw new Error('roll back')
        })
        .immediate()
    }).toThrow('roll back')
    expect(view.prepare('SELECT count(*) FROM t').pluck().get()).toBe(5)
  })

  it('reports a bad statement when it is first used', () => {
    const { db } = counted()
    const bad = preparingOnUse(db).prepare('SELECT x FROM nowhere')
    expect(() => bad.get()).toThrow(/no such table: nowhere/)
  })
})
