// The call participant routes: list, show, and kick / un-kick.
import { describe, expect, it } from 'vitest'
import { IDS, createTestMock } from '../../testing/harness.ts'
import type { TestMock } from '../../testing/harness.ts'
import { expectValidResponse } from '../../testing/spec-validator.ts'
import { expectLikeDocumentedCall } from './documented.ts'
import {
  callPath,
  callRow,
  joinCall,
  notFound,
  participantRow,
  send,
  startCall,
  optionsWith,
} from './testing.ts'
import type { Call, CallParticipant } from './testing.ts'

const participantsPath = (thread: string, call: string, participant = '') =>
  callPath(thread, call, `/participants${participant === '' ? '' : `/${participant}`}`)

/** John's private call with Jairo in it, as documented. */
async function johnAndJairo(mock: TestMock) {
  const call = await startCall(mock, 'john', IDS.johnJairo)
  const jairo = await joinCall(mock, 'jairo', IDS.johnJairo, call)
  return { call, jairo }
}

/** John's call in Test Party! with Jane in it. */
async function partyCall(mock: TestMock) {
  const call = await startCall(mock, 'john', IDS.testParty)
  const jane = await joinCall(mock, 'jane', IDS.testParty, call)
  const john = participantRow(mock, call, IDS.john)
  if (!john) {
    throw new Error('the owner has no call participant')
  }
  return { call, jane, john }
}

const kick = (
  mock: TestMock,
  token: string | undefined,
  call: string,
  who: string,
  body: unknown
) => send(mock, token, 'PUT', participantsPath(IDS.testParty, call, who), body)

describe('indexCallParticipants', () => {
  it('GET /api/messenger/threads/{thread}/calls/{call}/participants lists John and Jairo like the documented one', async () => {
    const mock = createTestMock()
    const { call } = await johnAndJairo(mock)
    const res = await send(mock, 'john', 'GET', participantsPath(IDS.johnJairo, call))
    expectLikeDocumentedCall('indexCallParticipants', res.status, res.body)
    expectValidResponse('indexCallParticipants', 200, res.body)
    const [john, jairo] = res.body as CallParticipant[]
    expect(john?.owner_id).toBe(IDS.john)
    expect(jairo?.owner.options.friend_id).toBe(IDS.johnJairoFriendship)
    expect(jairo?.owner.options.last_active).toBe(jairo?.owner.base.updated_at)
    expect(jairo?.owner.base.updated_at).toBe('2020-12-08T06:23:34.000000Z')
  })

  it('GET /api/messenger/threads/{thread}/calls/{call}/participants keeps those who left or were kicked, in join order', async () => {
    const mock = createTestMock()
    const { call, jane } = await partyCall(mock)
    mock.advance(2)
    await kick(mock, 'john', call, jane.id, { kicked: true })
    const res = await send(mock, 'jane', 'GET', participantsPath(IDS.testParty, call))
    expect(res.status).toBe(200)
    expectValidResponse('indexCallParticipants', 200, res.body)
    const rows = res.body as CallParticipant[]
    expect(rows.map((p) => [p.owner_id, p.left_call])).toEqual([
      [IDS.john, null],
      [IDS.jane, '2020-12-08T06:25:02.000000Z'],
    ])
    expect(Object.keys(rows[1] ?? {})).not.toContain('kicked')
  })

  it('GET /api/messenger/threads/{thread}/calls/{call}/participants is 403 for a non-participant of the thread', async () => {
    const mock = createTestMock()
    const res = await send(mock, 'jairo', 'GET', participantsPath(IDS.johnJane, IDS.janesCall))
    expect(res).toEqual({ status: 403, body: { message: 'Not authorized to view participants.' } })
  })

  it('GET /api/messenger/threads/{thread}/calls/{call}/participants answers 404 for a foreign call and 401 without a user', async () => {
    const mock = createTestMock()
    expect(await send(mock, 'john', 'GET', participantsPath(IDS.johnJairo, IDS.janesCall))).toEqual(
      {
        status: 404,
        body: notFound('Call', IDS.janesCall),
      }
    )
    expect(
      (await send(mock, undefined, 'GET', participantsPath(IDS.johnJane, IDS.janesCall))).status
    ).toBe(401)
  })
})

