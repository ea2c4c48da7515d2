// Test harness: a fresh app on a fresh in-memory world per test, called in-process through the
// typed client (no port, no shared state).
import { createApp } from '../app.ts'
import { createMessengerClient } from '../client.ts'
import type { MessengerClient } from '../client.ts'
import { readDefaultWorld } from '../world/default-world.ts'
import { createWorlds } from '../world/worlds.ts'
import type { WorldHandle, Worlds } from '../world/worlds.ts'

export const BASE_URL = 'http://localhost:8000'

/** The default world's ids (from the documents). */
export const IDS = {
  john: '922f8476-bdda-4ebd-b283-be23602c658d',
  jane: '922f8476-c5f4-4024-8ba2-1a0d1cd22d71',
  jairo: '922f8476-dfb5-45d5-8a76-ab6422e10e5d',
  johnJairo: '92316158-d218-4b23-b90b-a708fb354685',
  johnJane: '923135d4-bcaa-4aa7-83a9-cc9765866b19',
  testParty: '92313cf7-b356-4d74-944c-c799fcfc3b1e',
  janesCall: '923142e6-88bd-48c6-a253-94f1fd587686',
  inviteZ: '92315b42-d57e-461a-91fb-e5eb9f1f2ca9',
  invite7: '92315aa0-c44b-4da8-8b7f-5d5529412874',
  johnJairoFriendship: '92313e08-3966-415b-ad71-e6776c813a70',
} as const

export type Token = 'john' | 'jane' | 'jairo'

export interface TestMock {
  app: ReturnType<typeof createApp>
  worlds: Worlds
  world: WorldHandle
  /** The typed client logged in as a user (or a guest with no token). */
  as(token?: string): MessengerClient
  /** A raw request through the app, for what the typed client cannot send (bad bodies, methods). */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>
  /** Moves the world's clock forward. */
  advance(seconds: number): void
}

/** A new app on a new in-memory default world (frozen clock, so times are exact). */
export function createTestMock(options: { publicUrl?: string } = {}): TestMock {
  const worlds = createWorlds({
    file: ':memory:',
    defaultWorld: () => {
      const world = readDefaultWorld()
      return { ...world, clock: { ...world.clock, frozen: true } }
    },
  })
  const app = createApp({ worlds, publicUrl: options.publicUrl })
  const fetch = async (request: Request) => app.fetch(request)
  const world = worlds.main()
  return {
    app,
    worlds,
    world,
    as: (token) => createMessengerClient({ baseUrl: BASE_URL, token, fetch }),
    async request(path, init = {}) {
      const headers = new Headers(init.headers)
      if (init.token !== undefined) {
        headers.set('Authorization', `Bearer ${init.token}`)
      }
      headers.set('Accept', 'application/json')
      return app.fetch(new Request(`${BASE_URL}${path}`, { ...init, headers }))
    },
    advance: (seconds) => {
      world.clock.advance(seconds)
    },
  }
}
