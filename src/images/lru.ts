// A small in-memory LRU cache, e.g. for resized avatar variants keyed by (world, file, size).

export interface Lru<K, V> {
  /** The value for `key`, marking it most recently used; undefined when absent. */
  get(key: K): V | undefined
  /** Stores `value` as most recently used, evicting the least recently used entry when full. */
  set(key: K, value: V): this
  /** Whether `key` is cached, without changing its recency. */
  has(key: K): boolean
  delete(key: K): boolean
  clear(): void
  readonly size: number
}

/**
 * An LRU holding at most `max` entries. Keys compare like Map keys (SameValueZero), so a
 * composite key such as (world, file, size) should be joined into one string by the caller.
 */
export function createLru<K, V>(max: number): Lru<K, V> {
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new RangeError(`LRU size must be a positive integer, got ${String(max)}`)
  }
  // A Map iterates in insertion order, so re-inserting on use keeps the oldest entry first.
  const entries = new Map<K, V>()
  const lru: Lru<K, V> = {
    get(key) {
      if (!entries.has(key)) {
        return undefined
      }
      const value = entries.get(key) as V
      entries.delete(key)
      entries.set(key, value)
      return value
    },
    set(key, value) {
      entries.delete(key)
      entries.set(key, value)
      while (entries.size > max) {
        const oldest = entries.keys().next()
        if (oldest.done === true) {
          break
        }
        entries.delete(oldest.value)
      }
      return lru
    },
    has(key) {
      return entries.has(key)
    },
    delete(key) {
      return entries.delete(key)
    },
    clear() {
      entries.clear()
    },
    get size() {
      return entries.size
    },
  }
  return lru
}
