// Keeps resized avatar variants in memory, least recently used first out, so a page of avatars
// does not re-run sharp for every request.
import type { RenderedImage } from '../../images/render.ts'

/** Room for a few hundred small variants; one resized avatar is a few KB to a few hundred KB. */
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024

export interface VariantCache {
  get(key: string): RenderedImage | undefined
  set(key: string, image: RenderedImage): void
}

export function createVariantCache(maxBytes = DEFAULT_MAX_BYTES): VariantCache {
  // Map order is use order: the first entry is the least recently used.
  const entries = new Map<string, RenderedImage>()
  let bytes = 0
  return {
    get(key) {
      const hit = entries.get(key)
      if (hit !== undefined) {
        entries.delete(key)
        entries.set(key, hit)
      }
      return hit
    },
    set(key, image) {
      const size = image.body.byteLength
      if (size > maxBytes) {
        return
      }
      const previous = entries.get(key)
      if (previous !== undefined) {
        bytes -= previous.body.byteLength
        entries.delete(key)
      }
      for (const [oldest, entry] of entries) {
        if (bytes + size <= maxBytes) {
          break
        }
        bytes -= entry.body.byteLength
        entries.delete(oldest)
      }
      entries.set(key, image)
      bytes += size
    },
  }
}
