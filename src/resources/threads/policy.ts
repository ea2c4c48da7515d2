// The thread rules the policies share (Thread::isLocked, canCall, canInviteParticipants, …).
import type { WorldConfig } from '../../world/schema.ts'
import type { UserRow } from '../../db/rows.ts'
import type { UserStore } from '../users/store.ts'
import { avatarUrls, displayName } from '../users/present.ts'
import type { ParticipantRow, ThreadRow } from '../../db/rows.ts'
import type { ThreadStore } from './store.ts'

/** A thread as seen by one user: their membership and, in a private thread, the other side. */
export interface ThreadView {
  thread: ThreadRow
  me: ParticipantRow | undefined
  /** The other participant of a private thread (undefined in groups). */
  recipient: ParticipantRow | undefined
}

export function viewThread(threads: ThreadStore, thread: ThreadRow, userId: string): ThreadView {
  const me = threads.member(thread.id, userId)
  const recipient = thread.type === 1 ? threads.others(thread.id, userId)[0] : undefined
  return { thread, me, recipient }
}

export const isGroup = (view: ThreadView) => view.thread.type === 2
export const isPrivate = (view: ThreadView) => view.thread.type === 1

export function isLocked(view: ThreadView): boolean {
  if (!view.me) {
    return true
  }
  if (isPrivate(view)) {
    return view.thread.lockout === 1 || view.recipient === undefined
  }
  return view.thread.lockout === 1
}

export function isPending(view: ThreadView): boolean {
  return isPrivate(view) && (view.me?.pending === 1 || view.recipient?.pending === 1)
}

export function isThreadAdmin(view: ThreadView): boolean {
  return isGroup(view) && view.me?.admin === 1
}

export function canCall(view: ThreadView, config: WorldConfig): boolean {
  if (!config.calling || isLocked(view) || isPending(view)) {
    return false
  }
  return (
    isPrivate(view) ||
    (view.thread.calling === 1 && (isThreadAdmin(view) || view.me?.start_calls === 1))
  )
}

export function canInviteParticipants(view: ThreadView, config: WorldConfig): boolean {
  return (
    config.thread_invites &&
    !isLocked(view) &&
    isGroup(view) &&
    view.thread.invitations === 1 &&
    (isThreadAdmin(view) || view.me?.manage_invites === 1)
  )
}

/** PHP 7.4 htmlspecialchars() with ENT_COMPAT: & " < > escaped, the apostrophe kept. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
}

// A call's meta asks for the recipient three times (name, API and web avatars): look it up once.
const recipients = new WeakMap<ThreadView, UserRow | undefined>()
function recipientUser(view: ThreadView, users: UserStore): UserRow | undefined {
  if (!recipients.has(view)) {
    recipients.set(view, view.recipient ? users.byId(view.recipient.owner_id) : undefined)
  }
  return recipients.get(view)
}

/** The thread's name for a user: the other user's name in a private thread, else the subject. */
export function threadName(view: ThreadView, users: UserStore): string {
  if (isGroup(view)) {
    return escapeHtml(view.thread.subject ?? '')
  }
  const other = recipientUser(view, users)
  return escapeHtml(other ? displayName(other.name) : 'Ghost Profile')
}

/** The thread's picture URLs: the other user's avatar, or the group's image route. */
export function threadAvatars(view: ThreadView, users: UserStore, api: boolean) {
  if (isGroup(view)) {
    const prefix = api ? '/api/messenger/threads' : '/messenger/threads'
    const image = view.thread.image ?? 'default.png'
    const url = (size: string) => `${prefix}/${view.thread.id}/avatar/${size}/${image}`
    return { sm: url('sm'), md: url('md'), lg: url('lg') }
  }
  const other = recipientUser(view, users)
  return avatarUrls(
    api ? '/api/messenger/images' : '/images',
    other?.id ?? 'ghost',
    other?.avatar ?? null
  )
}
