// The account endpoints' own queries: active calls of a user's threads and the provider search.
import type { Db } from '../../db/open.ts'
import { createRowCache } from '../../world/row-cache.ts'
import type { RowCache } from '../../world/row-cache.ts'
import { foldForSearch } from './fold.ts'
import { searchChanges } from './search-changes.ts'
import { buildSearchIndex } from './search-index.ts'
import type { SearchIndex } from './search-index.ts'
import { runInTransaction } from '../../db/run-in-transaction.ts'

/** Search gives at most this many terms (the first ones). */
export const MAX_SEARCH_TERMS = 4

/** Folded names and emails remembered at most, per world (they are short strings). */
const MAX_REMEMBERED_FOLDS = 50_000

export function createMessengerStore(db: Db, rows: RowCache = createRowCache(db)) {
  const activeCalls = db.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM participants p JOIN threads t ON t.id = p.thread_id
     WHERE p.owner_id = ? AND p.deleted_at IS NULL AND t.deleted_at IS NULL
       AND EXISTS (SELECT 1 FROM calls c WHERE c.thread_id = t.id AND c.call_ended IS NULL)`
  )

  // The searchable users (those with a messengers row), oldest first, with their name and email
  // folded as the backend's collation compared them, in an index of name pieces
  // (search-index.ts). It is kept until a write to what it was read from (search-changes.ts):
  // heartbeats, settings and avatars leave it standing, and the page's users are read afresh by
  // the caller. Folds are remembered by text, so a rebuild folds only new names again.
  const searchable = db.prepare<[], { id: string; name: string; email: string }>(
    `SELECT u.id, u.name, u.email FROM users u JOIN messengers m ON m.owner_id = u.id
     ORDER BY u.created_at, u.id`
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
  const readIndex = () =>
    buildSearchIndex(
      searchable.all().map((user) => ({
        id: user.id,
        name: fold(user.name),
        email: fold(user.email),
      }))
    )
  const changes = searchChanges(db)
  let kept: { version: number; index: SearchIndex } | undefined
  const searchIndex = (): SearchIndex => {
    const version = changes.version()
    if (version === undefined || db.inTransaction) {
      // Read afresh and kept nowhere: the transaction may still roll back.
      return readIndex()
    }
    if (kept?.version !== version) {
      kept = { version, index: readIndex() }
    }
    return kept.index
  }

  return {
    /** Runs `fn` in one transaction (nested calls become savepoints). */
    transaction: runInTransaction(db),
    /** Threads the user is a current participant of that have an active call. */
    activeCallsCount: (userId: string) =>
      rows.get(`active-calls:${userId}`, () => activeCalls.get(userId)?.n ?? 0, [
        'participants',
        'threads',
        'calls',
      ]),
    /**
     * Users whose name contains any of `terms` or whose email is `email` (case-insensitive),
     * oldest first: the total and the ids of one page.
     */
    search(terms: readonly string[], email: string, limit: number, offset: number) {
      const found = searchIndex().find(terms.slice(0, MAX_SEARCH_TERMS), email)
      return { total: found.length, ids: found.slice(offset, offset + limit) }
    },
    /** Drops the kept index (the world's rows were replaced). */
    forget(): void {
      kept = undefined
    },
  }
}

export type MessengerStore = ReturnType<typeof createMessengerStore>
