// The control API (/mock/*) is closed to other web pages and, with a token, to the network; the
// Messenger API keeps its permissive CORS.
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { BASE_URL, createTestMock } from '../testing/harness.ts'
import { readDefaultWorld } from '../world/default-world.ts'
import { createWorlds } from '../world/worlds.ts'
import type { ControlAccess } from './control-access.ts'

const EVIL = 'https://evil.example'

function appWith(control: ControlAccess) {
  const worlds = createWorlds({ file: ':memory:', defaultWorld: readDefaultWorld })
  const app = createApp({ worlds, control })
  return {
    worlds,
    fetch: (path: string, init: RequestInit = {}) =>
      app.fetch(new Request(`${BASE_URL}${path}`, init)),
  }
}

const preflight = (origin: string, method = 'POST') => ({
  method: 'OPTIONS',
  headers: {
    Origin: origin,
    'Access-Control-Request-Method': method,
    'Access-Control-Request-Headers': 'content-type, x-mock-sandbox',
  },
})

async function inviteCount(fetch: (path: string) => Response | Promise<Response>) {
  const res = await fetch('/mock/world')
  return ((await res.json()) as { invites: unknown[] }).invites.length
}

describe('the control API from web pages', () => {
  it('refuses preflights from another origin', async () => {
    const mock = createTestMock()
    const res = await mock.request('/mock/world/reset', preflight(EVIL))
    expect(res.status).toBe(403)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
    expect(((await res.json()) as { message: string }).message).toContain('--allow-origin')
  })

  it('refuses a state change from another origin even without a preflight (403), changing nothing', async () => {
    const mock = appWith({})
    await mock.fetch('/mock/world', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...readDefaultWorld(), invites: [] }),
    })
    expect(await inviteCount(mock.fetch)).toBe(0)
    for (const [method, path] of [
      ['POST', '/mock/world/reset'],
      ['PUT', '/mock/world'],
      ['POST', '/mock/clock'],
      ['DELETE', '/mock/sandboxes/x'],
    ] as const) {
      const res = await mock.fetch(path, {
        method,
        headers: { Origin: EVIL, 'Content-Type': 'text/plain' },
        body: '{}',
      })
      expect(res.status, `${method} ${path}`).toBe(403)
    }
    expect(await inviteCount(mock.fetch)).toBe(0)
    mock.worlds.close()
  })

  it('lets pages on this machine (any port) and the listed origins in', async () => {
    const mock = appWith({ origins: ['https://dev.example.com'] })
    for (const origin of [
      'http://localhost:5173',
      'http://127.0.0.1:3000',
      'http://[::1]:8080',
      'https://dev.example.com',
    ]) {
      const pre = await mock.fetch('/mock/world/reset', preflight(origin))
      expect(pre.status, origin).toBe(204)
      expect(pre.headers.get('Access-Control-Allow-Origin'), origin).toBe(origin)
      const res = await mock.fetch('/mock/world/reset', {
        method: 'POST',
        headers: { Origin: origin },
      })
      expect(res.status, origin).toBe(200)
      expect(res.headers.get('Access-Control-Allow-Origin'), origin).toBe(origin)
    }
    mock.worlds.close()
  })

  it('leaves the Messenger API open to every origin', async () => {
    const mock = createTestMock()
    const res = await mock.request('/api/messenger', { token: 'john', headers: { Origin: EVIL } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Access-Control-Allow-Origin')).not.toBeNull()
    const pre = await mock.request('/api/messenger/settings', preflight(EVIL, 'PUT'))
    expect(pre.status).toBe(204)
  })
})

describe('the control token', () => {
  it('is required on every control request but the health check when set', async () => {
    const mock = appWith({ token: 's3cret' })
    const refused = await mock.fetch('/mock/world/reset', { method: 'POST' })
    expect(refused.status).toBe(401)
    const { message } = (await refused.json()) as { message: string }
    expect(message).toContain('X-Mock-Token')
    expect(message).toContain('--control-token')
    expect((await mock.fetch('/mock/world', { headers: { 'X-Mock-Token': 'wrong' } })).status).toBe(
      401
    )
    const ok = await mock.fetch('/mock/world/reset', {
      method: 'POST',
      headers: { 'X-Mock-Token': 's3cret' },
    })
    expect(ok.status).toBe(200)
    expect((await mock.fetch('/mock/health')).status).toBe(200)
    // The Messenger API does not need it.
    const api = await mock.fetch('/api/messenger', { headers: { Authorization: 'Bearer john' } })
    expect(api.status).toBe(200)
    mock.worlds.close()
  })
})
