// The Pusher protocol over WebSockets (the `ws` package): the handshake, subscriptions checked
// against the channel authorisation signature, presence, ping/pong, client events and the
// protocol's error codes. `/app/{key}` is the main world; `/sandboxes/{name}/app/{key}` a sandbox.
import { randomInt } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { RawData, WebSocket, WebSocketServer } from 'ws'
import type { Channels, Member, Subscriber } from './channels.ts'
import {
  ACTIVITY_TIMEOUT_SECONDS,
  CHANNEL_NAME,
  ERROR,
  PING,
  PONG,
  PONG_TIMEOUT_SECONDS,
  PROTOCOL_VERSIONS,
  connectionEstablished,
  errorFrame,
  isPresence,
  isPrivate,
  parseClientFrame,
  subscriptionSucceeded,
} from './protocol.ts'
import { isValidAuth } from './signature.ts'
import type { AppCredentials } from './signature.ts'

/** The limits of the socket server (documented in the README). */
export const SOCKET_LIMITS = {
  /** Open sockets at once; the next one is closed with 4100 (over capacity). */
  connections: 1000,
  /** Channels one socket may be subscribed to. */
  subscriptionsPerSocket: 100,
  /** Largest frame a client may send, in bytes (ws closes the socket with 1009 beyond it). */
  framePayload: 64 * 1024,
  /** Largest client event `data`, in bytes of JSON (Pusher's limit). */
  clientEventData: 10 * 1024,
} as const

/** The world a socket path names: `main` or a sandbox's name. */
export const MAIN_WORLD = 'main'
const SANDBOX_NAME = /^[A-Za-z0-9._-]{1,64}$/
const PATH = /^(?:\/sandboxes\/([^/]+))?\/app\/([^/]+)$/

interface Connection extends Subscriber {
  readonly world: string
  readonly socket: WebSocket
  readonly channels: Set<string>
  lastSeen: number
  pingedAt: number | undefined
}

export interface SocketServerOptions {
  app: AppCredentials
  channels: Channels
}

function newSocketId(): string {
  return `${randomInt(1, 2 ** 31)}.${randomInt(1, 2 ** 31)}`
}

function text(data: RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8')
  }
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8')
}

/** Why a connection is refused: the code and a message that says what to do. */
function refusal(
  request: IncomingMessage,
  app: AppCredentials
): { world: string } | { code: number; message: string } {
  const url = new URL(request.url ?? '/', 'ws://mock')
  const match = PATH.exec(url.pathname)
  if (!match) {
    return {
      code: ERROR.pathNotFound,
      message: `No socket endpoint at ${url.pathname}: connect to /app/{key} (the main world) or /sandboxes/{name}/app/{key} (a sandbox; pusher-js option wsPath: '/sandboxes/{name}').`,
    }
  }
  const [, sandbox, key] = match
  if (sandbox !== undefined && (!SANDBOX_NAME.test(sandbox) || sandbox === MAIN_WORLD)) {
    return {
      code: ERROR.pathNotFound,
      message: `"${sandbox}" is not a sandbox name: use 1 to 64 letters, digits, dots, underscores and hyphens (not "main"; /app/{key} is the main world).`,
    }
  }
  if (key !== app.key) {
    return {
      code: ERROR.appNotFound,
      message: `Application does not exist: this mock's app key is "${app.key}" (set it with --pusher-key or PUSHER_APP_KEY).`,
    }
  }
  const protocol = url.searchParams.get('protocol')
  if (protocol === null) {
    return { code: ERROR.noProtocol, message: 'No protocol version supplied: add ?protocol=7.' }
  }
  if (!PROTOCOL_VERSIONS.has(protocol)) {
    return {
      code: ERROR.unsupportedProtocol,
      message: `Unsupported protocol version ${protocol}: this server speaks 5 to 7.`,
    }
  }
  return { world: sandbox ?? MAIN_WORLD }
}

