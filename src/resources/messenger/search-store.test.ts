// The search index is kept across the stores' writes that cannot change a search (heartbeats,
// online status, avatars, settings) and rebuilt after those that can (a user opening the
// messenger, a world loaded): the store always answers as a fresh scan of the rows would. The
// stores are held to the rules that make this so.
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../db/migrate.ts'
import { openDb } from '../../db/open.ts'
import type { Db } from '../../db/open.ts'
import { seeded } from '../../testing/seeded.ts'
import { createStores, forgetDerived } from '../registry.ts'
import { foldForSearch } from './fold.ts'
import { scanEntries } from './search-index.ts'

const NOW = '2020-12-08T06:25:00.000000Z'
const at = (second: number) =>
  `2020-12-08T06:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}.000000Z`

const SEARCHABLE =
  'SELECT u.id, u.name, u.email FROM users u JOIN messengers m ON m.owner_id = u.id ORDER BY u.created_at, u.id'

/** `sql` on one line, single spaces. */
const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim()

/** The columns an UPDATE … SET … WHERE statement sets; undefined for any other statement. */
const setColumns = (sql: string) =>
  /^UPDATE \w+ SET (.*?) WHERE /i
    .exec(sql)?.[1]
    ?.split(',')
    .map((part) => part.split('=')[0]?.trim())

let open: Db | undefined

afterEach(() => {
  open?.close()
  open = undefined
})

/** `users` users, the first `searchable` of them with a messengers row. */
function world(users: number, searchable = users): Db {
  const db = openDb(':memory:')
  open = db
  migrate(db)
  const insertUser = db.prepare(
    `INSERT INTO users (id, name, email, token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`
  )
  const insertMessenger = db.prepare(
    'INSERT INTO messengers (owner_id, created_at, updated_at) VALUES (?, ?, ?)'
  )
  for (let i = 0; i < users; i += 1) {
    insertUser.run(`u${i}`, `User ${i}`, `u${i}@example.net`, `t${i}`, at(i % 7), NOW)
    if (i < searchable) {
      insertMessenger.run(`u${i}`, NOW, NOW)
    }
  }
  return db
}

/** `db`, counting the times the searchable users are read (each read builds the index). */
function counting(db: Db): { db: Db; reads: () => number } {
  let reads = 0
  const view = new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') {
        return (sql: string) => {
          const statement = target.prepare(sql)
          if (oneLine(sql) !== SEARCHABLE) {
            return statement
          }
          return new Proxy(statement, {
            get(s, p) {
              const value: unknown = Reflect.get(s, p, s)
              if (p === 'all') {
                return () => {
                  reads += 1
                  return s.all()
                }
              }
              return typeof value === 'function' ? (value as () => unknown).bind(s) : value
            },
          })
        }
      }
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value
    },
  })
  return { db: view, reads: () => reads }
}

/** What a search must give: a scan of the searchable rows as they are now. */
function freshScan(db: Db) {
  const searchable = db.prepare<[], { id: string; name: string; email: string }>(SEARCHABLE)
  return (terms: string[], email: string) => {
    const entries = searchable.all().map((r) => ({
      id: r.id,
      name: foldForSearch(r.name),
      email: foldForSearch(r.email),
    }))
    return scanEntries(entries, terms, email)
  }
}

const SETTINGS = {
  message_popups: true,
  message_sound: false,
  call_ringtone_sound: true,
  notify_sound: true,
  dark_mode: false,
  online_status: 2,
}

