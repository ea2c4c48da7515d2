// Stored avatar images (one per user) and the users.avatar column that names them.
import type { Db } from '../../db/open.ts'
import { createRowCache } from '../../world/row-cache.ts'
import type { RowCache } from '../../world/row-cache.ts'

/** An avatar's row without its bytes: enough to decide what to serve and to key a cache. */
export interface AvatarInfo {
  user_id: string
  file: string
  content_type: string
  size: number
  created_at: string
}

export interface NewAvatar {
  file: string
  content_type: string
  data: Uint8Array
}

export function createAvatarStore(db: Db, rows: RowCache = createRowCache(db)) {
  const info = db.prepare<[string], AvatarInfo>(
    `SELECT user_id, file, content_type, length(data) AS size, created_at
     FROM avatars WHERE user_id = ?`
  )
  const data = db.prepare<[string, string], { data: Buffer }>(
    'SELECT data FROM avatars WHERE user_id = ? AND file = ?'
  )
  const remove = db.prepare<[string]>('DELETE FROM avatars WHERE user_id = ?')
  const insert = db.prepare<[string, string, string, Uint8Array, string]>(
    'INSERT INTO avatars (user_id, file, content_type, data, created_at) VALUES (?, ?, ?, ?, ?)'
  )
  // Names the file on the user (NULL: none); a user already showing that name is left untouched.
  // The user's row changes: the kept rows go (row-cache.ts).
  const name = rows.writes(
    db.prepare<[string | null, string, string, string | null]>(
      'UPDATE users SET avatar = ?, updated_at = ? WHERE id = ? AND avatar IS NOT ?'
    )
  )

  return {
    info: (userId: string) => info.get(userId),
    /** The bytes of the user's avatar, if it is still the file `file`. */
    data: (userId: string, file: string) => data.get(userId, file)?.data,
    /** Stores the new file and names it on the user; the previous file is gone. */
    replace: db.transaction((userId: string, avatar: NewAvatar, now: string) => {
      remove.run(userId)
      insert.run(userId, avatar.file, avatar.content_type, avatar.data, now)
      name.run(avatar.file, now, userId, avatar.file)
    }),
    /** Deletes the user's avatar; a user without one is left untouched. */
    remove: db.transaction((userId: string, now: string) => {
      remove.run(userId)
      name.run(null, now, userId, null)
    }),
  }
}

export type AvatarStore = ReturnType<typeof createAvatarStore>
