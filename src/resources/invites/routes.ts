// Group invites: list, create and delete a thread's invites; view and join by code.
import { createRoute, z } from '@hono/zod-openapi'
import type { RouteConfig } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import { idParam, signedIn } from '../../http/binding.ts'
import type { AppVariables } from '../../http/env.ts'
import { forbidden, modelNotFound } from '../../http/errors.ts'
import { createRouter, jsonBody, pathId, pathText, statuses } from '../../http/routing.ts'
import { asInteger, between, integer, requiredField } from '../../http/rules.ts'
import { inviteCode, orderedUuid } from '../../world/ids.ts'
import { formatTimestamp, parseTimestamp } from '../../world/time.ts'
import { canInviteParticipants, threadName, viewThread } from '../threads/policy.ts'
import type { ThreadView } from '../threads/policy.ts'
import type { ThreadRow } from '../../db/rows.ts'
import type { UserRow } from '../../db/rows.ts'
import type { UserStore } from '../users/store.ts'
import { expiryTime, isValidInvite } from './policy.ts'
import {
  inviteRoute,
  presentCreatedInvite,
  presentInvite,
  presentJoinedParticipant,
  presentJoinView,
} from './present.ts'
import type { InviteJoinOptions } from './present.ts'
import type { InviteRow } from '../../db/rows.ts'

type ThreadEnv = { Variables: AppVariables & { thread: ThreadRow } }
type ThreadInviteEnv = { Variables: AppVariables & { thread: ThreadRow; invite: InviteRow } }
type CodeEnv = { Variables: AppVariables & { invite: InviteRow } }

function ownerOf(users: UserStore, invite: InviteRow): UserRow {
  const owner = users.byId(invite.owner_id)
  if (!owner) {
    // The foreign key keeps every invite's owner.
    throw new Error(`Invite ${invite.id} has no owner ${invite.owner_id}`)
  }
  return owner
}

// Route-model binding runs as route middleware, so a 404 comes before the body's 422.

const bindThread: MiddlewareHandler<ThreadEnv> = async (c, next) => {
  const id = idParam(c, 'thread')
  const thread = c.get('stores').threads.byId(id.key)
  if (!thread) {
    return modelNotFound(c, 'Thread', id.raw)
  }
  c.set('thread', thread)
  await next()
  return undefined
}

/** The invite must be live and belong to the bound thread. */
const bindThreadInvite: MiddlewareHandler<ThreadInviteEnv> = async (c, next) => {
  const id = idParam(c, 'invite')
  const invite = c.get('stores').invites.byId(id.key)
  if (invite?.thread_id !== c.get('thread').id) {
    return modelNotFound(c, 'Invite', id.raw)
  }
  c.set('invite', invite)
  await next()
  return undefined
}

const bindCode: MiddlewareHandler<CodeEnv> = async (c, next) => {
  const code = c.req.param('code') ?? ''
  // MySQL compared codes without regard to case; codes are stored in uppercase.
  const invite = c.get('stores').invites.byCode(code.toUpperCase())
  if (!invite) {
    return modelNotFound(c, 'Invite', code)
  }
  c.set('invite', invite)
  await next()
  return undefined
}

const threadParams = z.object({
  thread: pathId('thread', 'The group thread.'),
})
const threadInviteParams = z.object({
  thread: pathId('thread', 'The group thread.'),
  invite: pathId('invite', "The invite's id; it must belong to the thread."),
})
const codeParams = z.object({
  code: pathText('code', "The invite's code.", { pattern: '^[A-Z0-9]{8}$' }),
})

const invitePayload = z
  .object({
    expires: requiredField('expires', [integer, between(0, 8)], asInteger, {
      type: 'integer',
      minimum: 0,
      maximum: 8,
      description:
        '0 never, 1 30 min, 2 1 h, 3 6 h, 4 12 h, 5 1 day, 6 1 week, 7 2 weeks, 8 1 month.',
    }),
    uses: requiredField('uses', [integer, between(0, 100)], asInteger, {
      type: 'integer',
      minimum: 0,
      maximum: 100,
      description: 'How many times it may be used; 0 = unlimited.',
    }),
  })
  .openapi({ required: ['expires', 'uses'] })

type Status = Parameters<typeof statuses>[number]

/** A route on an invite's code: the invite is found first (a 404 otherwise, even for a guest). */
const codeRoute = (method: 'get' | 'post', operationId: string, ...codes: Status[]) =>
  createRoute({
    method,
    path: '/api/messenger/join/{code}',
    operationId,
    middleware: [bindCode] as const,
    request: { params: codeParams },
    responses: statuses(...codes, 404, 405),
  })

/** Where a thread's invites are listed and made: the thread is found first (404 before 422). */
const threadInvitesRoute = <R extends NonNullable<RouteConfig['request']>>(
  method: 'get' | 'post',
  operationId: string,
  request: R,
  ...codes: Status[]
) =>
  createRoute({
    method,
    path: '/api/messenger/threads/{thread}/invites',
    operationId,
    middleware: [bindThread] as const,
    request,
    responses: statuses(...codes, 401, 403, 404, 405),
  })

