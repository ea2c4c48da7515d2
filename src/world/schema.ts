// The world document: a JSON snapshot of one world (clock, config, and the entries of every world
// slice, each declared by the resource that owns it: see src/resources/world-slices.ts).
import { z } from 'zod'
import { WORLD_SLICES } from '../resources/world-slices.ts'
import { timestampText } from './fields.ts'
import { MAX_ID_TIME_MS } from './ids.ts'
import { normalizeTimestamp, parseTimestamp } from './time.ts'

// Messages are Laravel validation texts; the loader puts the dotted path in for :attribute.

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

type Slice = (typeof WORLD_SLICES)[number]

/** Each slice's key with its schema. */
const sliceShape = Object.fromEntries(WORLD_SLICES.map((slice) => [slice.key, slice.schema])) as {
  [S in Slice as S['key']]: S['schema']
}

export const worldDocumentSchema = z.strictObject({
  clock: clockSchema.prefault({}),
  config: worldConfigSchema.prefault({}),
  ...sliceShape,
})

/** A parsed world document: defaults applied, ids in lowercase, timestamps in the API's format. */
export type WorldDocument = z.infer<typeof worldDocumentSchema>
/** A world document as written: most fields may be left out. */
export type WorldDocumentInput = z.input<typeof worldDocumentSchema>
export type WorldConfig = z.infer<typeof worldConfigSchema>
