// Answers kept per request method and path: the router's match and the operation a request is
// for are the same for every request to the same path, and frontends ask for the same few paths
// over and over. Bounded, as paths carry ids: past the bound a method's answers start over.

/** Paths kept per method. */
export const MAX_REMEMBERED_PATHS = 2000

export interface PathMemo<T> {
  get(method: string, path: string): T
  /** Forgets every kept answer (what they were computed from changed). */
  clear(): void
}

export function pathMemo<T>(
  compute: (method: string, path: string) => T,
  maxPaths = MAX_REMEMBERED_PATHS
): PathMemo<T> {
  // Boxed, so that a kept `undefined` is told from a path not seen, in one lookup.
  const byMethod = new Map<string, Map<string, { readonly value: T }>>()
  return {
    get(method, path) {
      let kept = byMethod.get(method)
      const hit = kept?.get(path)
      if (hit !== undefined) {
        return hit.value
      }
      const value = compute(method, path)
      if (kept === undefined) {
        kept = new Map()
        byMethod.set(method, kept)
      } else if (kept.size >= maxPaths) {
        kept.clear()
      }
      kept.set(path, { value })
      return value
    },
    clear() {
      byMethod.clear()
    },
  }
}
