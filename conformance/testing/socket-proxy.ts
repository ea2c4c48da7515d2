// A WebSocket proxy between pusher-js clients and a Pusher-protocol server that can break the
// server's events in one chosen way (drop one, or deliver it on another client's channel), to prove
// the suite's socket source notices.
import { createServer } from 'node:http'
import { WebSocket, WebSocketServer } from 'ws'
import type { RawData } from 'ws'
import { listenLocally } from './mutating-proxy.ts'

/** An event frame the server sends a client. */
export interface EventFrame {
  event: string
  channel: string
}

/** What happens to an event: passed on, dropped, or sent to whichever client watches `to` instead. */
export type SocketMutant = (frame: EventFrame) => 'pass' | 'drop' | { to: string }

export interface RunningSocketProxy {
  port: number
  use(mutant: SocketMutant | undefined): void
  /** How many events the current mutant changed since it was set. */
  hits(): number
  close(): Promise<void>
}

interface Link {
  client: WebSocket
  channels: Set<string>
}

/** A frame's text (ws hands text frames over as bytes). */
function text(raw: RawData): string {
  if (Array.isArray(raw)) {
    return Buffer.concat(raw).toString()
  }
  return Buffer.isBuffer(raw) ? raw.toString() : Buffer.from(new Uint8Array(raw)).toString()
}

const parse = (raw: RawData): Record<string, unknown> | undefined => {
  try {
    const frame = JSON.parse(text(raw)) as unknown
    return typeof frame === 'object' && frame !== null
      ? (frame as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

export async function startSocketProxy(upstreamPort: number): Promise<RunningSocketProxy> {
  let mutant: SocketMutant | undefined
  let hits = 0
  const links = new Set<Link>()
  const server = createServer()
  const sockets = new WebSocketServer({ server })
  sockets.on('connection', (client, request) => {
    const link: Link = { client, channels: new Set() }
    links.add(link)
    const upstream = new WebSocket(`ws://127.0.0.1:${upstreamPort}${request.url ?? '/'}`)
    const pending: RawData[] = []
    client.on('message', (raw) => {
      const frame = parse(raw)
      const data = frame?.['data'] as { channel?: unknown } | undefined
      if (frame?.['event'] === 'pusher:subscribe' && typeof data?.channel === 'string') {
        link.channels.add(data.channel)
      }
      if (upstream.readyState === WebSocket.OPEN) {
        upstream.send(text(raw))
      } else {
        pending.push(raw)
      }
    })
    upstream.on('open', () => {
      for (const raw of pending.splice(0)) {
        upstream.send(text(raw))
      }
    })
    upstream.on('message', (raw) => {
      const frame = parse(raw)
      const event = frame?.['event']
      const channel = frame?.['channel']
      const decision =
        mutant !== undefined && typeof event === 'string' && typeof channel === 'string'
          ? mutant({ event, channel })
          : 'pass'
      if (decision === 'pass') {
        client.send(text(raw))
        return
      }
      hits += 1
      if (decision !== 'drop') {
        for (const other of links) {
          if (other.channels.has(decision.to)) {
            other.client.send(JSON.stringify({ ...frame, channel: decision.to }))
          }
        }
      }
    })
    const closeBoth = () => {
      links.delete(link)
      client.close()
      upstream.close()
    }
    client.on('close', closeBoth)
    upstream.on('close', closeBoth)
    upstream.on('error', closeBoth)
    client.on('error', closeBoth)
  })
  const listening = await listenLocally(server)
  return {
    port: listening.port,
    use(next) {
      mutant = next
      hits = 0
    },
    hits: () => hits,
    close: () => {
      for (const link of links) {
        link.client.terminate()
      }
      sockets.close()
      return listening.close()
    },
  }
}
