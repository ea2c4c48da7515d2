// Tests for matchExample, capture and substitute, on documented bodies copied from the seeds.
import { describe, expect, it } from 'vitest'
import { capture, formatPath, matchExample, parsePath, substitute } from './match.ts'
import type { Matcher, MatchOptions } from './match.ts'

const JOHN_AVATAR = 'user/922f8476-bdda-4ebd-b283-be23602c658d/SIZE/img_5fcee7c1e64404.55920965.jpg'
const JAIRO_AVATAR = 'user/922f8476-dfb5-45d5-8a76-ab6422e10e5d/SIZE/default.png'

/** The sm/md/lg URLs of an avatar path below `prefix` (SIZE stands for the size). */
const sizes = (prefix: string, path: string) =>
  Object.fromEntries(['sm', 'md', 'lg'].map((size) => [size, prefix + path.replace('SIZE', size)]))

/** John as the owner of a documented call, his base row last updated at `updatedAt`. */
const johnOwner = (updatedAt: string) => ({
  name: 'John Doe',
  route: null,
  provider_id: '922f8476-bdda-4ebd-b283-be23602c658d',
  provider_alias: 'user',
  base: {
    id: '922f8476-bdda-4ebd-b283-be23602c658d',
    name: 'John Doe',
    avatar: 'img_5fcee7c1e64404.55920965.jpg',
    created_at: '2020-12-07T07:57:14.000000Z',
    updated_at: updatedAt,
  },
  api_avatar: sizes('/api/messenger/images/', JOHN_AVATAR),
  avatar: sizes('/images/', JOHN_AVATAR),
})

/** The meta of a documented call in John and Jairo's private thread, as John sees it. */
const johnJairoMeta = () => ({
  thread_id: '92316158-d218-4b23-b90b-a708fb354685',
  thread_type: 1,
  thread_type_verbose: 'PRIVATE',
  thread_name: "Jairo O'Kon I",
  api_thread_avatar: sizes('/api/messenger/images/', JAIRO_AVATAR),
  thread_avatar: sizes('/images/', JAIRO_AVATAR),
})

// Documented: GET /api/messenger/threads/{thread}/calls/{call} (api.messenger.threads.calls.show)
/** The documented options of a call John set up and is in, with its room. */
const adminInCall = (room_id: number, room_pin: string) => ({
  admin: true,
  setup_complete: true,
  in_call: true,
  left_call: false,
  joined: true,
  kicked: false,
  room_id,
  room_pin,
  payload: null,
})

export const CALL_SHOW = {
  id: '9231616a-43ad-4232-ba58-0d79f0b89871',
  active: true,
  type: 1,
  type_verbose: 'VIDEO',
  thread_id: '92316158-d218-4b23-b90b-a708fb354685',
  created_at: '2020-12-08T06:10:54.000000Z',
  updated_at: '2020-12-08T06:10:55.000000Z',
  owner_id: '922f8476-bdda-4ebd-b283-be23602c658d',
  owner_type: 'App\\Models\\User',
  owner: johnOwner('2020-12-08T06:15:40.000000Z'),
  meta: johnJairoMeta(),
  options: adminInCall(4883964242392592, 'k5dBub'),
}

// Documented: GET /api/messenger/threads/{thread}/calls (api.messenger.threads.calls.index)
export const CALLS_INDEX = {
  data: [
    {
      id: '9231648d-80d8-4ccb-94cc-146401610a45',
      active: true,
      type: 1,
      type_verbose: 'VIDEO',
      thread_id: '92316158-d218-4b23-b90b-a708fb354685',
      created_at: '2020-12-08T06:19:40.000000Z',
      updated_at: '2020-12-08T06:19:40.000000Z',
      owner_id: '922f8476-bdda-4ebd-b283-be23602c658d',
      owner_type: 'App\\Models\\User',
      owner: johnOwner('2020-12-08T06:19:08.000000Z'),
      meta: johnJairoMeta(),
      options: adminInCall(2090903900742574, '31aP4O'),
    },
    {
      id: '9231616a-43ad-4232-ba58-0d79f0b89871',
      active: false,
      type: 1,
      type_verbose: 'VIDEO',
      thread_id: '92316158-d218-4b23-b90b-a708fb354685',
      created_at: '2020-12-08T06:10:54.000000Z',
      updated_at: '2020-12-08T06:18:36.000000Z',
      owner_id: '922f8476-bdda-4ebd-b283-be23602c658d',
      owner_type: 'App\\Models\\User',
      owner: johnOwner('2020-12-08T06:19:08.000000Z'),
      meta: johnJairoMeta(),
    },
  ],
  meta: {
    index: true,
    page_id: null,
    next_page_id: null,
    next_page_route: null,
    final_page: true,
    per_page: 25,
    results: 2,
    total: 2,
  },
}

