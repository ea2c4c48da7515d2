// The broadcast journal: what each world sent, oldest first, for tests that read it over HTTP
// (GET /mock/broadcasts) instead of holding a socket. It lives as long as the world it belongs to
// (a deleted sandbox's journal goes with it; a sandbox made again starts empty) and keeps the last
// JOURNAL_LIMIT entries.
import type { components } from '../generated/mock-control.ts'
import { lastEntries } from '../last-entries.ts'
import type { LastEntries } from '../last-entries.ts'
import type { WorldHandle } from '../world/worlds.ts'

// The payload stays the event's own (generated) type; the spec's entry types it as any object.
export type JournalEntry = Omit<components['schemas']['BroadcastEntry'], 'data'> & { data: object }

export interface JournalFilter {
  event?: string | undefined
  channel?: string | undefined
}

/** Entries kept per world; the oldest are dropped first. */
export const JOURNAL_LIMIT = 1000

export interface Journals {
  record(world: WorldHandle, entry: Omit<JournalEntry, 'id'>): JournalEntry
  list(world: WorldHandle, filter?: JournalFilter): JournalEntry[]
  /** Empties the world's journal; returns how many entries it held. */
  clear(world: WorldHandle): number
}

export function createJournals(limit = JOURNAL_LIMIT): Journals {
  // Keyed by the world's lifetime, not its handle: a sandbox that sleeps as an image wakes with a
  // new handle and must keep its journal.
  const byWorld = new WeakMap<object, { next: number; entries: LastEntries<JournalEntry> }>()
  return {
    record(world, entry) {
      let journal = byWorld.get(world.lifetime)
      if (!journal) {
        journal = { next: 1, entries: lastEntries(limit) }
        byWorld.set(world.lifetime, journal)
      }
      const recorded = { id: journal.next++, ...entry }
      journal.entries.push(recorded)
      return recorded
    },
    list(world, filter = {}) {
      const entries = byWorld.get(world.lifetime)?.entries.items() ?? []
      return entries.filter(
        (entry) =>
          (filter.event === undefined || entry.event === filter.event) &&
          (filter.channel === undefined || entry.channels.includes(filter.channel))
      )
    },
    clear(world) {
      return byWorld.get(world.lifetime)?.entries.clear() ?? 0
    },
  }
}
