// One transaction wrapper per store. better-sqlite3's db.transaction(fn) builds a new wrapper (four
// functions and their properties) each time it is called; the stores called it once per write
// request. Through a world's view of its database (prepare-on-use.ts) the wrapper compiles its
// BEGIN/COMMIT statements on its first run. Nested calls become savepoints, as before.
import type { Db } from './open.ts'

export function runInTransaction(db: Db): <T>(work: () => T) => T {
  const run = db.transaction((inside: () => unknown) => inside())
  return <T>(work: () => T): T => run(work) as T
}