// Documented: GET /api/messenger/join/{invite:code} (api.messenger.invites.join)
export const INVITE_JOIN = {
  options: {
    messenger_auth: true,
    in_thread: false,
    thread_name: 'Test Party!',
    is_valid: true,
  },
  route: 'http://localhost:8000/messenger/join/ZAJOR26J',
  id: '92315b42-d57e-461a-91fb-e5eb9f1f2ca9',
  thread_id: '92313cf7-b356-4d74-944c-c799fcfc3b1e',
  owner_type: 'App\\Models\\User',
  owner_id: '922f8476-bdda-4ebd-b283-be23602c658d',
  code: 'ZAJOR26J',
  max_use: 0,
  uses: 0,
  expires_at: null,
  created_at: '2020-12-08T05:53:41.000000Z',
  updated_at: '2020-12-08T05:53:41.000000Z',
  deleted_at: null,
}

const CALL_ID = '9231616a-43ad-4232-ba58-0d79f0b89871'
const THREAD_ID = '92316158-d218-4b23-b90b-a708fb354685'
const JOHN_ID = '922f8476-bdda-4ebd-b283-be23602c658d'
const JAIRO_ID = '922f8476-dfb5-45d5-8a76-ab6422e10e5d'

// Ids as this run's target would have generated them.
const RUN_CALL_ID = '0f2b7c1e-5d4a-4c3b-9e8f-1a2b3c4d5e6f'
const RUN_THREAD_ID = '1e3c8d2f-6e5b-4d4c-8f9a-2b3c4d5e6f70'
const RUN_JOHN_ID = '2d4e9f3a-7f6c-4e5d-9a0b-3c4d5e6f7081'
const RUN_JAIRO_ID = '3c5f0a4b-8a7d-4f6e-8b1c-4d5e6f708192'

const RUN_VARS: ReadonlyMap<string, string> = new Map([
  [CALL_ID, RUN_CALL_ID],
  [THREAD_ID, RUN_THREAD_ID],
  [JOHN_ID, RUN_JOHN_ID],
  [JAIRO_ID, RUN_JAIRO_ID],
])

const NO_VARS: MatchOptions = { vars: new Map() }

function copy(value: unknown): unknown {
  return structuredClone(value)
}

/** The container holding the value at a path, and the value's key in it. */
function locate(
  body: unknown,
  path: string
): [Record<string, unknown> | unknown[], string | number] {
  const segments = parsePath(path)
  const last = segments.pop()
  const parent = capture(body, segments.length === 0 ? '$' : formatPath(segments))
  if (last === undefined || typeof parent !== 'object' || parent === null) {
    throw new Error(`no container for ${path}`)
  }
  if (last.kind === 'wildcard') {
    throw new Error('no wildcards here')
  }
  return [
    parent as Record<string, unknown> | unknown[],
    last.kind === 'key' ? last.key : last.index,
  ]
}

function setAt(body: unknown, path: string, value: unknown): unknown {
  const [parent, key] = locate(body, path)
  if (Array.isArray(parent)) {
    parent[Number(key)] = value
  } else {
    parent[String(key)] = value
  }
  return body
}

function deleteAt(body: unknown, path: string): unknown {
  const [parent, key] = locate(body, path)
  if (Array.isArray(parent)) {
    parent.splice(Number(key), 1)
  } else {
    Reflect.deleteProperty(parent, String(key))
  }
  return body
}

