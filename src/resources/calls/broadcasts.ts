// The backend's call broadcasts (CallStartedBroadcast, CallJoinedBroadcast, CallLeftBroadcast,
// CallEndedBroadcast, KickedFromCallBroadcast): who receives each and what it carries, as
// openapi/broadcasts.asyncapi.yaml specifies. The routes queue them after their changes commit.
import type { CallParticipantRow, CallRow, UserRow } from '../../db/rows.ts'
import type { CallSummary, IncomingCallSummary } from '../../generated/broadcasts.ts'
import type { Outbox } from '../../realtime/outbox.ts'
import { isGroup, threadAvatars, threadName } from '../threads/policy.ts'
import type { ThreadView } from '../threads/policy.ts'
import type { ThreadStore } from '../threads/store.ts'
import { presentProvider } from '../users/present.ts'
import type { UserStore } from '../users/store.ts'

/** CallBroadcastResource: the call without its owner, options or participants. */
export function callSummary(call: CallRow, view: ThreadView): CallSummary {
  return {
    id: call.id,
    type: 1,
    type_verbose: 'VIDEO',
    thread_id: call.thread_id,
    thread_type: view.thread.type,
    created_at: call.created_at,
    updated_at: call.updated_at,
  }
}

/** incoming.call to every other participant of the thread; the caller's own join is silent. */
export function callStarted(
  outbox: Outbox,
  deps: { threads: ThreadStore; users: UserStore },
  view: ThreadView,
  call: CallRow,
  caller: UserRow
): void {
  const summary: IncomingCallSummary = callSummary(call, view)
  // A group's name and picture are the same for everyone; a private thread's are not, so they stay out.
  const group = isGroup(view)
    ? {
        thread_name: threadName(view, deps.users),
        api_thread_avatar: threadAvatars(view, deps.users, true),
        thread_avatar: threadAvatars(view, deps.users, false),
      }
    : {}
  const others = deps.threads.memberIds(view.thread.id).filter((id) => id !== caller.id)
  outbox.toUsers('incoming.call', others, {
    call: { ...summary, ...group },
    sender: presentProvider(caller),
  })
}

/** joined.call to the joiner (first join or rejoin). */
export function callJoined(outbox: Outbox, view: ThreadView, call: CallRow, userId: string) {
  outbox.toUsers('joined.call', [userId], callSummary(call, view))
}

/** left.call to the leaver. */
export function callLeft(outbox: Outbox, view: ThreadView, call: CallRow, userId: string) {
  outbox.toUsers('left.call', [userId], callSummary(call, view))
}

/** call.ended to every participant of the thread (`ended` is the call row after it ended). */
export function callEnded(outbox: Outbox, threads: ThreadStore, view: ThreadView, ended: CallRow) {
  outbox.toUsers('call.ended', threads.memberIds(view.thread.id), callSummary(ended, view))
}

/**
 * call.kicked to the target, only when the row changed: un-kicking someone not kicked, or kicking
 * someone already kicked at this very time, changes nothing and sends nothing.
 */
export function callKicked(
  outbox: Outbox,
  before: CallParticipantRow,
  kicked: boolean,
  now: string,
  threadId: string
): void {
  const changed = kicked ? before.kicked === 0 || before.left_call !== now : before.kicked === 1
  if (changed) {
    outbox.toUsers('call.kicked', [before.owner_id], {
      thread_id: threadId,
      call_id: before.call_id,
      kicked,
    })
  }
}
