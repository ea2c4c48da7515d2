// Tests that the default world holds what the documented responses show, and loads as it is.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { migrate } from '../db/migrate.ts'
import { openDb } from '../db/open.ts'
import { readDefaultWorld } from './default-world.ts'
import { exportWorld } from './export.ts'
import { loadWorld } from './load.ts'

const JOHN = '922f8476-bdda-4ebd-b283-be23602c658d'
const JANE = '922f8476-c5f4-4024-8ba2-1a0d1cd22d71'
const JAIRO = '922f8476-dfb5-45d5-8a76-ab6422e10e5d'
const JOHN_JANE = '923135d4-bcaa-4aa7-83a9-cc9765866b19'
const PARTY = '92313cf7-b356-4d74-944c-c799fcfc3b1e'
const JOHN_JAIRO = '92316158-d218-4b23-b90b-a708fb354685'

const world = readDefaultWorld()

function loadedDefault(): ReturnType<typeof openDb> {
  const db = openDb(':memory:')
  migrate(db)
  expect(loadWorld(db, readDefaultWorld())).toEqual({ ok: true })
  return db
}

describe('the default world', () => {
  it('has the three documented users with their tokens, avatars and statuses', () => {
    expect(
      world.users.map((u) => [u.id, u.name, u.email, u.token, u.avatar, u.online_status])
    ).toEqual([
      [JOHN, 'John Doe', 'john@example.net', 'john', 'img_5fcee7c1e64404.55920965.jpg', 1],
      [JANE, 'Jane Doe', 'jane@example.net', 'jane', null, 2],
      [JAIRO, "Jairo O'Kon I", 'jairo@example.net', 'jairo', null, 1],
    ])
    const [john, jane] = world.users
    expect(john?.created_at).toBe('2020-12-07T07:57:14.000000Z')
    expect(john?.email_verified_at).toBe('2020-12-07T07:57:14.000000Z')
    expect(john?.settings).toMatchObject({
      online_status: 1,
      created_at: '2020-12-08T01:39:35.000000Z',
      dark_mode: true,
    })
    expect(jane?.settings?.online_status).toBe(2)
  })

  it('has the two private threads and the Test Party! group without Jairo', () => {
    expect(world.threads.map((t) => [t.id, t.type, t.subject])).toEqual([
      [JOHN_JANE, 1, null],
      [PARTY, 2, 'Test Party!'],
      [JOHN_JAIRO, 1, null],
    ])
    const party = world.threads.find((t) => t.id === PARTY)
    expect(party).toMatchObject({ image: '5.png', invitations: true, calling: true })
    const members = (thread: string): string[] =>
      world.participants.filter((p) => p.thread_id === thread).map((p) => p.user_id)
    expect(members(PARTY).sort()).toEqual([JOHN, JANE].sort())
    expect(members(JOHN_JANE).sort()).toEqual([JOHN, JANE].sort())
    expect(members(JOHN_JAIRO).sort()).toEqual([JOHN, JAIRO].sort())
  })

  it('makes John admin of Test Party! with every permission and Jane a plain participant', () => {
    const inParty = (user: string) =>
      world.participants.find((p) => p.thread_id === PARTY && p.user_id === user)
    expect(inParty(JOHN)).toMatchObject({
      admin: true,
      add_participants: true,
      manage_invites: true,
      start_calls: true,
      send_knocks: true,
      send_messages: true,
    })
    expect(inParty(JANE)).toMatchObject({
      admin: false,
      add_participants: false,
      manage_invites: false,
      start_calls: false,
      send_knocks: false,
      send_messages: true,
      pending: false,
    })
  })

  it("holds Jane's active call, with Jane in it and John not joined", () => {
    expect(world.calls).toHaveLength(1)
    expect(world.calls[0]).toMatchObject({
      id: '923142e6-88bd-48c6-a253-94f1fd587686',
      thread_id: JOHN_JANE,
      owner_id: JANE,
      setup_complete: true,
      call_ended: null,
      created_at: '2020-12-08T04:45:34.000000Z',
      updated_at: '2020-12-08T04:45:35.000000Z',
    })
    expect(String(world.calls[0]?.room_id)).toMatch(/^\d{16}$/)
    expect(world.call_participants.map((p) => [p.user_id, p.left_call, p.kicked])).toEqual([
      [JANE, null, false],
    ])
  })

  it('makes John and Jairo friends, with John’s row the documented friend_id', () => {
    expect(world.friends).toHaveLength(1)
    expect(world.friends[0]).toMatchObject({
      id: '92313e08-3966-415b-ad71-e6776c813a70',
      user_id: JOHN,
      friend_id: JAIRO,
    })
    expect(world.friend_requests).toEqual([])
  })

  it('has the two documented invites of Test Party!', () => {
    expect(world.invites).toEqual([
      {
        id: '92315aa0-c44b-4da8-8b7f-5d5529412874',
        thread_id: PARTY,
        owner_id: JOHN,
        code: '7EIFRXXP',
        max_use: 25,
        uses: 0,
        expires_at: '2020-12-22T05:51:55.000000Z',
        created_at: '2020-12-08T05:51:55.000000Z',
        updated_at: '2020-12-08T05:51:55.000000Z',
        deleted_at: null,
      },
      {
        id: '92315b42-d57e-461a-91fb-e5eb9f1f2ca9',
        thread_id: PARTY,
        owner_id: JOHN,
        code: 'ZAJOR26J',
        max_use: 0,
        uses: 0,
        expires_at: null,
        created_at: '2020-12-08T05:53:41.000000Z',
        updated_at: '2020-12-08T05:53:41.000000Z',
        deleted_at: null,
      },
    ])
  })

  it('has the info payload config and a clock at 06:25 that is not frozen', () => {
    expect(world.clock).toEqual({ now: '2020-12-08T06:25:00.000000Z', frozen: false })
    expect(world.config).toMatchObject({
      site_name: 'Messenger',
      socket_endpoint: 'http://localhost:6001',
      video_driver: 'janus',
      thread_invites_max: 3,
      online_cache_lifetime: 4,
    })
  })

  it('leaves no user with unread threads', () => {
    const db = loadedDefault()
    const unread = db.prepare<[string], number>(
      `SELECT count(*) FROM participants p JOIN threads t ON t.id = p.thread_id
        WHERE p.owner_id = ? AND p.deleted_at IS NULL AND t.deleted_at IS NULL
          AND (p.last_read IS NULL OR t.updated_at > p.last_read)`
    )
    expect([JOHN, JANE, JAIRO].map((user) => unread.pluck().get(user))).toEqual([0, 0, 0])
  })

  it('is written exactly as exportWorld writes it', () => {
    const file: unknown = JSON.parse(
      readFileSync(new URL('../../fixtures/worlds/default.json', import.meta.url), 'utf8')
    )
    const exported = exportWorld(loadedDefault())
    expect({ ...exported, clock: world.clock }).toEqual(file)
  })

  it('hands out copies that callers may change', () => {
    const copy = readDefaultWorld()
    copy.users.pop()
    expect(readDefaultWorld().users).toHaveLength(3)
  })
})
