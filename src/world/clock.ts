// The clock of one world, stored in world_clock: real time plus an offset, or frozen at a moment.
import type { Statement } from 'better-sqlite3'
import type { Db } from '../db/open.ts'
import { MAX_ID_TIME_MS } from './ids.ts'
import { formatTimestamp, parseTimestamp } from './time.ts'

export interface ClockState {
  /** The world's current time in the API's format. */
  readonly now: string
  readonly frozen: boolean
}

export interface Clock {
  /** The world's current time in epoch milliseconds. */
  nowMs(): number
  /** The world's current time in the API's format (whole seconds). */
  now(): string
  /** Moves the clock forward; a frozen clock moves only this way. */
  advance(seconds: number): void
  /** Sets the current time; `frozen` defaults to the clock's present mode. */
  set(at: string | number, frozen?: boolean): void
  state(): ClockState
  /** Re-reads world_clock after something other than this clock wrote it (a world load). */
  reload(): void
}

/** The world_clock row: real time plus an offset, or frozen at a moment. */
export interface ClockRow {
  readonly offset_ms: number
  readonly frozen_at_ms: number | null
}

// One clock per database, so every module of a world shares the same cached row.
const clocks = new WeakMap<Db, Clock>()

function checkTime(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_ID_TIME_MS) {
    throw new RangeError(
      `The clock must stay between ${formatTimestamp(0)} and ${formatTimestamp(MAX_ID_TIME_MS)}, the times ids can encode.`
    )
  }
  return ms
}

/**
 * The clock of the world in `db` (one shared instance per database). It is read on every
 * request, so the row is cached in memory and every change is written through. `row`, when the
 * caller knows what world_clock holds (a sandbox that starts from the default world's image),
 * spares reading it; the statements compile on first use, so a clock only read touches no SQL.
 */
export function createClock(db: Db, row?: ClockRow): Clock {
  const existing = clocks.get(db)
  if (existing !== undefined) {
    return existing
  }
  const select = () =>
    db.prepare<[], ClockRow>('SELECT offset_ms, frozen_at_ms FROM world_clock WHERE id = 1').get()
  let upsert: Statement<[number, number | null]> | undefined
  let offsetMs = 0
  let frozenAtMs: number | null = null

  const write = (offset: number, frozenAt: number | null): void => {
    upsert ??= db.prepare<[number, number | null]>(
      `INSERT INTO world_clock (id, offset_ms, frozen_at_ms) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET offset_ms = excluded.offset_ms, frozen_at_ms = excluded.frozen_at_ms`
    )
    upsert.run(offset, frozenAt)
    offsetMs = offset
    frozenAtMs = frozenAt
  }
  const nowMs = (): number => frozenAtMs ?? Date.now() + offsetMs

  const clock: Clock = {
    nowMs,
    now: () => formatTimestamp(nowMs()),
    advance(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) {
        throw new RangeError(`The clock only moves forward; ${seconds} is not a number of seconds.`)
      }
      const by = Math.round(seconds * 1000)
      checkTime(nowMs() + by)
      if (frozenAtMs === null) {
        write(offsetMs + by, null)
      } else {
        write(offsetMs, frozenAtMs + by)
      }
    },
    set(at, frozen = frozenAtMs !== null) {
      const target = checkTime(typeof at === 'number' ? at : parseTimestamp(at))
      if (frozen) {
        write(0, target)
      } else {
        write(target - Date.now(), null)
      }
    },
    state: () => ({ now: clock.now(), frozen: frozenAtMs !== null }),
    reload() {
      use(select())
    },
  }
  const use = (read: ClockRow | undefined): void => {
    offsetMs = read?.offset_ms ?? 0
    frozenAtMs = read?.frozen_at_ms ?? null
  }
  if (row === undefined) {
    clock.reload()
  } else {
    use(row)
  }
  clocks.set(db, clock)
  return clock
}
