// Rules over real HTTP: each effect (delay, respond, drop), each match field, `times`, the list
// with hit counts, removal, 422s, and rules belonging to (and vanishing with) their sandbox.
import { describe, expect, it } from 'vitest'
import { expectControlSchema } from '../resources/control/testing.ts'
import { IDS } from '../testing/harness.ts'
import { useLiveMock } from './testing.ts'

const mock = useLiveMock()

const CALLS = `/api/messenger/threads/${IDS.johnJairo}/calls`

async function addRule(sandbox: string, rule: unknown) {
  const res = await mock.send('POST', '/mock/rules', { sandbox, body: rule })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  expectControlSchema('Rule', res.body)
  return res.body as { id: string }
}

describe('POST /mock/rules', () => {
  it('answers 201 with the rule, its id, no hits and its remaining uses', async () => {
    const res = await mock.send('POST', '/mock/rules', {
      sandbox: 'rules-create',
      body: {
        match: { method: 'GET', path: '/api/messenger/active-calls' },
        delay_ms: 5,
        times: 2,
      },
    })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      id: 'rule-1',
      match: { method: 'GET', path: '/api/messenger/active-calls' },
      delay_ms: 5,
      hits: 0,
      remaining: 2,
    })
  })

  it('refuses a bad rule with a 422 naming each problem', async () => {
    const res = await mock.send('POST', '/mock/rules', {
      sandbox: 'rules-create',
      body: {
        match: { method: 'FETCH', operation: 'nope', colour: 'red' },
        delay_ms: 70000,
        respond: { status: 99 },
        drop: true,
        extra: 1,
      },
    })
    expect(res.status).toBe(422)
    const errors = (res.body as { errors: Record<string, string[]> }).errors
    expect(Object.keys(errors).sort()).toEqual(
      [
        'delay_ms',
        'drop',
        'extra',
        'match.colour',
        'match.method',
        'match.operation',
        'respond',
      ].sort()
    )
    expect(errors['drop']).toEqual(['The drop field cannot be combined with respond.'])
    const none = await mock.send('POST', '/mock/rules', { sandbox: 'rules-create', body: {} })
    expect(none.status).toBe(422)
    expect(none.body).toMatchObject({
      errors: { delay_ms: ['The rule needs an effect: delay_ms, respond or drop.'] },
    })
  })
})

