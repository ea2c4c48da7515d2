// Viewing an invite by code and joining a group with it (showInvite, joinWithInvite).
import { describe, expect, it } from 'vitest'
import { expectValidResponse } from '../../testing/spec-validator.ts'
import { createTestMock, IDS } from '../../testing/harness.ts'
import type { TestMock } from '../../testing/harness.ts'
import { exportWorld } from '../../world/export.ts'
import type { InviteJoinView, JoinedParticipant } from './present.ts'
import {
  call,
  documented,
  editWorld,
  expectLikeDocumented,
  idsAndTimestamps,
  testId,
  worldUser,
} from './testing.ts'

const NOW = '2020-12-08T06:25:00.000000Z'
const joinPath = (code: string) => `/api/messenger/join/${code}`
const NOT_JOIN = { status: 403, body: { message: 'Not authorized to join with this invite.' } }
const codeNotFound = (code: string) => ({
  status: 404,
  body: { message: `No query results for model [RTippin\\Messenger\\Models\\Invite] ${code}` },
})

async function view(mock: TestMock, code: string, token?: string): Promise<InviteJoinView> {
  const res = await call(mock, 'GET', joinPath(code), token)
  expect(res.status).toBe(200)
  expectValidResponse('showInvite', 200, res.body)
  return res.body as InviteJoinView
}

function editInvite(
  mock: TestMock,
  code: string,
  changes: { max_use?: number; uses?: number; expires_at?: string | null }
): void {
  editWorld(mock, (world) => {
    const invite = world.invites.find((i) => i.code === code)
    if (!invite) {
      throw new Error(`No invite ${code}`)
    }
    Object.assign(invite, changes)
  })
}

function editTestParty(
  mock: TestMock,
  changes: { invitations?: boolean; lockout?: boolean; subject?: string; deleted_at?: string }
): void {
  editWorld(mock, (world) => {
    const thread = world.threads.find((t) => t.id === IDS.testParty)
    if (!thread) {
      throw new Error('Test Party! is missing')
    }
    Object.assign(thread, changes)
  })
}

function members(mock: TestMock, thread: string = IDS.testParty): string[] {
  return exportWorld(mock.world.db)
    .participants.filter((p) => p.thread_id === thread && p.deleted_at === null)
    .map((p) => p.user_id)
}

