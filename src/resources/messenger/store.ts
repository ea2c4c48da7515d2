// The account endpoints' own queries: active calls of a user's threads and the provider search.
import type { Db } from '../../db/open.ts'
import { createRowCache } from '../../world/row-cache.ts'
import type { RowCache } from '../../world/row-cache.ts'
import { foldForSearch } from './fold.ts'
import { buildSearchIndex } from './search-index.ts'
import type { SearchIndex } from './search-index.ts'
import { runInTransaction } from '../../db/run-in-transaction.ts'

/** Search gives at most this many terms (the first ones). */
export const MAX_SEARCH_TERMS = 4

/** Folded names and emails remembered at most, per world (they are short strings). */
const MAX_REMEMBERED_FOLDS = 50_000

const ONE_INDEX = 'search-index'

export function createMessengerStore(db: Db, rows: RowCache = createRowCache(db)) {
  const activeCalls = db.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM participants p JOIN threads t ON t.id = p.thread_id
     WHERE p.owner_id = ? AND p.deleted_at IS NULL AND t.deleted_at IS NULL
       AND EXISTS (SELECT 1 FROM calls c WHERE c.thread_id = t.id AND c.call_ended IS NULL)`
  )

  // The searchable users (those with a messengers row), oldest first, with their name and email
  // folded as the backend's collation compared them, in an index of name pieces
  // (search-index.ts), kept in the read model until a write to `messengers`. No store writes a
  // user's id, name, email or created_at (only world loading does, and the read model is then
  // dropped), so heartbeats, online status and avatars leave the index standing; the page's users
  // are read by the caller as they are now. Settings write `messengers` without changing who is
  // searchable: a messengers row is only ever added by the stores, so while the table's count and
  // last rowid stay the same the index already built is still right. search-store.test.ts holds
  // the stores to both rules. Folds are remembered by text, so a rebuild folds only new names.
  const searchable = db.prepare<[], { id: string; name: string; email: string }>(
    `SELECT u.id, u.name, u.email FROM users u JOIN messengers m ON m.owner_id = u.id
     ORDER BY u.created_at, u.id`
  )
  const membership = db.prepare<[], { n: number; last: number | null }>(
    'SELECT count(*) AS n, max(rowid) AS last FROM messengers'
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
  /** The last index built outside a transaction, with the membership it was built on. */
  let built: { n: number; last: number | null; index: SearchIndex } | undefined
  const readIndex = (): SearchIndex => {
    const { n, last } = membership.get() ?? { n: 0, last: null }
    if (built?.n === n && built.last === last) {
      return built.index
    }
    const index = buildSearchIndex(
      searchable.all().map((user) => ({
        id: user.id,
        name: fold(user.name),
        email: fold(user.email),
      }))
    )
    // One read inside a transaction is not remembered: the transaction may still roll back.
    if (!db.inTransaction) {
      built = { n, last, index }
    }
    return index
  }

  // One value, kept in the read model like a row: the key names it, there is no other.
  const searchIndex = rows.lookup(['messengers'], readIndex)

  return {
    /** Runs `fn` in one transaction (nested calls become savepoints). */
    transaction: runInTransaction(db),
    /** Threads the user is a current participant of that have an active call. */
    activeCallsCount: rows.lookup(
      ['participants', 'threads', 'calls'],
      (userId) => activeCalls.get(userId)?.n ?? 0
    ),
    /**
     * Users whose name contains any of `terms` or whose email is `email` (case-insensitive),
     * oldest first: the total and the ids of one page.
     */
    search(terms: readonly string[], email: string, limit: number, offset: number) {
      const index = searchIndex(ONE_INDEX)
      const found = index.find(terms.slice(0, MAX_SEARCH_TERMS), email)
      return { total: found.length, ids: found.slice(offset, offset + limit) }
    },
    /** Drops the index built (the world's rows were replaced; the read model drops its copy). */
    forget(): void {
      built = undefined
    },
  }
}

export type MessengerStore = ReturnType<typeof createMessengerStore>
