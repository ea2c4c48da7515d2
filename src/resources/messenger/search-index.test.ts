// The search index finds exactly what the plain scan finds, and what SQLite's own LIKE finds over
// the same folded names, in the same order, on a generated world of awkward names and queries.
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { seeded } from '../../testing/seeded.ts'
import { foldForSearch } from './fold.ts'
import { buildSearchIndex, scanEntries } from './search-index.ts'
import type { SearchEntry } from './search-index.ts'

/** Name parts chosen to be hard: accents, case, ß/ss, a ligature, `_`, regex characters, emoji. */
const PARTS = [
  'jo',
  'ja',
  'ne',
  'Doe',
  'Jane',
  'zoë',
  'ZOË',
  'Saldaña',
  'JOSÉ',
  'Müller',
  'Straße',
  'strasse',
  'ﬁne',
  'İlker',
  '(qa)',
  '[ops]+',
  'a_b',
  '_',
  "O'Kon",
  '😀x',
  'Ωmega',
  '.*',
  '$1',
  'x',
  'yy',
  'ann',
  'anna',
] as const

function world(random: () => number, size: number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const raw = Array.from({ length: size }, (_, i) => {
    const name = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(PARTS)).join(
      random() < 0.8 ? ' ' : ''
    )
    // Accented and plain emails that fold alike (josé@… and JOSE@…) are distinct rows.
    const email = `${pick(['josé', 'JOSE', 'ann', 'Zoë', `u${i}`])}.${i % 7}@example.net`
    return { id: `user-${i}`, name, email }
  })
  const entries: SearchEntry[] = raw.map((user) => ({
    id: user.id,
    name: foldForSearch(user.name),
    email: foldForSearch(user.email),
  }))
  return { raw, entries, pick }
}

/** A query term: a piece of a name (some characters made `_`, case changed), short, or random. */
function term(random: () => number, names: readonly string[], pick: <T>(i: readonly T[]) => T) {
  const kind = random()
  if (kind < 0.5) {
    const name = pick(names)
    const start = Math.floor(random() * name.length)
    // By code point, as `_` stands for one; the slice may cut a surrogate pair, on purpose.
    const chars = Array.from(name.slice(start, start + 2 + Math.floor(random() * 6)), (c) =>
      random() < 0.15 ? '_' : c
    )
    const text = chars.join('')
    return random() < 0.3 ? text.toUpperCase() : text
  }
  if (kind < 0.7) {
    return pick(['jo', 'ne', 'ß', 'é', 'Ë', '_a', 'a_', '__', 'x_y', 'ﬁ', '😀', 'ss', 'İ'])
  }
  return Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(PARTS)).join(' ')
}

/** SQLite's LIKE over the folded names: an implementation the index shares no code with. */
function sqliteLike(entries: readonly SearchEntry[]) {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE t (pos INTEGER PRIMARY KEY, id TEXT, name TEXT, email TEXT)')
  const insert = db.prepare('INSERT INTO t (pos, id, name, email) VALUES (?, ?, ?, ?)')
  entries.forEach((e, pos) => insert.run(pos, e.id, e.name, e.email))
  // One statement per number of terms (1 to 4).
  const queries = [1, 2, 3, 4].map((n) =>
    db
      .prepare<string[], string>(
        `SELECT id FROM t WHERE email = ?${' OR name LIKE ?'.repeat(n)} ORDER BY pos`
      )
      .pluck()
  )
  return {
    find(terms: readonly string[], email: string): string[] {
      const query = queries[terms.length - 1]
      if (query === undefined) {
        throw new Error(`1 to 4 terms, not ${terms.length}`)
      }
      return query.all(foldForSearch(email), ...terms.map((t) => `%${foldForSearch(t)}%`))
    },
    close: () => db.close(),
  }
}

describe('the search index', () => {
  it.each([
    ['through its candidates', Infinity],
    ['as it runs (scanning when most users are candidates)', undefined],
  ])(
    'finds what the scan and SQLite LIKE find, in order, for 2,000 generated queries, %s',
    (_, scanShare) => {
      const random = seeded(20201208)
      const { raw, entries, pick } = world(random, 300)
      const index = buildSearchIndex(entries, scanShare)
      const like = sqliteLike(entries)
      const names = raw.map((user) => user.name)
      let nonEmpty = 0
      try {
        for (let i = 0; i < 2000; i += 1) {
          const terms = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
            term(random, names, pick)
          )
          const email =
            random() < 0.3 ? pick(raw).email.toUpperCase() : `${terms.join(' ')}@example.net`
          const found = index.find(terms, email)
          const query = JSON.stringify({ terms, email })
          expect(found, query).toEqual(scanEntries(entries, terms, email))
          expect(found, query).toEqual(like.find(terms, email))
          nonEmpty += found.length > 0 ? 1 : 0
        }
      } finally {
        like.close()
      }
      // The queries exercised matches, not only misses.
      expect(nonEmpty).toBeGreaterThan(1000)
    }
  )

  it('reads _ as one character and keeps terms of one or two characters', () => {
    const entries = ['jane doe', 'jaune', 'j_ne', 'ßig', 'ssig', 'é', 'a😀b'].map((name, i) => ({
      id: String(i),
      name: foldForSearch(name),
      email: `${i}@example.net`,
    }))
    const index = buildSearchIndex(entries)
    expect(index.find(['j_ne'], '')).toEqual(['0', '2'])
    expect(index.find(['ja_ne'], '')).toEqual(['1'])
    expect(index.find(['_ne'], '')).toEqual(['0', '1', '2'])
    expect(index.find(['SSIG'], '')).toEqual(['3', '4'])
    expect(index.find(['É'], '')).toEqual(['0', '1', '2', '5'])
    expect(index.find(['a_b'], '')).toEqual(['6'])
    expect(index.find(['zz', 'doe'], '')).toEqual(['0'])
  })

  it('finds a user by the whole folded email only', () => {
    const entries = [
      { id: 'a', name: 'ann', email: foldForSearch('José@Example.net') },
      { id: 'b', name: 'bob', email: foldForSearch('jose@example.net') },
    ]
    const index = buildSearchIndex(entries)
    expect(index.find(['zz'], 'JOSE@example.net')).toEqual(['a', 'b'])
    expect(index.find(['zz'], 'jose@example')).toEqual([])
  })
})
