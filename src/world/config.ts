// The world's config switches (the `world_config` row), read once and kept until the rows change.
import type { Db } from '../db/open.ts'
import { readWorldConfig } from './export.ts'
import type { WorldConfig } from './schema.ts'

export function createConfigStore(db: Db) {
  let config: WorldConfig | undefined
  return {
    get: (): WorldConfig => (config ??= readWorldConfig(db)),
    /** Drops the copy read from the old rows (the world was replaced under it). */
    forget(): void {
      config = undefined
    },
  }
}

export type ConfigStore = ReturnType<typeof createConfigStore>
