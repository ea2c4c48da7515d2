// The control API: health, world export/replace/reset, sandboxes and the clock.
import { describe, expect, it } from 'vitest'
import { createTestMock, IDS } from '../../testing/harness.ts'
import type { TestMock } from '../../testing/harness.ts'
import type { WorldDocument } from '../../world/schema.ts'
import { expectControlSchema, send } from './testing.ts'

const NOW = '2020-12-08T06:25:00.000000Z'
const DEFAULT_COUNTS = { users: 3, threads: 3, calls: 1, invites: 2 }
const invitesPath = `/api/messenger/threads/${IDS.testParty}/invites`

async function exported(mock: TestMock, sandbox?: string): Promise<WorldDocument> {
  const res = await send(mock, 'GET', '/mock/world', sandbox === undefined ? {} : { sandbox })
  expect(res.status).toBe(200)
  return res.body as WorldDocument
}

/** How many valid invites Test Party! has, as John sees them in a world. */
async function inviteTotal(mock: TestMock, sandbox?: string): Promise<number> {
  const res = await send(mock, 'GET', invitesPath, {
    token: 'john',
    ...(sandbox === undefined ? {} : { sandbox }),
  })
  expect(res.status).toBe(200)
  return (res.body as { meta: { total: number } }).meta.total
}

async function createInvite(mock: TestMock, sandbox?: string): Promise<string> {
  const res = await send(mock, 'POST', invitesPath, {
    token: 'john',
    body: { expires: 0, uses: 0 },
    ...(sandbox === undefined ? {} : { sandbox }),
  })
  expect(res.status).toBe(201)
  return (res.body as { code: string }).code
}

/** An active call in John and Jairo's private thread, for a world document. */
const NEW_CALL: WorldDocument['calls'][number] = {
  id: '92316675-0000-4000-8000-000000000001',
  thread_id: IDS.johnJairo,
  owner_id: IDS.john,
  type: 1,
  setup_complete: true,
  room_id: 1234567890123456,
  room_pin: 'AbC123',
  room_secret: 'secretsecret',
  payload: null,
  call_ended: null,
  created_at: NOW,
  updated_at: NOW,
}

async function clock(mock: TestMock, sandbox?: string) {
  const res = await send(mock, 'GET', '/mock/clock', sandbox === undefined ? {} : { sandbox })
  expect(res.status).toBe(200)
  expectControlSchema('ClockState', res.body)
  return res.body as { now: string; frozen: boolean }
}

async function moveClock(mock: TestMock, body: unknown, sandbox?: string) {
  return send(mock, 'POST', '/mock/clock', { body, ...(sandbox === undefined ? {} : { sandbox }) })
}

describe('GET /mock/health', () => {
  it('GET /mock/health answers ok with the number of sandboxes', async () => {
    const mock = createTestMock()
    const res = await send(mock, 'GET', '/mock/health')
    expect(res).toEqual({ status: 200, body: { status: 'ok', sandboxes: 0 } })
    expectControlSchema('Health', res.body)
    await send(mock, 'GET', '/mock/clock', { sandbox: 'a' })
    await send(mock, 'GET', '/mock/clock', { sandbox: 'b' })
    expect((await send(mock, 'GET', '/mock/health')).body).toEqual({ status: 'ok', sandboxes: 2 })
  })
})

describe('GET /mock/world', () => {
  it('GET /mock/world exports the default world as a valid world document', async () => {
    const mock = createTestMock()
    const world = await exported(mock)
    expectControlSchema('WorldDocument', world)
    expect(world.clock).toEqual({ now: NOW, frozen: true })
    expect(world.users.map((u) => u.token)).toEqual(['john', 'jane', 'jairo'])
    expect(world.invites.map((i) => i.code)).toEqual(['7EIFRXXP', 'ZAJOR26J'])
    expect(world.calls.map((c) => c.id)).toEqual([IDS.janesCall])
  })

  it('GET /mock/world answers 405 to a method it does not have', async () => {
    const mock = createTestMock()
    const res = await mock.request('/mock/world', { method: 'DELETE' })
    expect(res.status).toBe(405)
    expect(res.headers.get('Allow')).toBe('GET, HEAD, PUT')
  })
})

