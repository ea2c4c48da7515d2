// The referential rules' machinery: Laravel's 422 errors and the checks every slice's rules are
// made of (unique keys, existing references). The rules themselves live in each slice.

/** Laravel's 422 `errors`: dotted path → messages. */
export type WorldErrors = Record<string, string[]>

/** Adds `message` under `key` once. */
export function add(errors: WorldErrors, key: string, message: string): void {
  const list = (errors[key] ??= [])
  if (!list.includes(message)) {
    list.push(message)
  }
}

export class Checker {
  readonly errors: WorldErrors = {}

  /** Records `message` (with :attribute replaced by `path`) unless `ok`; returns `ok`. */
  that(ok: boolean, path: string, message: string): boolean {
    if (!ok) {
      add(this.errors, path, message.replaceAll(':attribute', path))
    }
    return ok
  }

  /** Adds `value` to `seen`; a repeat is reported at `path` as taken. */
  unique(seen: Set<string>, value: string, path: string): boolean {
    const fresh = this.that(!seen.has(value), path, 'The :attribute has already been taken.')
    seen.add(value)
    return fresh
  }

  exists(ids: ReadonlyMap<string, unknown>, id: string, path: string, table: string): boolean {
    return this.that(ids.has(id), path, `The :attribute does not match any ${table}.`)
  }

  /**
   * Whether every reference exists: each `[ids, id, field, table]` names a row of `table` by the
   * entry's `field` (at `<path>.<field>`). All are checked, so every missing one is reported.
   */
  refs(path: string, ...refs: [ReadonlyMap<string, unknown>, string, string, string][]): boolean {
    return refs
      .map(([ids, id, field, table]) => this.exists(ids, id, `${path}.${field}`, table))
      .every(Boolean)
  }

  /** The rows by id; a repeated id is reported at `<key>.<index>.id` and the first one kept. */
  byId<T extends { id: string }>(rows: readonly T[], key: string): Map<string, T> {
    const found = new Map<string, T>()
    const seen = new Set<string>()
    rows.forEach((row, i) => {
      if (this.unique(seen, row.id, `${key}.${i}.id`)) {
        found.set(row.id, row)
      }
    })
    return found
  }
}

/** Key of an unordered pair of users. */
export const pairOf = (a: string, b: string): string => (a < b ? `${a} ${b}` : `${b} ${a}`)
