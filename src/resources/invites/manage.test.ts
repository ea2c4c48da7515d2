// Listing, creating and deleting a group's invites (indexInvites, storeInvite, destroyInvite).
import { describe, expect, it } from 'vitest'
import { expectValidResponse } from '../../testing/spec-validator.ts'
import { BASE_URL, createTestMock, IDS } from '../../testing/harness.ts'
import type { TestMock } from '../../testing/harness.ts'
import type { Invite, InviteJoinView } from './present.ts'
import {
  call,
  documented,
  editWorld,
  expectLikeDocumented,
  idsAndTimestamps,
  testId,
  timestamps,
} from './testing.ts'

const NOW = '2020-12-08T06:25:00.000000Z'
const invitesPath = (thread: string = IDS.testParty) => `/api/messenger/threads/${thread}/invites`
const invitePath = (invite: string, thread: string = IDS.testParty) =>
  `${invitesPath(thread)}/${invite}`

const AT_MAX = 'Not authorized to create thread invite. You have the max allowed active invites.'
const NOT_CREATE = 'Not authorized to create thread invite.'
const NOT_VIEW = 'Not authorized to view thread invite.'
const NOT_DESTROY = 'Not authorized to destroy this invite.'

interface InvitesPage {
  data: Invite[]
  meta: { total: number; max_allowed: number | null }
}

async function index(mock: TestMock, token = 'john'): Promise<InvitesPage> {
  const res = await call(mock, 'GET', invitesPath(), token)
  expect(res.status).toBe(200)
  expectValidResponse('indexInvites', 200, res.body)
  return res.body as InvitesPage
}

async function store(mock: TestMock, body: unknown, token = 'john', thread?: string) {
  return call(mock, 'POST', invitesPath(thread), token, body)
}

/** A second group ("Other Party", John admin) with one invite, for foreign-id checks. */
const OTHER_GROUP = testId('aaaaaaaa', 1)
const OTHER_INVITE = testId('bbbbbbbb', 1)
function addOtherGroup(mock: TestMock): void {
  editWorld(mock, (world) => {
    world.threads.push({
      id: OTHER_GROUP,
      type: 2,
      subject: 'Other Party',
      image: null,
      invitations: true,
      calling: true,
      lockout: false,
      add_participants: false,
      messaging: true,
      knocks: true,
      created_at: '2020-12-08T05:00:00.000000Z',
      updated_at: '2020-12-08T05:00:00.000000Z',
      deleted_at: null,
    })
    world.participants.push({
      id: testId('cccccccc', 1),
      thread_id: OTHER_GROUP,
      user_id: IDS.john,
      admin: true,
      pending: false,
      start_calls: true,
      send_knocks: true,
      send_messages: true,
      add_participants: true,
      manage_invites: true,
      muted: false,
      last_read: null,
      created_at: '2020-12-08T05:00:00.000000Z',
      updated_at: '2020-12-08T05:00:00.000000Z',
      deleted_at: null,
    })
    world.invites.push({
      id: OTHER_INVITE,
      thread_id: OTHER_GROUP,
      owner_id: IDS.john,
      code: 'OTHER123',
      max_use: 0,
      uses: 0,
      expires_at: null,
      created_at: '2020-12-08T05:00:00.000000Z',
      updated_at: '2020-12-08T05:00:00.000000Z',
      deleted_at: null,
    })
  })
}

function setTestParty(mock: TestMock, changes: { invitations?: boolean; lockout?: boolean }) {
  editWorld(mock, (world) => {
    const thread = world.threads.find((t) => t.id === IDS.testParty)
    if (!thread) {
      throw new Error('Test Party! is missing')
    }
    Object.assign(thread, changes)
  })
}

