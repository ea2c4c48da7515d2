// The calls' part of a world document: calls and their participants.
import { z } from 'zod'
import type { CallParticipantRow, CallRow } from '../../db/rows.ts'
import { nullableTimestamp, stampFields, uuid } from '../../world/fields.ts'
import { roomId, roomPin, roomSecret, seededRandomInt } from '../../world/ids.ts'
import { bit, bool, stamps, tableSlice } from '../../world/slice.ts'

const callSchema = z.strictObject({
  id: uuid,
  thread_id: uuid,
  owner_id: uuid,
  /** 1 video, the only type. */
  type: z.literal(1).default(1),
  setup_complete: z.boolean().default(true),
  /** Omitted on a set-up call: derived from the call id (16 digits, like Janus). */
  room_id: z.int().min(1_000_000_000_000_000).nullable().optional(),
  room_pin: z
    .string()
    .regex(/^[A-Za-z0-9]{6}$/, { message: 'The :attribute must be 6 letters or digits.' })
    .nullable()
    .optional(),
  room_secret: z.string().max(255).nullable().optional(),
  payload: z.string().max(2000).nullable().default(null),
  /** null while the call is active. */
  call_ended: nullableTimestamp,
  ...stampFields,
})

export const callsSlice = tableSlice('calls', callSchema, {
  toRow(call, at): CallRow {
    // Janus gave every set-up call a room; a document may leave it out.
    const room = <T>(given: T | null | undefined, make: () => T): T | null =>
      given !== undefined ? given : call.setup_complete ? make() : null
    return {
      id: call.id,
      thread_id: call.thread_id,
      owner_id: call.owner_id,
      type: call.type,
      setup_complete: bit(call.setup_complete),
      room_id: room(call.room_id, () => roomId(seededRandomInt(`room-id:${call.id}`))),
      room_pin: room(call.room_pin, () => roomPin(seededRandomInt(`room-pin:${call.id}`))),
      room_secret: room(call.room_secret, () =>
        roomSecret(seededRandomInt(`room-secret:${call.id}`))
      ),
      payload: call.payload,
      call_ended: call.call_ended,
      ...stamps(call, at.now),
    }
  },
  check(calls, check, known) {
    const active = new Map<string, number>()
    calls.forEach((call, i) => {
      const path = `calls.${i}`
      check.exists(known.users, call.owner_id, `${path}.owner_id`, 'user')
      if (
        !check.exists(known.threads, call.thread_id, `${path}.thread_id`, 'thread') ||
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
    known.calls = check.byId(calls, 'calls')
  },
  toEntry: (call: CallRow) => ({
    id: call.id,
    thread_id: call.thread_id,
    owner_id: call.owner_id,
    // Video, the only type.
    type: 1 as const,
    setup_complete: bool(call.setup_complete),
    room_id: call.room_id,
    room_pin: call.room_pin,
    room_secret: call.room_secret,
    payload: call.payload,
    call_ended: call.call_ended,
    created_at: call.created_at,
    updated_at: call.updated_at,
  }),
})

const callParticipantSchema = z.strictObject({
  id: uuid,
  call_id: uuid,
  user_id: uuid,
  kicked: z.boolean().default(false),
  left_call: nullableTimestamp,
  ...stampFields,
})

export const callParticipantsSlice = tableSlice('call_participants', callParticipantSchema, {
  toRow: (participant, at): CallParticipantRow => ({
    id: participant.id,
    call_id: participant.call_id,
    owner_id: participant.user_id,
    kicked: bit(participant.kicked),
    left_call: participant.left_call,
    // As if everyone in a call had just sent a call heartbeat.
    last_seen: participant.left_call ?? at.now,
    ...stamps(participant, at.now),
  }),
  check(participants, check, known) {
    check.byId(participants, 'call_participants')
    const inCall = new Set<string>()
    participants.forEach((participant, i) => {
      const path = `call_participants.${i}`
      const call = known.calls.get(participant.call_id)
      const found = check.refs(
        path,
        [known.calls, participant.call_id, 'call_id', 'call'],
        [known.users, participant.owner_id, 'user_id', 'user']
      )
      if (!found || call === undefined) {
        return
      }
      // Someone who has since left the thread still appears in its past calls.
      check.that(
        known.everMembers.has(`${call.thread_id} ${participant.owner_id}`),
        `${path}.user_id`,
        "The :attribute is not a participant of the call's thread."
      )
      const key = `${participant.call_id} ${participant.owner_id}`
      check.that(!inCall.has(key), `${path}.user_id`, 'The :attribute is already in that call.')
      inCall.add(key)
    })
  },
  // The heartbeat time (last_seen) is runtime state: a document never carries it.
  toEntry: (participant: CallParticipantRow) => ({
    id: participant.id,
    call_id: participant.call_id,
    user_id: participant.owner_id,
    kicked: bool(participant.kicked),
    left_call: participant.left_call,
    created_at: participant.created_at,
    updated_at: participant.updated_at,
  }),
})
