// The account endpoints' own queries: active calls of a user's threads and the provider search.
import type { Db } from '../../db/open.ts'
import type { UserRow } from '../../db/rows.ts'
import { createRowCache } from '../../world/row-cache.ts'
import type { RowCache } from '../../world/row-cache.ts'
import { foldForSearch, registerSearchFold } from './fold.ts'

/** Search gives at most this many terms (the first ones). */
export const MAX_SEARCH_TERMS = 4

export function createMessengerStore(db: Db, rows: RowCache = createRowCache(db)) {
  const activeCalls = db.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM participants p JOIN threads t ON t.id = p.thread_id
     WHERE p.owner_id = ? AND p.deleted_at IS NULL AND t.deleted_at IS NULL
       AND EXISTS (SELECT 1 FROM calls c WHERE c.thread_id = t.id AND c.call_ended IS NULL)`
  )

  // One pair of statements per number of terms (0 to 4), prepared on first use. Only users with a
  // messengers row are searchable. LIKE keeps `_` a wildcard, as MySQL's did; both sides are folded
  // as the backend's collation compared them.
  registerSearchFold(db)
  const searchStatements = new Map<number, ReturnType<typeof prepareSearch>>()
  const prepareSearch = (terms: number) => {
    const names = Array.from({ length: terms }, () => 'search_fold(u.name) LIKE ?')
    const email = 'search_fold(u.email) = ?'
    const where = [...(terms > 0 ? [`(${names.join(' OR ')})`] : []), email].join(' OR ')
    const from = `FROM users u JOIN messengers m ON m.owner_id = u.id WHERE ${where}`
    return {
      count: db.prepare<string[], { n: number }>(`SELECT count(*) AS n ${from}`),
      page: db.prepare<(string | number)[], UserRow>(
        `SELECT u.* ${from} ORDER BY u.created_at, u.id LIMIT ? OFFSET ?`
      ),
    }
  }
  const statementsFor = (terms: number) => {
    let statements = searchStatements.get(terms)
    if (!statements) {
      statements = prepareSearch(terms)
      searchStatements.set(terms, statements)
    }
    return statements
  }

  return {
    /** Runs `fn` in one transaction (nested calls become savepoints). */
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    /** Threads the user is a current participant of that have an active call. */
    activeCallsCount: (userId: string) =>
      rows.get(`active-calls:${userId}`, () => activeCalls.get(userId)?.n ?? 0, [
        'participants',
        'threads',
        'calls',
      ]),
    /**
     * Users whose name contains any of `terms` or whose email is `email` (case-insensitive),
     * oldest first: the total and one page.
     */
    search(terms: readonly string[], email: string, limit: number, offset: number) {
      const used = terms.slice(0, MAX_SEARCH_TERMS)
      const statements = statementsFor(used.length)
      const args = [...used.map((term) => `%${foldForSearch(term)}%`), foldForSearch(email)]
      const total = statements.count.get(...args)?.n ?? 0
      const users = total > offset ? statements.page.all(...args, limit, offset) : []
      return { total, users }
    },
  }
}

export type MessengerStore = ReturnType<typeof createMessengerStore>
