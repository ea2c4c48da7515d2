// Replaces a world with a world document: checks all of it first (every slice's schema, then
// every slice's references), then rewrites every table at once.
import type { z } from 'zod'
import type { Db } from '../db/open.ts'
import { WORLD_SLICES } from '../resources/world-slices.ts'
import { createClock } from './clock.ts'
import { worldDocumentSchema, type WorldDocument } from './schema.ts'
import { add, Checker } from './references.ts'
import type { WorldErrors } from './references.ts'
import { nothingKnown, type WorldSlice } from './slice.ts'
import { formatTimestamp, parseTimestamp } from './time.ts'

export type { WorldErrors }

export type LoadResult = { ok: true } | { ok: false; errors: WorldErrors }

// ---------------------------------------------------------------------------------------------
// Shape errors: zod issues as Laravel messages.

function attribute(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'world' : path.map(String).join('.')
}

const TYPE_MESSAGES: Partial<Record<string, string>> = {
  string: 'The :attribute must be a string.',
  int: 'The :attribute must be an integer.',
  number: 'The :attribute must be a number.',
  boolean: 'The :attribute field must be true or false.',
  array: 'The :attribute must be an array.',
  object: 'The :attribute must be an object.',
}

function messageFor(issue: z.core.$ZodIssue): string {
  // Messages written in the schema already name the attribute.
  if (issue.message.includes(':attribute')) {
    return issue.message
  }
  const missing = issue.input === undefined
  switch (issue.code) {
    case 'invalid_type':
      if (missing) {
        return 'The :attribute field is required.'
      }
      return TYPE_MESSAGES[issue.expected] ?? 'The :attribute is invalid.'
    case 'invalid_value':
      return missing ? 'The :attribute field is required.' : 'The selected :attribute is invalid.'
    case 'too_small':
      if (issue.origin === 'string') {
        return issue.minimum === 1
          ? 'The :attribute field is required.'
          : `The :attribute must be at least ${issue.minimum} characters.`
      }
      return issue.origin === 'array'
        ? `The :attribute must have at least ${issue.minimum} items.`
        : `The :attribute must be at least ${issue.minimum}.`
    case 'too_big':
      if (issue.origin === 'string') {
        return `The :attribute may not be greater than ${issue.maximum} characters.`
      }
      return issue.origin === 'array'
        ? `The :attribute may not have more than ${issue.maximum} items.`
        : `The :attribute may not be greater than ${issue.maximum}.`
    case 'invalid_format':
      return issue.format === 'email'
        ? 'The :attribute must be a valid email address.'
        : 'The :attribute format is invalid.'
    case 'unrecognized_keys':
    case 'not_multiple_of':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
      return 'The :attribute is invalid.'
  }
}

/** The zod issues of a world document as Laravel's `errors` object. */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[]): WorldErrors {
  const errors: WorldErrors = {}
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const name = attribute([...issue.path, key])
        add(errors, name, `The ${name} field is not allowed.`)
      }
      continue
    }
    const name = attribute(issue.path)
    add(errors, name, messageFor(issue).replaceAll(':attribute', name))
  }
  return errors
}

// ---------------------------------------------------------------------------------------------
// Rows and writing: every slice in order, in one transaction that empties every table first.

/** The tables the world itself fills from the document's `config` and `clock`. */
export const WORLD_TABLES = ['world_config', 'world_clock'] as const

// The slices' rows are only ever handed back to the slice that made them.
type UntypedSlice = WorldSlice<string, z.ZodType, unknown>
const SLICES: readonly UntypedSlice[] = WORLD_SLICES

interface WorldRows {
  /** Each slice's rows, by its key. */
  slices: Map<string, unknown>
  config: string
  clock: { offsetMs: number; frozenAtMs: number | null }
}

function toRows(world: WorldDocument, nowMs: number): WorldRows {
  const at = { now: formatTimestamp(nowMs), nowMs, config: world.config }
  const entries: Record<string, unknown> = world
  return {
    slices: new Map(SLICES.map((slice) => [slice.key, slice.toRows(entries[slice.key], at)])),
    config: JSON.stringify(world.config),
    clock: world.clock.frozen
      ? { offsetMs: 0, frozenAtMs: nowMs }
      : { offsetMs: nowMs - Date.now(), frozenAtMs: null },
  }
}

/** Every broken rule of the slices' rows, by dotted path; empty when the world is consistent. */
function checkReferences(rows: WorldRows): WorldErrors {
  const check = new Checker()
  const known = nothingKnown()
  for (const slice of SLICES) {
    slice.check(rows.slices.get(slice.key), check, known)
  }
  return check.errors
}

// Children before parents (the slices' tables in reverse), so foreign keys hold at every step.
const TABLES_CHILDREN_FIRST = [
  ...SLICES.flatMap((slice) => slice.tables).reverse(),
  ...WORLD_TABLES,
]

function prepareWriter(db: Db): (rows: WorldRows) => void {
  const deletes = TABLES_CHILDREN_FIRST.map((table) => db.prepare(`DELETE FROM ${table}`))
  const writes = SLICES.map((slice) => ({ key: slice.key, write: slice.prepareWrite(db) }))
  const config = db.prepare<[string]>('INSERT INTO world_config (id, config) VALUES (1, ?)')
  const clock = db.prepare<[number, number | null]>(
    'INSERT INTO world_clock (id, offset_ms, frozen_at_ms) VALUES (1, ?, ?)'
  )
  const replace = db.transaction((rows: WorldRows) => {
    for (const statement of deletes) {
      statement.run()
    }
    for (const { key, write } of writes) {
      write.write(rows.slices.get(key))
    }
    config.run(rows.config)
    clock.run(rows.clock.offsetMs, rows.clock.frozenAtMs)
  })
  // IMMEDIATE takes the write lock up front, so the replacement never fails half-way on BUSY.
  return (rows) => {
    replace.immediate(rows)
  }
}
const writers = new WeakMap<Db, (rows: WorldRows) => void>()

function writerFor(db: Db): (rows: WorldRows) => void {
  let writer = writers.get(db)
  if (writer === undefined) {
    writer = prepareWriter(db)
    writers.set(db, writer)
  }
  return writer
}

/**
 * Replaces the whole world in `db` with `document` (unknown JSON). The document is checked first
 * (shape, then references); on any error nothing is written and the errors come back keyed by
 * dotted path, ready for a Laravel-style 422. Sets the world's clock from `document.clock`.
 */
export function loadWorld(db: Db, document: unknown): LoadResult {
  const parsed = worldDocumentSchema.safeParse(document, { reportInput: true })
  if (!parsed.success) {
    return { ok: false, errors: issuesToErrors(parsed.error.issues) }
  }
  const world = parsed.data
  const nowMs = world.clock.now === undefined ? Date.now() : parseTimestamp(world.clock.now)
  const rows = toRows(world, nowMs)
  const errors = checkReferences(rows)
  if (Object.keys(errors).length > 0) {
    return { ok: false, errors }
  }
  writerFor(db)(rows)
  createClock(db).reload()
  return { ok: true }
}