/** The body as a target with other ids would answer: each documented literal replaced. */
function regenerate(body: unknown, replacements: ReadonlyMap<string, string>): unknown {
  return substitute(body, replacements)
}

/** A different, well-formed timestamp and video room for every generated value. */
function freshTimestampsAndRooms(body: unknown): unknown {
  const text = JSON.stringify(body)
    .replace(/2020-12-0(\d)T(\d\d):(\d\d):(\d\d)\.000000Z/g, '2031-01-1$1T$2:$4:$3.000000Z')
    .replace(/"room_id":\d+/g, '"room_id":1234567890123456')
    .replace(/"room_pin":"[^"]*"/g, '"room_pin":"Zz9Yy8"')
  return JSON.parse(text) as unknown
}

describe('matchExample on the documented GET call show', () => {
  it('passes the documented body unchanged', () => {
    expect(matchExample(CALL_SHOW, copy(CALL_SHOW), NO_VARS)).toEqual([])
  })

  it('passes a body with other generated ids, timestamps and room when the ids are vars', () => {
    const actual = freshTimestampsAndRooms(regenerate(copy(CALL_SHOW), RUN_VARS))
    expect(JSON.stringify(actual)).not.toContain('2020-12-08')
    expect(JSON.stringify(actual)).not.toContain(JOHN_ID)
    expect(matchExample(CALL_SHOW, actual, { vars: RUN_VARS })).toEqual([])
  })

  it('catches a dropped field', () => {
    const actual = deleteAt(copy(CALL_SHOW), '$.options.room_pin')
    expect(matchExample(CALL_SHOW, actual, NO_VARS)).toEqual([
      {
        check: 'example',
        path: '$.options.room_pin',
        message: 'missing key "room_pin"',
        expected: 'k5dBub',
      },
    ])
  })

  it('catches an extra field, unless extra keys are allowed', () => {
    const actual = setAt(copy(CALL_SHOW), '$.owner.base.email', 'john@example.net')
    expect(matchExample(CALL_SHOW, actual, NO_VARS)).toEqual([
      {
        check: 'example',
        path: '$.owner.base.email',
        message: 'unexpected key "email"',
        actual: 'john@example.net',
      },
    ])
    expect(matchExample(CALL_SHOW, actual, { ...NO_VARS, allowExtraKeys: true })).toEqual([])
  })

  it.each([
    [
      'a changed name',
      '$.owner.name',
      'Jane Doe',
      'expected "John Doe", got "Jane Doe"',
      'John Doe',
    ],
    ['a flipped boolean flag', '$.options.admin', false, 'expected true, got false', true],
    ['a malformed uuid', '$.id', 'abc', 'expected a UUID, got "abc"', CALL_ID],
    [
      'a malformed timestamp',
      '$.owner.base.created_at',
      '2020-12-08 06:10:54',
      'expected a timestamp like 2020-12-07T07:57:14.000000Z, got "2020-12-08 06:10:54"',
      '2020-12-07T07:57:14.000000Z',
    ],
  ])('catches %s', (_, path, value, message, expected) => {
    const actual = setAt(copy(CALL_SHOW), path, value)
    expect(matchExample(CALL_SHOW, actual, NO_VARS)).toEqual([
      { check: 'example', path, message, expected, actual: value },
    ])
  })

  it('catches a number that became a string, and does not descend into a wrong type', () => {
    const actual = setAt(copy(CALL_SHOW), '$.type', '1')
    setAt(actual, '$.meta', 'PRIVATE')
    setAt(actual, '$.owner.name', 42)
    expect(matchExample(CALL_SHOW, actual, NO_VARS)).toEqual([
      {
        check: 'example',
        path: '$.type',
        message: 'expected number, got string',
        expected: 1,
        actual: '1',
      },
      expect.objectContaining({ path: '$.owner.name', message: 'expected string, got number' }),
      expect.objectContaining({ path: '$.meta', message: 'expected object, got string' }),
    ])
  })

  it.each([
    ['2020-12-08T06:10:54Z', 'no microseconds'],
    ['2020-12-08T06:10:54.123456Z', 'non-zero microseconds'],
    ['2020-12-08T06:10:54.000000+00:00', 'an offset instead of Z'],
    ['2020-13-08T06:10:54.000000Z', 'month 13'],
  ])('rejects the timestamp %s (%s)', (timestamp) => {
    const actual = setAt(copy(CALL_SHOW), '$.created_at', timestamp)
    expect(matchExample(CALL_SHOW, actual, NO_VARS).map((f) => f.path)).toEqual(['$.created_at'])
  })

  it('catches a captured id that differs from the actual one', () => {
    const otherId = '4b6a1c5d-9b8e-4a7f-8c2d-5e6f708192a3'
    const actual = setAt(regenerate(copy(CALL_SHOW), RUN_VARS), '$.id', otherId)
    expect(matchExample(CALL_SHOW, actual, { vars: RUN_VARS })).toEqual([
      {
        check: 'example',
        path: '$.id',
        message: `expected "${RUN_CALL_ID}", got "${otherId}"`,
        expected: RUN_CALL_ID,
        actual: otherId,
      },
    ])
  })

  it('substitutes vars inside strings, so a stale id in an avatar URL is caught', () => {
    const actual = regenerate(copy(CALL_SHOW), RUN_VARS)
    const documentedUrl = `/api/messenger/images/user/${JOHN_ID}/sm/img_5fcee7c1e64404.55920965.jpg`
    setAt(actual, '$.owner.api_avatar.sm', documentedUrl)
    expect(matchExample(CALL_SHOW, actual, { vars: RUN_VARS })).toEqual([
      expect.objectContaining({
        path: '$.owner.api_avatar.sm',
        expected: documentedUrl.replace(JOHN_ID, RUN_JOHN_ID),
        actual: documentedUrl,
      }),
    ])
  })

  it('accepts any integer room id but not a fraction or a string', () => {
    const fraction = setAt(copy(CALL_SHOW), '$.options.room_id', 4.5)
    const text = setAt(copy(CALL_SHOW), '$.options.room_id', '4883964242392592')
    expect(matchExample(CALL_SHOW, fraction, NO_VARS)).toEqual([
      expect.objectContaining({
        path: '$.options.room_id',
        message: 'expected an integer room id, got 4.5',
      }),
    ])
    expect(matchExample(CALL_SHOW, text, NO_VARS)).toEqual([
      expect.objectContaining({
        path: '$.options.room_id',
        message: 'expected number, got string',
      }),
    ])
  })

  it('accepts any six-character room pin but not another shape', () => {
    const ok = setAt(copy(CALL_SHOW), '$.options.room_pin', 'AAAAAA')
    const bad = setAt(copy(CALL_SHOW), '$.options.room_pin', 'k5d-ub')
    expect(matchExample(CALL_SHOW, ok, NO_VARS)).toEqual([])
    expect(matchExample(CALL_SHOW, bad, NO_VARS)).toEqual([
      expect.objectContaining({ path: '$.options.room_pin', actual: 'k5d-ub' }),
    ])
  })

  it('reports several differences in documented key order', () => {
    const actual = copy(CALL_SHOW)
    setAt(actual, '$.options.kicked', true)
    setAt(actual, '$.active', false)
    deleteAt(actual, '$.meta.thread_name')
    expect(matchExample(CALL_SHOW, actual, NO_VARS).map((f) => f.path)).toEqual([
      '$.active',
      '$.meta.thread_name',
      '$.options.kicked',
    ])
  })

  it('reports a root of the wrong type once', () => {
    expect(matchExample(CALL_SHOW, [CALL_SHOW], NO_VARS)).toEqual([
      {
        check: 'example',
        path: '$',
        message: 'expected object, got array',
        expected: CALL_SHOW,
        actual: [CALL_SHOW],
      },
    ])
  })
})

