// The search index is kept across writes that cannot change a search (heartbeats, online status,
// avatars, settings) and rebuilt after those that can (names, emails, order, who is searchable),
// whichever statement makes them: the store then always answers as a fresh scan of the rows would.
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../db/migrate.ts'
import { openDb } from '../../db/open.ts'
import type { Db } from '../../db/open.ts'
import { preparingOnUse } from '../../db/prepare-on-use.ts'
import { seeded } from '../../testing/seeded.ts'
import { foldForSearch } from './fold.ts'
import { searchChanges } from './search-changes.ts'
import { scanEntries } from './search-index.ts'
import { createMessengerStore } from './store.ts'

const NOW = '2020-12-08T06:25:00.000000Z'
const at = (second: number) =>
  `2020-12-08T06:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}.000000Z`

let db: Db | undefined

function world(users: number): Db {
  db = openDb(':memory:')
  migrate(db)
  const insertUser = db.prepare(
    `INSERT INTO users (id, name, email, token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`
  )
  const insertMessenger = db.prepare(
    'INSERT INTO messengers (owner_id, created_at, updated_at) VALUES (?, ?, ?)'
  )
  for (let i = 0; i < users; i += 1) {
    insertUser.run(`u${i}`, `User ${i}`, `u${i}@example.net`, `t${i}`, at(i % 7), NOW)
    insertMessenger.run(`u${i}`, NOW, NOW)
  }
  return db
}

afterEach(() => {
  db?.close()
  db = undefined
})

/** What a search must give: a scan of the searchable rows as they are now. */
function freshScan(db: Db) {
  const searchable = db.prepare<[], { id: string; name: string; email: string }>(
    `SELECT u.id, u.name, u.email FROM users u JOIN messengers m ON m.owner_id = u.id
     ORDER BY u.created_at, u.id`
  )
  return (terms: string[], email: string) => {
    const entries = searchable.all().map((r) => ({
      id: r.id,
      name: foldForSearch(r.name),
      email: foldForSearch(r.email),
    }))
    return scanEntries(entries, terms, email)
  }
}

describe('search changes', () => {
  it('stay the same on writes that cannot change a search', () => {
    const db = world(3)
    const changes = searchChanges(db)
    const before = changes.version()
    db.prepare('UPDATE users SET updated_at = ? WHERE id = ?').run(at(50), 'u1')
    db.prepare(`UPDATE users SET online_kind = 'away', online_until = ? WHERE id = ?`).run(
      at(55),
      'u1'
    )
    db.prepare(`UPDATE users SET avatar = 'a.png', updated_at = ? WHERE id = ?`).run(at(56), 'u2')
    db.prepare('UPDATE messengers SET dark_mode = 0, online_status = 2 WHERE owner_id = ?').run(
      'u0'
    )
    expect(changes.version()).toBe(before)
  })

  it.each([
    ['a name', `UPDATE users SET name = 'Renamed' WHERE id = 'u1'`],
    ['an email', `UPDATE users SET email = 'x@example.net' WHERE id = 'u1'`],
    ['the order', `UPDATE users SET created_at = '2020-01-01T00:00:00.000000Z' WHERE id = 'u2'`],
    ['a user no longer searchable', `DELETE FROM messengers WHERE owner_id = 'u1'`],
    [
      'a user made searchable',
      `INSERT INTO messengers (owner_id, created_at, updated_at) VALUES ('u3', '${NOW}', '${NOW}')`,
    ],
    ['a user gone', `DELETE FROM users WHERE id = 'u2'`],
    [
      'a new user',
      `INSERT INTO users (id, name, email, token, created_at, updated_at)
       VALUES ('n', 'N', 'n@example.net', 'n', '${NOW}', '${NOW}')`,
    ],
  ])('change on %s', (_, sql) => {
    const db = world(4)
    db.exec(`DELETE FROM messengers WHERE owner_id = 'u3'`)
    const changes = searchChanges(db)
    const before = changes.version()
    db.exec(sql)
    expect(changes.version()).not.toBe(before)
  })

  it('are one watch per database object, and two objects over one connection both see', () => {
    const db = world(2)
    expect(searchChanges(db)).toBe(searchChanges(db))
    // A view of the same connection, as the worlds hand it to their stores.
    const view = preparingOnUse(db)
    const first = createMessengerStore(db)
    const second = createMessengerStore(view)
    expect(first.search(['user'], '', 10, 0).total).toBe(2)
    expect(second.search(['user'], '', 10, 0).total).toBe(2)
    db.exec(`UPDATE users SET name = 'Someone' WHERE id = 'u0'`)
    expect(first.search(['user'], '', 10, 0).ids).toEqual(['u1'])
    expect(second.search(['user'], '', 10, 0).ids).toEqual(['u1'])
  })

  it('wait outside a transaction before watching, and a search inside one is not kept', () => {
    const db = world(2)
    const store = createMessengerStore(db)
    const rolledBack = db.transaction(() => {
      expect(searchChanges(db).version()).toBeUndefined()
      db.exec(`UPDATE users SET name = 'Rolled Back' WHERE id = 'u0'`)
      expect(store.search(['rolled'], '', 10, 0).ids).toEqual(['u0'])
      throw new Error('roll back')
    })
    expect(rolledBack).toThrow('roll back')
    expect(store.search(['rolled'], '', 10, 0).ids).toEqual([])
    expect(store.search(['user'], '', 10, 0).ids).toEqual(['u0', 'u1'])
  })

  it('keep no index read inside a transaction once watching', () => {
    const db = world(2)
    const store = createMessengerStore(db)
    expect(store.search(['user'], '', 10, 0).ids).toEqual(['u0', 'u1'])
    const rolledBack = db.transaction(() => {
      expect(searchChanges(db).version()).toBeTypeOf('number')
      db.exec(`UPDATE users SET name = 'Rolled Back' WHERE id = 'u0'`)
      expect(store.search(['user'], '', 10, 0).ids).toEqual(['u1'])
      throw new Error('roll back')
    })
    expect(rolledBack).toThrow('roll back')
    expect(store.search(['rolled'], '', 10, 0).ids).toEqual([])
    expect(store.search(['user'], '', 10, 0).ids).toEqual(['u0', 'u1'])
  })
})

