// GET /api/messenger/search/{query}: terms, matching, pagination and the rate limit.
import { describe, expect, it } from 'vitest'
import { IDS, createTestMock } from '../../testing/harness.ts'
import type { TestMock, Token } from '../../testing/harness.ts'
import { expectValidResponse } from '../../testing/spec-validator.ts'
import type { WorldDocument } from '../../world/schema.ts'
import { currentPage, pageWindow, parseSearchQuery } from './search.ts'
import {
  documentedBody,
  expectGuestRefused,
  expectLikeDocumented,
  loadCustomWorld,
  setConfig,
} from './test-support.ts'

interface Page {
  data: { provider_id: string; name: string }[]
  links: { first: string; last: string; prev: string | null; next: string | null }
  meta: {
    current_page: number
    from: number | null
    last_page: number
    links: { url: string | null; label: number | string; active: boolean }[]
    path: string
    per_page: number
    to: number | null
    total: number
    search: string
    search_items: string[]
  }
}

async function search(mock: TestMock, path: string, token: Token = 'john') {
  const res = await mock.request(`/api/messenger/search${path}`, { token })
  return { res, body: (await res.json()) as Page }
}

const names = (page: Page) => page.data.map((p) => p.name)

const testerId = (n: number) => `92316400-0000-4000-8000-${String(n).padStart(12, '0')}`

/** The default world plus `count` users named "Tester NN" who opened the messenger. */
function withTesters(count: number) {
  return (world: WorldDocument): WorldDocument => ({
    ...world,
    users: [
      ...world.users,
      ...Array.from({ length: count }, (_, i) => {
        const n = i + 1
        const stamp = `2020-12-08T05:${String(n % 60).padStart(2, '0')}:00.000000Z`
        return {
          id: testerId(n),
          name: `Tester ${String(n).padStart(2, '0')}`,
          email: `tester${n}@example.net`,
          email_verified_at: null,
          avatar: null,
          token: `tester${n}`,
          created_at: stamp,
          updated_at: stamp,
          online_status: 0 as const,
          settings: {
            message_popups: true,
            message_sound: true,
            call_ringtone_sound: true,
            notify_sound: true,
            dark_mode: true,
            online_status: 1 as const,
          },
        }
      }),
    ],
  })
}

/** The default world, but Jane has no messengers row (she never opened the messenger). */
function janeNeverOpenedTheMessenger(): TestMock {
  const mock = createTestMock()
  loadCustomWorld(mock, (world) => ({
    ...world,
    users: world.users.map((u) => (u.id === IDS.jane ? { ...u, settings: null } : u)),
  }))
  return mock
}