const NOT_VIEW = 'Not authorized to view thread invite.'
const NOT_CREATE = 'Not authorized to create thread invite.'
const AT_MAX = 'Not authorized to create thread invite. You have the max allowed active invites.'
const NOT_DESTROY = 'Not authorized to destroy this invite.'
const NOT_JOIN = 'Not authorized to join with this invite.'

export function inviteRoutes(options: { publicUrl: string | undefined }) {
  const routeOf = (c: Context, code: string) =>
    inviteRoute(options.publicUrl ?? new URL(c.req.url).origin, code)

  /** The viewer's view of the bound thread, for InvitePolicy. */
  const policyView = <E extends ThreadEnv>(c: Context<E>): ThreadView => {
    const { stores, viewer } = signedIn(c)
    const { thread }: ThreadEnv['Variables'] = c.var
    return viewThread(stores.threads, thread, viewer.id)
  }

  return createRouter()
    .openapi(threadInvitesRoute('get', 'indexInvites', { params: threadParams }, 200), (c) => {
      const { stores, config, now } = signedIn(c)
      if (!canInviteParticipants(policyView(c), config)) {
        return forbidden(c, NOT_VIEW)
      }
      const valid = stores.invites.validOf(c.get('thread').id, now)
      return c.json(
        {
          data: valid.map((invite) =>
            presentInvite(invite, ownerOf(stores.users, invite), routeOf(c, invite.code))
          ),
          meta: { total: valid.length, max_allowed: config.thread_invites_max || null },
        },
        200
      )
    })
    .openapi(
      threadInvitesRoute(
        'post',
        'storeInvite',
        { params: threadParams, body: jsonBody(invitePayload) },
        201,
        422
      ),
      (c) => {
        const { world, stores, config, now, viewer: user } = signedIn(c)
        const { invites } = stores
        if (!canInviteParticipants(policyView(c), config)) {
          return forbidden(c, NOT_CREATE)
        }
        const { expires, uses } = c.req.valid('json')
        const expiresAt = expiryTime(expires, parseTimestamp(now))
        // Counting and inserting together, so the limit holds whatever else writes.
        const created = invites.transaction(() => {
          const max = config.thread_invites_max
          if (max !== 0 && invites.validCount(c.get('thread').id, now) >= max) {
            return undefined
          }
          let code = inviteCode()
          while (invites.isCodeTaken(code)) {
            code = inviteCode()
          }
          return invites.create({
            id: orderedUuid(world.clock.nowMs()),
            thread_id: c.get('thread').id,
            owner_id: user.id,
            code,
            max_use: uses,
            expires_at: expiresAt === null ? null : formatTimestamp(expiresAt),
            now,
          })
        })
        if (!created) {
          return forbidden(c, AT_MAX)
        }
        return c.json(presentCreatedInvite(created, user, routeOf(c, created.code)), 201)
      }
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/api/messenger/threads/{thread}/invites/{invite}',
        operationId: 'destroyInvite',
        middleware: [bindThread, bindThreadInvite] as const,
        request: { params: threadInviteParams },
        responses: statuses(200, 401, 403, 404, 405),
      }),
      (c) => {
        if (!canInviteParticipants(policyView(c), c.get('config'))) {
          return forbidden(c, NOT_DESTROY)
        }
        c.get('stores').invites.archive(c.get('invite').id, c.get('now'))
        return c.json({ message: 'success' }, 200)
      }
    )
    .openapi(codeRoute('get', 'showInvite', 200), (c) => {
      const { invite, viewer: user, now } = c.var
      const { threads, users } = c.get('stores')
      const thread = threads.byId(invite.thread_id)
      const valid = isValidInvite(invite, thread, now)
      const view: ThreadView | undefined =
        thread && (user ? viewThread(threads, thread, user.id) : undefined)
      const options: InviteJoinOptions = {
        messenger_auth: user !== undefined,
        in_thread: valid && view?.me !== undefined,
        thread_name:
          valid && thread
            ? threadName(view ?? { thread, me: undefined, recipient: undefined }, users)
            : null,
        is_valid: valid,
      }
      return c.json(presentJoinView(invite, options, routeOf(c, invite.code)), 200)
    })
    .openapi(codeRoute('post', 'joinWithInvite', 201, 401, 403), (c) => {
      const { world, stores, config, now, viewer: user } = signedIn(c)
      const { threads, invites } = stores
      // Everything is read again inside the transaction: other joins may have run since binding.
      const joined = invites.transaction(() => {
        const invite = invites.byId(c.get('invite').id)
        if (!invite) {
          return 'gone' as const
        }
        const thread = threads.byId(invite.thread_id)
        if (
          !config.thread_invites ||
          !thread ||
          !isValidInvite(invite, thread, now) ||
          threads.member(thread.id, user.id) !== undefined ||
          !invites.use(invite.id, now)
        ) {
          return undefined
        }
        const participant = threads.addParticipant({
          id: orderedUuid(world.clock.nowMs()),
          thread_id: thread.id,
          owner_id: user.id,
          now,
        })
        // The "joined the group" system message makes the group unread for its members.
        threads.touch(thread.id, now)
        return participant
      })
      if (joined === 'gone') {
        return modelNotFound(c, 'Invite', c.req.param('code'))
      }
      if (!joined) {
        return forbidden(c, NOT_JOIN)
      }
      return c.json(presentJoinedParticipant(joined, user), 201)
    })
}
