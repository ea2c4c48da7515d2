// The database a sandbox opens only when a request first needs it, and that says when it starts
// to write.
import { describe, expect, it } from 'vitest'
import { createStores } from '../resources/registry.ts'
import { openOnUse } from './open-on-use.ts'
import { openDb } from './open.ts'
import { preparingOnUse } from './prepare-on-use.ts'
import { migrate } from './migrate.ts'

function lazily(onWrite?: (sql: string) => void) {
  const opens: string[] = []
  const db = openOnUse(
    () => {
      opens.push('open')
      const real = openDb(':memory:')
      real.exec("CREATE TABLE t (id TEXT PRIMARY KEY, v INTEGER); INSERT INTO t VALUES ('a', 1)")
      return real
    },
    { onWrite }
  )
  return { ...db, opens }
}

describe('openOnUse', () => {
  it('opens on the first use, once, and tells open and inTransaction without opening', () => {
    const lazy = lazily()
    expect(lazy.db.open).toBe(true)
    expect(lazy.db.inTransaction).toBe(false)
    expect(lazy.opened()).toBeUndefined()
    expect(lazy.db.prepare('SELECT v FROM t').pluck().get()).toBe(1)
    expect(lazy.db.prepare('SELECT id FROM t').pluck().get()).toBe('a')
    expect(lazy.opens).toEqual(['open'])
    expect(lazy.opened()?.open).toBe(true)
  })

  it('closes like a database: never opened, or opened', () => {
    const never = lazily()
    never.close()
    expect(never.db.open).toBe(false)
    expect(() => never.db.prepare('SELECT 1')).toThrow(/not open/)
    expect(never.opens).toEqual([])

    const used = lazily()
    used.db.prepare('SELECT 1').get()
    used.close()
    expect(used.db.open).toBe(false)
    expect(used.opened()?.open).toBe(false)
    expect(() => used.db.prepare('SELECT 1')).toThrow(/not open/)
  })

  it('says before a write first runs that it will write; reads say nothing', () => {
    const writes: string[] = []
    const lazy = lazily((sql) => {
      // Told before the statement runs: the row is not written yet.
      writes.push(`${sql} (v=${String(lazy.opened()?.prepare('SELECT v FROM t').pluck().get())})`)
    })
    lazy.db.prepare('SELECT * FROM t').all()
    expect(writes).toEqual([])
    const update = lazy.db.prepare('UPDATE t SET v = v + 1')
    update.run()
    expect(writes).toEqual(['UPDATE t SET v = v + 1 (v=1)'])
    lazy.db.exec('DELETE FROM t')
    lazy.db.pragma('user_version = 3')
    expect(writes.slice(1)).toEqual([
      'DELETE FROM t (v=2)',
      'PRAGMA user_version = 3 (v=undefined)',
    ])
  })

  it('lets a world build its stores (statements and transactions) without opening', () => {
    const lazy = openOnUse(() => {
      const real = openDb(':memory:')
      migrate(real)
      return real
    })
    const stores = createStores(preparingOnUse(lazy.db))
    expect(lazy.opened()).toBeUndefined()
    expect(stores.users.byToken('nobody')).toBeUndefined()
    expect(lazy.opened()).toBeDefined()
  })
})
