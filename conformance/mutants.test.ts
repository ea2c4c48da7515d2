// The suite must catch a broken implementation: a proxy in front of the mock breaks one thing at a
// time, and the suite has to fail at the step and JSON path that show it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMock } from './testing/mock-process.ts'
import type { RunningMock } from './testing/mock-process.ts'
import { startMutatingProxy } from './testing/mutating-proxy.ts'
import type { Exchange, Mutant, RunningProxy } from './testing/mutating-proxy.ts'
import { mergeComparison } from './compare.ts'
import { runAgainst } from './testing/suite.ts'
import type { CheckName } from './types.ts'

type Obj = Record<string, unknown>
const obj = (value: unknown): Obj => value as Obj

/** A mutant that forwards, then rewrites the JSON answer of matching requests. */
function rewrite(
  name: string,
  description: string,
  method: string,
  path: RegExp,
  change: (exchange: Exchange) => Exchange
): Mutant {
  return {
    name,
    description,
    applies: (request) => request.method === method && path.test(request.path),
    respond: async ({ forward }) => change(await forward()),
  }
}

/** A mutant that sends matching requests upstream as another user (a broken authorisation). */
function actingAs(
  name: string,
  description: string,
  token: string,
  applies: Mutant['applies']
): Mutant {
  return {
    name,
    description,
    applies,
    respond: ({ headers, forward }) =>
      forward({ headers: { ...headers, authorization: `Bearer ${token}` } }),
  }
}

interface Case {
  mutant: Mutant
  scenario: string
  /** The step that must fail, and a path (or check) its failures must name. */
  step: string
  path: string | RegExp
  check?: CheckName
  /** Text one of the step's failure messages must hold. */
  message?: RegExp
}

const names = (path: string | RegExp, paths: string[]) =>
  paths.some((p) => (typeof path === 'string' ? p === path : path.test(p)))

const CALL = /^\/api\/messenger\/threads\/[^/]+\/calls\/[0-9a-f-]{36}$/
const JOURNAL = /^\/mock\/broadcasts(\?|$)/
const JAIRO_CHANNEL = 'private-user.922f8476-dfb5-45d5-8a76-ab6422e10e5d'
const JANE_CHANNEL = 'private-user.922f8476-c5f4-4024-8ba2-1a0d1cd22d71'