describe('GET /api/messenger/threads/{thread}/invites', () => {
  it('GET /api/messenger/threads/{thread}/invites answers the documented index to John (timestamps aside)', async () => {
    const mock = createTestMock()
    const page = await index(mock)
    expectLikeDocumented(page, documented('indexInvites').body, timestamps)
    // The one timestamp that differs is John's own updated_at; the invites' are the documented ones.
    expect(page.data.map((i) => i.created_at)).toEqual([
      '2020-12-08T05:53:41.000000Z',
      '2020-12-08T05:51:55.000000Z',
    ])
  })

  it('GET /api/messenger/threads/{thread}/invites lists the valid invites newest first with total and max_allowed', async () => {
    const mock = createTestMock()
    const created = await store(mock, { expires: 0, uses: 0 })
    expect(created.status).toBe(201)
    const page = await index(mock)
    expect(page.data.map((i) => i.code)).toEqual([
      (created.body as Invite).code,
      'ZAJOR26J',
      '7EIFRXXP',
    ])
    expect(page.meta).toEqual({ total: 3, max_allowed: 3 })
  })

  it('GET /api/messenger/threads/{thread}/invites hides expired, used-up and deleted invites', async () => {
    const mock = createTestMock()
    editWorld(mock, (world) => {
      const z = world.invites.find((i) => i.code === 'ZAJOR26J')
      if (z) {
        z.max_use = 2
        z.uses = 2
      }
    })
    expect((await index(mock)).data.map((i) => i.code)).toEqual(['7EIFRXXP'])
    // 7EIFRXXP expires at 2020-12-22T05:51:55.
    mock.advance(14 * 24 * 3600)
    expect(await index(mock)).toEqual({ data: [], meta: { total: 0, max_allowed: 3 } })
  })

  it('GET /api/messenger/threads/{thread}/invites gives max_allowed null when the limit is off', async () => {
    const mock = createTestMock()
    editWorld(mock, (world) => {
      world.config.thread_invites_max = 0
    })
    expect((await index(mock)).meta).toEqual({ total: 2, max_allowed: null })
  })

  it('GET /api/messenger/threads/{thread}/invites answers 401 to a guest', async () => {
    const mock = createTestMock()
    expect(await call(mock, 'GET', invitesPath())).toEqual({
      status: 401,
      body: { message: 'Unauthenticated.' },
    })
  })

  it('GET /api/messenger/threads/{thread}/invites answers 404 for an unknown, malformed or deleted thread', async () => {
    const mock = createTestMock()
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect(await call(mock, 'GET', invitesPath(id), 'john')).toEqual({
        status: 404,
        body: { message: `No query results for model [RTippin\\Messenger\\Models\\Thread] ${id}` },
      })
    }
    editWorld(mock, (world) => {
      const thread = world.threads.find((t) => t.id === IDS.testParty)
      if (thread) {
        thread.deleted_at = NOW
      }
    })
    expect((await call(mock, 'GET', invitesPath(), 'john')).status).toBe(404)
  })

  it('GET /api/messenger/threads/{thread}/invites answers 403 to a plain participant, a non-member and in a private thread', async () => {
    const mock = createTestMock()
    const notAllowed = { status: 403, body: { message: NOT_VIEW } }
    expect(await call(mock, 'GET', invitesPath(), 'jane')).toEqual(notAllowed)
    expect(await call(mock, 'GET', invitesPath(), 'jairo')).toEqual(notAllowed)
    expect(await call(mock, 'GET', invitesPath(IDS.johnJairo), 'john')).toEqual(notAllowed)
  })

  it('GET /api/messenger/threads/{thread}/invites lets a participant with manage_invites in', async () => {
    const mock = createTestMock()
    editWorld(mock, (world) => {
      const jane = world.participants.find(
        (p) => p.thread_id === IDS.testParty && p.user_id === IDS.jane
      )
      if (jane) {
        jane.manage_invites = true
      }
    })
    expect((await index(mock, 'jane')).meta.total).toBe(2)
  })

  it('GET /api/messenger/threads/{thread}/invites answers 403 when invitations, invites or the lock forbid it', async () => {
    const notAllowed = { status: 403, body: { message: NOT_VIEW } }
    const off = createTestMock()
    setTestParty(off, { invitations: false })
    expect(await call(off, 'GET', invitesPath(), 'john')).toEqual(notAllowed)
    const locked = createTestMock()
    setTestParty(locked, { lockout: true })
    expect(await call(locked, 'GET', invitesPath(), 'john')).toEqual(notAllowed)
    const disabled = createTestMock()
    editWorld(disabled, (world) => {
      world.config.thread_invites = false
    })
    expect(await call(disabled, 'GET', invitesPath(), 'john')).toEqual(notAllowed)
  })
})

