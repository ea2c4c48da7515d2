// A seeded pseudo-random source (mulberry32): the same seed gives the same generated cases.
export interface Random {
  /** A float in [0, 1). */
  next(): number
  pick<T>(items: readonly T[]): T
  /** A version-4 UUID made of this source's numbers. */
  uuid(): string
  /** `length` characters from `alphabet`. */
  text(length: number, alphabet: string): string
  shuffle<T>(items: readonly T[]): T[]
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (below: number) => Math.floor(next() * below)
  const text = (length: number, alphabet: string) =>
    Array.from({ length }, () => alphabet[int(alphabet.length)] ?? '').join('')
  return {
    next,
    pick<T>(items: readonly T[]): T {
      const item = items[int(items.length)]
      if (item === undefined) {
        throw new Error('pick from an empty list')
      }
      return item
    },
    uuid() {
      const hex = text(32, '0123456789abcdef').split('')
      hex[12] = '4'
      hex[16] = '89ab'[int(4)] ?? '8'
      const h = hex.join('')
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
    },
    text,
    shuffle<T>(items: readonly T[]): T[] {
      const copy = [...items]
      for (let i = copy.length - 1; i > 0; i -= 1) {
        const j = int(i + 1)
        const a = copy[i] as T
        copy[i] = copy[j] as T
        copy[j] = a
      }
      return copy
    },
  }
}

/** A fresh seed for a run that was not given one (printed, so the run can be repeated). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31)
}
