// The invite rules on their own: expiry times (Carbon's month overflow) and Invite::isValid.
import { describe, expect, it } from 'vitest'
import { formatTimestamp, parseTimestamp } from '../../world/time.ts'
import type { ThreadRow } from '../../db/rows.ts'
import { expiryTime, isValidInvite } from './policy.ts'
import type { InviteRow } from '../../db/rows.ts'

const at = (text: string) => parseTimestamp(text)
const expiry = (expires: number, now: string) => {
  const ms = expiryTime(expires, at(now))
  return ms === null ? null : formatTimestamp(ms)
}

const thread: ThreadRow = {
  id: 't',
  type: 2,
  subject: 'Group',
  image: null,
  add_participants: 0,
  invitations: 1,
  calling: 1,
  messaging: 1,
  knocks: 1,
  lockout: 0,
  call_lockout_until: null,
  created_at: '2020-12-08T00:00:00.000000Z',
  updated_at: '2020-12-08T00:00:00.000000Z',
  deleted_at: null,
}
const invite: InviteRow = {
  id: 'i',
  thread_id: 't',
  owner_id: 'u',
  code: 'ABCDEFGH',
  max_use: 2,
  uses: 1,
  expires_at: '2020-12-08T10:00:00.000000Z',
  created_at: '2020-12-08T00:00:00.000000Z',
  updated_at: '2020-12-08T00:00:00.000000Z',
  deleted_at: null,
}
const NOW = '2020-12-08T09:59:59.000000Z'

describe('invite policy', () => {
  it('expiryTime adds a calendar month like Carbon, overflowing short months', () => {
    expect(expiry(8, '2020-12-08T06:25:00Z')).toBe('2021-01-08T06:25:00.000000Z')
    expect(expiry(8, '2021-01-31T12:00:00Z')).toBe('2021-03-03T12:00:00.000000Z')
    expect(expiry(8, '2020-01-31T12:00:00Z')).toBe('2020-03-02T12:00:00.000000Z')
  })

  it('expiryTime gives null for 0 and refuses values outside 0..8', () => {
    expect(expiryTime(0, 0)).toBeNull()
    expect(() => expiryTime(9, 0)).toThrow(RangeError)
    expect(() => expiryTime(-1, 0)).toThrow(RangeError)
  })

  it('isValidInvite needs a live thread with invitations on, no lockout, time and uses left', () => {
    expect(isValidInvite(invite, thread, NOW)).toBe(true)
    expect(isValidInvite(invite, undefined, NOW)).toBe(false)
    expect(isValidInvite(invite, { ...thread, invitations: 0 }, NOW)).toBe(false)
    expect(isValidInvite(invite, { ...thread, lockout: 1 }, NOW)).toBe(false)
    expect(isValidInvite(invite, thread, '2020-12-08T10:00:00.000000Z')).toBe(false)
    expect(isValidInvite({ ...invite, uses: 2 }, thread, NOW)).toBe(false)
    expect(isValidInvite({ ...invite, max_use: 0, uses: 50 }, thread, NOW)).toBe(true)
    expect(
      isValidInvite({ ...invite, expires_at: null }, thread, '2099-01-01T00:00:00.000000Z')
    ).toBe(true)
    expect(isValidInvite({ ...invite, deleted_at: NOW }, thread, NOW)).toBe(false)
  })
})
