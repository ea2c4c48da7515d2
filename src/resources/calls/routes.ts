// The call routes: start, list, page, show, join, leave, heartbeat and end a call, its
// participants (list, show, kick) and the user's active calls.
import { createRoute, z } from '@hono/zod-openapi'
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

function findCall<E extends AppEnv>(c: Context<E>, x: Calling): CallView | Response {
  const view = findThread(c, x)
  if (view instanceof Response) {
    return view
  }
  const id = idParam(c, 'call')
  const call = x.calls.byId(id.key)
  if (call?.thread_id !== view.thread.id) {
    return modelNotFound(c, 'Call', id.raw)
  }
  return { view, call, mine: x.calls.participantOf(call.id, x.viewer.id) }
}

const threadScope: MiddlewareHandler<ThreadEnv> = async (c, next) => {
  const found = findThread(c, calling(c))
  if (found instanceof Response) {
    return found
  }
  c.set('threadView', found)
  await next()
  return undefined
}

const callScope: MiddlewareHandler<CallEnv> = async (c, next) => {
  const found = findCall(c, calling(c))
  if (found instanceof Response) {
    return found
  }
  c.set('callView', found)
  await next()
  return undefined
}

const participantScope: MiddlewareHandler<ParticipantEnv> = async (c, next) => {
  const x = calling(c)
  const found = findCall(c, x)
  if (found instanceof Response) {
    return found
  }
  const id = idParam(c, 'participant')
  const participant = x.calls.participantById(id.key)
  if (participant?.call_id !== found.call.id) {
    return modelNotFound(c, 'CallParticipant', id.raw)
  }
  c.set('callView', found)
  c.set('participant', participant)
  await next()
  return undefined
}

