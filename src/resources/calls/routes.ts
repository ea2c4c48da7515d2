// The call routes: start, list, page, show, join, leave, heartbeat and end a call, its
// participants (list, show, kick) and the user's active calls.
import { createRoute, z } from '@hono/zod-openapi'
import type { RouteConfig } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import { idParam, signedIn } from '../../http/binding.ts'
import type { AppEnv, AppVariables } from '../../http/env.ts'
import { forbidden, modelNotFound } from '../../http/errors.ts'
import { createRouter, jsonBody, pathId, statuses } from '../../http/routing.ts'
import { asBoolean, boolean, requiredField } from '../../http/rules.ts'
import { orderedUuid, roomId, roomPin, roomSecret } from '../../world/ids.ts'
import { formatTimestamp, parseTimestamp } from '../../world/time.ts'
import type { ThreadRow } from '../../db/rows.ts'
import { threadName, viewThread } from '../threads/policy.ts'
import type { ThreadView } from '../threads/policy.ts'
import type { ViewContext } from '../users/present.ts'
import { callEnded, callJoined, callKicked, callLeft, callStarted } from './broadcasts.ts'
import {
  DENY,
  awaitingCreation,
  canEnd,
  canJoin,
  canKick,
  canStartCall,
  canStayInCall,
  isParticipant,
} from './policy.ts'
import type { CallView } from './policy.ts'
import {
  STORE_OPTIONS,
  presentCall,
  presentCallMeta,
  presentCallParticipant,
  presentCallsPage,
} from './present.ts'
import type { CallParticipantRow, CallRow } from '../../db/rows.ts'

/** Starting a call blocks the next start in the thread for this long ("awaiting creation"). */
const CALL_LOCKOUT_MS = 10_000

const SUCCESS = { message: 'success' } as const

/** The request's binding, with the viewer (behind login) and its view of providers. */
function calling<E extends AppEnv>(c: Context<E>) {
  const { world, stores, config, now, viewer } = signedIn(c)
  const viewCtx: ViewContext = { viewer, users: stores.users, now, config }
  return { world, ...stores, config, viewer, now, viewCtx }
}

type Calling = ReturnType<typeof calling>

// The path's models, found before the body is validated (404 precedes 422).
type ThreadEnv = { Variables: AppVariables & { threadView: ThreadView } }
type CallEnv = { Variables: AppVariables & { callView: CallView } }
type ParticipantEnv = {
  Variables: AppVariables & { callView: CallView; participant: CallParticipantRow }
}

function findThread<E extends AppEnv>(c: Context<E>, x: Calling): ThreadView | Response {
  const id = idParam(c, 'thread')
  const thread = x.threads.byId(id.key)
  return thread ? viewThread(x.threads, thread, x.viewer.id) : modelNotFound(c, 'Thread', id.raw)
}

/** The path's `name` model below its found `parent`: a 404 unless it exists and belongs there. */
function below<P, T>(
  c: Context,
  parent: P | Response,
  [name, model]: [param: string, model: Parameters<typeof modelNotFound>[1]],
  lookup: (key: string) => T | undefined,
  belongs: (row: T, parent: P) => boolean
): [P, T] | Response {
  if (parent instanceof Response) {
    return parent
  }
  const id = idParam(c, name)
  const row = lookup(id.key)
  return row !== undefined && belongs(row, parent) ? [parent, row] : modelNotFound(c, model, id.raw)
}

function findCall<E extends AppEnv>(c: Context<E>, x: Calling): CallView | Response {
  const found = below(
    c,
    findThread(c, x),
    ['call', 'Call'],
    (key) => x.calls.byId(key),
    (call, view) => call.thread_id === view.thread.id
  )
  if (found instanceof Response) {
    return found
  }
  const [view, call] = found
  return { view, call, mine: x.calls.participantOf(call.id, x.viewer.id) }
}

function findParticipant<E extends AppEnv>(c: Context<E>, x: Calling) {
  const found = below(
    c,
    findCall(c, x),
    ['participant', 'CallParticipant'],
    (key) => x.calls.participantById(key),
    (participant, callView) => participant.call_id === callView.call.id
  )
  return found instanceof Response ? found : { callView: found[0], participant: found[1] }
}

