// The stores every world has, one line each: built once with the world (world.stores), closed
// with it. A store that keeps values derived from the rows declares `forget()`, which runs
// whenever the world's rows are replaced.
import type { Db } from '../db/open.ts'
import { createConfigStore } from '../world/config.ts'
import { createRowCache } from '../world/row-cache.ts'
import { createCallStore } from './calls/store.ts'
import { createWorldCountStore } from './control/store.ts'
import { createAvatarStore } from './images/store.ts'
import { createInviteStore } from './invites/store.ts'
import { createSearchLimiter } from './messenger/rate-limit.ts'
import { createMessengerStore } from './messenger/store.ts'
import { createThreadStore } from './threads/store.ts'
import { createUserStore } from './users/store.ts'

export function createStores(db: Db) {
  // The hot rows, shared by the stores that read and write them (see row-cache.ts).
  const rows = createRowCache(db)
  return {
    rows,
    config: createConfigStore(db),
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