describe('matchExample on the documented calls index', () => {
  const vars: ReadonlyMap<string, string> = RUN_VARS

  it('passes with other generated ids and timestamps', () => {
    // The first call's id is not a var: it is generated and only its UUID shape is documented.
    const actual = freshTimestampsAndRooms(regenerate(copy(CALLS_INDEX), vars))
    setAt(actual, '$.data[0].id', '5c7b2d6e-0c9f-4b8a-9d3e-6f708192a3b4')
    expect(matchExample(CALLS_INDEX, actual, { vars })).toEqual([])
  })

  it('catches a missing item, and still compares the items both have', () => {
    const actual = regenerate(copy(CALLS_INDEX), vars)
    deleteAt(actual, '$.data[1]')
    setAt(actual, '$.data[0].type_verbose', 'AUDIO')
    expect(matchExample(CALLS_INDEX, actual, { vars })).toEqual([
      {
        check: 'example',
        path: '$.data',
        message: 'expected 2 items, got 1',
        expected: 2,
        actual: 1,
      },
      expect.objectContaining({
        path: '$.data[0].type_verbose',
        message: 'expected "VIDEO", got "AUDIO"',
      }),
    ])
  })

  it('catches an extra item', () => {
    const actual = regenerate(copy(CALLS_INDEX), vars)
    const data = capture(actual, '$.data')
    if (!Array.isArray(data)) {
      throw new Error('data is not an array')
    }
    data.push(structuredClone(data[0]))
    expect(matchExample(CALLS_INDEX, actual, { vars })).toEqual([
      expect.objectContaining({ path: '$.data', message: 'expected 2 items, got 3' }),
    ])
  })

  it('catches a changed message-like value and a wrong captured id inside an item', () => {
    const actual = regenerate(copy(CALLS_INDEX), vars)
    setAt(actual, '$.data[1].id', RUN_THREAD_ID)
    setAt(actual, '$.meta.final_page', false)
    expect(matchExample(CALLS_INDEX, actual, { vars })).toEqual([
      expect.objectContaining({ path: '$.data[1].id', expected: RUN_CALL_ID }),
      expect.objectContaining({ path: '$.meta.final_page', message: 'expected true, got false' }),
    ])
  })

  it('catches an item that grew an options object the documentation does not show', () => {
    const actual = regenerate(copy(CALLS_INDEX), vars)
    setAt(actual, '$.data[1].options', { admin: false })
    expect(matchExample(CALLS_INDEX, actual, { vars })).toEqual([
      expect.objectContaining({ path: '$.data[1].options', message: 'unexpected key "options"' }),
    ])
  })
})

