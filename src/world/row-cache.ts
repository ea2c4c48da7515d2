// The world's read model: the small, hot rows every request looks up (the user of a token, the
// thread, the memberships, the call and its participants) and the counts derived from them, kept
// in memory between requests. Each kind of kept value names the tables it is read from; a write
// through the stores drops only the kinds read from the table it writes. Worlds change only on writes,
// most requests only read, and most writes touch one or two tables (a heartbeat writes `users`,
// not the participants an unread count is counted from), so most lookups never reach SQLite.
//
// One map per kind of value, keyed by the ids themselves (a map of maps for two ids). A single map
// keyed by a built string ("member:<thread>:<user>") cost about
// 0.45 µs a lookup to build, flatten and hash the key, which at dozens of lookups a request was
// the largest self time of the mock's own code in a CPU profile of GET call show.
import type { RunResult, Statement } from 'better-sqlite3'
import type { Db } from '../db/open.ts'
import type { TableName } from '../db/rows.ts'

/** Beyond this many kept values the cache starts over, so memory stays bounded in a large world. */
export const MAX_CACHED_ROWS = 20_000

export interface RowCache {
  /**
   * `read(key)` kept per key until a write to one of `tables` (the tables `read` reads). Inside a
   * transaction it reads afresh and keeps nothing: the transaction may still roll back.
   */
  lookup<T>(tables: readonly TableName[], read: (key: string) => T): (key: string) => T
  /** `lookup` for a row found by two ids (a thread and a user, a call and a user). */
  lookup2<T>(
    tables: readonly TableName[],
    read: (first: string, second: string) => T
  ): (first: string, second: string) => T
  /** A write statement that drops the values read from the table it writes, before it runs. */
  writes<P extends unknown[]>(statement: Statement<P>): { run(...params: P): RunResult }
  /** Drops every kept value (the world's rows were replaced, or a write the cache did not see). */
  forget(): void
}

/** `value` frozen, and each item of an array: one object handed to many readers, none may change it. */
export function freeze<T>(value: T): T {
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

/** Stands for a kept `undefined` (a row that is not there), so a miss is one `Map.get`. */
export const ABSENT = Symbol('absent')

/** One kind of kept value: its maps empty themselves when a table it reads is written. */
interface Kept {
  readonly size: () => number
  readonly clear: () => void
}

export function createRowCache(db: Db, maxRows = MAX_CACHED_ROWS): RowCache {
  /** The lookups that read each table. */
  const lookupsOf = new Map<string, Kept[]>()
  const lookups: Kept[] = []
  /** Values kept by lookups, counted towards `maxRows`. */
  let looked = 0
  const clearLookup = (kept: Kept) => {
    looked -= kept.size()
    kept.clear()
  }
  const forget = () => {
    for (const kept of lookups) {
      clearLookup(kept)
    }
  }
  const forgetTable = (table: string) => {
    for (const kept of lookupsOf.get(table) ?? []) {
      clearLookup(kept)
    }
  }
  const register = (tables: readonly TableName[], kept: Kept) => {
    lookups.push(kept)
    for (const table of tables) {
      const list = lookupsOf.get(table)
      if (list === undefined) {
        lookupsOf.set(table, [kept])
      } else {
        list.push(kept)
      }
    }
  }
  /** Whether a value just read may be kept; makes room first. */
  const mayKeep = (): boolean => {
    if (db.inTransaction) {
      return false
    }
    if (looked >= maxRows) {
      forget()
    }
    looked += 1
    return true
  }
  return {
    lookup<T>(tables: readonly TableName[], read: (key: string) => T) {
      const kept = new Map<string, T | typeof ABSENT>()
      register(tables, {
        size: () => kept.size,
        clear: () => {
          kept.clear()
        },
      })
      return (key: string): T => {
        const hit = kept.get(key)
        if (hit !== undefined) {
          return hit === ABSENT ? (undefined as T) : hit
        }
        const value = read(key)
        if (mayKeep()) {
          // Frozen: the same row object is handed to many requests, none of which may change it.
          kept.set(key, value === undefined ? ABSENT : freeze(value))
        }
        return value
      }
    },
    lookup2<T>(tables: readonly TableName[], read: (first: string, second: string) => T) {
      const kept = new Map<string, Map<string, T | typeof ABSENT>>()
      let size = 0
      register(tables, {
        size: () => size,
        clear: () => {
          kept.clear()
          size = 0
        },
      })
      return (first: string, second: string): T => {
        const hit = kept.get(first)?.get(second)
        if (hit !== undefined) {
          return hit === ABSENT ? (undefined as T) : hit
        }
        const value = read(first, second)
        if (mayKeep()) {
          // Looked up again: making room may have emptied this lookup.
          let inner = kept.get(first)
          if (inner === undefined) {
            inner = new Map()
            kept.set(first, inner)
          }
          inner.set(second, value === undefined ? ABSENT : freeze(value))
          size += 1
        }
        return value
      }
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
