// The read model of sandboxes still on the default world's image. Until a sandbox writes, what it
// reads is what the image holds, the same for every such sandbox: those values are read once and
// shared (the image never changes, so they never go stale), and a new sandbox's first requests
// find the user of their token and the rows they look up already read. A sandbox stops sharing
// before its first write, and for good: from then on its own read model answers it.
//
// Before its first write a sandbox's rows are the image's even inside a transaction (BEGIN changes
// nothing), so shared values are read and kept there too.
import type { TableName } from '../db/rows.ts'
import { ABSENT, freeze, MAX_CACHED_ROWS, type RowCache } from './row-cache.ts'

type Kept<T> = T | typeof ABSENT

/**
 * One kind of value the stores look up. Every world builds its stores alike, so a sandbox's n-th
 * lookup is the same kind as every other sandbox's n-th: the slot is found by that order, and its
 * tables are checked against it.
 */
interface Slot {
  readonly tables: string
  readonly kept: Map<string, unknown>
}

/** Values read from the default image, shared by the sandboxes still on it. */
export interface TemplateRows {
  readonly slots: Slot[]
  /** Values kept in all; beyond the read model's bound everything starts over. */
  size: number
}

export function createTemplateRows(): TemplateRows {
  return { slots: [], size: 0 }
}

export interface SharingRowCache extends RowCache {
  /** From now on, the sandbox's own read model answers every read (before its first write). */
  detach(): void
}

/** Counts a value about to be kept; empties every map first when the bound is reached. */
function makeRoom(template: TemplateRows, maxRows: number): void {
  if (template.size >= maxRows) {
    for (const slot of template.slots) {
      slot.kept.clear()
    }
    template.size = 0
  }
  template.size += 1
}

function slotFor(template: TemplateRows, index: number, tables: readonly TableName[]): Slot {
  const key = tables.join(',')
  let slot = template.slots[index]
  if (slot === undefined) {
    slot = { tables: key, kept: new Map() }
    template.slots[index] = slot
  }
  if (slot.tables !== key) {
    throw new Error(
      `lookup ${index} reads ${key} but the default image's reads ${slot.tables}: stores must be built alike`
    )
  }
  return slot
}

/** `own` (a sandbox's read model), answered from `template` until the sandbox is detached. */
export function sharingTemplateRows(
  own: RowCache,
  template: TemplateRows,
  maxRows = MAX_CACHED_ROWS
): SharingRowCache {
  let attached = true
  let lookups = 0
  return {
    lookup<T>(tables: readonly TableName[], read: (key: string) => T) {
      const kept = slotFor(template, lookups++, tables).kept as Map<string, Kept<T>>
      const mine = own.lookup(tables, read)
      return (key: string): T => {
        if (!attached) {
          return mine(key)
        }
        const hit = kept.get(key)
        if (hit !== undefined) {
          return hit === ABSENT ? (undefined as T) : hit
        }
        const value = read(key)
        makeRoom(template, maxRows)
        kept.set(key, value === undefined ? ABSENT : freeze(value))
        return value
      }
    },
    lookup2<T>(tables: readonly TableName[], read: (first: string, second: string) => T) {
      const kept = slotFor(template, lookups++, tables).kept as Map<string, Map<string, Kept<T>>>
      const mine = own.lookup2(tables, read)
      return (first: string, second: string): T => {
        if (!attached) {
          return mine(first, second)
        }
        const hit = kept.get(first)?.get(second)
        if (hit !== undefined) {
          return hit === ABSENT ? (undefined as T) : hit
        }
        const value = read(first, second)
        makeRoom(template, maxRows)
        // Looked up again: making room may have emptied the slot.
        let inner = kept.get(first)
        if (inner === undefined) {
          inner = new Map()
          kept.set(first, inner)
        }
        inner.set(second, value === undefined ? ABSENT : freeze(value))
        return value
      }
    },
    writes: (statement) => own.writes(statement),
    forget() {
      attached = false
      own.forget()
    },
    detach() {
      attached = false
    },
  }
}