/** A mutant of the broadcast journal: what the mock says it sent, changed entry by entry. */
function journal(name: string, description: string, change: (entry: Obj) => Obj[]): Mutant {
  return rewrite(name, description, 'GET', JOURNAL, (e) => ({
    ...e,
    body: { data: (obj(e.body)['data'] as Obj[]).flatMap(change) },
  }))
}
const CASES: Case[] = [
  {
    mutant: rewrite(
      'dropped field',
      'showCall answers without options.room_pin',
      'GET',
      CALL,
      (e) => {
        const options = obj(obj(e.body)['options'])
        delete options['room_pin']
        return e
      }
    ),
    scenario: 'calls in a private thread',
    step: 'John sees the call set up, as its admin, in it',
    path: '$.options.room_pin',
  },
  {
    mutant: rewrite(
      'unexpected field',
      'the info payload gains a key',
      'GET',
      /^\/api\/messenger$/,
      (e) => ({
        ...e,
        body: { ...obj(e.body), debug: true },
      })
    ),
    scenario: 'account: info, settings and avatar',
    step: "John reads the messenger's configuration",
    path: '$.debug',
  },
  {
    mutant: rewrite(
      'wrong status',
      'storeCall answers 200 instead of 201',
      'POST',
      /\/calls$/,
      (e) => (e.status === 201 ? { ...e, status: 200 } : e)
    ),
    scenario: 'calls in a private thread',
    step: 'John starts a call with Jairo',
    path: '$',
  },
  {
    mutant: rewrite('changed value', 'siteName differs', 'GET', /^\/api\/messenger$/, (e) => ({
      ...e,
      body: { ...obj(e.body), siteName: 'Messenger 2' },
    })),
    scenario: 'account: info, settings and avatar',
    step: "John reads the messenger's configuration",
    path: '$.siteName',
  },
  {
    mutant: rewrite(
      'changed type',
      'the unread count is a string',
      'GET',
      /unread-threads-count$/,
      (e) => ({
        ...e,
        body: { unread_threads_count: String(obj(e.body)['unread_threads_count']) },
      })
    ),
    scenario: 'account: status, unread, search, active calls',
    step: 'John has no unread threads',
    path: '$.unread_threads_count',
  },
  {
    mutant: rewrite('malformed id', "storeCall's id is not a UUID", 'POST', /\/calls$/, (e) =>
      e.status === 201 ? { ...e, body: { ...obj(e.body), id: 'call-1' } } : e
    ),
    scenario: 'calls in a private thread',
    step: 'John starts a call with Jairo',
    path: '$.id',
  },
  {
    mutant: rewrite(
      'malformed timestamp',
      'invite timestamps lose their format',
      'GET',
      /\/invites$/,
      (e) => {
        for (const invite of obj(e.body)['data'] as Obj[]) {
          invite['created_at'] = String(invite['created_at'])
            .replace('T', ' ')
            .replace('.000000Z', '')
        }
        return e
      }
    ),
    scenario: 'invites',
    step: "John lists the group's valid invites",
    path: '$.data[0].created_at',
  },
  {
    mutant: rewrite(
      'wrong count',
      'the calls index drops its last call',
      'GET',
      /\/calls$/,
      (e) => {
        const data = obj(e.body)['data'] as unknown[]
        data.pop()
        return e
      }
    ),
    scenario: 'calls in a private thread',
    step: 'The calls index shows the active call, then the ended one',
    path: '$.data',
  },
  {
    mutant: rewrite(
      '403 turned into 200',
      'kicking in a private thread is allowed',
      'PUT',
      /\/participants\//,
      (e) => (e.status === 403 ? { ...e, status: 200, body: { message: 'success' } } : e)
    ),
    scenario: 'calls in a private thread',
    step: 'Kicking is refused in a private thread',
    path: '$',
  },
  {
    mutant: rewrite('changed message', 'a 403 text differs', 'POST', /\/end$/, (e) =>
      e.status === 403 ? { ...e, body: { message: 'Forbidden.' } } : e
    ),
    scenario: 'calls in a private thread',
    step: "Jairo may not end John's private call",
    path: '$.message',
  },
  {
    mutant: {
      name: 'missing side effect',
      description:
        'joining with an invite answers 201 but neither counts the use nor adds the member',
      applies: ({ method, path }) => method === 'POST' && path.startsWith('/api/messenger/join/'),
      respond: async ({ method, path }) => {
        const fake = {
          add_participants: false,
          manage_invites: false,
          admin: false,
          deleted_at: null,
          pending: false,
          start_calls: false,
          send_knocks: false,
          send_messages: true,
          owner_id: '922f8476-dfb5-45d5-8a76-ab6422e10e5d',
          owner_type: 'App\\Models\\User',
          thread_id: '92313cf7-b356-4d74-944c-c799fcfc3b1e',
          id: '9231603f-6513-41dd-bced-aae9da5cd932',
          updated_at: '2020-12-08T06:25:01.000000Z',
          created_at: '2020-12-08T06:25:01.000000Z',
          owner: {
            id: '922f8476-dfb5-45d5-8a76-ab6422e10e5d',
            name: "Jairo O'Kon I",
            avatar: null,
            created_at: '2020-12-07T07:57:15.000000Z',
            updated_at: '2020-12-08T06:25:00.000000Z',
          },
        }
        return Promise.resolve({ method, path, status: 201, body: fake })
      },
    },
    scenario: 'invites',
    step: 'The use is counted and Jairo is in the group',
    path: '$.options.in_thread',
  },
  {
    mutant: rewrite(
      'stale view',
      "the thread's invites index always reports uses: 0",
      'GET',
      /\/invites$/,
      (e) => {
        for (const invite of (obj(e.body)['data'] ?? []) as Obj[]) {
          invite['uses'] = 0
        }
        return e
      }
    ),
    scenario: 'invites',
    step: "Views of the join: the group's invites index counts the use",
    path: /^\$\.data\[\d+\]\.uses$/,
  },
  {
    mutant: journal('dropped broadcast', 'left.call is never sent', (entry) =>
      entry['event'] === 'left.call' ? [] : [entry]
    ),
    scenario: 'call broadcasts',
    step: 'Jairo leaves: left.call reaches Jairo only, and the call goes on',
    path: '$',
    message: new RegExp(`^left\\.call never reached ${JAIRO_CHANNEL} .*; nothing arrived$`),
  },
  {
    mutant: journal(
      'misrouted broadcast',
      "incoming.call goes to Jane's channel instead of Jairo's",
      (entry) => [
        entry['event'] === 'incoming.call'
          ? {
              ...entry,
              channels: (entry['channels'] as string[]).map((c) =>
                c === JAIRO_CHANNEL ? JANE_CHANNEL : c
              ),
            }
          : entry,
      ]
    ),
    scenario: 'call broadcasts',
    step: 'John calls Jairo: incoming.call reaches Jairo, not John',
    path: '$',
    message: new RegExp(
      `incoming\\.call never reached ${JAIRO_CHANNEL} .*what arrived: incoming\\.call on ${JANE_CHANNEL}`
    ),
  },
  {
    mutant: journal('changed payload', 'call.kicked says kicked: false', (entry) => [
      entry['event'] === 'call.kicked'
        ? { ...entry, data: { ...obj(entry['data']), kicked: false } }
        : entry,
    ]),
    scenario: 'call broadcasts',
    step: 'John kicks Jane: call.kicked reaches Jane only',
    path: '$.kicked',
    message: new RegExp(`^call\\.kicked on ${JANE_CHANNEL}: expected true, got false$`),
  },
]

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const json = (body: Buffer): Obj => JSON.parse(body.toString() || '{}') as Obj

