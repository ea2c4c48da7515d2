// What the control API reports about a world: how many users, threads, calls and invites it holds.
import type { Db } from '../../db/open.ts'

export interface WorldCounts {
  users: number
  threads: number
  calls: number
  invites: number
}

export function createWorldCountStore(db: Db) {
  // Every row, deleted ones included: the counts describe the world document.
  const counts = db.prepare<[], WorldCounts>(
    `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM threads) AS threads,
            (SELECT count(*) FROM calls) AS calls, (SELECT count(*) FROM invites) AS invites`
  )
  return {
    counts: (): WorldCounts => counts.get() ?? { users: 0, threads: 0, calls: 0, invites: 0 },
  }
}
