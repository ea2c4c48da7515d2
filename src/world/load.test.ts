// Tests for loadWorld: shape and referential errors, defaults, and the all-or-nothing replacement.
import { describe, expect, it } from 'vitest'
import { IDS } from '../testing/ids.ts'
import { migrate } from '../db/migrate.ts'
import { openDb, type Db } from '../db/open.ts'
import { createClock } from './clock.ts'
import { readDefaultWorld } from './default-world.ts'
import { exportWorld } from './export.ts'
import { loadWorld } from './load.ts'
import type { WorldDocument } from './schema.ts'

const NEW_ID = '99999999-0000-4000-8000-000000000001'
const OTHER_ID = '99999999-0000-4000-8000-000000000002'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
const NOW = '2020-12-08T06:25:00.000000Z'

function migrated(): Db {
  const db = openDb(':memory:')
  migrate(db)
  return db
}

/** The default world with a frozen clock, so two exports of it compare exactly. */
function frozenDefault(): WorldDocument {
  const doc = readDefaultWorld()
  doc.clock = { now: NOW, frozen: true }
  return doc
}

function item<T>(list: readonly T[], index: number): T {
  const found = list[index]
  if (found === undefined) {
    throw new Error(`No item ${index}`)
  }
  return found
}

function loaded(doc: unknown = frozenDefault()): Db {
  const db = migrated()
  expect(loadWorld(db, doc)).toEqual({ ok: true })
  return db
}

type Mutation = (doc: WorldDocument) => void

const allFalse = <F extends string>(...flags: F[]) =>
  Object.fromEntries(flags.map((flag) => [flag, false])) as Record<F, false>

/** What a participant entry that leaves its flags out gets: the backend's column defaults. */
const PARTICIPANT_DEFAULTS = {
  ...allFalse('admin', 'pending', 'start_calls', 'send_knocks', 'add_participants'),
  ...allFalse('manage_invites', 'muted'),
  send_messages: true,
  last_read: null,
}

const participant = (thread_id: string, user_id: string) => ({
  thread_id,
  user_id,
  ...PARTICIPANT_DEFAULTS,
  deleted_at: null,
})