/** Mutants of the negative space, caught by the checks generated from the contract. */
const NEGATIVE_CASES: Case[] = [
  {
    mutant: actingAs(
      'route without auth',
      'the unread count answers callers without valid credentials',
      'john',
      ({ method, path, headers }) =>
        method === 'GET' &&
        path === '/api/messenger/unread-threads-count' &&
        !/^Bearer (john|jane|jairo)$/.test(headers['authorization'] ?? '')
    ),
    scenario: 'negative: authentication',
    step: 'unreadThreadsCount without credentials',
    path: '$',
    check: 'status',
  },
  {
    mutant: actingAs(
      "another thread's call for an outsider",
      'showCall answers a user outside the thread with the call, as Jane sees it',
      'jane',
      ({ method, path, headers }) =>
        method === 'GET' &&
        CALL.test(path) &&
        (headers['authorization'] ?? '').startsWith('Bearer outsider-')
    ),
    scenario: 'negative: authorization',
    step: 'showCall as an outsider',
    path: '$',
    check: 'leak',
  },
  {
    mutant: {
      name: '500 on a malformed id',
      description: 'a thread id that is not a UUID crashes the server',
      applies: ({ path }) => {
        const id = /^\/api\/messenger\/threads\/([^/]+)/.exec(path)?.[1]
        return id !== undefined && !UUID.test(id)
      },
      respond: ({ method, path }) =>
        Promise.resolve({ method, path, status: 500, body: { message: 'Server Error' } }),
    },
    scenario: 'negative: ids',
    step: 'indexCalls with a malformed {thread}',
    path: '$',
    check: 'server-error',
  },
  {
    mutant: rewrite(
      '404 where a 405 belongs',
      'DELETE on active calls is "not found" instead of "method not allowed"',
      'DELETE',
      /^\/api\/messenger\/active-calls$/,
      (e) => ({ ...e, status: 404, headers: {}, body: { message: 'Not Found.' } })
    ),
    scenario: 'negative: methods',
    step: 'DELETE /api/messenger/active-calls',
    path: '$',
    check: 'status',
  },
  {
    mutant: rewrite(
      'wrong Allow',
      "the heartbeat's 405 lists GET among the supported methods",
      'DELETE',
      /^\/api\/messenger\/heartbeat$/,
      (e) => ({ ...e, headers: { ...e.headers, allow: 'GET, HEAD, POST' } })
    ),
    scenario: 'negative: methods',
    step: 'DELETE /api/messenger/heartbeat',
    path: 'Allow',
    check: 'allow',
  },
  {
    mutant: {
      name: 'missing validation rule',
      description: 'settings take any online_status (stored as 1)',
      applies: ({ method, path, body }) =>
        method === 'PUT' &&
        path === '/api/messenger/settings' &&
        ![0, 1, 2, undefined].includes(json(body)['online_status'] as number | undefined),
      respond: ({ body, forward }) =>
        forward({ body: Buffer.from(JSON.stringify({ ...json(body), online_status: 1 })) }),
    },
    scenario: 'negative: bodies',
    step: 'updateSettings with online_status outside its values',
    path: '$',
    check: 'status',
  },
]

