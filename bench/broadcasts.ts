// Broadcast benchmark: calls start, are joined and end in a loop against the mock (as `npm start`
// runs it) while SOCKETS raw Pusher-protocol sockets are subscribed, half to John's private channel
// and half to Jairo's. Prints the events the mock published and the frames delivered per second,
// the latency from the HTTP response (and from the request) to the incoming.call frame's arrival,
// and the same loop with no socket subscribed as the baseline.
//
//   node --import tsx bench/broadcasts.ts      (BENCH_SECONDS, default 5; BENCH_SOCKETS, default 100)
import { execFileSync } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { spawnServer, waitOk } from './servers.ts'

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5)
const SOCKETS = Number(process.env['BENCH_SOCKETS'] ?? 100)
const KEY = 'messenger-mock'
const SECRET = 'messenger-mock-secret'
const JOHN = '922f8476-bdda-4ebd-b283-be23602c658d'
const JAIRO = '922f8476-dfb5-45d5-8a76-ab6422e10e5d'
const THREAD = '92316158-d218-4b23-b90b-a708fb354685'

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

interface Subscriber {
  socket: WebSocket
  frames: number
  /** Arrival time (performance.now()) of each incoming.call, by call id. */
  incoming: Map<string, number>
}

async function subscribe(base: string, user: string): Promise<Subscriber> {
  const socket = new WebSocket(`${base.replace('http', 'ws')}/app/${KEY}?protocol=7&client=js`)
  const sub: Subscriber = { socket, frames: 0, incoming: new Map() }
  const channel = `private-user.${user}`
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject)
    socket.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString('utf8')) as { event: string; data: string }
      if (frame.event === 'pusher:connection_established') {
        const { socket_id: socketId } = JSON.parse(frame.data) as { socket_id: string }
        const auth = createHmac('sha256', SECRET).update(`${socketId}:${channel}`).digest('hex')
        socket.send(
          JSON.stringify({ event: 'pusher:subscribe', data: { channel, auth: `${KEY}:${auth}` } })
        )
      } else if (frame.event === 'pusher_internal:subscription_succeeded') {
        resolve()
      } else if (!frame.event.startsWith('pusher')) {
        sub.frames += 1
        if (frame.event === 'incoming.call') {
          const { call } = JSON.parse(frame.data) as { call: { id: string } }
          sub.incoming.set(call.id, performance.now())
        }
      }
    })
  })
  return sub
}

async function post(base: string, token: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  })
  const json = (await res.json()) as { id?: string }
  if (!res.ok) {
    throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`)
  }
  return { json, at: performance.now() }
}

interface Cycle {
  id: string
  sentAt: number
  answeredAt: number
}

/** Start, join, end (and move the clock past the 10-second lockout) until the time is up. */
async function loop(base: string, seconds: number) {
  const cycles: Cycle[] = []
  const until = performance.now() + seconds * 1000
  while (performance.now() < until) {
    await post(base, 'john', '/mock/clock', { advance_seconds: 11 })
    const sentAt = performance.now()
    const started = await post(base, 'john', `/api/messenger/threads/${THREAD}/calls`)
    const id = started.json.id ?? ''
    cycles.push({ id, sentAt, answeredAt: started.at })
    await post(base, 'jairo', `/api/messenger/threads/${THREAD}/calls/${id}/join`)
    await post(base, 'john', `/api/messenger/threads/${THREAD}/calls/${id}/end`)
  }
  return cycles
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN
const ms = (value: number) => `${value.toFixed(2)} ms`

async function main() {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root(''), stdio: 'inherit' })
  const health = (url: string) => waitOk(`${url}/mock/health`)
  const args = [root('dist/main.mjs'), '--port', '0', '--db', ':memory:', '--quiet']

  // Baseline: the same loop, nobody subscribed.
  const bare = await spawnServer('mock', args, { ready: health })
  const baseline = await loop(bare.url, SECONDS)
  await bare.stop()

  const mock = await spawnServer('mock', args, { ready: health })
  const subscribers: Subscriber[] = []
  for (let i = 0; i < SOCKETS; i += 1) {
    subscribers.push(await subscribe(mock.url, i % 2 === 0 ? JAIRO : JOHN))
  }
  const started = performance.now()
  const cycles = await loop(mock.url, SECONDS)
  // Let the last frames arrive (the loop's last end answered; its frames are on the wire).
  await new Promise((resolve) => setTimeout(resolve, 200))
  const elapsed = (performance.now() - started - 200) / 1000
  const frames = subscribers.reduce((sum, s) => sum + s.frames, 0)
  const journal = (await (await fetch(`${mock.url}/mock/broadcasts`)).json()) as {
    data: unknown[]
  }
  const fromResponse: number[] = []
  const fromRequest: number[] = []
  for (const cycle of cycles) {
    for (const sub of subscribers) {
      const arrived = sub.incoming.get(cycle.id)
      if (arrived !== undefined) {
        fromResponse.push(arrived - cycle.answeredAt)
        fromRequest.push(arrived - cycle.sentAt)
      }
    }
  }
  fromResponse.sort((a, b) => a - b)
  fromRequest.sort((a, b) => a - b)
  for (const sub of subscribers) {
    sub.socket.close()
  }
  await mock.stop()

  const cyclesPerSecond = cycles.length / elapsed
  const baselinePerSecond = baseline.length / SECONDS
  const expectedFrames = cycles.length * (SOCKETS / 2) * 3 + cycles.length * (SOCKETS / 2)
  console.log(
    `\nBroadcasts: ${SOCKETS} subscribed sockets, ${SECONDS} s, calls started, joined and ended one after another`
  )
  console.log(
    `  call cycles:        ${cycles.length} (${cyclesPerSecond.toFixed(1)}/s); baseline with no socket ${baseline.length} (${baselinePerSecond.toFixed(1)}/s); ratio ${(cyclesPerSecond / baselinePerSecond).toFixed(2)}`
  )
  console.log(
    `  events published:   ${journal.data.length} (${(journal.data.length / elapsed).toFixed(1)}/s)`
  )
  console.log(
    `  frames delivered:   ${frames} of ${expectedFrames} expected (${(frames / elapsed).toFixed(0)}/s to ${SOCKETS} sockets)`
  )
  console.log(
    `  incoming.call, HTTP response → frame: p50 ${ms(pct(fromResponse, 50))}, p99 ${ms(pct(fromResponse, 99))}, max ${ms(fromResponse.at(-1) ?? Number.NaN)} (${fromResponse.length} arrivals; negative = before the response)`
  )
  console.log(
    `  incoming.call, request sent → frame:  p50 ${ms(pct(fromRequest, 50))}, p99 ${ms(pct(fromRequest, 99))}, max ${ms(fromRequest.at(-1) ?? Number.NaN)}`
  )
}

await main()
