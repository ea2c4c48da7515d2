// The mock's real-time side: the app credentials, the subscriptions, the journal and (once attached
// to the HTTP server) the WebSocket endpoint. Created without I/O; `attach` starts listening for
// upgrades on the server the mock already runs.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { createChannels } from './channels.ts'
import { createJournals } from './journal.ts'
import type { JournalEntry, Journals } from './journal.ts'
import type { WorldHandle } from '../world/worlds.ts'
import type { AppCredentials } from './signature.ts'
import { createSocketServer } from './socket-server.ts'
import type { SocketServer } from './socket-server.ts'

/** The defaults of --pusher-key and --pusher-secret. */
export const DEFAULT_APP: AppCredentials = {
  key: 'messenger-mock',
  secret: 'messenger-mock-secret',
}

/** An HTTP server, as far as upgrades go. */
export interface UpgradeSource {
  on(
    event: 'upgrade',
    listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void
  ): unknown
}

/** One event to one or more channels, as a route queues it. */
export interface Broadcast {
  event: string
  channels: string[]
  data: object
}

export interface Realtime {
  readonly app: AppCredentials
  readonly journals: Journals
  /** Records each broadcast in the world's journal and sends it to the world's sockets. */
  publish(world: WorldHandle, at: string, broadcasts: readonly Broadcast[]): JournalEntry[]
  /** Serves the Pusher protocol on the server's upgrade requests. */
  attach(server: UpgradeSource): void
  /** How many sockets are subscribed to a channel of a world. */
  subscribers(world: string, channel: string): number
  /** Closes every socket. */
  close(): void
}

export function createRealtime(app: AppCredentials = DEFAULT_APP): Realtime {
  const channels = createChannels()
  const journals = createJournals()
  let sockets: SocketServer | undefined
  return {
    app,
    journals,
    publish(world, at, broadcasts) {
      return broadcasts.map((broadcast) => {
        const entry = journals.record(world, { at, ...broadcast })
        channels.publish(
          world.name,
          broadcast.event,
          broadcast.channels,
          JSON.stringify(broadcast.data)
        )
        return entry
      })
    },
    attach(server) {
      const endpoint = (sockets ??= createSocketServer({ app, channels }))
      server.on('upgrade', (request, socket, head) => {
        endpoint.handleUpgrade(request, socket, head)
      })
    },
    subscribers: (world, channel) => channels.count(world, channel),
    close() {
      sockets?.close()
    },
  }
}
