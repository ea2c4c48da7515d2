// Test harness: a fresh app on a fresh in-memory world per test, called in-process through the
// typed client (no port, no shared state).
import { createApp } from '../app.ts'
import { createMessengerClient } from '../client.ts'
import type { MessengerClient } from '../client.ts'
import { readDefaultWorld } from '../world/default-world.ts'
import { createWorlds } from '../world/worlds.ts'
import type { WorldHandle, Worlds } from '../world/worlds.ts'

export const BASE_URL = 'http://localhost:8000'

export { IDS } from './ids.ts'

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