describe('POST /api/messenger/threads/{thread}/invites', () => {
  it('POST /api/messenger/threads/{thread}/invites creates the documented invite (two weeks, 25 uses) with 201', async () => {
    const mock = createTestMock()
    const res = await store(mock, { expires: 7, uses: 25 })
    expect(res.status).toBe(201)
    expectValidResponse('storeInvite', 201, res.body)
    const invite = res.body as Invite
    const loose = (path: string, value: unknown) =>
      idsAndTimestamps(path, value) || path === '$.code' || path === '$.route'
    expectLikeDocumented(invite, documented('storeInvite').body, loose)
    expect(invite.code).toMatch(/^[A-Z0-9]{8}$/)
    expect(invite.route).toBe(`${BASE_URL}/messenger/join/${invite.code}`)
    expect(invite.thread_id).toBe(IDS.testParty)
    expect(invite.owner_id).toBe(IDS.john)
    expect(invite.created_at).toBe(NOW)
    expect(invite.updated_at).toBe(NOW)
    expect(invite.expires_at).toBe('2020-12-22T06:25:00.000000Z')
    expect(invite.max_use).toBe(25)
    expect(invite.uses).toBe(0)
    expect('deleted_at' in invite).toBe(false)
  })

  it('POST /api/messenger/threads/{thread}/invites builds route from the public URL when one is set', async () => {
    const mock = createTestMock({ publicUrl: 'https://chat.example.com/' })
    const invite = (await store(mock, { expires: 0, uses: 0 })).body as Invite
    expect(invite.route).toBe(`https://chat.example.com/messenger/join/${invite.code}`)
    expect((await index(mock)).data[1]?.route).toBe(
      'https://chat.example.com/messenger/join/ZAJOR26J'
    )
  })

  it('POST /api/messenger/threads/{thread}/invites maps every expires value 0..8 from the world clock', async () => {
    const mock = createTestMock()
    editWorld(mock, (world) => {
      world.config.thread_invites_max = 0
    })
    const expected = [
      null,
      '2020-12-08T06:55:00.000000Z',
      '2020-12-08T07:25:00.000000Z',
      '2020-12-08T12:25:00.000000Z',
      '2020-12-08T18:25:00.000000Z',
      '2020-12-09T06:25:00.000000Z',
      '2020-12-15T06:25:00.000000Z',
      '2020-12-22T06:25:00.000000Z',
      '2021-01-08T06:25:00.000000Z',
    ]
    for (const [expires, expiresAt] of expected.entries()) {
      const res = await store(mock, { expires, uses: expires * 10 })
      expect(res.status).toBe(201)
      expect((res.body as Invite).expires_at, `expires ${expires}`).toBe(expiresAt)
      expect((res.body as Invite).max_use).toBe(expires * 10)
    }
    expect((await index(mock)).meta).toEqual({ total: 11, max_allowed: null })
  })

  it('POST /api/messenger/threads/{thread}/invites accepts integer strings as Laravel does', async () => {
    const mock = createTestMock()
    const res = await store(mock, { expires: '5', uses: '3' })
    expect(res.status).toBe(201)
    expect((res.body as Invite).max_use).toBe(3)
    expect((res.body as Invite).expires_at).toBe('2020-12-09T06:25:00.000000Z')
  })

  it('POST /api/messenger/threads/{thread}/invites allows at most 3 valid invites; deleted and expired ones do not count', async () => {
    const mock = createTestMock()
    // Two valid invites exist; a third (30 minutes) is allowed.
    const third = await store(mock, { expires: 1, uses: 0 })
    expect(third.status).toBe(201)
    expect((await index(mock)).meta.total).toBe(3)
    expect(await store(mock, { expires: 0, uses: 0 })).toEqual({
      status: 403,
      body: { message: AT_MAX },
    })
    // Deleting one makes room for another.
    expect((await call(mock, 'DELETE', invitePath(IDS.inviteZ), 'john')).status).toBe(200)
    expect((await store(mock, { expires: 0, uses: 0 })).status).toBe(201)
    expect(await store(mock, { expires: 0, uses: 0 })).toEqual({
      status: 403,
      body: { message: AT_MAX },
    })
    // Once the 30-minute invite expires it is hidden and no longer counts, but still viewable.
    mock.advance(31 * 60)
    const page = await index(mock)
    expect(page.meta.total).toBe(2)
    const thirdCode = (third.body as Invite).code
    expect(page.data.map((i) => i.code)).not.toContain(thirdCode)
    const view = await call(mock, 'GET', `/api/messenger/join/${thirdCode}`)
    expect(view.status).toBe(200)
    expect((view.body as InviteJoinView).options).toEqual({
      messenger_auth: false,
      in_thread: false,
      thread_name: null,
      is_valid: false,
    })
    expect((await store(mock, { expires: 0, uses: 0 })).status).toBe(201)
  })

  it('POST /api/messenger/threads/{thread}/invites does not count used-up invites', async () => {
    const mock = createTestMock()
    editWorld(mock, (world) => {
      const seven = world.invites.find((i) => i.code === '7EIFRXXP')
      if (seven) {
        seven.uses = 25
      }
    })
    expect((await store(mock, { expires: 0, uses: 0 })).status).toBe(201)
    expect((await store(mock, { expires: 0, uses: 0 })).status).toBe(201)
    expect((await store(mock, { expires: 0, uses: 0 })).status).toBe(403)
  })

  it('POST /api/messenger/threads/{thread}/invites answers 422 with Laravel texts', async () => {
    const mock = createTestMock()
    const cases: [unknown, Record<string, string[]>][] = [
      [{}, { expires: ['The expires field is required.'], uses: ['The uses field is required.'] }],
      [
        { expires: 9, uses: 'abc' },
        {
          expires: ['The expires must be between 0 and 8.'],
          uses: ['The uses must be an integer.'],
        },
      ],
      [
        { expires: -1, uses: 101 },
        {
          expires: ['The expires must be between 0 and 8.'],
          uses: ['The uses must be between 0 and 100.'],
        },
      ],
      [{ expires: 1.5, uses: 0 }, { expires: ['The expires must be an integer.'] }],
      [
        { expires: null, uses: '' },
        { expires: ['The expires field is required.'], uses: ['The uses field is required.'] },
      ],
      [
        '{not json',
        { expires: ['The expires field is required.'], uses: ['The uses field is required.'] },
      ],
    ]
    for (const [body, errors] of cases) {
      expect(await store(mock, body), JSON.stringify(body)).toEqual({
        status: 422,
        body: { message: 'The given data was invalid.', errors },
      })
    }
  })

  it('POST /api/messenger/threads/{thread}/invites checks the body before the policy (422 before 403)', async () => {
    const mock = createTestMock()
    // Jane is a plain participant of Test Party! (no manage_invites).
    expect((await store(mock, { expires: 9, uses: 1 }, 'jane')).status).toBe(422)
    expect(await store(mock, { expires: 1, uses: 1 }, 'jane')).toEqual({
      status: 403,
      body: { message: NOT_CREATE },
    })
  })

  it('POST /api/messenger/threads/{thread}/invites answers 404 for an unknown thread before checking the body', async () => {
    const mock = createTestMock()
    const id = '00000000-0000-4000-8000-000000000000'
    expect(await store(mock, {}, 'john', id)).toEqual({
      status: 404,
      body: { message: `No query results for model [RTippin\\Messenger\\Models\\Thread] ${id}` },
    })
  })

  it('POST /api/messenger/threads/{thread}/invites answers 401 to a guest', async () => {
    const mock = createTestMock()
    expect(
      (await call(mock, 'POST', invitesPath(), undefined, { expires: 1, uses: 1 })).status
    ).toBe(401)
  })

  it('POST /api/messenger/threads/{thread}/invites answers 403 in a private thread, to a non-member and with invitations off', async () => {
    const mock = createTestMock()
    const notAllowed = { status: 403, body: { message: NOT_CREATE } }
    expect(await store(mock, { expires: 1, uses: 1 }, 'john', IDS.johnJairo)).toEqual(notAllowed)
    expect(await store(mock, { expires: 1, uses: 1 }, 'jairo')).toEqual(notAllowed)
    setTestParty(mock, { invitations: false })
    expect(await store(mock, { expires: 1, uses: 1 })).toEqual(notAllowed)
  })
})

