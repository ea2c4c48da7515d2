// The referential rules of a world document: unique keys, existing references, and the backend's
// invariants (two members in a private thread, one active call per thread, …).
import type { CallRow, UserRow } from '../db/rows.ts'
import type { LoadedThreadRow, WorldRows } from './rows.ts'

/** Laravel's 422 `errors`: dotted path → messages. */
export type WorldErrors = Record<string, string[]>

/** Adds `message` under `key` once. */
export function add(errors: WorldErrors, key: string, message: string): void {
  const list = (errors[key] ??= [])
  if (!list.includes(message)) {
    list.push(message)
  }
}

class Checker {
  readonly errors: WorldErrors = {}

  /** Records `message` (with :attribute replaced by `path`) unless `ok`; returns `ok`. */
  that(ok: boolean, path: string, message: string): boolean {
    if (!ok) {
      add(this.errors, path, message.replaceAll(':attribute', path))
    }
    return ok
  }

  /** Adds `value` to `seen`; a repeat is reported at `path` as taken. */
  unique(seen: Set<string>, value: string, path: string): boolean {
    const fresh = this.that(!seen.has(value), path, 'The :attribute has already been taken.')
    seen.add(value)
    return fresh
  }

  exists(ids: ReadonlyMap<string, unknown>, id: string, path: string, table: string): boolean {
    return this.that(ids.has(id), path, `The :attribute does not match any ${table}.`)
  }
}

/** Key of an unordered pair of users. */
const pairOf = (a: string, b: string): string => (a < b ? `${a} ${b}` : `${b} ${a}`)

function byId<T extends { id: string }>(
  check: Checker,
  rows: readonly T[],
  table: string
): Map<string, T> {
  const found = new Map<string, T>()
  const seen = new Set<string>()
  rows.forEach((row, i) => {
    if (check.unique(seen, row.id, `${table}.${i}.id`)) {
      found.set(row.id, row)
    }
  })
  return found
}

function checkUsers(check: Checker, users: readonly UserRow[]): Map<string, UserRow> {
  const tokens = new Set<string>()
  const emails = new Set<string>()
  users.forEach((user, i) => {
    check.unique(tokens, user.token, `users.${i}.token`)
    // The column compares e-mails without regard to case.
    check.unique(emails, user.email.toLowerCase(), `users.${i}.email`)
  })
  return byId(check, users, 'users')
}

function checkThreads(
  check: Checker,
  threads: readonly LoadedThreadRow[]
): Map<string, LoadedThreadRow> {
  threads.forEach((thread, i) => {
    check.that(
      thread.type === 1 || thread.subject !== null,
      `threads.${i}.subject`,
      `The :attribute field is required when threads.${i}.type is 2.`
    )
  })
  return byId(check, threads, 'threads')
}

/** Returns "thread user" keys of everyone who is or was a participant of a thread. */
function checkParticipants(
  check: Checker,
  rows: WorldRows,
  users: ReadonlyMap<string, UserRow>,
  threads: ReadonlyMap<string, LoadedThreadRow>
): Set<string> {
  byId(check, rows.participants, 'participants')
  const everMembers = new Set<string>()
  const members = new Set<string>()
  const memberCounts = new Map<string, number>()
  rows.participants.forEach((participant, i) => {
    const path = `participants.${i}`
    const known = [
      check.exists(threads, participant.thread_id, `${path}.thread_id`, 'thread'),
      check.exists(users, participant.owner_id, `${path}.user_id`, 'user'),
    ].every(Boolean)
    if (!known) {
      return
    }
    const key = `${participant.thread_id} ${participant.owner_id}`
    everMembers.add(key)
    if (participant.deleted_at === null) {
      check.that(
        !members.has(key),
        `${path}.user_id`,
        'The :attribute is already a participant of that thread.'
      )
      members.add(key)
      memberCounts.set(participant.thread_id, (memberCounts.get(participant.thread_id) ?? 0) + 1)
    }
  })
  rows.threads.forEach((thread, i) => {
    const count = memberCounts.get(thread.id) ?? 0
    check.that(
      thread.type !== 1 || count === 2,
      `threads.${i}`,
      `The private thread :attribute must have exactly 2 participants; it has ${count}.`
    )
  })
  return everMembers
}

/** Returns the unordered pairs of users who are friends. */
function checkFriends(
  check: Checker,
  rows: WorldRows,
  users: ReadonlyMap<string, UserRow>
): Set<string> {
  const ids = new Set<string>()
  const friendships = new Set<string>()
  rows.friendPairs.forEach(([row, inverse], i) => {
    const path = `friends.${i}`
    check.unique(ids, row.id, `${path}.id`)
    check.unique(ids, inverse.id, `${path}.inverse_id`)
    const known = [
      check.exists(users, row.owner_id, `${path}.user_id`, 'user'),
      check.exists(users, row.party_id, `${path}.friend_id`, 'user'),
    ].every(Boolean)
    const different = check.that(
      row.owner_id !== row.party_id,
      `${path}.friend_id`,
      `The :attribute and ${path}.user_id must be different.`
    )
    if (known && different) {
      const pair = pairOf(row.owner_id, row.party_id)
      check.that(
        !friendships.has(pair),
        `${path}.friend_id`,
        'The :attribute is already a friend of that user.'
      )
      friendships.add(pair)
    }
  })
  return friendships
}

