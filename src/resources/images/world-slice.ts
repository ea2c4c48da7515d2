// The avatars' part of a world document: each user's uploaded picture, as base64 text.
import { z } from 'zod'
import type { AvatarRow } from '../../db/rows.ts'
import { fileName, uuid } from '../../world/fields.ts'
import { tableSlice } from '../../world/slice.ts'

/** 5120 KB, the avatar upload limit, as base64 text. */
const MAX_AVATAR_BASE64 = Math.ceil((5120 * 1024) / 3) * 4

const AVATAR_CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/bmp',
  'image/svg+xml',
  'image/webp',
] as const

const avatarSchema = z.strictObject({
  user_id: uuid,
  /** Must equal the user's `avatar`. */
  file: fileName,
  content_type: z.enum(AVATAR_CONTENT_TYPES),
  data_base64: z
    .base64({ message: 'The :attribute must be base64 text.' })
    .min(1)
    .max(MAX_AVATAR_BASE64, { message: 'The :attribute may not be greater than 5120 kilobytes.' }),
})

function contentType(value: string): (typeof AVATAR_CONTENT_TYPES)[number] {
  const known = AVATAR_CONTENT_TYPES.find((type) => type === value)
  if (known === undefined) {
    throw new TypeError(`The stored avatar has an unknown content type "${value}".`)
  }
  return known
}

export const avatarsSlice = tableSlice('avatars', avatarSchema, {
  order: 'user_id',
  toRow: (avatar, at): AvatarRow => ({
    user_id: avatar.user_id,
    file: avatar.file,
    content_type: avatar.content_type,
    data: Buffer.from(avatar.data_base64, 'base64'),
    created_at: at.now,
  }),
  check(avatars, check, known) {
    const seen = new Set<string>()
    avatars.forEach((avatar, i) => {
      const path = `avatars.${i}`
      const user = known.users.get(avatar.user_id)
      if (
        !check.exists(known.users, avatar.user_id, `${path}.user_id`, 'user') ||
        user === undefined
      ) {
        return
      }
      check.unique(seen, avatar.user_id, `${path}.user_id`)
      check.that(
        user.avatar === avatar.file,
        `${path}.file`,
        "The :attribute does not match the user's avatar."
      )
    })
  },
  // The upload time (created_at) keys the rendered variants, never part of a document.
  toEntry: (avatar: AvatarRow) => ({
    user_id: avatar.user_id,
    file: avatar.file,
    content_type: contentType(avatar.content_type),
    data_base64: avatar.data.toString('base64'),
  }),
})
