// Laravel's throttle:45,1 on search, counted on the world's clock: a user's first request opens a
// one-minute window, and requests beyond the limit inside it are refused (and not counted).

export const SEARCH_LIMIT = 45
const WINDOW_MS = 60_000

interface Window {
  startMs: number
  hits: number
}

export type Attempt = { allowed: true; remaining: number } | { allowed: false; retryAfter: number }

/** One world's search windows, by user. */
export function createSearchLimiter() {
  const windows = new Map<string, Window>()
  return {
    /** Counts one search by `userId` at `nowMs` (the world's time). */
    hit(userId: string, nowMs: number, limit = SEARCH_LIMIT): Attempt {
      if (limit === 0) {
        return { allowed: true, remaining: Number.MAX_SAFE_INTEGER }
      }
      let window = windows.get(userId)
      // A clock set back before the window began also starts afresh.
      if (window === undefined || nowMs >= window.startMs + WINDOW_MS || nowMs < window.startMs) {
        window = { startMs: nowMs, hits: 0 }
        windows.set(userId, window)
      }
      if (window.hits >= limit) {
        return {
          allowed: false,
          retryAfter: Math.ceil((window.startMs + WINDOW_MS - nowMs) / 1000),
        }
      }
      window.hits++
      return { allowed: true, remaining: limit - window.hits }
    },
    /** A replaced world starts with no searches counted. */
    forget(): void {
      windows.clear()
    },
  }
}

export type SearchLimiter = ReturnType<typeof createSearchLimiter>
