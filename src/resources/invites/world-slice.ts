// The invites' part of a world document.
import { z } from 'zod'
import type { InviteRow } from '../../db/rows.ts'
import { nullableTimestamp, stampFields, uuid } from '../../world/fields.ts'
import { tableSlice, withStamps } from '../../world/slice.ts'

const inviteSchema = z.strictObject({
  id: uuid,
  thread_id: uuid,
  owner_id: uuid,
  code: z.string().regex(/^[A-Z0-9]{8}$/, {
    message: 'The :attribute must be 8 uppercase letters or digits.',
  }),
  /** 0 = unlimited. */
  max_use: z.int().min(0).max(100).default(0),
  uses: z.int().min(0).default(0),
  expires_at: nullableTimestamp,
  ...stampFields,
  deleted_at: nullableTimestamp,
})

export const invitesSlice = tableSlice('invites', inviteSchema, {
  toRow: (invite, at): InviteRow => withStamps(invite, at),
  check(invites, check, known) {
    check.byId(invites, 'invites')
    const codes = new Set<string>()
    invites.forEach((invite, i) => {
      const path = `invites.${i}`
      check.unique(codes, invite.code, `${path}.code`)
      check.exists(known.threads, invite.thread_id, `${path}.thread_id`, 'thread')
      check.exists(known.users, invite.owner_id, `${path}.owner_id`, 'user')
    })
  },
  toEntry: (invite: InviteRow) => ({ ...invite }),
})
