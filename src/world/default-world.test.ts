// Tests that the default world holds what the documented responses show, and loads as it is.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { IDS } from '../testing/ids.ts'
import { migrate } from '../db/migrate.ts'
import { openDb } from '../db/open.ts'
import { readDefaultWorld } from './default-world.ts'
import { exportWorld } from './export.ts'
import { loadWorld } from './load.ts'

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
      [IDS.john, 'John Doe', 'john@example.net', 'john', 'img_5fcee7c1e64404.55920965.jpg', 1],
      [IDS.jane, 'Jane Doe', 'jane@example.net', 'jane', null, 2],
      [IDS.jairo, "Jairo O'Kon I", 'jairo@example.net', 'jairo', null, 1],
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
      [IDS.johnJane, 1, null],
      [IDS.testParty, 2, 'Test Party!'],
      [IDS.johnJairo, 1, null],
    ])
    const party = world.threads.find((t) => t.id === IDS.testParty)
    expect(party).toMatchObject({ image: '5.png', invitations: true, calling: true })
    const members = (thread: string): string[] =>
      world.participants.filter((p) => p.thread_id === thread).map((p) => p.user_id)
    expect(members(IDS.testParty).sort()).toEqual([IDS.john, IDS.jane].sort())
    expect(members(IDS.johnJane).sort()).toEqual([IDS.john, IDS.jane].sort())
    expect(members(IDS.johnJairo).sort()).toEqual([IDS.john, IDS.jairo].sort())
  })

  it('makes John admin of Test Party! with every permission and Jane a plain participant', () => {
    const inParty = (user: string) =>
      world.participants.find((p) => p.thread_id === IDS.testParty && p.user_id === user)
    expect(inParty(IDS.john)).toMatchObject({
      admin: true,
      add_participants: true,
      manage_invites: true,
      start_calls: true,
      send_knocks: true,
      send_messages: true,
    })
    expect(inParty(IDS.jane)).toMatchObject({
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
      thread_id: IDS.johnJane,
      owner_id: IDS.jane,
      setup_complete: true,
      call_ended: null,
      created_at: '2020-12-08T04:45:34.000000Z',
      updated_at: '2020-12-08T04:45:35.000000Z',
    })
    expect(String(world.calls[0]?.room_id)).toMatch(/^\d{16}$/)
    expect(world.call_participants.map((p) => [p.user_id, p.left_call, p.kicked])).toEqual([
      [IDS.jane, null, false],
    ])
  })

  it('makes John and Jairo friends, with John’s row the documented friend_id', () => {
    expect(world.friends.map((f) => [f.id, f.user_id, f.friend_id])).toEqual([
      [IDS.johnJairoFriendship, IDS.john, IDS.jairo],
    ])
    expect(world.friend_requests).toEqual([])
  })

  it('has the two documented invites of Test Party!', () => {
    /** A documented invite of John's in Test Party!, never used or changed since it was made. */
    const invite = (
      id: string,
      code: string,
      max_use: number,
      expires_at: string | null,
      at: string
    ) => ({
      id,
      thread_id: IDS.testParty,
      owner_id: IDS.john,
      code,
      max_use,
      uses: 0,
      expires_at,
      created_at: at,
      updated_at: at,
      deleted_at: null,
    })
    expect(world.invites).toEqual([
      invite(
        IDS.invite7,
        '7EIFRXXP',
        25,
        '2020-12-22T05:51:55.000000Z',
        '2020-12-08T05:51:55.000000Z'
      ),
      invite(IDS.inviteZ, 'ZAJOR26J', 0, null, '2020-12-08T05:53:41.000000Z'),
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
    expect([IDS.john, IDS.jane, IDS.jairo].map((user) => unread.pluck().get(user))).toEqual([
      0, 0, 0,
    ])
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
