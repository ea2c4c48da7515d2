// The default world: the users, threads, call and invites the documented responses talk about.
import { readFileSync } from 'node:fs'
import { worldDocumentSchema, type WorldDocument } from './schema.ts'
import { projectFile } from '../paths.ts'

const DEFAULT_WORLD_FILE = projectFile('fixtures/worlds/default.json')

// Parsed on first use and kept; callers get their own copy so no one can change the original.
let parsed: WorldDocument | undefined

/** fixtures/worlds/default.json, parsed (so every default is filled in). */
export function readDefaultWorld(): WorldDocument {
  parsed ??= worldDocumentSchema.parse(JSON.parse(readFileSync(DEFAULT_WORLD_FILE, 'utf8')))
  return structuredClone(parsed)
}
