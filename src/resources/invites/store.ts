// Invites of group threads: lookups by id and code, the valid ones of a thread, creation, use.
import type { Db } from '../../db/open.ts'
import type { InviteRow } from '../../db/rows.ts'
import { runInTransaction } from '../../db/run-in-transaction.ts'

export interface NewInvite {
  id: string
  thread_id: string
  owner_id: string
  code: string
  max_use: number
  expires_at: string | null
  now: string
}

// Invite::scopeValid(): not used up and not expired (soft-deleted rows are never selected).
const VALID = `deleted_at IS NULL AND (max_use = 0 OR uses < max_use)
  AND (expires_at IS NULL OR expires_at > @now)`

export function createInviteStore(db: Db) {
  const byId = db.prepare<[string], InviteRow>(
    'SELECT * FROM invites WHERE id = ? AND deleted_at IS NULL'
  )
  const byCode = db.prepare<[string], InviteRow>(
    'SELECT * FROM invites WHERE code = ? AND deleted_at IS NULL'
  )
  // Codes stay unique across deleted invites too (the column's unique key).
  const codeTaken = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM invites WHERE code = ?'
  )
  const valid = db.prepare<{ thread: string; now: string }, InviteRow>(
    `SELECT * FROM invites WHERE thread_id = @thread AND ${VALID}
     ORDER BY created_at DESC, id DESC`
  )
  const validCount = db.prepare<{ thread: string; now: string }, { n: number }>(
    `SELECT count(*) AS n FROM invites WHERE thread_id = @thread AND ${VALID}`
  )
  const insert = db.prepare<NewInvite>(
    `INSERT INTO invites (id, thread_id, owner_id, code, max_use, uses, expires_at, created_at, updated_at)
     VALUES (@id, @thread_id, @owner_id, @code, @max_use, 0, @expires_at, @now, @now)`
  )
  const archive = db.prepare<[string, string, string]>(
    'UPDATE invites SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL'
  )
  // The guard makes the limit hold even when joins race: a used-up invite changes no row.
  const use = db.prepare<{ id: string; now: string }>(
    `UPDATE invites SET uses = uses + 1, updated_at = @now
     WHERE id = @id AND deleted_at IS NULL AND (max_use = 0 OR uses < max_use)`
  )

  return {
    /** Runs `work` in one transaction (checks and writes that must not be split). */
    transaction: runInTransaction(db),
    /** A live (not deleted) invite by id. */
    byId: (id: string) => byId.get(id),
    /** A live (not deleted) invite by code. */
    byCode: (code: string) => byCode.get(code),
    isCodeTaken: (code: string) => (codeTaken.get(code)?.n ?? 0) > 0,
    /** The thread's valid invites, newest first. */
    validOf: (threadId: string, now: string) => valid.all({ thread: threadId, now }),
    validCount: (threadId: string, now: string) =>
      validCount.get({ thread: threadId, now })?.n ?? 0,
    create(invite: NewInvite): InviteRow {
      insert.run(invite)
      const row = byId.get(invite.id)
      if (!row) {
        throw new Error(`Invite ${invite.id} was not stored`)
      }
      return row
    },
    /** Soft delete; false when the invite was already gone. */
    archive: (id: string, now: string) => archive.run(now, now, id).changes > 0,
    /** Counts one use; false when the invite was used up (or deleted) meanwhile. */
    use: (id: string, now: string) => use.run({ id, now }).changes > 0,
  }
}

export type InviteStore = ReturnType<typeof createInviteStore>
