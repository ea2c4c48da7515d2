// Laravel's method rules: a method outside a route's documented list is a 405 whose Allow header
// lists exactly the route's methods (HEAD with GET); PATCH only where the contract accepts it.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { createTestMock, IDS } from '../testing/harness.ts'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const

/** Each path of a spec with its documented methods, and whether its PUT says PATCH is accepted. */
function documentedPaths(file: string) {
  const doc = parse(readFileSync(new URL(`../../openapi/${file}`, import.meta.url), 'utf8')) as Obj
  return Object.entries(doc['paths'] as Obj).map(([path, item]) => {
    const ops = isObj(item) ? item : {}
    const put = ops['put']
    const patchToo =
      isObj(put) && typeof put['description'] === 'string'
        ? put['description'].includes('PATCH is accepted too')
        : false
    return {
      path,
      methods: METHODS.filter((m) => isObj(ops[m])).map((m) => m.toUpperCase()),
      patchToo,
    }
  })
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']

/** A concrete URL for a templated path (ids of the default world). */
function concrete(path: string): string {
  return path
    .replace('{thread}', IDS.testParty)
    .replace('{call}', IDS.janesCall)
    .replace('{participant}', IDS.jane)
    .replace('{invite}', IDS.inviteZ)
    .replace('{code}', 'ZAJOR26J')
    .replace('{query}', 'jo')
    .replace('{alias}', 'user')
    .replace('{id}', IDS.john)
    .replace('{size}', 'sm')
    .replace('{image}', 'default.png')
    .replace('{name}', 'nobody')
}

const paths = [...documentedPaths('openapi.yaml'), ...documentedPaths('mock-control.yaml')]

describe('405 and Allow', () => {
  it.each(paths)('$path answers 405 with exactly its documented methods', async (entry) => {
    const mock = createTestMock()
    const allowed = new Set(entry.methods)
    if (allowed.has('GET')) {
      allowed.add('HEAD')
    }
    if (entry.patchToo) {
      allowed.add('PATCH')
    }
    const expected = ORDER.filter((m) => allowed.has(m)).join(', ')
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      if (allowed.has(method)) {
        continue
      }
      const res = await mock.request(concrete(entry.path), { method, token: 'john' })
      expect(res.status, `${method} ${entry.path}`).toBe(405)
      expect(res.headers.get('Allow'), `${method} ${entry.path}`).toBe(expected)
      expect(await res.json()).toEqual({
        message: `The ${method} method is not supported for this route. Supported methods: ${expected}.`,
      })
    }
  })

  it('PATCH /api/messenger/settings is a 405 and changes nothing', async () => {
    const mock = createTestMock()
    const res = await mock.request('/api/messenger/settings', {
      method: 'PATCH',
      token: 'john',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ message_popups: false }),
    })
    expect(res.status).toBe(405)
    expect(res.headers.get('Allow')).toBe('GET, HEAD, PUT')
    const settings = await mock.as('john').GET('/api/messenger/settings')
    expect(settings.data?.message_popups).toBe(true)
  })

  it('only the call participant update accepts PATCH, as the contract says', () => {
    expect(paths.filter((p) => p.patchToo).map((p) => p.path)).toEqual([
      '/api/messenger/threads/{thread}/calls/{call}/participants/{participant}',
    ])
  })
})