describe('rule effects', () => {
  it('delay_ms holds the answer at least that long, then the handler answers', async () => {
    const sandbox = 'rules-delay'
    await addRule(sandbox, { match: { operation: 'activeCalls' }, delay_ms: 400 })
    const slow = await mock.send('GET', '/api/messenger/active-calls', { token: 'john', sandbox })
    expect(slow.status).toBe(200)
    expect(slow.ms).toBeGreaterThanOrEqual(400)
    const journal = await mock.send('GET', '/mock/requests?operation=activeCalls', { sandbox })
    const entry = (journal.body as { data: { duration_ms: number; rule: string }[] }).data[0]
    expect(entry?.rule).toBe('rule-1')
    expect(entry?.duration_ms).toBeGreaterThanOrEqual(400)
  })

  it('a delay range waits within it', async () => {
    const sandbox = 'rules-delay-range'
    await addRule(sandbox, { delay_ms: { min: 200, max: 250 } })
    const res = await mock.send('GET', '/api/messenger/active-calls', { token: 'john', sandbox })
    expect(res.ms).toBeGreaterThanOrEqual(200)
    const bad = await mock.send('POST', '/mock/rules', {
      sandbox,
      body: { delay_ms: { min: 9, max: 3 } },
    })
    expect(bad.body).toMatchObject({
      errors: { delay_ms: ['The delay_ms.min must not be greater than delay_ms.max.'] },
    })
  })

  it('respond answers its status, body and headers, and changes nothing', async () => {
    const sandbox = 'rules-respond'
    await addRule(sandbox, {
      match: { operation: 'storeCall' },
      respond: {
        status: 503,
        body: { message: 'Down for maintenance' },
        headers: { 'Retry-After': '5' },
      },
    })
    const res = await mock.send('POST', CALLS, { token: 'john', sandbox })
    expect(res.status).toBe(503)
    expect(res.body).toEqual({ message: 'Down for maintenance' })
    expect(res.headers.get('Retry-After')).toBe('5')
    await mock.send('DELETE', '/mock/rules', { sandbox })
    const calls = await mock.send('GET', CALLS, { token: 'john', sandbox })
    expect(calls.body).toMatchObject({ meta: { total: 0 } })
  })

  it('respond without a body uses the documented example of a documented status', async () => {
    const sandbox = 'rules-respond-documented'
    await addRule(sandbox, { match: { operation: 'storeCall' }, respond: { status: 403 } })
    await addRule(sandbox, { match: { operation: 'activeCalls' }, respond: { status: 500 } })
    const documented = await mock.send('POST', CALLS, { token: 'john', sandbox })
    expect(documented.status).toBe(403)
    expect(documented.body).toEqual({ message: 'Not authorized to start a call.' })
    const other = await mock.send('GET', '/api/messenger/active-calls', { token: 'john', sandbox })
    expect(other.status).toBe(500)
    expect(other.body).toEqual({ message: 'Server Error' })
  })

  it('drop closes the connection without an answer, and the journal says so', async () => {
    const sandbox = 'rules-drop'
    const rule = await addRule(sandbox, {
      match: { path: '/api/messenger/heartbeat', actor: 'jane' },
      drop: true,
    })
    const error = await mock
      .send('POST', '/api/messenger/heartbeat', { token: 'jane', sandbox, body: { away: false } })
      .then(
        () => undefined,
        (e: unknown) => e
      )
    expect(error).toBeInstanceOf(TypeError)
    // John is not Jane: his heartbeat is answered.
    const john = await mock.send('POST', '/api/messenger/heartbeat', {
      token: 'john',
      sandbox,
      body: { away: false },
    })
    expect(john.status).toBe(200)
    const journal = await mock.send('GET', '/mock/requests?operation=statusHeartbeat', { sandbox })
    const entries = (journal.body as { data: { status: number | null; rule: string | null }[] })
      .data
    expect(entries.map((e) => [e.status, e.rule])).toEqual([
      [null, rule.id],
      [200, null],
    ])
  })

  it('times removes the rule after it applied that often', async () => {
    const sandbox = 'rules-times'
    await addRule(sandbox, { match: { method: 'GET' }, respond: { status: 503 }, times: 2 })
    const statuses = []
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await mock.send('GET', '/api/messenger/active-calls', { token: 'john', sandbox })).status
      )
    }
    expect(statuses).toEqual([503, 503, 200])
    const rules = await mock.send('GET', '/mock/rules', { sandbox })
    expect(rules.body).toEqual({ data: [] })
  })
})