describe('matchExample on small documented bodies', () => {
  it('catches a changed message', () => {
    expect(matchExample({ message: 'success' }, { message: 'failed' }, NO_VARS)).toEqual([
      {
        check: 'example',
        path: '$.message',
        message: 'expected "success", got "failed"',
        expected: 'success',
        actual: 'failed',
      },
    ])
  })

  it('substitutes the base URL and a captured code inside the invite route', () => {
    const vars = new Map([
      ['http://localhost:8000', 'http://127.0.0.1:4010'],
      ['ZAJOR26J', 'Q1W2E3R4'],
    ])
    const actual = substitute(copy(INVITE_JOIN), vars)
    expect(capture(actual, '$.route')).toBe('http://127.0.0.1:4010/messenger/join/Q1W2E3R4')
    expect(matchExample(INVITE_JOIN, actual, { vars })).toEqual([])
    setAt(actual, '$.route', 'http://127.0.0.1:4010/messenger/join/ZAJOR26J')
    expect(matchExample(INVITE_JOIN, actual, { vars })).toEqual([
      expect.objectContaining({
        path: '$.route',
        message:
          'expected "http://127.0.0.1:4010/messenger/join/Q1W2E3R4", got "http://127.0.0.1:4010/messenger/join/ZAJOR26J"',
      }),
    ])
  })

  it('accepts another generated invite code of the documented shape, not a lowercase one', () => {
    const vars = new Map([['http://localhost:8000', 'http://localhost:8000']])
    const ok = setAt(copy(INVITE_JOIN), '$.code', 'AB12CD34')
    const bad = setAt(copy(INVITE_JOIN), '$.code', 'ab12cd34')
    expect(matchExample(INVITE_JOIN, ok, { vars })).toEqual([])
    expect(matchExample(INVITE_JOIN, bad, { vars })).toEqual([
      expect.objectContaining({
        path: '$.code',
        message: 'expected an invite code matching /^[A-Z0-9]{8}$/, got "ab12cd34"',
      }),
    ])
  })

  it('compares null, booleans and numbers exactly', () => {
    const documented = { a: null, b: false, c: 25 }
    expect(matchExample(documented, { a: null, b: false, c: 25 }, NO_VARS)).toEqual([])
    expect(
      matchExample(documented, { a: 'x', b: 0, c: 26 }, NO_VARS).map((f) => f.message)
    ).toEqual(['expected null, got string', 'expected boolean, got number', 'expected 25, got 26'])
  })
})