/** A middleware that finds the path's models (else answers their 404) and keeps them for the handler. */
function scope<E extends AppEnv, T>(
  find: (c: Context<E>, x: Calling) => T | Response,
  keep: (c: Context<E>, found: T) => void
): MiddlewareHandler<E> {
  return async (c, next) => {
    const found = find(c, calling(c))
    if (found instanceof Response) {
      return found
    }
    keep(c, found)
    await next()
    return undefined
  }
}

const threadScope = scope<ThreadEnv, ThreadView>(findThread, (c, view) => {
  c.set('threadView', view)
})
const callScope = scope<CallEnv, CallView>(findCall, (c, view) => {
  c.set('callView', view)
})
const participantScope = scope(findParticipant<ParticipantEnv>, (c, found) => {
  c.set('callView', found.callView)
  c.set('participant', found.participant)
})

const threadParams = z.object({ thread: pathId('thread', "The thread's id.") })
const callParams = threadParams.extend({
  call: pathId('call', "The call's id; it must belong to the thread."),
})
const participantParams = callParams.extend({
  participant: pathId('participant', "The call participant's id; it must belong to the call."),
})

type Status = Parameters<typeof statuses>[number]
type Body = NonNullable<NonNullable<RouteConfig['request']>['body']>

/**
 * The declaration of a route below a thread's calls (`path` after /threads/{thread}/calls): the
 * models its path names are found by `scope` before the handler runs (404 precedes 422 and 403),
 * so every such route also answers 401, 403, 404 and 405 besides its own `codes`.
 */
function scopedRoute<
  M extends
    MiddlewareHandler<ThreadEnv> | MiddlewareHandler<CallEnv> | MiddlewareHandler<ParticipantEnv>,
  P extends z.ZodObject,
  B extends Body | undefined = undefined,
>(
  scope: M,
  params: P,
  method: 'get' | 'post' | 'put',
  path: string,
  operationId: string,
  codes: Status | [Status, ...Status[]],
  body?: B
) {
  // The body's type decides the handler's input; a route without one has none.
  const request = (body === undefined ? { params } : { params, body }) as {
    params: P
  } & (undefined extends B ? object : { body: B })
  return createRoute({
    method,
    path: `/api/messenger/threads/{thread}/calls${path}`,
    operationId,
    middleware: [scope] as const,
    request,
    responses: statuses(...[codes].flat(), 401, 403, 404, 405),
  })
}

type Route = [
  method: 'get' | 'post' | 'put',
  path: string,
  operationId: string,
  codes: Status | [Status, ...Status[]],
]
const threadRoute = <B extends Body | undefined = undefined>(
  ...[method, path, id, codes, body]: [...Route, B?]
) => scopedRoute(threadScope, threadParams, method, path, id, codes, body)
const callRoute = <B extends Body | undefined = undefined>(
  ...[method, path, id, codes, body]: [...Route, B?]
) => scopedRoute(callScope, callParams, method, path, id, codes, body)
const participantRoute = <B extends Body | undefined = undefined>(
  ...[method, path, id, codes, body]: [...Route, B?]
) => scopedRoute(participantScope, participantParams, method, path, id, codes, body)

// Start, join and leave accept a body and ignore it (EmptyPayload).
const ignoredBody = {
  required: false,
  content: { 'application/json': { schema: z.object({}).openapi({ type: 'object' }) } },
}

const kickBody = z
  .object({ kicked: requiredField('kicked', [boolean], asBoolean, { type: 'boolean' }) })
  .openapi({ required: ['kicked'] })

/** The CallResource of `call` as the viewer sees it (options for the viewer's own row). */
function callAsSeen(
  x: Calling,
  view: ThreadView,
  call: CallRow,
  meta = presentCallMeta(view, x.viewCtx)
) {
  const cv: CallView = { view, call, mine: x.calls.participantOf(call.id, x.viewer.id) }
  return presentCall(cv, meta, x.viewCtx)
}

/** A page of the thread's calls (`rows`, newest first), after the call `pageId` when given. */
function callsPage(
  x: Calling,
  view: ThreadView,
  rows: readonly CallRow[],
  perPage: number,
  pageId?: string
) {
  const oldest = x.calls.oldestId(view.thread.id)
  const meta = presentCallMeta(view, x.viewCtx)
  return presentCallsPage({
    threadId: view.thread.id,
    pageId,
    perPage,
    items: rows.map((call) => callAsSeen(x, view, call, meta)),
    total: x.calls.total(view.thread.id),
    holdsOldest: rows.some((call) => call.id === oldest),
  })
}

