// The world's read model: the small, hot rows every request looks up (the user of a token, the
// thread, the memberships, the call and its participants) and the counts derived from them, kept
// in memory between requests. Each kept value names the tables it was read from; a write through
// the stores drops only the values read from the table it writes. Worlds change only on writes,
// most requests only read, and most writes touch one or two tables (a heartbeat writes `users`,
// not the participants an unread count is counted from), so most lookups never reach SQLite.
import type { RunResult, Statement } from 'better-sqlite3'
import type { Db } from '../db/open.ts'
import type { TableName } from '../db/rows.ts'

/** Beyond this many kept values the cache starts over, so memory stays bounded in a large world. */
export const MAX_CACHED_ROWS = 20_000

export interface RowCache {
  /**
   * What `read()` gives for `key`, kept until a write to one of `tables` (the tables `read` reads).
   * Inside a transaction it reads afresh and keeps nothing: the transaction may still roll back.
   */
  get<T>(key: string, read: () => T, tables: readonly TableName[]): T
  /** A write statement that drops the values read from the table it writes, before it runs. */
  writes<P extends unknown[]>(statement: Statement<P>): { run(...params: P): RunResult }
  /** Drops every kept value (the world's rows were replaced, or a write the cache did not see). */
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

const WRITTEN_TABLE =
  /^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+["`]?(\w+)/i

/** The table an INSERT, UPDATE or DELETE writes; a statement it cannot tell is a programming error. */
export function writtenTable(sql: string): string {
  const table = WRITTEN_TABLE.exec(sql)?.[1]
  if (table === undefined) {
    throw new Error(`not a single-table write statement: ${sql.slice(0, 80)}`)
  }
  return table.toLowerCase()
}

export function createRowCache(db: Db, maxRows = MAX_CACHED_ROWS): RowCache {
  const values = new Map<string, unknown>()
  /** The keys read from each table. */
  const readFrom = new Map<string, Set<string>>()
  const forget = () => {
    values.clear()
    readFrom.clear()
  }
  const forgetTable = (table: string) => {
    const keys = readFrom.get(table)
    if (keys === undefined) {
      return
    }
    for (const key of keys) {
      values.delete(key)
    }
    keys.clear()
  }
  return {
    get<T>(key: string, read: () => T, tables: readonly TableName[]): T {
      if (values.has(key)) {
        return values.get(key) as T
      }
      const value = read()
      if (db.inTransaction) {
        return value
      }
      if (values.size >= maxRows) {
        forget()
      }
      // Frozen: the same row object is handed to many requests, none of which may change it.
      values.set(key, freeze(value))
      for (const table of tables) {
        let keys = readFrom.get(table)
        if (keys === undefined) {
          keys = new Set()
          readFrom.set(table, keys)
        }
        keys.add(key)
      }
      return value
    },
    writes<P extends unknown[]>(statement: Statement<P>) {
      const table = writtenTable(statement.source)
      return {
        run(...params: P): RunResult {
          forgetTable(table)
          return statement.run(...params)
        },
      }
    },
    forget,
  }
}