const threadParams = z.object({ thread: pathId('thread', "The thread's id.") })
const callParams = threadParams.extend({
  call: pathId('call', "The call's id; it must belong to the thread."),
})
const participantParams = callParams.extend({
  participant: pathId('participant', "The call participant's id; it must belong to the call."),
})

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

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/messenger/threads/{thread}/calls',
      operationId: 'indexCalls',
      middleware: [threadScope] as const,
      request: { params: threadParams },
      responses: statuses(200, 401, 403, 404, 405),
    }),
    (c) => {
      const x = calling(c)
      const view = c.get('threadView')
      if (!isParticipant(view)) {
        return forbidden(c, DENY.viewAny)
      }
      const rows = x.calls.newest(view.thread.id, x.config.calls_index_count)
      const oldest = x.calls.oldestId(view.thread.id)
      const meta = presentCallMeta(view, x.viewCtx)
      return c.json(
        presentCallsPage({
          threadId: view.thread.id,
          pageId: undefined,
          perPage: x.config.calls_index_count,
          items: rows.map((call) => callAsSeen(x, view, call, meta)),
          total: x.calls.total(view.thread.id),
          holdsOldest: rows.some((call) => call.id === oldest),
        }),
        200
      )
    }
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/messenger/threads/{thread}/calls',
      operationId: 'storeCall',
      middleware: [threadScope] as const,
      request: { params: threadParams, body: ignoredBody },
      responses: statuses(201, 401, 403, 404, 405),
    }),
    (c) => {
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
      callStarted(c.var.broadcasts, x, view, call, x.viewer)
      const cv: CallView = { view, call, mine: undefined }
      const meta = presentCallMeta(view, x.viewCtx)
      return c.json(presentCall(cv, meta, x.viewCtx, { options: STORE_OPTIONS }), 201)
    }
  )

  // Before the {call} routes, so that page/{id} is never read as a call id.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/messenger/threads/{thread}/calls/page/{call}',
      operationId: 'pageCalls',
      middleware: [callScope] as const,
      request: { params: callParams },
      responses: statuses(200, 401, 403, 404, 405),
    }),
    (c) => {
      const x = calling(c)
      const { view, call } = c.get('callView')
      if (!isParticipant(view)) {
        return forbidden(c, DENY.viewAny)
      }
      const rows = x.calls.olderThan(call, x.config.calls_page_count)
      const oldest = x.calls.oldestId(view.thread.id)
      const meta = presentCallMeta(view, x.viewCtx)
      return c.json(
        presentCallsPage({
          threadId: view.thread.id,
          pageId: call.id,
          perPage: x.config.calls_page_count,
          items: rows.map((row) => callAsSeen(x, view, row, meta)),
          total: x.calls.total(view.thread.id),
          holdsOldest: rows.some((row) => row.id === oldest),
        }),
        200
      )
    }
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/messenger/threads/{thread}/calls/{call}',
      operationId: 'showCall',
      middleware: [callScope] as const,
      request: { params: callParams },
      responses: statuses(200, 401, 403, 404, 405),
    }),
    (c) => {
      const x = calling(c)
      const cv = c.get('callView')
      if (!isParticipant(cv.view)) {
        return forbidden(c, DENY.view)
      }
      const meta = presentCallMeta(cv.view, x.viewCtx)
      const participants = x.calls.participants(cv.call.id)
      return c.json(presentCall(cv, meta, x.viewCtx, { participants }), 200)
    }
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/messenger/threads/{thread}/calls/{call}/join',
      operationId: 'joinCall',
      middleware: [callScope] as const,
      request: { params: callParams, body: ignoredBody },
      responses: statuses(200, 201, 401, 403, 404, 405),
    }),
    (c) => {
      const x = calling(c)
      const cv = c.get('callView')
      if (!canJoin(cv)) {
        return forbidden(c, DENY.join)
      }
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
      callJoined(c.var.broadcasts, cv.view, cv.call, x.viewer.id)
      return c.json(presentCallParticipant(row, x.viewCtx), mine ? 200 : 201)
    }
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/messenger/threads/{thread}/calls/{call}/leave',
      operationId: 'leaveCall',
      middleware: [callScope] as const,
      request: { params: callParams, body: ignoredBody },
      responses: statuses(200, 401, 403, 404, 405),
    }),
    (c) => {
      const x = calling(c)
      const cv = c.get('callView')
      const mine = cv.mine
      if (!mine || !canStayInCall(cv)) {
        return forbidden(c, DENY.leave)
      }
      const ended = x.calls.transaction(() => {
        x.calls.leave(mine.id, x.now)
        // EndCallIfEmpty: the last one out ends the call.
        if (x.calls.inCallCount(cv.call.id) === 0) {
          endCall(x, cv.call, cv.view.thread)
          return true
        }
        return false
      })
      callLeft(c.var.broadcasts, cv.view, cv.call, x.viewer.id)
      if (ended) {
        callEnded(c.var.broadcasts, x.threads, cv.view, reread(x, cv.call))
      }
      return c.json(SUCCESS, 200)
    }
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/messenger/threads/{thread}/calls/{call}/heartbeat',
      operationId: 'callHeartbeat',
      middleware: [callScope] as const,
      request: { params: callParams },
      responses: statuses(200, 401, 403, 404, 405),
    }),
    (c) => {
      const x = calling(c)
      const cv = c.get('callView')
      const mine = cv.mine
      if (!mine || !canStayInCall(cv)) {
        return forbidden(c, DENY.heartbeat)
      }
      x.calls.seen(mine.id, x.now)
      return c.json(SUCCESS, 200)
    }
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/messenger/threads/{thread}/calls/{call}/end',
      operationId: 'endCall',
      middleware: [callScope] as const,
      request: { params: callParams },
      responses: statuses(200, 401, 403, 404, 405),
    }),
    (c) => {
      const x = calling(c)
      const cv = c.get('callView')
      if (!canEnd(cv)) {
        return forbidden(c, DENY.end)
      }
      endCall(x, cv.call, cv.view.thread)
      callEnded(c.var.broadcasts, x.threads, cv.view, reread(x, cv.call))
      return c.json(SUCCESS, 200)
    }
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/messenger/threads/{thread}/calls/{call}/participants',
      operationId: 'indexCallParticipants',
      middleware: [callScope] as const,
      request: { params: callParams },
      responses: statuses(200, 401, 403, 404, 405),
    }),
    (c) => {
      const x = calling(c)
      const cv = c.get('callView')
      if (!isParticipant(cv.view)) {
        return forbidden(c, DENY.viewParticipants)
      }
      const body = x.calls
        .participants(cv.call.id)
        .map((row) => presentCallParticipant(row, x.viewCtx))
      return c.json(body, 200)
    }
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/messenger/threads/{thread}/calls/{call}/participants/{participant}',
      operationId: 'showCallParticipant',
      middleware: [participantScope] as const,
      request: { params: participantParams },
      responses: statuses(200, 401, 403, 404, 405),
    }),
    (c) => {
      const x = calling(c)
      if (!isParticipant(c.get('callView').view)) {
        return forbidden(c, DENY.viewParticipant)
      }
      return c.json(presentCallParticipant(c.get('participant'), x.viewCtx), 200)
    }
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/messenger/threads/{thread}/calls/{call}/participants/{participant}',
      operationId: 'updateCallParticipant',
      middleware: [participantScope] as const,
      request: {
        params: participantParams,
        body: jsonBody(kickBody),
      },
      responses: statuses(200, 401, 403, 404, 405, 422),
    }),
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
      callKicked(c.var.broadcasts, participant, kicked, x.now, c.get('callView').view.thread.id)
      return c.json(SUCCESS, 200)
    }
  )

  return app
}