/** EndCall: the call ends, everyone still in it leaves, and the system message bumps the thread. */
function endCall(x: Calling, call: CallRow, thread: ThreadRow): void {
  x.calls.transaction(() => {
    x.calls.end(call.id, x.now)
    x.threads.touch(thread.id, x.now)
  })
}

/** The call row as it is now (after a change committed). */
function reread(x: Calling, call: CallRow): CallRow {
  return x.calls.byId(call.id) ?? call
}

/** The viewer's view of a call they are in and may stay in: their own participant row is there. */
type StayingView = CallView & { mine: CallParticipantRow }
const staysInCall = (cv: CallView): cv is StayingView => cv.mine !== undefined && canStayInCall(cv)

/** The viewer is a participant of the call's thread. */
const inThread = (cv: CallView) => isParticipant(cv.view)

type CallAction<V> = (c: Context<CallEnv>, x: Calling, cv: V) => Response

/**
 * The handler of a route on one call: `allow` is the CallPolicy check, refused with Laravel's 403
 * and the `deny` text; `act` runs when it passes, with the binding and the viewer's call.
 */
function onCall<V extends CallView>(
  allow: (cv: CallView) => cv is V,
  deny: string,
  act: CallAction<V>
): (c: Context<CallEnv>) => Response
function onCall(
  allow: (cv: CallView) => boolean,
  deny: string,
  act: CallAction<CallView>
): (c: Context<CallEnv>) => Response
function onCall(allow: (cv: CallView) => boolean, deny: string, act: CallAction<CallView>) {
  return (c: Context<CallEnv>) => {
    const cv = c.get('callView')
    return allow(cv) ? act(c, calling(c), cv) : forbidden(c, deny)
  }
}

