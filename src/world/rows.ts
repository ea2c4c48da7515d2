// The rows of a world as load.ts builds them from a document (references.ts checks them before
// they are written). The row types are the tables' own (db/rows.ts).
import type {
  AvatarRow,
  CallParticipantRow,
  CallRow,
  FriendRequestRow,
  FriendRow,
  InviteRow,
  MessengerRow,
  ParticipantRow,
  ThreadRow,
  UserRow,
} from '../db/rows.ts'

/** A document's thread: its runtime lockout starts empty, so load never writes it. */
export type LoadedThreadRow = Omit<ThreadRow, 'call_lockout_until'>

/** Every row of a world, in the order of the document's entries. */
export interface WorldRows {
  users: UserRow[]
  messengers: MessengerRow[]
  avatars: AvatarRow[]
  threads: LoadedThreadRow[]
  participants: ParticipantRow[]
  /** Each friendship as [the user's row, the friend's row]. */
  friendPairs: [FriendRow, FriendRow][]
  friendRequests: FriendRequestRow[]
  calls: CallRow[]
  callParticipants: CallParticipantRow[]
  invites: InviteRow[]
  config: string
  clock: { offsetMs: number; frozenAtMs: number | null }
}
