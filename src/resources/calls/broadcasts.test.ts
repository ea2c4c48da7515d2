// The call routes broadcast the backend's events: each to the recipients the backend chose, with the
// payload the AsyncAPI document specifies, only after a request that succeeded (read through the
// broadcast journal, GET /mock/broadcasts).
import { describe, expect, it } from 'vitest'
import { broadcastValidator } from '../../testing/broadcast-validator.ts'
import { IDS, createTestMock } from '../../testing/harness.ts'
import type { TestMock } from '../../testing/harness.ts'
import { callPath, callsPath, johnAndJairoInCall, joinCall, send, startCall } from './testing.ts'

interface Entry {
  id: number
  at: string
  event: string
  channels: string[]
  data: Record<string, unknown>
}

const channel = (user: string) => `private-user.${user}`

async function journal(mock: TestMock, query = '', sandbox?: string): Promise<Entry[]> {
  const headers: Record<string, string> = sandbox === undefined ? {} : { 'X-Mock-Sandbox': sandbox }
  const res = await mock.request(`/mock/broadcasts${query}`, { headers })
  expect(res.status).toBe(200)
  return ((await res.json()) as { data: Entry[] }).data
}

/** The journal as [event, channels] pairs, in order. */
async function sent(mock: TestMock): Promise<[string, string[]][]> {
  return (await journal(mock)).map((entry) => [entry.event, entry.channels])
}

async function expectValidPayloads(mock: TestMock) {
  const validator = await broadcastValidator()
  for (const entry of await journal(mock)) {
    expect(validator.errors(entry.event, entry.data), entry.event).toEqual([])
  }
}

const summary = (
  call: string,
  thread: string,
  type: 1 | 2,
  updated = '2020-12-08T06:25:00.000000Z'
) => ({
  id: call,
  type: 1,
  type_verbose: 'VIDEO',
  thread_id: thread,
  thread_type: type,
  created_at: '2020-12-08T06:25:00.000000Z',
  updated_at: updated,
})