const rules: [string, Mutation, string, string][] = [
  [
    'a repeated user id',
    (doc) => doc.users.push({ ...item(doc.users, 0), token: 'x', email: 'x@example.net' }),
    'users.3.id',
    'The users.3.id has already been taken.',
  ],
  [
    'a repeated token',
    (doc) => (item(doc.users, 1).token = 'john'),
    'users.1.token',
    'The users.1.token has already been taken.',
  ],
  [
    'an e-mail repeated in other case',
    (doc) => (item(doc.users, 2).email = 'JOHN@example.net'),
    'users.2.email',
    'The users.2.email has already been taken.',
  ],
  [
    'a repeated thread id',
    (doc) => doc.threads.push({ ...item(doc.threads, 1) }),
    'threads.3.id',
    'The threads.3.id has already been taken.',
  ],
  [
    'a group thread without a subject',
    (doc) => (item(doc.threads, 1).subject = null),
    'threads.1.subject',
    'The threads.1.subject field is required when threads.1.type is 2.',
  ],
  [
    'a participant of an unknown thread',
    (doc) => doc.participants.push(participant(UNKNOWN, IDS.jairo)),
    'participants.6.thread_id',
    'The participants.6.thread_id does not match any thread.',
  ],
  [
    'a participant who is no user',
    (doc) => doc.participants.push(participant(IDS.testParty, UNKNOWN)),
    'participants.6.user_id',
    'The participants.6.user_id does not match any user.',
  ],
  [
    'a user twice a participant of a thread',
    (doc) => doc.participants.push(participant(IDS.testParty, IDS.jane)),
    'participants.6.user_id',
    'The participants.6.user_id is already a participant of that thread.',
  ],
  [
    'a private thread with three participants',
    (doc) => doc.participants.push(participant(IDS.johnJairo, IDS.jane)),
    'threads.2',
    'The private thread threads.2 must have exactly 2 participants; it has 3.',
  ],
  [
    'a private thread with one participant',
    (doc) => {
      doc.participants = doc.participants.filter(
        (p) => !(p.thread_id === IDS.johnJairo && p.user_id === IDS.jairo)
      )
    },
    'threads.2',
    'The private thread threads.2 must have exactly 2 participants; it has 1.',
  ],
  [
    'a friendship with an unknown user',
    (doc) => doc.friends.push({ id: NEW_ID, user_id: IDS.john, friend_id: UNKNOWN }),
    'friends.1.friend_id',
    'The friends.1.friend_id does not match any user.',
  ],
  [
    'a friendship with oneself',
    (doc) => doc.friends.push({ id: NEW_ID, user_id: IDS.jane, friend_id: IDS.jane }),
    'friends.1.friend_id',
    'The friends.1.friend_id and friends.1.user_id must be different.',
  ],
  [
    'a friendship listed twice (the other way round)',
    (doc) => doc.friends.push({ id: NEW_ID, user_id: IDS.jairo, friend_id: IDS.john }),
    'friends.1.friend_id',
    'The friends.1.friend_id is already a friend of that user.',
  ],
  [
    'an inverse_id that is already a friend row id',
    (doc) =>
      doc.friends.push({
        id: NEW_ID,
        user_id: IDS.jane,
        friend_id: IDS.jairo,
        inverse_id: IDS.johnJairoFriendship,
      }),
    'friends.1.inverse_id',
    'The friends.1.inverse_id has already been taken.',
  ],
  [
    'a friend request between friends',
    (doc) => doc.friend_requests.push({ id: NEW_ID, sender_id: IDS.jairo, recipient_id: IDS.john }),
    'friend_requests.0.recipient_id',
    'The friend_requests.0.recipient_id is already a friend of that sender.',
  ],
  [
    'a friend request repeated the other way round',
    (doc) => {
      doc.friend_requests.push({ id: NEW_ID, sender_id: IDS.jane, recipient_id: IDS.john })
      doc.friend_requests.push({ id: OTHER_ID, sender_id: IDS.john, recipient_id: IDS.jane })
    },
    'friend_requests.1.recipient_id',
    'The friend_requests.1.recipient_id already has a friend request with that sender.',
  ],
  [
    'a call in an unknown thread',
    (doc) => doc.calls.push({ ...item(doc.calls, 0), id: NEW_ID, thread_id: UNKNOWN }),
    'calls.1.thread_id',
    'The calls.1.thread_id does not match any thread.',
  ],
  [
    'a call owned by no user',
    (doc) => (item(doc.calls, 0).owner_id = UNKNOWN),
    'calls.0.owner_id',
    'The calls.0.owner_id does not match any user.',
  ],
  [
    'a second active call in a thread',
    (doc) => doc.calls.push({ ...item(doc.calls, 0), id: NEW_ID }),
    'calls.1.call_ended',
    'The calls.1.call_ended field is required: calls.0 is already the active call of that thread.',
  ],
  [
    'a call participant of an unknown call',
    (doc) =>
      doc.call_participants.push({
        ...item(doc.call_participants, 0),
        id: NEW_ID,
        call_id: UNKNOWN,
      }),
    'call_participants.1.call_id',
    'The call_participants.1.call_id does not match any call.',
  ],
  [
    "a call participant outside the call's thread",
    (doc) =>
      doc.call_participants.push({
        ...item(doc.call_participants, 0),
        id: NEW_ID,
        user_id: IDS.jairo,
      }),
    'call_participants.1.user_id',
    "The call_participants.1.user_id is not a participant of the call's thread.",
  ],
  [
    'a user twice in one call',
    (doc) => doc.call_participants.push({ ...item(doc.call_participants, 0), id: NEW_ID }),
    'call_participants.1.user_id',
    'The call_participants.1.user_id is already in that call.',
  ],
  [
    'a repeated invite code',
    (doc) => doc.invites.push({ ...item(doc.invites, 0), id: NEW_ID }),
    'invites.2.code',
    'The invites.2.code has already been taken.',
  ],
  [
    'a repeated invite id',
    (doc) => doc.invites.push({ ...item(doc.invites, 0), code: 'NEWCODE1' }),
    'invites.2.id',
    'The invites.2.id has already been taken.',
  ],
  [
    'an invite of an unknown thread',
    (doc) =>
      doc.invites.push({
        ...item(doc.invites, 0),
        id: NEW_ID,
        code: 'NEWCODE1',
        thread_id: UNKNOWN,
      }),
    'invites.2.thread_id',
    'The invites.2.thread_id does not match any thread.',
  ],
  [
    'an avatar of an unknown user',
    (doc) => doc.avatars.push({ ...item(doc.avatars, 0), user_id: UNKNOWN }),
    'avatars.1.user_id',
    'The avatars.1.user_id does not match any user.',
  ],
  [
    "an avatar that is not the user's avatar",
    (doc) => (item(doc.avatars, 0).file = 'img_other.jpg'),
    'avatars.0.file',
    "The avatars.0.file does not match the user's avatar.",
  ],
]

