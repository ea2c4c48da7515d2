// Replaces a world with a world document: checks all of it first, then rewrites every table at once.
import type { z } from 'zod'
import type { Db } from '../db/open.ts'
import { createClock } from './clock.ts'
import { MAX_ID_TIME_MS, roomId, roomPin, roomSecret, seededRandomInt, stableUuid } from './ids.ts'
import { worldDocumentSchema, type WorldDocument } from './schema.ts'
import { add, checkReferences } from './references.ts'
import type { WorldErrors } from './references.ts'
import { TABLE_COLUMNS, type TableName } from '../db/rows.ts'
import type { Bit, MessengerRow, Stamps, UserRow } from '../db/rows.ts'
import { userIdentity, type WorldRows } from './rows.ts'
import { formatTimestamp, parseTimestamp } from './time.ts'

export type { WorldErrors }

export type LoadResult = { ok: true } | { ok: false; errors: WorldErrors }

// ---------------------------------------------------------------------------------------------
// Shape errors: zod issues as Laravel messages.

function attribute(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'world' : path.map(String).join('.')
}

const TYPE_MESSAGES: Partial<Record<string, string>> = {
  string: 'The :attribute must be a string.',
  int: 'The :attribute must be an integer.',
  number: 'The :attribute must be a number.',
  boolean: 'The :attribute field must be true or false.',
  array: 'The :attribute must be an array.',
  object: 'The :attribute must be an object.',
}

function messageFor(issue: z.core.$ZodIssue): string {
  // Messages written in the schema already name the attribute.
  if (issue.message.includes(':attribute')) {
    return issue.message
  }
  const missing = issue.input === undefined
  switch (issue.code) {
    case 'invalid_type':
      if (missing) {
        return 'The :attribute field is required.'
      }
      return TYPE_MESSAGES[issue.expected] ?? 'The :attribute is invalid.'
    case 'invalid_value':
      return missing ? 'The :attribute field is required.' : 'The selected :attribute is invalid.'
    case 'too_small':
      if (issue.origin === 'string') {
        return issue.minimum === 1
          ? 'The :attribute field is required.'
          : `The :attribute must be at least ${issue.minimum} characters.`
      }
      return issue.origin === 'array'
        ? `The :attribute must have at least ${issue.minimum} items.`
        : `The :attribute must be at least ${issue.minimum}.`
    case 'too_big':
      if (issue.origin === 'string') {
        return `The :attribute may not be greater than ${issue.maximum} characters.`
      }
      return issue.origin === 'array'
        ? `The :attribute may not have more than ${issue.maximum} items.`
        : `The :attribute may not be greater than ${issue.maximum}.`
    case 'invalid_format':
      return issue.format === 'email'
        ? 'The :attribute must be a valid email address.'
        : 'The :attribute format is invalid.'
    case 'unrecognized_keys':
    case 'not_multiple_of':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
      return 'The :attribute is invalid.'
  }
}

/** The zod issues of a world document as Laravel's `errors` object. */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[]): WorldErrors {
  const errors: WorldErrors = {}
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const name = attribute([...issue.path, key])
        add(errors, name, `The ${name} field is not allowed.`)
      }
      continue
    }
    const name = attribute(issue.path)
    add(errors, name, messageFor(issue).replaceAll(':attribute', name))
  }
  return errors
}

// ---------------------------------------------------------------------------------------------
// Rows: the document with everything it leaves out filled in.

const bit = (value: boolean): Bit => (value ? 1 : 0)

function stamps(
  entry: { created_at?: string | undefined; updated_at?: string | undefined },
  now: string
): Stamps {
  const created = entry.created_at ?? now
  return { created_at: created, updated_at: entry.updated_at ?? created }
}

/** An id for a row the document gave none, stable across loads of the same document. */
function derivedId(createdAt: string, seed: string): string {
  const ms = Math.min(Math.max(parseTimestamp(createdAt), 0), MAX_ID_TIME_MS)
  return stableUuid(ms, seed)
}

