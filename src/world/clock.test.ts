// Tests for the per-world clock: real time plus an offset, frozen time, advance, persistence.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { migrate } from '../db/migrate.ts'
import { openDb, type Db } from '../db/open.ts'
import { useTempDir } from '../testing/temp-dir.ts'
import { createClock } from './clock.ts'

const REAL_NOW = Date.parse('2026-01-01T12:00:00Z')
const WORLD_NOW = '2020-12-08T06:25:00.000000Z'
const WORLD_NOW_MS = Date.parse(WORLD_NOW)

function migrated(file = ':memory:'): Db {
  const db = openDb(file)
  migrate(db)
  return db
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(REAL_NOW)
})

afterEach(() => {
  vi.useRealTimers()
})

describe('createClock', () => {
  it('follows real time in a world that never set its clock', () => {
    const clock = createClock(migrated())
    expect(clock.nowMs()).toBe(REAL_NOW)
    expect(clock.state()).toEqual({ now: '2026-01-01T12:00:00.000000Z', frozen: false })
  })

  it('is one shared clock per database', () => {
    const db = migrated()
    expect(createClock(db)).toBe(createClock(db))
    expect(createClock(migrated())).not.toBe(createClock(db))
  })

  it('ticks in real time when not frozen', () => {
    const clock = createClock(migrated())
    clock.set(WORLD_NOW, false)
    expect(clock.now()).toBe(WORLD_NOW)
    vi.setSystemTime(REAL_NOW + 90_000)
    expect(clock.now()).toBe('2020-12-08T06:26:30.000000Z')
    expect(clock.state().frozen).toBe(false)
  })

  it('stays put when frozen', () => {
    const clock = createClock(migrated())
    clock.set(WORLD_NOW_MS, true)
    vi.setSystemTime(REAL_NOW + 3_600_000)
    expect(clock.nowMs()).toBe(WORLD_NOW_MS)
    expect(clock.state()).toEqual({ now: WORLD_NOW, frozen: true })
  })

  it('moves forward with advance(), frozen or not', () => {
    const clock = createClock(migrated())
    clock.set(WORLD_NOW, true)
    clock.advance(240)
    expect(clock.now()).toBe('2020-12-08T06:29:00.000000Z')
    clock.set(WORLD_NOW, false)
    clock.advance(1.5)
    expect(clock.nowMs()).toBe(WORLD_NOW_MS + 1500)
  })

  it('keeps its mode when set() is not told one', () => {
    const clock = createClock(migrated())
    clock.set(WORLD_NOW, true)
    clock.set('2020-12-09T00:00:00Z')
    expect(clock.state()).toEqual({ now: '2020-12-09T00:00:00.000000Z', frozen: true })
  })

  it('refuses to go backwards or out of the range ids can encode', () => {
    const clock = createClock(migrated())
    clock.set(WORLD_NOW, true)
    expect(() => {
      clock.advance(-1)
    }).toThrow(RangeError)
    expect(() => {
      clock.set('2100-01-01T00:00:00Z')
    }).toThrow(RangeError)
    expect(clock.now()).toBe(WORLD_NOW)
  })

  it('starts from a row it is given without reading world_clock, and writes changes through', () => {
    const db = migrated()
    db.prepare('INSERT INTO world_clock (id, offset_ms, frozen_at_ms) VALUES (1, 0, 0)').run()
    const clock = createClock(db, { offset_ms: 0, frozen_at_ms: WORLD_NOW_MS })
    expect(clock.state()).toEqual({ now: WORLD_NOW, frozen: true })
    clock.advance(60)
    expect(db.prepare('SELECT offset_ms, frozen_at_ms FROM world_clock').get()).toEqual({
      offset_ms: 0,
      frozen_at_ms: WORLD_NOW_MS + 60_000,
    })
    db.prepare('UPDATE world_clock SET frozen_at_ms = 0').run()
    clock.reload()
    expect(clock.nowMs()).toBe(0)
  })

  it('writes every change through to world_clock', () => {
    const db = migrated()
    createClock(db).set(WORLD_NOW, true)
    expect(db.prepare('SELECT offset_ms, frozen_at_ms FROM world_clock').get()).toEqual({
      offset_ms: 0,
      frozen_at_ms: WORLD_NOW_MS,
    })
    createClock(db).set(WORLD_NOW, false)
    expect(db.prepare('SELECT offset_ms, frozen_at_ms FROM world_clock').get()).toEqual({
      offset_ms: WORLD_NOW_MS - REAL_NOW,
      frozen_at_ms: null,
    })
  })

  describe('in a file database', () => {
    const tempDir = useTempDir('messenger-clock-')

    it('survives close and reopen, frozen and advanced', () => {
      const file = join(tempDir(), 'world.db')
      const first = migrated(file)
      const clock = createClock(first)
      clock.set(WORLD_NOW, true)
      clock.advance(60)
      first.close()
      const second = migrated(file)
      expect(createClock(second).state()).toEqual({
        now: '2020-12-08T06:26:00.000000Z',
        frozen: true,
      })
      second.close()
    })

    it('keeps ticking from where it was after reopen when not frozen', () => {
      const file = join(tempDir(), 'world.db')
      const first = migrated(file)
      createClock(first).set(WORLD_NOW, false)
      createClock(first).advance(30)
      first.close()
      vi.setSystemTime(REAL_NOW + 10_000)
      const second = migrated(file)
      expect(createClock(second).now()).toBe('2020-12-08T06:25:40.000000Z')
      second.close()
    })
  })
})
