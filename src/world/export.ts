// Reads a world back out of its database as a world document that loadWorld accepts.
import type { Db } from '../db/open.ts'
import { createClock } from './clock.ts'
import { userIdentity } from './rows.ts'
import type {
  AvatarRow,
  Bit,
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
import {
  AVATAR_CONTENT_TYPES,
  worldConfigSchema,
  type WorldConfig,
  type WorldDocument,
} from './schema.ts'

type OnlineStatus = 0 | 1 | 2

type Nullable<T> = { [K in keyof T]: T[K] | null }

/** A user with its messengers row joined (all null when the user has none). */
type UserWithSettings = UserRow &
  Nullable<
    Pick<
      MessengerRow,
      'message_popups' | 'message_sound' | 'call_ringtone_sound' | 'notify_sound' | 'dark_mode'
    >
  > & {
    settings_online_status: OnlineStatus | null
    settings_created_at: string | null
    settings_updated_at: string | null
  }

// What a document keeps of each table: runtime state (lockouts, heartbeats) stays out.
type ExportedThread = Omit<ThreadRow, 'call_lockout_until'>
type ExportedCall = Omit<CallRow, 'type'>
type ExportedCallParticipant = Omit<CallParticipantRow, 'last_seen'>
type ExportedAvatar = Omit<AvatarRow, 'created_at'>

interface Readers {
  config: () => string | undefined
  users: () => UserWithSettings[]
  threads: () => ExportedThread[]
  participants: () => ParticipantRow[]
  friends: () => FriendRow[]
  friendRequests: () => FriendRequestRow[]
  calls: () => ExportedCall[]
  callParticipants: () => ExportedCallParticipant[]
  invites: () => InviteRow[]
  avatars: () => ExportedAvatar[]
}

// Rows come out in creation order (ids break ties), so an export does not depend on the order
// in which a document listed them, and loading an export then exporting again gives it back.
function prepareReaders(db: Db): Readers {
  const list = <T>(sql: string): (() => T[]) => {
    const statement = db.prepare<[], T>(sql)
    return () => statement.all()
  }
  const ordered = <T>(table: string, columns: string, order = 'created_at, id'): (() => T[]) =>
    list<T>(`SELECT ${columns} FROM ${table} ORDER BY ${order}`)
  const config = db.prepare<[], string>('SELECT config FROM world_config WHERE id = 1').pluck()
  return {
    config: () => config.get(),
    users: list<UserWithSettings>(
      `SELECT u.id, u.name, u.email, u.email_verified_at, u.avatar, u.token, u.created_at,
              u.updated_at, u.online_kind, u.online_until, m.message_popups, m.message_sound,
              m.call_ringtone_sound, m.notify_sound, m.dark_mode,
              m.online_status AS settings_online_status, m.created_at AS settings_created_at,
              m.updated_at AS settings_updated_at
         FROM users u LEFT JOIN messengers m ON m.owner_id = u.id
        ORDER BY u.created_at, u.id`
    ),
    threads: ordered<ExportedThread>(
      'threads',
      'id, type, subject, image, add_participants, invitations, calling, messaging, knocks, lockout, created_at, updated_at, deleted_at'
    ),
    participants: ordered<ParticipantRow>(
      'participants',
      'id, thread_id, owner_id, admin, pending, start_calls, send_knocks, send_messages, add_participants, manage_invites, muted, last_read, created_at, updated_at, deleted_at'
    ),
    friends: ordered<FriendRow>('friends', 'id, owner_id, party_id, created_at, updated_at'),
    friendRequests: ordered<FriendRequestRow>(
      'friend_requests',
      'id, sender_id, recipient_id, created_at, updated_at'
    ),
    calls: ordered<ExportedCall>(
      'calls',
      'id, thread_id, owner_id, setup_complete, room_id, room_pin, room_secret, payload, call_ended, created_at, updated_at'
    ),
    callParticipants: ordered<ExportedCallParticipant>(
      'call_participants',
      'id, call_id, owner_id, kicked, left_call, created_at, updated_at'
    ),
    invites: ordered<InviteRow>(
      'invites',
      'id, thread_id, owner_id, code, max_use, uses, expires_at, created_at, updated_at, deleted_at'
    ),
    avatars: ordered<ExportedAvatar>('avatars', 'user_id, file, content_type, data', 'user_id'),
  }
}

const readers = new WeakMap<Db, Readers>()

function readersFor(db: Db): Readers {
  let found = readers.get(db)
  if (found === undefined) {
    found = prepareReaders(db)
    readers.set(db, found)
  }
  return found
}

/** The world's config switches (the defaults when the world was never loaded). */
export function readWorldConfig(db: Db): WorldConfig {
  const text = readersFor(db).config()
  return worldConfigSchema.parse(text === undefined ? {} : JSON.parse(text))
}

const bool = (value: Bit): boolean => value === 1

function onlineStatusAt(user: UserWithSettings, now: string): OnlineStatus {
  if (user.online_kind === null || user.online_until === null || user.online_until <= now) {
    return 0
  }
  return user.online_kind === 'online' ? 1 : 2
}

function settingsOf(user: UserWithSettings): WorldDocument['users'][number]['settings'] {
  const { message_popups, message_sound, call_ringtone_sound, notify_sound, dark_mode } = user
  if (
    message_popups === null ||
    message_sound === null ||
    call_ringtone_sound === null ||
    notify_sound === null ||
    dark_mode === null ||
    user.settings_online_status === null ||
    user.settings_created_at === null ||
    user.settings_updated_at === null
  ) {
    return null
  }
  return {
    message_popups: bool(message_popups),
    message_sound: bool(message_sound),
    call_ringtone_sound: bool(call_ringtone_sound),
    notify_sound: bool(notify_sound),
    dark_mode: bool(dark_mode),
    online_status: user.settings_online_status,
    created_at: user.settings_created_at,
    updated_at: user.settings_updated_at,
  }
}

/** Pairs the two rows of each friendship; the earlier row (creation order) is the entry's own. */
function friendsOf(rows: readonly FriendRow[]): WorldDocument['friends'] {
  const byDirection = new Map(rows.map((row) => [`${row.owner_id} ${row.party_id}`, row]))
  const used = new Set<string>()
  const friends: WorldDocument['friends'] = []
  for (const row of rows) {
    if (used.has(row.id)) {
      continue
    }
    const inverse = byDirection.get(`${row.party_id} ${row.owner_id}`)
    used.add(row.id)
    if (inverse !== undefined) {
      used.add(inverse.id)
    }
    friends.push({
      id: row.id,
      user_id: row.owner_id,
      friend_id: row.party_id,
      // A one-sided row (never made by the API) comes back as a whole friendship on load.
      ...(inverse === undefined ? {} : { inverse_id: inverse.id }),
      created_at: row.created_at,
      updated_at: row.updated_at,
    })
  }
  return friends
}

function contentType(value: string): (typeof AVATAR_CONTENT_TYPES)[number] {
  const known = AVATAR_CONTENT_TYPES.find((type) => type === value)
  if (known === undefined) {
    throw new TypeError(`The stored avatar has an unknown content type "${value}".`)
  }
  return known
}

/**
 * The whole world in `db` as a world document: loading it into an empty database and exporting
 * again gives the same document. `online_status` is each user's status at the clock's now.
 */
export function exportWorld(db: Db): WorldDocument {
  const read = readersFor(db)
  const clock = createClock(db).state()
  return {
    clock: { now: clock.now, frozen: clock.frozen },
    config: readWorldConfig(db),
    users: read.users().map((user) => ({
      ...userIdentity(user),
      created_at: user.created_at,
      updated_at: user.updated_at,
      settings: settingsOf(user),
      online_status: onlineStatusAt(user, clock.now),
    })),
    threads: read.threads().map((thread) => ({
      id: thread.id,
      type: thread.type,
      subject: thread.subject,
      image: thread.image,
      invitations: bool(thread.invitations),
      calling: bool(thread.calling),
      lockout: bool(thread.lockout),
      add_participants: bool(thread.add_participants),
      messaging: bool(thread.messaging),
      knocks: bool(thread.knocks),
      created_at: thread.created_at,
      updated_at: thread.updated_at,
      deleted_at: thread.deleted_at,
    })),
    participants: read.participants().map((participant) => ({
      id: participant.id,
      thread_id: participant.thread_id,
      user_id: participant.owner_id,
      admin: bool(participant.admin),
      pending: bool(participant.pending),
      start_calls: bool(participant.start_calls),
      send_knocks: bool(participant.send_knocks),
      send_messages: bool(participant.send_messages),
      add_participants: bool(participant.add_participants),
      manage_invites: bool(participant.manage_invites),
      muted: bool(participant.muted),
      last_read: participant.last_read,
      created_at: participant.created_at,
      updated_at: participant.updated_at,
      deleted_at: participant.deleted_at,
    })),
    friends: friendsOf(read.friends()),
    friend_requests: read.friendRequests().map((request) => ({ ...request })),
    calls: read.calls().map((call) => ({
      id: call.id,
      thread_id: call.thread_id,
      owner_id: call.owner_id,
      type: 1,
      setup_complete: bool(call.setup_complete),
      room_id: call.room_id,
      room_pin: call.room_pin,
      room_secret: call.room_secret,
      payload: call.payload,
      call_ended: call.call_ended,
      created_at: call.created_at,
      updated_at: call.updated_at,
    })),
    call_participants: read.callParticipants().map((participant) => ({
      id: participant.id,
      call_id: participant.call_id,
      user_id: participant.owner_id,
      kicked: bool(participant.kicked),
      left_call: participant.left_call,
      created_at: participant.created_at,
      updated_at: participant.updated_at,
    })),
    invites: read.invites().map((invite) => ({ ...invite })),
    avatars: read.avatars().map((avatar) => ({
      user_id: avatar.user_id,
      file: avatar.file,
      content_type: contentType(avatar.content_type),
      data_base64: avatar.data.toString('base64'),
    })),
  }
}