describe('matchExample overrides', () => {
  const overridden = (
    overrides: Record<string, Matcher>,
    actual: unknown,
    expected: unknown = CALL_SHOW
  ) => matchExample(expected, actual, { vars: new Map(), overrides })

  it('equals replaces the documented value', () => {
    const ended = setAt(copy(CALL_SHOW), '$.active', false)
    expect(overridden({ '$.active': { kind: 'equals', value: false } }, ended)).toEqual([])
    expect(overridden({ '$.active': { kind: 'equals', value: false } }, copy(CALL_SHOW))).toEqual([
      expect.objectContaining({ path: '$.active', message: 'expected false, got true' }),
    ])
  })

  it('equals on an object reports the innermost path', () => {
    const actual = setAt(copy(CALL_SHOW), '$.options.kicked', true)
    const value = capture(CALL_SHOW, '$.options')
    expect(overridden({ '$.options': { kind: 'equals', value } }, actual)).toEqual([
      expect.objectContaining({ path: '$.options.kicked', message: 'expected false, got true' }),
    ])
  })

  it('[*] applies to every index, and a literal path beats it', () => {
    const actual = copy(CALLS_INDEX)
    setAt(actual, '$.data[0].options.admin', false)
    const overrides: Record<string, Matcher> = {
      '$.data[*].options.admin': { kind: 'boolean' },
      '$.data[*].type': { kind: 'oneOf', values: [1, 2] },
    }
    expect(overridden(overrides, actual, CALLS_INDEX)).toEqual([])
    setAt(actual, '$.data[1].type', 3)
    expect(overridden(overrides, actual, CALLS_INDEX)).toEqual([
      expect.objectContaining({ path: '$.data[1].type', message: 'expected one of 1, 2, got 3' }),
    ])
    const literal = {
      ...overrides,
      '$.data[0].options.admin': { kind: 'equals', value: true },
    } as const
    expect(overridden(literal, actual, CALLS_INDEX).map((f) => f.path)).toEqual([
      '$.data[0].options.admin',
      '$.data[1].type',
    ])
  })

  it('absent requires the key to be missing', () => {
    const ended = deleteAt(copy(CALL_SHOW), '$.options')
    expect(overridden({ '$.options': { kind: 'absent' } }, ended)).toEqual([])
    expect(overridden({ '$.options': { kind: 'absent' } }, copy(CALL_SHOW))).toEqual([
      expect.objectContaining({
        path: '$.options',
        message: 'unexpected key "options" (it must be absent)',
      }),
    ])
  })

  it('an override can add a key the documentation does not show', () => {
    const withParticipants = setAt(copy(CALL_SHOW), '$.participants', [])
    expect(overridden({ '$.participants': { kind: 'any' } }, withParticipants)).toEqual([])
    expect(overridden({ '$.participants': { kind: 'any' } }, copy(CALL_SHOW))).toEqual([
      expect.objectContaining({ path: '$.participants', message: 'missing key "participants"' }),
    ])
  })

  it('uuid, timestamp, integer, string, boolean, pattern and nullable check their kind', () => {
    const kinds: Record<string, Matcher> = {
      '$.a': { kind: 'uuid' },
      '$.b': { kind: 'timestamp' },
      '$.c': { kind: 'integer' },
      '$.d': { kind: 'string' },
      '$.e': { kind: 'boolean' },
      '$.f': { kind: 'pattern', regex: '^[0-9]+$' },
      '$.g': { kind: 'nullable', of: { kind: 'string' } },
    }
    const body = { a: 'x', b: 'x', c: 'x', d: 1, e: 'x', f: 'x', g: 5 }
    const failures = overridden(kinds, body, body)
    expect(failures.map((f) => `${f.path} ${f.message}`)).toEqual([
      '$.a expected a UUID, got "x"',
      '$.b expected a timestamp like 2020-12-08T06:10:54.000000Z, got "x"',
      '$.c expected an integer, got "x"',
      '$.d expected a string, got 1',
      '$.e expected a boolean, got "x"',
      '$.f expected a string matching /^[0-9]+$/, got "x"',
      '$.g expected null or a string, got 5',
    ])
    const good = {
      a: CALL_ID,
      b: '2020-12-08T06:10:54.000000Z',
      c: 3,
      d: 'y',
      e: true,
      f: '42',
      g: null,
    }
    expect(overridden(kinds, good, body)).toEqual([])
  })

  it('throws on a malformed override path or regex, which is a scenario bug', () => {
    expect(() => overridden({ 'options.admin': { kind: 'any' } }, {}, {})).toThrow(
      /must start with "\$"/
    )
    expect(() => overridden({ '$.a': { kind: 'pattern', regex: '(' } }, {}, {})).toThrow()
  })
})