describe('GET /api/messenger/search/{query}', () => {
  it('GET /api/messenger/search/{query} answers the documented search of John for "jane"', async () => {
    const mock = createTestMock()
    const { data, response } = await mock.as('john').GET('/api/messenger/search/{query}', {
      params: { path: { query: 'jane' } },
    })
    expect(response.status).toBe(200)
    expectValidResponse('searchProviders', 200, data)
    expectLikeDocumented(data, documentedBody('searchProviders'))
    expect(response.headers.get('X-RateLimit-Limit')).toBe('45')
    expect(response.headers.get('X-RateLimit-Remaining')).toBe('44')
  })

  it('GET /api/messenger/search/{query} answers 401 without a valid token', async () => {
    await expectGuestRefused('/api/messenger/search/jane')
  })

  it('GET /api/messenger/search/{query} finds nothing for a query shorter than 2 characters', async () => {
    const mock = createTestMock()
    for (const query of ['j', '%j%', '<>', '']) {
      const { res, body } = await search(mock, query === '' ? '' : `/${encodeURIComponent(query)}`)
      expect(res.status, query).toBe(200)
      expectValidResponse('searchProviders', 200, body)
      expect(body).toEqual({
        data: [],
        links: {
          first: 'http://localhost:8000/?page=1',
          last: 'http://localhost:8000/?page=1',
          prev: null,
          next: null,
        },
        meta: {
          current_page: 1,
          from: null,
          last_page: 1,
          links: [
            { url: null, label: '&laquo; Previous', active: false },
            { url: 'http://localhost:8000/?page=1', label: 1, active: true },
            { url: null, label: 'Next &raquo;', active: false },
          ],
          path: '/',
          per_page: 25,
          to: null,
          total: 0,
          search: '',
          search_items: [],
        },
      })
    }
  })

  it('GET /api/messenger/search/{query} cleans the query and keeps at most 4 terms of 2+ characters', async () => {
    const mock = createTestMock()
    const cleaned = await search(mock, `/${encodeURIComponent('ja%ne, a  "jo"')}`)
    expect(cleaned.body.meta.search).toBe('jane, a  jo')
    expect(cleaned.body.meta.search_items).toEqual(['jane', 'jo'])
    expect(names(cleaned.body)).toEqual(['John Doe', 'Jane Doe'])

    const fifth = await search(mock, `/${encodeURIComponent('xx yy zz ww jane')}`)
    expect(fifth.body.meta.search_items).toEqual(['xx', 'yy', 'zz', 'ww'])
    expect(fifth.body.data).toEqual([])

    const fourth = await search(mock, `/${encodeURIComponent('xx yy xx zz jane')}`)
    expect(fourth.body.meta.search_items).toEqual(['xx', 'yy', 'zz', 'jane'])
    expect(names(fourth.body)).toEqual(['Jane Doe'])
  })

  it('GET /api/messenger/search/{query} matches names case-insensitively, the searcher included', async () => {
    const mock = createTestMock()
    const { body } = await search(mock, '/DOE')
    expect(names(body)).toEqual(['John Doe', 'Jane Doe'])
    expectValidResponse('searchProviders', 200, body)
    const self = body.data[0] as unknown as { options: Record<string, unknown> }
    expect(self.options).toMatchObject({ can_message_first: false, friendable: false })
    const kon = await search(mock, `/${encodeURIComponent("o'kon")}`, 'jane')
    expect(names(kon.body)).toEqual(["Jairo O'Kon I"])
  })

  it('GET /api/messenger/search/{query} matches like utf8mb4_unicode_ci: case and accents ignored', async () => {
    const mock = createTestMock()
    loadCustomWorld(mock, (world) => {
      const testers = withTesters(2)(world)
      const [first, second] = testers.users.slice(-2)
      if (first === undefined || second === undefined) {
        throw new Error('two testers expected')
      }
      first.name = 'Zoë Saldaña'
      second.name = 'JOSÉ Müller'
      return testers
    })
    for (const query of ['zoe', 'ZOË', 'zoë', 'ZOE', 'saldana']) {
      const { body } = await search(mock, `/${encodeURIComponent(query)}`)
      expect(names(body), query).toEqual(['Zoë Saldaña'])
    }
    for (const query of ['josé', 'jose', 'müller', 'MULLER']) {
      const { body } = await search(mock, `/${encodeURIComponent(query)}`)
      expect(names(body), query).toEqual(['JOSÉ Müller'])
    }
  })

  it('GET /api/messenger/search/{query} strips NUL and other control characters', async () => {
    const mock = createTestMock()
    const nul = await search(mock, '/%00x')
    expect(nul.body.data).toEqual([])
    expect(nul.body.meta.total).toBe(0)
    const inside = await search(mock, '/ja%00%01ne')
    expect(names(inside.body)).toEqual(['Jane Doe'])
    expect(inside.body.meta.search).toBe('jane')
  })

  it('GET /api/messenger/search/{query} finds a user by the exact email only', async () => {
    const mock = createTestMock()
    const exact = await search(mock, '/JANE@example.net')
    expect(names(exact.body)).toEqual(['Jane Doe'])
    expect(exact.body.meta.search_items).toEqual(['JANE@example.net'])
    const partial = await search(mock, '/jane@example')
    expect(partial.body.data).toEqual([])
  })

  it('GET /api/messenger/search/{query} shows each user as the searcher sees them', async () => {
    const mock = createTestMock()
    const { body } = await search(mock, '/jairo')
    const jairo = body.data[0] as unknown as { options: Record<string, unknown> }
    expect(jairo.options).toMatchObject({
      online_status: 1,
      friend_status: 1,
      friend_status_verbose: 'FRIEND',
      friend_id: IDS.johnJairoFriendship,
      last_active: '2020-12-08T06:23:34.000000Z',
    })
  })

  it('GET /api/messenger/search/{query} skips users who never opened the messenger', async () => {
    const mock = janeNeverOpenedTheMessenger()
    expect((await search(mock, '/jane')).body.data).toEqual([])
    expect((await search(mock, '/jane@example.net')).body.data).toEqual([])
    expect(names((await search(mock, '/doe')).body)).toEqual(['John Doe'])
  })

  it('GET /api/messenger/search/{query} finds a user who opens the messenger at once', async () => {
    // The searchable users are kept between searches; a new messengers row must show at once.
    const mock = janeNeverOpenedTheMessenger()
    expect((await search(mock, '/jane')).body.data).toEqual([])
    // Reading the settings creates the messengers row (firstOrCreate) and writes nothing else.
    const opened = await mock.request('/api/messenger/settings', { token: 'jane' })
    expect(opened.status).toBe(200)
    expect(names((await search(mock, '/jane')).body)).toEqual(['Jane Doe'])
  })

  it('GET /api/messenger/search/{query} reads _ as any one character and every other character as itself', async () => {
    const mock = createTestMock()
    loadCustomWorld(mock, (world) => {
      const testers = withTesters(1)(world)
      const tester = testers.users.at(-1)
      if (tester === undefined) {
        throw new Error('a tester expected')
      }
      tester.name = 'Ann (QA) [ops]+'
      return testers
    })
    expect(names((await search(mock, '/j_ne')).body)).toEqual(['Jane Doe'])
    expect((await search(mock, '/j.ne')).body.data).toEqual([])
    expect((await search(mock, '/ja_ne')).body.data).toEqual([])
    for (const query of ['(qa)', '[ops]+', 'n (q', 'a)']) {
      const { body } = await search(mock, `/${encodeURIComponent(query)}`)
      expect(names(body), query).toEqual(['Ann (QA) [ops]+'])
    }
  })

  it('GET /api/messenger/search/{query} pages 25 users at a time, oldest first', async () => {
    const mock = createTestMock()
    loadCustomWorld(mock, withTesters(30))
    const first = await search(mock, '/tester')
    expect(first.body.data).toHaveLength(25)
    expect(first.body.data[0]?.name).toBe('Tester 01')
    expect(first.body.meta).toMatchObject({
      current_page: 1,
      from: 1,
      to: 25,
      last_page: 2,
      total: 30,
    })
    expect(first.body.links.next).toBe('http://localhost:8000/api/messenger/search/tester?page=2')

    const { res, body } = await search(mock, '/tester?page=2')
    expect(res.status).toBe(200)
    expectValidResponse('searchProviders', 200, body)
    expect(names(body)).toEqual(['Tester 26', 'Tester 27', 'Tester 28', 'Tester 29', 'Tester 30'])
    const url = (n: number) => `http://localhost:8000/api/messenger/search/tester?page=${n}`
    expect(body.links).toEqual({ first: url(1), last: url(2), prev: url(1), next: null })
    expect(body.meta).toEqual({
      current_page: 2,
      from: 26,
      last_page: 2,
      links: [
        { url: url(1), label: '&laquo; Previous', active: false },
        { url: url(1), label: 1, active: false },
        { url: url(2), label: 2, active: true },
        { url: null, label: 'Next &raquo;', active: false },
      ],
      path: 'http://localhost:8000/api/messenger/search/tester',
      per_page: 25,
      to: 30,
      total: 30,
      search: 'tester',
      search_items: ['tester'],
    })

    const beyond = await search(mock, '/tester?page=9')
    expect(beyond.body.data).toEqual([])
    expect(beyond.body.meta).toMatchObject({ current_page: 9, from: null, to: null, total: 30 })
    expect(beyond.body.links.prev).toBe(url(8))
    for (const page of ['0', '-1', 'x', '1.5']) {
      expect((await search(mock, `/tester?page=${page}`)).body.meta.current_page, page).toBe(1)
    }
  })

  it('GET /api/messenger/search/{query} leaves out distant pages of a long list like Laravel', async () => {
    const mock = createTestMock()
    loadCustomWorld(mock, withTesters(20))
    setConfig(mock, 'search_page_count', 1)
    const labels = async (page: number) =>
      (await search(mock, `/tester?page=${page}`)).body.meta.links.map((l) => l.label).slice(1, -1)
    expect(await labels(1)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, '...', 19, 20])
    expect(await labels(10)).toEqual([1, 2, '...', 7, 8, 9, 10, 11, 12, 13, '...', 19, 20])
    expect(await labels(20)).toEqual([1, 2, '...', 11, 12, 13, 14, 15, 16, 17, 18, 19, 20])
    const { body } = await search(mock, '/tester?page=10')
    expectValidResponse('searchProviders', 200, body)
    expect(body.meta.links.find((l) => l.label === '...')).toEqual({
      url: null,
      label: '...',
      active: false,
    })
  })

  it('GET /api/messenger/search/{query} builds links on the public URL when one is set', async () => {
    const mock = createTestMock({ publicUrl: 'https://mock.example.org/' })
    const { body } = await search(mock, `/${encodeURIComponent('jane doe')}`)
    expect(body.meta.path).toBe('https://mock.example.org/api/messenger/search/jane%20doe')
    expect(body.links.first).toBe('https://mock.example.org/api/messenger/search/jane%20doe?page=1')
  })

  it('GET /api/messenger/search/{query} answers 429 on the 46th search in a minute, then resets', async () => {
    const mock = createTestMock()
    for (let i = 1; i <= 45; i++) {
      const { res } = await search(mock, '/jane')
      expect(res.status, `search ${i}`).toBe(200)
    }
    mock.advance(20)
    const { res, body } = await search(mock, '/jane')
    expect(res.status).toBe(429)
    expect(body).toEqual({ message: 'Too Many Attempts.' })
    expect(res.headers.get('Retry-After')).toBe('40')
    expect(res.headers.get('X-RateLimit-Remaining')).toBe('0')
    // Each user has their own allowance.
    expect((await search(mock, '/jane', 'jairo')).res.status).toBe(200)
    mock.advance(40)
    const again = await search(mock, '/jane')
    expect(again.res.status).toBe(200)
    expect(again.res.headers.get('X-RateLimit-Remaining')).toBe('44')
  })
})

