// The rows of a world as they go into and come out of the tables (load.ts builds them, references.ts
// checks them, export.ts reads them back).

export type Bit = 0 | 1

export interface Stamps {
  created_at: string
  updated_at: string
}

export interface UserRow extends Stamps {
  id: string
  name: string
  email: string
  email_verified_at: string | null
  avatar: string | null
  token: string
  online_kind: 'online' | 'away' | null
  online_until: string | null
}
export interface MessengerRow extends Stamps {
  owner_id: string
  message_popups: Bit
  message_sound: Bit
  call_ringtone_sound: Bit
  notify_sound: Bit
  dark_mode: Bit
  online_status: number
}
export interface ThreadRow extends Stamps {
  id: string
  type: number
  subject: string | null
  image: string | null
  add_participants: Bit
  invitations: Bit
  calling: Bit
  messaging: Bit
  knocks: Bit
  lockout: Bit
  deleted_at: string | null
}
export interface ParticipantRow extends Stamps {
  id: string
  thread_id: string
  owner_id: string
  admin: Bit
  pending: Bit
  start_calls: Bit
  send_knocks: Bit
  send_messages: Bit
  add_participants: Bit
  manage_invites: Bit
  muted: Bit
  last_read: string | null
  deleted_at: string | null
}
export interface FriendRow extends Stamps {
  id: string
  owner_id: string
  party_id: string
}
export interface FriendRequestRow extends Stamps {
  id: string
  sender_id: string
  recipient_id: string
}
export interface CallRow extends Stamps {
  id: string
  thread_id: string
  owner_id: string
  type: number
  setup_complete: Bit
  room_id: number | null
  room_pin: string | null
  room_secret: string | null
  payload: string | null
  call_ended: string | null
}
export interface CallParticipantRow extends Stamps {
  id: string
  call_id: string
  owner_id: string
  kicked: Bit
  left_call: string | null
  last_seen: string | null
}
export interface InviteRow extends Stamps {
  id: string
  thread_id: string
  owner_id: string
  code: string
  max_use: number
  uses: number
  expires_at: string | null
  deleted_at: string | null
}
export interface AvatarRow {
  user_id: string
  file: string
  content_type: string
  data: Buffer
  created_at: string
}

/** Every row of a world, in the order of the document's entries. */
export interface WorldRows {
  users: UserRow[]
  messengers: MessengerRow[]
  avatars: AvatarRow[]
  threads: ThreadRow[]
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
