// The default world: the users, threads, call and invites the documented responses talk about.
import { readFileSync } from 'node:fs'
import { worldDocumentSchema, type WorldDocument } from './schema.ts'

const DEFAULT_WORLD_FILE = new URL('../../fixtures/worlds/default.json', import.meta.url)

// Parsed on first use and kept; callers get their own copy so no one can change the original.
let parsed: WorldDocument | undefined

/** fixtures/worlds/default.json, parsed (so every default is filled in). */
export function readDefaultWorld(): WorldDocument {
  parsed ??= worldDocumentSchema.parse(JSON.parse(readFileSync(DEFAULT_WORLD_FILE, 'utf8')))
  return structuredClone(parsed)
}
