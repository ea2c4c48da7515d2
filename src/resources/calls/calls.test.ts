// The call routes: start, show, index/page, join, leave, heartbeat, end and active calls.
import { describe, expect, it } from 'vitest'
import { IDS, createTestMock } from '../../testing/harness.ts'
import { expectValidResponse } from '../../testing/spec-validator.ts'
import { expectLikeDocumentedCall } from './documented.ts'
import {
  allowStartCalls,
  callPath,
  callRow,
  callsPath,
  joinCall,
  notFound,
  participantRow,
  send,
  startCall,
  threadRow,
  johnAndJairoInCall,
  optionsWith,
} from './testing.ts'
import type { Call, CallParticipant, CallsPage } from './testing.ts'

const T0 = '2020-12-08T06:25:00.000000Z'

describe('storeCall', () => {
  it('POST /api/messenger/threads/{thread}/calls starts a call answered like the documented one', async () => {
    const mock = createTestMock()
    const res = await send(mock, 'john', 'POST', callsPath(IDS.johnJairo), {})
    expectLikeDocumentedCall('storeCall', res.status, res.body)
    expectValidResponse('storeCall', 201, res.body)
    const call = res.body as Call
    expect(call.thread_id).toBe(IDS.johnJairo)
    expect(call.owner_id).toBe(IDS.john)
    expect([call.created_at, call.updated_at]).toEqual([T0, T0])
    expect(call.options).toEqual(optionsWith())
  })

  it('POST /api/messenger/threads/{thread}/calls completes setup and adds the owner in one go', async () => {
    const mock = createTestMock()
    const id = await startCall(mock, 'john', IDS.johnJairo)
    const row = callRow(mock, id)
    expect(row).toMatchObject({ setup_complete: 1, payload: null, call_ended: null, type: 1 })
    expect(Number.isSafeInteger(row?.room_id)).toBe(true)
    expect(row?.room_pin).toMatch(/^[A-Za-z0-9]{6}$/)
    expect(row?.room_secret).toMatch(/^[A-Za-z0-9]{12}$/)
    expect(participantRow(mock, id, IDS.john)).toMatchObject({
      kicked: 0,
      left_call: null,
      last_seen: T0,
      created_at: T0,
    })
    expect(threadRow(mock, IDS.johnJairo)?.call_lockout_until).toBe('2020-12-08T06:25:10.000000Z')
  })

  it('GET /api/messenger/threads/{thread}/calls/{call} then shows the owner in the set-up call like the documented one', async () => {
    const mock = createTestMock()
    const id = await startCall(mock, 'john', IDS.johnJairo)
    const res = await send(mock, 'john', 'GET', callPath(IDS.johnJairo, id))
    expectLikeDocumentedCall('showCall', res.status, res.body)
    expectValidResponse('showCall', 200, res.body)
    const options = (res.body as Call).options
    expect(options).toMatchObject({
      admin: true,
      setup_complete: true,
      in_call: true,
      joined: true,
    })
    expect(options?.room_id).toBe(callRow(mock, id)?.room_id)
    expect(options?.room_pin).toBe(callRow(mock, id)?.room_pin)
    expect(options?.payload).toBeNull()
  })

  it('POST /api/messenger/threads/{thread}/calls answers 401 without a user', async () => {
    const mock = createTestMock()
    const res = await send(mock, undefined, 'POST', callsPath(IDS.johnJairo))
    expect(res).toEqual({ status: 401, body: { message: 'Unauthenticated.' } })
  })

  it('POST /api/messenger/threads/{thread}/calls answers the Thread 404 for an unknown or malformed id', async () => {
    const mock = createTestMock()
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await send(mock, 'john', 'POST', callsPath(id))
      expect(res).toEqual({ status: 404, body: notFound('Thread', id) })
    }
  })

  it('POST /api/messenger/threads/{thread}/calls is 403 for a non-participant, a member without start_calls and a thread with an active call', async () => {
    const mock = createTestMock()
    const denied = { status: 403, body: { message: 'Not authorized to start a call.' } }
    expect(await send(mock, 'jairo', 'POST', callsPath(IDS.testParty))).toEqual(denied)
    expect(await send(mock, 'jane', 'POST', callsPath(IDS.testParty))).toEqual(denied)
    // Jane's call is active in the John–Jane thread.
    expect(await send(mock, 'john', 'POST', callsPath(IDS.johnJane))).toEqual(denied)
    expect(await send(mock, 'jane', 'POST', callsPath(IDS.johnJane))).toEqual(denied)
  })

  it('POST /api/messenger/threads/{thread}/calls is 403 when calling is switched off', async () => {
    const mock = createTestMock()
    mock.world.db
      .prepare("UPDATE world_config SET config = json_set(config, '$.calling', json('false'))")
      .run()
    mock.world.reloaded()
    const res = await send(mock, 'john', 'POST', callsPath(IDS.johnJairo))
    expect(res).toEqual({ status: 403, body: { message: 'Not authorized to start a call.' } })
  })

  it('POST /api/messenger/threads/{thread}/calls is 403 "awaiting creation" for 10 seconds after a start, even once that call ended', async () => {
    const mock = createTestMock()
    const id = await startCall(mock, 'john', IDS.johnJairo)
    expect((await send(mock, 'john', 'POST', callPath(IDS.johnJairo, id, '/end'))).status).toBe(200)
    const awaiting = (name: string) => ({
      status: 403,
      body: { message: `${name} has a call awaiting creation.` },
    })
    expect(await send(mock, 'john', 'POST', callsPath(IDS.johnJairo))).toEqual(
      awaiting("Jairo O'Kon I")
    )
    // The thread's name as the other side sees it.
    expect(await send(mock, 'jairo', 'POST', callsPath(IDS.johnJairo))).toEqual(
      awaiting('John Doe')
    )
    mock.advance(9)
    expect((await send(mock, 'jairo', 'POST', callsPath(IDS.johnJairo))).status).toBe(403)
    mock.advance(2)
    const res = await send(mock, 'jairo', 'POST', callsPath(IDS.johnJairo))
    expect(res.status).toBe(201)
    expect((res.body as Call).owner_id).toBe(IDS.jairo)
  })
})

