// The image routes: user avatars (API and public) and group thread pictures.
import { describe, expect, it } from 'vitest'
import { defaultAvatar } from '../../images/render.ts'
import { IDS, createTestMock } from '../../testing/harness.ts'
import type { TestMock } from '../../testing/harness.ts'
import { avatarForm, imageSize, loadCustomWorld, png } from '../messenger/test-support.ts'

const JOHN_FILE = 'img_5fcee7c1e64404.55920965.jpg'
const johnAvatar = (size: string, file = JOHN_FILE) => `/user/${IDS.john}/${size}/${file}`

async function image(mock: TestMock, path: string, token?: string) {
  const res = await mock.request(path, token === undefined ? {} : { token })
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) }
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(b)

describe('GET /api/messenger/images/{alias}/{id}/{size}/{image}', () => {
  it('GET /api/messenger/images/{alias}/{id}/{size}/{image} serves the stored avatar, sized', async () => {
    const mock = createTestMock()
    const stored = mock.world.db
      .prepare('SELECT data FROM avatars WHERE user_id = ?')
      .get(IDS.john) as { data: Buffer }
    const original = await imageSize(stored.data)
    const lg = await image(mock, `/api/messenger/images${johnAvatar('lg')}`, 'john')
    expect(lg.res.status).toBe(200)
    expect(lg.res.headers.get('Content-Type')).toBe('image/jpeg')
    expect(same(lg.bytes, stored.data)).toBe(true)
    const sm = await image(mock, `/api/messenger/images${johnAvatar('sm')}`, 'jane')
    expect(sm.res.headers.get('Content-Type')).toBe('image/jpeg')
    const small = await imageSize(sm.bytes)
    expect(small.format).toBe('jpeg')
    // Never enlarged: the shorter side is 150 px, or the original's if that is smaller.
    expect(Math.min(small.width, small.height)).toBe(Math.min(150, original.width, original.height))
    // A second request is served from the cache with the same bytes.
    const again = await image(mock, `/api/messenger/images${johnAvatar('sm')}`, 'jane')
    expect(same(again.bytes, sm.bytes)).toBe(true)
  })

  it('GET /api/messenger/images/{alias}/{id}/{size}/{image} sizes md by a 300 px shorter side', async () => {
    const mock = createTestMock()
    await mock.request('/api/messenger/avatar', {
      method: 'POST',
      token: 'jane',
      body: avatarForm(await png(500, 1000)),
    })
    const file = (
      mock.world.db.prepare('SELECT avatar FROM users WHERE id = ?').get(IDS.jane) as {
        avatar: string
      }
    ).avatar
    const base = `/api/messenger/images/user/${IDS.jane}`
    const sizes = await Promise.all(
      ['sm', 'md', 'lg', 'xl'].map(async (size) =>
        imageSize((await image(mock, `${base}/${size}/${file}`, 'john')).bytes)
      )
    )
    expect(sizes.map((s) => [s.width, s.height])).toEqual([
      [150, 300],
      [300, 600],
      [500, 1000],
      [150, 300],
    ])
  })

  it('GET /api/messenger/images/{alias}/{id}/{size}/{image} serves default pictures, never a 404', async () => {
    const mock = createTestMock()
    const user = (await defaultAvatar('user', 'md')).body
    const notFound = (await defaultAvatar('not-found', 'md')).body
    const cases: [string, Uint8Array][] = [
      [`/user/${IDS.jane}/md/default.png`, user],
      [johnAvatar('md', 'default.png'), user],
      [johnAvatar('md', 'img_0000000000000.00000000.jpg'), user],
      [`/user/00000000-0000-4000-8000-000000000000/md/${JOHN_FILE}`, user],
      [`/user/not-a-uuid/md/default.png`, user],
      [`/ghost/${IDS.john}/md/${JOHN_FILE}`, notFound],
    ]
    expect(same(user, notFound)).toBe(false)
    for (const [path, expected] of cases) {
      const { res, bytes } = await image(mock, `/api/messenger/images${path}`, 'john')
      expect(res.status, path).toBe(200)
      expect(res.headers.get('Content-Type'), path).toBe('image/png')
      expect(same(bytes, expected), path).toBe(true)
    }
    expect(await imageSize(user)).toEqual({ width: 300, height: 300, format: 'png' })
  })

  it('GET /api/messenger/images/{alias}/{id}/{size}/{image} answers 401 without a valid token', async () => {
    const mock = createTestMock()
    const res = await mock.request(`/api/messenger/images${johnAvatar('sm')}`)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ message: 'Unauthenticated.' })
  })
})

describe('GET /images/{alias}/{id}/{size}/{image}', () => {
  it('GET /images/{alias}/{id}/{size}/{image} serves guests, cacheable for a day', async () => {
    const mock = createTestMock()
    for (const path of [johnAvatar('lg'), johnAvatar('sm', 'default.png'), `/x/y/sm/z.png`]) {
      const { res } = await image(mock, `/images${path}`)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('Cache-Control'), path).toBe('public, max-age=86400')
    }
    const api = await image(mock, `/api/messenger/images${johnAvatar('lg')}`, 'john')
    const web = await image(mock, `/images${johnAvatar('lg')}`)
    expect(same(web.bytes, api.bytes)).toBe(true)
    expect(web.res.headers.get('Content-Type')).toBe('image/jpeg')
  })

  it('GET /images/{alias}/{id}/{size}/{image} answers 405 for another method', async () => {
    const mock = createTestMock()
    const res = await mock.request(`/images${johnAvatar('lg')}`, { method: 'POST' })
    expect(res.status).toBe(405)
  })
})