export function callRoutes() {
  const app = createRouter()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/messenger/active-calls',
      operationId: 'activeCalls',
      responses: statuses(200, 401, 405),
    }),
    (c) => {
      const x = calling(c)
      const body = x.calls.activeOfUser(x.viewer.id).flatMap((call) => {
        const thread = x.threads.byId(call.thread_id)
        return thread ? [callAsSeen(x, viewThread(x.threads, thread, x.viewer.id), call)] : []
      })
      return c.json(body, 200)
    }
  )

  app.openapi(threadRoute('get', '', 'indexCalls', 200), (c) => {
    const x = calling(c)
    const view = c.get('threadView')
    if (!isParticipant(view)) {
      return forbidden(c, DENY.viewAny)
    }
    const perPage = x.config.calls_index_count
    return c.json(callsPage(x, view, x.calls.newest(view.thread.id, perPage), perPage), 200)
  })

  app.openapi(threadRoute('post', '', 'storeCall', 201, ignoredBody), (c) => {
    const x = calling(c)
    const view = c.get('threadView')
    const thread = view.thread
    if (!canStartCall(view, x.config, x.calls.activeCall(thread.id) !== undefined)) {
      return forbidden(c, DENY.create)
    }
    if (thread.call_lockout_until !== null && thread.call_lockout_until > x.now) {
      return forbidden(c, awaitingCreation(threadName(view, x.users)))
    }
    const nowMs = parseTimestamp(x.now)
    const call = x.calls.transaction(() => {
      x.threads.setCallLockout(thread.id, formatTimestamp(nowMs + CALL_LOCKOUT_MS))
      const created = x.calls.insertCall({
        id: orderedUuid(x.world.clock.nowMs()),
        thread_id: thread.id,
        owner_id: x.viewer.id,
        room_id: roomId(),
        room_pin: roomPin(),
        room_secret: roomSecret(),
        now: x.now,
      })
      x.calls.insertParticipant({
        id: orderedUuid(x.world.clock.nowMs()),
        call_id: created.id,
        owner_id: x.viewer.id,
        now: x.now,
      })
      return created
    })
    callStarted(c.get('broadcasts'), x, view, call, x.viewer)
    const cv: CallView = { view, call, mine: undefined }
    const meta = presentCallMeta(view, x.viewCtx)
    return c.json(presentCall(cv, meta, x.viewCtx, { options: STORE_OPTIONS }), 201)
  })

  // Before the {call} routes, so that page/{id} is never read as a call id.
  app.openapi(callRoute('get', '/page/{call}', 'pageCalls', 200), (c) => {
    const x = calling(c)
    const { view, call } = c.get('callView')
    if (!isParticipant(view)) {
      return forbidden(c, DENY.viewAny)
    }
    const perPage = x.config.calls_page_count
    return c.json(callsPage(x, view, x.calls.olderThan(call, perPage), perPage, call.id), 200)
  })

  app.openapi(
    callRoute('get', '/{call}', 'showCall', 200),
    onCall(inThread, DENY.view, (c, x, cv) => {
      const meta = presentCallMeta(cv.view, x.viewCtx)
      const participants = x.calls.participants(cv.call.id)
      return c.json(presentCall(cv, meta, x.viewCtx, { participants }), 200)
    })
  )

  app.openapi(
    callRoute('post', '/{call}/join', 'joinCall', [200, 201], ignoredBody),
    onCall(canJoin, DENY.join, (c, x, cv) => {
      const mine = cv.mine
      const row = x.calls.transaction(() =>
        mine
          ? x.calls.rejoin(mine.id, x.now)
          : x.calls.insertParticipant({
              id: orderedUuid(x.world.clock.nowMs()),
              call_id: cv.call.id,
              owner_id: x.viewer.id,
              now: x.now,
            })
      )
      callJoined(c.get('broadcasts'), cv.view, cv.call, x.viewer.id)
      return c.json(presentCallParticipant(row, x.viewCtx), mine ? 200 : 201)
    })
  )

  app.openapi(
    callRoute('post', '/{call}/leave', 'leaveCall', 200, ignoredBody),
    onCall(staysInCall, DENY.leave, (c, x, cv) => {
      const mine = cv.mine
      const ended = x.calls.transaction(() => {
        x.calls.leave(mine.id, x.now)
        // EndCallIfEmpty: the last one out ends the call.
        if (x.calls.inCallCount(cv.call.id) === 0) {
          endCall(x, cv.call, cv.view.thread)
          return true
        }
        return false
      })
      callLeft(c.get('broadcasts'), cv.view, cv.call, x.viewer.id)
      if (ended) {
        callEnded(c.get('broadcasts'), x.threads, cv.view, reread(x, cv.call))
      }
      return c.json(SUCCESS, 200)
    })
  )

  app.openapi(
    callRoute('get', '/{call}/heartbeat', 'callHeartbeat', 200),
    onCall(staysInCall, DENY.heartbeat, (c, x, cv) => {
      x.calls.seen(cv.mine.id, x.now)
      return c.json(SUCCESS, 200)
    })
  )

  app.openapi(
    callRoute('post', '/{call}/end', 'endCall', 200),
    onCall(canEnd, DENY.end, (c, x, cv) => {
      endCall(x, cv.call, cv.view.thread)
      callEnded(c.get('broadcasts'), x.threads, cv.view, reread(x, cv.call))
      return c.json(SUCCESS, 200)
    })
  )

  app.openapi(
    callRoute('get', '/{call}/participants', 'indexCallParticipants', 200),
    onCall(inThread, DENY.viewParticipants, (c, x, cv) => {
      const body = x.calls
        .participants(cv.call.id)
        .map((row) => presentCallParticipant(row, x.viewCtx))
      return c.json(body, 200)
    })
  )

  app.openapi(
    participantRoute('get', '/{call}/participants/{participant}', 'showCallParticipant', 200),
    (c) => {
      const x = calling(c)
      if (!isParticipant(c.get('callView').view)) {
        return forbidden(c, DENY.viewParticipant)
      }
      return c.json(presentCallParticipant(c.get('participant'), x.viewCtx), 200)
    }
  )

  app.openapi(
    participantRoute(
      'put',
      '/{call}/participants/{participant}',
      'updateCallParticipant',
      [200, 422],
      jsonBody(kickBody)
    ),
    (c) => {
      const x = calling(c)
      if (!canKick(c.get('callView'))) {
        return forbidden(c, DENY.kick)
      }
      const { kicked } = c.req.valid('json')
      const participant = c.get('participant')
      if (kicked) {
        x.calls.kick(participant.id, x.now)
      } else {
        x.calls.unkick(participant.id, x.now)
      }
      callKicked(c.get('broadcasts'), participant, kicked, x.now, c.get('callView').view.thread.id)
      return c.json(SUCCESS, 200)
    }
  )

  return app
}
