// Tests for the LRU cache used for resized avatar variants.
import { describe, it, expect } from 'vitest'

import { createLru } from './lru.ts'

describe('createLru', () => {
  it('evicts the least recently used entry when full', () => {
    const lru = createLru<string, number>(2)
    lru.set('a', 1).set('b', 2)
    expect(lru.get('a')).toBe(1) // 'b' is now the oldest
    lru.set('c', 3)
    expect(lru.has('b')).toBe(false)
    expect(lru.get('a')).toBe(1)
    expect(lru.get('c')).toBe(3)
    expect(lru.size).toBe(2)
  })

  it('overwrites a key without growing and can delete and clear', () => {
    const lru = createLru<string, number>(2)
    lru.set('a', 1).set('a', 2)
    expect(lru.size).toBe(1)
    expect(lru.get('a')).toBe(2)
    expect(lru.delete('a')).toBe(true)
    expect(lru.has('a')).toBe(false)
    lru.set('x', 1)
    lru.clear()
    expect(lru.size).toBe(0)
  })

  it('caches undefined values as present', () => {
    const lru = createLru<string, number | undefined>(1)
    lru.set('a', undefined)
    expect(lru.has('a')).toBe(true)
  })

  it('rejects a non-positive size', () => {
    expect(() => createLru(0)).toThrow(RangeError)
    expect(() => createLru(1.5)).toThrow(RangeError)
  })
})
