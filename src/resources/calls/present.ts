// CallResource, CallParticipantResource and the calls page: how calls appear in responses.
import type { components } from '../../generated/openapi.ts'
import { isGroup, threadAvatars, threadName } from '../threads/policy.ts'
import type { ThreadView } from '../threads/policy.ts'
import { OWNER_TYPE, presentProvider, presentProviderWithOptions } from '../users/present.ts'
import type { ViewContext } from '../users/present.ts'
import type { UserRow } from '../../db/rows.ts'
import { hasJoined, hasLeft, isActive, isCallAdmin, isInCall, isKicked } from './policy.ts'
import type { CallView } from './policy.ts'
import type { CallParticipantRow } from '../../db/rows.ts'

type Schemas = components['schemas']
export type Call = Schemas['Call']
export type CallMeta = Schemas['CallMeta']
export type CallOptions = Schemas['CallOptions']
export type CallParticipant = Schemas['CallParticipant']
export type CallsPage = Schemas['CallsPage']
export type CallsPageMeta = Schemas['CallsPageMeta']

function userOf(view: ViewContext, id: string): UserRow {
  const user = view.users.byId(id)
  if (!user) {
    // users are deleted with their calls and call participants (ON DELETE CASCADE)
    throw new Error(`User ${id} of a call is missing`)
  }
  return user
}

export function presentCallMeta(view: ThreadView, viewCtx: ViewContext): CallMeta {
  return {
    thread_id: view.thread.id,
    thread_type: view.thread.type,
    thread_type_verbose: isGroup(view) ? 'GROUP' : 'PRIVATE',
    thread_name: threadName(view, viewCtx.users),
    api_thread_avatar: threadAvatars(view, viewCtx.users, true),
    thread_avatar: threadAvatars(view, viewCtx.users, false),
  }
}

/** The viewer's place in an active call; room fields once set up, to a joined, non-kicked user. */
export function presentCallOptions(cv: CallView): CallOptions {
  const options: CallOptions = {
    admin: isCallAdmin(cv),
    setup_complete: cv.call.setup_complete === 1,
    in_call: isActive(cv.call) && isInCall(cv),
    left_call: hasLeft(cv),
    joined: hasJoined(cv),
    kicked: isKicked(cv),
  }
  if (cv.call.setup_complete === 1 && hasJoined(cv) && !isKicked(cv)) {
    options.room_id = cv.call.room_id
    options.room_pin = cv.call.room_pin
    options.payload = cv.call.payload
  }
  return options
}

/** What StoreCall answers: its participants lookup failed, so every flag is false. */
export const STORE_OPTIONS: CallOptions = {
  admin: false,
  setup_complete: false,
  in_call: false,
  left_call: false,
  joined: false,
  kicked: false,
}

export function presentCallParticipant(
  row: CallParticipantRow,
  viewCtx: ViewContext
): CallParticipant {
  return {
    id: row.id,
    call_id: row.call_id,
    owner_id: row.owner_id,
    owner_type: OWNER_TYPE,
    owner: presentProviderWithOptions(userOf(viewCtx, row.owner_id), viewCtx),
    created_at: row.created_at,
    updated_at: row.updated_at,
    left_call: row.left_call,
  }
}

export interface CallShape {
  /** Replaces the computed options (the store quirk). */
  options?: CallOptions
  /** Every call participant; shown only when the call has ended (calls.show). */
  participants?: readonly CallParticipantRow[]
}

export function presentCall(
  cv: CallView,
  meta: CallMeta,
  viewCtx: ViewContext,
  shape: CallShape = {}
): Call {
  const { call } = cv
  const body: Call = {
    id: call.id,
    active: isActive(call),
    type: 1,
    type_verbose: 'VIDEO',
    thread_id: call.thread_id,
    created_at: call.created_at,
    updated_at: call.updated_at,
    owner_id: call.owner_id,
    owner_type: OWNER_TYPE,
    owner: presentProvider(userOf(viewCtx, call.owner_id)),
    meta,
  }
  if (isActive(call)) {
    body.options = shape.options ?? presentCallOptions(cv)
  } else if (shape.participants) {
    body.participants = shape.participants.map((row) => presentCallParticipant(row, viewCtx))
  }
  return body
}

export interface PageInput {
  threadId: string
  /** The call the page starts after; undefined for the index. */
  pageId: string | undefined
  perPage: number
  items: Call[]
  total: number
  /** Whether the page holds the thread's oldest call. */
  holdsOldest: boolean
}

/** MessengerCollection's meta for calls (index and page). */
export function presentCallsPage(input: PageInput): CallsPage {
  const results = input.items.length
  const isIndex = input.pageId === undefined
  const finalPage = isIndex
    ? results < input.perPage
    : results === 0 || results < input.perPage || input.holdsOldest
  const last = input.items[results - 1]
  const nextPageId = !finalPage && last !== undefined ? last.id : null
  return {
    data: input.items,
    meta: {
      index: isIndex,
      page_id: input.pageId ?? null,
      next_page_id: nextPageId,
      next_page_route:
        nextPageId === null
          ? null
          : `/api/messenger/threads/${input.threadId}/calls/page/${nextPageId}`,
      final_page: finalPage,
      per_page: input.perPage,
      results,
      total: input.total,
    },
  }
}