describe('showCallParticipant', () => {
  it('GET /api/messenger/threads/{thread}/calls/{call}/participants/{participant} shows Jairo to John like the documented one', async () => {
    const mock = createTestMock()
    const { call, jairo } = await johnAndJairo(mock)
    const res = await send(mock, 'john', 'GET', participantsPath(IDS.johnJairo, call, jairo.id))
    expectLikeDocumentedCall('showCallParticipant', res.status, res.body)
    expectValidResponse('showCallParticipant', 200, res.body)
    expect(res.body).toMatchObject({ id: jairo.id, call_id: call, owner_id: IDS.jairo })
  })

  it('GET /api/messenger/threads/{thread}/calls/{call}/participants/{participant} is 403 for a non-participant of the thread', async () => {
    const mock = createTestMock()
    const row = participantRow(mock, IDS.janesCall, IDS.jane)
    const res = await send(
      mock,
      'jairo',
      'GET',
      participantsPath(IDS.johnJane, IDS.janesCall, row?.id ?? '')
    )
    expect(res).toEqual({ status: 403, body: { message: 'Not authorized to view participant.' } })
  })

  it('GET /api/messenger/threads/{thread}/calls/{call}/participants/{participant} answers 404 for a participant of another call or an unknown id', async () => {
    const mock = createTestMock()
    const { call } = await johnAndJairo(mock)
    const janes = participantRow(mock, IDS.janesCall, IDS.jane)?.id ?? ''
    expect(await send(mock, 'john', 'GET', participantsPath(IDS.johnJairo, call, janes))).toEqual({
      status: 404,
      body: notFound('CallParticipant', janes),
    })
    expect(await send(mock, 'john', 'GET', participantsPath(IDS.johnJairo, call, 'zzz'))).toEqual({
      status: 404,
      body: notFound('CallParticipant', 'zzz'),
    })
  })
})

