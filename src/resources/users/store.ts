// Users, their settings, friendships and online status: the provider side of every response.
import type { Db } from '../../db/open.ts'
import { createRowCache } from '../../world/row-cache.ts'
import type { RowCache } from '../../world/row-cache.ts'
import type { MessengerRow, UserRow } from '../../db/rows.ts'

export interface SettingsValues {
  message_popups: boolean
  message_sound: boolean
  call_ringtone_sound: boolean
  notify_sound: boolean
  dark_mode: boolean
  online_status: number
}

export type FriendRelation =
  | { status: 0 }
  | { status: 1; friend_id: string }
  | { status: 2; sent_friend_id: string }
  | { status: 3; pending_friend_id: string }

export function createUserStore(db: Db, rows: RowCache = createRowCache(db)) {
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?')
  const byToken = db.prepare<[string], UserRow>('SELECT * FROM users WHERE token = ?')
  const touch = rows.writes(
    db.prepare<[string, string]>('UPDATE users SET updated_at = ? WHERE id = ?')
  )
  const setOnline = rows.writes(
    db.prepare<[string | null, string | null, string]>(
      'UPDATE users SET online_kind = ?, online_until = ? WHERE id = ?'
    )
  )
  const setAvatarName = rows.writes(
    db.prepare<[string | null, string, string]>(
      'UPDATE users SET avatar = ?, updated_at = ? WHERE id = ?'
    )
  )
  const settings = db.prepare<[string], MessengerRow>('SELECT * FROM messengers WHERE owner_id = ?')
  // A messengers row makes its user searchable: the search index goes with it (row-cache.ts).
  const createSettings = rows.writes(
    db.prepare<[string, string, string]>(
      'INSERT INTO messengers (owner_id, created_at, updated_at) VALUES (?, ?, ?)'
    )
  )
  const updateSettings = rows.writes(
    db.prepare<[number, number, number, number, number, number, string, string]>(
      `UPDATE messengers SET message_popups = ?, message_sound = ?, call_ringtone_sound = ?,
       notify_sound = ?, dark_mode = ?, online_status = ?, updated_at = ? WHERE owner_id = ?`
    )
  )
  const friend = db.prepare<[string, string], { id: string }>(
    'SELECT id FROM friends WHERE owner_id = ? AND party_id = ?'
  )
  const request = db.prepare<[string, string], { id: string }>(
    'SELECT id FROM friend_requests WHERE sender_id = ? AND recipient_id = ?'
  )
  const pendingCount = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM friend_requests WHERE recipient_id = ?'
  )

  const relationOf = rows.lookup2(['friends', 'friend_requests'], readRelation)

  return {
    byId: rows.lookup(['users'], (id) => byId.get(id)),
    byToken: rows.lookup(['users'], (token) => byToken.get(token)),
    /** Laravel's touch(): the `updated_at` that friends see as `last_active`. */
    touch: (id: string, now: string) => touch.run(now, id),
    setOnline: (id: string, kind: 'online' | 'away' | null, until: string | null) =>
      setOnline.run(kind, until, id),
    setAvatarName: (id: string, file: string | null, now: string) =>
      setAvatarName.run(file, now, id),
    settings: (id: string) => settings.get(id),
    /** firstOrCreate of the user's messengers row, with the defaults (all on, online). */
    settingsOrCreate(id: string, now: string): MessengerRow {
      const existing = settings.get(id)
      if (existing) {
        return existing
      }
      createSettings.run(id, now, now)
      const created = settings.get(id)
      if (!created) {
        throw new Error(`settings of ${id} were not stored`)
      }
      return created
    },
    updateSettings(id: string, values: SettingsValues, now: string): void {
      updateSettings.run(
        Number(values.message_popups),
        Number(values.message_sound),
        Number(values.call_ringtone_sound),
        Number(values.notify_sound),
        Number(values.dark_mode),
        values.online_status,
        now,
        id
      )
    },
    /** How `viewer` relates to `other`: friend, request sent, request received, or nothing. */
    relation(viewer: string, other: string): FriendRelation {
      if (viewer === other) {
        return { status: 0 }
      }
      return relationOf(viewer, other)
    },
    pendingFriendsCount: rows.lookup(['friend_requests'], (id) => pendingCount.get(id)?.n ?? 0),
  }

  function readRelation(viewer: string, other: string): FriendRelation {
    const asFriend = friend.get(viewer, other)
    if (asFriend) {
      return { status: 1, friend_id: asFriend.id }
    }
    const sent = request.get(viewer, other)
    if (sent) {
      return { status: 2, sent_friend_id: sent.id }
    }
    const received = request.get(other, viewer)
    return received ? { status: 3, pending_friend_id: received.id } : { status: 0 }
  }
}

export type UserStore = ReturnType<typeof createUserStore>

/** The online status a user shows at `now`: 1 online, 2 away, 0 when the cache entry expired. */
export function onlineStatus(user: UserRow, now: string, enabled: boolean): 0 | 1 | 2 {
  if (!enabled || user.online_kind === null || user.online_until === null) {
    return 0
  }
  if (user.online_until <= now) {
    return 0
  }
  return user.online_kind === 'online' ? 1 : 2
}