describe('GET /api/messenger/threads/{thread}/avatar/{size}/{image}', () => {
  const groupPath = (prefix: string, image: string, thread: string = IDS.testParty) =>
    `${prefix}/threads/${thread}/avatar/sm/${image}`

  it('GET /api/messenger/threads/{thread}/avatar/{size}/{image} serves the group picture to members', async () => {
    const mock = createTestMock()
    const group = (await defaultAvatar('group', 'sm')).body
    for (const prefix of ['/api/messenger', '/messenger']) {
      for (const token of ['john', 'jane']) {
        const { res, bytes } = await image(mock, groupPath(prefix, '5.png'), token)
        expect(res.status).toBe(200)
        expect(res.headers.get('Content-Type')).toBe('image/png')
        expect(same(bytes, group)).toBe(true)
      }
    }
  })

  it('GET /api/messenger/threads/{thread}/avatar/{size}/{image} serves "not found" for another image name', async () => {
    const mock = createTestMock()
    const notFound = (await defaultAvatar('not-found', 'sm')).body
    for (const name of ['1.png', 'default.png', 'img_x.jpg']) {
      const { res, bytes } = await image(mock, groupPath('/api/messenger', name), 'john')
      expect(res.status, name).toBe(200)
      expect(same(bytes, notFound), name).toBe(true)
    }
  })

  it('GET /api/messenger/threads/{thread}/avatar/{size}/{image} answers 403 to non-members and for private threads', async () => {
    const mock = createTestMock()
    const denied = { message: 'Not authorized to view that thread.' }
    const outsider = await mock.request(groupPath('/api/messenger', '5.png'), { token: 'jairo' })
    expect(outsider.status).toBe(403)
    expect(await outsider.json()).toEqual(denied)
    const privateThread = await mock.request(groupPath('/messenger', 'default.png', IDS.johnJane), {
      token: 'john',
    })
    expect(privateThread.status).toBe(403)
    expect(await privateThread.json()).toEqual(denied)
  })

  it('GET /api/messenger/threads/{thread}/avatar/{size}/{image} answers 404 for unknown and deleted threads', async () => {
    const mock = createTestMock()
    const missing = '00000000-0000-4000-8000-000000000000'
    for (const thread of [missing, 'nope']) {
      const res = await mock.request(groupPath('/api/messenger', '5.png', thread), {
        token: 'john',
      })
      expect(res.status).toBe(404)
      expect(await res.json()).toEqual({
        message: `No query results for model [RTippin\\Messenger\\Models\\Thread] ${thread}`,
      })
    }
    loadCustomWorld(mock, (world) => ({
      ...world,
      threads: world.threads.map((t) =>
        t.id === IDS.testParty ? { ...t, deleted_at: '2020-12-08T06:00:00.000000Z' } : t
      ),
    }))
    const deleted = await mock.request(groupPath('/messenger', '5.png'), { token: 'john' })
    expect(deleted.status).toBe(404)
  })

  it('GET /messenger/threads/{thread}/avatar/{size}/{image} answers 401 without a valid token', async () => {
    const mock = createTestMock()
    for (const prefix of ['/api/messenger', '/messenger']) {
      const res = await mock.request(groupPath(prefix, '5.png'))
      expect(res.status).toBe(401)
    }
  })
})

describe('image responses are safe to open', () => {
  const SVG =
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script>' +
    '<rect width="10" height="10"/></svg>'

  it('an uploaded SVG is served with nosniff and a CSP that blocks its scripts', async () => {
    const mock = createTestMock()
    const upload = await mock.request('/api/messenger/avatar', {
      method: 'POST',
      token: 'jane',
      body: avatarForm(new TextEncoder().encode(SVG), 'x.svg'),
    })
    expect(upload.status).toBe(200)
    const file = (
      mock.world.db.prepare('SELECT avatar FROM users WHERE id = ?').get(IDS.jane) as {
        avatar: string
      }
    ).avatar
    for (const path of [
      `/images/user/${IDS.jane}/lg/${file}`,
      `/api/messenger/images/user/${IDS.jane}/lg/${file}`,
    ]) {
      const { res } = await image(mock, path, 'john')
      expect(res.headers.get('Content-Type'), path).toBe('image/svg+xml')
      expect(res.headers.get('X-Content-Type-Options'), path).toBe('nosniff')
      expect(res.headers.get('Content-Security-Policy'), path).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
      )
    }
  })

  it('every other image carries nosniff', async () => {
    const mock = createTestMock()
    for (const path of [
      `/images${johnAvatar('sm')}`,
      `/api/messenger/images${johnAvatar('lg')}`,
      `/api/messenger/threads/${IDS.testParty}/avatar/sm/1.png`,
    ]) {
      const { res } = await image(mock, path, 'john')
      expect(res.status, path).toBe(200)
      expect(res.headers.get('X-Content-Type-Options'), path).toBe('nosniff')
    }
  })
})