describe('showCall', () => {
  it('GET /api/messenger/threads/{thread}/calls/{call} gives options without room fields to a user who has not joined', async () => {
    const mock = createTestMock()
    const res = await send(mock, 'john', 'GET', callPath(IDS.johnJane, IDS.janesCall))
    expect(res.status).toBe(200)
    expectValidResponse('showCall', 200, res.body)
    const call = res.body as Call
    expect(Object.keys(call)).not.toContain('participants')
    expect(call.options).toEqual(optionsWith('setup_complete'))
  })

  it('GET /api/messenger/threads/{thread}/calls/{call} of an ended call has participants and no options', async () => {
    const { mock, id } = await johnAndJairoInCall()
    mock.advance(5)
    expect((await send(mock, 'john', 'POST', callPath(IDS.johnJairo, id, '/end'))).status).toBe(200)
    const res = await send(mock, 'jairo', 'GET', callPath(IDS.johnJairo, id))
    expect(res.status).toBe(200)
    expectValidResponse('showCall', 200, res.body)
    const call = res.body as Call
    expect(call.active).toBe(false)
    expect(Object.keys(call)).toEqual([
      'id',
      'active',
      'type',
      'type_verbose',
      'thread_id',
      'created_at',
      'updated_at',
      'owner_id',
      'owner_type',
      'owner',
      'meta',
      'participants',
    ])
    expect(call.participants?.map((p) => [p.owner_id, p.left_call])).toEqual([
      [IDS.john, '2020-12-08T06:25:05.000000Z'],
      [IDS.jairo, '2020-12-08T06:25:05.000000Z'],
    ])
    // Owners carry options as seen by the viewer (Jairo).
    expect(call.participants?.[0]?.owner.options.friend_status).toBe(1)
    expect(call.participants?.[1]?.owner.options.can_message_first).toBe(false)
  })

  it('GET /api/messenger/threads/{thread}/calls/{call} is 403 for a non-participant of the thread', async () => {
    const mock = createTestMock()
    const res = await send(mock, 'jairo', 'GET', callPath(IDS.johnJane, IDS.janesCall))
    expect(res).toEqual({ status: 403, body: { message: 'Not authorized to view call.' } })
  })

  it('GET /api/messenger/threads/{thread}/calls/{call} answers 404 for a call of another thread, a malformed id and an unknown thread', async () => {
    const mock = createTestMock()
    expect(await send(mock, 'john', 'GET', callPath(IDS.johnJairo, IDS.janesCall))).toEqual({
      status: 404,
      body: notFound('Call', IDS.janesCall),
    })
    expect(await send(mock, 'john', 'GET', callPath(IDS.johnJane, 'nope'))).toEqual({
      status: 404,
      body: notFound('Call', 'nope'),
    })
    expect(await send(mock, 'john', 'GET', callPath('nope', IDS.janesCall))).toEqual({
      status: 404,
      body: notFound('Thread', 'nope'),
    })
  })

  it('GET /api/messenger/threads/{thread}/calls/page without an id is the Call 404 of "page"', async () => {
    const mock = createTestMock()
    expect(await send(mock, 'john', 'GET', callPath(IDS.johnJane, 'page'))).toEqual({
      status: 404,
      body: notFound('Call', 'page'),
    })
  })

  it('GET /api/messenger/threads/{thread}/calls/{call} finds ids in upper case, as MySQL did', async () => {
    const mock = createTestMock()
    const path = callPath(IDS.johnJane.toUpperCase(), IDS.janesCall.toUpperCase())
    const res = await send(mock, 'jane', 'GET', path)
    expect(res.status).toBe(200)
    expect((res.body as Call).id).toBe(IDS.janesCall)
  })

  it('GET /api/messenger/threads/{thread}/calls/{call} answers 401 without a user', async () => {
    const mock = createTestMock()
    const res = await send(mock, undefined, 'GET', callPath(IDS.johnJane, IDS.janesCall))
    expect(res.status).toBe(401)
  })
})

