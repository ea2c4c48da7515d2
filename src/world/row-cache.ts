// The world's read model: the small, hot rows every request looks up (the user of a token, the
// thread, the memberships, the call and its participants), kept in memory between requests and
// dropped as a whole by any write made through the stores. Worlds change only on writes, and most
// requests only read, so most lookups never reach SQLite.
import type { RunResult, Statement } from 'better-sqlite3'
import type { Db } from '../db/open.ts'

/** Beyond this many kept rows the cache starts over, so memory stays bounded in a large world. */
export const MAX_CACHED_ROWS = 20_000

export interface RowCache {
  /**
   * What `read()` gives for `key`, kept until the next write. Inside a transaction it reads
   * afresh and keeps nothing: the transaction may still roll back what it wrote.
   */
  get<T>(key: string, read: () => T): T
  /** A write statement that drops every kept row before it runs. */
  writes<P extends unknown[]>(statement: Statement<P>): { run(...params: P): RunResult }
  /** Drops every kept row (a write, or the world's rows were replaced). */
  forget(): void
}

function freeze<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) {
      Object.freeze(item)
    }
  }
  return Object.freeze(value)
}

export function createRowCache(db: Db, maxRows = MAX_CACHED_ROWS): RowCache {
  const rows = new Map<string, unknown>()
  const forget = () => {
    rows.clear()
  }
  return {
    get<T>(key: string, read: () => T): T {
      if (rows.has(key)) {
        return rows.get(key) as T
      }
      const value = read()
      if (db.inTransaction) {
        return value
      }
      if (rows.size >= maxRows) {
        rows.clear()
      }
      // Frozen: the same row object is handed to many requests, none of which may change it.
      rows.set(key, freeze(value))
      return value
    },
    writes<P extends unknown[]>(statement: Statement<P>) {
      return {
        run(...params: P): RunResult {
          forget()
          return statement.run(...params)
        },
      }
    },
    forget,
  }
}
