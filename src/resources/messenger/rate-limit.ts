// Laravel's throttle:45,1 on search, counted on the world's clock: a user's first request opens a
// one-minute window, and requests beyond the limit inside it are refused (and not counted).
import { cached } from '../../world/cached.ts'
import type { WorldHandle } from '../../world/worlds.ts'

export const SEARCH_LIMIT = 45
const WINDOW_MS = 60_000

interface Window {
  startMs: number
  hits: number
}

export type Attempt = { allowed: true; remaining: number } | { allowed: false; retryAfter: number }

/** Counts one search by `userId` at the world's current time. */
export function hitSearchLimit(world: WorldHandle, userId: string, limit = SEARCH_LIMIT): Attempt {
  if (limit === 0) {
    return { allowed: true, remaining: Number.MAX_SAFE_INTEGER }
  }
  const windows = cached(world, 'searchLimiter', () => new Map<string, Window>())
  const now = world.clock.nowMs()
  let window = windows.get(userId)
  // A clock set back before the window began also starts afresh.
  if (window === undefined || now >= window.startMs + WINDOW_MS || now < window.startMs) {
    window = { startMs: now, hits: 0 }
    windows.set(userId, window)
  }
  if (window.hits >= limit) {
    return { allowed: false, retryAfter: Math.ceil((window.startMs + WINDOW_MS - now) / 1000) }
  }
  window.hits++
  return { allowed: true, remaining: limit - window.hits }
}
