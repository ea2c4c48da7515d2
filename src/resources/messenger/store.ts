// The account endpoints' own queries: active calls of a user's threads and the provider search.
import type { Db } from '../../db/open.ts'
import type { UserRow } from '../../db/rows.ts'
import { createRowCache } from '../../world/row-cache.ts'
import type { RowCache } from '../../world/row-cache.ts'
import { foldForSearch } from './fold.ts'

/** Search gives at most this many terms (the first ones). */
export const MAX_SEARCH_TERMS = 4

/** Folded names and emails remembered at most, per world (they are short strings). */
const MAX_REMEMBERED_FOLDS = 50_000

interface SearchEntry {
  row: UserRow
  name: string
  email: string
}

/**
 * `name LIKE '%term%'` as MySQL (and SQLite) read it, for a term already folded: `_` stands for
 * any one character, everything else for itself. The parser has removed `%` and the backslash.
 */
export function likePattern(term: string): RegExp {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  return new RegExp(foldForSearch(term).split('_').map(literal).join('.'), 'su')
}

export function createMessengerStore(db: Db, rows: RowCache = createRowCache(db)) {
  const activeCalls = db.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM participants p JOIN threads t ON t.id = p.thread_id
     WHERE p.owner_id = ? AND p.deleted_at IS NULL AND t.deleted_at IS NULL
       AND EXISTS (SELECT 1 FROM calls c WHERE c.thread_id = t.id AND c.call_ended IS NULL)`
  )

  // The searchable users (those with a messengers row), oldest first, with their name and email
  // folded as the backend's collation compared them: kept in the read model until a user or a
  // messengers row is written, so a search is a scan of folded strings in memory instead of a
  // table scan calling the folding function twice a row. Folds are remembered by text, so
  // rebuilding after a heartbeat (a write to users) folds nothing again.
  const searchable = db.prepare<[], UserRow>(
    `SELECT u.* FROM users u JOIN messengers m ON m.owner_id = u.id ORDER BY u.created_at, u.id`
  )
  const folds = new Map<string, string>()
  const fold = (text: string) => {
    let folded = folds.get(text)
    if (folded === undefined) {
      if (folds.size >= MAX_REMEMBERED_FOLDS) {
        folds.clear()
      }
      folded = foldForSearch(text)
      folds.set(text, folded)
    }
    return folded
  }
  const searchIndex = (): readonly SearchEntry[] =>
    rows.get(
      'search-index',
      () => searchable.all().map((row) => ({ row, name: fold(row.name), email: fold(row.email) })),
      ['users', 'messengers']
    )

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
      const patterns = terms.slice(0, MAX_SEARCH_TERMS).map(likePattern)
      const exact = foldForSearch(email)
      const found = searchIndex().filter(
        (entry) => entry.email === exact || patterns.some((pattern) => pattern.test(entry.name))
      )
      return { total: found.length, users: found.slice(offset, offset + limit).map((e) => e.row) }
    },
  }
}

export type MessengerStore = ReturnType<typeof createMessengerStore>
