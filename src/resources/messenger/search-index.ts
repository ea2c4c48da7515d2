// The searchable users' folded names, indexed by their two- and three-character pieces, so a search
// reads the users whose names hold a term's rarest piece instead of every name. The index only
// narrows: each candidate is then checked with the same LIKE pattern the plain scan uses, so the
// users found, their order (oldest first) and their count are the scan's own.
import { foldForSearch } from './fold.ts'

/** A searchable user, in search order (oldest first), with name and email already folded. */
export interface SearchEntry {
  readonly id: string
  readonly name: string
  readonly email: string
}

export interface SearchIndex {
  /** How many users it holds. */
  readonly size: number
  /**
   * The ids of the users whose name contains any of `terms` (LIKE patterns, `_` any one
   * character) or whose folded email is `email`, oldest first.
   */
  find(terms: readonly string[], email: string): string[]
}

/**
 * `name LIKE '%term%'` as MySQL (and SQLite) read it, for a term already folded: `_` stands for
 * any one character, everything else for itself. The parser has removed `%` and the backslash.
 */
export function likePattern(term: string): RegExp {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  return new RegExp(foldForSearch(term).split('_').map(literal).join('.'), 'su')
}

/** Every piece of `text` of `size` code units (a piece twice in `text` comes twice). */
function piecesOf(text: string, size: number): string[] {
  const pieces: string[] = []
  for (let i = 0; i + size <= text.length; i += 1) {
    pieces.push(text.slice(i, i + size))
  }
  return pieces
}

/** The pieces the index keeps: three code units, and two for terms of two characters. */
const PIECE_SIZES = [3, 2] as const

/**
 * Past this share of all users as candidates, the index reads every user in order instead: when
 * most users hold the rarest piece, gathering and sorting the candidates costs more than the scan.
 */
const SCAN_SHARE = 1 / 8

/** The search's predicate, the one both the index and the scan apply to each user they keep. */
function matcher(terms: readonly string[], email: string): (entry: SearchEntry) => boolean {
  const patterns = terms.map(likePattern)
  const exact = foldForSearch(email)
  return (entry) => entry.email === exact || patterns.some((pattern) => pattern.test(entry.name))
}

/**
 * The plain scan: every entry tested in order. The reference the index must agree with, and what
 * a term without any indexed piece falls back to.
 */
export function scanEntries(
  entries: readonly SearchEntry[],
  terms: readonly string[],
  email: string
): string[] {
  return entries.filter(matcher(terms, email)).map((entry) => entry.id)
}

/**
 * The index of `entries`. `scanShare`: the share of all users as candidates past which a search
 * scans instead (tests set it past 1 to hold the index's own path to the scan).
 */
export function buildSearchIndex(
  entries: readonly SearchEntry[],
  scanShare = SCAN_SHARE
): SearchIndex {
  /** Positions (ascending) of the entries whose folded name holds each piece. */
  const postings = new Map<string, number[]>()
  const byEmail = new Map<string, number[]>()
  // Entries come in position order, so a list already holding `position` ends with it.
  const add = (map: Map<string, number[]>, key: string, position: number) => {
    const list = map.get(key)
    if (list === undefined) {
      map.set(key, [position])
    } else if (list[list.length - 1] !== position) {
      list.push(position)
    }
  }
  entries.forEach((entry, position) => {
    for (const size of PIECE_SIZES) {
      for (const piece of piecesOf(entry.name, size)) {
        add(postings, piece, position)
      }
    }
    add(byEmail, entry.email, position)
  })
  const none: readonly number[] = []

  /**
   * The positions that may match `term`: those holding its rarest piece (every name that matches
   * holds each piece of each literal run between the `_`s). Null: no piece to narrow by.
   */
  const candidates = (term: string): readonly number[] | null => {
    let best: readonly number[] | null = null
    for (const run of foldForSearch(term).split('_')) {
      const size = PIECE_SIZES.find((n) => run.length >= n)
      if (size === undefined) {
        continue
      }
      for (const piece of piecesOf(run, size)) {
        const list = postings.get(piece) ?? none
        if (best === null || list.length < best.length) {
          best = list
        }
      }
    }
    return best
  }

  return {
    size: entries.length,
    find(terms, email) {
      const lists = [...terms.map(candidates), byEmail.get(foldForSearch(email)) ?? none]
      let count = 0
      for (const list of lists) {
        // A term with no piece to narrow by may match anyone: every user is a candidate.
        count += list === null ? Infinity : list.length
      }
      if (count === Infinity || count > entries.length * scanShare) {
        return scanEntries(entries, terms, email)
      }
      const matches = matcher(terms, email)
      const positions = new Set<number>()
      for (const list of lists) {
        for (const position of list ?? none) {
          positions.add(position)
        }
      }
      const found: string[] = []
      for (const position of [...positions].sort((a, b) => a - b)) {
        const entry = entries[position]
        if (entry !== undefined && matches(entry)) {
          found.push(entry.id)
        }
      }
      return found
    },
  }
}
