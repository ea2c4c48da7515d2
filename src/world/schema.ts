// The world document: a JSON snapshot of one world (users, threads, calls, invites, clock, config).
import { z } from 'zod'
import { MAX_ID_TIME_MS } from './ids.ts'
import { isTimestamp, normalizeTimestamp, parseTimestamp } from './time.ts'

// Messages are Laravel validation texts; the loader puts the dotted path in for :attribute.

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
// A bare file name: no directories, no leading dot.
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
// RFC 6750 b64token, the characters a Bearer token may have.
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/
/** 5120 KB, the avatar upload limit, as base64 text. */
const MAX_AVATAR_BASE64 = Math.ceil((5120 * 1024) / 3) * 4

const timestampText = z
  .string()
  .refine(isTimestamp, { message: 'The :attribute is not a valid date-time.', abort: true })

/** Any ISO 8601 date-time, stored in the API's format. */
const timestamp = timestampText.transform(normalizeTimestamp)

const optionalTimestamp = timestamp.optional()
const nullableTimestamp = timestamp.nullable().default(null)

/** Ids are compared as text, so they are stored in lowercase like Laravel's. */
const uuid = z
  .string()
  .regex(UUID, { message: 'The :attribute must be a valid UUID.' })
  .transform((id) => id.toLowerCase())

const fileName = z
  .string()
  .max(255)
  .regex(FILE_NAME, { message: 'The :attribute must be a file name without a directory.' })

const onlineStatus = z.literal([0, 1, 2])

export const worldConfigSchema = z.strictObject({
  site_name: z.string().default('Messenger'),
  socket_endpoint: z.string().default('http://localhost:6001'),
  broadcast_driver: z.string().default('default'),
  push_notification_driver: z.string().default('default'),
  video_driver: z.string().default('janus'),
  knock_knock: z.boolean().default(true),
  knock_timeout: z.int().min(0).default(5),
  online_status: z.boolean().default(true),
  /** Minutes an online/away heartbeat lasts. */
  online_cache_lifetime: z.int().min(1).default(4),
  calling: z.boolean().default(true),
  thread_invites: z.boolean().default(true),
  /** Valid invites allowed per thread; 0 = no limit. */
  thread_invites_max: z.int().min(0).default(3),
  provider_avatar_upload: z.boolean().default(true),
  provider_avatar_removal: z.boolean().default(true),
  message_document_upload: z.boolean().default(true),
  message_document_download: z.boolean().default(true),
  message_image_upload: z.boolean().default(true),
  thread_avatar_upload: z.boolean().default(true),
  search_page_count: z.int().min(1).default(25),
  threads_index_count: z.int().min(1).default(100),
  threads_page_count: z.int().min(1).default(25),
  participants_index_count: z.int().min(1).default(500),
  participants_page_count: z.int().min(1).default(50),
  messages_index_count: z.int().min(1).default(50),
  messages_page_count: z.int().min(1).default(50),
  calls_index_count: z.int().min(1).default(25),
  calls_page_count: z.int().min(1).default(25),
  /** The mock's own switch: searches a user may make a minute (Laravel's throttle:45,1); 0 = no limit. */
  search_rate_limit: z.int().min(0).default(45),
})

/** The clock is what ids encode, so it stays within their range. */
function isIdTime(ms: number): boolean {
  return ms >= 0 && ms <= MAX_ID_TIME_MS
}

const clockSchema = z.strictObject({
  /** Defaults to the real time at load. */
  now: timestampText
    .refine((text) => isIdTime(parseTimestamp(text)), {
      message: 'The :attribute must be a date-time from 1970 to 2059.',
    })
    .transform(normalizeTimestamp)
    .optional(),
  frozen: z.boolean().default(false),
})

const settingsSchema = z.strictObject({
  message_popups: z.boolean().default(true),
  message_sound: z.boolean().default(true),
  call_ringtone_sound: z.boolean().default(true),
  notify_sound: z.boolean().default(true),
  dark_mode: z.boolean().default(true),
  online_status: onlineStatus.default(1),
  created_at: optionalTimestamp,
  updated_at: optionalTimestamp,
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
  created_at: optionalTimestamp,
  updated_at: optionalTimestamp,
  /** The messengers row; null = the user never opened the messenger (and search skips them). */
  settings: settingsSchema.nullable().default(null),
  /** The cached online status at the clock's now: 0 offline, 1 online, 2 away. */
  online_status: onlineStatus.default(0),
})