let mock: RunningMock
let proxy: RunningProxy
beforeAll(async () => {
  // The mock builds absolute links (invite routes, search pages) for the proxy's address.
  proxy = await startMutatingProxy()
  mock = await startMock(['--public-url', proxy.url])
  proxy.setUpstream(mock.url)
})
afterAll(async () => {
  await proxy.close()
  await mock.stop()
})

describe('mutants of the mock', () => {
  it('the faithful proxy passes (so every failure below is the mutant)', async () => {
    proxy.use(undefined)
    const scenarios = new Set(CASES.map((c) => c.scenario))
    const result = await runAgainst(proxy.url, { only: (scenario) => scenarios.has(scenario) })
    expect(result.steps.filter((s) => s.outcome !== 'passed').map((s) => s.id)).toEqual([])
  })

  it.each(CASES.map((c) => [`${c.mutant.name}: ${c.mutant.description}`, c] as const))(
    '%s is caught',
    async (_label, { mutant, scenario, step, path, message }) => {
      proxy.use(mutant)
      const result = await runAgainst(proxy.url, { only: (s) => s === scenario })
      expect(proxy.hits(), 'the mutant never acted').toBeGreaterThan(0)
      const failing = result.steps.find((s) => s.step === step)
      expect(failing?.outcome, `step "${step}"`).toBe('failed')
      expect(names(path, failing?.failures.map((f) => f.path) ?? []), String(path)).toBe(true)
      if (message !== undefined) {
        expect(failing?.failures.map((f) => f.message)).toContainEqual(
          expect.stringMatching(message)
        )
      }
    }
  )
})

describe('--compare-with', () => {
  const account = (scenario: string) => scenario === 'account: info, settings and avatar'

  it('finds no difference beyond generated values between two runs of the mock', async () => {
    proxy.use(undefined)
    const first = await runAgainst(mock.url, { only: account })
    const second = await runAgainst(proxy.url, { only: account })
    const merged = mergeComparison(first, second)
    expect(merged.steps.flatMap((s) => s.failures.filter((f) => f.check === 'compare'))).toEqual([])
  })

  it('reports the step and path where the second target answers differently', async () => {
    const first = await runAgainst(mock.url, { only: account })
    proxy.use(CASES.find((c) => c.mutant.name === 'changed value')?.mutant)
    const second = await runAgainst(proxy.url, { only: account })
    const merged = mergeComparison(first, second)
    const differing = merged.steps.filter((s) => s.failures.some((f) => f.check === 'compare'))
    expect(differing.map((s) => s.step)).toEqual(["John reads the messenger's configuration"])
    expect(differing[0]?.failures.find((f) => f.check === 'compare')).toMatchObject({
      path: '$.siteName',
      expected: 'Messenger',
      actual: 'Messenger 2',
    })
  })
})

describe('mutants of the negative space', () => {
  const wanted = (scenario: string, step: string) =>
    NEGATIVE_CASES.some((c) => c.scenario === scenario && c.step === step)

  it('the faithful proxy passes the generated checks these mutants break', async () => {
    proxy.use(undefined)
    const result = await runAgainst(proxy.url, { level: 'negative', only: wanted })
    expect(result.steps.map((s) => s.step).sort()).toEqual(NEGATIVE_CASES.map((c) => c.step).sort())
    expect(result.steps.filter((s) => s.outcome !== 'passed').map((s) => s.id)).toEqual([])
  })

  it.each(NEGATIVE_CASES.map((c) => [`${c.mutant.name}: ${c.mutant.description}`, c] as const))(
    '%s is caught',
    async (_label, { mutant, scenario, step, path, check }) => {
      proxy.use(mutant)
      const result = await runAgainst(proxy.url, {
        level: 'negative',
        only: (s, st) => s === scenario && st === step,
      })
      expect(proxy.hits(), 'the mutant never acted').toBeGreaterThan(0)
      const failing = result.steps.find((s) => s.step === step)
      expect(failing?.outcome, `step "${step}"`).toBe('failed')
      const named = failing?.failures.filter((f) => f.check === check).map((f) => f.path) ?? []
      expect(names(path, named), `${String(check)} at ${String(path)}`).toBe(true)
    }
  )
})
