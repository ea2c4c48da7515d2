// When the rows search is built from may have changed. Triggers of this connection alone (TEMP:
// kept out of the world's file, its migrations and its images) call back into the process on each
// write to what search reads: a user appearing or going, their id, name, email or created_at (the
// order), a messengers row (searchability) appearing, going or moving. Heartbeats, online status,
// avatars and settings write none of these, so the search index outlives them.
import type { Db } from '../../db/open.ts'

/** Watches made so far: each names its function and triggers apart (see `searchChanges`). */
let made = 0

const WATCHED = [
  ['users_insert', 'INSERT ON main.users'],
  ['users_delete', 'DELETE ON main.users'],
  ['users_update', 'UPDATE OF id, name, email, created_at ON main.users'],
  ['messengers_insert', 'INSERT ON main.messengers'],
  ['messengers_delete', 'DELETE ON main.messengers'],
  ['messengers_update', 'UPDATE OF owner_id ON main.messengers'],
] as const

export interface SearchChanges {
  /**
   * A number that changes whenever a watched write runs on this connection (a rolled-back write
   * changes it too: a needless rebuild, never a stale index). Undefined inside a transaction
   * before the watch is set up: a trigger made there could roll back with it.
   */
  version(): number | undefined
}

// One watch per database object. Two objects over one connection (a statement-preparing view of
// it, say) get a function and triggers each, so neither registration silences the other.
const watches = new WeakMap<Db, SearchChanges>()

/** The changes to the searchable rows of `db`, watched from the first call of `version()`. */
export function searchChanges(db: Db): SearchChanges {
  let watch = watches.get(db)
  if (watch === undefined) {
    watch = createWatch(db)
    watches.set(db, watch)
  }
  return watch
}

function createWatch(db: Db): SearchChanges {
  made += 1
  /** The SQL function the triggers call; registered on the connection before they exist. */
  const callback = `messenger_search_changed_${made}`
  let changes = 0
  let watching = false
  return {
    version() {
      if (!watching) {
        if (db.inTransaction) {
          return undefined
        }
        db.function(callback, { deterministic: false }, () => {
          changes += 1
          return null
        })
        for (const [name, event] of WATCHED) {
          db.exec(
            `CREATE TEMP TRIGGER ${callback}_${name} AFTER ${event} BEGIN SELECT ${callback}(); END`
          )
        }
        watching = true
      }
      return changes
    },
  }
}
