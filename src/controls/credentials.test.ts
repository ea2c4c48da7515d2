// Browser apps on another origin, over real HTTP: a credentials preflight is approved for that
// origin, answers echo it with Allow-Credentials, and the laravel_session cookie logs a user in.
import { describe, expect, it } from 'vitest'
import { IDS } from '../testing/harness.ts'
import { useLiveMock } from './testing.ts'

const mock = useLiveMock()

const APP = 'http://localhost:5173'

describe('CORS with credentials for the Messenger API', () => {
  it('approves a preflight from another origin for that origin, with credentials', async () => {
    const res = await mock.send('OPTIONS', `/api/messenger/threads/${IDS.johnJairo}/calls`, {
      headers: {
        Origin: APP,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, prefer, x-mock-sandbox',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(APP)
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBe('true')
    expect(res.headers.get('Vary')).toBe('Origin')
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('POST')
    expect(res.headers.get('Access-Control-Allow-Headers')).toBe(
      'content-type, prefer, x-mock-sandbox'
    )
  })

  it('answers with the origin echoed and Allow and the rate-limit headers exposed', async () => {
    const res = await mock.send('GET', '/api/messenger/heartbeat', {
      token: 'john',
      headers: { Origin: APP },
    })
    expect(res.status).toBe(405)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(APP)
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBe('true')
    const exposed = (res.headers.get('Access-Control-Expose-Headers') ?? '').split(/,\s*/)
    expect(exposed).toEqual(
      expect.arrayContaining(['Allow', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining'])
    )
    expect(res.headers.get('Allow')).toBe('POST')
  })
})

describe('the laravel_session cookie', () => {
  it('logs in the user whose token it carries; a bearer token wins; a bad one is a 401', async () => {
    const asJane = await mock.send('GET', '/api/messenger/heartbeat', {
      headers: { Origin: APP, Cookie: 'laravel_session=jane' },
    })
    expect(asJane.status).toBe(405) // logged in: the route exists for POST only
    const settings = await mock.send('GET', '/api/messenger/settings', {
      headers: { Cookie: 'XSRF-TOKEN=x; laravel_session=jane' },
    })
    expect(settings.status).toBe(200)
    expect(settings.body).toMatchObject({ owner_id: IDS.jane })
    const both = await mock.send('GET', '/api/messenger/settings', {
      token: 'john',
      headers: { Cookie: 'laravel_session=jane' },
    })
    expect(both.body).toMatchObject({ owner_id: IDS.john })
    const bad = await mock.send('GET', '/api/messenger/settings', {
      headers: { Cookie: 'laravel_session=nobody' },
    })
    expect(bad.status).toBe(401)
  })
})
