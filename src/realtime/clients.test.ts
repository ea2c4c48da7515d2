// The real client libraries over real sockets against a real started server: pusher-js (its Node
// build) and laravel-echo, subscribing through the mock's authorisation endpoint.
import Echo from 'laravel-echo'
import PusherModule from 'pusher-js'
import type { Channel, Options } from 'pusher-js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { broadcastValidator } from '../testing/broadcast-validator.ts'
import { IDS } from '../testing/harness.ts'
import { startLiveServer } from '../testing/live-server.ts'
import type { LiveServer } from '../testing/live-server.ts'

// pusher-js's Node build is CommonJS whose module.exports is the Pusher class, while its types
// declare an ES default export; under NodeNext the default import is typed as the module itself.
const Pusher = PusherModule as unknown as typeof PusherModule.default
type Pusher = InstanceType<typeof Pusher>

let live: LiveServer
const open: { disconnect(): void }[] = []

beforeAll(async () => {
  live = await startLiveServer()
})
afterEach(() => {
  for (const client of open.splice(0)) {
    client.disconnect()
  }
})
afterAll(async () => {
  await live.close()
})

const callsPath = (thread: string) => `/api/messenger/threads/${thread}/calls`
const callPath = (thread: string, call: string, rest: string) =>
  `/api/messenger/threads/${thread}/calls/${call}${rest}`

function socketOptions(sandbox: string | undefined) {
  return {
    cluster: 'mt1',
    wsHost: '127.0.0.1',
    wsPort: live.port,
    forceTLS: false,
    enabledTransports: ['ws' as const],
    disableStats: true,
    ...(sandbox === undefined ? {} : { wsPath: `/sandboxes/${sandbox}` }),
  }
}

const sandboxHeader = (sandbox: string | undefined): Record<string, string> =>
  sandbox === undefined ? {} : { 'X-Mock-Sandbox': sandbox }

/** A pusher-js client logged in as `token` (in `sandbox` when given). */
function pusherAs(token: string, sandbox?: string): Pusher {
  const options: Options = {
    ...socketOptions(sandbox),
    channelAuthorization: {
      endpoint: `${live.base}/messenger/broadcasting/auth`,
      transport: 'ajax',
      headers: { Authorization: `Bearer ${token}`, ...sandboxHeader(sandbox) },
    },
  }
  const client = new Pusher('messenger-mock', options)
  open.push(client)
  return client
}

/** Laravel Echo as a frontend configures it (the README's settings), logged in as `token`. */
function echoAs(token: string, sandbox?: string): Echo<'pusher'> {
  const echo = new Echo({
    broadcaster: 'pusher',
    key: 'messenger-mock',
    // Echo's types expect the module as typed; at run time it is the class, as Echo needs.
    Pusher: PusherModule,
    ...socketOptions(sandbox),
    authEndpoint: `${live.base}/messenger/broadcasting/auth`,
    bearerToken: token,
    auth: { headers: sandboxHeader(sandbox) },
  })
  open.push(echo)
  return echo
}

function subscribed(channel: Channel): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.bind('pusher:subscription_succeeded', () => {
      resolve()
    })
    channel.bind('pusher:subscription_error', (error: unknown) => {
      reject(new Error(JSON.stringify(error)))
    })
  })
}

interface Received {
  event: string
  channel: string
  data: unknown
}

/** Subscribes `client` to the user's private channel and records every application event on it. */
async function inbox(client: Pusher, user: string): Promise<Received[]> {
  const name = `private-user.${user}`
  const channel = client.subscribe(name)
  const received: Received[] = []
  channel.bind_global((event: string, data: unknown) => {
    if (!event.startsWith('pusher:')) {
      received.push({ event, channel: name, data })
    }
  })
  await subscribed(channel)
  return received
}

let barriers = 0
/**
 * Resolves once everything the server sent `client` before now has arrived: the server answers a
 * subscription after the frames it already queued on that socket, in order.
 */
async function drained(client: Pusher): Promise<void> {
  const channel = client.subscribe(`barrier-${++barriers}`)
  await subscribed(channel)
  client.unsubscribe(channel.name)
}

async function send(
  token: string,
  method: string,
  path: string,
  sandbox: string | undefined,
  body?: unknown
) {
  const res = await live.send(token, method, path, {
    ...(sandbox === undefined ? {} : { sandbox }),
    ...(body === undefined ? {} : { body }),
  })
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300)
  return res.body as { id: string }
}