function toRows(world: WorldDocument, nowMs: number): WorldRows {
  const now = formatTimestamp(nowMs)
  const onlineUntil = formatTimestamp(nowMs + world.config.online_cache_lifetime * 60_000)
  const messengers: MessengerRow[] = []
  const users = world.users.map((user): UserRow => {
    if (user.settings !== null) {
      const settings = user.settings
      messengers.push({
        owner_id: user.id,
        message_popups: bit(settings.message_popups),
        message_sound: bit(settings.message_sound),
        call_ringtone_sound: bit(settings.call_ringtone_sound),
        notify_sound: bit(settings.notify_sound),
        dark_mode: bit(settings.dark_mode),
        online_status: settings.online_status,
        ...stamps(settings, now),
      })
    }
    const online = user.online_status
    return {
      ...userIdentity(user),
      ...stamps(user, now),
      online_kind: online === 0 ? null : online === 1 ? 'online' : 'away',
      online_until: online === 0 ? null : onlineUntil,
    }
  })
  return {
    users,
    messengers,
    avatars: world.avatars.map((avatar) => ({
      user_id: avatar.user_id,
      file: avatar.file,
      content_type: avatar.content_type,
      data: Buffer.from(avatar.data_base64, 'base64'),
      created_at: now,
    })),
    threads: world.threads.map((thread) => ({
      id: thread.id,
      type: thread.type,
      subject: thread.subject,
      image: thread.image,
      add_participants: bit(thread.add_participants),
      invitations: bit(thread.invitations),
      calling: bit(thread.calling),
      messaging: bit(thread.messaging),
      knocks: bit(thread.knocks),
      lockout: bit(thread.lockout),
      ...stamps(thread, now),
      deleted_at: thread.deleted_at,
    })),
    participants: world.participants.map((participant, i) => {
      const times = stamps(participant, now)
      return {
        id:
          participant.id ??
          derivedId(
            times.created_at,
            `participant:${i}:${participant.thread_id}:${participant.user_id}`
          ),
        thread_id: participant.thread_id,
        owner_id: participant.user_id,
        admin: bit(participant.admin),
        pending: bit(participant.pending),
        start_calls: bit(participant.start_calls),
        send_knocks: bit(participant.send_knocks),
        send_messages: bit(participant.send_messages),
        add_participants: bit(participant.add_participants),
        manage_invites: bit(participant.manage_invites),
        muted: bit(participant.muted),
        last_read: participant.last_read,
        ...times,
        deleted_at: participant.deleted_at,
      }
    }),
    friendPairs: world.friends.map((friend) => {
      const times = stamps(friend, now)
      const inverseId = friend.inverse_id ?? derivedId(times.created_at, `friend:${friend.id}`)
      return [
        { id: friend.id, owner_id: friend.user_id, party_id: friend.friend_id, ...times },
        { id: inverseId, owner_id: friend.friend_id, party_id: friend.user_id, ...times },
      ]
    }),
    friendRequests: world.friend_requests.map((request) => ({
      id: request.id,
      sender_id: request.sender_id,
      recipient_id: request.recipient_id,
      ...stamps(request, now),
    })),
    calls: world.calls.map((call) => {
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
        ...stamps(call, now),
      }
    }),
    callParticipants: world.call_participants.map((participant) => ({
      id: participant.id,
      call_id: participant.call_id,
      owner_id: participant.user_id,
      kicked: bit(participant.kicked),
      left_call: participant.left_call,
      // As if everyone in a call had just sent a call heartbeat.
      last_seen: participant.left_call ?? now,
      ...stamps(participant, now),
    })),
    invites: world.invites.map((invite) => ({
      id: invite.id,
      thread_id: invite.thread_id,
      owner_id: invite.owner_id,
      code: invite.code,
      max_use: invite.max_use,
      uses: invite.uses,
      expires_at: invite.expires_at,
      ...stamps(invite, now),
      deleted_at: invite.deleted_at,
    })),
    config: JSON.stringify(world.config),
    clock: world.clock.frozen
      ? { offsetMs: 0, frozenAtMs: nowMs }
      : { offsetMs: nowMs - Date.now(), frozenAtMs: null },
  }
}