describe('the search store', () => {
  it('builds the index once across heartbeats, online status, avatars and settings', () => {
    const { db, reads } = counting(world(5))
    const stores = createStores(db)
    const search = () => stores.messenger.search(['user'], '', 25, 0)
    expect(search().total).toBe(5)
    stores.users.touch('u1', at(50))
    stores.users.setOnline('u1', 'away', at(55))
    stores.users.setAvatarName('u2', 'a.png', at(56))
    stores.users.updateSettings('u0', SETTINGS, at(57))
    expect(search().total).toBe(5)
    expect(reads()).toBe(1)
  })

  it('rebuilds when a user opens the messenger or the world is loaded again', () => {
    const { db, reads } = counting(world(3, 2))
    const stores = createStores(db)
    const ids = () => stores.messenger.search(['user'], '', 25, 0).ids
    expect(ids()).toEqual(['u0', 'u1'])
    stores.users.settingsOrCreate('u2', NOW)
    expect(ids()).toEqual(['u0', 'u1', 'u2'])
    expect(reads()).toBe(2)
    // A world loaded over the rows: the stores are told (forgetDerived), as loading does.
    db.exec(`UPDATE users SET name = 'Someone' WHERE id = 'u0'`)
    forgetDerived(stores)
    expect(ids()).toEqual(['u1', 'u2'])
  })

  it('keeps nothing it read inside a transaction that rolled back', () => {
    const db = world(4, 2)
    const stores = createStores(db)
    const ids = () => stores.messenger.search(['user'], '', 25, 0).ids
    expect(ids()).toEqual(['u0', 'u1'])
    const rolledBack = db.transaction(() => {
      stores.users.settingsOrCreate('u2', NOW)
      expect(ids()).toEqual(['u0', 'u1', 'u2'])
      throw new Error('roll back')
    })
    expect(rolledBack).toThrow('roll back')
    // Another user opens the messenger before the next search: the same count and last rowid as
    // the rolled-back row gave, so an index remembered from inside the transaction would pass.
    stores.users.settingsOrCreate('u3', NOW)
    expect(ids()).toEqual(['u0', 'u1', 'u3'])
  })

  it('answers as a fresh scan through 600 mixed writes and searches, page by page', () => {
    const db = world(300, 200)
    const stores = createStores(db)
    const fresh = freshScan(db)
    const random = seeded(7)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
    const user = () => `u${Math.floor(random() * 300)}`
    const writes = [
      () => stores.users.touch(user(), at(99)),
      () => stores.users.setOnline(user(), 'online', at(98)),
      () => stores.users.setAvatarName(user(), pick([null, 'b.png']), at(97)),
      () => stores.users.settingsOrCreate(user(), NOW),
      () => {
        stores.users.updateSettings(user(), SETTINGS, at(96))
      },
      () => {
        // What a world load changes, followed by what loading does (tell the stores).
        const rename = db.prepare('UPDATE users SET name = ? WHERE id = ?')
        rename.run(pick(['Zoë', 'JOSÉ 1', 'Ann_a']), user())
        forgetDerived(stores)
      },
    ]
    for (let i = 0; i < 600; i += 1) {
      if (random() < 0.5) {
        pick(writes)()
      }
      const terms = [pick(['user 1', 'zoe', 'jose', 'ann_', 'r 2', 'se', '1_'])]
      const email = pick(['', 'U7@EXAMPLE.NET'])
      const [limit, offset] = [pick([1, 5, 25]), pick([0, 3, 25, 200])]
      const all = fresh(terms, email)
      expect(stores.messenger.search(terms, email, limit, offset)).toEqual({
        total: all.length,
        ids: all.slice(offset, offset + limit),
      })
    }
  })

  it('gives at most four terms, the first ones', () => {
    const db = world(12)
    const stores = createStores(db)
    const found = stores.messenger.search(['r 1', 'r 2', 'r 3', 'r 4', 'r 5'], '', 25, 0).ids
    expect(found).toEqual(freshScan(db)(['r 1', 'r 2', 'r 3', 'r 4'], ''))
    expect(found).not.toContain('u5')
  })
})

/** Every statement the stores declare, as written. */
function storeStatements(): string[] {
  const db = world(1)
  const statements: string[] = []
  const view = new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') {
        return (sql: string) => {
          statements.push(oneLine(sql))
          return target.prepare(sql)
        }
      }
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value
    },
  })
  createStores(view)
  return statements
}

describe('the stores keep what search reads unchanged', () => {
  const statements = storeStatements()

  it('write no user id, name, email or created_at, and add or remove no user', () => {
    const writes = statements.filter((sql) =>
      /^(INSERT|UPDATE|DELETE|REPLACE)\b.*\busers\b/i.test(sql)
    )
    expect(writes.length).toBeGreaterThan(0)
    for (const sql of writes) {
      const columns = setColumns(sql)
      expect(
        columns,
        `${sql}: only UPDATE users SET … WHERE, or search's index goes stale`
      ).toBeDefined()
      for (const column of ['id', 'name', 'email', 'created_at']) {
        expect(columns, `${sql}: search's index would not see ${column} change`).not.toContain(
          column
        )
      }
    }
  })

  it('only ever add messengers rows, never remove or move one', () => {
    const writes = statements.filter((sql) =>
      /^(INSERT|UPDATE|DELETE|REPLACE)\b.*\bmessengers\b/i.test(sql)
    )
    expect(writes.length).toBeGreaterThan(1)
    for (const sql of writes) {
      expect(sql, 'search keeps its index while the count and last rowid hold').toMatch(
        /^(INSERT INTO|UPDATE) messengers\b/i
      )
      expect(setColumns(sql) ?? [], `${sql}: a messengers row must not move`).not.toContain(
        'owner_id'
      )
    }
  })
})
