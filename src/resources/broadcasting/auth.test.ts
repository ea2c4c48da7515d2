// POST /messenger/broadcasting/auth: the backend's channel rules, its answers, and Pusher's
// HMAC-SHA256 signatures (checked here with node:crypto, independently of the mock's signer).
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { IDS, createTestMock } from '../../testing/harness.ts'
import type { TestMock } from '../../testing/harness.ts'
import { expectValidResponse } from '../../testing/spec-validator.ts'
import { callPath, joinCall, send, startCall } from '../calls/testing.ts'

const SECRET = 'messenger-mock-secret'
const SOCKET = '1234.5678'
const hmac = (text: string) => createHmac('sha256', SECRET).update(text).digest('hex')

async function authorize(
  mock: TestMock,
  token: string | undefined,
  fields: Record<string, string>,
  form = true
) {
  const res = await mock.request('/messenger/broadcasting/auth', {
    method: 'POST',
    ...(token === undefined ? {} : { token }),
    headers: {
      'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json',
    },
    body: form ? new URLSearchParams(fields).toString() : JSON.stringify(fields),
  })
  const body = (await res.json()) as Record<string, unknown>
  if (res.status !== 401) {
    expectValidResponse('authorizeChannel', res.status, body)
  }
  return { status: res.status, body }
}

const join = (mock: TestMock, token: string, channel: string) =>
  authorize(mock, token, { socket_id: SOCKET, channel_name: channel })

describe('POST /messenger/broadcasting/auth', () => {
  it('signs a user into their own private channel (form body, as pusher-js sends it)', async () => {
    const mock = createTestMock()
    const channel = `private-user.${IDS.jairo}`
    const res = await join(mock, 'jairo', channel)
    expect(res).toEqual({
      status: 200,
      body: { auth: `messenger-mock:${hmac(`${SOCKET}:${channel}`)}` },
    })
  })

  it('takes a JSON body too', async () => {
    const mock = createTestMock()
    const channel = `private-user.${IDS.john}`
    const res = await authorize(mock, 'john', { socket_id: SOCKET, channel_name: channel }, false)
    expect(res.body).toEqual({ auth: `messenger-mock:${hmac(`${SOCKET}:${channel}`)}` })
  })

  it("refuses another user's private channel with an empty 403, and a guest with 401", async () => {
    const mock = createTestMock()
    expect(await join(mock, 'jane', `private-user.${IDS.jairo}`)).toEqual({
      status: 403,
      body: { message: '' },
    })
    expect(
      await authorize(mock, undefined, {
        socket_id: SOCKET,
        channel_name: `private-user.${IDS.jairo}`,
      })
    ).toEqual({ status: 401, body: { message: 'Unauthenticated.' } })
  })

  it('signs a thread participant into the thread presence channel with their channel_data', async () => {
    const mock = createTestMock()
    const channel = `presence-thread.${IDS.johnJairo}`
    const res = await join(mock, 'jairo', channel)
    expect(res.status).toBe(200)
    const channelData = res.body['channel_data'] as string
    expect(JSON.parse(channelData)).toEqual({
      user_id: IDS.jairo,
      user_info: {
        name: "Jairo O'Kon I",
        route: null,
        provider_id: IDS.jairo,
        provider_alias: 'user',
        api_avatar: {
          sm: `/api/messenger/images/user/${IDS.jairo}/sm/default.png`,
          md: `/api/messenger/images/user/${IDS.jairo}/md/default.png`,
          lg: `/api/messenger/images/user/${IDS.jairo}/lg/default.png`,
        },
        avatar: {
          sm: `/images/user/${IDS.jairo}/sm/default.png`,
          md: `/images/user/${IDS.jairo}/md/default.png`,
          lg: `/images/user/${IDS.jairo}/lg/default.png`,
        },
      },
    })
    expect(res.body['auth']).toBe(`messenger-mock:${hmac(`${SOCKET}:${channel}:${channelData}`)}`)
  })

  it('refuses the thread presence channel to a non-participant and to one awaiting their own approval', async () => {
    const mock = createTestMock()
    expect(await join(mock, 'jane', `presence-thread.${IDS.johnJairo}`)).toEqual({
      status: 403,
      body: { message: 'Not authorized join that thread.' },
    })
    mock.world.db
      .prepare('UPDATE participants SET pending = 1 WHERE thread_id = ? AND owner_id = ?')
      .run(IDS.johnJairo, IDS.jairo)
    expect((await join(mock, 'jairo', `presence-thread.${IDS.johnJairo}`)).status).toBe(403)
    // The other side of the pending thread is not awaiting anything.
    expect((await join(mock, 'john', `presence-thread.${IDS.johnJairo}`)).status).toBe(200)
  })

  it('lets into the call presence channel only who joined the active call and was not kicked', async () => {
    const mock = createTestMock()
    const call = await startCall(mock, 'john', IDS.testParty)
    const channel = `presence-call.${call}.thread.${IDS.testParty}`
    const deny = { status: 403, body: { message: 'Not authorized join that call.' } }
    expect((await join(mock, 'john', channel)).status).toBe(200)
    expect(await join(mock, 'jane', channel)).toEqual(deny) // not joined yet
    const jane = await joinCall(mock, 'jane', IDS.testParty, call)
    expect((await join(mock, 'jane', channel)).status).toBe(200)
    const kick = await send(
      mock,
      'john',
      'PUT',
      callPath(IDS.testParty, call, `/participants/${jane.id}`),
      { kicked: true }
    )
    expect(kick.status).toBe(200)
    expect(await join(mock, 'jane', channel)).toEqual(deny)
    expect((await send(mock, 'john', 'POST', callPath(IDS.testParty, call, '/end'))).status).toBe(
      200
    )
    expect(await join(mock, 'john', channel)).toEqual(deny) // the call ended
    expect(await join(mock, 'jairo', `presence-call.${call}.thread.${IDS.johnJairo}`)).toEqual(deny)
  })

  it('answers an empty 403 for unknown channels, threads and calls, and a missing channel name', async () => {
    const mock = createTestMock()
    const empty = { status: 403, body: { message: '' } }
    expect(await join(mock, 'john', 'private-something.else')).toEqual(empty)
    expect(await join(mock, 'john', 'public-channel')).toEqual(empty)
    expect(
      await join(mock, 'john', 'presence-thread.00000000-0000-0000-0000-000000000000')
    ).toEqual(empty)
    expect(await join(mock, 'john', `presence-call.nope.thread.${IDS.johnJairo}`)).toEqual(empty)
    expect(await authorize(mock, 'john', { socket_id: SOCKET })).toEqual(empty)
  })

  it('answers 422 for a missing or malformed socket id', async () => {
    const mock = createTestMock()
    const channel_name = `private-user.${IDS.john}`
    expect(await authorize(mock, 'john', { channel_name })).toEqual({
      status: 422,
      body: {
        message: 'The given data was invalid.',
        errors: { socket_id: ['The socket id field is required.'] },
      },
    })
    expect((await authorize(mock, 'john', { socket_id: '1234', channel_name })).body).toEqual({
      message: 'The given data was invalid.',
      errors: { socket_id: ['The socket id format is invalid.'] },
    })
    const empty = await mock.request('/messenger/broadcasting/auth', {
      method: 'POST',
      token: 'john',
    })
    expect(empty.status).toBe(422)
  })
})
