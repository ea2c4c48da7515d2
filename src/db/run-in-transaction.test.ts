// The shared wrapper commits work, rolls it back on a throw, and nests as a savepoint.
import { describe, expect, it } from 'vitest'
import { openDb } from './open.ts'
import { runInTransaction } from './run-in-transaction.ts'

describe('runInTransaction', () => {
  it('commits, rolls back on a throw, and rolls back only the inner part of a nested call', () => {
    const db = openDb(':memory:')
    db.exec('CREATE TABLE t (v INTEGER)')
    const insert = db.prepare<[number]>('INSERT INTO t (v) VALUES (?)')
    const values = () => db.prepare<[], { v: number }>('SELECT v FROM t ORDER BY v').all()
    const transaction = runInTransaction(db)
    expect(transaction(() => insert.run(1).changes)).toBe(1)
    expect(() =>
      transaction(() => {
        insert.run(2)
        throw new Error('no')
      })
    ).toThrow('no')
    transaction(() => {
      insert.run(3)
      expect(db.inTransaction).toBe(true)
      expect(() =>
        transaction(() => {
          insert.run(4)
          throw new Error('inner')
        })
      ).toThrow('inner')
    })
    expect(values()).toEqual([{ v: 1 }, { v: 3 }])
    expect(db.inTransaction).toBe(false)
  })
})