describe('PUT /mock/world', () => {
  it('PUT /mock/world restores an export: state made through the API comes back after a reset', async () => {
    const mock = createTestMock()
    const code = await createInvite(mock)
    const withCall = await exported(mock)
    withCall.calls.push(NEW_CALL)
    // Load the extra call too, then export the whole state.
    expect((await send(mock, 'PUT', '/mock/world', { body: withCall })).status).toBe(200)
    const snapshot = await exported(mock)

    const reset = await send(mock, 'POST', '/mock/world/reset')
    expect(reset.body).toEqual({ message: 'World reset.', world: 'main', ...DEFAULT_COUNTS })
    expect(await inviteTotal(mock)).toBe(2)
    expect((await exported(mock)).calls).toHaveLength(1)

    const res = await send(mock, 'PUT', '/mock/world', { body: snapshot })
    expect(res).toEqual({
      status: 200,
      body: { message: 'World loaded.', world: 'main', users: 3, threads: 3, calls: 2, invites: 3 },
    })
    expectControlSchema('WorldSummary', res.body)
    expect(await exported(mock)).toEqual(snapshot)
    expect(await inviteTotal(mock)).toBe(3)
    expect((await send(mock, 'GET', `/api/messenger/join/${code}`)).status).toBe(200)
    expect((await exported(mock)).calls.map((c) => c.id)).toContain(NEW_CALL.id)
  })

  it('PUT /mock/world answers the documented summary for the minimal world and applies its clock and config', async () => {
    const mock = createTestMock()
    const res = await send(mock, 'PUT', '/mock/world', {
      body: {
        clock: { now: '2021-01-01T00:00:00Z', frozen: true },
        config: { thread_invites_max: 7 },
        users: [{ id: IDS.john, name: 'John Doe', email: 'john@example.net', token: 'john' }],
      },
    })
    expect(res.body).toEqual({
      message: 'World loaded.',
      world: 'main',
      users: 1,
      threads: 0,
      calls: 0,
      invites: 0,
    })
    expect(await clock(mock)).toEqual({ now: '2021-01-01T00:00:00.000000Z', frozen: true })
    // The config switches are read again (not the cached ones of the old world).
    const info = await send(mock, 'GET', '/api/messenger', { token: 'john' })
    expect((info.body as { threadInvitesMax: number }).threadInvitesMax).toBe(7)
    expect((await send(mock, 'GET', '/api/messenger', { token: 'jane' })).status).toBe(401)
  })

  it('PUT /mock/world refuses a bad document with a 422 naming each path, and the old world stays whole', async () => {
    const mock = createTestMock()
    await createInvite(mock)
    const before = await exported(mock)

    const duplicate = structuredClone(before)
    const [first, second] = duplicate.users
    if (!first || !second) {
      throw new Error('the default world has users')
    }
    second.id = first.id
    const dangling = structuredClone(before)
    const participant = dangling.participants[0]
    if (!participant) {
      throw new Error('the default world has participants')
    }
    participant.thread_id = '00000000-0000-4000-8000-000000000000'

    const cases: [unknown, string, string][] = [
      [duplicate, 'users.1.id', 'The users.1.id has already been taken.'],
      [
        dangling,
        'participants.0.thread_id',
        'The participants.0.thread_id does not match any thread.',
      ],
    ]
    for (const [document, path, message] of cases) {
      const res = await send(mock, 'PUT', '/mock/world', { body: document })
      expect(res.status).toBe(422)
      expectControlSchema('ValidationError', res.body)
      const errors = (res.body as { errors: Record<string, string[]> }).errors
      expect(errors[path]).toContain(message)
    }
    const missingUsers = {
      status: 422,
      body: {
        message: 'The given data was invalid.',
        errors: { users: ['The users field is required.'] },
      },
    }
    const { users: _users, ...withoutUsers } = before
    expect(await send(mock, 'PUT', '/mock/world', { body: withoutUsers })).toEqual(missingUsers)
    expect(await send(mock, 'PUT', '/mock/world', { body: '{"users": [' })).toEqual(missingUsers)
    expect(await send(mock, 'PUT', '/mock/world', { body: '[1, 2]' })).toEqual(missingUsers)
    const empty = await mock.request('/mock/world', { method: 'PUT' })
    expect(empty.status).toBe(422)

    expect(await exported(mock)).toEqual(before)
    expect(await inviteTotal(mock)).toBe(3)
  })

  it('PUT /mock/world names unknown fields and wrong types', async () => {
    const mock = createTestMock()
    const res = await send(mock, 'PUT', '/mock/world', {
      body: { users: [{ id: 'x', name: 'X', email: 'x@example.net', token: 'x', age: 3 }] },
    })
    expect(res.status).toBe(422)
    expect((res.body as { errors: Record<string, string[]> }).errors).toEqual({
      'users.0.id': ['The users.0.id must be a valid UUID.'],
      'users.0.age': ['The users.0.age field is not allowed.'],
    })
  })
})

