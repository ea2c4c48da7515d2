// The variant cache: least recently used renders leave first once the byte budget is reached.
import { describe, expect, it } from 'vitest'
import { createVariantCache } from './variants.ts'

const picture = (bytes: number) => ({ body: new Uint8Array(bytes), contentType: 'image/png' })

/** A cache of a 10-byte budget after setting each [key, size] in order. */
function cacheAfter(...sets: [string, number][]) {
  const cache = createVariantCache(10)
  for (const [key, bytes] of sets) {
    cache.set(key, picture(bytes))
  }
  return cache
}

describe('createVariantCache', () => {
  it('drops the least recently used entries beyond its byte budget', () => {
    const cache = cacheAfter(['a', 4], ['b', 4])
    expect(cache.get('a')?.body.byteLength).toBe(4)
    cache.set('c', picture(4))
    expect(['a', 'b', 'c'].filter((key) => cache.get(key) !== undefined)).toEqual(['a', 'c'])
  })

  it('replaces an entry under the same key and skips one larger than the budget', () => {
    const cache = cacheAfter(['a', 6], ['a', 8])
    expect(cache.get('a')?.body.byteLength).toBe(8)
    cache.set('huge', picture(11))
    expect(['a', 'huge'].filter((key) => cache.get(key) !== undefined)).toEqual(['a'])
  })
})