describe('laravel-echo and pusher-js against the mock', () => {
  it("Echo as Jairo on private-user.{Jairo}: .incoming.call brings John's call with John as sender", async () => {
    const sandbox = 'echo-incoming'
    const echo = echoAs('jairo', sandbox)
    const heard = new Promise<unknown>((resolve) => {
      echo.private(`user.${IDS.jairo}`).listen('.incoming.call', resolve)
    })
    await new Promise<void>((resolve) => {
      echo.private(`user.${IDS.jairo}`).subscribed(resolve)
    })
    const call = await send('john', 'POST', callsPath(IDS.johnJairo), sandbox)
    const payload = (await heard) as {
      call: { id: string }
      sender: { provider_id: string; name: string }
    }
    expect(payload.call.id).toBe(call.id)
    expect(payload.sender.provider_id).toBe(IDS.john)
    expect(payload.sender.name).toBe('John Doe')
    expect((await broadcastValidator()).errors('incoming.call', payload)).toEqual([])
  })

  it('pusher-js as Jairo receives incoming.call on his private channel', async () => {
    const sandbox = 'pusher-incoming'
    const jairo = pusherAs('jairo', sandbox)
    const received = await inbox(jairo, IDS.jairo)
    const call = await send('john', 'POST', callsPath(IDS.johnJairo), sandbox)
    await drained(jairo)
    expect(received.map((r) => [r.event, (r.data as { call: { id: string } }).call.id])).toEqual([
      ['incoming.call', call.id],
    ])
  })

  it("Jane's attempt to subscribe to Jairo's channel is refused with 403 (Echo and pusher-js)", async () => {
    const echo = echoAs('jane')
    const echoError = new Promise<unknown>((resolve) => {
      echo.private(`user.${IDS.jairo}`).error(resolve)
    })
    expect(await echoError).toMatchObject({ type: 'AuthError', status: 403 })
    const channel = pusherAs('jane').subscribe(`private-user.${IDS.jairo}`)
    await expect(subscribed(channel)).rejects.toThrow(/"status":403/)
  })

  it('presence: Echo members appear (here, joining) and leave (leaving) on presence-thread', async () => {
    const sandbox = 'presence'
    const jairo = echoAs('jairo', sandbox)
    const name = `thread.${IDS.johnJairo}`
    const here = new Promise<{ provider_id: string }[]>((resolve) => {
      jairo.join(name).here(resolve)
    })
    const joining = new Promise<{ provider_id: string; name: string }>((resolve) => {
      jairo.join(name).joining(resolve)
    })
    const leaving = new Promise<{ provider_id: string }>((resolve) => {
      jairo.join(name).leaving(resolve)
    })
    expect((await here).map((m) => m.provider_id)).toEqual([IDS.jairo])
    const john = echoAs('john', sandbox)
    const johnHere = new Promise<{ provider_id: string }[]>((resolve) => {
      john.join(name).here(resolve)
    })
    expect((await joining).provider_id).toBe(IDS.john)
    expect((await johnHere).map((m) => m.provider_id).sort()).toEqual([IDS.john, IDS.jairo].sort())
    john.leave(name)
    expect((await leaving).provider_id).toBe(IDS.john)
    const refused = new Promise<unknown>((resolve) => {
      echoAs('jane', sandbox).join(name).error(resolve)
    })
    expect(await refused).toMatchObject({ type: 'AuthError', status: 403 })
  })

  it('each call event arrives where the reference says and nowhere else', async () => {
    const sandbox = 'where'
    const [john, jane, jairo] = [
      pusherAs('john', sandbox),
      pusherAs('jane', sandbox),
      pusherAs('jairo', sandbox),
    ]
    const boxes = {
      john: await inbox(john, IDS.john),
      jane: await inbox(jane, IDS.jane),
      jairo: await inbox(jairo, IDS.jairo),
    }
    // A group call: John starts, Jane joins, is kicked, un-kicked, rejoins and leaves; John ends it.
    const party = await send('john', 'POST', callsPath(IDS.testParty), sandbox)
    const janeIn = await send('jane', 'POST', callPath(IDS.testParty, party.id, '/join'), sandbox)
    const kick = (kicked: boolean) =>
      send(
        'john',
        'PUT',
        callPath(IDS.testParty, party.id, `/participants/${janeIn.id}`),
        sandbox,
        { kicked }
      )
    await kick(true)
    await kick(false)
    await send('jane', 'POST', callPath(IDS.testParty, party.id, '/join'), sandbox)
    await send('jane', 'POST', callPath(IDS.testParty, party.id, '/leave'), sandbox)
    await send('john', 'POST', callPath(IDS.testParty, party.id, '/end'), sandbox)
    // A private call: John starts, Jairo joins, John leaves, Jairo leaves last (the call ends).
    const privateCall = await send('john', 'POST', callsPath(IDS.johnJairo), sandbox)
    await send('jairo', 'POST', callPath(IDS.johnJairo, privateCall.id, '/join'), sandbox)
    await send('john', 'POST', callPath(IDS.johnJairo, privateCall.id, '/leave'), sandbox)
    await send('jairo', 'POST', callPath(IDS.johnJairo, privateCall.id, '/leave'), sandbox)
    await Promise.all([drained(john), drained(jane), drained(jairo)])

    const names = (box: Received[]) => box.map((r) => r.event)
    expect(names(boxes.john)).toEqual(['call.ended', 'left.call', 'call.ended'])
    expect(names(boxes.jane)).toEqual([
      'incoming.call',
      'joined.call',
      'call.kicked',
      'call.kicked',
      'joined.call',
      'left.call',
      'call.ended',
    ])
    expect(names(boxes.jairo)).toEqual(['incoming.call', 'joined.call', 'left.call', 'call.ended'])
    const validator = await broadcastValidator()
    for (const received of [...boxes.john, ...boxes.jane, ...boxes.jairo]) {
      expect(validator.errors(received.event, received.data), received.event).toEqual([])
    }
    expect(boxes.jane.filter((r) => r.event === 'call.kicked').map((r) => r.data)).toEqual([
      { thread_id: IDS.testParty, call_id: party.id, kicked: true },
      { thread_id: IDS.testParty, call_id: party.id, kicked: false },
    ])
  })

  it("a sandbox's events never reach another sandbox's sockets, nor the main world's", async () => {
    const here = pusherAs('jairo', 'island-a')
    const there = pusherAs('jairo', 'island-b')
    const main = pusherAs('jairo')
    const boxes = [
      await inbox(here, IDS.jairo),
      await inbox(there, IDS.jairo),
      await inbox(main, IDS.jairo),
    ]
    await send('john', 'POST', callsPath(IDS.johnJairo), 'island-a')
    await Promise.all([drained(here), drained(there), drained(main)])
    expect(boxes.map((box) => box.map((r) => r.event))).toEqual([['incoming.call'], [], []])
  })
})