describe('the search store', () => {
  it('answers as a fresh scan through 1,000 mixed writes and searches, page by page', () => {
    const db = world(300)
    const store = createMessengerStore(db)
    const fresh = freshScan(db)
    const random = seeded(7)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
    const user = () => `u${Math.floor(random() * 300)}`
    const writes = [
      () => db.prepare('UPDATE users SET updated_at = ? WHERE id = ?').run(at(99), user()),
      () =>
        db
          .prepare('UPDATE users SET name = ? WHERE id = ?')
          .run(pick(['Zoë', 'JOSÉ 1', 'Ann_a']), user()),
      () =>
        db
          .prepare('UPDATE users SET created_at = ? WHERE id = ?')
          .run(at(Math.floor(random() * 9)), user()),
      () => db.prepare('DELETE FROM messengers WHERE owner_id = ?').run(user()),
      () =>
        db
          .prepare(
            'INSERT OR IGNORE INTO messengers (owner_id, created_at, updated_at) VALUES (?, ?, ?)'
          )
          .run(user(), NOW, NOW),
      () =>
        db
          .prepare('UPDATE messengers SET dark_mode = 1 - dark_mode WHERE owner_id = ?')
          .run(user()),
    ]
    for (let i = 0; i < 1000; i += 1) {
      if (random() < 0.5) {
        pick(writes)()
      }
      const terms = [pick(['user 1', 'zoe', 'jose', 'ann_', 'r 2', 'se', '1_'])]
      const email = pick(['', 'U7@EXAMPLE.NET'])
      const [limit, offset] = [pick([1, 5, 25]), pick([0, 3, 25, 200])]
      const all = fresh(terms, email)
      expect(store.search(terms, email, limit, offset)).toEqual({
        total: all.length,
        ids: all.slice(offset, offset + limit),
      })
    }
  })

  it('gives at most four terms, the first ones', () => {
    const db = world(12)
    const store = createMessengerStore(db)
    expect(store.search(['r 1', 'r 2', 'r 3', 'r 4', 'r 5'], '', 25, 0).ids).toEqual(
      freshScan(db)(['r 1', 'r 2', 'r 3', 'r 4'], '')
    )
    expect(store.search(['r 1', 'r 2', 'r 3', 'r 4', 'r 5'], '', 25, 0).ids).not.toContain('u5')
  })
})
