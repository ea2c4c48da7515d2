// The field types world documents share: ids, timestamps and file names, with Laravel's messages
// (the loader puts the dotted path in for :attribute).
import { z } from 'zod'
import { isTimestamp, normalizeTimestamp } from './time.ts'

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
// A bare file name: no directories, no leading dot.
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

export const timestampText = z
  .string()
  .refine(isTimestamp, { message: 'The :attribute is not a valid date-time.', abort: true })

/** Any ISO 8601 date-time, stored in the API's format. */
export const timestamp = timestampText.transform(normalizeTimestamp)

export const optionalTimestamp = timestamp.optional()
export const nullableTimestamp = timestamp.nullable().default(null)

/** Ids are compared as text, so they are stored in lowercase like Laravel's. */
export const uuid = z
  .string()
  .regex(UUID, { message: 'The :attribute must be a valid UUID.' })
  .transform((id) => id.toLowerCase())

export const fileName = z
  .string()
  .max(255)
  .regex(FILE_NAME, { message: 'The :attribute must be a file name without a directory.' })

/** The timestamps every entry may give (the clock's now otherwise; updated_at follows created_at). */
export const stampFields = { created_at: optionalTimestamp, updated_at: optionalTimestamp }

/**
 * Switches (boolean fields) with their defaults, declared once: `fields` for the schema, `names`
 * (in declaration order, which an export keeps) for the table's 0/1 columns.
 */
export function switches<const D extends Record<string, boolean>>(defaults: D) {
  const names = Object.keys(defaults) as (keyof D & string)[]
  const fields = Object.fromEntries(
    Object.entries(defaults).map(([name, value]) => [name, z.boolean().default(value)])
  ) as { [K in keyof D]: z.ZodDefault<z.ZodBoolean> }
  return { names, fields }
}
