// POST /api/messenger/heartbeat and GET /api/messenger/unread-threads-count.
import { describe, expect, it } from 'vitest'
import { IDS, createTestMock } from '../../testing/harness.ts'
import type { TestMock, Token } from '../../testing/harness.ts'
import { expectValidResponse } from '../../testing/spec-validator.ts'
import {
  expectDocumentedGet,
  documentedBody,
  expectGuestRefused,
  expectLikeDocumented,
  loadCustomWorld,
  sendJson,
  setConfig,
} from './test-support.ts'

const heartbeat = (mock: TestMock, body: unknown, token: Token | 'nobody' = 'john') =>
  sendJson(mock, 'POST', '/api/messenger/heartbeat', body, token)

/** How `viewer` sees `email`'s user in a search. */
async function seen(mock: TestMock, viewer: Token, email: string) {
  const { data } = await mock.as(viewer).GET('/api/messenger/search/{query}', {
    params: { path: { query: email } },
  })
  return data?.data[0]?.options
}

async function unread(mock: TestMock, token: Token) {
  const { data } = await mock.as(token).GET('/api/messenger/unread-threads-count')
  return data?.unread_threads_count
}

describe('POST /api/messenger/heartbeat', () => {
  it('POST /api/messenger/heartbeat answers the documented status of John', async () => {
    const mock = createTestMock()
    const { status, body } = await heartbeat(mock, { away: false })
    expect(status).toBe(200)
    expectValidResponse('statusHeartbeat', 200, body)
    // The default world is later than the document: Jane's call in John's private thread is active.
    expectLikeDocumented(body, documentedBody('statusHeartbeat'), { '$.active_calls_count': 1 })
    expect(body).toMatchObject({ online_status: 1, online_status_verbose: 'ONLINE' })
  })

  it('POST /api/messenger/heartbeat answers 401 without a valid token', async () => {
    const mock = createTestMock()
    const { status, body } = await heartbeat(mock, { away: false }, 'nobody')
    expect(status).toBe(401)
    expect(body).toEqual({ message: 'Unauthenticated.' })
  })

  it('POST /api/messenger/heartbeat answers 422 when away is missing or not a boolean', async () => {
    const mock = createTestMock()
    expect(await heartbeat(mock, {})).toEqual({
      status: 422,
      body: {
        message: 'The given data was invalid.',
        errors: { away: ['The away field is required.'] },
      },
    })
    expect(await heartbeat(mock, { away: 'yes' })).toEqual({
      status: 422,
      body: {
        message: 'The given data was invalid.',
        errors: { away: ['The away field must be true or false.'] },
      },
    })
  })

  it('GET /api/messenger/heartbeat answers 405', async () => {
    const mock = createTestMock()
    const res = await mock.request('/api/messenger/heartbeat', { token: 'john' })
    expect(res.status).toBe(405)
    expect(await res.json()).toEqual({
      message: 'The GET method is not supported for this route. Supported methods: POST.',
    })
  })

  it('POST /api/messenger/heartbeat marks the user away or online by the away flag', async () => {
    const mock = createTestMock()
    const away = await heartbeat(mock, { away: true }, 'jairo')
    expect(away.body).toMatchObject({ online_status: 2, online_status_verbose: 'AWAY' })
    expect((await seen(mock, 'john', 'jairo@example.net'))?.online_status).toBe(2)
    const online = await heartbeat(mock, { away: '0' }, 'jairo')
    expect(online.body).toMatchObject({ online_status: 1, online_status_verbose: 'ONLINE' })
    expect((await seen(mock, 'john', 'jairo@example.net'))?.online_status).toBe(1)
  })

  it('POST /api/messenger/heartbeat keeps a user whose setting is away (2) away', async () => {
    const mock = createTestMock()
    const { body } = await heartbeat(mock, { away: false }, 'jane')
    expect(body).toMatchObject({ online_status: 2, online_status_verbose: 'AWAY' })
    expect(body['settings']).toMatchObject({ online_status: 2 })
  })

  it('POST /api/messenger/heartbeat never marks a user with setting 0 online, nor touches them', async () => {
    const mock = createTestMock()
    loadCustomWorld(mock, (world) => ({
      ...world,
      users: world.users.map((u) =>
        u.id === IDS.jairo && u.settings
          ? { ...u, online_status: 0, settings: { ...u.settings, online_status: 0 } }
          : u
      ),
    }))
    mock.advance(30)
    const { body } = await heartbeat(mock, { away: false }, 'jairo')
    expect(body).toMatchObject({ online_status: 0, online_status_verbose: 'OFFLINE' })
    const base = (body['provider'] as { base: Record<string, unknown> }).base
    expect(base['updated_at']).toBe('2020-12-08T06:23:34.000000Z')
    expect((await seen(mock, 'john', 'jairo@example.net'))?.online_status).toBe(0)
  })

  it('POST /api/messenger/heartbeat touches the user, which friends see as last_active', async () => {
    const mock = createTestMock()
    mock.advance(90)
    const { body } = await heartbeat(mock, { away: false })
    const base = (body['provider'] as { base: Record<string, unknown> }).base
    expect(base['updated_at']).toBe('2020-12-08T06:26:30.000000Z')
    // Jairo is John's friend.
    expect((await seen(mock, 'jairo', 'john@example.net'))?.last_active).toBe(
      '2020-12-08T06:26:30.000000Z'
    )
  })

  it('POST /api/messenger/heartbeat status runs out after the 4-minute lifetime', async () => {
    const mock = createTestMock()
    mock.advance(60)
    await heartbeat(mock, { away: false })
    mock.advance(239)
    expect((await seen(mock, 'jane', 'john@example.net'))?.online_status).toBe(1)
    mock.advance(2)
    expect((await seen(mock, 'jane', 'john@example.net'))?.online_status).toBe(0)
    const { body } = await heartbeat(mock, { away: false })
    expect(body['online_status']).toBe(1)
  })

  it('POST /api/messenger/heartbeat writes nothing while online status is disabled', async () => {
    const mock = createTestMock()
    setConfig(mock, 'online_status', false)
    mock.advance(60)
    const { status, body } = await heartbeat(mock, { away: false })
    expect(status).toBe(200)
    expectValidResponse('statusHeartbeat', 200, body)
    expect(body).toMatchObject({ online_status: 0, online_status_verbose: 'OFFLINE' })
    const base = (body['provider'] as { base: Record<string, unknown> }).base
    expect(base['updated_at']).toBe('2020-12-08T06:21:11.000000Z')
  })

  it('POST /api/messenger/heartbeat counts active calls, unread threads and pending friend requests', async () => {
    const mock = createTestMock()
    loadCustomWorld(mock, (world) => ({
      ...world,
      friend_requests: [
        { id: '92316400-0000-4000-8000-000000000001', sender_id: IDS.jane, recipient_id: IDS.john },
      ],
    }))
    mock.world.stores.threads.touch(IDS.testParty, '2020-12-08T06:24:00.000000Z')
    const john = await heartbeat(mock, { away: false })
    expect(john.body).toMatchObject({
      active_calls_count: 1,
      unread_threads_count: 1,
      pending_friends_count: 1,
    })
    const jairo = await heartbeat(mock, { away: false }, 'jairo')
    expect(jairo.body).toMatchObject({
      active_calls_count: 0,
      unread_threads_count: 0,
      pending_friends_count: 0,
    })
  })

  it('POST /api/messenger/heartbeat counts afresh after the calls and threads change, not only on the first read', async () => {
    // The counts are kept in the world's read model between requests; a start, an end and a
    // thread bump must each show in the next heartbeat.
    const mock = createTestMock()
    const counts = async (token: Token) => {
      const { body } = await heartbeat(mock, { away: false }, token)
      return [body['active_calls_count'], body['unread_threads_count']]
    }
    expect(await counts('jairo')).toEqual([0, 0])
    const started = await mock.request(`/api/messenger/threads/${IDS.johnJairo}/calls`, {
      method: 'POST',
      token: 'john',
    })
    expect(started.status).toBe(201)
    const call = (await started.json()) as { id: string }
    expect(await counts('jairo')).toEqual([1, 0])
    mock.world.stores.threads.touch(IDS.johnJairo, '2030-01-01T00:00:00.000000Z')
    expect(await counts('jairo')).toEqual([1, 1])
    const ended = await mock.request(
      `/api/messenger/threads/${IDS.johnJairo}/calls/${call.id}/end`,
      { method: 'POST', token: 'john' }
    )
    expect(ended.status).toBe(200)
    expect(await counts('jairo')).toEqual([0, 1])
  })

  it('POST /api/messenger/heartbeat saves default settings for a user who has none', async () => {
    const mock = createTestMock()
    loadCustomWorld(mock, (world) => ({
      ...world,
      users: world.users.map((u) => (u.id === IDS.jairo ? { ...u, settings: null } : u)),
    }))
    const { status, body } = await heartbeat(mock, { away: true }, 'jairo')
    expect(status).toBe(200)
    expectValidResponse('statusHeartbeat', 200, body)
    expect(body).toMatchObject({ online_status: 2, settings: { online_status: 1 } })
  })
})

describe('GET /api/messenger/unread-threads-count', () => {
  it('GET /api/messenger/unread-threads-count answers the documented count', async () => {
    await expectDocumentedGet('/api/messenger/unread-threads-count', 'unreadThreadsCount')
  })

  it('GET /api/messenger/unread-threads-count rises when a thread of the user is bumped', async () => {
    const mock = createTestMock()
    const { threads } = mock.world.stores
    threads.touch(IDS.testParty, '2020-12-08T06:24:00.000000Z')
    expect(await unread(mock, 'john')).toBe(1)
    expect(await unread(mock, 'jane')).toBe(1)
    // Jairo is not in the group.
    expect(await unread(mock, 'jairo')).toBe(0)
    threads.touch(IDS.johnJairo, '2020-12-08T06:24:30.000000Z')
    expect(await unread(mock, 'john')).toBe(2)
    expect(await unread(mock, 'jairo')).toBe(1)
  })

  it('GET /api/messenger/unread-threads-count answers 401 without a valid token', async () => {
    await expectGuestRefused('/api/messenger/unread-threads-count')
  })
})
