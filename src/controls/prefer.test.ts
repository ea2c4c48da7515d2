// The Prefer header over real HTTP: documented responses by status and by example name, generated
// bodies valid against the contract, 422s naming what is documented, and no state change.
import { describe, expect, it } from 'vitest'
import { IDS } from '../testing/harness.ts'
import { responseErrors } from '../testing/spec-validator.ts'
import { useLiveMock } from './testing.ts'

const mock = useLiveMock()

const CALLS = `/api/messenger/threads/${IDS.johnJairo}/calls`
/** A request as John in a sandbox with a Prefer header. */
const preferring = (method: string, path: string, sandbox: string, prefer: string) =>
  mock.send(method, path, { token: 'john', sandbox, headers: { Prefer: prefer } })

const THREAD_404 =
  'No query results for model [RTippin\\Messenger\\Models\\Thread] 00000000-0000-4000-8000-000000000000'

describe('Prefer: code=', () => {
  it('answers the documented example, content type and headers of that status', async () => {
    const res = await preferring('GET', CALLS, 'prefer-code', 'code=404')
    expect(res.status).toBe(404)
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(res.body).toEqual({ message: THREAD_404 })

    const limited = await preferring('GET', '/api/messenger/search/jane', 'prefer-code', 'code=429')
    expect(limited.status).toBe(429)
    expect(limited.body).toEqual({ message: 'Too Many Attempts.' })
    expect(limited.headers.get('Retry-After')).toBe('60')
    expect(limited.headers.get('X-RateLimit-Limit')).toBe('45')
    expect(limited.headers.get('X-RateLimit-Remaining')).toBe('0')

    const method = await preferring('GET', CALLS, 'prefer-code', 'code=405')
    expect(method.status).toBe(405)
    expect(method.headers.get('Allow')).toBe('GET, HEAD, POST')
  })

  it('answers 422 naming the documented statuses for an undocumented one', async () => {
    const res = await preferring('GET', CALLS, 'prefer-code', 'code=500')
    expect(res.status).toBe(422)
    expect(res.body).toEqual({
      message: 'The given data was invalid.',
      errors: {
        Prefer: [
          'indexCalls documents no 500 response; its documented statuses are 200, 401, 403, 404, 405.',
        ],
      },
    })
    const bad = await preferring('GET', CALLS, 'prefer-code', 'code=abc')
    expect(bad.status).toBe(422)
    expect(bad.body).toMatchObject({
      errors: { Prefer: ['The code preference must be a three-digit status, not "abc".'] },
    })
  })

  it('still requires a login first, as Prism does', async () => {
    const res = await mock.send('GET', CALLS, {
      sandbox: 'prefer-code',
      headers: { Prefer: 'code=200' },
    })
    expect(res.status).toBe(401)
  })

  it('reads the query fallback when no Prefer header is sent', async () => {
    const res = await mock.send('GET', `${CALLS}?__code=403`, {
      token: 'john',
      sandbox: 'prefer-code',
    })
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ message: 'Not authorized to view calls.' })
  })

  it('ignores preferences it does not know (RFC 7240)', async () => {
    const res = await preferring('GET', CALLS, 'prefer-code', 'return=minimal')
    expect(res.status).toBe(200)
  })
})

describe('Prefer: example=', () => {
  it('answers a named example of any status, or of the given status', async () => {
    const named = await preferring('POST', CALLS, 'prefer-example', 'example=awaitingCreation')
    expect(named.status).toBe(403)
    expect(named.body).toEqual({ message: "Jairo O'Kon I has a call awaiting creation." })

    const both = await preferring('POST', CALLS, 'prefer-example', 'code=403, example=notAllowed')
    expect(both.status).toBe(403)
    expect(both.body).toEqual({ message: 'Not authorized to start a call.' })
  })

  it('answers 422 listing the examples for an unknown name', async () => {
    const res = await preferring('POST', CALLS, 'prefer-example', 'code=403, example=nope')
    expect(res.status).toBe(422)
    expect(res.body).toMatchObject({
      errors: {
        Prefer: [
          'storeCall has no example named "nope" for 403; its examples are notAllowed (403), awaitingCreation (403).',
        ],
      },
    })
  })
})

describe('Prefer: dynamic=true', () => {
  it('answers generated bodies valid against the contract for every JSON success response', async () => {
    const cases: [string, string, string][] = [
      ['indexCalls', 'GET', CALLS],
      ['showCall', 'GET', `/api/messenger/threads/${IDS.johnJane}/calls/${IDS.janesCall}`],
      ['getMessengerInfo', 'GET', '/api/messenger'],
      ['getSettings', 'GET', '/api/messenger/settings'],
      ['statusHeartbeat', 'POST', '/api/messenger/heartbeat'],
      ['searchProviders', 'GET', '/api/messenger/search/jane'],
      ['activeCalls', 'GET', '/api/messenger/active-calls'],
      ['indexInvites', 'GET', `/api/messenger/threads/${IDS.testParty}/invites`],
      ['storeInvite', 'POST', `/api/messenger/threads/${IDS.testParty}/invites`],
      ['showInvite', 'GET', '/api/messenger/join/ZAJOR26J'],
    ]
    for (const [operationId, method, path] of cases) {
      for (const seed of ['a', 'b', 'c']) {
        const res = await preferring(method, path, 'prefer-dynamic', `dynamic=true, seed=${seed}`)
        expect(res.status, operationId).toBeLessThan(300)
        expect(responseErrors(operationId, res.status, res.body), operationId).toEqual([])
      }
    }
  })

  it('gives the same body for the same seed and another for another seed', async () => {
    const get = async (seed: string) =>
      (
        await preferring(
          'GET',
          '/api/messenger/settings',
          'prefer-dynamic',
          `dynamic=true; seed=${seed}`
        )
      ).body
    expect(await get('one')).toEqual(await get('one'))
    expect(await get('one')).not.toEqual(await get('two'))
  })
})

describe('a forced response', () => {
  it('changes nothing in the world', async () => {
    const sandbox = 'prefer-no-state'
    const started = await preferring('POST', CALLS, sandbox, 'code=201')
    expect(started.status).toBe(201)
    const joined = await preferring(
      'POST',
      `/api/messenger/threads/${IDS.johnJane}/calls/${IDS.janesCall}/join`,
      sandbox,
      'code=201'
    )
    expect(joined.status).toBe(201)
    const calls = await mock.send('GET', CALLS, { token: 'john', sandbox })
    expect(calls.body).toMatchObject({ data: [], meta: { total: 0 } })
    const participants = await mock.send(
      'GET',
      `/api/messenger/threads/${IDS.johnJane}/calls/${IDS.janesCall}/participants`,
      { token: 'jane', sandbox }
    )
    expect(participants.body).toHaveLength(1)
    // The real thing still works afterwards: no lockout was recorded.
    const real = await mock.send('POST', CALLS, { token: 'john', sandbox })
    expect(real.status).toBe(201)
  })
})
