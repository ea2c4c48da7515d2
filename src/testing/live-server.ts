// Test helper: the mock as a real HTTP server on a free port, with the real-time endpoint attached
// (as src/main.ts wires it), on a fresh in-memory default world with a frozen clock.
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { createApp } from '../app.ts'
import { createRealtime } from '../realtime/realtime.ts'
import type { Realtime } from '../realtime/realtime.ts'
import type { AppCredentials } from '../realtime/signature.ts'
import { readDefaultWorld } from '../world/default-world.ts'
import { createWorlds } from '../world/worlds.ts'
import type { Worlds } from '../world/worlds.ts'

export interface LiveServer {
  /** http://127.0.0.1:PORT */
  base: string
  port: number
  worlds: Worlds
  realtime: Realtime
  /** Sends a request as `token` (JSON body when given), in `sandbox` when given. */
  send(
    token: string | undefined,
    method: string,
    path: string,
    options?: { body?: unknown; sandbox?: string }
  ): Promise<{ status: number; body: unknown }>
  close(): Promise<void>
}

export async function startLiveServer(app?: AppCredentials): Promise<LiveServer> {
  const worlds = createWorlds({
    file: ':memory:',
    defaultWorld: () => {
      const world = readDefaultWorld()
      return { ...world, clock: { ...world.clock, frozen: true } }
    },
  })
  const realtime = createRealtime(app)
  const hono = createApp({ worlds, realtime })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' }, () => {
      resolve(started)
    })
  })
  realtime.attach(server)
  const port = (server.address() as AddressInfo).port
  const base = `http://127.0.0.1:${port}`
  return {
    base,
    port,
    worlds,
    realtime,
    async send(token, method, path, options = {}) {
      const headers: Record<string, string> = { Accept: 'application/json' }
      if (token !== undefined) {
        headers['Authorization'] = `Bearer ${token}`
      }
      if (options.sandbox !== undefined) {
        headers['X-Mock-Sandbox'] = options.sandbox
      }
      const init: RequestInit = { method, headers }
      if (options.body !== undefined) {
        headers['Content-Type'] = 'application/json'
        init.body = JSON.stringify(options.body)
      }
      const res = await fetch(`${base}${path}`, init)
      return { status: res.status, body: await res.json() }
    },
    close() {
      realtime.close()
      return new Promise((resolve) => {
        server.close(() => {
          worlds.close()
          resolve()
        })
        // Keep-alive sockets of fetch() would hold close() open.
        if ('closeAllConnections' in server) {
          server.closeAllConnections()
        }
      })
    },
  }
}