describe('indexCalls and pageCalls', () => {
  it('GET /api/messenger/threads/{thread}/calls lists an active and an ended call like the documented index', async () => {
    const mock = createTestMock()
    const first = await startCall(mock, 'john', IDS.johnJairo)
    await send(mock, 'john', 'POST', callPath(IDS.johnJairo, first, '/end'))
    mock.advance(11)
    const second = await startCall(mock, 'john', IDS.johnJairo)
    const res = await send(mock, 'john', 'GET', callsPath(IDS.johnJairo))
    expectLikeDocumentedCall('indexCalls', res.status, res.body)
    expectValidResponse('indexCalls', 200, res.body)
    const page = res.body as CallsPage
    expect(page.data.map((call) => call.id)).toEqual([second, first])
    expect(page.data[0]?.options?.room_pin).toBe(callRow(mock, second)?.room_pin)
  })

  it('GET /api/messenger/threads/{thread}/calls/page/{call} after the last call is an empty final page', async () => {
    const mock = createTestMock()
    const first = await startCall(mock, 'john', IDS.johnJairo)
    await send(mock, 'john', 'POST', callPath(IDS.johnJairo, first, '/end'))
    mock.advance(11)
    await startCall(mock, 'john', IDS.johnJairo)
    const res = await send(mock, 'jairo', 'GET', callPath(IDS.johnJairo, `page/${first}`))
    expect(res).toEqual({
      status: 200,
      body: {
        data: [],
        meta: {
          index: false,
          page_id: first,
          next_page_id: null,
          next_page_route: null,
          final_page: true,
          per_page: 25,
          results: 0,
          total: 2,
        },
      },
    })
    expectValidResponse('pageCalls', 200, res.body)
  })

  it('GET /api/messenger/threads/{thread}/calls pages 30 calls as 25 + 5, newest first, through next_page_route', async () => {
    const mock = createTestMock()
    const ids: string[] = []
    for (let i = 0; i < 30; i++) {
      if (i > 0) {
        mock.advance(11)
      }
      const id = await startCall(mock, 'john', IDS.johnJairo)
      expect((await send(mock, 'john', 'POST', callPath(IDS.johnJairo, id, '/end'))).status).toBe(
        200
      )
      ids.push(id)
    }
    const newestFirst = [...ids].reverse()

    const index = await send(mock, 'john', 'GET', callsPath(IDS.johnJairo))
    expect(index.status).toBe(200)
    expectValidResponse('indexCalls', 200, index.body)
    const first = index.body as CallsPage
    expect(first.data.map((call) => call.id)).toEqual(newestFirst.slice(0, 25))
    expect(first.data.every((call) => !('options' in call) && !('participants' in call))).toBe(true)
    expect(first.meta).toEqual({
      index: true,
      page_id: null,
      next_page_id: newestFirst[24],
      next_page_route: `/api/messenger/threads/${IDS.johnJairo}/calls/page/${newestFirst[24] ?? ''}`,
      final_page: false,
      per_page: 25,
      results: 25,
      total: 30,
    })

    const next = await send(mock, 'john', 'GET', first.meta.next_page_route ?? '')
    expect(next.status).toBe(200)
    expectValidResponse('pageCalls', 200, next.body)
    const second = next.body as CallsPage
    expect(second.data.map((call) => call.id)).toEqual(newestFirst.slice(25))
    expect(second.meta).toEqual({
      index: false,
      page_id: newestFirst[24],
      next_page_id: null,
      next_page_route: null,
      final_page: true,
      per_page: 25,
      results: 5,
      total: 30,
    })
  })

  it('GET /api/messenger/threads/{thread}/calls counts a call started after a read, and the calls of a replaced world', async () => {
    const mock = createTestMock()
    const total = async () => {
      const res = await send(mock, 'john', 'GET', callsPath(IDS.johnJairo))
      return (res.body as CallsPage).meta.total
    }
    const before = await total()
    await startCall(mock, 'john', IDS.johnJairo)
    expect(await total()).toBe(before + 1)
    const world = await mock.request('/mock/world')
    const document = (await world.json()) as { calls: { thread_id: string }[] }
    const replaced = await mock.request('/mock/world', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        ...document,
        calls: document.calls.filter((call) => call.thread_id !== IDS.johnJairo),
        call_participants: [],
      }),
    })
    expect(replaced.status).toBe(200)
    expect(await total()).toBe(0)
  })

  it('GET /api/messenger/threads/{thread}/calls is 403 for a non-participant, as is the page route', async () => {
    const mock = createTestMock()
    const denied = { status: 403, body: { message: 'Not authorized to view calls.' } }
    expect(await send(mock, 'jairo', 'GET', callsPath(IDS.johnJane))).toEqual(denied)
    expect(
      await send(mock, 'jairo', 'GET', callPath(IDS.johnJane, `page/${IDS.janesCall}`))
    ).toEqual(denied)
  })

  it('GET /api/messenger/threads/{thread}/calls shows the options of an active call for the viewer only', async () => {
    const mock = createTestMock()
    const res = await send(mock, 'jane', 'GET', callsPath(IDS.johnJane))
    expect(res.status).toBe(200)
    expectValidResponse('indexCalls', 200, res.body)
    const page = res.body as CallsPage
    expect(page.data[0]?.options).toMatchObject({ admin: true, in_call: true, room_pin: 'Qx7bTf' })
    expect(page.meta).toMatchObject({ index: true, final_page: true, results: 1, total: 1 })
  })

  it('GET /api/messenger/threads/{thread}/calls/page/{call} answers 404 for a call of another thread and an unknown thread', async () => {
    const mock = createTestMock()
    expect(
      await send(mock, 'john', 'GET', callPath(IDS.johnJairo, `page/${IDS.janesCall}`))
    ).toEqual({ status: 404, body: notFound('Call', IDS.janesCall) })
    expect(await send(mock, 'john', 'GET', callsPath('x'))).toEqual({
      status: 404,
      body: notFound('Thread', 'x'),
    })
  })

  it('GET /api/messenger/threads/{thread}/calls answers 401 without a user', async () => {
    const mock = createTestMock()
    expect((await send(mock, undefined, 'GET', callsPath(IDS.johnJane))).status).toBe(401)
  })
})