export function createSocketServer(options: SocketServerOptions) {
  const { app, channels } = options
  // The ws package loads with the first socket: most runs of the mock never open one.
  let wss: Promise<WebSocketServer> | undefined
  const server = () =>
    (wss ??= import('ws').then(
      ({ WebSocketServer }) =>
        new WebSocketServer({
          noServer: true,
          maxPayload: SOCKET_LIMITS.framePayload,
          perMessageDeflate: false,
        })
    ))
  let closed = false
  const connections = new Set<Connection>()
  let sweep: NodeJS.Timeout | undefined

  // Pusher's activity check: ping a socket silent for activity_timeout, close it if it stays so.
  const checkActivity = () => {
    const now = Date.now()
    for (const connection of connections) {
      if (connection.pingedAt !== undefined) {
        if (now - connection.pingedAt > PONG_TIMEOUT_SECONDS * 1000) {
          connection.socket.close(ERROR.pongNotReceived, 'Pong reply not received')
        }
      } else if (now - connection.lastSeen > ACTIVITY_TIMEOUT_SECONDS * 1000) {
        connection.pingedAt = now
        connection.send(PING)
      }
    }
  }

  const fail = (connection: Connection, message: string) => {
    connection.send(errorFrame(null, message))
  }

  const subscribe = (connection: Connection, data: unknown) => {
    const fields =
      typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {}
    const channel = fields['channel']
    if (typeof channel !== 'string' || !CHANNEL_NAME.test(channel)) {
      fail(
        connection,
        `Invalid channel name ${JSON.stringify(channel)}: use 1 to 200 of A-Z a-z 0-9 _ - = @ , . ;`
      )
      return
    }
    if (
      !connection.channels.has(channel) &&
      connection.channels.size >= SOCKET_LIMITS.subscriptionsPerSocket
    ) {
      fail(
        connection,
        `Cannot subscribe to ${channel}: a socket may hold ${SOCKET_LIMITS.subscriptionsPerSocket} subscriptions; unsubscribe from one first.`
      )
      return
    }
    let member: Member | undefined
    if (isPrivate(channel) || isPresence(channel)) {
      const auth = typeof fields['auth'] === 'string' ? fields['auth'] : ''
      const channelData = isPresence(channel)
        ? typeof fields['channel_data'] === 'string'
          ? fields['channel_data']
          : ''
        : undefined
      if (!isValidAuth(app, auth, connection.socketId, channel, channelData)) {
        fail(
          connection,
          `Invalid signature for ${channel}: the auth must be the one POST /messenger/broadcasting/auth answered for socket_id ${connection.socketId} and this channel.`
        )
        return
      }
      if (channelData !== undefined) {
        member = parseMember(channelData)
        if (!member) {
          fail(
            connection,
            `Invalid channel_data for ${channel}: expected {"user_id": …, "user_info": …}.`
          )
          return
        }
      }
    }
    const result = channels.subscribe(connection.world, channel, connection, member)
    if (!result.ok) {
      fail(connection, result.message)
      return
    }
    connection.channels.add(channel)
    connection.send(subscriptionSucceeded(channel, result.data))
  }

  const clientEvent = (
    connection: Connection,
    event: string,
    channel: string | undefined,
    data: unknown
  ) => {
    if (channel === undefined || !(isPrivate(channel) || isPresence(channel))) {
      fail(
        connection,
        `Client event ${event} rejected: client events go to private or presence channels only.`
      )
      return
    }
    if (!connection.channels.has(channel)) {
      fail(connection, `Client event ${event} rejected: subscribe to ${channel} first.`)
      return
    }
    const size = data === undefined ? 0 : Buffer.byteLength(JSON.stringify(data))
    if (size > SOCKET_LIMITS.clientEventData) {
      fail(
        connection,
        `Client event ${event} rejected: its data is over ${SOCKET_LIMITS.clientEventData} bytes.`
      )
      return
    }
    channels.relay(connection.world, channel, connection, event, data)
  }

  const onMessage = (connection: Connection, raw: RawData) => {
    connection.lastSeen = Date.now()
    connection.pingedAt = undefined
    const frame = parseClientFrame(text(raw))
    if (!frame) {
      fail(connection, 'Invalid message: send a JSON object with an "event" name.')
      return
    }
    switch (frame.event) {
      case 'pusher:ping':
        connection.send(PONG)
        return
      case 'pusher:pong':
        return
      case 'pusher:subscribe':
        subscribe(connection, frame.data)
        return
      case 'pusher:unsubscribe': {
        const data = frame.data as { channel?: unknown } | null
        const channel = typeof data === 'object' && data !== null ? data.channel : undefined
        if (typeof channel === 'string' && connection.channels.delete(channel)) {
          channels.unsubscribe(connection.world, channel, connection)
        }
        return
      }
      default:
        if (frame.event.startsWith('client-')) {
          clientEvent(connection, frame.event, frame.channel, frame.data)
        } else {
          fail(connection, `Unsupported event ${frame.event}.`)
        }
    }
  }

  const onConnection = (socket: WebSocket, world: string) => {
    const connection: Connection = {
      socketId: newSocketId(),
      world,
      socket,
      channels: new Set(),
      lastSeen: Date.now(),
      pingedAt: undefined,
      send(frame) {
        if (socket.readyState === socket.OPEN) {
          socket.send(frame)
        }
      },
    }
    connections.add(connection)
    sweep ??= setInterval(checkActivity, 10_000).unref()
    socket.on('message', (raw) => {
      onMessage(connection, raw)
    })
    socket.on('close', () => {
      connections.delete(connection)
      for (const channel of connection.channels) {
        channels.unsubscribe(world, channel, connection)
      }
      connection.channels.clear()
    })
    socket.on('error', () => {
      // A broken socket ends with 'close' too; nothing else to clean up.
    })
    connection.send(connectionEstablished(connection.socketId))
  }

  const upgrade = (
    endpoint: WebSocketServer,
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer
  ) => {
    endpoint.handleUpgrade(request, socket, head, (ws) => {
      const verdict = refusal(request, app)
      if ('code' in verdict) {
        ws.send(errorFrame(verdict.code, verdict.message))
        ws.close(verdict.code, verdict.message.slice(0, 120))
        return
      }
      if (connections.size >= SOCKET_LIMITS.connections) {
        const message = `Over capacity: the mock accepts ${SOCKET_LIMITS.connections} sockets at once.`
        ws.send(errorFrame(4100, message))
        ws.close(4100, message)
        return
      }
      onConnection(ws, verdict.world)
    })
  }

  return {
    /** Takes over an HTTP upgrade request (any path: a wrong one gets the protocol's 4005). */
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      // Until ws takes the socket over, a reset connection must not end the process.
      const dropped = () => socket.destroy()
      socket.on('error', dropped)
      void server().then((endpoint) => {
        socket.off('error', dropped)
        if (closed || socket.destroyed) {
          socket.destroy()
          return
        }
        upgrade(endpoint, request, socket, head)
      }, dropped)
    },
    /** How many sockets are open. */
    size: () => connections.size,
    /** Closes every socket (1001 going away) and stops the activity check. */
    close(): void {
      if (sweep) {
        clearInterval(sweep)
        sweep = undefined
      }
      for (const connection of connections) {
        connection.socket.close(1001, 'Server shutting down')
      }
      closed = true
      void wss?.then((endpoint) => {
        endpoint.close()
      })
    },
  }
}

export type SocketServer = ReturnType<typeof createSocketServer>

function parseMember(channelData: string): Member | undefined {
  let value: unknown
  try {
    value = JSON.parse(channelData)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) {
    return undefined
  }
  const { user_id: userId, user_info: info } = value as Record<string, unknown>
  if (typeof userId !== 'string' && typeof userId !== 'number') {
    return undefined
  }
  return { user_id: String(userId), user_info: info ?? null }
}
