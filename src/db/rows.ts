// The row type of every table, once, beside the migrations that create the tables: stores, world
// loading and export all read and write these. TABLE_COLUMNS spells each type's columns out for
// SQL; rows.test.ts holds both to the migrated schema.

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

/** A user's messenger settings (no row until the user first opens the messenger). */
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
  type: 1 | 2
  subject: string | null
  image: string | null
  add_participants: Bit
  invitations: Bit
  calling: Bit
  messaging: Bit
  knocks: Bit
  lockout: Bit
  /** Runtime state: no new call before this time ("awaiting creation"); never in a document. */
  call_lockout_until: string | null
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

export interface WorldConfigRow {
  id: 1
  /** The config switches as JSON. */
  config: string
}

export interface WorldClockRow {
  id: 1
  offset_ms: number
  frozen_at_ms: number | null
}

/** Exactly the keys of a row type: the compiler refuses a missing or an extra column. */
type Columns<Row> = { readonly [K in keyof Row]-?: true }

const columns = <Row>(names: Columns<Row>): readonly string[] => Object.keys(names)

const STAMPS = { created_at: true, updated_at: true } as const

/** Each table's columns, in the order the migrations create them. */
export const TABLE_COLUMNS = {
  users: columns<UserRow>({
    id: true,
    name: true,
    email: true,
    email_verified_at: true,
    avatar: true,
    token: true,
    ...STAMPS,
    online_kind: true,
    online_until: true,
  }),
  messengers: columns<MessengerRow>({
    owner_id: true,
    message_popups: true,
    message_sound: true,
    call_ringtone_sound: true,
    notify_sound: true,
    dark_mode: true,
    online_status: true,
    ...STAMPS,
  }),
  friends: columns<FriendRow>({ id: true, owner_id: true, party_id: true, ...STAMPS }),
  friend_requests: columns<FriendRequestRow>({
    id: true,
    sender_id: true,
    recipient_id: true,
    ...STAMPS,
  }),
  threads: columns<ThreadRow>({
    id: true,
    type: true,
    subject: true,
    image: true,
    add_participants: true,
    invitations: true,
    calling: true,
    messaging: true,
    knocks: true,
    lockout: true,
    call_lockout_until: true,
    ...STAMPS,
    deleted_at: true,
  }),
  participants: columns<ParticipantRow>({
    id: true,
    thread_id: true,
    owner_id: true,
    admin: true,
    pending: true,
    start_calls: true,
    send_knocks: true,
    send_messages: true,
    add_participants: true,
    manage_invites: true,
    muted: true,
    last_read: true,
    ...STAMPS,
    deleted_at: true,
  }),
  calls: columns<CallRow>({
    id: true,
    thread_id: true,
    owner_id: true,
    type: true,
    setup_complete: true,
    room_id: true,
    room_pin: true,
    room_secret: true,
    payload: true,
    call_ended: true,
    ...STAMPS,
  }),
  call_participants: columns<CallParticipantRow>({
    id: true,
    call_id: true,
    owner_id: true,
    kicked: true,
    left_call: true,
    last_seen: true,
    ...STAMPS,
  }),
  invites: columns<InviteRow>({
    id: true,
    thread_id: true,
    owner_id: true,
    code: true,
    max_use: true,
    uses: true,
    expires_at: true,
    ...STAMPS,
    deleted_at: true,
  }),
  avatars: columns<AvatarRow>({
    user_id: true,
    file: true,
    content_type: true,
    data: true,
    created_at: true,
  }),
  world_config: columns<WorldConfigRow>({ id: true, config: true }),
  world_clock: columns<WorldClockRow>({ id: true, offset_ms: true, frozen_at_ms: true }),
}

export type TableName = keyof typeof TABLE_COLUMNS
