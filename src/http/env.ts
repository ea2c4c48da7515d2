// The per-request context every route reads, set by the request binding (binding.ts).
import type { UserRow } from '../db/rows.ts'
import type { Outbox } from '../realtime/outbox.ts'
import type { WorldConfig } from '../world/schema.ts'
import type { WorldHandle } from '../world/worlds.ts'

export interface AppVariables {
  /** The world the request acts on: the sandbox its header names, else the main world. */
  world: WorldHandle
  /** That world's stores (world.stores). */
  stores: WorldHandle['stores']
  /** That world's config switches. */
  config: WorldConfig
  /** The world's time when the request arrived, in the API's format. */
  now: string
  /** The user of the bearer token; undefined for a guest (only on routes open to guests). */
  viewer: UserRow | undefined
  /** Real-time events to send once the request has succeeded. */
  broadcasts: Outbox
}

export type AppEnv = { Variables: AppVariables }
