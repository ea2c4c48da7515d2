// The Node request behind Hono's, for what only the socket can do (read a body without building a
// web Request, close the connection without an answer).
import { IncomingMessage } from 'node:http'
import type { Context } from 'hono'

/** The Node request, when the app is served by @hono/node-server; undefined in-process. */
export function incomingOf(c: Context): IncomingMessage | undefined {
  const env: unknown = c.env
  const incoming =
    typeof env === 'object' && env !== null && 'incoming' in env ? env.incoming : undefined
  return incoming instanceof IncomingMessage ? incoming : undefined
}
