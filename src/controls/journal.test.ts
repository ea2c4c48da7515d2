// The request journal over real HTTP: what an entry holds (method as sent, actor, bodies, status,
// operation), the filters, the bound, clearing, and that control API calls are not journaled.
import { createJournal } from './journal.ts'
import { describe, expect, it } from 'vitest'
import { expectControlSchema } from '../resources/control/testing.ts'
import { IDS } from '../testing/harness.ts'
import type { JournalEntry } from './journal.ts'
import { useLiveMock } from './testing.ts'

const mock = useLiveMock({ journalLimit: 5 })

async function journal(sandbox: string, query = ''): Promise<JournalEntry[]> {
  const res = await mock.send('GET', `/mock/requests${query}`, { sandbox })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  expectControlSchema('JournalList', res.body)
  return (res.body as { data: JournalEntry[] }).data
}

const PARTICIPANT = `/api/messenger/threads/${IDS.johnJane}/calls/${IDS.janesCall}/participants/923142e6-895c-41aa-9a37-bdec22013081`

describe('a journal entry', () => {
  it('holds the method as sent, path, query, operation, actor, body, status, time and rule', async () => {
    const sandbox = 'journal-entry'
    await mock.send('PUT', '/api/messenger/settings?x=1&x=2', {
      token: 'jane',
      sandbox,
      body: { message_popups: 'not a boolean' },
    })
    await mock.send('PATCH', PARTICIPANT, { token: 'jane', sandbox, body: { admin: true } })
    await mock.send('GET', '/api/messenger/nothing-here', { sandbox })
    const [put, patch, unknown] = await journal(sandbox)
    expect(put).toMatchObject({
      id: 1,
      method: 'PUT',
      path: '/api/messenger/settings',
      query: { x: ['1', '2'] },
      operation: 'updateSettings',
      actor: IDS.jane,
      body: { message_popups: 'not a boolean' },
      status: 422,
      rule: null,
    })
    expect(Date.parse(put?.at ?? '')).toBeGreaterThan(Date.now() - 60_000)
    expect(put?.duration_ms).toBeGreaterThanOrEqual(0)
    expect(patch).toMatchObject({ method: 'PATCH', path: PARTICIPANT, body: { admin: true } })
    expect(unknown).toMatchObject({ operation: null, actor: null, status: 401, body: null })
  })

  it('keeps JSON that does not parse as text, and multipart as fields and file facts', async () => {
    const sandbox = 'journal-bodies'
    await mock.send('PUT', '/api/messenger/settings', { token: 'john', sandbox, body: '{oops' })
    const form = new FormData()
    form.set('image', new Blob([new Uint8Array(40)], { type: 'image/png' }), 'me.png')
    form.set('note', 'hello')
    await fetch(`${mock.url}/api/messenger/avatar`, {
      method: 'POST',
      headers: { Authorization: 'Bearer john', 'X-Mock-Sandbox': sandbox },
      body: form,
    })
    const [bad, upload] = await journal(sandbox)
    expect(bad?.body).toEqual({ unparsable: '{oops' })
    expect(upload?.body).toEqual({
      image: { file_name: 'me.png', type: 'image/png', size: 40 },
      note: 'hello',
    })
  })

  it('leaves out the control API and the docs', async () => {
    const sandbox = 'journal-control'
    await mock.send('GET', '/mock/clock', { sandbox })
    await mock.send('GET', '/openapi.json', { sandbox })
    await mock.send('GET', '/api/messenger', { token: 'john', sandbox })
    expect((await journal(sandbox)).map((e) => e.path)).toEqual(['/api/messenger'])
  })
})

