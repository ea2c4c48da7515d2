// The request journal of one sandbox: what the app sent, in arrival order, the last N kept
// (GET /mock/requests). Entries are small plain objects; bodies are kept only up to a bound.
import type { components } from '../generated/mock-control.ts'
import { lastEntries } from '../last-entries.ts'

export type JournalEntry = components['schemas']['JournalEntry']
export type JournalBody = JournalEntry['body']

export const DEFAULT_JOURNAL_LIMIT = 1000
/** A JSON body longer than this is journaled as a note of its size, not its content. */
export const MAX_JOURNALED_BODY = 16 * 1024

export interface JournalFilter {
  method?: string | undefined
  /** A concrete path, or a template such as `/api/messenger/threads/{thread}/calls`. */
  path?: string | undefined
  operation?: string | undefined
  /** An exact status (`404`) or a class (`4xx`). */
  status?: string | undefined
  /** Only the last `limit` matching entries. */
  limit?: number | undefined
}

export interface Journal {
  /** Adds an entry (its id is assigned here) and drops the oldest past the limit. */
  add(entry: Omit<JournalEntry, 'id'>): JournalEntry
  list(filter: JournalFilter, matchesPath: (path: string) => boolean): JournalEntry[]
  clear(): number
  readonly size: number
}

export function createJournal(limit: number): Journal {
  const entries = lastEntries<JournalEntry>(limit)
  let nextId = 1
  return {
    add(entry) {
      const full: JournalEntry = { id: nextId++, ...entry }
      entries.push(full)
      return full
    },
    list(filter, matchesPath) {
      const method = filter.method?.toUpperCase()
      const status = filter.status
      const found = entries
        .items()
        .filter(
          (e) =>
            (method === undefined || e.method === method) &&
            (filter.path === undefined || matchesPath(e.path)) &&
            (filter.operation === undefined || e.operation === filter.operation) &&
            (status === undefined ||
              (/^[1-5]xx$/i.test(status)
                ? e.status !== null && String(e.status).startsWith(status.charAt(0))
                : String(e.status) === status))
        )
      return filter.limit === undefined ? found : found.slice(-filter.limit)
    },
    clear: () => entries.clear(),
    get size() {
      return entries.size
    },
  }
}

/** A JSON body as the journal keeps it: the value as sent, or a note when it was too big. */
export function journalJsonBody(text: string): JournalBody {
  if (text === '') {
    return null
  }
  if (text.length > MAX_JOURNALED_BODY) {
    return { omitted: `JSON body of ${text.length} bytes (the journal keeps up to 16 KiB)` }
  }
  try {
    return JSON.parse(text) as JournalBody
  } catch {
    return { unparsable: text }
  }
}

/** A multipart body as the journal keeps it: text fields, and each file's name, type and size. */
export function journalFormBody(form: FormData): JournalBody {
  const fields: Record<string, unknown> = {}
  form.forEach((value, key) => {
    fields[key] =
      typeof value === 'string'
        ? value.slice(0, 1024)
        : { file_name: value.name, type: value.type, size: value.size }
  })
  return fields
}
