// Reads a world back out of its database as a world document that loadWorld accepts: the clock,
// the config, and every slice's entries (src/resources/world-slices.ts).
import type { z } from 'zod'
import type { Db } from '../db/open.ts'
import { WORLD_SLICES } from '../resources/world-slices.ts'
import { createClock } from './clock.ts'
import { worldConfigSchema, type WorldConfig, type WorldDocument } from './schema.ts'
import type { ExportContext, WorldSlice } from './slice.ts'

type UntypedSlice = WorldSlice<string, z.ZodType, unknown>
const SLICES: readonly UntypedSlice[] = WORLD_SLICES

interface Readers {
  config: () => string | undefined
  /** Each slice's key with the read of its entries. */
  slices: [key: string, read: (at: ExportContext) => unknown][]
}

function prepareReaders(db: Db): Readers {
  const config = db.prepare<[], string>('SELECT config FROM world_config WHERE id = 1').pluck()
  return {
    config: () => config.get(),
    slices: SLICES.map((slice) => [slice.key, slice.prepareExport(db)]),
  }
}

const readers = new WeakMap<Db, Readers>()

function readersFor(db: Db): Readers {
  let found = readers.get(db)
  if (found === undefined) {
    found = prepareReaders(db)
    readers.set(db, found)
  }
  return found
}

/** The world's config switches (the defaults when the world was never loaded). */
export function readWorldConfig(db: Db): WorldConfig {
  const text = readersFor(db).config()
  return worldConfigSchema.parse(text === undefined ? {} : JSON.parse(text))
}

/**
 * The whole world in `db` as a world document: loading it into an empty database and exporting
 * again gives the same document. `online_status` is each user's status at the clock's now.
 */
export function exportWorld(db: Db): WorldDocument {
  const clock = createClock(db).state()
  const at: ExportContext = { now: clock.now }
  const entries = readersFor(db).slices.map(([key, read]) => [key, read(at)] as const)
  // Each slice reads its own key's entries, so together they are the document's slices.
  return {
    clock: { now: clock.now, frozen: clock.frozen },
    config: readWorldConfig(db),
    ...(Object.fromEntries(entries) as Omit<WorldDocument, 'clock' | 'config'>),
  }
}