describe('loadWorld referential rules', () => {
  it.each(rules)('rejects %s and keeps the previous world', (_name, mutate, key, message) => {
    const db = loaded()
    const before = exportWorld(db)
    const doc = frozenDefault()
    mutate(doc)
    const result = loadWorld(db, doc)
    expect(result.ok).toBe(false)
    expect(result.ok ? {} : result.errors[key]).toContain(message)
    expect(exportWorld(db)).toEqual(before)
  })

  it('accepts a user who left a thread and joined again', () => {
    const doc = frozenDefault()
    doc.participants.push({
      ...participant(IDS.testParty, IDS.jane),
      deleted_at: '2020-12-08T04:29:30Z',
    })
    expect(loadWorld(migrated(), doc)).toEqual({ ok: true })
  })

  it('accepts ended calls beside the active one, with people who left the thread since', () => {
    const doc = frozenDefault()
    doc.participants.push({
      ...participant(IDS.testParty, IDS.jairo),
      deleted_at: '2020-12-08T05:00:00Z',
    })
    doc.calls.push({
      ...item(doc.calls, 0),
      id: NEW_ID,
      thread_id: IDS.testParty,
      owner_id: IDS.john,
      call_ended: '2020-12-08T04:59:00Z',
    })
    doc.call_participants.push({
      ...item(doc.call_participants, 0),
      id: OTHER_ID,
      call_id: NEW_ID,
      user_id: IDS.jairo,
    })
    expect(loadWorld(migrated(), doc)).toEqual({ ok: true })
  })
})