describe('GET /api/messenger/join/{code}', () => {
  it('GET /api/messenger/join/{code} answers the documented view to a logged-in non-member', async () => {
    const mock = createTestMock()
    const body = await view(mock, 'ZAJOR26J', 'jairo')
    expectLikeDocumented(body, documented('showInvite').body)
  })

  it('GET /api/messenger/join/{code} answers a guest the same view with messenger_auth false', async () => {
    const mock = createTestMock()
    const body = await view(mock, 'ZAJOR26J')
    const expected = structuredClone(documented('showInvite').body) as InviteJoinView
    expected.options.messenger_auth = false
    expectLikeDocumented(body, expected)
  })

  it('GET /api/messenger/join/{code} tells a member in_thread true', async () => {
    const mock = createTestMock()
    expect((await view(mock, 'ZAJOR26J', 'jane')).options).toEqual({
      messenger_auth: true,
      in_thread: true,
      thread_name: 'Test Party!',
      is_valid: true,
    })
  })

  it('GET /api/messenger/join/{code} answers 200 with is_valid false for expired and used-up invites', async () => {
    const mock = createTestMock()
    editInvite(mock, 'ZAJOR26J', { max_use: 3, uses: 3 })
    const invalid = { messenger_auth: true, in_thread: false, thread_name: null, is_valid: false }
    const used = await view(mock, 'ZAJOR26J', 'john')
    expect(used.options).toEqual(invalid)
    expect(used.uses).toBe(3)
    // 7EIFRXXP expires at 2020-12-22T05:51:55: valid one second before, invalid at that moment.
    mock.world.clock.set('2020-12-22T05:51:54.000Z')
    expect((await view(mock, '7EIFRXXP', 'john')).options.is_valid).toBe(true)
    mock.advance(1)
    expect((await view(mock, '7EIFRXXP', 'john')).options).toEqual(invalid)
  })

  it('GET /api/messenger/join/{code} is invalid while the group has invitations off or is locked', async () => {
    const off = createTestMock()
    editTestParty(off, { invitations: false })
    expect((await view(off, 'ZAJOR26J')).options.is_valid).toBe(false)
    const locked = createTestMock()
    editTestParty(locked, { lockout: true })
    expect((await view(locked, 'ZAJOR26J')).options.is_valid).toBe(false)
  })

  it('GET /api/messenger/join/{code} HTML-escapes the group name except the apostrophe', async () => {
    const mock = createTestMock()
    editTestParty(mock, { subject: `Tom & Jerry's <"Party">` })
    expect((await view(mock, 'ZAJOR26J')).options.thread_name).toBe(
      "Tom &amp; Jerry's &lt;&quot;Party&quot;&gt;"
    )
  })

  it('GET /api/messenger/join/{code} finds a code whatever its case, as MySQL did', async () => {
    const mock = createTestMock()
    expect((await view(mock, 'zajor26j')).code).toBe('ZAJOR26J')
  })

  it('GET /api/messenger/join/{code} answers 404 for an unknown code, a deleted invite and a deleted group', async () => {
    const mock = createTestMock()
    expect(await call(mock, 'GET', joinPath('NOPE1234'))).toEqual(codeNotFound('NOPE1234'))
    expect(
      (
        await call(
          mock,
          'DELETE',
          `/api/messenger/threads/${IDS.testParty}/invites/${IDS.inviteZ}`,
          'john'
        )
      ).status
    ).toBe(200)
    expect(await call(mock, 'GET', joinPath('ZAJOR26J'), 'jairo')).toEqual(codeNotFound('ZAJOR26J'))
    // A deleted group leaves its invites viewable but invalid.
    editTestParty(mock, { deleted_at: NOW })
    expect((await view(mock, '7EIFRXXP')).options).toEqual({
      messenger_auth: false,
      in_thread: false,
      thread_name: null,
      is_valid: false,
    })
  })
})

