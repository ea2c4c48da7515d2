// Tests for exportWorld: round trips through loadWorld, online status at the clock's now, avatars.
import { describe, expect, it } from 'vitest'
import { migrate } from '../db/migrate.ts'
import { openDb, type Db } from '../db/open.ts'
import { createClock } from './clock.ts'
import { readDefaultWorld } from './default-world.ts'
import { exportWorld, readWorldConfig } from './export.ts'
import { loadWorld } from './load.ts'
import type { WorldDocument } from './schema.ts'

const NOW = '2020-12-08T06:25:00.000000Z'

function migrated(): Db {
  const db = openDb(':memory:')
  migrate(db)
  return db
}

function loaded(doc: unknown): Db {
  const db = migrated()
  expect(loadWorld(db, doc)).toEqual({ ok: true })
  return db
}

function frozenDefault(): WorldDocument {
  const doc = readDefaultWorld()
  doc.clock = { now: NOW, frozen: true }
  return doc
}

describe('exportWorld', () => {
  it('gives back the default world it was loaded with', () => {
    expect(exportWorld(loaded(frozenDefault()))).toEqual(frozenDefault())
  })

  it('round-trips: loading an export and exporting again gives the same document', () => {
    const first = exportWorld(loaded(frozenDefault()))
    const second = exportWorld(loaded(first))
    expect(second).toEqual(first)
    expect(JSON.stringify(second)).toBe(JSON.stringify(first))
  })

  it('round-trips a world whose clock is not frozen', () => {
    const doc = readDefaultWorld()
    const first = exportWorld(loaded(doc))
    expect(first.clock.frozen).toBe(false)
    const second = exportWorld(loaded(first))
    expect({ ...second, clock: first.clock }).toEqual(first)
    expect(Date.parse(second.clock.now ?? '') - Date.parse(first.clock.now ?? '')).toBeLessThan(
      2000
    )
  })

  it('lists rows in creation order whatever order the document used', () => {
    const doc = frozenDefault()
    doc.users.reverse()
    doc.participants.reverse()
    doc.invites.reverse()
    expect(exportWorld(loaded(doc))).toEqual(frozenDefault())
  })

  it("reports each user's online status at the clock's now", () => {
    const db = loaded(frozenDefault())
    const clock = createClock(db)
    const statuses = (): number[] => exportWorld(db).users.map((u) => u.online_status)
    expect(statuses()).toEqual([1, 2, 1])
    clock.advance(4 * 60 - 1)
    expect(statuses()).toEqual([1, 2, 1])
    clock.advance(1)
    expect(statuses()).toEqual([0, 0, 0])
    const reloaded = loaded(exportWorld(db))
    expect(reloaded.prepare('SELECT online_kind FROM users').pluck().all()).toEqual([
      null,
      null,
      null,
    ])
  })

  it('carries avatar images as base64 and stores them as bytes', () => {
    const doc = frozenDefault()
    const db = loaded(doc)
    const stored = db.prepare<[], Buffer>('SELECT data FROM avatars').pluck().get()
    const jpeg = Buffer.from(doc.avatars[0]?.data_base64 ?? '', 'base64')
    expect(stored?.equals(jpeg)).toBe(true)
    // A JPEG starts with FF D8.
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]))
    expect(exportWorld(db).avatars).toEqual(doc.avatars)
  })

  it('writes a friendship stored one-sidedly as an entry without inverse_id', () => {
    const db = loaded(frozenDefault())
    db.prepare('DELETE FROM friends WHERE id <> ?').run('92313e08-3966-415b-ad71-e6776c813a70')
    const friends = exportWorld(db).friends
    expect(friends).toHaveLength(1)
    expect(friends[0]).not.toHaveProperty('inverse_id')
    expect(loaded(exportWorld(db)).prepare('SELECT count(*) FROM friends').pluck().get()).toBe(2)
  })
})

describe('readWorldConfig', () => {
  it("reads the world's config switches", () => {
    const doc = frozenDefault()
    doc.config.calling = false
    doc.config.thread_invites_max = 0
    const config = readWorldConfig(loaded(doc))
    expect(config.calling).toBe(false)
    expect(config.thread_invites_max).toBe(0)
    expect(config.site_name).toBe('Messenger')
  })

  it('gives the documented defaults for a world never loaded', () => {
    expect(readWorldConfig(migrated())).toMatchObject({
      socket_endpoint: 'http://localhost:6001',
      video_driver: 'janus',
      online_cache_lifetime: 4,
      thread_invites_max: 3,
      calls_page_count: 25,
    })
  })
})
