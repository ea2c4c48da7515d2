// The world's config switches (the `world_config` row), read once and kept until the rows change.
import type { Db } from '../db/open.ts'
import { readWorldConfig } from './export.ts'
import type { WorldConfig } from './schema.ts'

/**
 * `known`, when the caller already read what the rows hold (sandboxes on the default world's
 * image share its frozen config), is kept until the rows are replaced, as a read would be.
 */
export function createConfigStore(db: Db, known?: Readonly<WorldConfig>) {
  let config: WorldConfig | undefined = known
  return {
    get: (): WorldConfig => (config ??= readWorldConfig(db)),
    /** Drops the copy read from the old rows (the world was replaced under it). */
    forget(): void {
      config = undefined
    },
  }
}

export type ConfigStore = ReturnType<typeof createConfigStore>