describe('joinCall', () => {
  it('POST /api/messenger/threads/{thread}/calls/{call}/join first join is 201 like the documented one', async () => {
    const mock = createTestMock()
    const id = await startCall(mock, 'john', IDS.johnJairo)
    const res = await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, id, '/join'), {})
    expectLikeDocumentedCall('joinCall', res.status, res.body)
    expectValidResponse('joinCall', 201, res.body)
    const participant = res.body as CallParticipant
    expect(participant).toMatchObject({ call_id: id, owner_id: IDS.jairo, left_call: null })
    expect(participantRow(mock, id, IDS.jairo)).toMatchObject({ last_seen: T0, kicked: 0 })
  })

  it('POST /api/messenger/threads/{thread}/calls/{call}/join rejoin clears left_call with 200, and is harmless while in the call', async () => {
    const mock = createTestMock()
    const id = await startCall(mock, 'john', IDS.johnJairo)
    const joined = await joinCall(mock, 'jairo', IDS.johnJairo, id)
    mock.advance(3)
    expect((await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, id, '/leave'))).status).toBe(
      200
    )
    expect(participantRow(mock, id, IDS.jairo)?.left_call).toBe('2020-12-08T06:25:03.000000Z')
    mock.advance(3)
    const rejoin = await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, id, '/join'))
    expect(rejoin.status).toBe(200)
    expectValidResponse('joinCall', 200, rejoin.body)
    expect(rejoin.body).toMatchObject({
      id: joined.id,
      left_call: null,
      updated_at: '2020-12-08T06:25:06.000000Z',
    })
    expect(participantRow(mock, id, IDS.jairo)?.last_seen).toBe('2020-12-08T06:25:06.000000Z')
    const again = await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, id, '/join'))
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ id: joined.id, left_call: null })
  })

  it('POST /api/messenger/threads/{thread}/calls/{call}/join is 403 for a non-participant and on an ended call', async () => {
    const mock = createTestMock()
    const denied = { status: 403, body: { message: 'Not authorized to join this session.' } }
    expect(
      await send(mock, 'jairo', 'POST', callPath(IDS.johnJane, IDS.janesCall, '/join'))
    ).toEqual(denied)
    const id = await startCall(mock, 'john', IDS.johnJairo)
    await send(mock, 'john', 'POST', callPath(IDS.johnJairo, id, '/end'))
    expect(await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, id, '/join'))).toEqual(denied)
    expect(await send(mock, 'john', 'POST', callPath(IDS.johnJairo, id, '/join'))).toEqual(denied)
  })

  it('POST /api/messenger/threads/{thread}/calls/{call}/join answers 404 for a call of another thread', async () => {
    const mock = createTestMock()
    expect(
      await send(mock, 'john', 'POST', callPath(IDS.johnJairo, IDS.janesCall, '/join'))
    ).toEqual({ status: 404, body: notFound('Call', IDS.janesCall) })
  })

  it('POST /api/messenger/threads/{thread}/calls/{call}/join answers 401 without a user', async () => {
    const mock = createTestMock()
    const res = await send(mock, undefined, 'POST', callPath(IDS.johnJane, IDS.janesCall, '/join'))
    expect(res.status).toBe(401)
  })
})

