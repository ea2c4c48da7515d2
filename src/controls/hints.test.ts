// X-Mock-Hint over real HTTP: the world's tokens on a 401, the closest documented route on an
// unknown one, the active call on a refused call start; bodies stay the backend's.
import { describe, expect, it } from 'vitest'
import { IDS } from '../testing/harness.ts'
import { useLiveMock } from './testing.ts'

const mock = useLiveMock()

describe('X-Mock-Hint', () => {
  it("names the world's tokens on a 401", async () => {
    const res = await mock.send('GET', '/api/messenger', { token: 'johnn' })
    // The body stays the backend's; the hint travels beside it.
    expect([res.status, res.body]).toEqual([401, { message: 'Unauthenticated.' }])
    expect(res.headers.get('X-Mock-Hint')).toBe(
      "Send Authorization: Bearer <token>; this world's tokens: john, jane, jairo."
    )
  })

  it('names the closest documented route on a 404 for an unknown route', async () => {
    const res = await mock.send('GET', '/api/messenger/active-call', { token: 'john' })
    expect([res.status, res.body]).toEqual([404, { message: '' }])
    expect(res.headers.get('X-Mock-Hint')).toBe(
      'No such route. The closest documented route is GET /api/messenger/active-calls; /docs lists them all.'
    )
    const model = await mock.send('GET', `/api/messenger/threads/${IDS.john}/calls`, {
      token: 'john',
    })
    expect(model.status).toBe(404)
    expect(model.headers.get('X-Mock-Hint')).toBeNull()
  })

  it('names the active call when starting a call is refused', async () => {
    const res = await mock.send('POST', `/api/messenger/threads/${IDS.johnJane}/calls`, {
      token: 'john',
    })
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ message: 'Not authorized to start a call.' })
    expect(res.headers.get('X-Mock-Hint')).toContain(
      `This thread already has an active call: ${IDS.janesCall}.`
    )
    const plain = await mock.send('GET', `/api/messenger/threads/${IDS.testParty}/calls`, {
      token: 'jairo',
    })
    expect(plain.status).toBe(403)
    expect(plain.headers.get('X-Mock-Hint')).toBeNull()
  })
})
