// The users' part of a world document: users (with their messenger settings, the messengers
// table), friends and friend requests.
import { z } from 'zod'
import type { FriendRequestRow, FriendRow, MessengerRow, UserRow } from '../../db/rows.ts'
import { fileName, nullableTimestamp, stampFields, switches, uuid } from '../../world/fields.ts'
import { pairOf, type Checker } from '../../world/references.ts'
import type { Known } from '../../world/slice.ts'
import {
  defineSlice,
  derivedId,
  insertRows,
  readRows,
  stamps,
  tableSlice,
  toBits,
  toBools,
  withStamps,
} from '../../world/slice.ts'
import { formatTimestamp } from '../../world/time.ts'

// RFC 6750 b64token, the characters a Bearer token may have.
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/

const onlineStatus = z.literal([0, 1, 2])

const settingsSwitches = switches({
  message_popups: true,
  message_sound: true,
  call_ringtone_sound: true,
  notify_sound: true,
  dark_mode: true,
})

type OnlineStatus = z.infer<typeof onlineStatus>

const settingsSchema = z.strictObject({
  ...settingsSwitches.fields,
  online_status: onlineStatus.default(1),
  ...stampFields,
})

const userSchema = z.strictObject({
  id: uuid,
  name: z.string().min(1).max(255),
  email: z.email({ message: 'The :attribute must be a valid email address.' }).max(255),
  email_verified_at: nullableTimestamp,
  /** The stored avatar's file name; null shows default.png. */
  avatar: fileName.nullable().default(null),
  /** The Bearer token that authenticates as this user. */
  token: z
    .string()
    .min(1)
    .max(255)
    .regex(BEARER_TOKEN, { message: 'The :attribute may only contain Bearer token characters.' }),
  ...stampFields,
  /** The messengers row; null = the user never opened the messenger (and search skips them). */
  settings: settingsSchema.nullable().default(null),
  /** The cached online status at the clock's now: 0 offline, 1 online, 2 away. */
  online_status: onlineStatus.default(0),
})

type Settings = z.output<typeof settingsSchema>

type UserIdentity = Pick<
  UserRow,
  'id' | 'name' | 'email' | 'email_verified_at' | 'avatar' | 'token'
>

/** The user columns a world document carries as they are (load and export both copy them). */
const userIdentity = (user: UserIdentity): UserIdentity => ({
  id: user.id,
  name: user.name,
  email: user.email,
  email_verified_at: user.email_verified_at,
  avatar: user.avatar,
  token: user.token,
})

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

function onlineStatusAt(user: UserWithSettings, now: string): OnlineStatus {
  if (user.online_kind === null || user.online_until === null || user.online_until <= now) {
    return 0
  }
  return user.online_kind === 'online' ? 1 : 2
}

function settingsOf(user: UserWithSettings): Settings | null {
  // The columns of the left join are all null together, when the user has no messengers row.
  const { message_popups, message_sound, call_ringtone_sound, notify_sound, dark_mode } = user
  const flags = { message_popups, message_sound, call_ringtone_sound, notify_sound, dark_mode }
  const online = user.settings_online_status
  const created = user.settings_created_at
  const updated = user.settings_updated_at
  if (!hasNoNull(flags) || online === null || created === null || updated === null) {
    return null
  }
  return {
    ...toBools(flags, settingsSwitches.names),
    online_status: online,
    created_at: created,
    updated_at: updated,
  }
}

const hasNoNull = <T extends object>(value: Nullable<T>): value is T =>
  Object.values(value).every((field) => field !== null)

export const usersSlice = defineSlice({
  key: 'users',
  schema: z.array(userSchema),
  tables: ['users', 'messengers'],
  toRows(entries, at) {
    const onlineUntil = formatTimestamp(at.nowMs + at.config.online_cache_lifetime * 60_000)
    const messengers: MessengerRow[] = []
    const users = entries.map((user): UserRow => {
      if (user.settings !== null) {
        const settings = user.settings
        messengers.push({
          owner_id: user.id,
          ...toBits(settings, settingsSwitches.names),
          online_status: settings.online_status,
          ...stamps(settings, at.now),
        })
      }
      const online = user.online_status
      return {
        ...userIdentity(user),
        ...stamps(user, at.now),
        online_kind: online === 0 ? null : online === 1 ? 'online' : 'away',
        online_until: online === 0 ? null : onlineUntil,
      }
    })
    return { users, messengers }
  },
  check({ users }, check, known) {
    const tokens = new Set<string>()
    const emails = new Set<string>()
    users.forEach((user, i) => {
      check.unique(tokens, user.token, `users.${i}.token`)
      // The column compares e-mails without regard to case.
      check.unique(emails, user.email.toLowerCase(), `users.${i}.email`)
    })
    known.users = check.byId(users, 'users')
  },
  prepareWrite(db) {
    const users = insertRows(db, 'users')
    const messengers = insertRows(db, 'messengers')
    return {
      write(rows) {
        users.write(rows.users)
        messengers.write(rows.messengers)
      },
    }
  },
  prepareExport(db) {
    const statement = db.prepare<[], UserWithSettings>(
      `SELECT u.id, u.name, u.email, u.email_verified_at, u.avatar, u.token, u.created_at,
              u.updated_at, u.online_kind, u.online_until, m.message_popups, m.message_sound,
              m.call_ringtone_sound, m.notify_sound, m.dark_mode,
              m.online_status AS settings_online_status, m.created_at AS settings_created_at,
              m.updated_at AS settings_updated_at
         FROM users u LEFT JOIN messengers m ON m.owner_id = u.id
        ORDER BY u.created_at, u.id`
    )
    return (at) =>
      statement.all().map((user) => ({
        ...userIdentity(user),
        created_at: user.created_at,
        updated_at: user.updated_at,
        settings: settingsOf(user),
        online_status: onlineStatusAt(user, at.now),
      }))
  },
})

