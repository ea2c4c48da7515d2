// The Pusher Channels protocol (version 7) as pusher-js speaks it: frame shapes, channel names and
// the error codes. Server frames carry `data` as a JSON string; client frames carry an object.

/** Close codes and `pusher:error` codes (4000–4099: do not reconnect; 4200–4299: reconnect). */
export const ERROR = {
  appNotFound: 4001,
  pathNotFound: 4005,
  unsupportedProtocol: 4007,
  noProtocol: 4008,
  unauthorized: 4009,
  pongNotReceived: 4201,
} as const

export const PROTOCOL_VERSIONS = new Set(['5', '6', '7'])

/** Seconds of silence after which each side pings (pusher-js reads it from the handshake). */
export const ACTIVITY_TIMEOUT_SECONDS = 120
/** Seconds a pinged socket has to answer before it is closed with 4201. */
export const PONG_TIMEOUT_SECONDS = 30

/** Pusher's channel name rule: at most 200 of these characters. */
export const CHANNEL_NAME = /^[A-Za-z0-9_\-=@,.;]{1,200}$/

export const isPrivate = (channel: string) => channel.startsWith('private-')
export const isPresence = (channel: string) => channel.startsWith('presence-')

export function eventFrame(event: string, channel: string, data: string, userId?: string): string {
  return JSON.stringify(
    userId === undefined ? { event, channel, data } : { event, channel, data, user_id: userId }
  )
}

export function presenceFrame(event: string, channel: string, data: unknown): string {
  return eventFrame(event, channel, JSON.stringify(data))
}

export function connectionEstablished(socketId: string): string {
  return JSON.stringify({
    event: 'pusher:connection_established',
    data: JSON.stringify({ socket_id: socketId, activity_timeout: ACTIVITY_TIMEOUT_SECONDS }),
  })
}

export function subscriptionSucceeded(channel: string, data: unknown): string {
  return presenceFrame('pusher_internal:subscription_succeeded', channel, data)
}

/** `pusher:error`: `code` null for errors that leave the connection open (as Pusher sends them). */
export function errorFrame(code: number | null, message: string): string {
  return JSON.stringify({ event: 'pusher:error', data: { code, message } })
}

export const PING = JSON.stringify({ event: 'pusher:ping', data: '{}' })
export const PONG = JSON.stringify({ event: 'pusher:pong', data: '{}' })

/** A client frame after parsing: `data` is whatever the client sent (pusher-js sends an object). */
export interface ClientFrame {
  event: string
  channel: string | undefined
  data: unknown
}

export function parseClientFrame(text: string): ClientFrame | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined
  }
  const frame = value as Record<string, unknown>
  if (typeof frame['event'] !== 'string') {
    return undefined
  }
  return {
    event: frame['event'],
    channel: typeof frame['channel'] === 'string' ? frame['channel'] : undefined,
    data: frame['data'],
  }
}
