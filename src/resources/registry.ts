// The stores every world has, one line each: built once with the world (world.stores), closed
// with it. A store that keeps values derived from the rows declares `forget()`, which runs
// whenever the world's rows are replaced.
import type { Db } from '../db/open.ts'
import { createConfigStore } from '../world/config.ts'
import { createRowCache, type RowCache } from '../world/row-cache.ts'
import type { WorldConfig } from '../world/schema.ts'
import { createCallStore } from './calls/store.ts'
import { createWorldCountStore } from './control/store.ts'
import { createAvatarStore } from './images/store.ts'
import { createInviteStore } from './invites/store.ts'
import { createSearchLimiter } from './messenger/rate-limit.ts'
import { createMessengerStore } from './messenger/store.ts'
import { createThreadStore } from './threads/store.ts'
import { createUserStore } from './users/store.ts'

/** What a world's caches may start from instead of reading `db` (a sandbox on the default image). */
export interface StoreSeeds {
  /** The read model to use instead of a new one on `db`. */
  readonly rows?: RowCache
  /** What the `world_config` row holds. */
  readonly config?: Readonly<WorldConfig>
}

export function createStores(db: Db, seeds: StoreSeeds = {}) {
  // The hot rows, shared by the stores that read and write them (see row-cache.ts).
  const rows = seeds.rows ?? createRowCache(db)
  return {
    rows,
    config: createConfigStore(db, seeds.config),
    users: createUserStore(db, rows),
    threads: createThreadStore(db, rows),
    calls: createCallStore(db, rows),
    invites: createInviteStore(db),
    avatars: createAvatarStore(db, rows),
    messenger: createMessengerStore(db, rows),
    searchLimits: createSearchLimiter(),
    worldCounts: createWorldCountStore(db),
  }
}

export type Stores = Readonly<ReturnType<typeof createStores>>

/** Drops what the stores derived from rows that have just been replaced. */
export function forgetDerived(stores: Stores): void {
  for (const store of Object.values(stores)) {
    if ('forget' in store) {
      store.forget()
    }
  }
}