describe('rule matching', () => {
  it('matches by template, operation, method and actor (token or id), first rule first', async () => {
    const sandbox = 'rules-match'
    await addRule(sandbox, {
      match: { path: '/api/messenger/threads/{thread}/calls', method: 'POST', actor: IDS.jane },
      respond: { status: 418, body: { message: 'jane by id' } },
    })
    await addRule(sandbox, {
      match: { path: '/api/messenger/threads/{thread}/calls', actor: 'john' },
      respond: { status: 418, body: { message: 'john by token' } },
    })
    await addRule(sandbox, {
      match: { operation: 'indexCalls' },
      respond: { status: 418, body: { message: 'anyone listing calls' } },
    })
    const janePost = await mock.send('POST', `/api/messenger/threads/${IDS.johnJane}/calls`, {
      token: 'jane',
      sandbox,
    })
    expect(janePost.body).toEqual({ message: 'jane by id' })
    const johnGet = await mock.send('GET', CALLS, { token: 'john', sandbox })
    expect(johnGet.body).toEqual({ message: 'john by token' })
    const janeGet = await mock.send('GET', `/api/messenger/threads/${IDS.johnJane}/calls`, {
      token: 'jane',
      sandbox,
    })
    expect(janeGet.body).toEqual({ message: 'anyone listing calls' })
    // A concrete path matches only itself; another thread's calls are not matched by it.
    await mock.send('DELETE', '/mock/rules', { sandbox })
    await addRule(sandbox, { match: { path: CALLS }, respond: { status: 418, body: {} } })
    expect((await mock.send('GET', CALLS, { token: 'john', sandbox })).status).toBe(418)
    const other = await mock.send('GET', `/api/messenger/threads/${IDS.johnJane}/calls`, {
      token: 'jane',
      sandbox,
    })
    expect(other.status).toBe(200)
  })

  it('lists rules with hit counts; deletes one (404 when unknown) or all', async () => {
    const sandbox = 'rules-list'
    const first = await addRule(sandbox, { match: { operation: 'getSettings' }, delay_ms: 1 })
    await addRule(sandbox, { match: { operation: 'activeCalls' }, delay_ms: 1 })
    await mock.send('GET', '/api/messenger/settings', { token: 'john', sandbox })
    await mock.send('GET', '/api/messenger/settings', { token: 'john', sandbox })
    const list = await mock.send('GET', '/mock/rules', { sandbox })
    expectControlSchema('RuleList', list.body)
    const rules = (list.body as { data: { id: string; hits: number }[] }).data
    expect(rules.map((r) => [r.id, r.hits])).toEqual([
      ['rule-1', 2],
      ['rule-2', 0],
    ])
    expect((await mock.send('DELETE', `/mock/rules/${first.id}`, { sandbox })).status).toBe(204)
    const missing = await mock.send('DELETE', `/mock/rules/${first.id}`, { sandbox })
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({
      message: 'No rule rule-1 in this sandbox; GET /mock/rules lists them.',
    })
    expect((await mock.send('DELETE', '/mock/rules', { sandbox })).status).toBe(204)
    expect((await mock.send('GET', '/mock/rules', { sandbox })).body).toEqual({ data: [] })
  })
})

describe('rules belong to their sandbox', () => {
  it('apply only there, survive a world reset, and vanish when the sandbox is deleted', async () => {
    await addRule('rules-owner', { respond: { status: 503 } })
    const elsewhere = await mock.send('GET', '/api/messenger/settings', {
      token: 'john',
      sandbox: 'rules-other',
    })
    expect(elsewhere.status).toBe(200)
    const main = await mock.send('GET', '/api/messenger/settings', { token: 'john' })
    expect(main.status).toBe(200)
    await mock.send('POST', '/mock/world/reset', { sandbox: 'rules-owner' })
    const afterReset = await mock.send('GET', '/api/messenger/settings', {
      token: 'john',
      sandbox: 'rules-owner',
    })
    expect(afterReset.status).toBe(503)
    const world = await mock.send('GET', '/mock/world', { sandbox: 'rules-owner' })
    expect(JSON.stringify(world.body)).not.toContain('rule-1')
    expect((await mock.send('DELETE', '/mock/sandboxes/rules-owner')).status).toBe(200)
    const fresh = await mock.send('GET', '/api/messenger/settings', {
      token: 'john',
      sandbox: 'rules-owner',
    })
    expect(fresh.status).toBe(200)
    expect((await mock.send('GET', '/mock/rules', { sandbox: 'rules-owner' })).body).toEqual({
      data: [],
    })
  })
})

describe('rules and a sleeping sandbox', () => {
  it('keep their rules when the sandbox sleeps as an image and wakes with a new handle', async () => {
    await addRule('rules-sleep', { match: { operation: 'indexCalls' }, respond: { status: 503 } })
    const before = mock.worlds.sandbox('rules-sleep')
    // Only a few idle sandboxes stay open: using others puts this one to sleep.
    for (let i = 0; i < 10; i += 1) {
      expect((await mock.send('GET', '/mock/health', { sandbox: `rules-sleep-${i}` })).status).toBe(
        200
      )
      await mock.send('GET', '/api/messenger/settings', {
        sandbox: `rules-sleep-${i}`,
        token: 'john',
      })
    }
    expect(before.db.open).toBe(false)
    const res = await mock.send('GET', CALLS, { sandbox: 'rules-sleep', token: 'john' })
    expect(res.status).toBe(503)
    const listed = await mock.send('GET', '/mock/rules', { sandbox: 'rules-sleep' })
    expect((listed.body as { data: unknown[] }).data).toHaveLength(1)
  })
})
