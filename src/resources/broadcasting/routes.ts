// POST /messenger/broadcasting/auth: Laravel's Broadcast::routes() under the messenger channels
// group. Decides who may join each channel (the backend's ProviderChannel, ThreadChannel and
// CallChannel) and signs the subscription as the Pusher driver does.
import { createRoute, z } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../http/env.ts'
import { forbidden } from '../../http/errors.ts'
import { createRouter, statuses } from '../../http/routing.ts'
import { requiredField } from '../../http/rules.ts'
import type { Rule } from '../../http/rules.ts'
import { channelAuth, SOCKET_ID } from '../../realtime/signature.ts'
import type { AppCredentials } from '../../realtime/signature.ts'
import type { UserRow } from '../../db/rows.ts'
import { idKey, signedIn } from '../../http/binding.ts'
import { viewThread } from '../threads/policy.ts'
import { presentProvider } from '../users/present.ts'

const DENY = {
  thread: 'Not authorized join that thread.',
  call: 'Not authorized join that call.',
} as const

const USER = /^private-user\.(.+)$/
const THREAD = /^presence-thread\.(.+)$/
const CALL = /^presence-call\.([^.]+)\.thread\.(.+)$/

const socketIdFormat: Rule = {
  passes: (value) => typeof value === 'string' && SOCKET_ID.test(value),
  message: (attribute) => `The ${attribute} format is invalid.`,
}

const authBody = z
  .object({
    socket_id: requiredField('socket_id', [socketIdFormat], String, {
      type: 'string',
      pattern: SOCKET_ID.source,
    }),
    channel_name: z.unknown().optional().openapi({ type: 'string' }),
  })
  .openapi({ required: ['socket_id', 'channel_name'] })

/**
 * Form and JSON bodies reach the validator as JSON (normalizeBody); a request without a body gets
 * an empty one, so its missing socket_id is a 422 like any other.
 */
const bodyOrEmpty: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!/^application\/json\b/i.test(c.req.header('Content-Type') ?? '')) {
    const headers = new Headers(c.req.raw.headers)
    headers.set('Content-Type', 'application/json')
    headers.delete('Content-Length')
    c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers, body: '{}' })
  }
  await next()
}

type Verdict = { member: boolean } | { deny: string }

/** Whether `user` may join `channel`, and whether it is a presence channel (which names the member). */
function decide(c: Context<AppEnv>, user: UserRow, channel: string): Verdict {
  const { threads, calls } = c.get('stores')
  const user_ = USER.exec(channel)
  if (user_) {
    return user_[1] === user.id ? { member: false } : { deny: '' }
  }
  const thread_ = THREAD.exec(channel) ?? CALL.exec(channel)
  if (!thread_) {
    return { deny: '' }
  }
  const isCall = thread_.length === 3
  const threadId = (isCall ? thread_[2] : thread_[1]) ?? ''
  const thread = threads.byId(idKey(threadId))
  // A model the channel names that does not exist fails Laravel's channel binding: an empty 403.
  if (!thread) {
    return { deny: '' }
  }
  const view = viewThread(threads, thread, user.id)
  const member = view.me !== undefined && !(thread.type === 1 && view.me.pending === 1)
  if (!isCall) {
    return member ? { member: true } : { deny: DENY.thread }
  }
  const call = calls.byId(idKey(thread_[1] ?? ''))
  if (!call) {
    return { deny: '' }
  }
  const mine = calls.participantOf(call.id, user.id)
  const allowed =
    view.me !== undefined &&
    call.thread_id === thread.id &&
    call.call_ended === null &&
    mine?.kicked === 0
  return allowed ? { member: true } : { deny: DENY.call }
}

export function broadcastingRoutes(options: { app: AppCredentials }) {
  const app = createRouter()
  const body = { schema: authBody }
  app.openapi(
    createRoute({
      method: 'post',
      path: '/messenger/broadcasting/auth',
      operationId: 'authorizeChannel',
      middleware: [bodyOrEmpty] as const,
      request: {
        body: {
          // zod-openapi validates every declared media type of a required body; the fields are
          // required, and a request without them is a 422 either way.
          required: false,
          content: { 'application/x-www-form-urlencoded': body, 'application/json': body },
        },
      },
      responses: statuses(200, 401, 403, 405, 422),
    }),
    (c) => {
      const user = signedIn(c).viewer
      const { socket_id: socketId, channel_name: channel } = c.req.valid('json')
      if (typeof channel !== 'string' || channel === '') {
        return forbidden(c, '')
      }
      const verdict = decide(c, user, channel)
      if ('deny' in verdict) {
        return forbidden(c, verdict.deny)
      }
      if (!verdict.member) {
        return c.json({ auth: channelAuth(options.app, socketId, channel) }, 200)
      }
      const { name, route, provider_id, provider_alias, api_avatar, avatar } = presentProvider(user)
      const channelData = JSON.stringify({
        user_id: user.id,
        user_info: { name, route, provider_id, provider_alias, api_avatar, avatar },
      })
      return c.json(
        {
          auth: channelAuth(options.app, socketId, channel, channelData),
          channel_data: channelData,
        },
        200
      )
    }
  )
  return app
}
