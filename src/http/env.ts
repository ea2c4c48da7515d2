// The per-request context every route reads: the selected world and the logged-in user.
import type { UserRow } from '../resources/users/store.ts'
import type { WorldHandle } from '../world/worlds.ts'

export interface AppVariables {
  world: WorldHandle
  /** The logged-in user; unset on routes open to guests when nobody logged in. */
  user: UserRow | undefined
  /** The world's time when the request arrived, in the API's format. */
  now: string
}

export type AppEnv = { Variables: AppVariables }

/** What the app needs besides the request: the worlds and how to build absolute links. */
export interface AppOptions {
  /** Base of absolute links; when unset, the origin the request was sent to (as Laravel does). */
  publicUrl?: string | undefined
}