// ---------------------------------------------------------------------------------------------
// Writing: one transaction that empties every table and inserts the new rows.

// Children before parents, so foreign keys hold at every step.
const TABLES_CHILDREN_FIRST = [
  'call_participants',
  'calls',
  'invites',
  'participants',
  'friends',
  'friend_requests',
  'avatars',
  'messengers',
  'threads',
  'users',
  'world_config',
  'world_clock',
] as const

function prepareWriter(db: Db): (rows: WorldRows) => void {
  const deletes = TABLES_CHILDREN_FIRST.map((table) => db.prepare(`DELETE FROM ${table}`))
  /** An INSERT of every column of `table` (but `skipped`) from the row's named values. */
  const insert = (table: TableName, skipped: readonly string[] = []) => {
    const names = TABLE_COLUMNS[table].filter((name) => !skipped.includes(name))
    return db.prepare<[object]>(
      `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((c) => `@${c}`).join(', ')})`
    )
  }
  const users = insert('users')
  const messengers = insert('messengers')
  const avatars = insert('avatars')
  // The lockout is runtime state that a document never sets.
  const threads = insert('threads', ['call_lockout_until'])
  const participants = insert('participants')
  const friends = insert('friends')
  const friendRequests = insert('friend_requests')
  const calls = insert('calls')
  const callParticipants = insert('call_participants')
  const invites = insert('invites')
  const config = db.prepare<[string]>('INSERT INTO world_config (id, config) VALUES (1, ?)')
  const clock = db.prepare<[number, number | null]>(
    'INSERT INTO world_clock (id, offset_ms, frozen_at_ms) VALUES (1, ?, ?)'
  )

  const insertAll = (statement: { run(row: object): unknown }, rows: readonly object[]): void => {
    for (const row of rows) {
      statement.run(row)
    }
  }
  const replace = db.transaction((rows: WorldRows) => {
    for (const statement of deletes) {
      statement.run()
    }
    insertAll(users, rows.users)
    insertAll(messengers, rows.messengers)
    insertAll(avatars, rows.avatars)
    insertAll(threads, rows.threads)
    insertAll(participants, rows.participants)
    insertAll(friends, rows.friendPairs.flat())
    insertAll(friendRequests, rows.friendRequests)
    insertAll(calls, rows.calls)
    insertAll(callParticipants, rows.callParticipants)
    insertAll(invites, rows.invites)
    config.run(rows.config)
    clock.run(rows.clock.offsetMs, rows.clock.frozenAtMs)
  })
  // IMMEDIATE takes the write lock up front, so the replacement never fails half-way on BUSY.
  return (rows) => {
    replace.immediate(rows)
  }
}

const writers = new WeakMap<Db, (rows: WorldRows) => void>()

function writerFor(db: Db): (rows: WorldRows) => void {
  let writer = writers.get(db)
  if (writer === undefined) {
    writer = prepareWriter(db)
    writers.set(db, writer)
  }
  return writer
}

/**
 * Replaces the whole world in `db` with `document` (unknown JSON). The document is checked first
 * (shape, then references); on any error nothing is written and the errors come back keyed by
 * dotted path, ready for a Laravel-style 422. Sets the world's clock from `document.clock`.
 */
export function loadWorld(db: Db, document: unknown): LoadResult {
  const parsed = worldDocumentSchema.safeParse(document, { reportInput: true })
  if (!parsed.success) {
    return { ok: false, errors: issuesToErrors(parsed.error.issues) }
  }
  const world = parsed.data
  const nowMs = world.clock.now === undefined ? Date.now() : parseTimestamp(world.clock.now)
  const rows = toRows(world, nowMs)
  const errors = checkReferences(rows)
  if (Object.keys(errors).length > 0) {
    return { ok: false, errors }
  }
  writerFor(db)(rows)
  createClock(db).reload()
  return { ok: true }
}