describe('leaveCall', () => {
  it('POST /api/messenger/threads/{thread}/calls/{call}/leave marks the user as left and keeps the call while others stay', async () => {
    const { mock, id } = await johnAndJairoInCall()
    mock.advance(4)
    const res = await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, id, '/leave'), {})
    expect(res).toEqual({ status: 200, body: { message: 'success' } })
    expectValidResponse('leaveCall', 200, res.body)
    expect(participantRow(mock, id, IDS.jairo)?.left_call).toBe('2020-12-08T06:25:04.000000Z')
    expect(callRow(mock, id)?.call_ended).toBeNull()
    const show = await send(mock, 'jairo', 'GET', callPath(IDS.johnJairo, id))
    expect((show.body as Call).options).toMatchObject({
      in_call: false,
      left_call: true,
      joined: true,
      admin: false,
    })
  })

  it('POST /api/messenger/threads/{thread}/calls/{call}/leave by the last one in ends the call as end does', async () => {
    const { mock, id } = await johnAndJairoInCall()
    await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, id, '/leave'))
    mock.advance(7)
    expect((await send(mock, 'john', 'POST', callPath(IDS.johnJairo, id, '/leave'))).status).toBe(
      200
    )
    const ended = '2020-12-08T06:25:07.000000Z'
    expect(callRow(mock, id)).toMatchObject({ call_ended: ended, updated_at: ended })
    expect(threadRow(mock, IDS.johnJairo)?.updated_at).toBe(ended)
    const show = await send(mock, 'john', 'GET', callPath(IDS.johnJairo, id))
    const call = show.body as Call
    expect(call.active).toBe(false)
    expect('options' in call).toBe(false)
    expect(call.participants?.map((p) => p.owner_id)).toEqual([IDS.john, IDS.jairo])
  })

  it('POST /api/messenger/threads/{thread}/calls/{call}/leave is 403 for a user not in the call', async () => {
    const mock = createTestMock()
    const denied = { status: 403, body: { message: 'Not authorized to leave that session.' } }
    // John belongs to the thread but never joined Jane's call.
    expect(
      await send(mock, 'john', 'POST', callPath(IDS.johnJane, IDS.janesCall, '/leave'))
    ).toEqual(denied)
    expect(
      await send(mock, 'jairo', 'POST', callPath(IDS.johnJane, IDS.janesCall, '/leave'))
    ).toEqual(denied)
    const id = await startCall(mock, 'john', IDS.johnJairo)
    await joinCall(mock, 'jairo', IDS.johnJairo, id)
    await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, id, '/leave'))
    expect(await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, id, '/leave'))).toEqual(denied)
  })

  it('POST /api/messenger/threads/{thread}/calls/{call}/leave answers 404 for a call of another thread', async () => {
    const mock = createTestMock()
    const res = await send(mock, 'jane', 'POST', callPath(IDS.testParty, IDS.janesCall, '/leave'))
    expect(res).toEqual({ status: 404, body: notFound('Call', IDS.janesCall) })
  })
})

