// POST /mock/clock {"set": …} over real HTTP: forward to a time or to now; backwards is refused
// with the reason; bad values and combinations are 422s.
import { describe, expect, it } from 'vitest'
import { useLiveMock } from './testing.ts'

const mock = useLiveMock()

describe('POST /mock/clock {"set": …}', () => {
  it('moves the clock forward to an RFC 3339 time (any offset), keeping it frozen or not', async () => {
    const sandbox = 'clock-set'
    await mock.send('POST', '/mock/clock', { sandbox, body: { frozen: true } })
    const res = await mock.send('POST', '/mock/clock', {
      sandbox,
      body: { set: '2030-01-02T05:04:05+02:00' },
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ now: '2030-01-02T03:04:05.000000Z', frozen: true })
    const unfrozen = await mock.send('POST', '/mock/clock', {
      sandbox,
      body: { set: '2030-01-02T03:05:00Z', frozen: false },
    })
    expect(unfrozen.body).toMatchObject({ frozen: false })
    expect((unfrozen.body as { now: string }).now >= '2030-01-02T03:05:00.000000Z').toBe(true)
  })

  it('"now" catches a world behind the real time up with it', async () => {
    const sandbox = 'clock-now'
    const before = (await mock.send('GET', '/mock/clock', { sandbox })).body as { now: string }
    expect(Date.parse(before.now)).toBeLessThan(Date.now() - 86_400_000)
    const res = await mock.send('POST', '/mock/clock', { sandbox, body: { set: 'now' } })
    expect(res.status).toBe(200)
    const now = Date.parse((res.body as { now: string }).now)
    expect(Math.abs(now - Date.now())).toBeLessThan(60_000)
  })

  it('refuses to go back, saying why and what to do, and leaves the clock alone', async () => {
    const sandbox = 'clock-back'
    await mock.send('POST', '/mock/clock', { sandbox, body: { set: '2030-01-01T00:00:00Z' } })
    await mock.send('POST', '/mock/clock', { sandbox, body: { frozen: true } })
    const res = await mock.send('POST', '/mock/clock', {
      sandbox,
      body: { set: '2020-01-01T00:00:00Z' },
    })
    expect(res.status).toBe(422)
    const text = (res.body as { errors: { set: string[] } }).errors.set[0] ?? ''
    expect(text).toContain('The time 2020-01-01T00:00:00Z is earlier than the world')
    expect(text).toContain('only moves forward')
    expect(text).toContain('POST /mock/world/reset')
    const now = await mock.send('POST', '/mock/clock', { sandbox, body: { set: 'now' } })
    expect(now.status).toBe(422)
    expect((await mock.send('GET', '/mock/clock', { sandbox })).body).toMatchObject({
      now: expect.stringMatching(/^2030-01-01T00:00:0\d\.000000Z$/) as unknown,
    })
  })

  it('refuses values that are not a time, and set together with advance_seconds', async () => {
    const sandbox = 'clock-bad'
    for (const set of ['tomorrow', '2030-01-01', 5]) {
      const res = await mock.send('POST', '/mock/clock', { sandbox, body: { set } })
      expect(res.status).toBe(422)
      expect(res.body).toMatchObject({
        errors: { set: ['The set must be an RFC 3339 date-time (2020-12-08T07:00:00Z) or "now".'] },
      })
    }
    const both = await mock.send('POST', '/mock/clock', {
      sandbox,
      body: { set: 'now', advance_seconds: 1 },
    })
    expect(both.body).toMatchObject({
      errors: { set: ['The set field cannot be combined with advance seconds.'] },
    })
  })
})
