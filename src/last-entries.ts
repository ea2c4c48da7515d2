// The last N of an endless stream of entries (the request journal, the broadcast journal). The
// oldest are dropped in batches, once twice the limit is held, so adding is amortised O(1) instead
// of shifting the whole list on every entry; readers see only the last `limit`.
export interface LastEntries<T> {
  push(entry: T): void
  /** The kept entries, oldest first. */
  items(): readonly T[]
  /** Drops every entry; returns how many were kept. */
  clear(): number
  readonly size: number
}

export function lastEntries<T>(limit: number): LastEntries<T> {
  const entries: T[] = []
  const items = () => (entries.length > limit ? entries.slice(-limit) : entries)
  return {
    push(entry) {
      entries.push(entry)
      if (entries.length > 2 * limit) {
        entries.splice(0, entries.length - limit)
      }
    },
    items,
    clear() {
      const count = items().length
      entries.length = 0
      return count
    },
    get size() {
      return Math.min(entries.length, limit)
    },
  }
}