describe('call broadcasts', () => {
  it('starting a private call sends incoming.call to the other participant only, with the call and John as sender', async () => {
    const mock = createTestMock()
    const call = await startCall(mock, 'john', IDS.johnJairo)
    const [entry, ...rest] = await journal(mock)
    expect(rest).toEqual([])
    expect(entry?.event).toBe('incoming.call')
    expect(entry?.channels).toEqual([channel(IDS.jairo)])
    expect(entry?.at).toBe('2020-12-08T06:25:00.000000Z')
    const data = entry?.data as {
      call: unknown
      sender: { provider_id: string; base: { id: string } }
    }
    // A private thread's name and picture depend on who looks: left out.
    expect(data.call).toEqual(summary(call, IDS.johnJairo, 1))
    expect(data.sender.provider_id).toBe(IDS.john)
    expect(data.sender.base.id).toBe(IDS.john)
    expect(data.sender).not.toHaveProperty('options')
    await expectValidPayloads(mock)
  })

  it('starting a group call names the group and its picture, and reaches every other member', async () => {
    const mock = createTestMock()
    const call = await startCall(mock, 'john', IDS.testParty)
    const [entry] = await journal(mock)
    expect(entry?.channels).toEqual([channel(IDS.jane)])
    expect((entry?.data as { call: unknown }).call).toEqual({
      ...summary(call, IDS.testParty, 2),
      thread_name: 'Test Party!',
      api_thread_avatar: {
        sm: `/api/messenger/threads/${IDS.testParty}/avatar/sm/5.png`,
        md: `/api/messenger/threads/${IDS.testParty}/avatar/md/5.png`,
        lg: `/api/messenger/threads/${IDS.testParty}/avatar/lg/5.png`,
      },
      thread_avatar: {
        sm: `/messenger/threads/${IDS.testParty}/avatar/sm/5.png`,
        md: `/messenger/threads/${IDS.testParty}/avatar/md/5.png`,
        lg: `/messenger/threads/${IDS.testParty}/avatar/lg/5.png`,
      },
    })
    await expectValidPayloads(mock)
  })

  it('join, rejoin, leave and the last leave: joined.call and left.call to the user, call.ended to the thread', async () => {
    const { mock, id: call } = await johnAndJairoInCall()
    expect(
      (await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, call, '/leave'))).status
    ).toBe(200)
    await joinCall(mock, 'jairo', IDS.johnJairo, call)
    expect((await send(mock, 'john', 'POST', callPath(IDS.johnJairo, call, '/leave'))).status).toBe(
      200
    )
    mock.advance(30)
    expect(
      (await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, call, '/leave'))).status
    ).toBe(200)
    expect(await sent(mock)).toEqual([
      ['incoming.call', [channel(IDS.jairo)]],
      ['joined.call', [channel(IDS.jairo)]],
      ['left.call', [channel(IDS.jairo)]],
      ['joined.call', [channel(IDS.jairo)]],
      ['left.call', [channel(IDS.john)]],
      ['left.call', [channel(IDS.jairo)]],
      ['call.ended', [channel(IDS.john), channel(IDS.jairo)]],
    ])
    const entries = await journal(mock)
    expect(entries.at(-2)?.data).toEqual(summary(call, IDS.johnJairo, 1))
    // The ended call's summary is the row after it ended.
    expect(entries.at(-1)?.data).toEqual(
      summary(call, IDS.johnJairo, 1, '2020-12-08T06:25:30.000000Z')
    )
    await expectValidPayloads(mock)
  })

  it('the end route sends call.ended to every participant of the thread, in the call or not', async () => {
    const mock = createTestMock()
    const call = await startCall(mock, 'john', IDS.testParty)
    expect((await send(mock, 'john', 'POST', callPath(IDS.testParty, call, '/end'))).status).toBe(
      200
    )
    expect((await sent(mock)).at(-1)).toEqual([
      'call.ended',
      [channel(IDS.john), channel(IDS.jane)],
    ])
    expect((await journal(mock, '?event=call.ended'))[0]?.data).toEqual(
      summary(call, IDS.testParty, 2)
    )
  })

  it('kick and un-kick send call.kicked to the target, only when the participant changed', async () => {
    const mock = createTestMock()
    const call = await startCall(mock, 'john', IDS.testParty)
    const jane = await joinCall(mock, 'jane', IDS.testParty, call)
    const kick = (kicked: boolean) =>
      send(mock, 'john', 'PUT', callPath(IDS.testParty, call, `/participants/${jane.id}`), {
        kicked,
      })
    await mock.request('/mock/broadcasts', { method: 'DELETE' })
    expect((await kick(false)).status).toBe(200) // not kicked: nothing changes
    expect((await kick(true)).status).toBe(200)
    expect((await kick(true)).status).toBe(200) // already kicked at this very time
    expect((await kick(false)).status).toBe(200)
    expect(await sent(mock)).toEqual([
      ['call.kicked', [channel(IDS.jane)]],
      ['call.kicked', [channel(IDS.jane)]],
    ])
    expect((await journal(mock)).map((entry) => entry.data)).toEqual([
      { thread_id: IDS.testParty, call_id: call, kicked: true },
      { thread_id: IDS.testParty, call_id: call, kicked: false },
    ])
    await expectValidPayloads(mock)
  })

  it('a request that fails sends nothing', async () => {
    const mock = createTestMock()
    const call = await startCall(mock, 'john', IDS.johnJairo)
    await mock.request('/mock/broadcasts', { method: 'DELETE' })
    const failures = [
      await send(mock, 'john', 'POST', callsPath(IDS.johnJairo)), // a call is active: 403
      await send(mock, 'jane', 'POST', callPath(IDS.johnJairo, call, '/join')), // not in the thread
      await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, call, '/leave')), // not in the call
      await send(mock, 'jairo', 'POST', callPath(IDS.johnJairo, call, '/end')),
      await send(mock, undefined, 'POST', callsPath(IDS.johnJane)),
      await send(mock, 'john', 'PUT', callPath(IDS.johnJairo, call, '/participants/x'), {}),
    ]
    expect(failures.map((f) => f.status)).toEqual([403, 403, 403, 403, 401, 404])
    expect(await journal(mock)).toEqual([])
  })
})

describe('GET/DELETE /mock/broadcasts', () => {
  it('filters by event and channel, and DELETE empties the journal', async () => {
    const { mock, id: call } = await johnAndJairoInCall()
    expect((await send(mock, 'john', 'POST', callPath(IDS.johnJairo, call, '/end'))).status).toBe(
      200
    )
    expect((await journal(mock)).map((e) => e.id)).toEqual([1, 2, 3])
    expect((await journal(mock, '?event=joined.call')).map((e) => e.event)).toEqual(['joined.call'])
    expect((await journal(mock, `?channel=${channel(IDS.john)}`)).map((e) => e.event)).toEqual([
      'call.ended',
    ])
    expect(await journal(mock, '?event=call.ended&channel=private-user.nobody')).toEqual([])
    const cleared = await mock.request('/mock/broadcasts', { method: 'DELETE' })
    expect(await cleared.json()).toEqual({ message: 'success', deleted: 3 })
    expect(await journal(mock)).toEqual([])
  })

  it('is per sandbox, and a sandbox made again starts with an empty journal', async () => {
    const mock = createTestMock()
    const res = await mock.request(callsPath(IDS.johnJairo), {
      method: 'POST',
      token: 'john',
      headers: { 'X-Mock-Sandbox': 'one' },
    })
    expect(res.status).toBe(201)
    expect(await journal(mock, '', 'one')).toHaveLength(1)
    expect(await journal(mock, '', 'two')).toEqual([])
    expect(await journal(mock)).toEqual([])
    expect((await mock.request('/mock/sandboxes/one', { method: 'DELETE' })).status).toBe(200)
    expect(await journal(mock, '', 'one')).toEqual([])
  })
})
