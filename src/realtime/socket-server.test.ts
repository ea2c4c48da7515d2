// The Pusher protocol at the frame level, with a plain `ws` client against a real started server:
// the handshake, the error codes, ping/pong, signatures, presence lists, client events, unsubscribe.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startLiveServer } from '../testing/live-server.ts'
import type { LiveServer } from '../testing/live-server.ts'

let live: LiveServer
beforeAll(async () => {
  live = await startLiveServer()
})
afterAll(async () => {
  await live.close()
})

interface Frame {
  event: string
  channel?: string
  data: unknown
  user_id?: string
}

/** A raw socket that queues every frame it receives and can wait for the next one. */
class RawClient {
  readonly socket: WebSocket
  readonly frames: Frame[] = []
  private waiting: ((frame: Frame) => void)[] = []
  readonly closed: Promise<{ code: number; reason: string }>

  constructor(path: string) {
    this.socket = new WebSocket(`ws://127.0.0.1:${live.port}${path}`)
    this.socket.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString('utf8')) as Frame
      const waiter = this.waiting.shift()
      if (waiter) {
        waiter(frame)
      } else {
        this.frames.push(frame)
      }
    })
    this.closed = new Promise((resolve) => {
      this.socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString('utf8') })
      })
    })
  }

  next(): Promise<Frame> {
    const queued = this.frames.shift()
    return queued ? Promise.resolve(queued) : new Promise((resolve) => this.waiting.push(resolve))
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  /** Connects and returns the socket id from the handshake. */
  async handshake(): Promise<string> {
    const frame = await this.next()
    expect(frame.event).toBe('pusher:connection_established')
    expect(typeof frame.data).toBe('string')
    const data = JSON.parse(frame.data as string) as { socket_id: string; activity_timeout: number }
    expect(data.socket_id).toMatch(/^\d+\.\d+$/)
    expect(data.activity_timeout).toBe(120)
    return data.socket_id
  }

  close(): void {
    this.socket.close()
  }
}

const data = (frame: Frame) => JSON.parse(frame.data as string) as unknown
const sign = (text: string) =>
  `messenger-mock:${createHmac('sha256', 'messenger-mock-secret').update(text).digest('hex')}`

/** Handshakes, then asks to join a presence channel as `member`, signed as the auth endpoint would. */
async function subscribePresence(client: RawClient, channel: string, member: object) {
  const socketId = await client.handshake()
  const channelData = JSON.stringify(member)
  client.send({
    event: 'pusher:subscribe',
    data: {
      channel,
      auth: sign(`${socketId}:${channel}:${channelData}`),
      channel_data: channelData,
    },
  })
}

describe('Pusher protocol 7 over ws', () => {
  it('opens with connection_established and answers pusher:ping with pusher:pong', async () => {
    const client = new RawClient('/app/messenger-mock?protocol=7&client=js&version=8.6.0')
    await client.handshake()
    client.send({ event: 'pusher:ping', data: {} })
    expect((await client.next()).event).toBe('pusher:pong')
    client.close()
  })

  it.each([
    ['/app/wrong-key?protocol=7', 4001, /app key is "messenger-mock"/],
    ['/app/messenger-mock', 4008, /add \?protocol=7/],
    ['/app/messenger-mock?protocol=3', 4007, /5 to 7/],
    ['/somewhere/else?protocol=7', 4005, /\/app\/\{key\}/],
    ['/sandboxes/main/app/messenger-mock?protocol=7', 4005, /main world/],
  ])('refuses %s with pusher:error %i and closes with that code', async (path, code, message) => {
    const client = new RawClient(path)
    const frame = await client.next()
    expect(frame.event).toBe('pusher:error')
    expect((frame.data as { code: number }).code).toBe(code)
    expect((frame.data as { message: string }).message).toMatch(message)
    expect((await client.closed).code).toBe(code)
  })

  it('subscribes to a private channel only with the signature for this socket', async () => {
    const client = new RawClient('/app/messenger-mock?protocol=7')
    const socketId = await client.handshake()
    const channel = 'private-user.someone'
    client.send({ event: 'pusher:subscribe', data: { channel, auth: sign(`1.2:${channel}`) } })
    const refused = await client.next()
    expect(refused.event).toBe('pusher:error')
    expect(refused.data).toMatchObject({
      code: null,
      message: expect.stringMatching(/Invalid signature/) as unknown,
    })
    client.send({
      event: 'pusher:subscribe',
      data: { channel, auth: sign(`${socketId}:${channel}`) },
    })
    expect(await client.next()).toEqual({
      event: 'pusher_internal:subscription_succeeded',
      channel,
      data: '{}',
    })
    client.send('not json')
    expect((await client.next()).event).toBe('pusher:error')
    client.close()
  })

  it('presence: the member list on subscribe, member_added, client events with user_id, member_removed', async () => {
    const channel = 'presence-thread.room'
    const join = async (client: RawClient, userId: string) => {
      await subscribePresence(client, channel, { user_id: userId, user_info: { name: userId } })
      const frame = await client.next()
      expect(frame.event).toBe('pusher_internal:subscription_succeeded')
      return data(frame)
    }
    const a = new RawClient('/sandboxes/presence-raw/app/messenger-mock?protocol=7')
    expect(await join(a, 'alice')).toEqual({
      presence: { ids: ['alice'], hash: { alice: { name: 'alice' } }, count: 1 },
    })
    const b = new RawClient('/sandboxes/presence-raw/app/messenger-mock?protocol=7')
    expect(await join(b, 'bob')).toEqual({
      presence: {
        ids: ['alice', 'bob'],
        hash: { alice: { name: 'alice' }, bob: { name: 'bob' } },
        count: 2,
      },
    })
    const added = await a.next()
    expect(added).toEqual({
      event: 'pusher_internal:member_added',
      channel,
      data: JSON.stringify({ user_id: 'bob', user_info: { name: 'bob' } }),
    })
    b.send({ event: 'client-typing', channel, data: { typing: true } })
    expect(await a.next()).toEqual({
      event: 'client-typing',
      channel,
      data: JSON.stringify({ typing: true }),
      user_id: 'bob',
    })
    b.send({ event: 'client-typing', channel: 'presence-thread.elsewhere', data: {} })
    expect((await b.next()).data).toMatchObject({
      message: expect.stringMatching(/subscribe to/) as unknown,
    })
    b.send({ event: 'pusher:unsubscribe', data: { channel } })
    expect(await a.next()).toEqual({
      event: 'pusher_internal:member_removed',
      channel,
      data: JSON.stringify({ user_id: 'bob' }),
    })
    a.close()
    b.close()
  })

  it('a closed socket leaves its presence channels', async () => {
    const channel = 'presence-call.x.thread.y'
    const connect = async (userId: string) => {
      const client = new RawClient('/app/messenger-mock?protocol=7')
      await subscribePresence(client, channel, { user_id: userId, user_info: {} })
      expect((await client.next()).event).toBe('pusher_internal:subscription_succeeded')
      return client
    }
    const stays = await connect('stays')
    const goes = await connect('goes')
    expect((await stays.next()).event).toBe('pusher_internal:member_added')
    goes.close()
    expect(await stays.next()).toMatchObject({ event: 'pusher_internal:member_removed' })
    expect(live.realtime.subscribers('main', channel)).toBe(1)
    stays.close()
  })
})