describe('callHeartbeat', () => {
  it('GET /api/messenger/threads/{thread}/calls/{call}/heartbeat keeps the user seen', async () => {
    const mock = createTestMock()
    mock.advance(30)
    const res = await send(mock, 'jane', 'GET', callPath(IDS.johnJane, IDS.janesCall, '/heartbeat'))
    expect(res).toEqual({ status: 200, body: { message: 'success' } })
    expectValidResponse('callHeartbeat', 200, res.body)
    expect(participantRow(mock, IDS.janesCall, IDS.jane)?.last_seen).toBe(
      '2020-12-08T06:25:30.000000Z'
    )
  })

  it('GET /api/messenger/threads/{thread}/calls/{call}/heartbeat is 403 for a user not in the call', async () => {
    const mock = createTestMock()
    const denied = { status: 403, body: { message: 'Not authorized to be in that session.' } }
    expect(
      await send(mock, 'john', 'GET', callPath(IDS.johnJane, IDS.janesCall, '/heartbeat'))
    ).toEqual(denied)
    await send(mock, 'jane', 'POST', callPath(IDS.johnJane, IDS.janesCall, '/end'))
    expect(
      await send(mock, 'jane', 'GET', callPath(IDS.johnJane, IDS.janesCall, '/heartbeat'))
    ).toEqual(denied)
  })

  it('POST /api/messenger/threads/{thread}/calls/{call}/heartbeat is 405: the heartbeat is a GET', async () => {
    const mock = createTestMock()
    const res = await send(
      mock,
      'jane',
      'POST',
      callPath(IDS.johnJane, IDS.janesCall, '/heartbeat')
    )
    expect(res).toEqual({
      status: 405,
      body: {
        message: 'The POST method is not supported for this route. Supported methods: GET, HEAD.',
      },
    })
  })

  it('GET /api/messenger/threads/{thread}/calls/{call}/heartbeat answers 404 for an unknown call', async () => {
    const mock = createTestMock()
    const res = await send(mock, 'jane', 'GET', callPath(IDS.johnJane, IDS.johnJairo, '/heartbeat'))
    expect(res).toEqual({ status: 404, body: notFound('Call', IDS.johnJairo) })
  })
})