describe('updateCallParticipant', () => {
  it('PUT /api/messenger/threads/{thread}/calls/{call}/participants/{participant} kicks and un-kicks in a group; the kicked cannot rejoin until un-kicked', async () => {
    const mock = createTestMock()
    const { call, jane } = await partyCall(mock)
    mock.advance(5)
    const kicked = await kick(mock, 'john', call, jane.id, { kicked: true })
    expect(kicked).toEqual({ status: 200, body: { message: 'success' } })
    expectValidResponse('updateCallParticipant', 200, kicked.body)
    expect(participantRow(mock, call, IDS.jane)).toMatchObject({
      kicked: 1,
      left_call: '2020-12-08T06:25:05.000000Z',
    })
    const denied = { status: 403, body: { message: 'Not authorized to join this session.' } }
    expect(await send(mock, 'jane', 'POST', callPath(IDS.testParty, call, '/join'))).toEqual(denied)
    // A kicked user sees no room.
    const seen = await send(mock, 'jane', 'GET', callPath(IDS.testParty, call))
    expect((seen.body as Call).options).toEqual(
      optionsWith('setup_complete', 'left_call', 'joined', 'kicked')
    )

    const unkicked = await kick(mock, 'john', call, jane.id, { kicked: false })
    expect(unkicked).toEqual({ status: 200, body: { message: 'success' } })
    expect(participantRow(mock, call, IDS.jane)).toMatchObject({
      kicked: 0,
      left_call: '2020-12-08T06:25:05.000000Z',
    })
    const rejoin = await send(mock, 'jane', 'POST', callPath(IDS.testParty, call, '/join'))
    expect(rejoin.status).toBe(200)
    expect(rejoin.body).toMatchObject({ id: jane.id, left_call: null })
  })

  it('PUT /api/messenger/threads/{thread}/calls/{call}/participants/{participant} never ends the call, even when nobody is left in it', async () => {
    const mock = createTestMock()
    const { call, jane, john } = await partyCall(mock)
    await kick(mock, 'john', call, jane.id, { kicked: true })
    expect(callRow(mock, call)?.call_ended).toBeNull()
    expect((await kick(mock, 'john', call, john.id, { kicked: true })).status).toBe(200)
    expect(callRow(mock, call)?.call_ended).toBeNull()
    const show = await send(mock, 'jane', 'GET', callPath(IDS.testParty, call))
    expect((show.body as Call).active).toBe(true)
  })

  it('PUT /api/messenger/threads/{thread}/calls/{call}/participants/{participant} is accepted as PATCH too', async () => {
    const mock = createTestMock()
    const { call, jane } = await partyCall(mock)
    const res = await send(mock, 'john', 'PATCH', participantsPath(IDS.testParty, call, jane.id), {
      kicked: '1',
    })
    expect(res).toEqual({ status: 200, body: { message: 'success' } })
    expect(participantRow(mock, call, IDS.jane)?.kicked).toBe(1)
  })

  it('PUT /api/messenger/threads/{thread}/calls/{call}/participants/{participant} is 403 in a private thread, even for the owner', async () => {
    const mock = createTestMock()
    const { call, jairo } = await johnAndJairo(mock)
    const res = await send(mock, 'john', 'PUT', participantsPath(IDS.johnJairo, call, jairo.id), {
      kicked: true,
    })
    expect(res).toEqual({
      status: 403,
      body: { message: 'Not authorized to kick / un-kick that participant.' },
    })
    expect(participantRow(mock, call, IDS.jairo)?.kicked).toBe(0)
  })

  it('PUT /api/messenger/threads/{thread}/calls/{call}/participants/{participant} is 403 for a group member who is no call admin, and for an admin not in the call', async () => {
    const mock = createTestMock()
    const { call, john, jane } = await partyCall(mock)
    const denied = {
      status: 403,
      body: { message: 'Not authorized to kick / un-kick that participant.' },
    }
    expect(await kick(mock, 'jane', call, john.id, { kicked: true })).toEqual(denied)
    await send(mock, 'john', 'POST', callPath(IDS.testParty, call, '/leave'))
    expect(await kick(mock, 'john', call, jane.id, { kicked: true })).toEqual(denied)
  })

  it('PUT /api/messenger/threads/{thread}/calls/{call}/participants/{participant} validates before authorizing: 422 for a stranger with a bad body, 403 with a good one', async () => {
    const mock = createTestMock()
    const { call, john } = await partyCall(mock)
    expect(await kick(mock, 'jairo', call, john.id, { kicked: 'x' })).toEqual({
      status: 422,
      body: {
        message: 'The given data was invalid.',
        errors: { kicked: ['The kicked field must be true or false.'] },
      },
    })
    expect(await kick(mock, 'jairo', call, john.id, {})).toEqual({
      status: 422,
      body: {
        message: 'The given data was invalid.',
        errors: { kicked: ['The kicked field is required.'] },
      },
    })
    expect(await kick(mock, 'jairo', call, john.id, { kicked: true })).toEqual({
      status: 403,
      body: { message: 'Not authorized to kick / un-kick that participant.' },
    })
  })

  it('PUT /api/messenger/threads/{thread}/calls/{call}/participants/{participant} answers 404 before 422 for a participant of another call, a foreign call or an unknown thread', async () => {
    const mock = createTestMock()
    const { call } = await partyCall(mock)
    const janes = participantRow(mock, IDS.janesCall, IDS.jane)?.id ?? ''
    expect(await kick(mock, 'john', call, janes, { kicked: 'x' })).toEqual({
      status: 404,
      body: notFound('CallParticipant', janes),
    })
    const foreign = participantsPath(IDS.testParty, IDS.janesCall, janes)
    expect(await send(mock, 'john', 'PUT', foreign, { kicked: 'x' })).toEqual({
      status: 404,
      body: notFound('Call', IDS.janesCall),
    })
    const noThread = participantsPath('gone', call, janes)
    expect(await send(mock, 'john', 'PUT', noThread, {})).toEqual({
      status: 404,
      body: notFound('Thread', 'gone'),
    })
  })

  it('PUT /api/messenger/threads/{thread}/calls/{call}/participants/{participant} answers 401 without a user', async () => {
    const mock = createTestMock()
    const { call, jane } = await partyCall(mock)
    expect((await kick(mock, undefined, call, jane.id, { kicked: true })).status).toBe(401)
  })
})
