// The account ("messenger") endpoints: settings, avatar, online-status heartbeat, unread count and
// provider search.
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { signedIn } from '../../http/binding.ts'
import type { AppEnv } from '../../http/env.ts'
import { forbidden, tooManyAttempts } from '../../http/errors.ts'
import { createRouter, jsonBody, pathText, statuses } from '../../http/routing.ts'
import { asBoolean, asInteger, boolean, integer, oneOf, requiredField } from '../../http/rules.ts'
import { uniqidFileName } from '../../world/ids.ts'
import { formatTimestamp, parseTimestamp } from '../../world/time.ts'
import { presentProviderWithOptions } from '../users/present.ts'
import type { ViewContext } from '../users/present.ts'
import { onlineStatus } from '../users/store.ts'
import type { MessengerRow, UserRow } from '../../db/rows.ts'
import type { SettingsValues } from '../users/store.ts'
import { avatarImage, tolerateBadMultipart } from './avatar-upload.ts'
import { asOnlineStatus, presentSettings, presentStatus } from './present.ts'
import { currentPage, parseSearchQuery, presentSearchPage } from './search.ts'

/** The request's binding: stores, switches, time and the logged-in user. */
function account(c: Context<AppEnv>) {
  const { world, stores, config, now, viewer } = signedIn(c)
  return { world, ...stores, config, user: viewer, now }
}

type Account = ReturnType<typeof account>

/** The user as stored now (the request's copy predates this request's writes). */
const reread = (x: Account): UserRow => x.users.byId(x.user.id) ?? x.user

/**
 * An avatar upload or removal: `change` runs in one transaction with the settings row (made when
 * missing), and the answer is the settings with the user as stored afterwards.
 */
function avatarChanged(c: Context<AppEnv>, x: Account, change: () => void) {
  const settings = x.messenger.transaction(() => {
    const row = x.users.settingsOrCreate(x.user.id, x.now)
    change()
    return row
  })
  return c.json(presentSettings(reread(x), settings), 200)
}

/** When an online or away status written now runs out. */
function statusUntil(x: Account): string {
  return formatTimestamp(parseTimestamp(x.now) + x.config.online_cache_lifetime * 60_000)
}

const flag = (field: string) => requiredField(field, [boolean], asBoolean, { type: 'boolean' })

// Fields in the order of MessengerSettingsRequest's rules, which is the order of `errors`.
const settingsBody = z
  .object({
    call_ringtone_sound: flag('call_ringtone_sound'),
    message_popups: flag('message_popups'),
    message_sound: flag('message_sound'),
    notify_sound: flag('notify_sound'),
    dark_mode: flag('dark_mode'),
    online_status: requiredField('online_status', [integer, oneOf([0, 1, 2])], asInteger, {
      type: 'integer',
      enum: [0, 1, 2],
    }),
  })
  .openapi({
    required: [
      'call_ringtone_sound',
      'message_popups',
      'message_sound',
      'notify_sound',
      'dark_mode',
      'online_status',
    ],
  })

const heartbeatBody = z.object({ away: flag('away') }).openapi({ required: ['away'] })

const avatarBody = z.object({ image: avatarImage }).openapi({ required: ['image'] })

const searchParams = z.object({
  query: pathText('query', 'The search text (terms separated by spaces or commas).'),
})

const searchQuery = z.object({
  // Read leniently by the handler (an invalid page is page 1), so never a 422.
  page: z
    .unknown()
    .optional()
    .openapi({
      param: { name: 'page', in: 'query' },
      type: 'integer',
      minimum: 1,
      description: 'The page number (1 when absent or invalid).',
    }),
})

/** Eloquent's update(): a row whose values do not change is not saved (updated_at stays). */
function changes(row: MessengerRow, values: SettingsValues): boolean {
  return (
    row.message_popups !== Number(values.message_popups) ||
    row.message_sound !== Number(values.message_sound) ||
    row.call_ringtone_sound !== Number(values.call_ringtone_sound) ||
    row.notify_sound !== Number(values.notify_sound) ||
    row.dark_mode !== Number(values.dark_mode) ||
    row.online_status !== values.online_status
  )
}

/** The online-status cache a saved setting implies at once: 0 none, 1 online, 2 away. */
function applyStatusSetting(x: Account, setting: number): void {
  if (setting === 0) {
    x.users.setOnline(x.user.id, null, null)
  } else {
    x.users.setOnline(x.user.id, setting === 2 ? 'away' : 'online', statusUntil(x))
  }
}

