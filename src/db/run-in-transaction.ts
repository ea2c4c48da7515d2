// One transaction wrapper per store, made on first use. better-sqlite3's db.transaction(fn) builds
// a new wrapper (four functions and their properties) each time it is called; the stores called
// it once per write request. Nested calls become savepoints, as before.
import type { Transaction } from 'better-sqlite3'
import type { Db } from './open.ts'

export function runInTransaction(db: Db): <T>(work: () => T) => T {
  let run: Transaction<(work: () => unknown) => unknown> | undefined
  return <T>(work: () => T): T => {
    run ??= db.transaction((inside: () => unknown) => inside())
    return run(work) as T
  }
}
