// The rows of a world as load.ts builds them from a document (references.ts checks them before
// they are written). The row types are the tables' own (db/rows.ts).
import type * as Table from '../db/rows.ts'

type UserIdentity = Pick<
  Table.UserRow,
  'id' | 'name' | 'email' | 'email_verified_at' | 'avatar' | 'token'
>

/** The user columns a world document carries as they are (load and export both copy them). */
export const userIdentity = (user: UserIdentity): UserIdentity => ({
  id: user.id,
  name: user.name,
  email: user.email,
  email_verified_at: user.email_verified_at,
  avatar: user.avatar,
  token: user.token,
})

/** A document's thread: its runtime lockout starts empty, so load never writes it. */
export type LoadedThreadRow = Omit<Table.ThreadRow, 'call_lockout_until'>

/** Every row of a world, in the order of the document's entries. */
export interface WorldRows {
  users: Table.UserRow[]
  messengers: Table.MessengerRow[]
  avatars: Table.AvatarRow[]
  threads: LoadedThreadRow[]
  participants: Table.ParticipantRow[]
  /** Each friendship as [the user's row, the friend's row]. */
  friendPairs: [Table.FriendRow, Table.FriendRow][]
  friendRequests: Table.FriendRequestRow[]
  calls: Table.CallRow[]
  callParticipants: Table.CallParticipantRow[]
  invites: Table.InviteRow[]
  config: string
  clock: { offsetMs: number; frozenAtMs: number | null }
}
