// The threads' part of a world document: threads and their participants.
import { z } from 'zod'
import type { ParticipantRow, ThreadRow } from '../../db/rows.ts'
import { fileName, nullableTimestamp, stampFields, switches, uuid } from '../../world/fields.ts'
import { derivedId, stamps, tableSlice, toBits, toBools } from '../../world/slice.ts'

const threadSwitches = switches({
  invitations: false,
  calling: true,
  lockout: false,
  add_participants: false,
  messaging: true,
  knocks: true,
})

const threadSchema = z.strictObject({
  id: uuid,
  /** 1 private, 2 group. */
  type: z.literal([1, 2]),
  subject: z.string().max(255).nullable().default(null),
  image: fileName.nullable().default(null),
  ...threadSwitches.fields,
  ...stampFields,
  deleted_at: nullableTimestamp,
})

/** A document's thread: its runtime lockout starts empty, so load never writes it. */
type LoadedThreadRow = Omit<ThreadRow, 'call_lockout_until'>

export const threadsSlice = tableSlice('threads', threadSchema, {
  runtime: ['call_lockout_until'],
  toRow: (thread, at): LoadedThreadRow => ({
    id: thread.id,
    type: thread.type,
    subject: thread.subject,
    image: thread.image,
    ...toBits(thread, threadSwitches.names),
    ...stamps(thread, at.now),
    deleted_at: thread.deleted_at,
  }),
  check(threads, check, known) {
    threads.forEach((thread, i) => {
      check.that(
        thread.type === 1 || thread.subject !== null,
        `threads.${i}.subject`,
        `The :attribute field is required when threads.${i}.type is 2.`
      )
    })
    known.threads = check.byId(threads, 'threads')
    known.threadList = threads
  },
  toEntry: (thread: ThreadRow) => ({
    id: thread.id,
    type: thread.type,
    subject: thread.subject,
    image: thread.image,
    ...toBools(thread, threadSwitches.names),
    created_at: thread.created_at,
    updated_at: thread.updated_at,
    deleted_at: thread.deleted_at,
  }),
})

const participantSwitches = switches({
  admin: false,
  pending: false,
  start_calls: false,
  send_knocks: false,
  send_messages: true,
  add_participants: false,
  manage_invites: false,
  muted: false,
})

const participantSchema = z.strictObject({
  /** Omitted: derived from the thread, the user and the entry's position. */
  id: uuid.optional(),
  thread_id: uuid,
  user_id: uuid,
  ...participantSwitches.fields,
  last_read: nullableTimestamp,
  ...stampFields,
  deleted_at: nullableTimestamp,
})

export const participantsSlice = tableSlice('participants', participantSchema, {
  toRow(participant, at, i): ParticipantRow {
    const times = stamps(participant, at.now)
    const seed = `participant:${i}:${participant.thread_id}:${participant.user_id}`
    return {
      id: participant.id ?? derivedId(times.created_at, seed),
      thread_id: participant.thread_id,
      owner_id: participant.user_id,
      ...toBits(participant, participantSwitches.names),
      last_read: participant.last_read,
      ...times,
      deleted_at: participant.deleted_at,
    }
  },
  check(participants, check, known) {
    check.byId(participants, 'participants')
    const members = new Set<string>()
    const memberCounts = new Map<string, number>()
    participants.forEach((participant, i) => {
      const path = `participants.${i}`
      const found = check.refs(
        path,
        [known.threads, participant.thread_id, 'thread_id', 'thread'],
        [known.users, participant.owner_id, 'user_id', 'user']
      )
      if (!found) {
        return
      }
      const key = `${participant.thread_id} ${participant.owner_id}`
      known.everMembers.add(key)
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
    known.threadList.forEach((thread, i) => {
      const count = memberCounts.get(thread.id) ?? 0
      check.that(
        thread.type !== 1 || count === 2,
        `threads.${i}`,
        `The private thread :attribute must have exactly 2 participants; it has ${count}.`
      )
    })
  },
  toEntry: (participant: ParticipantRow) => ({
    id: participant.id,
    thread_id: participant.thread_id,
    user_id: participant.owner_id,
    ...toBools(participant, participantSwitches.names),
    last_read: participant.last_read,
    created_at: participant.created_at,
    updated_at: participant.updated_at,
    deleted_at: participant.deleted_at,
  }),
})
