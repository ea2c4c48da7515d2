// The id rule: every route reads a path id without regard to case (MySQL's collation matched
// upper-case UUIDs), so an upper-cased id answers exactly as the stored lower-case one does.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { IDS, createTestMock } from '../testing/harness.ts'
import type { TestMock } from '../testing/harness.ts'

const JANES_CALL_PARTICIPANT = '923142e6-895c-41aa-9a37-bdec22013081'
const JOHNS_AVATAR = 'img_5fcee7c1e64404.55920965.jpg'

interface Case {
  token: string
  /** The path with its ids filled in (lower case, as stored), or how to make it in a world. */
  path: string | ((mock: TestMock) => Promise<string>)
  body?: unknown
  /** False where the answer holds new random values (room ids, invite codes). */
  sameBody?: boolean
}

const call = `/api/messenger/threads/${IDS.johnJane}/calls/${IDS.janesCall}`
const participant = `${call}/participants/${JANES_CALL_PARTICIPANT}`

// One case per operation of the contract with an id in its path (checked below).
const CASES: Record<string, Case> = {
  'get /api/messenger/threads/{thread}/calls': {
    token: 'jane',
    path: `/api/messenger/threads/${IDS.johnJane}/calls`,
  },
  'post /api/messenger/threads/{thread}/calls': {
    token: 'john',
    path: `/api/messenger/threads/${IDS.johnJairo}/calls`,
    sameBody: false,
  },
  'get /api/messenger/threads/{thread}/calls/page/{call}': {
    token: 'jane',
    path: `/api/messenger/threads/${IDS.johnJane}/calls/page/${IDS.janesCall}`,
  },
  'get /api/messenger/threads/{thread}/calls/{call}': { token: 'jane', path: call },
  'post /api/messenger/threads/{thread}/calls/{call}/join': {
    token: 'jane',
    path: `${call}/join`,
  },
  'post /api/messenger/threads/{thread}/calls/{call}/leave': {
    token: 'jane',
    path: `${call}/leave`,
  },
  'get /api/messenger/threads/{thread}/calls/{call}/heartbeat': {
    token: 'jane',
    path: `${call}/heartbeat`,
  },
  'post /api/messenger/threads/{thread}/calls/{call}/end': { token: 'jane', path: `${call}/end` },
  'get /api/messenger/threads/{thread}/calls/{call}/participants': {
    token: 'jane',
    path: `${call}/participants`,
  },
  'get /api/messenger/threads/{thread}/calls/{call}/participants/{participant}': {
    token: 'jane',
    path: participant,
  },
  'put /api/messenger/threads/{thread}/calls/{call}/participants/{participant}': {
    // Kicking is for group calls: John starts one in the group and kicks Jane once she joined.
    token: 'john',
    path: async (mock) => {
      const calls = `/api/messenger/threads/${IDS.testParty}/calls`
      const started = await mock.request(calls, { method: 'POST', token: 'john' })
      const { id } = (await started.json()) as { id: string }
      const joined = await mock.request(`${calls}/${id}/join`, { method: 'POST', token: 'jane' })
      return `${calls}/${id}/participants/${((await joined.json()) as { id: string }).id}`
    },
    body: { kicked: true },
  },
  'get /api/messenger/threads/{thread}/invites': {
    token: 'john',
    path: `/api/messenger/threads/${IDS.testParty}/invites`,
  },
  'post /api/messenger/threads/{thread}/invites': {
    token: 'john',
    path: `/api/messenger/threads/${IDS.testParty}/invites`,
    body: { expires: 0, uses: 0 },
    sameBody: false,
  },
  'delete /api/messenger/threads/{thread}/invites/{invite}': {
    token: 'john',
    path: `/api/messenger/threads/${IDS.testParty}/invites/${IDS.inviteZ}`,
  },
  'get /api/messenger/images/{alias}/{id}/{size}/{image}': {
    token: 'jane',
    path: `/api/messenger/images/user/${IDS.john}/sm/${JOHNS_AVATAR}`,
  },
  'get /images/{alias}/{id}/{size}/{image}': {
    token: 'jane',
    path: `/images/user/${IDS.john}/sm/${JOHNS_AVATAR}`,
  },
  'get /api/messenger/threads/{thread}/avatar/{size}/{image}': {
    token: 'john',
    path: `/api/messenger/threads/${IDS.testParty}/avatar/sm/5.png`,
  },
  'get /messenger/threads/{thread}/avatar/{size}/{image}': {
    token: 'john',
    path: `/messenger/threads/${IDS.testParty}/avatar/sm/5.png`,
  },
}

const ID_PARAMS = ['thread', 'call', 'participant', 'invite', 'id']

/** The contract's operations with an id in their path, as `method path`. */
function operationsWithIds(): string[] {
  const spec = parse(
    readFileSync(new URL('../../openapi/openapi.yaml', import.meta.url), 'utf8')
  ) as { paths: Record<string, Record<string, unknown>> }
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    ID_PARAMS.some((name) => path.includes(`{${name}}`))
      ? ['get', 'put', 'post', 'delete', 'patch']
          .filter((method) => method in item)
          .map((method) => `${method} ${path}`)
      : []
  )
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g

/** The answer of a fresh mock to the case, with the path's ids upper-cased or not. */
async function answer(operation: string, one: Case, upper: boolean) {
  const mock = createTestMock()
  const method = operation.split(' ')[0]?.toUpperCase() ?? 'GET'
  const stored = typeof one.path === 'string' ? one.path : await one.path(mock)
  const path = upper ? stored.replace(UUID, (id) => id.toUpperCase()) : stored
  const init: RequestInit & { token: string } = { method, token: one.token }
  if (one.body !== undefined) {
    init.headers = { 'Content-Type': 'application/json' }
    init.body = JSON.stringify(one.body)
  }
  const res = await mock.request(path, init)
  const type = res.headers.get('Content-Type') ?? ''
  const body = type.includes('json')
    ? await res.json()
    : Buffer.from(await res.arrayBuffer()).toString('base64')
  return { status: res.status, type, body }
}

describe('the id rule', () => {
  it('has a case for every operation of the contract with an id in its path', () => {
    expect(Object.keys(CASES).sort()).toEqual(operationsWithIds().sort())
  })

  for (const [operation, one] of Object.entries(CASES)) {
    it(`${operation} answers an upper-case id as the stored lower-case one`, async () => {
      const lower = await answer(operation, one, false)
      expect(lower.status, JSON.stringify(lower.body)).toBeLessThan(300)
      const upper = await answer(operation, one, true)
      expect(upper.status, JSON.stringify(upper.body)).toBe(lower.status)
      expect(upper.type).toBe(lower.type)
      if (one.sameBody !== false) {
        expect(upper.body).toEqual(lower.body)
      }
    })
  }
})