function checkFriendRequests(
  check: Checker,
  rows: WorldRows,
  users: ReadonlyMap<string, UserRow>,
  friendships: ReadonlySet<string>
): void {
  byId(check, rows.friendRequests, 'friend_requests')
  const requests = new Set<string>()
  rows.friendRequests.forEach((request, i) => {
    const path = `friend_requests.${i}`
    const known = [
      check.exists(users, request.sender_id, `${path}.sender_id`, 'user'),
      check.exists(users, request.recipient_id, `${path}.recipient_id`, 'user'),
    ].every(Boolean)
    const different = check.that(
      request.sender_id !== request.recipient_id,
      `${path}.recipient_id`,
      `The :attribute and ${path}.sender_id must be different.`
    )
    if (!known || !different) {
      return
    }
    const pair = pairOf(request.sender_id, request.recipient_id)
    check.that(
      !friendships.has(pair),
      `${path}.recipient_id`,
      'The :attribute is already a friend of that sender.'
    )
    check.that(
      !requests.has(pair),
      `${path}.recipient_id`,
      'The :attribute already has a friend request with that sender.'
    )
    requests.add(pair)
  })
}

function checkCalls(
  check: Checker,
  rows: WorldRows,
  users: ReadonlyMap<string, UserRow>,
  threads: ReadonlyMap<string, LoadedThreadRow>
): Map<string, CallRow> {
  const active = new Map<string, number>()
  rows.calls.forEach((call, i) => {
    const path = `calls.${i}`
    check.exists(users, call.owner_id, `${path}.owner_id`, 'user')
    if (
      !check.exists(threads, call.thread_id, `${path}.thread_id`, 'thread') ||
      call.call_ended !== null
    ) {
      return
    }
    const first = active.get(call.thread_id)
    if (first === undefined) {
      active.set(call.thread_id, i)
    } else {
      check.that(
        false,
        `${path}.call_ended`,
        `The :attribute field is required: calls.${first} is already the active call of that thread.`
      )
    }
  })
  return byId(check, rows.calls, 'calls')
}

function checkCallParticipants(
  check: Checker,
  rows: WorldRows,
  users: ReadonlyMap<string, UserRow>,
  calls: ReadonlyMap<string, CallRow>,
  everMembers: ReadonlySet<string>
): void {
  byId(check, rows.callParticipants, 'call_participants')
  const inCall = new Set<string>()
  rows.callParticipants.forEach((participant, i) => {
    const path = `call_participants.${i}`
    const call = calls.get(participant.call_id)
    const known = [
      check.exists(calls, participant.call_id, `${path}.call_id`, 'call'),
      check.exists(users, participant.owner_id, `${path}.user_id`, 'user'),
    ].every(Boolean)
    if (!known || call === undefined) {
      return
    }
    // Someone who has since left the thread still appears in its past calls.
    check.that(
      everMembers.has(`${call.thread_id} ${participant.owner_id}`),
      `${path}.user_id`,
      "The :attribute is not a participant of the call's thread."
    )
    const key = `${participant.call_id} ${participant.owner_id}`
    check.that(!inCall.has(key), `${path}.user_id`, 'The :attribute is already in that call.')
    inCall.add(key)
  })
}

function checkInvites(
  check: Checker,
  rows: WorldRows,
  users: ReadonlyMap<string, UserRow>,
  threads: ReadonlyMap<string, LoadedThreadRow>
): void {
  byId(check, rows.invites, 'invites')
  const codes = new Set<string>()
  rows.invites.forEach((invite, i) => {
    const path = `invites.${i}`
    check.unique(codes, invite.code, `${path}.code`)
    check.exists(threads, invite.thread_id, `${path}.thread_id`, 'thread')
    check.exists(users, invite.owner_id, `${path}.owner_id`, 'user')
  })
}

function checkAvatars(check: Checker, rows: WorldRows, users: ReadonlyMap<string, UserRow>): void {
  const seen = new Set<string>()
  rows.avatars.forEach((avatar, i) => {
    const path = `avatars.${i}`
    const user = users.get(avatar.user_id)
    if (!check.exists(users, avatar.user_id, `${path}.user_id`, 'user') || user === undefined) {
      return
    }
    check.unique(seen, avatar.user_id, `${path}.user_id`)
    check.that(
      user.avatar === avatar.file,
      `${path}.file`,
      "The :attribute does not match the user's avatar."
    )
  })
}

/** Every broken rule of `rows`, by dotted path; empty when the world is consistent. */
export function checkReferences(rows: WorldRows): WorldErrors {
  const check = new Checker()
  const users = checkUsers(check, rows.users)
  const threads = checkThreads(check, rows.threads)
  const everMembers = checkParticipants(check, rows, users, threads)
  const friendships = checkFriends(check, rows, users)
  checkFriendRequests(check, rows, users, friendships)
  const calls = checkCalls(check, rows, users, threads)
  checkCallParticipants(check, rows, users, calls, everMembers)
  checkInvites(check, rows, users, threads)
  checkAvatars(check, rows, users)
  return check.errors
}
