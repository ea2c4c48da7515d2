// Threads and their participants: membership, permissions and read state that the policies read.
import type { Db } from '../../db/open.ts'
import { createRowCache } from '../../world/row-cache.ts'
import type { RowCache } from '../../world/row-cache.ts'
import type { ParticipantRow, ThreadRow } from '../../db/rows.ts'

export interface NewParticipant {
  id: string
  thread_id: string
  owner_id: string
  now: string
}

export function createThreadStore(db: Db, rows: RowCache = createRowCache(db)) {
  const byId = db.prepare<[string], ThreadRow>(
    'SELECT * FROM threads WHERE id = ? AND deleted_at IS NULL'
  )
  const member = db.prepare<[string, string], ParticipantRow>(
    'SELECT * FROM participants WHERE thread_id = ? AND owner_id = ? AND deleted_at IS NULL'
  )
  const others = db.prepare<[string, string], ParticipantRow>(
    `SELECT * FROM participants WHERE thread_id = ? AND owner_id <> ? AND deleted_at IS NULL
     ORDER BY created_at, id`
  )
  const memberIds = db.prepare<[string], { owner_id: string }>(
    `SELECT owner_id FROM participants WHERE thread_id = ? AND deleted_at IS NULL
     ORDER BY created_at, id`
  )
  const touch = rows.writes(
    db.prepare<[string, string]>('UPDATE threads SET updated_at = ? WHERE id = ?')
  )
  const setLockout = rows.writes(
    db.prepare<[string, string]>('UPDATE threads SET call_lockout_until = ? WHERE id = ?')
  )
  const insertParticipant = rows.writes(
    db.prepare<[string, string, string, string, string]>(
      `INSERT INTO participants (id, thread_id, owner_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?)`
    )
  )
  const participantById = db.prepare<[string], ParticipantRow>(
    'SELECT * FROM participants WHERE id = ?'
  )
  const unread = db.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM participants p JOIN threads t ON t.id = p.thread_id
     WHERE p.owner_id = ? AND p.deleted_at IS NULL AND t.deleted_at IS NULL
       AND (p.last_read IS NULL OR t.updated_at > p.last_read)`
  )

  return {
    byId: rows.lookup(['threads'], (id) => byId.get(id)),
    /** The user's current (not deleted) participant row in the thread. */
    member: rows.lookup2(['participants'], (threadId, userId) => member.get(threadId, userId)),
    /** The other current participants; in a private thread, the recipient. */
    others: rows.lookup2(['participants'], (threadId, userId): readonly ParticipantRow[] =>
      others.all(threadId, userId)
    ),
    /** Every current participant's user id (the recipients of a thread-wide broadcast). */
    memberIds: (threadId: string) => memberIds.all(threadId).map((row) => row.owner_id),
    /** A new message bumps the thread, which makes it unread for its participants. */
    touch: (threadId: string, now: string) => touch.run(now, threadId),
    setCallLockout: (threadId: string, until: string) => setLockout.run(until, threadId),
    /** DefaultParticipant: may send messages, nothing else. */
    addParticipant(p: NewParticipant): ParticipantRow {
      insertParticipant.run(p.id, p.thread_id, p.owner_id, p.now, p.now)
      const row = participantById.get(p.id)
      if (!row) {
        throw new Error(`participant ${p.id} was not stored`)
      }
      return row
    },
    /** Threads with news for the user: kept until a thread or a membership changes. */
    unreadCount: rows.lookup(['participants', 'threads'], (userId) => unread.get(userId)?.n ?? 0),
  }
}

export type ThreadStore = ReturnType<typeof createThreadStore>
