// A world slice: the part of the world document one resource owns (a document key and the tables
// it fills). The resource declares its schema, its rows, its referential rules, how its rows are
// written and how they are read back; load.ts and export.ts run every registered slice
// (src/resources/world-slices.ts) in order.
import { z } from 'zod'
import type { Db } from '../db/open.ts'
import { TABLE_COLUMNS, type TableName } from '../db/rows.ts'
import type { Bit, CallRow, Stamps, ThreadRow, UserRow } from '../db/rows.ts'
import { MAX_ID_TIME_MS, stableUuid } from './ids.ts'
import type { Checker } from './references.ts'
import type { WorldConfig } from './schema.ts'
import { parseTimestamp } from './time.ts'

/** What rows are built with: the document's clock and config. */
export interface RowContext {
  /** The clock's now in the API's format, for every timestamp a document leaves out. */
  now: string
  nowMs: number
  config: WorldConfig
}

/** What an export is read at: the clock's now. */
export interface ExportContext {
  now: string
}

/**
 * What the slices checked before a slice know, for its references: each slice fills what later
 * slices look up (slices run in the order of the list, parents first).
 */
export interface Known {
  users: Map<string, UserRow>
  /** The threads by id, and as the document listed them (paths name their index). */
  threads: Map<string, Pick<ThreadRow, 'id' | 'type'>>
  threadList: readonly Pick<ThreadRow, 'id' | 'type'>[]
  calls: Map<string, CallRow>
  /** "thread user" keys of everyone who is or was a participant of a thread. */
  everMembers: Set<string>
  /** The unordered pairs of users who are friends (see pairOf). */
  friendships: Set<string>
}

export const nothingKnown = (): Known => ({
  users: new Map(),
  threads: new Map(),
  threadList: [],
  calls: new Map(),
  everMembers: new Set(),
  friendships: new Set(),
})

export interface RowWriter<Rows> {
  write(rows: Rows): void
}

export interface WorldSlice<Key extends string, Schema extends z.ZodType, Rows> {
  /** The world document's key. */
  readonly key: Key
  /** The key's schema (an array of entries, with its default when the key may be left out). */
  readonly schema: Schema
  /** The tables the slice fills, parents first. */
  readonly tables: readonly TableName[]
  /** The rows of the parsed entries, with everything they leave out filled in. */
  toRows(entries: z.output<Schema>, at: RowContext): Rows
  /** Reports every broken rule of the rows at `check`, and adds what later slices look up. */
  check(rows: Rows, check: Checker, known: Known): void
  /** Prepares the inserts of the rows (run inside the replacing transaction). */
  prepareWrite(db: Db): RowWriter<Rows>
  /** Prepares the read of the tables back as the key's entries, in creation order. */
  prepareExport(db: Db): (at: ExportContext) => z.output<Schema>
}

/** A slice of one table, one row per entry: what differs from table to table. */
export interface TableSliceSpec<Entry, Row, Stored> {
  /** Columns that hold runtime state, which a document never sets. */
  runtime?: readonly string[]
  /** Export order, when not creation order. */
  order?: string
  toRow(entry: Entry, at: RowContext, index: number): Row
  check(rows: Row[], check: Checker, known: Known): void
  toEntry(row: Stored): Entry
}

/**
 * The slice of the table named `key`: the document's `key` holds its entries (none when left out),
 * each entry one row, written in the document's order and read back in creation order.
 */
export function tableSlice<
  Key extends TableName,
  Entry extends z.ZodType,
  Row extends object,
  Stored,
>(key: Key, entry: Entry, spec: TableSliceSpec<z.output<Entry>, Row, Stored>) {
  const slice: WorldSlice<Key, z.ZodDefault<z.ZodArray<Entry>>, Row[]> = {
    key,
    schema: z.array(entry).default([]),
    tables: [key],
    toRows: (entries, at) => entries.map((one, i) => spec.toRow(one, at, i)),
    check: (rows, check, known) => {
      spec.check(rows, check, known)
    },
    prepareWrite: (db) => insertRows(db, key, spec.runtime),
    prepareExport(db) {
      const read = readRows<Stored>(db, key, spec.order)
      return () => read().map((row) => spec.toEntry(row))
    },
  }
  return slice
}

/** The named boolean fields of an entry as the table's 0/1 columns. */
export function toBits<F extends string>(entry: Record<F, boolean>, flags: readonly F[]) {
  return Object.fromEntries(flags.map((flag) => [flag, bit(entry[flag])])) as Record<F, Bit>
}

/** The named 0/1 columns of a row as the entry's booleans, in the order of `flags`. */
export function toBools<F extends string>(row: Record<F, Bit>, flags: readonly F[]) {
  return Object.fromEntries(flags.map((flag) => [flag, bool(row[flag])])) as Record<F, boolean>
}

/** Declares a slice; the identity, so its types are inferred from the object. */
export const defineSlice = <Key extends string, Schema extends z.ZodType, Rows>(
  slice: WorldSlice<Key, Schema, Rows>
): WorldSlice<Key, Schema, Rows> => slice

export const bit = (value: boolean): Bit => (value ? 1 : 0)
export const bool = (value: Bit): boolean => value === 1

/** The row's timestamps: a document's own, else the clock's now (updated_at follows created_at). */
export function stamps(
  entry: { created_at?: string | undefined; updated_at?: string | undefined },
  now: string
): Stamps {
  const created = entry.created_at ?? now
  return { created_at: created, updated_at: entry.updated_at ?? created }
}

/** The row of an entry whose fields are its table's columns: the entry with its timestamps. */
export const withStamps = <
  E extends { created_at?: string | undefined; updated_at?: string | undefined },
>(
  entry: E,
  at: RowContext
) => ({ ...entry, ...stamps(entry, at.now) })

/** An id for a row the document gave none, stable across loads of the same document. */
export function derivedId(createdAt: string, seed: string): string {
  const ms = Math.min(Math.max(parseTimestamp(createdAt), 0), MAX_ID_TIME_MS)
  return stableUuid(ms, seed)
}

/** Prepares an INSERT of every column of `table` (but `skipped`) from each row's named values. */
export function insertRows(
  db: Db,
  table: TableName,
  skipped: readonly string[] = []
): RowWriter<readonly object[]> {
  const names = TABLE_COLUMNS[table].filter((name) => !skipped.includes(name))
  const statement = db.prepare<[object]>(
    `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((c) => `@${c}`).join(', ')})`
  )
  return {
    write(rows) {
      for (const row of rows) {
        statement.run(row)
      }
    },
  }
}

/**
 * Prepares a read of every column of `table`, in creation order (ids break ties) unless `order`
 * says otherwise, so an export does not depend on the order in which a document listed the rows.
 */
export function readRows<T>(db: Db, table: TableName, order = 'created_at, id'): () => T[] {
  const columns = TABLE_COLUMNS[table].join(', ')
  const statement = db.prepare<[], T>(`SELECT ${columns} FROM ${table} ORDER BY ${order}`)
  return () => statement.all()
}
