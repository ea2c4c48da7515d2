// GET and PUT /api/messenger/settings: the settings, their validation and the status they set.
import { describe, expect, it } from 'vitest'
import { IDS, createTestMock } from '../../testing/harness.ts'
import type { TestMock } from '../../testing/harness.ts'
import { expectValidResponse } from '../../testing/spec-validator.ts'
import * as support from './test-support.ts'

const NOW = '2020-12-08T06:25:00.000000Z'

const ALL_ON = {
  message_popups: true,
  message_sound: true,
  call_ringtone_sound: true,
  notify_sound: true,
  dark_mode: true,
}

const putSettings = (mock: TestMock, body: unknown, token = 'john') =>
  support.sendJson(mock, 'PUT', '/api/messenger/settings', body, token)

/** John's online status as Jane's search shows it. */
async function johnAsJaneSeesHim(mock: TestMock) {
  const { data } = await mock.as('jane').GET('/api/messenger/search/{query}', {
    params: { path: { query: 'john@example.net' } },
  })
  return data?.data[0]?.options.online_status
}

describe('GET /api/messenger/settings', () => {
  it('GET /api/messenger/settings answers the documented settings of John', async () => {
    const body = await support.expectDocumentedGet('/api/messenger/settings', 'getSettings')
    expect(body['created_at']).toBe('2020-12-08T01:39:35.000000Z')
  })

  it('GET /api/messenger/settings answers 401 without a valid token', async () => {
    await support.expectGuestRefused('/api/messenger/settings')
  })

  it('GET /api/messenger/settings saves the defaults for a user who has none', async () => {
    const mock = createTestMock()
    support.loadCustomWorld(mock, (world) => ({
      ...world,
      users: world.users.map((u) => (u.id === IDS.jairo ? { ...u, settings: null } : u)),
    }))
    const { data, response } = await mock.as('jairo').GET('/api/messenger/settings')
    expect(response.status).toBe(200)
    expectValidResponse('getSettings', 200, data)
    expect(data).toMatchObject({
      owner_id: IDS.jairo,
      ...ALL_ON,
      online_status: 1,
      created_at: NOW,
      updated_at: NOW,
    })
    const row = mock.world.db
      .prepare('SELECT count(*) AS n FROM messengers WHERE owner_id = ?')
      .get(IDS.jairo) as { n: number }
    expect(row.n).toBe(1)
  })
})

describe('PUT /api/messenger/settings', () => {
  it('PUT /api/messenger/settings saves the six settings and answers the documented shape', async () => {
    const mock = createTestMock()
    mock.advance(60)
    const { status, body } = await putSettings(mock, { ...ALL_ON, online_status: 2 })
    expect(status).toBe(200)
    expectValidResponse('updateSettings', 200, body)
    support.expectLikeDocumented(body, support.documentedBody('updateSettings'))
    expect(body['updated_at']).toBe('2020-12-08T06:26:00.000000Z')

    const off = await putSettings(mock, {
      message_popups: false,
      message_sound: '0',
      call_ringtone_sound: 0,
      notify_sound: true,
      dark_mode: false,
      online_status: '1',
    })
    expect(off.status).toBe(200)
    expect(off.body).toMatchObject({
      message_popups: false,
      message_sound: false,
      call_ringtone_sound: false,
      notify_sound: true,
      dark_mode: false,
      online_status: 1,
    })
    const { data } = await mock.as('john').GET('/api/messenger/settings')
    expect(data).toMatchObject({ message_popups: false, dark_mode: false, online_status: 1 })
  })

  it('PUT /api/messenger/settings keeps updated_at when nothing changes', async () => {
    const mock = createTestMock()
    mock.advance(60)
    const { status, body } = await putSettings(mock, { ...ALL_ON, online_status: 1 })
    expect(status).toBe(200)
    expect(body['updated_at']).toBe('2020-12-08T01:39:35.000000Z')
  })

  it('PUT /api/messenger/settings answers 422 with every field required, in the rules order', async () => {
    const mock = createTestMock()
    const { status, body } = await putSettings(mock, {})
    expect(status).toBe(422)
    expect(body).toEqual({
      message: 'The given data was invalid.',
      errors: {
        call_ringtone_sound: ['The call ringtone sound field is required.'],
        message_popups: ['The message popups field is required.'],
        message_sound: ['The message sound field is required.'],
        notify_sound: ['The notify sound field is required.'],
        dark_mode: ['The dark mode field is required.'],
        online_status: ['The online status field is required.'],
      },
    })
  })

  it('PUT /api/messenger/settings answers 422 for a non-boolean flag and an unknown status', async () => {
    const mock = createTestMock()
    const invalid = await putSettings(mock, { ...ALL_ON, dark_mode: 'yes', online_status: 3 })
    expect(invalid.status).toBe(422)
    expect(invalid.body).toEqual({
      message: 'The given data was invalid.',
      errors: {
        dark_mode: ['The dark mode field must be true or false.'],
        online_status: ['The selected online status is invalid.'],
      },
    })
    const notInteger = await putSettings(mock, { ...ALL_ON, online_status: 'away' })
    expect(notInteger.body['errors']).toEqual({
      online_status: [
        'The online status must be an integer.',
        'The selected online status is invalid.',
      ],
    })
    const { data } = await mock.as('john').GET('/api/messenger/settings')
    expect(data?.dark_mode).toBe(true)
  })

  it('PUT /api/messenger/settings answers 401 without a valid token', async () => {
    const mock = createTestMock()
    const { status, body } = await putSettings(mock, { ...ALL_ON, online_status: 1 }, 'nobody')
    expect(status).toBe(401)
    expect(body).toEqual({ message: 'Unauthenticated.' })
  })

  it('PUT /api/messenger/settings moves the online status at once (0 offline, 1 online, 2 away)', async () => {
    const mock = createTestMock()
    expect(await johnAsJaneSeesHim(mock)).toBe(1)
    await putSettings(mock, { ...ALL_ON, online_status: 2 })
    expect(await johnAsJaneSeesHim(mock)).toBe(2)
    await putSettings(mock, { ...ALL_ON, online_status: 0 })
    expect(await johnAsJaneSeesHim(mock)).toBe(0)
    await putSettings(mock, { ...ALL_ON, online_status: 1 })
    expect(await johnAsJaneSeesHim(mock)).toBe(1)
    // The status set by the setting lasts the online-status lifetime, like a heartbeat's.
    mock.advance(240)
    expect(await johnAsJaneSeesHim(mock)).toBe(0)
  })

  it('PUT /api/messenger/settings leaves the status alone while online status is disabled', async () => {
    const mock = createTestMock()
    support.setConfig(mock, 'online_status', false)
    const { status } = await putSettings(mock, { ...ALL_ON, online_status: 0 })
    expect(status).toBe(200)
    support.setConfig(mock, 'online_status', true)
    expect(await johnAsJaneSeesHim(mock)).toBe(1)
  })
})