describe('endCall', () => {
  it('POST /api/messenger/threads/{thread}/calls/{call}/end by the owner of a private call ends it for everyone', async () => {
    const { mock, id } = await johnAndJairoInCall()
    mock.advance(20)
    const res = await send(mock, 'john', 'POST', callPath(IDS.johnJairo, id, '/end'))
    expect(res).toEqual({ status: 200, body: { message: 'success' } })
    expectValidResponse('endCall', 200, res.body)
    const ended = '2020-12-08T06:25:20.000000Z'
    expect(callRow(mock, id)?.call_ended).toBe(ended)
    expect(participantRow(mock, id, IDS.john)?.left_call).toBe(ended)
    expect(participantRow(mock, id, IDS.jairo)?.left_call).toBe(ended)
    // The system message makes the thread unread.
    expect(threadRow(mock, IDS.johnJairo)?.updated_at).toBe(ended)
  })

  it('POST /api/messenger/threads/{thread}/calls/{call}/end is 403 for the other side of a private call', async () => {
    const { mock, id } = await johnAndJairoInCall()
    const res = await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, id, '/end'))
    expect(res).toEqual({ status: 403, body: { message: 'Not authorized to end that session.' } })
    expect(callRow(mock, id)?.call_ended).toBeNull()
  })

  it('POST /api/messenger/threads/{thread}/calls/{call}/end is 403 for a group member who is not an admin', async () => {
    const mock = createTestMock()
    const id = await startCall(mock, 'john', IDS.testParty)
    await joinCall(mock, 'jane', IDS.testParty, id)
    const res = await send(mock, 'jane', 'POST', callPath(IDS.testParty, id, '/end'))
    expect(res).toEqual({ status: 403, body: { message: 'Not authorized to end that session.' } })
  })

  it('POST /api/messenger/threads/{thread}/calls/{call}/end is allowed to a group admin who did not start the call, once in it', async () => {
    const mock = createTestMock()
    allowStartCalls(mock, IDS.testParty, IDS.jane)
    const id = await startCall(mock, 'jane', IDS.testParty)
    const denied = { status: 403, body: { message: 'Not authorized to end that session.' } }
    expect(await send(mock, 'john', 'POST', callPath(IDS.testParty, id, '/end'))).toEqual(denied)
    await joinCall(mock, 'john', IDS.testParty, id)
    expect((await send(mock, 'john', 'POST', callPath(IDS.testParty, id, '/end'))).status).toBe(200)
    expect(callRow(mock, id)?.call_ended).toBe(T0)
  })

  it('POST /api/messenger/threads/{thread}/calls/{call}/end is 403 for an owner who left and on an ended call', async () => {
    const { mock, id } = await johnAndJairoInCall()
    await send(mock, 'john', 'POST', callPath(IDS.johnJairo, id, '/leave'))
    const denied = { status: 403, body: { message: 'Not authorized to end that session.' } }
    expect(await send(mock, 'john', 'POST', callPath(IDS.johnJairo, id, '/end'))).toEqual(denied)
    await send(mock, 'jane', 'POST', callPath(IDS.johnJane, IDS.janesCall, '/end'))
    expect(await send(mock, 'jane', 'POST', callPath(IDS.johnJane, IDS.janesCall, '/end'))).toEqual(
      denied
    )
  })

  it('POST /api/messenger/threads/{thread}/calls/{call}/end answers 404 for a call of another thread and 401 without a user', async () => {
    const mock = createTestMock()
    expect(
      await send(mock, 'jane', 'POST', callPath(IDS.testParty, IDS.janesCall, '/end'))
    ).toEqual({
      status: 404,
      body: notFound('Call', IDS.janesCall),
    })
    const res = await send(mock, undefined, 'POST', callPath(IDS.johnJane, IDS.janesCall, '/end'))
    expect(res.status).toBe(401)
  })
})

describe('activeCalls', () => {
  it("GET /api/messenger/active-calls lists Jane's call to John like the documented one", async () => {
    const mock = createTestMock()
    const res = await send(mock, 'john', 'GET', '/api/messenger/active-calls')
    expectLikeDocumentedCall('activeCalls', res.status, res.body)
    expectValidResponse('activeCalls', 200, res.body)
    expect((res.body as Call[]).map((call) => call.id)).toEqual([IDS.janesCall])
  })

  it("GET /api/messenger/active-calls lists only active calls of the user's threads, with the user's options", async () => {
    const mock = createTestMock()
    expect((await send(mock, 'jairo', 'GET', '/api/messenger/active-calls')).body).toEqual([])
    const id = await startCall(mock, 'john', IDS.johnJairo)
    const jairo = await send(mock, 'jairo', 'GET', '/api/messenger/active-calls')
    expectValidResponse('activeCalls', 200, jairo.body)
    const calls = jairo.body as Call[]
    expect(calls.map((call) => call.id)).toEqual([id])
    expect(calls[0]?.options).toEqual(optionsWith('setup_complete'))
    const john = await send(mock, 'john', 'GET', '/api/messenger/active-calls')
    expect((john.body as Call[]).map((call) => call.id).sort()).toEqual([id, IDS.janesCall].sort())
    await send(mock, 'john', 'POST', callPath(IDS.johnJairo, id, '/end'))
    expect((await send(mock, 'jairo', 'GET', '/api/messenger/active-calls')).body).toEqual([])
  })

  it('GET /api/messenger/active-calls answers 401 without a user', async () => {
    const mock = createTestMock()
    expect((await send(mock, undefined, 'GET', '/api/messenger/active-calls')).status).toBe(401)
  })
})