describe('POST /api/messenger/join/{code}', () => {
  it('POST /api/messenger/join/{code} lets Jairo join Test Party! with the documented 201', async () => {
    const mock = createTestMock()
    const res = await call(mock, 'POST', joinPath('ZAJOR26J'), 'jairo')
    expect(res.status).toBe(201)
    expectValidResponse('joinWithInvite', 201, res.body)
    expectLikeDocumented(res.body, documented('joinWithInvite').body, idsAndTimestamps)
    const joined = res.body as JoinedParticipant
    expect(joined.owner_id).toBe(IDS.jairo)
    expect(joined.thread_id).toBe(IDS.testParty)
    expect(joined.owner.id).toBe(IDS.jairo)
    expect(joined.created_at).toBe(NOW)
    expect(joined.updated_at).toBe(NOW)
    expect(members(mock)).toContain(IDS.jairo)
  })

  it('POST /api/messenger/join/{code} counts the use, marks the joiner in_thread and refuses a second join', async () => {
    const mock = createTestMock()
    expect((await call(mock, 'POST', joinPath('ZAJOR26J'), 'jairo')).status).toBe(201)
    const after = await view(mock, 'ZAJOR26J', 'jairo')
    expect(after.uses).toBe(1)
    expect(after.updated_at).toBe(NOW)
    expect(after.options.in_thread).toBe(true)
    expect(await call(mock, 'POST', joinPath('ZAJOR26J'), 'jairo')).toEqual(NOT_JOIN)
    expect((await view(mock, 'ZAJOR26J')).uses).toBe(1)
  })

  it('POST /api/messenger/join/{code} makes the group unread (its updated_at moves to now)', async () => {
    const mock = createTestMock()
    mock.advance(60)
    expect((await call(mock, 'POST', joinPath('7EIFRXXP'), 'jairo')).status).toBe(201)
    const thread = exportWorld(mock.world.db).threads.find((t) => t.id === IDS.testParty)
    expect(thread?.updated_at).toBe('2020-12-08T06:26:00.000000Z')
  })

  it('POST /api/messenger/join/{code} refuses current members', async () => {
    const mock = createTestMock()
    expect(await call(mock, 'POST', joinPath('ZAJOR26J'), 'john')).toEqual(NOT_JOIN)
    expect(await call(mock, 'POST', joinPath('ZAJOR26J'), 'jane')).toEqual(NOT_JOIN)
  })

  it('POST /api/messenger/join/{code} stops at max_use: one join, then invalid and the next user refused', async () => {
    const mock = createTestMock()
    editWorld(mock, (world) => {
      world.users.push(worldUser(testId('dddddddd', 1), 'Extra User', 'extra'))
      const invite = world.invites.find((i) => i.code === 'ZAJOR26J')
      if (invite) {
        invite.max_use = 1
      }
    })
    expect((await call(mock, 'POST', joinPath('ZAJOR26J'), 'jairo')).status).toBe(201)
    expect((await view(mock, 'ZAJOR26J')).options.is_valid).toBe(false)
    expect(await call(mock, 'POST', joinPath('ZAJOR26J'), 'extra')).toEqual(NOT_JOIN)
    expect(members(mock)).not.toContain(testId('dddddddd', 1))
  })

  it('POST /api/messenger/join/{code} refuses expired invites, invitations off, a locked group and invites disabled', async () => {
    const expired = createTestMock()
    expired.advance(14 * 24 * 3600)
    expect(await call(expired, 'POST', joinPath('7EIFRXXP'), 'jairo')).toEqual(NOT_JOIN)
    const off = createTestMock()
    editTestParty(off, { invitations: false })
    expect(await call(off, 'POST', joinPath('ZAJOR26J'), 'jairo')).toEqual(NOT_JOIN)
    const locked = createTestMock()
    editTestParty(locked, { lockout: true })
    expect(await call(locked, 'POST', joinPath('ZAJOR26J'), 'jairo')).toEqual(NOT_JOIN)
    const disabled = createTestMock()
    editWorld(disabled, (world) => {
      world.config.thread_invites = false
    })
    expect(await call(disabled, 'POST', joinPath('ZAJOR26J'), 'jairo')).toEqual(NOT_JOIN)
    for (const mock of [expired, off, locked, disabled]) {
      expect(members(mock)).not.toContain(IDS.jairo)
    }
  })

  it('POST /api/messenger/join/{code} answers 404 for an unknown or deleted code', async () => {
    const mock = createTestMock()
    expect(await call(mock, 'POST', joinPath('NOPE1234'), 'jairo')).toEqual(
      codeNotFound('NOPE1234')
    )
    await call(
      mock,
      'DELETE',
      `/api/messenger/threads/${IDS.testParty}/invites/${IDS.inviteZ}`,
      'john'
    )
    expect(await call(mock, 'POST', joinPath('ZAJOR26J'), 'jairo')).toEqual(
      codeNotFound('ZAJOR26J')
    )
  })

  it('POST /api/messenger/join/{code} answers 401 to a guest', async () => {
    const mock = createTestMock()
    expect(await call(mock, 'POST', joinPath('ZAJOR26J'))).toEqual({
      status: 401,
      body: { message: 'Unauthenticated.' },
    })
  })

  it('POST /api/messenger/join/{code} admits exactly max_use of 20 concurrent joins', async () => {
    const mock = createTestMock()
    const users = Array.from({ length: 20 }, (_, i) => ({
      id: testId('eeeeeeee', i + 1),
      token: `racer${i + 1}`,
    }))
    editWorld(mock, (world) => {
      for (const user of users) {
        world.users.push(worldUser(user.id, `Racer ${user.token}`, user.token))
      }
      const invite = world.invites.find((i) => i.code === 'ZAJOR26J')
      if (invite) {
        invite.max_use = 5
      }
    })
    const before = members(mock).length
    const responses = await Promise.all(
      users.map((user) => mock.request(joinPath('ZAJOR26J'), { method: 'POST', token: user.token }))
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(5)
    expect(statuses.filter((s) => s === 403)).toHaveLength(15)
    const invite = exportWorld(mock.world.db).invites.find((i) => i.code === 'ZAJOR26J')
    expect(invite?.uses).toBe(5)
    expect(members(mock).length).toBe(before + 5)
    expect((await view(mock, 'ZAJOR26J')).options.is_valid).toBe(false)
  })
})