/**
 * Whether both users of an entry exist and differ; each failure is reported at its field (a
 * repeat at the second one's).
 */
function twoUsers(
  check: Checker,
  known: Known,
  path: string,
  [first, firstField]: readonly [string, string],
  [second, secondField]: readonly [string, string]
): boolean {
  const found = check.refs(
    path,
    [known.users, first, firstField, 'user'],
    [known.users, second, secondField, 'user']
  )
  const different = check.that(
    first !== second,
    `${path}.${secondField}`,
    `The :attribute and ${path}.${firstField} must be different.`
  )
  return found && different
}

const friendSchema = z.strictObject({
  /** The id of the user's row (user → friend). */
  id: uuid,
  user_id: uuid,
  friend_id: uuid,
  /** The id of the friend's row (friend → user); omitted: derived from `id`. */
  inverse_id: uuid.optional(),
  ...stampFields,
})

type FriendEntry = z.output<typeof friendSchema>

/** Pairs the two rows of each friendship; the earlier row (creation order) is the entry's own. */
function friendsOf(rows: readonly FriendRow[]): FriendEntry[] {
  const byDirection = new Map(rows.map((row) => [`${row.owner_id} ${row.party_id}`, row]))
  const used = new Set<string>()
  const friends: FriendEntry[] = []
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

/** Friends: each friendship is one entry and two rows, one per direction, as Laravel stores it. */
export const friendsSlice = defineSlice({
  key: 'friends',
  schema: z.array(friendSchema).default([]),
  tables: ['friends'],
  /** Each friendship as [the user's row, the friend's row]. */
  toRows: (entries, at): [FriendRow, FriendRow][] =>
    entries.map((friend) => {
      const times = stamps(friend, at.now)
      const inverseId = friend.inverse_id ?? derivedId(times.created_at, `friend:${friend.id}`)
      return [
        { id: friend.id, owner_id: friend.user_id, party_id: friend.friend_id, ...times },
        { id: inverseId, owner_id: friend.friend_id, party_id: friend.user_id, ...times },
      ]
    }),
  check(pairs, check, known) {
    const ids = new Set<string>()
    pairs.forEach(([row, inverse], i) => {
      const path = `friends.${i}`
      check.unique(ids, row.id, `${path}.id`)
      check.unique(ids, inverse.id, `${path}.inverse_id`)
      if (twoUsers(check, known, path, [row.owner_id, 'user_id'], [row.party_id, 'friend_id'])) {
        const pair = pairOf(row.owner_id, row.party_id)
        check.that(
          !known.friendships.has(pair),
          `${path}.friend_id`,
          'The :attribute is already a friend of that user.'
        )
        known.friendships.add(pair)
      }
    })
  },
  prepareWrite(db) {
    const friends = insertRows(db, 'friends')
    return {
      write(pairs) {
        friends.write(pairs.flat())
      },
    }
  },
  prepareExport(db) {
    const read = readRows<FriendRow>(db, 'friends')
    return () => friendsOf(read())
  },
})

const friendRequestSchema = z.strictObject({
  id: uuid,
  sender_id: uuid,
  recipient_id: uuid,
  ...stampFields,
})

export const friendRequestsSlice = tableSlice('friend_requests', friendRequestSchema, {
  check(rows: FriendRequestRow[], check, known) {
    check.byId(rows, 'friend_requests')
    const requests = new Set<string>()
    rows.forEach((request, i) => {
      const path = `friend_requests.${i}`
      const users = [request.sender_id, 'sender_id'] as const
      if (!twoUsers(check, known, path, users, [request.recipient_id, 'recipient_id'])) {
        return
      }
      const pair = pairOf(request.sender_id, request.recipient_id)
      check.that(
        !known.friendships.has(pair),
        `${path}.recipient_id`,
        'The :attribute is already a friend of that sender.'
      )
      check.that(
        !requests.has(pair),
        `${path}.recipient_id`,
        'The :attribute already has a friend request with that sender.'
      )
      requests.add(pair)
    })
  },
  toRow: (request, at): FriendRequestRow => withStamps(request, at),
  toEntry: (request: FriendRequestRow) => ({ ...request }),
})