describe('POST /mock/world/reset', () => {
  it('POST /mock/world/reset restores the default world, its clock and its config in the main world', async () => {
    const mock = createTestMock()
    await createInvite(mock)
    const world = await exported(mock)
    world.config.thread_invites_max = 0
    await send(mock, 'PUT', '/mock/world', { body: world })
    await moveClock(mock, { advance_seconds: 3600 })

    const res = await send(mock, 'POST', '/mock/world/reset')
    expect(res).toEqual({
      status: 200,
      body: { message: 'World reset.', world: 'main', ...DEFAULT_COUNTS },
    })
    expectControlSchema('WorldSummary', res.body)
    expect(await clock(mock)).toEqual({ now: NOW, frozen: true })
    expect(await inviteTotal(mock)).toBe(2)
    const info = await send(mock, 'GET', '/api/messenger', { token: 'john' })
    expect((info.body as { threadInvitesMax: number }).threadInvitesMax).toBe(3)
  })

  it('POST /mock/world/reset in a sandbox resets only that sandbox', async () => {
    const mock = createTestMock()
    await createInvite(mock)
    await createInvite(mock, 'a')
    const res = await send(mock, 'POST', '/mock/world/reset', { sandbox: 'a' })
    expect(res.body).toEqual({ message: 'World reset.', world: 'a', ...DEFAULT_COUNTS })
    expect(await inviteTotal(mock, 'a')).toBe(2)
    expect(await inviteTotal(mock)).toBe(3)
  })

  it('POST /mock/world/reset refuses a sandbox named "main" and leaves the main world alone', async () => {
    const mock = createTestMock()
    await createInvite(mock)
    const res = await send(mock, 'POST', '/mock/world/reset', { sandbox: 'main' })
    expect(res.status).toBe(422)
    expect(JSON.stringify(res.body)).toContain('reserved for the main world')
    expect(await inviteTotal(mock)).toBe(3)
  })
})