describe('search rules', () => {
  it('parseSearchQuery cleans % < > ` " \\ and splits on spaces, newlines and commas', () => {
    expect(parseSearchQuery('a<b>c%d`e"f\\g')).toEqual({ search: 'abcdefg', items: ['abcdefg'] })
    expect(parseSearchQuery(' jo,,ja\njo x  ')).toEqual({
      search: ' jo,,ja\njo x  ',
      items: ['jo', 'ja'],
    })
    expect(parseSearchQuery('a b')).toEqual({ search: 'a b', items: [] })
    expect(parseSearchQuery('%a%')).toBeNull()
    expect(parseSearchQuery(undefined)).toBeNull()
    // Lengths are PHP's strlen(), in bytes: one two-byte letter is long enough.
    expect(parseSearchQuery('é')).toEqual({ search: 'é', items: ['é'] })
  })

  it('currentPage reads page like PHP filter_var(FILTER_VALIDATE_INT), at least 1', () => {
    expect([undefined, '', '0', '-2', '01', '2.0', 'x', '1e3'].map(currentPage)).toEqual([
      1, 1, 1, 1, 1, 1, 1, 1,
    ])
    expect(['2', ' 3 ', '+4', '1000'].map(currentPage)).toEqual([2, 3, 4, 1000])
  })

  it('pageWindow lists every page below 14 and slides 3 pages each side beyond', () => {
    expect(pageWindow(1, 1)).toEqual([[1]])
    expect(pageWindow(5, 13)).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]])
    expect(pageWindow(7, 14)).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], '...', [13, 14]])
    expect(pageWindow(8, 14)).toEqual([[1, 2], '...', [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]])
    expect(pageWindow(50, 100)).toEqual([
      [1, 2],
      '...',
      [47, 48, 49, 50, 51, 52, 53],
      '...',
      [99, 100],
    ])
    expect(pageWindow(500, 100)).toEqual([[1, 2], '...', [91, 92, 93, 94, 95, 96, 97, 98, 99, 100]])
  })
})
