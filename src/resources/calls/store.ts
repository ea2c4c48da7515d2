// Calls and call participants: the SQL behind the call routes (lookups, pages, joins, leaves, ends).
import type { Db } from '../../db/open.ts'
import { createRowCache } from '../../world/row-cache.ts'
import type { RowCache } from '../../world/row-cache.ts'
import type { CallParticipantRow, CallRow } from '../../db/rows.ts'
import { runInTransaction } from '../../db/run-in-transaction.ts'

export interface NewCall {
  id: string
  thread_id: string
  owner_id: string
  room_id: number
  room_pin: string
  room_secret: string
  now: string
}

export interface NewCallParticipant {
  id: string
  call_id: string
  owner_id: string
  now: string
}

/** A row just written: reading it back cannot miss inside the same synchronous call. */
function written<T>(row: T | undefined, what: string): T {
  if (row === undefined) {
    throw new Error(`The ${what} just written is missing`)
  }
  return row
}

export function createCallStore(db: Db, rows: RowCache = createRowCache(db)) {
  const byId = db.prepare<[string], CallRow>('SELECT * FROM calls WHERE id = ?')
  const active = db.prepare<[string], CallRow>(
    'SELECT * FROM calls WHERE thread_id = ? AND call_ended IS NULL'
  )
  // A page is the ids from calls_thread_created alone (every call is type 1, a CHECK of the
  // table, so no condition reads the rows), then each row from the read model (byId): reading 25
  // rows from the table cost five times the index seek, in a thread of any size.
  const newest = db.prepare<[string, number], { id: string }>(
    'SELECT id FROM calls WHERE thread_id = ? ORDER BY created_at DESC, id DESC LIMIT ?'
  )
  // A row-value comparison, so the index seeks straight to the page (an OR of the two
  // conditions made SQLite walk every newer call first).
  const olderThan = db.prepare<[string, string, string, number], { id: string }>(
    `SELECT id FROM calls WHERE thread_id = ? AND (created_at, id) < (?, ?)
     ORDER BY created_at DESC, id DESC LIMIT ?`
  )
  const oldest = db.prepare<[string], { id: string }>(
    'SELECT id FROM calls WHERE thread_id = ? ORDER BY created_at ASC, id ASC LIMIT 1'
  )
  // Every call is type 1 (a CHECK of the table), so the count reads the index alone.
  const total = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM calls WHERE thread_id = ?'
  )
  // The user's threads (current membership, thread not deleted) that have an active call.
  const activeOfUser = db.prepare<[string], CallRow>(
    `SELECT c.* FROM calls c
       JOIN participants p ON p.thread_id = c.thread_id AND p.owner_id = ? AND p.deleted_at IS NULL
       JOIN threads t ON t.id = c.thread_id AND t.deleted_at IS NULL
     WHERE c.call_ended IS NULL
     ORDER BY t.updated_at DESC, t.id DESC`
  )
  const insertCall = rows.writes(
    db.prepare<[string, string, string, number, string, string, string, string]>(
      `INSERT INTO calls (id, thread_id, owner_id, type, setup_complete, room_id, room_pin,
       room_secret, payload, call_ended, created_at, updated_at)
     VALUES (?, ?, ?, 1, 1, ?, ?, ?, NULL, NULL, ?, ?)`
    )
  )
  const endCall = rows.writes(
    db.prepare<[string, string, string]>(
      'UPDATE calls SET call_ended = ?, updated_at = ? WHERE id = ? AND call_ended IS NULL'
    )
  )
  const leaveEveryone = rows.writes(
    db.prepare<[string, string, string]>(
      `UPDATE call_participants SET left_call = ?, updated_at = ?
     WHERE call_id = ? AND left_call IS NULL`
    )
  )

  const participantById = db.prepare<[string], CallParticipantRow>(
    'SELECT * FROM call_participants WHERE id = ?'
  )
  const participantOf = db.prepare<[string, string], CallParticipantRow>(
    'SELECT * FROM call_participants WHERE call_id = ? AND owner_id = ?'
  )
  const participantsOf = db.prepare<[string], CallParticipantRow>(
    'SELECT * FROM call_participants WHERE call_id = ? ORDER BY created_at, id'
  )
  const inCallCount = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM call_participants WHERE call_id = ? AND left_call IS NULL'
  )
  const insertParticipant = rows.writes(
    db.prepare<[string, string, string, string, string, string]>(
      `INSERT INTO call_participants (id, call_id, owner_id, kicked, left_call, last_seen,
       created_at, updated_at)
     VALUES (?, ?, ?, 0, NULL, ?, ?, ?)`
    )
  )
  // Eloquent bumps updated_at only when a column really changes.
  const rejoin = rows.writes(
    db.prepare<[string, string, string]>(
      `UPDATE call_participants
     SET updated_at = CASE WHEN left_call IS NULL THEN updated_at ELSE ? END,
         left_call = NULL, last_seen = ?
     WHERE id = ?`
    )
  )
  const seen = rows.writes(
    db.prepare<[string, string]>('UPDATE call_participants SET last_seen = ? WHERE id = ?')
  )
  const leave = rows.writes(
    db.prepare<[string, string, string]>(
      'UPDATE call_participants SET left_call = ?, updated_at = ? WHERE id = ?'
    )
  )
  const kick = rows.writes(
    db.prepare<[string, string, string]>(
      'UPDATE call_participants SET kicked = 1, left_call = ?, updated_at = ? WHERE id = ?'
    )
  )
  const unkick = rows.writes(
    db.prepare<[string, string]>(
      'UPDATE call_participants SET kicked = 0, updated_at = ? WHERE id = ? AND kicked = 1'
    )
  )

  const callById = rows.lookup(['calls'], (id) => byId.get(id))
  /** The rows of a page's ids, read in the same synchronous step: none can be missing. */
  const callsOf = (ids: readonly { id: string }[]): CallRow[] =>
    ids.flatMap(({ id }) => callById(id) ?? [])

  return {
    /** Runs `work` in one transaction (nested calls join the outer one). */
    transaction: runInTransaction(db),
    byId: callById,
    activeCall: (threadId: string) => active.get(threadId),
    /** The thread's newest calls, newest first. */
    newest: (threadId: string, limit: number) => callsOf(newest.all(threadId, limit)),
    /** The calls that come after `call` in newest-first order. */
    olderThan: (call: CallRow, limit: number) =>
      callsOf(olderThan.all(call.thread_id, call.created_at, call.id, limit)),
    oldestId: (threadId: string) => oldest.get(threadId)?.id,
    /** Counting a thread's calls walks all of them: the count is kept until a call is written. */
    total: rows.lookup(['calls'], (threadId) => total.get(threadId)?.n ?? 0),
    activeOfUser: (userId: string) => activeOfUser.all(userId),
    /** A call whose setup completed at once (room made), as the mock has no video server. */
    insertCall(call: NewCall): CallRow {
      insertCall.run(
        call.id,
        call.thread_id,
        call.owner_id,
        call.room_id,
        call.room_pin,
        call.room_secret,
        call.now,
        call.now
      )
      return written(byId.get(call.id), 'call')
    },
    /** Ends the call and marks everyone still in it as having left. */
    end(callId: string, now: string): void {
      endCall.run(now, now, callId)
      leaveEveryone.run(now, now, callId)
    },
    participantById: (id: string) => participantById.get(id),
    participantOf: rows.lookup2(['call_participants'], (callId, userId) =>
      participantOf.get(callId, userId)
    ),
    participants: rows.lookup(['call_participants'], (callId): readonly CallParticipantRow[] =>
      participantsOf.all(callId)
    ),
    inCallCount: (callId: string) => inCallCount.get(callId)?.n ?? 0,
    /** A participant who is in the call and was just seen. */
    insertParticipant(p: NewCallParticipant): CallParticipantRow {
      insertParticipant.run(p.id, p.call_id, p.owner_id, p.now, p.now, p.now)
      return written(participantById.get(p.id), 'call participant')
    },
    rejoin(id: string, now: string): CallParticipantRow {
      rejoin.run(now, now, id)
      return written(participantById.get(id), 'call participant')
    },
    seen: (id: string, now: string) => seen.run(now, id),
    leave: (id: string, now: string) => leave.run(now, now, id),
    kick: (id: string, now: string) => kick.run(now, now, id),
    unkick: (id: string, now: string) => unkick.run(now, id),
  }
}

export type CallStore = ReturnType<typeof createCallStore>