describe('sandboxes', () => {
  it('X-Mock-Sandbox isolates worlds: changes in one sandbox are not seen in another or in the main world', async () => {
    const mock = createTestMock()
    await createInvite(mock, 'a')
    const a = await exported(mock, 'a')
    a.calls.push(NEW_CALL)
    const loaded = await send(mock, 'PUT', '/mock/world', { sandbox: 'a', body: a })
    expect(loaded.body).toEqual({
      message: 'World loaded.',
      world: 'a',
      users: 3,
      threads: 3,
      calls: 2,
      invites: 3,
    })
    expect(await inviteTotal(mock, 'a')).toBe(3)
    expect(await inviteTotal(mock, 'b')).toBe(2)
    expect(await inviteTotal(mock)).toBe(2)
    expect((await exported(mock, 'a')).calls.map((c) => c.id)).toContain(NEW_CALL.id)
    expect((await exported(mock, 'b')).calls.map((c) => c.id)).toEqual([IDS.janesCall])
    expect((await exported(mock)).calls.map((c) => c.id)).toEqual([IDS.janesCall])
  })

  it('GET /mock/sandboxes lists the sandboxes by name with when they were made, last used and expire', async () => {
    const mock = createTestMock()
    expect(await send(mock, 'GET', '/mock/sandboxes')).toEqual({ status: 200, body: { data: [] } })
    await send(mock, 'GET', '/mock/clock', { sandbox: 'zeta' })
    await send(mock, 'GET', '/mock/clock', { sandbox: 'alpha' })
    const res = await send(mock, 'GET', '/mock/sandboxes')
    expectControlSchema('SandboxList', res.body)
    const data = (res.body as { data: Record<string, string>[] }).data
    expect(data.map((s) => s['name'])).toEqual(['alpha', 'zeta'])
    for (const sandbox of data) {
      for (const key of ['created_at', 'last_used_at', 'expires_at']) {
        expect(sandbox[key]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
      }
      expect(
        Date.parse(sandbox['expires_at'] ?? '') - Date.parse(sandbox['last_used_at'] ?? '')
      ).toBe(3_600_000)
    }
  })

  it('DELETE /mock/sandboxes/{name} deletes a sandbox, which starts fresh when named again', async () => {
    const mock = createTestMock()
    await createInvite(mock, 'a')
    await moveClock(mock, { advance_seconds: 60 }, 'a')
    await send(mock, 'GET', '/mock/clock', { sandbox: 'b' })
    const res = await send(mock, 'DELETE', '/mock/sandboxes/a')
    expect(res).toEqual({ status: 200, body: { message: 'success' } })
    expectControlSchema('Message', res.body)
    const list = await send(mock, 'GET', '/mock/sandboxes')
    expect((list.body as { data: { name: string }[] }).data.map((s) => s.name)).toEqual(['b'])
    expect(await inviteTotal(mock, 'a')).toBe(2)
    expect(await clock(mock, 'a')).toEqual({ now: NOW, frozen: true })
  })

  it('DELETE /mock/sandboxes/{name} answers 404 for a sandbox that does not exist', async () => {
    const mock = createTestMock()
    for (const name of ['ci-job-17', 'main', 'bad%20name!']) {
      const res = await send(mock, 'DELETE', `/mock/sandboxes/${name}`)
      expect(res).toEqual({
        status: 404,
        body: { message: `No sandbox named ${decodeURIComponent(name)}.` },
      })
      expectControlSchema('Message', res.body)
    }
    // The main world is no sandbox and is left alone.
    expect(await inviteTotal(mock)).toBe(2)
  })
})

describe('/mock/clock', () => {
  it('GET /mock/clock answers the world time and whether it is frozen', async () => {
    const mock = createTestMock()
    expect(await clock(mock)).toEqual({ now: NOW, frozen: true })
  })

  it('POST /mock/clock moves a frozen clock by exactly the seconds asked, per sandbox', async () => {
    const mock = createTestMock()
    const res = await moveClock(mock, { advance_seconds: 90 })
    expect(res).toEqual({ status: 200, body: { now: '2020-12-08T06:26:30.000000Z', frozen: true } })
    expect(await clock(mock)).toEqual({ now: '2020-12-08T06:26:30.000000Z', frozen: true })
    await moveClock(mock, { advance_seconds: 0.5 })
    await moveClock(mock, { advance_seconds: 0.5 })
    expect((await clock(mock)).now).toBe('2020-12-08T06:26:31.000000Z')
    expect((await moveClock(mock, { advance_seconds: 11 }, 'a')).body).toEqual({
      now: '2020-12-08T06:25:11.000000Z',
      frozen: true,
    })
    expect((await clock(mock, 'b')).now).toBe(NOW)
    expect((await clock(mock)).now).toBe('2020-12-08T06:26:31.000000Z')
  })

  it('POST /mock/clock moves the time the Messenger rules read (invite expiry)', async () => {
    const mock = createTestMock()
    // 7EIFRXXP expires at 2020-12-22T05:51:55.
    await moveClock(mock, { advance_seconds: 14 * 24 * 3600 })
    expect(await inviteTotal(mock)).toBe(1)
  })

  it('POST /mock/clock unfreezes and freezes the clock', async () => {
    const mock = createTestMock()
    const ticking = await moveClock(mock, { frozen: false })
    expect(ticking.status).toBe(200)
    const state = ticking.body as { now: string; frozen: boolean }
    expect(state.frozen).toBe(false)
    expect(Date.parse(state.now) - Date.parse(NOW)).toBeLessThan(2000)
    expect((await clock(mock)).frozen).toBe(false)

    const frozen = await moveClock(mock, { frozen: true, advance_seconds: 60 })
    const at = frozen.body as { now: string; frozen: boolean }
    expect(at.frozen).toBe(true)
    expect(Date.parse(at.now) - Date.parse(NOW)).toBeGreaterThanOrEqual(60_000)
    expect(Date.parse(at.now) - Date.parse(NOW)).toBeLessThan(62_000)
    expect(await clock(mock)).toEqual(at)
  })

  it('POST /mock/clock refuses bad changes with a 422 and leaves the clock alone', async () => {
    const mock = createTestMock()
    const requiredBoth = {
      advance_seconds: [
        'The advance seconds field is required when frozen and set are not present.',
      ],
      frozen: ['The frozen field is required when advance seconds and set are not present.'],
    }
    const cases: [unknown, Record<string, string[]>][] = [
      [{}, requiredBoth],
      ['{oops', requiredBoth],
      [{ advance_seconds: -1 }, { advance_seconds: ['The advance seconds must be at least 0.'] }],
      [{ advance_seconds: '10' }, { advance_seconds: ['The advance seconds must be a number.'] }],
      [{ advance_seconds: null }, { advance_seconds: ['The advance seconds must be a number.'] }],
      [{ frozen: 'yes' }, { frozen: ['The frozen field must be true or false.'] }],
      [{ advance_seconds: 5, minutes: 1 }, { minutes: ['The minutes field is not allowed.'] }],
      [
        { advance_seconds: 1e12 },
        {
          advance_seconds: [
            'The advance seconds may not move the clock past 2059-03-13T02:56:07.000000Z.',
          ],
        },
      ],
      [
        { advance_seconds: 1e12, frozen: false },
        {
          advance_seconds: [
            'The advance seconds may not move the clock past 2059-03-13T02:56:07.000000Z.',
          ],
        },
      ],
    ]
    for (const [body, errors] of cases) {
      const res = await moveClock(mock, body)
      expect(res, JSON.stringify(body)).toEqual({
        status: 422,
        body: { message: 'The given data was invalid.', errors },
      })
      expectControlSchema('ValidationError', res.body)
    }
    expect(await clock(mock)).toEqual({ now: NOW, frozen: true })
  })

  it('GET /mock/clock answers 422 for a malformed sandbox name', async () => {
    const mock = createTestMock()
    const res = await send(mock, 'GET', '/mock/clock', { sandbox: 'no spaces' })
    expect(res.status).toBe(422)
    expectControlSchema('ValidationError', res.body)
  })
})
