// Broadcasts over real sockets, for targets without the mock's control API: one pusher-js client
// (its Node build) per actor, subscribed to that actor's private channel `private-user.{id}` and
// authorised through the target's auth endpoint with the actor's own credentials.
import type { ChannelAuthorizationCallback, Options } from 'pusher-js'
import type { BroadcastWatch } from './broadcast-sources.ts'
import { arrivals, brokenWatch } from './broadcast-sources.ts'
import { BROADCAST_QUIET_MS, BROADCAST_WAIT_MS } from './broadcasts.ts'
import { actorHeaders } from './control.ts'
import type { BroadcastSettings, TargetProfile } from './scenario.ts'

/** How long connecting and subscribing every actor's channel may take. */
const SUBSCRIBE_TIMEOUT_MS = 10_000

interface PusherClient {
  subscribe(channel: string): {
    bind(event: string, callback: (data: unknown) => void): unknown
    bind_global(callback: (event: string, data: unknown) => void): unknown
  }
  connection: { bind(event: string, callback: (data: unknown) => void): unknown }
  disconnect(): void
}
type PusherClass = new (key: string, options: Options) => PusherClient

/** pusher-js's Node build is CommonJS: the module's default export is the class itself. */
async function loadPusher(): Promise<PusherClass | string> {
  try {
    const module = (await import('pusher-js')) as unknown as { default: PusherClass }
    return module.default
  } catch (error) {
    return `pusher-js cannot be loaded (${error instanceof Error ? error.message : String(error)}); install it next to the suite: npm install pusher-js`
  }
}

/** The auth endpoint as configured: an absolute URL, or a path on the target's base URL. */
const authUrl = (settings: BroadcastSettings, baseUrl: string) =>
  /^https?:\/\//i.test(settings.auth_endpoint)
    ? settings.auth_endpoint
    : `${baseUrl}${settings.auth_endpoint}`

/** Signs a subscription as Laravel Echo would: a form POST with the actor's credentials. */
async function authorize(
  url: string,
  headers: Record<string, string>,
  socketId: string,
  channelName: string,
  callback: ChannelAuthorizationCallback
): Promise<void> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        ...headers,
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ socket_id: socketId, channel_name: channelName }).toString(),
      signal: AbortSignal.timeout(SUBSCRIBE_TIMEOUT_MS),
    })
    const text = await res.text()
    if (res.status !== 200) {
      callback(new Error(`POST ${url} answered ${res.status}: ${text.slice(0, 200)}`), null)
      return
    }
    callback(null, JSON.parse(text) as { auth: string; channel_data?: string })
  } catch (error) {
    callback(new Error(`POST ${url} failed: ${String(error)}`), null)
  }
}

export async function socketWatch(
  settings: BroadcastSettings,
  profile: TargetProfile,
  baseUrl: string
): Promise<BroadcastWatch> {
  const Pusher = await loadPusher()
  if (typeof Pusher === 'string') {
    return brokenWatch(Pusher)
  }
  const log = arrivals()
  const clients: PusherClient[] = []
  const subscribed = Object.entries(profile.actors).map(
    ([name, actor]) =>
      new Promise<string | undefined>((resolve) => {
        const channelName = `private-user.${actor.id}`
        let authError = ''
        const client = new Pusher(settings.key, {
          cluster: settings.cluster ?? 'mt1',
          wsHost: settings.ws_host,
          wsPort: settings.ws_port,
          wssPort: settings.ws_port,
          forceTLS: settings.force_tls ?? false,
          enabledTransports: ['ws', 'wss'],
          disableStats: true,
          ...(settings.ws_path === undefined ? {} : { wsPath: settings.ws_path }),
          channelAuthorization: {
            customHandler: ({ socketId, channelName: channel }, callback) => {
              void authorize(
                authUrl(settings, baseUrl),
                actorHeaders(profile, name),
                socketId,
                channel,
                (error, data) => {
                  authError = error?.message ?? ''
                  callback(error, data)
                }
              )
            },
          },
        })
        clients.push(client)
        client.connection.bind('error', (error) => {
          resolve(`${name}'s socket failed: ${JSON.stringify(error)}`)
        })
        const channel = client.subscribe(channelName)
        channel.bind('pusher:subscription_succeeded', () => {
          resolve(undefined)
        })
        channel.bind('pusher:subscription_error', (error) => {
          resolve(
            `${name} could not subscribe to ${channelName}: ${authError || JSON.stringify(error)}`
          )
        })
        channel.bind_global((event, data) => {
          if (!event.startsWith('pusher:') && !event.startsWith('pusher_internal:')) {
            log.push({ event, channel: channelName, data })
          }
        })
      })
  )
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => {
      resolve([
        `the actors' channels were not all subscribed within ${SUBSCRIBE_TIMEOUT_MS / 1000} s (ws${settings.force_tls === true ? 's' : ''}://${settings.ws_host}:${settings.ws_port}${settings.ws_path ?? ''}/app/${settings.key})`,
      ])
    }, SUBSCRIBE_TIMEOUT_MS)
  })
  const problems = (await Promise.race([Promise.all(subscribed), timeout])).filter(
    (problem): problem is string => problem !== undefined
  )
  clearTimeout(timer)
  const close = () => {
    for (const client of clients) {
      client.disconnect()
    }
    return Promise.resolve()
  }
  if (problems.length > 0) {
    await close()
    return brokenWatch(`watching the actors' private channels failed: ${problems.join('; ')}`)
  }
  return {
    source: `over sockets, waiting up to ${BROADCAST_WAIT_MS / 1000} s for expected events, ${BROADCAST_QUIET_MS / 1000} s when none`,
    mark: () => Promise.resolve(log.mark()),
    collect: async (mark, awaited) => ({ deliveries: await log.collect(mark, awaited) }),
    close,
  }
}
