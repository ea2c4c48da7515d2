// Every table belongs to the world document: loading a document fills it, and a world
// exported and loaded again gives back the same rows. A new table that world loading or export
// leaves out fails here.
import { describe, expect, it } from 'vitest'
import { migrate } from '../db/migrate.ts'
import { openDb, type Db } from '../db/open.ts'
import { TABLE_COLUMNS } from '../db/rows.ts'
import { readDefaultWorld } from './default-world.ts'
import { exportWorld } from './export.ts'
import { loadWorld } from './load.ts'

function loaded(document: unknown): Db {
  const db = openDb(':memory:')
  migrate(db)
  expect(loadWorld(db, document)).toEqual({ ok: true })
  return db
}

const rowsOf = (db: Db, table: string): unknown[] =>
  db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()

describe('the tables of a world', () => {
  const base = readDefaultWorld()
  // The default world with one pending friend request (Jane to John), so that every table has rows.
  const document = {
    ...base,
    clock: { ...base.clock, frozen: true },
    friend_requests: [
      {
        id: '92316400-0000-4000-8000-000000000001',
        sender_id: '922f8476-c5f4-4024-8ba2-1a0d1cd22d71',
        recipient_id: '922f8476-bdda-4ebd-b283-be23602c658d',
      },
    ],
  }

  it.each(Object.keys(TABLE_COLUMNS))('%s is filled by a world document', (table) => {
    const db = loaded(document)
    expect(rowsOf(db, table).length).toBeGreaterThan(0)
    db.close()
  })

  it.each(Object.keys(TABLE_COLUMNS))('%s comes back the same after export and load', (table) => {
    const first = loaded(document)
    const second = loaded(exportWorld(first))
    expect(rowsOf(second, table)).toEqual(rowsOf(first, table))
    first.close()
    second.close()
  })
})