describe('loadWorld shape errors', () => {
  it.each([
    ['a document that is not an object', [], 'world', 'The world must be an object.'],
    ['a document without users', {}, 'users', 'The users field is required.'],
    [
      'an unknown field',
      { users: [{ id: IDS.john, name: 'J', email: 'j@example.net', token: 't', nickname: 'x' }] },
      'users.0.nickname',
      'The users.0.nickname field is not allowed.',
    ],
    [
      'an id that is no UUID',
      { users: [{ id: 'john', name: 'J', email: 'j@example.net', token: 't' }] },
      'users.0.id',
      'The users.0.id must be a valid UUID.',
    ],
    [
      'a flag that is not a boolean',
      { users: [], threads: [{ id: IDS.testParty, type: 2, subject: 'P', calling: 1 }] },
      'threads.0.calling',
      'The threads.0.calling field must be true or false.',
    ],
    [
      'an unknown thread type',
      { users: [], threads: [{ id: IDS.testParty, type: 3 }] },
      'threads.0.type',
      'The selected threads.0.type is invalid.',
    ],
    [
      'a bad timestamp',
      {
        users: [
          { id: IDS.john, name: 'J', email: 'j@example.net', token: 't', created_at: 'today' },
        ],
      },
      'users.0.created_at',
      'The users.0.created_at is not a valid date-time.',
    ],
    [
      'a lowercase invite code',
      {
        users: [],
        invites: [{ id: NEW_ID, thread_id: IDS.testParty, owner_id: IDS.john, code: 'zajor26j' }],
      },
      'invites.0.code',
      'The invites.0.code must be 8 uppercase letters or digits.',
    ],
    [
      'an invite used by more than 100',
      {
        users: [],
        invites: [
          {
            id: NEW_ID,
            thread_id: IDS.testParty,
            owner_id: IDS.john,
            code: 'ZAJOR26J',
            max_use: 101,
          },
        ],
      },
      'invites.0.max_use',
      'The invites.0.max_use may not be greater than 100.',
    ],
  ])('reports %s', (_name, doc, key, message) => {
    const db = loaded()
    const before = exportWorld(db)
    const result = loadWorld(db, doc)
    expect(result.ok).toBe(false)
    expect(result.ok ? {} : result.errors[key]).toEqual([message])
    expect(exportWorld(db)).toEqual(before)
  })
})

