// Test support for the frontend controls: the app on a real HTTP server (a free port), so requests
// go through sockets as a browser's would, and rules can close connections.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll } from 'vitest'
import { createApp } from '../app.ts'
import { readDefaultWorld } from '../world/default-world.ts'
import { createWorlds } from '../world/worlds.ts'
import type { Worlds } from '../world/worlds.ts'

export interface LiveMock {
  url: string
  worlds: Worlds
  /** A request to the mock: JSON bodies are encoded, the sandbox and token become headers. */
  send(
    method: string,
    path: string,
    options?: {
      sandbox?: string
      token?: string
      body?: unknown
      headers?: Record<string, string>
    }
  ): Promise<{ status: number; headers: Headers; body: unknown; ms: number }>
  close(): Promise<void>
}

export async function startLiveMock(options: { journalLimit?: number } = {}): Promise<LiveMock> {
  const worlds = createWorlds({ file: ':memory:', defaultWorld: readDefaultWorld })
  const app = createApp({ worlds, journalLimit: options.journalLimit })
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
  await new Promise<void>((resolve) =>
    server.once('listening', () => {
      resolve()
    })
  )
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    worlds,
    async send(method, path, options = {}) {
      const headers: Record<string, string> = { Accept: 'application/json', ...options.headers }
      if (options.sandbox !== undefined) {
        headers['X-Mock-Sandbox'] = options.sandbox
      }
      if (options.token !== undefined) {
        headers['Authorization'] = `Bearer ${options.token}`
      }
      let body: string | undefined
      if (options.body !== undefined) {
        headers['Content-Type'] ??= 'application/json'
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
      }
      const started = performance.now()
      const res = await fetch(`${url}${path}`, { method, headers, body: body ?? null })
      const text = await res.text()
      const ms = performance.now() - started
      let parsed: unknown = text
      try {
        parsed = text === '' ? null : JSON.parse(text)
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: res.headers, body: parsed, ms }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          worlds.close()
          resolve()
        })
        server.closeAllConnections()
      }),
  }
}

/** A live mock for the tests of one file: started before them, closed after them. */
export function useLiveMock(options: { journalLimit?: number } = {}): LiveMock {
  let mock: LiveMock | undefined
  beforeAll(async () => {
    mock = await startLiveMock(options)
  })
  afterAll(async () => {
    await mock?.close()
  })
  const current = (): LiveMock => {
    if (mock === undefined) {
      throw new Error('useLiveMock(): the mock starts in beforeAll; use it inside tests')
    }
    return mock
  }
  return {
    get url() {
      return current().url
    },
    get worlds() {
      return current().worlds
    },
    send: (...args) => current().send(...args),
    close: () => current().close(),
  }
}