describe('journal filters', () => {
  it('filter by method, path or template, operation, status or class, and limit', async () => {
    const sandbox = 'journal-filters'
    await mock.send('GET', `/api/messenger/threads/${IDS.johnJairo}/calls`, {
      token: 'john',
      sandbox,
    })
    await mock.send('POST', `/api/messenger/threads/${IDS.johnJairo}/calls`, {
      token: 'john',
      sandbox,
    })
    await mock.send('GET', `/api/messenger/threads/${IDS.testParty}/calls`, {
      token: 'jairo',
      sandbox,
    })
    await mock.send('GET', '/api/messenger/settings', { token: 'john', sandbox })
    const ids = (entries: JournalEntry[]) => entries.map((e) => e.id)
    expect(ids(await journal(sandbox, '?method=post'))).toEqual([2])
    expect(
      ids(await journal(sandbox, `?path=/api/messenger/threads/${IDS.johnJairo}/calls`))
    ).toEqual([1, 2])
    const template = encodeURIComponent('/api/messenger/threads/{thread}/calls')
    expect(ids(await journal(sandbox, `?path=${template}`))).toEqual([1, 2, 3])
    expect(ids(await journal(sandbox, '?operation=indexCalls'))).toEqual([1, 3])
    expect(ids(await journal(sandbox, '?status=403'))).toEqual([3])
    expect(ids(await journal(sandbox, '?status=2xx'))).toEqual([1, 2, 4])
    expect(ids(await journal(sandbox, '?status=2xx&limit=2'))).toEqual([2, 4])
    const bad = await mock.send('GET', '/mock/requests?status=abc&limit=0', { sandbox })
    expect(bad.status).toBe(422)
    expect(Object.keys((bad.body as { errors: object }).errors).sort()).toEqual(['limit', 'status'])
  })
})

describe('the journal bound', () => {
  it('keeps the last N requests per sandbox; DELETE empties it; ids keep counting', async () => {
    const sandbox = 'journal-bound'
    for (let i = 0; i < 8; i++) {
      await mock.send('GET', `/api/messenger/search/q${i}`, { token: 'john', sandbox })
    }
    const kept = await journal(sandbox)
    expect(kept.map((e) => e.id)).toEqual([4, 5, 6, 7, 8])
    expect(kept.map((e) => e.path.slice(-2))).toEqual(['q3', 'q4', 'q5', 'q6', 'q7'])
    expect(await journal('journal-bound-other')).toEqual([])
    expect((await mock.send('DELETE', '/mock/requests', { sandbox })).status).toBe(204)
    expect(await journal(sandbox)).toEqual([])
    await mock.send('GET', '/api/messenger', { token: 'john', sandbox })
    expect((await journal(sandbox)).map((e) => e.id)).toEqual([9])
  })

  it('vanishes with its sandbox', async () => {
    const sandbox = 'journal-gone'
    await mock.send('GET', '/api/messenger', { token: 'john', sandbox })
    expect(await journal(sandbox)).toHaveLength(1)
    await mock.send('DELETE', `/mock/sandboxes/${sandbox}`)
    expect(await journal(sandbox)).toEqual([])
  })
})

describe('createJournal', () => {
  it('keeps exactly the last N entries however many were added, dropping the oldest in batches', () => {
    const journal = createJournal(5)
    const entry = (n: number) => ({
      at: '2020-12-08T06:25:00.000000Z',
      method: 'GET',
      path: `/q${n}`,
      query: {},
      operation: null,
      actor: null,
      body: null,
      status: 200,
      duration_ms: 1,
      rule: null,
    })
    for (let n = 1; n <= 23; n++) {
      journal.add(entry(n))
      expect(journal.size).toBe(Math.min(n, 5))
      const ids = journal.list({}, () => true).map((e) => e.id)
      expect(ids).toEqual(
        Array.from({ length: Math.min(n, 5) }, (_, i) => n - Math.min(n, 5) + 1 + i)
      )
    }
    expect(journal.list({ limit: 2 }, () => true).map((e) => e.path)).toEqual(['/q22', '/q23'])
    expect(journal.clear()).toBe(5)
    expect(journal.size).toBe(0)
  })
})
