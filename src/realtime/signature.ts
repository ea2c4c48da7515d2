// Pusher's channel authorisation signature: `<key>:<hex HMAC-SHA256(secret, string_to_sign)>`,
// where string_to_sign is `socket_id:channel_name`, plus `:channel_data` for presence channels.
import { createHmac, timingSafeEqual } from 'node:crypto'

export interface AppCredentials {
  readonly key: string
  readonly secret: string
}

export function stringToSign(socketId: string, channel: string, channelData?: string): string {
  return channelData === undefined
    ? `${socketId}:${channel}`
    : `${socketId}:${channel}:${channelData}`
}

export function signature(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex')
}

/** The `auth` value the authorisation endpoint answers and a subscription must carry. */
export function channelAuth(
  app: AppCredentials,
  socketId: string,
  channel: string,
  channelData?: string
): string {
  return `${app.key}:${signature(app.secret, stringToSign(socketId, channel, channelData))}`
}

/** Compares in constant time, so the check leaks nothing about the expected signature. */
export function isValidAuth(
  app: AppCredentials,
  auth: string,
  socketId: string,
  channel: string,
  channelData?: string
): boolean {
  const expected = Buffer.from(channelAuth(app, socketId, channel, channelData))
  const given = Buffer.from(auth)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** Pusher's socket id format (pusher-php refuses any other with "Invalid socket ID"). */
export const SOCKET_ID = /^\d+\.\d+$/