const threadSchema = z.strictObject({
  id: uuid,
  /** 1 private, 2 group. */
  type: z.literal([1, 2]),
  subject: z.string().max(255).nullable().default(null),
  image: fileName.nullable().default(null),
  invitations: z.boolean().default(false),
  calling: z.boolean().default(true),
  lockout: z.boolean().default(false),
  add_participants: z.boolean().default(false),
  messaging: z.boolean().default(true),
  knocks: z.boolean().default(true),
  created_at: optionalTimestamp,
  updated_at: optionalTimestamp,
  deleted_at: nullableTimestamp,
})

const participantSchema = z.strictObject({
  /** Omitted: derived from the thread, the user and the entry's position. */
  id: uuid.optional(),
  thread_id: uuid,
  user_id: uuid,
  admin: z.boolean().default(false),
  pending: z.boolean().default(false),
  start_calls: z.boolean().default(false),
  send_knocks: z.boolean().default(false),
  send_messages: z.boolean().default(true),
  add_participants: z.boolean().default(false),
  manage_invites: z.boolean().default(false),
  muted: z.boolean().default(false),
  last_read: nullableTimestamp,
  created_at: optionalTimestamp,
  updated_at: optionalTimestamp,
  deleted_at: nullableTimestamp,
})

const friendSchema = z.strictObject({
  /** The id of the user's row (user → friend). */
  id: uuid,
  user_id: uuid,
  friend_id: uuid,
  /** The id of the friend's row (friend → user); omitted: derived from `id`. */
  inverse_id: uuid.optional(),
  created_at: optionalTimestamp,
  updated_at: optionalTimestamp,
})

const friendRequestSchema = z.strictObject({
  id: uuid,
  sender_id: uuid,
  recipient_id: uuid,
  created_at: optionalTimestamp,
  updated_at: optionalTimestamp,
})

const callSchema = z.strictObject({
  id: uuid,
  thread_id: uuid,
  owner_id: uuid,
  /** 1 video, the only type. */
  type: z.literal(1).default(1),
  setup_complete: z.boolean().default(true),
  /** Omitted on a set-up call: derived from the call id (16 digits, like Janus). */
  room_id: z.int().min(1_000_000_000_000_000).nullable().optional(),
  room_pin: z
    .string()
    .regex(/^[A-Za-z0-9]{6}$/, { message: 'The :attribute must be 6 letters or digits.' })
    .nullable()
    .optional(),
  room_secret: z.string().max(255).nullable().optional(),
  payload: z.string().max(2000).nullable().default(null),
  /** null while the call is active. */
  call_ended: nullableTimestamp,
  created_at: optionalTimestamp,
  updated_at: optionalTimestamp,
})

const callParticipantSchema = z.strictObject({
  id: uuid,
  call_id: uuid,
  user_id: uuid,
  kicked: z.boolean().default(false),
  left_call: nullableTimestamp,
  created_at: optionalTimestamp,
  updated_at: optionalTimestamp,
})

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
  created_at: optionalTimestamp,
  updated_at: optionalTimestamp,
  deleted_at: nullableTimestamp,
})

export const AVATAR_CONTENT_TYPES = [
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

export const worldDocumentSchema = z.strictObject({
  clock: clockSchema.prefault({}),
  config: worldConfigSchema.prefault({}),
  users: z.array(userSchema),
  threads: z.array(threadSchema).default([]),
  participants: z.array(participantSchema).default([]),
  friends: z.array(friendSchema).default([]),
  friend_requests: z.array(friendRequestSchema).default([]),
  calls: z.array(callSchema).default([]),
  call_participants: z.array(callParticipantSchema).default([]),
  invites: z.array(inviteSchema).default([]),
  avatars: z.array(avatarSchema).default([]),
})

/** A parsed world document: defaults applied, ids in lowercase, timestamps in the API's format. */
export type WorldDocument = z.infer<typeof worldDocumentSchema>
/** A world document as written: most fields may be left out. */
export type WorldDocumentInput = z.input<typeof worldDocumentSchema>
export type WorldConfig = z.infer<typeof worldConfigSchema>