describe('capture', () => {
  it('reads simple JSON paths and gives undefined when absent', () => {
    expect(capture(CALL_SHOW, '$.id')).toBe(CALL_ID)
    expect(capture(CALLS_INDEX, '$.data[0].id')).toBe('9231648d-80d8-4ccb-94cc-146401610a45')
    expect(capture(CALLS_INDEX, '$.meta.next_page_id')).toBeNull()
    expect(capture([{ id: 'a' }, { id: 'b' }], '$[1].id')).toBe('b')
    expect(capture(CALL_SHOW, '$')).toBe(CALL_SHOW)
    expect(capture(CALL_SHOW, '$.nope.id')).toBeUndefined()
    expect(capture(CALLS_INDEX, '$.data[5].id')).toBeUndefined()
    expect(capture(CALLS_INDEX, '$.data.id')).toBeUndefined()
    expect(capture('text', '$.id')).toBeUndefined()
  })

  it('rejects a wildcard or malformed path', () => {
    expect(() => capture(CALLS_INDEX, '$.data[*].id')).toThrow(/many values/)
    expect(() => capture(CALLS_INDEX, '$.data[')).toThrow(/invalid JSON path/)
  })
})

describe('substitute', () => {
  it('replaces whole and partial string occurrences deeply, never keys', () => {
    const vars = new Map([
      [JOHN_ID, RUN_JOHN_ID],
      ['http://localhost:8000', 'http://127.0.0.1:4010'],
    ])
    const value = {
      [JOHN_ID]: JOHN_ID,
      list: [`/images/user/${JOHN_ID}/sm/x.png`, 3, null, true],
      nested: { url: 'http://localhost:8000/api' },
    }
    expect(substitute(value, vars)).toEqual({
      [JOHN_ID]: RUN_JOHN_ID,
      list: [`/images/user/${RUN_JOHN_ID}/sm/x.png`, 3, null, true],
      nested: { url: 'http://127.0.0.1:4010/api' },
    })
  })

  it('substitutes in one pass, longest literal first', () => {
    const vars = new Map([
      ['a', 'b'],
      ['b', 'c'],
      ['ab', 'X'],
    ])
    expect(substitute('ab a b', vars)).toBe('X b c')
  })

  it('leaves the input untouched', () => {
    const input = { id: CALL_ID }
    substitute(input, RUN_VARS)
    expect(input.id).toBe(CALL_ID)
  })
})