export function messengerRoutes(options: { publicUrl: string | undefined }) {
  const search = (c: Context<AppEnv>, query: string | undefined) => {
    const x = account(c)
    const limit = x.config.search_rate_limit
    const attempt = x.searchLimits.hit(x.user.id, x.world.clock.nowMs(), limit)
    if (!attempt.allowed) {
      return tooManyAttempts(c, attempt.retryAfter, limit)
    }
    if (limit > 0) {
      c.header('X-RateLimit-Limit', String(limit))
      c.header('X-RateLimit-Remaining', String(attempt.remaining))
    }

    const url = new URL(c.req.url)
    const base = (options.publicUrl ?? url.origin).replace(/\/+$/, '')
    const page = currentPage(c.req.queries('page')?.at(-1))
    const perPage = x.config.search_page_count
    const parsed = parseSearchQuery(query)
    if (parsed === null) {
      // The backend's empty paginator had no request path: its path is '/', its links '/?page=N'
      // (made absolute here, as the contract wants URLs).
      return c.json(
        presentSearchPage({
          items: [],
          total: 0,
          perPage,
          currentPage: page,
          path: '/',
          linkPath: `${base}/`,
          search: '',
          searchItems: [],
        }),
        200
      )
    }
    const { total, ids } = x.messenger.search(
      parsed.items,
      parsed.search,
      perPage,
      (page - 1) * perPage
    )
    // The page's users as they are now (the search index keeps only names and emails).
    const users = ids.flatMap((id) => x.users.byId(id) ?? [])
    const view: ViewContext = { viewer: x.user, users: x.users, now: x.now, config: x.config }
    // Laravel's request URL keeps the path as the client encoded it, without a trailing slash.
    const path = `${base}${url.pathname.replace(/\/+$/, '')}`
    return c.json(
      presentSearchPage({
        items: users.map((user) => presentProviderWithOptions(user, view)),
        total,
        perPage,
        currentPage: page,
        path,
        linkPath: path,
        search: parsed.search,
        searchItems: parsed.items,
      }),
      200
    )
  }

  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/messenger/settings',
        operationId: 'getSettings',
        responses: statuses(200, 401, 405),
      }),
      (c) => {
        const x = account(c)
        return c.json(presentSettings(x.user, x.users.settingsOrCreate(x.user.id, x.now)), 200)
      }
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/api/messenger/settings',
        operationId: 'updateSettings',
        request: {
          body: jsonBody(settingsBody),
        },
        responses: statuses(200, 401, 405, 422),
      }),
      (c) => {
        const x = account(c)
        const body = c.req.valid('json')
        const values: SettingsValues = {
          ...body,
          online_status: asOnlineStatus(body.online_status),
        }
        const settings = x.messenger.transaction(() => {
          const row = x.users.settingsOrCreate(x.user.id, x.now)
          if (changes(row, values)) {
            x.users.updateSettings(x.user.id, values, x.now)
          }
          // Decided with the backend's fix of 2020-12-12: the status follows the setting at once.
          if (x.config.online_status) {
            applyStatusSetting(x, values.online_status)
          }
          return x.users.settingsOrCreate(x.user.id, x.now)
        })
        return c.json(presentSettings(reread(x), settings), 200)
      }
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/messenger/avatar',
        operationId: 'updateAvatar',
        middleware: [tolerateBadMultipart],
        request: {
          body: { required: true, content: { 'multipart/form-data': { schema: avatarBody } } },
        },
        responses: statuses(200, 401, 403, 405, 422),
      }),
      (c) => {
        const x = account(c)
        const { image } = c.req.valid('form')
        if (!x.config.provider_avatar_upload) {
          return forbidden(c, 'Avatar uploads are currently disabled.')
        }
        const file = uniqidFileName(image.image.ext, x.world.clock.nowMs())
        return avatarChanged(c, x, () => {
          x.avatars.replace(
            x.user.id,
            { file, content_type: image.image.mime, data: image.bytes },
            x.now
          )
        })
      }
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/api/messenger/avatar',
        operationId: 'destroyAvatar',
        responses: statuses(200, 401, 403, 405),
      }),
      (c) => {
        const x = account(c)
        if (!x.config.provider_avatar_removal) {
          return forbidden(c, 'Avatar removal is currently disabled.')
        }
        return avatarChanged(c, x, () => {
          x.avatars.remove(x.user.id, x.now)
        })
      }
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/messenger/heartbeat',
        operationId: 'statusHeartbeat',
        request: {
          body: jsonBody(heartbeatBody),
        },
        responses: statuses(200, 401, 405, 422),
      }),
      (c) => {
        const x = account(c)
        const { away } = c.req.valid('json')
        const settings = x.messenger.transaction(() => {
          const row = x.users.settingsOrCreate(x.user.id, x.now)
          // The saved setting wins: 0 (appear offline) writes nothing, 2 is always away.
          if (x.config.online_status && row.online_status !== 0) {
            const kind = row.online_status === 2 || away ? 'away' : 'online'
            x.users.setOnline(x.user.id, kind, statusUntil(x))
            x.users.touch(x.user.id, x.now)
          }
          return row
        })
        const user = reread(x)
        return c.json(
          presentStatus(user, settings, {
            active_calls_count: x.messenger.activeCallsCount(user.id),
            online_status: onlineStatus(user, x.now, x.config.online_status),
            unread_threads_count: x.threads.unreadCount(user.id),
            pending_friends_count: x.users.pendingFriendsCount(user.id),
          }),
          200
        )
      }
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/messenger/unread-threads-count',
        operationId: 'unreadThreadsCount',
        responses: statuses(200, 401, 405),
      }),
      (c) => {
        const x = account(c)
        return c.json({ unread_threads_count: x.threads.unreadCount(x.user.id) }, 200)
      }
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/messenger/search/{query}',
        operationId: 'searchProviders',
        request: { params: searchParams, query: searchQuery },
        responses: statuses(200, 401, 405, 429),
      }),
      (c) => search(c, c.req.valid('param').query)
    )
    .openapi(
      // Laravel's `search/{query?}` also answers without a query (the empty page); the contract
      // leaves that form out, so the emitted document does too.
      createRoute({
        method: 'get',
        path: '/api/messenger/search',
        operationId: 'searchProvidersWithoutQuery',
        hide: true,
        request: { query: searchQuery },
        responses: statuses(200, 401, 405, 429),
      }),
      (c) => search(c, undefined)
    )
}