describe('loadWorld', () => {
  it('replaces the whole world', () => {
    const db = loaded()
    expect(
      loadWorld(db, {
        clock: { now: NOW, frozen: true },
        users: [{ id: IDS.jane, name: 'Jane Doe', email: 'jane@example.net', token: 'jane' }],
      })
    ).toEqual({ ok: true })
    const world = exportWorld(db)
    expect(world.users.map((u) => u.name)).toEqual(['Jane Doe'])
    expect([world.threads, world.participants, world.calls, world.invites, world.avatars]).toEqual([
      [],
      [],
      [],
      [],
      [],
    ])
  })

  it('leaves the world whole when writing fails half-way', () => {
    const db = loaded()
    const before = exportWorld(db)
    db.exec(
      "CREATE TRIGGER fail_on_invite BEFORE INSERT ON invites BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
    )
    const doc = frozenDefault()
    doc.clock = { now: '2021-01-01T00:00:00Z', frozen: true }
    expect(() => loadWorld(db, doc)).toThrow(/disk trouble/)
    expect(exportWorld(db)).toEqual(before)
    expect(createClock(db).now()).toBe(NOW)
  })

  it('fills in what a document leaves out with the backend defaults', () => {
    const db = loaded({
      clock: { now: NOW, frozen: true },
      users: [
        { id: IDS.john, name: 'John Doe', email: 'john@example.net', token: 'john' },
        { id: IDS.jane, name: 'Jane Doe', email: 'jane@example.net', token: 'jane', settings: {} },
      ],
      threads: [{ id: IDS.johnJane, type: 1 }],
      participants: [
        { thread_id: IDS.johnJane, user_id: IDS.john },
        { thread_id: IDS.johnJane, user_id: IDS.jane },
      ],
      calls: [{ id: IDS.janesCall, thread_id: IDS.johnJane, owner_id: IDS.jane }],
      invites: [{ id: NEW_ID, thread_id: IDS.johnJane, owner_id: IDS.john, code: 'ZAJOR26J' }],
    })
    const world = exportWorld(db)
    expect(world.config.thread_invites_max).toBe(3)
    expect(item(world.users, 0)).toMatchObject({
      settings: null,
      online_status: 0,
      avatar: null,
      email_verified_at: null,
      created_at: NOW,
      updated_at: NOW,
    })
    expect(item(world.users, 1).settings).toEqual({
      message_popups: true,
      message_sound: true,
      call_ringtone_sound: true,
      notify_sound: true,
      dark_mode: true,
      online_status: 1,
      created_at: NOW,
      updated_at: NOW,
    })
    expect(item(world.threads, 0)).toMatchObject({
      subject: null,
      image: null,
      calling: true,
      invitations: false,
      add_participants: false,
      messaging: true,
      knocks: true,
      lockout: false,
      deleted_at: null,
    })
    expect(item(world.participants, 0)).toMatchObject(PARTICIPANT_DEFAULTS)
    expect(item(world.calls, 0)).toMatchObject({
      type: 1,
      setup_complete: true,
      call_ended: null,
      payload: null,
    })
    expect(String(item(world.calls, 0).room_id)).toMatch(/^\d{16}$/)
    expect(item(world.calls, 0).room_pin).toMatch(/^[A-Za-z0-9]{6}$/)
    expect(item(world.invites, 0)).toMatchObject({
      max_use: 0,
      uses: 0,
      expires_at: null,
      deleted_at: null,
    })
  })

  it('derives the same ids and rooms each time the same document is loaded', () => {
    const doc = {
      clock: { now: NOW, frozen: true },
      users: [
        { id: IDS.john, name: 'John Doe', email: 'john@example.net', token: 'john' },
        { id: IDS.jairo, name: 'Jairo', email: 'jairo@example.net', token: 'jairo' },
      ],
      threads: [{ id: IDS.johnJairo, type: 1 }],
      participants: [
        { thread_id: IDS.johnJairo, user_id: IDS.john },
        { thread_id: IDS.johnJairo, user_id: IDS.jairo },
      ],
      friends: [{ id: IDS.johnJairoFriendship, user_id: IDS.john, friend_id: IDS.jairo }],
      calls: [{ id: IDS.janesCall, thread_id: IDS.johnJairo, owner_id: IDS.john }],
    }
    const first = exportWorld(loaded(doc))
    expect(exportWorld(loaded(doc))).toEqual(first)
    expect(new Set(first.participants.map((p) => p.id)).size).toBe(2)
    expect(item(first.friends, 0).inverse_id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('stores timestamps in the API format and ids in lowercase', () => {
    const db = loaded({
      clock: { now: '2020-12-08T07:25:00+01:00', frozen: true },
      users: [
        {
          id: IDS.john.toUpperCase(),
          name: 'John Doe',
          email: 'john@example.net',
          token: 'john',
          created_at: '2020-12-07T02:57:14.5-05:00',
        },
      ],
    })
    expect(db.prepare('SELECT id, created_at, updated_at FROM users').get()).toEqual({
      id: IDS.john,
      created_at: '2020-12-07T07:57:14.000000Z',
      updated_at: '2020-12-07T07:57:14.000000Z',
    })
    expect(createClock(db).state()).toEqual({ now: NOW, frozen: true })
  })

  it('turns online_status into a cache entry lasting online_cache_lifetime minutes', () => {
    const db = loaded({
      clock: { now: NOW, frozen: true },
      config: { online_cache_lifetime: 10 },
      users: [
        { id: IDS.john, name: 'John', email: 'john@example.net', token: 'john', online_status: 1 },
        { id: IDS.jane, name: 'Jane', email: 'jane@example.net', token: 'jane', online_status: 2 },
        { id: IDS.jairo, name: 'Jairo', email: 'jairo@example.net', token: 'jairo' },
      ],
    })
    expect(db.prepare('SELECT online_kind, online_until FROM users ORDER BY id').all()).toEqual([
      { online_kind: 'online', online_until: '2020-12-08T06:35:00.000000Z' },
      { online_kind: 'away', online_until: '2020-12-08T06:35:00.000000Z' },
      { online_kind: null, online_until: null },
    ])
  })

  it('sets a clock that follows real time when the document does not freeze it', () => {
    const db = loaded({ clock: { now: NOW }, users: [] })
    const clock = createClock(db)
    expect(clock.state().frozen).toBe(false)
    expect(Math.abs(clock.nowMs() - Date.parse(NOW))).toBeLessThan(2000)
  })
})
