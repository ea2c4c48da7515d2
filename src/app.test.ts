// Cross-cutting HTTP behaviour: auth, errors for unknown routes and methods, sandboxes selection.
import { describe, expect, it } from 'vitest'
import { createApp } from './app.ts'
import { createTestMock } from './testing/harness.ts'
import { readDefaultWorld } from './world/default-world.ts'
import { createWorlds } from './world/worlds.ts'

describe('the app', () => {
  it('GET /api/messenger answers the documented info payload to a logged-in user', async () => {
    const mock = createTestMock()
    const { data, response } = await mock.as('john').GET('/api/messenger')
    expect(response.status).toBe(200)
    expect(data?.threadInvitesMax).toBe(3)
    expect(data?.providers['user']?.mobile_devices).toBe(false)
  })

  it("answers 401 with Laravel's body without a valid token", async () => {
    const mock = createTestMock()
    for (const token of [undefined, 'nobody']) {
      const res = await mock.request('/api/messenger', token === undefined ? {} : { token })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ message: 'Unauthenticated.' })
    }
  })

  it('answers 405 with the supported methods for a known path and another method', async () => {
    const mock = createTestMock()
    const res = await mock.request('/api/messenger', { method: 'POST', token: 'john' })
    expect(res.status).toBe(405)
    expect(await res.json()).toEqual({
      message: 'The POST method is not supported for this route. Supported methods: GET, HEAD.',
    })
    expect(res.headers.get('Allow')).toBe('GET, HEAD')
  })

  it('answers 404 for an unknown path', async () => {
    const mock = createTestMock()
    const res = await mock.request('/api/messenger/nothing-here', { token: 'john' })
    expect(res.status).toBe(404)
  })

  it('refuses a malformed sandbox name with a 422', async () => {
    const mock = createTestMock()
    const res = await mock.request('/api/messenger', {
      token: 'john',
      headers: { 'X-Mock-Sandbox': 'bad name!' },
    })
    expect(res.status).toBe(422)
    const body = (await res.json()) as { errors: Record<string, string[]> }
    expect(Object.keys(body.errors)).toEqual(['X-Mock-Sandbox'])
  })
})

describe('the root', () => {
  it('redirects to the docs', async () => {
    const mock = createTestMock()
    const res = await mock.request('/')
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/docs')
  })
})

describe('CORS', () => {
  it('lets any origin read answers with credentials, errors included', async () => {
    const mock = createTestMock()
    const ok = await mock.request('/api/messenger', {
      token: 'john',
      headers: { Origin: 'http://localhost:5173' },
    })
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173')
    expect(ok.headers.get('Access-Control-Allow-Credentials')).toBe('true')
    expect(ok.headers.get('Vary')).toBe('Origin')
    const denied = await mock.request('/api/messenger', {
      headers: { Origin: 'http://localhost:5173' },
    })
    expect(denied.status).toBe(401)
    expect(denied.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173')
    const originless = await mock.request('/api/messenger', { token: 'john' })
    expect(originless.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(originless.headers.get('Access-Control-Allow-Credentials')).toBeNull()
  })

  it('answers a preflight with the methods and the requested headers', async () => {
    const mock = createTestMock()
    const res = await mock.request('/api/messenger/settings', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'authorization, content-type, x-mock-sandbox',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('PUT')
    expect(res.headers.get('Access-Control-Allow-Headers')).toBe(
      'authorization, content-type, x-mock-sandbox'
    )
  })
})

describe('the request log', () => {
  it('writes one line per request with method as sent, path, status, time, user and sandbox', async () => {
    const lines: string[] = []
    const worlds = createWorlds({ file: ':memory:', defaultWorld: readDefaultWorld })
    const app = createApp({ worlds, log: (line) => lines.push(line) })
    await app.fetch(
      new Request('http://localhost/api/messenger', { headers: { Authorization: 'Bearer john' } })
    )
    await app.fetch(
      new Request('http://localhost/api/messenger', { headers: { 'X-Mock-Sandbox': 'ci-1' } })
    )
    await app.fetch(
      new Request('http://localhost/api/messenger/settings', {
        method: 'PATCH',
        headers: { Authorization: 'Bearer jane', 'Content-Type': 'application/json' },
        body: '{}',
      })
    )
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^GET \/api\/messenger 200 \d+\.\d ms as john$/)
    expect(lines[1]).toMatch(/^GET \/api\/messenger 401 \d+\.\d ms \[ci-1\]$/)
    expect(lines[2]).toMatch(/^PATCH \/api\/messenger\/settings \d{3} \d+\.\d ms as jane$/)
    worlds.close()
  })
})
