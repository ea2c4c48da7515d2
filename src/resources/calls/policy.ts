// CallPolicy and CallParticipantPolicy: who may start, join, leave, end, see and kick in a call.
import type { WorldConfig } from '../../world/schema.ts'
import { canCall, isGroup } from '../threads/policy.ts'
import type { ThreadView } from '../threads/policy.ts'
import type { CallParticipantRow, CallRow } from '../../db/rows.ts'

/** A call as seen by one user: the thread view and the user's own call participant row. */
export interface CallView {
  view: ThreadView
  call: CallRow
  mine: CallParticipantRow | undefined
}

export const DENY = {
  viewAny: 'Not authorized to view calls.',
  view: 'Not authorized to view call.',
  create: 'Not authorized to start a call.',
  join: 'Not authorized to join this session.',
  leave: 'Not authorized to leave that session.',
  end: 'Not authorized to end that session.',
  heartbeat: 'Not authorized to be in that session.',
  viewParticipants: 'Not authorized to view participants.',
  viewParticipant: 'Not authorized to view participant.',
  kick: 'Not authorized to kick / un-kick that participant.',
} as const

export const awaitingCreation = (threadName: string) =>
  `${threadName} has a call awaiting creation.`

export const isParticipant = (view: ThreadView) => view.me !== undefined
export const isActive = (call: CallRow) => call.call_ended === null

export const hasJoined = (cv: CallView) => cv.mine !== undefined
export const isInCall = (cv: CallView) => cv.mine?.left_call === null
export const hasLeft = (cv: CallView) => cv.mine !== undefined && cv.mine.left_call !== null
export const isKicked = (cv: CallView) => cv.mine?.kicked === 1

/** Call::isCallAdmin: the user has a row in the active call and created it or admins the group. */
export function isCallAdmin(cv: CallView): boolean {
  if (!isActive(cv.call) || cv.mine === undefined) {
    return false
  }
  return cv.call.owner_id === cv.mine.owner_id || (isGroup(cv.view) && cv.view.me?.admin === 1)
}

/** store: the thread can call and has no active call (the lockout is checked after this). */
export function canStartCall(view: ThreadView, config: WorldConfig, hasActiveCall: boolean) {
  return isParticipant(view) && canCall(view, config) && !hasActiveCall
}

export const canJoin = (cv: CallView) =>
  isParticipant(cv.view) && isActive(cv.call) && !isKicked(cv)

/** leave and heartbeat share the rule: in the active call and not kicked. */
export const canStayInCall = (cv: CallView) =>
  isParticipant(cv.view) && isActive(cv.call) && isInCall(cv) && !isKicked(cv)

export const canEnd = (cv: CallView) => canStayInCall(cv) && isCallAdmin(cv)

export const canKick = (cv: CallView) => isGroup(cv.view) && canEnd(cv)
