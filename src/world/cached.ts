// Per-world memo: stores with their prepared statements are made once per world database.
import { readWorldConfig } from './export.ts'
import type { WorldConfig } from './schema.ts'
import type { WorldHandle } from './worlds.ts'

/** The value `make` built for this world under `key`, built on first use. */
export function cached<T>(world: WorldHandle, key: string, make: () => T): T {
  const hit = world.cache.get(key)
  if (hit !== undefined) {
    return hit as T
  }
  const value = make()
  world.cache.set(key, value)
  return value
}

/** The world's config switches; forgotten by `forgetWorldState` when the world is replaced. */
export function worldConfig(world: WorldHandle): WorldConfig {
  return cached(world, 'config', () => readWorldConfig(world.db))
}

/** Drops what was derived from the world's rows or kept beside them, after the world was replaced. */
export function forgetWorldState(world: WorldHandle): void {
  world.cache.delete('config')
  world.cache.delete('searchLimiter')
}
