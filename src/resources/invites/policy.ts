// The invite rules: when an invite may be used (Invite::isValid) and what `expires` 0..8 means.
import type { ThreadRow } from '../../db/rows.ts'
import type { InviteRow } from '../../db/rows.ts'

/**
 * Invite::isValid(): its thread still exists with invitations on and no lockout, it has not
 * expired and is not used up. `thread` is undefined when the thread was deleted.
 */
export function isValidInvite(invite: InviteRow, thread: ThreadRow | undefined, now: string) {
  return (
    invite.deleted_at === null &&
    thread?.invitations === 1 &&
    thread.lockout === 0 &&
    (invite.expires_at === null || invite.expires_at > now) &&
    (invite.max_use === 0 || invite.uses < invite.max_use)
  )
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

// expires 1..7 as durations; 8 is a calendar month, 0 never expires.
const DURATIONS = [30 * MINUTE, HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY, 14 * DAY] as const

/** Carbon's addMonth(): the same day next month, overflowing into the month after (Jan 31 → Mar 3). */
function addMonth(ms: number): number {
  const date = new Date(ms)
  date.setUTCMonth(date.getUTCMonth() + 1)
  return date.getTime()
}

/** When an invite made at `nowMs` with `expires` (0..8) expires, in epoch ms; null = never. */
export function expiryTime(expires: number, nowMs: number): number | null {
  if (expires === 0) {
    return null
  }
  if (expires === 8) {
    return addMonth(nowMs)
  }
  const duration = DURATIONS[expires - 1]
  if (duration === undefined) {
    throw new RangeError(`expires must be 0 to 8, not ${expires}.`)
  }
  return nowMs + duration
}
