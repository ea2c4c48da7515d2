// Broadcasts queued by a request and sent only once it has succeeded: the routes queue events where
// they change state (after their transaction commits), and this middleware publishes them when the
// response is not an error. A request that fails, throws, or never runs its handler sends nothing.
import type { MiddlewareHandler } from 'hono'
import type { BroadcastEvents } from '../generated/broadcasts.ts'
import type { AppEnv } from '../http/env.ts'
import type { Broadcast, Realtime } from './realtime.ts'

/** The events the application sends (the protocol's own presence events are not queued). */
export type AppEvent = Exclude<keyof BroadcastEvents, `pusher_internal:${string}`>

/** A user's private channel, where the backend sends them every call event. */
export const userChannel = (userId: string) => `private-user.${userId}`

export interface Outbox {
  /** Queues `event` to each user's private channel. */
  toUsers<E extends AppEvent>(event: E, userIds: readonly string[], data: BroadcastEvents[E]): void
}

export function broadcasting(realtime: Realtime): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const queued: Broadcast[] = []
    const outbox: Outbox = {
      toUsers(event, userIds, data) {
        if (userIds.length > 0) {
          queued.push({ event, channels: userIds.map(userChannel), data })
        }
      },
    }
    c.set('broadcasts', outbox)
    await next()
    if (queued.length > 0 && c.error === undefined && c.res.status < 400) {
      realtime.publish(c.get('world'), c.get('now'), queued)
    }
  }
}