describe('DELETE /api/messenger/threads/{thread}/invites/{invite}', () => {
  it('DELETE /api/messenger/threads/{thread}/invites/{invite} deletes the invite: the documented success, then its code is a 404', async () => {
    const mock = createTestMock()
    const res = await call(mock, 'DELETE', invitePath(IDS.invite7), 'john')
    const { status, body } = documented('destroyInvite')
    expect(res).toEqual({ status, body })
    expectValidResponse('destroyInvite', 200, res.body)
    expect((await index(mock)).data.map((i) => i.code)).toEqual(['ZAJOR26J'])
    expect((await call(mock, 'GET', '/api/messenger/join/7EIFRXXP')).status).toBe(404)
    expect((await call(mock, 'POST', '/api/messenger/join/7EIFRXXP', 'jairo')).status).toBe(404)
  })

  it('DELETE /api/messenger/threads/{thread}/invites/{invite} answers 404 for an unknown, deleted or foreign invite', async () => {
    const mock = createTestMock()
    addOtherGroup(mock)
    const notFound = (id: string) => ({
      status: 404,
      body: { message: `No query results for model [RTippin\\Messenger\\Models\\Invite] ${id}` },
    })
    const unknown = '00000000-0000-4000-8000-000000000000'
    expect(await call(mock, 'DELETE', invitePath(unknown), 'john')).toEqual(notFound(unknown))
    expect(await call(mock, 'DELETE', invitePath('nope'), 'john')).toEqual(notFound('nope'))
    // The other group's invite, addressed under Test Party!.
    expect(await call(mock, 'DELETE', invitePath(OTHER_INVITE), 'john')).toEqual(
      notFound(OTHER_INVITE)
    )
    expect((await call(mock, 'DELETE', invitePath(IDS.inviteZ, OTHER_GROUP), 'john')).status).toBe(
      404
    )
    expect((await call(mock, 'DELETE', invitePath(IDS.inviteZ), 'john')).status).toBe(200)
    expect(await call(mock, 'DELETE', invitePath(IDS.inviteZ), 'john')).toEqual(
      notFound(IDS.inviteZ)
    )
    // Under its own thread the other invite is found.
    expect((await call(mock, 'DELETE', invitePath(OTHER_INVITE, OTHER_GROUP), 'john')).status).toBe(
      200
    )
  })

  it('DELETE /api/messenger/threads/{thread}/invites/{invite} answers 404 for an unknown thread first', async () => {
    const mock = createTestMock()
    const id = '00000000-0000-4000-8000-000000000000'
    expect(await call(mock, 'DELETE', invitePath(IDS.inviteZ, id), 'john')).toEqual({
      status: 404,
      body: { message: `No query results for model [RTippin\\Messenger\\Models\\Thread] ${id}` },
    })
  })

  it('DELETE /api/messenger/threads/{thread}/invites/{invite} answers 403 to a plain participant and a non-member', async () => {
    const mock = createTestMock()
    const notAllowed = { status: 403, body: { message: NOT_DESTROY } }
    expect(await call(mock, 'DELETE', invitePath(IDS.inviteZ), 'jane')).toEqual(notAllowed)
    expect(await call(mock, 'DELETE', invitePath(IDS.inviteZ), 'jairo')).toEqual(notAllowed)
    expect((await index(mock)).meta.total).toBe(2)
  })

  it('DELETE /api/messenger/threads/{thread}/invites/{invite} answers 401 to a guest', async () => {
    const mock = createTestMock()
    expect((await call(mock, 'DELETE', invitePath(IDS.inviteZ))).status).toBe(401)
  })
})
